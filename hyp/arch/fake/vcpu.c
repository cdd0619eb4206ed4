// SPDX-License-Identifier: Apache-2.0
/*
 * Fake vCPU state (punt/arch/vcpu.h) and hypercall restart: registers are a
 * frame in struct arch_vcpu, written in place while the vCPU is loaded (there
 * is no CPU to hold them), and every operation is counted for the tests.
 */
#include "fake.h"
#include <public/domctl.h>
#include <public/errno.h>

#include <punt/arch/preempt.h>
#include <punt/arch/timer.h>
#include <punt/arch/vcpu.h>
#include <punt/domain.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void arch_vcpu_init(struct vcpu *v)
{
	arch_vcpu_reset(v, 0, 0);
	v->arch.resets = 0;
}

void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	memset(&v->arch.regs, 0, sizeof(v->arch.regs));
	v->arch.regs.x[0] = arg;
	v->arch.regs.pc = entry;
	/* As Arm's vGIC: its private interrupts go with the reset, what is routed to it stays. */
	v->arch.pending &= ~(FAKE_VIRQ_UPCALL | FAKE_VIRQ_EMULATED_TIMER);
	v->arch.resets++;
	v->needs_load = true;
}

/* The same modes as arm64's: AArch64 EL0t, EL1t, EL1h. */
static bool guest_mode(uint64_t psr)
{
	uint64_t mode = psr & 0x1f;

	return mode == 0x0 || mode == 0x4 || mode == 0x5;
}

int arch_vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	if (!guest_mode(c->user_regs.cpsr) ||
	    (c->user_regs.spsr_el1 && !guest_mode(c->user_regs.spsr_el1)))
		return -XEN_EINVAL;
	arch_vcpu_reset(v, c->user_regs.pc64, c->user_regs.x[0]);
	memcpy(v->arch.regs.x, c->user_regs.x, sizeof(v->arch.regs.x));
	return 0;
}

void arch_vcpu_load(struct vcpu *v)
{
	if (v->arch.loaded) {
		fprintf(stderr, "fake arch: d%uv%u loaded twice\n", v->domain->id, v->id);
		abort();
	}
	v->arch.loaded = true;
	v->arch.loaded_on = fake_current_cpu->id;
	v->arch.loads++;
}

/* As Arm's: the earlier of its own timer and its emulated one, which nothing watches now. */
uint64_t arch_vcpu_save(struct vcpu *v)
{
	uint64_t wake = v->arch.timer, emulated = arch_vcpu_emulated_timer_deadline(v);

	v->arch.loaded = false;
	v->arch.saves++;
	if (emulated && (!wake || emulated < wake))
		wake = emulated;
	return wake;
}

static void (*on_drop)(struct vcpu *v, void *arg);
static void *on_drop_arg;

void fake_on_vcpu_drop(void (*fn)(struct vcpu *v, void *arg), void *arg)
{
	on_drop = fn;
	on_drop_arg = arg;
}

void arch_vcpu_drop(struct vcpu *v)
{
	void (*fn)(struct vcpu *, void *) = on_drop;

	v->arch.loaded = false;
	v->arch.drops++;
	on_drop = NULL;
	if (fn)
		fn(v, on_drop_arg);
}

uint64_t arch_vcpu_pc(const struct vcpu *v)
{
	return v->arch.regs.pc;
}

/* The hypercall instruction is 4 bytes before where the vCPU would resume, as on Arm. */
void arch_hypercall_restart(unsigned n, const uint64_t *args)
{
	struct vcpu *v = fake_current_cpu->current;

	if (!v) {
		fprintf(stderr, "fake arch: hypercall restart with no vCPU running\n");
		abort();
	}
	for (unsigned i = 0; i < n && i < 5; i++)
		v->arch.regs.x[i] = args[i];
	v->arch.regs.pc -= 4;
	v->arch.restarts++;
}
