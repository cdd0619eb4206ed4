// SPDX-License-Identifier: Apache-2.0
/*
 * The canary: a quiet domain next to the fuzzer that checks, again and again, that nothing
 * the fuzzer does reaches it. It owns
 * - a 4 MiB buffer and two pages filled with a pattern, and its own code, all checksummed;
 * - grant entries: ref 1 grants page_ro to the fuzzer read-only, ref 2 grants page_other to a
 *   domain that does not exist, ref 3 grants page_rw to the fuzzer writable. Only the
 *   hypervisor's GTF_reading (1, 3) and GTF_writing (3) may change in them, and only
 *   page_rw's contents; every other entry of the frame must stay as it was;
 * - the two static channels to the fuzzer, which may carry events and may be closed or
 *   rebound by it (a port then turns unbound for the fuzzer, Xen's rule for a closed peer),
 *   and an unbound port for itself that nobody else may bind;
 * - its virtual timer, which must keep firing.
 */
#include "fuzz.h"

#define BUF_WORDS  (4u << 20) / 8
#define CHECK_MS   500
#define REPORT_MS  2000
#define TIMER_MS   20
#define VTIMER_PPI 27
#define REF_RO	   1
#define REF_OTHER  2
#define REF_RW	   3
#define NOBODY	   9 /* a domain id the scenario does not create */

static uint64_t buf[BUF_WORDS] PAGE_ALIGNED;
static uint64_t page_ro[512] PAGE_ALIGNED, page_other[512] PAGE_ALIGNED, page_rw[512] PAGE_ALIGNED;
static struct grant_entry_v1 gnt_before[GRANT_ENTRIES_V1_PER_FRAME];
static uint32_t own_port;
static uint64_t text_sum, checks, events, timer_fired, in_use;
extern char _head[];
extern const uint64_t __rela_start[];

static uint64_t pattern(const void *at)
{
	uint64_t z = (uint64_t)at * 0x9e3779b97f4a7c15ull;

	return z ^ (z >> 29) ^ 0xc0ffee;
}

static void fill(uint64_t *w, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		w[i] = pattern(&w[i]);
}

static uint64_t mismatches(const char *what, const uint64_t *w, uint64_t n)
{
	uint64_t bad = 0;

	for (uint64_t i = 0; i < n; i++) {
		if (w[i] == pattern(&w[i]))
			continue;
		if (!bad++)
			rt_fail(__FILE__, __LINE__, "%s changed at %p: %#lx instead of %#lx", what,
				(void *)&w[i], w[i], pattern(&w[i]));
	}
	return bad;
}

static uint64_t code_sum(void)
{
	uint64_t sum = 0;

	for (const uint64_t *p = (const uint64_t *)_head; p < __rela_start; p++)
		sum = (sum ^ *p) * 0x100000001b3ull;
	return sum;
}

static void setup(void)
{
	fill(buf, BUF_WORDS);
	fill(page_ro, 512);
	fill(page_other, 512);
	fill(page_rw, 512);
	text_sum = code_sum();
	rt_grant(REF_RO, rt_scn.peer, page_ro, GTF_permit_access | GTF_readonly);
	rt_grant(REF_OTHER, NOBODY, page_other, GTF_permit_access);
	rt_grant(REF_RW, rt_scn.peer, page_rw, GTF_permit_access);
	volatile struct grant_entry_v1 *g = rt_gnttab();
	for (unsigned i = 0; i < GRANT_ENTRIES_V1_PER_FRAME; i++)
		gnt_before[i] = (struct grant_entry_v1){g[i].flags, g[i].domid, g[i].frame};
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = rt_scn.self};
	REQUIRE_EQ(hyp_evtchn_op(EVTCHNOP_alloc_unbound, &au), 0, "an unbound port for ourself");
	own_port = au.port;
	rt_irq_enable_ppi(VTIMER_PPI);
	rt_printf("CANARY grants %u/%u/%u, own unbound port %u, static ports %u/%u\n", REF_RO,
		  REF_OTHER, REF_RW, own_port, rt_scn.port[0], rt_scn.port[1]);
}

