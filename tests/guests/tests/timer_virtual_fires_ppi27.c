// SPDX-License-Identifier: Apache-2.0
/*
 * The guest's generic timer: CNTFRQ_EL0 is set, CNTVCT_EL0 advances, and a virtual timer
 * programmed 2 ms ahead raises PPI 27 (the DT timer node's virtual timer) through the vGIC.
 */
#include "rt.h"

static bool fired(void)
{
	return rt_irq_count[27] > 0;
}

void test_main(void)
{
	uint64_t f = rt_cntfrq(), t0 = rt_cntvct();

	CHECK(f != 0, "CNTFRQ_EL0 is set");
	rt_delay_ms(1);
	CHECK(rt_cntvct() > t0, "CNTVCT_EL0 advances");
	rt_gic_init();
	rt_irq_enable_ppi(27);
	__asm__ volatile("msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(f / 500),
			 "r"(1ul));
	rt_irq_on();
	CHECK(rt_wait_until(fired, 500), "virtual timer interrupt (PPI 27)");
	CHECK(rt_cntvct() - t0 >= f / 500, "not before the deadline");
}
