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
 */
#include "rt.h"

#define COUNT 4096
#define REF   8u

static uint8_t src_page[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t dst_page[PAGE_SIZE] PAGE_ALIGNED;
static struct gnttab_copy ops[COUNT];

void test_main(void)
{
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		src_page[i] = (uint8_t)(i * 3 + 5);
	rt_grant(REF, 0, src_page, GTF_permit_access); /* we boot as dom0: domain id 0 */
	for (unsigned i = 0; i < COUNT; i++)
		ops[i] = (struct gnttab_copy){
		    .source = {.u.ref = REF, .domid = DOMID_SELF},
		    .dest = {.u.gmfn = (uint64_t)dst_page >> 12, .domid = DOMID_SELF},
		    .len = PAGE_SIZE,
		    .flags = GNTCOPY_source_gref,
		    .status = 1,
		};
	struct multicall_entry mc[2] = {
	    {.op = HYPERVISOR_grant_table_op,
	     .result = 0x5555,
	     .args = {GNTTABOP_copy, (uint64_t)ops, COUNT, 0, 0, 0}},
	    {.op = HYPERVISOR_xen_version, .result = 0x5555, .args = {XENVER_pagesize, 0, 7}},
	};

	rt_gic_init();
	rt_irq_enable_ppi(27);
	rt_irq_on();
	/* The runtime's handler masks the timer when it takes the interrupt: it fires once. */
	uint64_t t0 = rt_cntvct();
	__asm__ volatile(
	    "msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(rt_cntfrq() / 1000), "r"(1ul));
	long rc = rt_hypercall(HYPERVISOR_multicall, (uint64_t)mc, 2, 0, 0, 0);
	uint64_t took = rt_cntvct() - t0;
	rt_printf("multicall took %lu ticks, %u timer interrupt(s)\n", took, rt_irq_count[27]);
	CHECK_EQ(rc, 0, "multicall");
	if (rt_irq_count[27] != 1 || rt_irq_entry_ticks < t0 || rt_irq_entry_ticks > t0 + took)
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
