// SPDX-License-Identifier: Apache-2.0
/*
 * The hypercall entry point: one table from hypercall number to handler,
 * one policy check before every handler. Handlers receive the calling vCPU
 * and the five argument registers, copy guest memory in and out with the
 * guest_access helpers, and return a value for x0 (negative Xen errno on
 * failure). The table is the only place a hypercall number appears.
 */
#ifndef PUNT_HYPERCALL_H
#define PUNT_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

typedef long (*hypercall_fn)(struct vcpu *v, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
			     uint64_t a4);

/*
 * A hypercall trapped on v: nr and the five argument registers as the
 * architecture's calling convention carries them (on Arm x16 and x0-x4).
 * Returns the value for the guest's result register.
 */
long do_hypercall(struct vcpu *v, uint64_t nr, const uint64_t args[5]);

/*
 * Preemption (Xen's hypercall_preempt_check / hypercall_create_continuation).
 * A handler that loops over guest-sized work asks hypercall_preempt_check()
 * between elements, never before the first, so every call makes progress.
 * When it says yes the handler stops at that point and returns
 * hypercall_continue(n, args): args[0..n-1] replace the hypercall's first n
 * arguments so that they describe what is left, the guest issues the same
 * hypercall again when it next runs (after the interrupt is taken and the
 * scheduler has had its say), and x0 is not a result. Inside a multicall the
 * entry's args are rewritten instead and the multicall continues from that
 * entry, whose result field keeps the value the guest put there.
 */
bool hypercall_preempt_check(void);
long hypercall_continue(unsigned n, const uint64_t *args);

long do_xen_version(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3,
		    uint64_t a4);
long do_memory_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3,
		  uint64_t a4);
long do_vcpu_op(struct vcpu *v, uint64_t cmd, uint64_t vcpuid, uint64_t arg, uint64_t a3,
		uint64_t a4);
long do_sched_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4);
long do_console_io(struct vcpu *v, uint64_t cmd, uint64_t count, uint64_t buf, uint64_t a3,
		   uint64_t a4);
long do_hvm_op(struct vcpu *v, uint64_t op, uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4);
long do_grant_table_op(struct vcpu *v, uint64_t cmd, uint64_t uop, uint64_t count, uint64_t a3,
		       uint64_t a4);
long do_vm_assist(struct vcpu *v, uint64_t cmd, uint64_t type, uint64_t a2, uint64_t a3,
		  uint64_t a4);
long do_platform_op(struct vcpu *v, uint64_t arg, uint64_t a1, uint64_t a2, uint64_t a3,
		    uint64_t a4);
long do_sysctl(struct vcpu *v, uint64_t arg, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
long do_domctl(struct vcpu *v, uint64_t arg, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
long do_evtchn_hypercall(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3,
			 uint64_t a4);

#endif
