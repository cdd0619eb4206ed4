// SPDX-License-Identifier: Apache-2.0
/*
 * A domain's architectural state (punt/arch/domain.h): its stage-2 map and
 * its virtual devices, each set up and torn down through its descriptor
 * (asm/vdev.h) from the one table below.
 */
#include <asm/p2m.h>
#include <asm/vdev.h>
#include <punt/arch/domain.h>
#include <punt/console.h>
#include <punt/domain.h>
#include <punt/mmio.h>

/*
 * Every virtual device, one line each, in set-up order: the interrupt
 * controller first, since the others raise their interrupts through it.
 */
static const struct vdev *const vdevs[] = {
    &vgic_v3_vdev,
    &vtimer_vdev,
    &vptimer_vdev,
    &vpl011_vdev,
};

#define NR_VDEVS (sizeof(vdevs) / sizeof(vdevs[0]))

int arch_domain_init(struct domain *d, const struct arch_domain_config *c)
{
	if (p2m_init(d))
		return -1;
	for (unsigned i = 0; i < NR_VDEVS; i++) {
		/* Counted before the call: destroy must see a device whose init failed. */
		d->arch.vdevs_started = i + 1;
		if (vdevs[i]->init && vdevs[i]->init(d, c)) {
			printk("d%u: cannot set up its %s\n", d->id, vdevs[i]->name);
			return -1;
		}
	}
	return 0;
}

void arch_domain_destroy(struct domain *d)
{
	while (d->arch.vdevs_started) {
		const struct vdev *dev = vdevs[--d->arch.vdevs_started];
		if (dev->destroy)
			dev->destroy(d);
	}
	mmio_remove_all(d);
	p2m_destroy(d);
}

void vdev_vcpu_reset(struct vcpu *v)
{
	for (unsigned i = 0; i < NR_VDEVS; i++) {
		if (vdevs[i]->vcpu_reset)
			vdevs[i]->vcpu_reset(v);
	}
}
