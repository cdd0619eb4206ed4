// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * Punt-only (Xen does not rebuild a dom0less domain that reboots): a domain with two vCPUs
 * reboots itself over and over while its second vCPU keeps trapping (hypercalls, PSCI
 * CPU_ON and AFFINITY_INFO of the vCPU going down, GIC MMIO, events to the canary, p2m
 * changes), next to a canary domain that checks its own memory and measures how long it was
 * kept off its CPU. Each boot the rebooting domain grants the canary a page, and the canary
 * keeps copying into it and mapping and unmapping it while the granter goes away under it:
 * copies and mappings must fail cleanly once the granter is dying, never reach its freed
 * memory. tests/system/test_domain_lifecycle.py boots it with the storm's length
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
/* The grant the rebooting domain gives the canary at every boot. */
#define STORM_REF 5

static uint8_t canary_mem[CANARY_PAGES * PAGE_SIZE] PAGE_ALIGNED;
static uint8_t spare_frame[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t granted_page[PAGE_SIZE] PAGE_ALIGNED;

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
	rt_grant(STORM_REF, (domid_t)need("rt.peer"), granted_page, GTF_permit_access);
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

/* What a grant operation on a granter that may be going away may answer. */
static bool fine_while_granter_goes(int16_t status)
{
	return status == GNTST_okay || status == GNTST_bad_domain || status == GNTST_bad_gntref ||
	       status == GNTST_general_error || status == GNTST_permission_denied;
}

static uint64_t grant_ok, grant_refused;

/* Copy into the rebooting domain's page, then map and unmap it: never touch the mapping. */
static void use_the_granters_page(domid_t granter)
{
	struct gnttab_copy copy = {
	    .source = {.u.gmfn = (uint64_t)spare_frame >> 12, .domid = DOMID_SELF},
	    .dest = {.u.ref = STORM_REF, .domid = granter},
	    .len = 64,
	    .flags = GNTCOPY_dest_gref,
	};
	uint64_t area = rt_foreign_area();
	struct gnttab_map_grant_ref map = {
	    .host_addr = area, .flags = GNTMAP_host_map, .ref = STORM_REF, .dom = granter};

	CHECK_EQ(hyp_grant_table_op(GNTTABOP_copy, &copy, 1), 0, "grant copy returns 0");
	CHECK(fine_while_granter_goes(copy.status), "grant copy status");
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_map_grant_ref, &map, 1), 0, "grant map returns 0");
	CHECK(fine_while_granter_goes(map.status), "grant map status");
	if (copy.status == GNTST_okay)
		grant_ok++;
	else
		grant_refused++;
	if (map.status != GNTST_okay)
		return;
	struct gnttab_unmap_grant_ref unmap = {.host_addr = area, .handle = map.handle};
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_unmap_grant_ref, &unmap, 1), 0, "unmap returns 0");
	/* A mapping revoked because the granter went away still unmaps cleanly. */
	CHECK_EQ(unmap.status, GNTST_okay, "unmap of our own handle");
}

static void canary(uint64_t end)
{
	uint64_t ticks_per_us = rt_cntfrq() / 1000000;
	uint64_t worst = 0, checks = 0, last, next_check, next_grant_use = 0;
	domid_t granter = (domid_t)need("rt.peer");

	for (uint64_t i = 0; i < sizeof(canary_mem); i++)
		canary_mem[i] = pattern(i);
	last = rt_cntvct();
	next_check = last;
	while (machine_ms() < end) {
		uint64_t now = rt_cntvct();
		if (now - last > worst)
			worst = now - last;
		last = now;
		if (now >= next_grant_use) {
			use_the_granters_page(granter);
			next_grant_use = rt_cntvct() + rt_cntfrq() / 500;
			last = rt_cntvct();
		}
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
	rt_printf("CANARY done checks=%lu worst_stall_us=%lu grant_ok=%lu grant_refused=%lu\n",
		  (unsigned long)checks, (unsigned long)(worst / ticks_per_us),
		  (unsigned long)grant_ok, (unsigned long)grant_refused);
	CHECK(checks > 0, "the canary ran its checks");
	CHECK(grant_ok > 0, "the canary reached the rebooting domain's grant");
}

void test_main(void)
{
	uint64_t storm_end = need("storm_until_ms");

	if (need("rt.index") == 0)
		rebooter(storm_end);
	else
		canary(storm_end + need("canary_extra_ms"));
}
