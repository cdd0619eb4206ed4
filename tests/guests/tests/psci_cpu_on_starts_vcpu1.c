// SPDX-License-Identifier: Apache-2.0
/*
 * With two vCPUs: AFFINITY_INFO reports vCPU0 on (0) and vCPU1 off (1); CPU_ON(vCPU1, entry,
 * context) returns 0 and vCPU1 starts at EL1 at the entry with x0 = context; it then reads
 * as on; a second CPU_ON of a running vCPU returns ALREADY_ON (-4); CPU_ON of an MPIDR that
 * matches no vCPU returns INVALID_PARAMETERS (-2).
 */
// smp: 2
#include "rt.h"

static volatile uint64_t started_mpidr;
static volatile uint64_t started_el;

static void on_vcpu1(void *arg)
{
	uint64_t el;

	(void)arg;
	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	started_el = el >> 2;
	__atomic_store_n(&started_mpidr, rt_mpidr() | 1ull << 63, __ATOMIC_SEQ_CST);
	for (;;)
		__asm__ volatile("wfi");
}

static bool vcpu1_ran(void)
{
	return __atomic_load_n(&started_mpidr, __ATOMIC_SEQ_CST) != 0;
}

void test_main(void)
{
	if (rt_plat.nr_cpus < 2)
		rt_skip("needs 2 vCPUs (-smp 2)");
	uint64_t mpidr1 = rt_plat.cpu_mpidr[1];
	CHECK_EQ(rt_smccc(PSCI_AFFINITY_INFO_64, rt_plat.cpu_mpidr[0], 0, 0), 0,
		 "AFFINITY_INFO(vcpu0)");
	CHECK_EQ(rt_smccc(PSCI_AFFINITY_INFO_64, mpidr1, 0, 0), 1, "AFFINITY_INFO(vcpu1) before");
	CHECK_EQ(rt_cpu_on(1, on_vcpu1, NULL), 0, "CPU_ON(vcpu1)");
	CHECK(rt_wait_until(vcpu1_ran, 2000), "vCPU1 runs the entry point");
	CHECK_EQ(started_mpidr & 0xff00ffffffull, mpidr1 & 0xff00ffffffull, "vCPU1's MPIDR");
	CHECK_EQ(started_el, 1, "vCPU1 starts at EL1");
	CHECK_EQ(rt_smccc(PSCI_AFFINITY_INFO_64, mpidr1, 0, 0), 0, "AFFINITY_INFO(vcpu1) after");
	CHECK_EQ((int64_t)rt_cpu_on(1, on_vcpu1, NULL), PSCI_RET_ALREADY_ON, "CPU_ON again");
	CHECK_EQ((int64_t)rt_smccc(PSCI_CPU_ON_64, 0xff, rt_plat.image_start, 0),
		 PSCI_RET_INVALID_PARAMS, "CPU_ON(MPIDR 0xff)");
}
