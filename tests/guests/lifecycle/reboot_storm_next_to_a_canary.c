// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * Punt-only (Xen does not rebuild a dom0less domain that reboots): a domain with two vCPUs
 * reboots itself over and over while its second vCPU keeps trapping (hypercalls, PSCI
 * CPU_ON and AFFINITY_INFO of the vCPU going down, GIC MMIO, events to the canary, p2m
 * changes), next to a canary domain that checks its own memory and measures how long it was
 * kept off its CPU. tests/system/test_domain_lifecycle.py boots it with the storm's length
 * in machine time (`storm_until_ms`, read from the physical counter, which a reboot does not
 * reset) and checks that Punt survives, gives every page back and lets the canary run.
 *
 * The rebooting domain (rt.index=0) needs 2 vCPUs (the test sets cpus = 2 on its node).
 */
#include "rt.h"

#define GICD_TYPER 0x4
/* The canary's working set, checked against a pattern. */
#define CANARY_PAGES	     64
#define PSCI_SYSTEM_RESET_FN 0x84000009u

static uint8_t canary_mem[CANARY_PAGES * PAGE_SIZE] PAGE_ALIGNED;
static uint8_t spare_frame[PAGE_SIZE] PAGE_ALIGNED;

/* Where a wrongly started vCPU0 would land: MMU off, so this runs at its physical address. */
void storm_parked(void);
__asm__(".pushsection .text\n"
	".global storm_parked\n"
	"storm_parked: wfe\n"
	"	b storm_parked\n"
	".popsection\n");

static uint64_t machine_ms(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
	return v / (rt_cntfrq() / 1000);
}

static uint64_t need(const char *key)
{
	uint64_t v;

	if (!rt_arg_u64(key, &v))
		rt_error("a boot argument is missing (storm_until_ms, canary_extra_ms, rt.index, "
			 "rt.port0)");
	return v;
}

/* ---- the rebooting domain ---- */

static volatile uint64_t hammer_ops;
static uint32_t canary_port; /* our end of the static channel to the canary */

static void hammer_once(uint64_t i)
{
	uint64_t vcpu0 = rt_plat.cpu_mpidr[0];
	volatile uint32_t *gicd = (volatile uint32_t *)rt_plat.gicd;
	struct vcpu_register_runstate_memory_area area = {.addr_gva = (uint64_t)spare_frame};
	struct xen_add_to_physmap xatp = {.domid = DOMID_SELF,
					  .space = XENMAPSPACE_grant_table,
					  .idx = 0,
					  .gpfn = rt_plat.gnttab.base >> 12};

	switch (i % 8) {
	case 0:
		hyp_xen_version(XENVER_version, NULL);
		break;
	case 1:
		/* vCPU0 is online until it goes down for the reboot: then this must not revive it.
		 */
		rt_smccc(PSCI_CPU_ON_64, vcpu0, (uint64_t)storm_parked, 0);
		break;
	case 2:
		(void)gicd[GICD_TYPER / 4];
		break;
	case 3:
		hyp_evtchn_op(EVTCHNOP_send, &(struct evtchn_send){.port = canary_port});
		break;
	case 4:
		rt_smccc(PSCI_AFFINITY_INFO_64, vcpu0, 0, 0);
		break;
	case 5:
		hyp_memory_op(XENMEM_add_to_physmap, &xatp);
		break;
	case 6:
		hyp_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area);
		break;
	default:
		hyp_sched_op(SCHEDOP_yield, NULL);
		break;
	}
}

static void hammer(void *arg)
{
	(void)arg;
	for (uint64_t i = 0;; i++) {
		hammer_once(i);
		hammer_ops = i + 1;
	}
}

static void rebooter(uint64_t storm_end)
{
	canary_port = (uint32_t)need("rt.port0");
	if (rt_cpu_on(1, hammer, NULL) != 0)
		rt_error("vCPU1 did not start (the rebooting domain needs cpus = 2)");
	/* Let the hammer get going, for a varying while: 0 to 4 ms of counter time. */
	uint64_t start = rt_cntvct();
	uint64_t wait = (rt_cntvct() % 5) * (rt_cntfrq() / 1000);
	while (rt_cntvct() - start < wait || !hammer_ops)
		;
	if (machine_ms() >= storm_end) {
		rt_printf("storm over: powering off\n");
		return; /* rt_finish: verdict, then power off */
	}
	if (machine_ms() & 1)
		hyp_sched_op(SCHEDOP_shutdown, &(struct sched_shutdown){.reason = SHUTDOWN_reboot});
	else
		rt_smccc(PSCI_SYSTEM_RESET_FN, 0, 0, 0);
	rt_error("still running after asking for a reboot");
}

/* ---- the canary ---- */

static uint8_t pattern(uint64_t at)
{
	return (uint8_t)((at >> 12) * 31 + (at & 0xfff) * 7);
}

static bool canary_mem_intact(void)
{
	for (uint64_t i = 0; i < sizeof(canary_mem); i += 61)
		if (canary_mem[i] != pattern(i))
			return false;
	return true;
}

static void canary(uint64_t end)
{
	uint64_t ticks_per_us = rt_cntfrq() / 1000000;
	uint64_t worst = 0, checks = 0, last, next_check;

	for (uint64_t i = 0; i < sizeof(canary_mem); i++)
		canary_mem[i] = pattern(i);
	last = rt_cntvct();
	next_check = last;
	while (machine_ms() < end) {
		uint64_t now = rt_cntvct();
		if (now - last > worst)
			worst = now - last;
		last = now;
		if (now >= next_check) {
			if (!canary_mem_intact()) {
				rt_printf("CANARY memory changed under us after %lu checks\n",
					  (unsigned long)checks);
				rt_fail(__FILE__, __LINE__, "canary memory intact");
				return;
			}
			checks++;
			next_check = rt_cntvct() + rt_cntfrq() / 10;
			last = rt_cntvct();
		}
	}
	rt_printf("CANARY done checks=%lu worst_stall_us=%lu\n", (unsigned long)checks,
		  (unsigned long)(worst / ticks_per_us));
	CHECK(checks > 0, "the canary ran its checks");
}

void test_main(void)
{
	uint64_t storm_end = need("storm_until_ms");

	if (need("rt.index") == 0)
		rebooter(storm_end);
	else
		canary(storm_end + need("canary_extra_ms"));
}
