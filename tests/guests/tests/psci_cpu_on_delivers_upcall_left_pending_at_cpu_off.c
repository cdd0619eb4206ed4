// SPDX-License-Identifier: Apache-2.0
/*
 * A vCPU that turns itself off (PSCI CPU_OFF) with interrupts masked and an event upcall
 * pending takes that upcall once it is turned on again, has set its GIC CPU interface and the
 * event PPI up as a fresh CPU does, and unmasks; a later event on the same port raises the
 * upcall again.
 *
 * vCPU1 registers its vcpu_info (Xen public/vcpu.h, VCPUOP_register_vcpu_info), takes an
 * upcall for a port bound to it (EVTCHNOP_bind_vcpu), then masks interrupts (PSTATE.I): the
 * next send leaves evtchn_upcall_pending = 1 and the port's pending_sel bit set. The event
 * code raises the PPI only when pending_sel gains a bit or upcall_pending goes 0 -> 1 (Xen
 * public/event_channel.h, 2-level ABI), so if the PPI is lost with the vCPU's power, nothing
 * raises it again and the vCPU sleeps on. The vcpu_info registration outlives CPU_OFF.
 * Xen 4.17 delivers it: its vgic_clear_pending_irqs() empties the vCPU's in-flight lists
 * on CPU_ON, but the PPI already in a saved list register goes back into the hardware.
 */
// smp: 2
#include "rt.h"

enum { STEP_NONE, STEP_MASK, STEP_OFF, STEP_DONE };

static uint8_t vi_page[PAGE_SIZE] PAGE_ALIGNED;
static volatile long vcpu1_register_rc = 1;
static volatile unsigned vcpu1_ready, vcpu1_masked, vcpu1_step, vcpu1_restarted;
static uint32_t port_a;

static struct vcpu_info *vcpu1_info(void)
{
	return (struct vcpu_info *)vi_page;
}

static void wait_step(unsigned step)
{
	while (__atomic_load_n(&vcpu1_step, __ATOMIC_SEQ_CST) != step)
		__asm__ volatile("yield");
}

/* vCPU1's first life: take upcalls, then mask them and turn itself off on request. */
static void first_life(void *arg)
{
	struct vcpu_register_vcpu_info r = {.mfn = (uint64_t)vi_page >> 12, .offset = 0};

	(void)arg;
	vcpu1_register_rc = hyp_vcpu_op(VCPUOP_register_vcpu_info, 1, &r);
	rt_cpu_vcpu_info[1] = vcpu1_info();
	rt_gic_init();
	rt_irq_enable_ppi(rt_plat.evtchn_intid);
	rt_irq_on(); /* the upcall registration raises is taken here */
	__atomic_store_n(&vcpu1_ready, 1, __ATOMIC_SEQ_CST);
	wait_step(STEP_MASK);
	rt_irq_off();
	__atomic_store_n(&vcpu1_masked, 1, __ATOMIC_SEQ_CST);
	wait_step(STEP_OFF);
	/* Returning makes rt_secondary_main call CPU_OFF, interrupts still masked. */
}

/* vCPU1's second life: a fresh CPU's GIC set-up, then interrupts on until told to stop. */
static void second_life(void *arg)
{
	(void)arg;
	rt_gic_init();
	rt_irq_enable_ppi(rt_plat.evtchn_intid);
	__atomic_store_n(&vcpu1_restarted, 1, __ATOMIC_SEQ_CST);
	rt_irq_on();
	wait_step(STEP_DONE);
	rt_irq_off();
}

static bool ready(void)
{
	return __atomic_load_n(&vcpu1_ready, __ATOMIC_SEQ_CST) != 0;
}

static bool masked(void)
{
	return __atomic_load_n(&vcpu1_masked, __ATOMIC_SEQ_CST) != 0;
}

static bool restarted(void)
{
	return __atomic_load_n(&vcpu1_restarted, __ATOMIC_SEQ_CST) != 0;
}

static bool upcall_pending(void)
{
	return __atomic_load_n(&vcpu1_info()->evtchn_upcall_pending, __ATOMIC_SEQ_CST) != 0;
}

static bool port_a_dispatched(void)
{
	return rt_event_take(port_a);
}

void test_main(void)
{
	uint32_t b;

	if (rt_plat.nr_cpus < 2)
		rt_skip("needs 2 vCPUs");
	if (!rt_plat.evtchn_intid)
		rt_error("/hypervisor has no event-channel interrupt");
	rt_shared_info();
	REQUIRE_EQ(rt_cpu_on(1, first_life, NULL), 0, "CPU_ON(vcpu1)");
	if (!rt_wait_until(ready, 10000))
		rt_error("vCPU1 did not start");
	REQUIRE_EQ(vcpu1_register_rc, 0, "vCPU1 register_vcpu_info");
	REQUIRE_EQ(rt_evtchn_loopback(&port_a, &b), 0, "loopback channel");
	rt_port_clear_pending(b);
	struct evtchn_bind_vcpu bv = {.port = port_a, .vcpu = 1};
	REQUIRE_EQ(hyp_evtchn_op(EVTCHNOP_bind_vcpu, &bv), 0, "bind_vcpu(a, 1)");

	/* Before any CPU_OFF: the upcall reaches vCPU1 as it should. */
	REQUIRE_EQ(rt_evtchn_send(b), 0, "send before CPU_OFF");
	if (!rt_wait_until(port_a_dispatched, 5000))
		rt_error("vCPU1 took no upcall for the port before CPU_OFF");

	__atomic_store_n(&vcpu1_step, STEP_MASK, __ATOMIC_SEQ_CST);
	if (!rt_wait_until(masked, 5000))
		rt_error("vCPU1 did not mask its interrupts");
	unsigned taken = rt_irq_count[rt_plat.evtchn_intid];
	REQUIRE_EQ(rt_evtchn_send(b), 0, "send while vCPU1 is masked");
	CHECK(rt_wait_until(upcall_pending, 5000), "evtchn_upcall_pending set on vCPU1");
	CHECK(vcpu1_info()->evtchn_pending_sel >> (port_a / 64) & 1, "pending_sel has a's word");
	rt_delay_ms(100); /* room for the hypervisor to put the PPI in vCPU1's list registers */
	CHECK_EQ(rt_irq_count[rt_plat.evtchn_intid], taken, "no upcall taken while masked");

	__atomic_store_n(&vcpu1_step, STEP_OFF, __ATOMIC_SEQ_CST);
	uint64_t start = rt_cntvct();
	long rc;
	while ((rc = rt_cpu_on(1, second_life, NULL)) == PSCI_RET_ALREADY_ON)
		if (rt_cntvct() - start > rt_cntfrq())
			break;
	REQUIRE_EQ(rc, 0, "CPU_ON(vcpu1) once it is off");
	if (!rt_wait_until(restarted, 10000))
		rt_error("vCPU1 did not start again");

	CHECK(rt_wait_until(port_a_dispatched, 5000),
	      "vCPU1 takes the upcall left pending at CPU_OFF");
	CHECK(!upcall_pending(), "vCPU1's handler cleared evtchn_upcall_pending");
	CHECK(!rt_port_pending(port_a), "vCPU1's handler cleared the port");

	REQUIRE_EQ(rt_evtchn_send(b), 0, "send after CPU_ON");
	CHECK(rt_wait_until(port_a_dispatched, 5000), "a later send raises the upcall again");

	__atomic_store_n(&vcpu1_step, STEP_DONE, __ATOMIC_SEQ_CST);
	rt_printf("vCPU1 took %u upcalls\n", rt_irq_count[rt_plat.evtchn_intid]);
}
