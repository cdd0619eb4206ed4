// SPDX-License-Identifier: Apache-2.0
/*
 * vcpu_op with bad input (Xen on Arm's do_vcpu_op: vcpu_op(int cmd, unsigned int vcpuid,
 * void *arg), so the upper halves of x0 and x1 are ignored; only register_vcpu_info and
 * register_runstate_memory_area exist on Arm, every other command is -EINVAL). A vCPU's
 * vcpu_info may be registered by itself or, while it is offline, by another vCPU. Every
 * expected value is what Xen 4.17 returned to this guest (dom0 with two vCPUs).
 */
// smp: 2
#include "rt.h"

#define HIGH (1ull << 32)

static uint8_t info_page[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t runstate[64] __attribute__((aligned(64)));
static volatile bool vcpu1_up;
static volatile long vcpu1_result = 1;

static long vcpu_op(uint64_t cmd, uint64_t vcpu, void *arg)
{
	return rt_hypercall(HYPERVISOR_vcpu_op, cmd, vcpu, (uint64_t)arg, 0, 0);
}

static long register_info(unsigned vcpu, uint64_t gfn, uint32_t offset);

/* vCPU1 says it runs, waits until vCPU0 has tried, then registers its own vcpu_info. */
static void on_vcpu1(void *arg)
{
	(void)arg;
	__atomic_store_n(&vcpu1_up, true, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&vcpu1_result, __ATOMIC_SEQ_CST) == 1)
		;
	__atomic_store_n(&vcpu1_result, register_info(1, (uint64_t)info_page >> 12, 128),
			 __ATOMIC_SEQ_CST);
	for (;;)
		__asm__ volatile("wfi");
}

static bool vcpu1_done(void)
{
	return __atomic_load_n(&vcpu1_result, __ATOMIC_SEQ_CST) != 2;
}

static bool vcpu1_running(void)
{
	return __atomic_load_n(&vcpu1_up, __ATOMIC_SEQ_CST);
}

static void commands_and_ids(void)
{
	struct vcpu_register_runstate_memory_area area = {.addr_gva = (uint64_t)runstate};
	/* Commands Xen has but not on Arm: initialise, up, down, is_up, get_runstate_info,
	 * the timers, send_nmi, get_physid, register_vcpu_time_memory_area. */
	static const unsigned not_on_arm[] = {0, 1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13};
	static const char *const names[] = {"bad_initialise",
					    "bad_up",
					    "bad_down",
					    "bad_is_up",
					    "bad_get_runstate_info",
					    "bad_set_periodic_timer",
					    "bad_stop_periodic_timer",
					    "bad_set_singleshot_timer",
					    "bad_stop_singleshot_timer",
					    "bad_send_nmi",
					    "bad_get_physid",
					    "bad_register_vcpu_time_area"};
	uint8_t buf[64] = {0};

	PROBE("register_runstate", vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area), 0);
	PROBE("bad_vcpuid_upper_half",
	      vcpu_op(VCPUOP_register_runstate_memory_area, HIGH | 0, &area), 0);
	PROBE("bad_cmd_upper_half", vcpu_op(HIGH | VCPUOP_register_runstate_memory_area, 0, &area),
	      0);
	PROBE("bad_vcpuid_5", vcpu_op(VCPUOP_register_runstate_memory_area, 5, &area), -XEN_ENOENT);
	PROBE("bad_vcpuid_minus_1",
	      vcpu_op(VCPUOP_register_runstate_memory_area, 0xffffffffu, &area), -XEN_ENOENT);
	PROBE("bad_unknown_cmd", vcpu_op(99, 0, buf), -XEN_EINVAL);
	PROBE("bad_cmd_minus_1", vcpu_op(0xffffffffu, 0, buf), -XEN_EINVAL);
	for (unsigned i = 0; i < sizeof(not_on_arm) / sizeof(not_on_arm[0]); i++)
		PROBE(names[i], vcpu_op(not_on_arm[i], 0, buf), -XEN_EINVAL);
	PROBE("bad_register_runstate_bad_pointer",
	      vcpu_op(VCPUOP_register_runstate_memory_area, 0, (void *)RT_UNMAPPED_VA),
	      -XEN_EFAULT);
	/* Where the area lives is not checked: an unmapped one is simply never written. */
	area.addr_gva = RT_UNMAPPED_VA;
	PROBE("bad_register_runstate_unmapped_area",
	      vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area), 0);
	area.addr_gva = (uint64_t)runstate;
	vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area);
}

static long register_info(unsigned vcpu, uint64_t gfn, uint32_t offset)
{
	struct vcpu_register_vcpu_info r = {.mfn = gfn, .offset = offset};

	return vcpu_op(VCPUOP_register_vcpu_info, vcpu, &r);
}

static void vcpu_info(void)
{
	uint64_t gfn = (uint64_t)info_page >> 12;

	PROBE("bad_vcpu_info_bad_pointer",
	      vcpu_op(VCPUOP_register_vcpu_info, 0, (void *)RT_UNMAPPED_VA), -XEN_EFAULT);
	PROBE("bad_vcpu_info_offset_4096", register_info(0, gfn, 4096), -XEN_ENXIO);
	PROBE("bad_vcpu_info_offset_crosses_page", register_info(0, gfn, 4096 - 32), -XEN_ENXIO);
	PROBE("bad_vcpu_info_offset_misaligned", register_info(0, gfn, 4), -XEN_ENXIO);
	PROBE("bad_vcpu_info_hole", register_info(0, rt_foreign_area() >> 12, 0), -XEN_EINVAL);
	PROBE("bad_vcpu_info_beyond_ipa", register_info(0, 1ull << 40, 0), -XEN_EINVAL);
	PROBE("vcpu_info_self", register_info(0, gfn, 0), 0);
	PROBE("bad_vcpu_info_twice", register_info(0, gfn, 256), -XEN_EINVAL);
}

static void online_vcpu(void)
{
	struct vcpu_register_runstate_memory_area area = {.addr_gva = (uint64_t)runstate + 32};

	REQUIRE_EQ(rt_cpu_on(1, on_vcpu1, NULL), 0, "CPU_ON(vcpu1)");
	REQUIRE_EQ(rt_wait_until(vcpu1_running, 2000), true, "vCPU1 runs");
	/* vCPU1 is online now: only it may register its own vcpu_info. */
	PROBE("bad_vcpu_info_for_online_vcpu1", register_info(1, (uint64_t)info_page >> 12, 128),
	      -XEN_EINVAL);
	__atomic_store_n(&vcpu1_result, 2, __ATOMIC_SEQ_CST);
	REQUIRE_EQ(rt_wait_until(vcpu1_done, 2000), true, "vCPU1 registers");
	PROBE("vcpu_info_by_vcpu1_itself", vcpu1_result, 0);
	/* Another vCPU's runstate area may be registered at any time. */
	PROBE("register_runstate_of_online_vcpu1",
	      vcpu_op(VCPUOP_register_runstate_memory_area, 1, &area), 0);
}

void test_main(void)
{
	if (rt_plat.nr_cpus < 2)
		rt_skip("needs 2 vCPUs (-smp 2)");
	commands_and_ids();
	vcpu_info();
	online_vcpu();
}
