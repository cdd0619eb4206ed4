// SPDX-License-Identifier: Apache-2.0
/*
 * A domain's architectural state (punt/arch/domain.h): its stage-2 map, its
 * virtual counter, and the virtual devices its builder asks for, which are
 * the virtual GICv3 (at the machine's addresses for the hardware domain, at
 * Xen's guest addresses otherwise) and the emulated UART.
 */
#include <asm/gic.h>
#include <asm/mmio.h>
#include <asm/p2m.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <asm/vtimer.h>
#include <public/arch-arm.h>
#include <punt/arch/domain.h>
#include <punt/domain.h>

int arch_domain_init(struct domain *d)
{
	vtimer_domain_init(d);
	return p2m_init(d);
}

int arch_domain_init_devices(struct domain *d, const struct arch_domain_config *c)
{
	if (c->hardware) {
		uint64_t redist, redist_size;
		gic_redist_region(&redist, &redist_size);
		return vgic_domain_init(d, gic_dist_base(), redist, redist_size, gic_nr_lines());
	}
	if (vgic_domain_init(d, GUEST_GICV3_GICD_BASE, GUEST_GICV3_GICR0_BASE,
			     (uint64_t)d->max_vcpus * GUEST_GICV3_RDIST_STRIDE, 32 + c->nr_spis))
		return -1;
	return c->vuart ? vpl011_init(d) : 0;
}

void arch_domain_destroy(struct domain *d)
{
	vpl011_destroy(d);
	mmio_domain_destroy(d);
	p2m_destroy(d);
}