static void check_grants(void)
{
	volatile struct grant_entry_v1 *g = rt_gnttab();

	for (unsigned i = 0; i < GRANT_ENTRIES_V1_PER_FRAME; i++) {
		uint16_t may = i == REF_RO   ? GTF_reading
			       : i == REF_RW ? GTF_reading | GTF_writing
					     : 0;
		uint16_t flags = g[i].flags;
		if (flags & may)
			in_use++; /* the fuzzer had the page mapped or was copying it */
		if ((flags & ~may) == gnt_before[i].flags && g[i].domid == gnt_before[i].domid &&
		    g[i].frame == gnt_before[i].frame)
			continue;
		rt_fail(__FILE__, __LINE__,
			"grant entry %u changed: flags %#x domid %u frame %#x, was %#x %u %#x", i,
			flags, g[i].domid, g[i].frame, gnt_before[i].flags, gnt_before[i].domid,
			gnt_before[i].frame);
	}
}

static void check_ports(void)
{
	struct evtchn_status st;

	for (unsigned k = 0; k < 2; k++) {
		uint32_t p = rt_scn.port[k];
		REQUIRE_EQ(rt_evtchn_status(p, &st), 0, "status of a static port");
		bool ok =
		    (st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == rt_scn.peer) ||
		    (st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == rt_scn.peer);
		if (!ok)
			rt_fail(__FILE__, __LINE__, "static port %u: state %u remote d%u", p,
				st.status, st.u.unbound.dom);
	}
	REQUIRE_EQ(rt_evtchn_status(own_port, &st), 0, "status of our own unbound port");
	if (st.status != EVTCHNSTAT_unbound || st.u.unbound.dom != rt_scn.self)
		rt_fail(__FILE__, __LINE__, "own port %u: state %u remote d%u", own_port, st.status,
			st.u.unbound.dom);
	for (uint32_t p = 0; p < 4096; p++) {
		if (!rt_event_take(p))
			continue;
		if (p == rt_scn.port[0] || p == rt_scn.port[1])
			events++;
		else
			rt_fail(__FILE__, __LINE__, "event on port %u, which nobody may signal", p);
	}
}

static void check_all(void)
{
	mismatches("buffer", buf, BUF_WORDS);
	mismatches("page granted read-only to the fuzzer", page_ro, 512);
	mismatches("page granted to nobody", page_other, 512);
	if (code_sum() != text_sum)
		rt_fail(__FILE__, __LINE__, "code checksum changed");
	check_grants();
	check_ports();
	checks++;
}

static volatile unsigned *const timer_count = &rt_irq_count[VTIMER_PPI];

/* Sleep one timer period in WFI; FAIL if the timer does not fire within a second. */
static void sleep_tick(void)
{
	unsigned before = *timer_count;
	uint64_t end = rt_cntvct() + rt_cntfrq();

	__asm__ volatile(
	    "msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(rt_cntfrq() / 1000 * TIMER_MS),
	    "r"(1ul));
	while (*timer_count == before) {
		if (rt_cntvct() >= end) {
			rt_fail(__FILE__, __LINE__, "the virtual timer did not fire in 1 s");
			return;
		}
		__asm__ volatile("wfi");
	}
	timer_fired++;
}

void canary_main(void)
{
	uint64_t ms = 30000;

	rt_arg_u64("canary_ms", &ms);
	setup();
	uint64_t hz = rt_cntfrq(), start = rt_cntvct();
	uint64_t end = start + hz / 1000 * ms, next_check = start, next_report = start;
	while (rt_cntvct() < end && rt_failures() < 20) {
		sleep_tick();
		uint64_t now = rt_cntvct();
		if (now >= next_check) {
			check_all();
			next_check = now + hz / 1000 * CHECK_MS;
		}
		if (now >= next_report) {
			rt_printf("CANARY %s checks=%lu events=%lu timer=%lu grants_in_use=%lu\n",
				  rt_failures() ? "BAD" : "ok", checks, events, timer_fired,
				  in_use);
			next_report = now + hz / 1000 * REPORT_MS;
		}
	}
	check_all();
	rt_printf("CANARY done %s checks=%lu events=%lu timer=%lu grants_in_use=%lu failures=%u\n",
		  rt_failures() ? "BAD" : "ok", checks, events, timer_fired, in_use, rt_failures());
}
