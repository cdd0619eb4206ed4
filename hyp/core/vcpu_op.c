// SPDX-License-Identifier: Apache-2.0
/* vcpu_op: the two sub-ops Xen offers on Arm (Xen public/vcpu.h; the others are x86's). */
#include <public/errno.h>
#include <public/vcpu.h>
#include <punt/domain.h>
#include <punt/event_channel.h>
#include <punt/arch/guest_access.h>
#include <punt/hypercall.h>
#include <punt/arch/p2m.h>
#include <punt/sched.h>
#include <punt/string.h>

static long register_vcpu_info(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
	struct domain *d = v->domain;
	struct vcpu_register_vcpu_info info;
	uint64_t mfn;
	long rc = 0;

	if (copy_from_guest(&info, arg, sizeof(info)))
		return -XEN_EFAULT;
	if ((info.offset & 7) || info.offset > 4096 - sizeof(struct vcpu_info))
		return -XEN_ENXIO;
	/* A vCPU registers its own, or another while that one is offline (Xen: map_vcpu_info). */
	if (v != caller && __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) != VCPU_OFFLINE)
		return -XEN_EINVAL;
	/* Looked up under the lock: decrease_reservation must not free the page meanwhile. */
	struct domain_locked l = domain_lock(d);
	if (p2m_lookup(d, info.mfn, &mfn) != P2M_RAM_RW || !phys_is_ram(mfn << 12, 4096)) {
		rc = -XEN_EINVAL;
	} else if (v->vcpu_info_registered) {
		/* Xen 4.17 refuses a second registration with -EINVAL (later Xen: -EBUSY). */
		rc = -XEN_EINVAL;
	} else {
		struct vcpu_info *new_info = (struct vcpu_info *)((mfn << 12) + info.offset);
		if (v->vcpu_info)
			memmove(new_info, v->vcpu_info, sizeof(*new_info));
		else
			memset(new_info, 0, sizeof(*new_info));
		v->vcpu_info = new_info;
		v->vcpu_info_registered = true;
	}
	domain_unlock(&l);
	if (!rc)
		evtchn_vcpu_info_registered(v);
	return rc;
}

static long register_runstate(struct vcpu *v, uint64_t arg)
{
	struct vcpu_register_runstate_memory_area area;

	if (copy_from_guest(&area, arg, sizeof(area)))
		return -XEN_EFAULT;
	/* Written now when the caller is the vCPU itself, else when v next runs. */
	sched_register_runstate(v, area.addr_gva);
	return 0;
}

/*
 * vcpu_op(int cmd, unsigned int vcpuid, void *arg) in Xen: the upper halves of x0 and x1 are
 * ignored (the commands are non-negative, so cmd's low half compared unsigned is the same).
 */
long do_vcpu_op(struct vcpu *caller, uint64_t cmd, uint64_t vcpuid_reg, uint64_t arg, uint64_t a3,
		uint64_t a4)
{
	struct domain *d = caller->domain;
	uint32_t vcpuid = (uint32_t)vcpuid_reg;
	struct vcpu *v;

	(void)a3;
	(void)a4;
	if (vcpuid >= d->max_vcpus || !(v = d->vcpus[vcpuid]))
		return -XEN_ENOENT;
	switch ((uint32_t)cmd) {
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(caller, v, arg);
	case VCPUOP_register_runstate_memory_area:
		return register_runstate(v, arg);
	default:
		return -XEN_EINVAL;
	}
}
