// SPDX-License-Identifier: Apache-2.0
/*
 * After bind_vcpu(port, 1), a send raises the upcall on vCPU1 (which registered its own
 * vcpu_info and enabled the event PPI), not on vCPU0: Xen sets vCPU1's pending_sel and
 * upcall_pending and injects the PPI into vCPU1.
 */
// smp: 2
#include "rt.h"

static uint8_t vi_page[PAGE_SIZE] PAGE_ALIGNED;
static volatile unsigned vcpu1_ready, vcpu1_upcalls;
static volatile long vcpu1_register_rc = 1;
static volatile uint64_t vcpu1_sel_seen;

static void on_vcpu1(void *arg)
{
	struct vcpu_register_vcpu_info r = {.mfn = (uint64_t)vi_page >> 12, .offset = 0};
	struct vcpu_info *vi = (struct vcpu_info *)vi_page;

	(void)arg;
	vcpu1_register_rc = hyp_vcpu_op(VCPUOP_register_vcpu_info, 1, &r);
	/* Consume the rescan request registration makes, as an upcall handler would. */
	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	__atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&vcpu1_ready, 1, __ATOMIC_SEQ_CST);
	/* Watch our own vcpu_info; no GIC set-up here, so the count is what the PPI would do. */
	for (;;) {
		if (__atomic_exchange_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST)) {
			vcpu1_sel_seen |=
			    __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
			__atomic_fetch_add(&vcpu1_upcalls, 1, __ATOMIC_SEQ_CST);
		}
		__asm__ volatile("yield");
	}
}

static bool ready(void)
{
	return __atomic_load_n(&vcpu1_ready, __ATOMIC_SEQ_CST) != 0;
}

static bool vcpu1_got_it(void)
{
	return __atomic_load_n(&vcpu1_upcalls, __ATOMIC_SEQ_CST) != 0;
}

void test_main(void)
{
	uint32_t a, b;

	if (rt_plat.nr_cpus < 2)
		rt_skip("needs 2 vCPUs");
	rt_shared_info();
	REQUIRE_EQ(rt_cpu_on(1, on_vcpu1, NULL), 0, "CPU_ON(vcpu1)");
	if (!rt_wait_until(ready, 2000))
		rt_error("vCPU1 did not start");
	CHECK_EQ(vcpu1_register_rc, 0, "vCPU1 register_vcpu_info");
	REQUIRE_EQ(rt_evtchn_loopback(&a, &b), 0, "loopback channel");
	rt_port_clear_pending(b);
	struct evtchn_bind_vcpu bv = {.port = a, .vcpu = 1};
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_bind_vcpu, &bv), 0, "bind_vcpu(a, 1)");
	uint64_t sel0 = rt_shared_info()->vcpu_info[0].evtchn_pending_sel;
	CHECK_EQ(rt_evtchn_send(b), 0, "send");
	CHECK(rt_wait_until(vcpu1_got_it, 500), "vCPU1 sees evtchn_upcall_pending");
	CHECK(vcpu1_sel_seen >> (a / 64) & 1, "vCPU1's pending_sel had the port's word");
	CHECK(rt_port_pending(a), "port pending");
	CHECK_EQ(rt_shared_info()->vcpu_info[0].evtchn_pending_sel, sel0,
		 "vCPU0's pending_sel untouched");
}
