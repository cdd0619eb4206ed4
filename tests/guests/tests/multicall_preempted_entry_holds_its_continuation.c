// SPDX-License-Identifier: Apache-2.0
/*
 * The guest-visible trace of a preempted multicall entry (Xen 4.17 common/multicall.c and
 * grant_table.c): a GNTTABOP_copy batch of 4096 page copies runs as one multicall entry, and
 * the guest's virtual timer fires 1 ms into it (the batch takes several) with the guest's
 * interrupts unmasked, so the batch is preempted to let the interrupt in. Each time, the entry is
 * written back with the continuation's arguments (cmd, the handle moved past the elements done, the
 * count left) and the multicall resumes at it. Afterwards: the call and the entry's result are 0,
 * every copy's status is okay, args[0] is still GNTTABOP_copy, and args[1]/args[2] describe a tail
 * of the batch (args[1] = start + (4096 - args[2]) * 40 with 0 < args[2] < 4096), while the entry
 * after it (no preemption inside) keeps its arguments.
 *
 * The timer runs on the host's clock under TCG: on a loaded host QEMU may lose its CPU between
 * arming the timer and the hypercall, and the interrupt is then taken before the call. Such an
 * attempt shows nothing about preemption and is made again (at most ATTEMPTS times); the
 * counter is read in the instruction before the hvc to tell the two apart.
 */
#include "rt.h"

#define COUNT	 4096
#define REF	 8u
#define ATTEMPTS 10

static uint8_t src_page[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t dst_page[PAGE_SIZE] PAGE_ALIGNED;
static struct gnttab_copy ops[COUNT];

static struct multicall_entry mc[2];

static void prepare(void)
{
	for (unsigned i = 0; i < COUNT; i++)
		ops[i] = (struct gnttab_copy){
		    .source = {.u.ref = REF, .domid = DOMID_SELF},
		    .dest = {.u.gmfn = (uint64_t)dst_page >> 12, .domid = DOMID_SELF},
		    .len = PAGE_SIZE,
		    .flags = GNTCOPY_source_gref,
		    .status = 1,
		};
	mc[0] = (struct multicall_entry){.op = HYPERVISOR_grant_table_op,
					 .result = 0x5555,
					 .args = {GNTTABOP_copy, (uint64_t)ops, COUNT, 0, 0, 0}};
	mc[1] = (struct multicall_entry){
	    .op = HYPERVISOR_xen_version, .result = 0x5555, .args = {XENVER_pagesize, 0, 7}};
	rt_irq_count[27] = 0;
}

/* Arm the timer 1 ms ahead and issue the multicall; *at_call is the counter just before hvc. */
static long multicall_with_timer(uint64_t *at_call)
{
	register uint64_t x0 __asm__("x0") = (uint64_t)mc;
	register uint64_t x1 __asm__("x1") = 2;
	register uint64_t x16 __asm__("x16") = HYPERVISOR_multicall;
	uint64_t t;

	__asm__ volatile(
	    "msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(rt_cntfrq() / 1000), "r"(1ul));
	__asm__ volatile("mrs %[t], cntvct_el0\n\thvc #0xea1"
			 : [t] "=&r"(t), "+r"(x0), "+r"(x1), "+r"(x16)
			 :
			 : "x2", "x3", "x4", "x5", "memory");
	*at_call = t;
	return (long)x0;
}

void test_main(void)
{
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		src_page[i] = (uint8_t)(i * 3 + 5);
	rt_grant(REF, 0, src_page, GTF_permit_access); /* we boot as dom0: domain id 0 */
	rt_gic_init();
	rt_irq_enable_ppi(27);
	rt_irq_on();

	long rc = 0;
	uint64_t at_call = 0, took = 0;
	unsigned attempt;
	for (attempt = 1; attempt <= ATTEMPTS; attempt++) {
		prepare();
		/* The runtime's handler masks the timer when it takes the interrupt: it fires once.
		 */
		rc = multicall_with_timer(&at_call);
		took = rt_cntvct() - at_call;
		if (rt_irq_count[27] == 1 && rt_irq_entry_ticks >= at_call)
			break;
		rt_printf("attempt %u: the timer fired before the call (%u interrupt(s)), again\n",
			  attempt, rt_irq_count[27]);
	}
	rt_printf("multicall took %lu ticks, %u timer interrupt(s), attempt %u\n", took,
		  rt_irq_count[27], attempt);
	CHECK_EQ(rc, 0, "multicall");
	if (rt_irq_count[27] != 1 || rt_irq_entry_ticks < at_call ||
	    rt_irq_entry_ticks > at_call + took)
		rt_error("the timer did not fire once during the multicall");
	CHECK_EQ(mc[0].result, 0, "entry 0 result");
	unsigned wrong = 0;
	for (unsigned i = 0; i < COUNT; i++)
		wrong += ops[i].status != GNTST_okay;
	CHECK_EQ(wrong, 0, "copies whose status is not okay");
	CHECK_EQ(mc[0].args[0], GNTTABOP_copy, "entry 0 args[0]: the command");
	uint64_t left = mc[0].args[2];
	CHECK(left > 0 && left < COUNT, "entry 0 args[2]: the count left at the last preemption");
	CHECK_EQ(mc[0].args[1], (uint64_t)ops + (COUNT - left) * sizeof(struct gnttab_copy),
		 "entry 0 args[1]: the handle past the copies done");
	CHECK_EQ(mc[1].result, 4096, "entry 1 result");
	CHECK_EQ(mc[1].args[1], 0, "entry 1 args[1] kept");
	CHECK_EQ(mc[1].args[2], 7, "entry 1 args[2] kept");
}
