// SPDX-License-Identifier: Apache-2.0
/*
 * The canary: a quiet domain next to the two hostile ones that checks, again and again,
 * that nothing they do reaches it, and how long it was kept off its CPU. It owns
 * - a 4 MiB buffer and two read-only-granted pages filled with a pattern, and its own code,
 *   all checksummed;
 * - grant entries: for each hostile domain a read-only page (refs 1 and 4) and a writable
 *   page (3 and 5); ref 2 grants a page to a domain that does not exist. Only the
 *   hypervisor's GTF_reading and GTF_writing may change in them, and only the writable
 *   pages' contents; every other entry of the frame must stay as it was;
 * - for each hostile domain a static channel (bound at boot, unbound for that domain when it
 *   reboots, bound again when it is back) and an unbound port it may bind, send on and
 *   lose when it reboots: each must stay unbound for that domain or bound to it; and an
 *   unbound port for itself that nobody else may bind. Events may arrive only on the first
 *   four;
 * - its virtual timer, which must keep firing;
 * - its CPU time: it spins reading the counter and notes the longest gap (the time it was
 *   runnable but not running), and sleeps on its timer and notes how late it woke. Either
 *   over `stall_ms` fails the run; the worst of each is in every progress line.
 */
#include "fuzz.h"

#define BUF_WORDS     (4u << 20) / 8
#define CHECK_MS      500
#define REPORT_MS     2000
#define SPIN_MS	      20
#define TIMER_MS      5
#define STALL_NOTE_MS 50 /* a new worst stall this long gets a line of its own */
#define VTIMER_PPI    27
#define REF_RO_A      1
#define REF_OTHER     2
#define REF_RW_A      3
#define REF_RO_B      4
#define REF_RW_B      5
#define NOBODY	      9 /* a domain id the scenario does not create */

static uint64_t buf[BUF_WORDS] PAGE_ALIGNED;
static uint64_t page_ro[2][512] PAGE_ALIGNED, page_other[512] PAGE_ALIGNED;
static uint64_t page_rw[2][512] PAGE_ALIGNED;
static struct grant_entry_v1 gnt_before[GRANT_ENTRIES_V1_PER_FRAME];
static domid_t hostile[2];
static uint32_t their_port[4], own_port; /* static a, static b, unbound a, unbound b */
static uint64_t text_sum, checks, events, ticks, in_use;
static uint64_t hz_ms, stall_bound, worst_gap, worst_late;
extern char _head[];
extern const uint64_t __rela_start[];

static uint64_t cntpct(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

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
	/* Linker symbols bound the code: compare them as addresses, not as C objects. */
	uint64_t sum = 0, end = (uint64_t)__rela_start;

	for (uint64_t at = (uint64_t)_head; at < end; at += 8)
		sum = (sum ^ *(const uint64_t *)at) * 0x100000001b3ull;
	return sum;
}

/*
 * A hostile domain may be between two boots when the canary starts (its first boot can end in
 * a reboot within a few milliseconds): then it does not exist, and alloc_unbound naming it is
 * -ESRCH, on Xen 4.17 as on Punt. Wait for it to be rebuilt, for at most UNBOUND_WAIT_MS.
 */
#define UNBOUND_WAIT_MS 5000

static uint32_t unbound_port_for(domid_t remote)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = remote};
	uint64_t end = rt_cntvct() + rt_cntfrq() / 1000 * UNBOUND_WAIT_MS;
	long rc;

	while ((rc = hyp_evtchn_op(EVTCHNOP_alloc_unbound, &au)) == -XEN_ESRCH && rt_cntvct() < end)
		hyp_sched_op(SCHEDOP_yield, NULL);
	REQUIRE_EQ(rc, 0, "an unbound port");
	return au.port;
}

static uint16_t may_change(unsigned ref)
{
	switch (ref) {
	case REF_RO_A:
	case REF_RO_B:
		return GTF_reading;
	case REF_RW_A:
	case REF_RW_B:
		return GTF_reading | GTF_writing;
	default:
		return 0;
	}
}

