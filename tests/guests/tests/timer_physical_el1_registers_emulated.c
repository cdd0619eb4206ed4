// SPDX-License-Identifier: Apache-2.0
/*
 * The EL1 physical timer (CNTP_CTL_EL0, CNTP_CVAL_EL0, CNTP_TVAL_EL0) traps to Xen, which
 * emulates it for the guest: reads and writes work, nothing is UNDEF, and a timer armed
 * 2 ms ahead raises PPI 30 (the DT timer node's non-secure physical timer) with
 * CTL.ISTATUS set. Found by the hostile-guest fuzzer (docs/fuzzing.md), when Punt answered
 * all three registers with an UNDEF.
 */
#include "rt.h"

uint64_t cntp_ctl_read(void), cntp_cval_read(void), cntp_tval_read(void);
void cntp_ctl_write(uint64_t v), cntp_tval_write(uint64_t v);
extern char cntp_probes_start[], cntp_probes_end[];

__asm__(".text\n"
	".globl cntp_probes_start, cntp_probes_end\n"
	".globl cntp_ctl_read, cntp_cval_read, cntp_tval_read, cntp_ctl_write\n"
	"cntp_probes_start:\n"
	"cntp_ctl_read: mov x0, #-1\n mrs x0, cntp_ctl_el0\n ret\n"
	"cntp_cval_read: mov x0, #-1\n mrs x0, cntp_cval_el0\n ret\n"
	"cntp_tval_read: mov x0, #-1\n mrs x0, cntp_tval_el0\n ret\n"
	"cntp_ctl_write: msr cntp_ctl_el0, x0\n ret\n"
	".globl cntp_tval_write\n"
	"cntp_tval_write: msr cntp_tval_el0, x0\n ret\n"
	"cntp_probes_end:\n");

static unsigned undefs;

static bool fired(void)
{
	return rt_irq_count[30] > 0;
}

/* An UNDEF on one of the probes is the failure this test reports, not a crash. */
static bool catch_undef(uint64_t kind, uint64_t *frame, uint64_t esr, uint64_t far)
{
	(void)kind;
	(void)far;
	if (frame[31] < (uint64_t)cntp_probes_start || frame[31] >= (uint64_t)cntp_probes_end ||
	    esr >> 26 != 0)
		return false;
	undefs++;
	frame[31] += 4;
	return true;
}

void test_main(void)
{
	rt_fault_hook = catch_undef;

	cntp_ctl_write(0); /* disabled: no interrupt may follow */
	CHECK_EQ(undefs, 0, "UNDEFs writing CNTP_CTL_EL0");
	uint64_t ctl = cntp_ctl_read();
	CHECK_EQ(undefs, 0, "UNDEFs reading CNTP_CTL_EL0");
	CHECK_EQ(ctl & 1, 0, "CNTP_CTL_EL0.ENABLE after writing 0");
	cntp_cval_read();
	CHECK_EQ(undefs, 0, "UNDEFs reading CNTP_CVAL_EL0");
	cntp_tval_read();
	CHECK_EQ(undefs, 0, "UNDEFs reading CNTP_TVAL_EL0");

	uint64_t f = rt_cntfrq(), t0;
	rt_gic_init();
	rt_irq_enable_ppi(30);
	rt_irq_on();
	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(t0));
	cntp_tval_write(f / 500);
	cntp_ctl_write(1);
	CHECK_EQ(undefs, 0, "UNDEFs arming the physical timer");
	CHECK(rt_wait_until(fired, 500), "physical timer interrupt (PPI 30)");
	uint64_t t1;
	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(t1));
	CHECK(t1 - t0 >= f / 500, "not before the deadline");
	CHECK(cntp_ctl_read() & 4, "CNTP_CTL_EL0.ISTATUS once expired");
	cntp_ctl_write(0);
	rt_fault_hook = NULL;
}
