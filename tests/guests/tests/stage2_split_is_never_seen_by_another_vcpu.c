// SPDX-License-Identifier: Apache-2.0
/*
 * Giving back one page of a 2 MiB block of RAM makes the hypervisor split the block's
 * stage-2 entry into a table. Done right (break-before-make, Arm ARM D8.14.1), the block's
 * entry is invalid for a moment; a vCPU touching the block then takes a stage-2 fault that
 * the hypervisor must retry, not turn into an abort, and a hypercall whose buffer is there
 * must not fail with -EFAULT. vCPU1 reads and writes a word of block k, and has
 * xen_version(XENVER_extraversion) write into the block, over and over, while vCPU0 gives
 * back another page of block k (decrease_reservation), for BLOCKS blocks in the upper half of
 * RAM: vCPU1 must never fault, every call must succeed, and every value it wrote must be there.
 */
// smp: 2
#include "rt.h"

#define BLOCK  (2ul << 20)
#define BLOCKS 48
#define SPINS  200 /* vCPU1's rounds on a block before vCPU0 gives its page back */

static volatile uint64_t *volatile target;
static volatile uint64_t rounds;
static volatile bool stop;
static volatile unsigned failed_calls;

static void hammer(void *arg)
{
	(void)arg;
	while (!stop) {
		volatile uint64_t *p = target;
		if (p) {
			*p = *p + 1;
			if (hyp_xen_version(XENVER_extraversion, (void *)(p + 8)))
				failed_calls++;
		}
		__atomic_add_fetch(&rounds, 1, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&rounds, 0, __ATOMIC_SEQ_CST);
	for (;;)
		__asm__ volatile("wfi");
}

static bool some_rounds(void)
{
	return __atomic_load_n(&rounds, __ATOMIC_SEQ_CST) >= SPINS;
}

static bool hammer_stopped(void)
{
	return __atomic_load_n(&rounds, __ATOMIC_SEQ_CST) == 0;
}

static long give_back(uint64_t pa)
{
	xen_pfn_t gfn = pa >> 12;
	struct xen_memory_reservation r = {
	    .extent_start_gva = (uint64_t)&gfn, .nr_extents = 1, .domid = DOMID_SELF};

	return hyp_memory_op(XENMEM_decrease_reservation, &r);
}

void test_main(void)
{
	if (rt_plat.nr_cpus < 2)
		rt_skip("needs 2 vCPUs (-smp 2)");
	const struct rt_region *ram = &rt_plat.bank[0];
	uint64_t first = (ram->base + ram->size / 2 + BLOCK - 1) & ~(BLOCK - 1);
	if (rt_plat.nr_banks < 1 || first + BLOCKS * BLOCK > ram->base + ram->size ||
	    first < rt_plat.image_end)
		rt_skip("needs 96 MiB of RAM above the image in its first bank");
	REQUIRE_EQ(rt_cpu_on(1, hammer, NULL), 0, "CPU_ON(vcpu1)");
	unsigned given = 0;
	for (unsigned k = 0; k < BLOCKS; k++) {
		uint64_t block = first + k * BLOCK;
		volatile uint64_t *word = (volatile uint64_t *)(block + 64);
		*word = 0;
		__atomic_store_n(&rounds, 1, __ATOMIC_SEQ_CST);
		target = word;
		if (!rt_wait_until(some_rounds, 2000))
			rt_error("vCPU1 does not run");
		/* The last page of the block: never touched by either vCPU. */
		given += give_back(block + BLOCK - PAGE_SIZE) == 1;
		__atomic_store_n(&rounds, 1, __ATOMIC_SEQ_CST);
		if (!rt_wait_until(some_rounds, 2000))
			rt_error("vCPU1 stopped after the split");
		target = NULL;
		/* vCPU1's last increment of the word is done once it has gone round again. */
		__atomic_store_n(&rounds, 1, __ATOMIC_SEQ_CST);
		if (!rt_wait_until(some_rounds, 2000))
			rt_error("vCPU1 stopped");
		CHECK(*word >= 2 * SPINS - 4, "vCPU1's increments of the word all there");
	}
	stop = true;
	CHECK(rt_wait_until(hammer_stopped, 2000), "vCPU1 ran to the end without a fault");
	CHECK_EQ(given, BLOCKS, "pages given back, one per block");
	CHECK_EQ(failed_calls, 0, "xen_version calls with their buffer in a block being split");
}