static void setup(void)
{
	uint64_t a = 0, b = 0, pa = 0, pb = 0;

	if (!rt_arg_u64("hostile_a", &a) || !rt_arg_u64("hostile_b", &b) ||
	    !rt_arg_u64("port_a", &pa) || !rt_arg_u64("port_b", &pb))
		rt_error("the canary needs hostile_a/b= and port_a/b= (tests/guests/fuzz.py)");
	hostile[0] = (domid_t)a;
	hostile[1] = (domid_t)b;
	their_port[0] = (uint32_t)pa;
	their_port[1] = (uint32_t)pb;
	fill(buf, BUF_WORDS);
	fill(page_ro[0], 512);
	fill(page_ro[1], 512);
	fill(page_other, 512);
	fill(page_rw[0], 512);
	fill(page_rw[1], 512);
	text_sum = code_sum();
	rt_grant(REF_RO_A, hostile[0], page_ro[0], GTF_permit_access | GTF_readonly);
	rt_grant(REF_OTHER, NOBODY, page_other, GTF_permit_access);
	rt_grant(REF_RW_A, hostile[0], page_rw[0], GTF_permit_access);
	rt_grant(REF_RO_B, hostile[1], page_ro[1], GTF_permit_access | GTF_readonly);
	rt_grant(REF_RW_B, hostile[1], page_rw[1], GTF_permit_access);
	volatile struct grant_entry_v1 *g = rt_gnttab();
	/* Without the in-use bits: a hostile domain may be using a grant already. */
	for (unsigned i = 0; i < GRANT_ENTRIES_V1_PER_FRAME; i++)
		gnt_before[i] = (struct grant_entry_v1){(uint16_t)(g[i].flags & ~may_change(i)),
							g[i].domid, g[i].frame};
	their_port[2] = unbound_port_for(hostile[0]);
	their_port[3] = unbound_port_for(hostile[1]);
	own_port = unbound_port_for(rt_scn.self);
	rt_irq_enable_ppi(VTIMER_PPI);
	rt_printf("CANARY grants d%u %u/%u d%u %u/%u nobody %u, ports d%u %u+%u d%u %u+%u own %u, "
		  "stall bound %lu ms\n",
		  hostile[0], REF_RO_A, REF_RW_A, hostile[1], REF_RO_B, REF_RW_B, REF_OTHER,
		  hostile[0], their_port[0], their_port[2], hostile[1], their_port[1],
		  their_port[3], own_port, stall_bound / hz_ms);
}

static void check_grants(void)
{
	volatile struct grant_entry_v1 *g = rt_gnttab();

	for (unsigned i = 0; i < GRANT_ENTRIES_V1_PER_FRAME; i++) {
		uint16_t may = may_change(i), flags = g[i].flags;
		if (flags & may)
			in_use++; /* a hostile domain had the page mapped or was copying it */
		if ((flags & ~may) == gnt_before[i].flags && g[i].domid == gnt_before[i].domid &&
		    g[i].frame == gnt_before[i].frame)
			continue;
		rt_fail(__FILE__, __LINE__,
			"grant entry %u changed: flags %#x domid %u frame %#x, was %#x %u %#x", i,
			flags, g[i].domid, g[i].frame, gnt_before[i].flags, gnt_before[i].domid,
			gnt_before[i].frame);
	}
}

static void check_port(uint32_t p, domid_t remote)
{
	struct evtchn_status st;

	REQUIRE_EQ(rt_evtchn_status(p, &st), 0, "status of a port of ours");
	bool ok = (st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == remote) ||
		  (st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == remote &&
		   remote != rt_scn.self);
	if (!ok)
		rt_fail(__FILE__, __LINE__, "port %u (for d%u): state %u remote d%u", p, remote,
			st.status, st.u.unbound.dom);
}

static void check_ports(void)
{
	for (unsigned i = 0; i < 4; i++)
		check_port(their_port[i], hostile[i & 1]);
	check_port(own_port, rt_scn.self);
	for (uint32_t p = 0; p < 4096; p++) {
		if (!rt_event_take(p))
			continue;
		if (p == their_port[0] || p == their_port[1] || p == their_port[2] ||
		    p == their_port[3])
			events++;
		else
			rt_fail(__FILE__, __LINE__, "event on port %u, which nobody may signal", p);
	}
}

static void check_all(void)
{
	mismatches("buffer", buf, BUF_WORDS);
	mismatches("page granted read-only", page_ro[0], 512);
	mismatches("page granted read-only", page_ro[1], 512);
	mismatches("page granted to nobody", page_other, 512);
	if (code_sum() != text_sum)
		rt_fail(__FILE__, __LINE__, "code checksum changed");
	check_grants();
	check_ports();
	checks++;
}

static void note_stall(uint64_t *worst, uint64_t t, const char *what)
{
	if (t <= *worst)
		return;
	*worst = t;
	/* When: to line it up with what the hypervisor printed around it. */
	if (t >= STALL_NOTE_MS * hz_ms)
		rt_printf("CANARY stall: %s for %lu ms, at machine time %lu ms\n", what, t / hz_ms,
			  cntpct() / hz_ms);
	if (t > stall_bound)
		rt_fail(__FILE__, __LINE__, "%s for %lu ms (bound %lu ms)", what, t / hz_ms,
			stall_bound / hz_ms);
}

/* Runnable all along: the longest gap between two counter reads is time spent elsewhere. */
static void spin(void)
{
	uint64_t start = rt_cntvct(), prev = start, gap = 0;

	for (uint64_t now = start; now - start < SPIN_MS * hz_ms; now = rt_cntvct()) {
		if (now - prev > gap)
			gap = now - prev;
		prev = now;
	}
	note_stall(&worst_gap, gap, "kept off its CPU while runnable");
}

static volatile unsigned *const timer_count = &rt_irq_count[VTIMER_PPI];

/*
 * Sleep in WFI until the timer fires; note how late its interrupt was taken. IRQs are masked
 * between the check and the WFI (a pending interrupt still ends a WFI): taken in between, the
 * interrupt would leave the WFI nothing to wake it.
 */
static void sleep_tick(void)
{
	unsigned before = *timer_count;
	uint64_t due = rt_cntvct() + TIMER_MS * hz_ms, give_up = due + 1000 * hz_ms;

	rt_irq_off();
	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(due), "r"(1ul));
	while (*timer_count == before) {
		if (rt_cntvct() >= give_up) {
			rt_irq_on();
			rt_fail(__FILE__, __LINE__, "the virtual timer did not fire in 1 s");
			return;
		}
		__asm__ volatile("wfi");
		rt_irq_on(); /* take whatever ended the WFI */
		rt_irq_off();
	}
	rt_irq_on();
	uint64_t at = rt_irq_entry_ticks;
	note_stall(&worst_late, at > due ? at - due : 0, "its timer interrupt came late");
	ticks++;
}

static void report(const char *what)
{
	rt_printf("CANARY %s checks=%lu events=%lu ticks=%lu grants_in_use=%lu stall_ms=%lu "
		  "timer_late_ms=%lu failures=%u\n",
		  what, checks, events, ticks, in_use, worst_gap / hz_ms, worst_late / hz_ms,
		  rt_failures());
}

void canary_main(void)
{
	uint64_t end_ms = 30000, bound_ms = 2000;

	rt_scenario_init();
	rt_arg_u64("end_ms", &end_ms);
	rt_arg_u64("stall_ms", &bound_ms);
	hz_ms = rt_cntfrq() / 1000;
	stall_bound = bound_ms * hz_ms;
	setup();
	/* From its creation (fuzzer_main): never before the hostile domains end. */
	uint64_t end = end_ms * hz_ms + cntpct() - rt_cntvct(), next_check = 0, next_report = 0;
	while (cntpct() < end && rt_failures() < 20) {
		spin();
		sleep_tick();
		uint64_t now = rt_cntvct();
		if (now >= next_check) {
			check_all();
			next_check = now + CHECK_MS * hz_ms;
		}
		if (now >= next_report) {
			report(rt_failures() ? "BAD" : "ok");
			next_report = now + REPORT_MS * hz_ms;
		}
	}
	check_all();
	report(rt_failures() ? "done BAD" : "done ok");
}
