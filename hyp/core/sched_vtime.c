// SPDX-License-Identifier: Apache-2.0
/*
 * Weighted fair scheduling by virtual time (docs/design/hypervisor.md,
 * "Scheduler"). Each unit's virtual time grows by the real time it runs
 * divided by its weight; each CPU runs its runnable unit with the least
 * virtual time. Over any stretch where units stay runnable, their real run
 * times therefore end up in the ratio of their weights, within one slice.
 * A unit that sleeps keeps its virtual time, but wakes no further back than
 * a little behind the queue's minimum, so sleeping earns no hoard of CPU.
 * Caps are a per-domain budget of run time per 10 ms period, shared by the
 * domain's vCPUs on all CPUs; a domain out of budget is not picked until
 * the next period.
 */
#include <punt/format.h>
#include <punt/sched_policy.h>

/* How far behind the queue's minimum a waking unit may start: half a default slice. */
#define WAKE_CREDIT_NS (SCHED_DEFAULT_SLICE_MS * 1000000UL / 2)
/* A waking unit preempts only when it is this much behind the running one. */
#define WAKE_GRANULARITY_NS 1000000UL
/*
 * ...and only once the running one has had the CPU this long (Xen's credit2 has the same
 * rule, sched_ratelimit_us, default 1 ms). Without it a guest that notifies dom0 line by
 * line (its PV console) is switched out at every notification: dom0's xenconsoled then
 * counts one event per line, reaches its 30-events-per-200-ms allowance and stops reading
 * that guest until the period ends, while the guest spins on its full ring. With it the
 * guest's notifications within a turn coalesce into one pending event.
 * docs/design/hypervisor.md, "Scheduler".
 */
#define WAKE_RATELIMIT_NS 1000000UL
/*
 * With others waiting, a unit's turn lasts until it is this much virtual time
 * ahead of the next in line, so equals take turns of about twice this; one
 * that is behind catches up in one turn of at most the slice. Short turns are
 * for SMP guests sharing a CPU: a vCPU spinning on a lock that a preempted
 * sibling holds wastes the rest of its turn (Linux's cpu_relax() loops never
 * trap, and WFE does not trap under QEMU). Two 2-vCPU Linux guests on one CPU
 * reached init after 5.1 s of guest time with whole 10 ms slices, 2.1 s with
 * 0.5 ms here, 2.0 s with 0.25 ms and 1.9 s with 0.1 ms (Xen 4.17: 2.0-2.2 s);
 * each switch costs about 1,400 instructions, 0.5% of a CPU at 0.25 ms.
 */
#define TURN_LEAD_NS 250000UL
#define MIN_TURN_NS  250000UL

const char sched_policy_name[] = "vtime (weighted fair, caps, affinity)";

static uint64_t scaled(const struct sched_unit *u, uint64_t ns)
{
	return ns * SCHED_DEFAULT_WEIGHT / u->dom->weight;
}

static uint64_t period_of(uint64_t now)
{
	return now / SCHED_CAP_PERIOD_NS;
}

static int64_t quota_ns(const struct sched_dom *sd)
{
	return (int64_t)(SCHED_CAP_PERIOD_NS / 100 * sd->cap);
}

/* Start a new period's budget; an overdraft is paid back from it. */
static void budget_refresh(struct sched_dom *sd, uint64_t now)
{
	uint64_t period = period_of(now);
	uint64_t seen = __atomic_load_n(&sd->budget_period, __ATOMIC_ACQUIRE);

	if (seen == period || !__atomic_compare_exchange_n(&sd->budget_period, &seen, period, false,
							   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	int64_t old = __atomic_load_n(&sd->budget_ns, __ATOMIC_RELAXED);
	/* Repay up to a whole period: timer latency can overrun a small budget several times. */
	int64_t debt = old < 0 ? old : 0, max_debt = (int64_t)SCHED_CAP_PERIOD_NS + quota_ns(sd);
	if (debt < -max_debt)
		debt = -max_debt;
	__atomic_add_fetch(&sd->budget_ns, quota_ns(sd) + debt - old, __ATOMIC_RELAXED);
}

static bool has_budget(struct sched_dom *sd, uint64_t now)
{
	if (!sd->cap)
		return true;
	budget_refresh(sd, now);
	return __atomic_load_n(&sd->budget_ns, __ATOMIC_RELAXED) > 0;
}

/* Same question without refreshing: a budget from a past period counts as full. */
static bool budget_left(const struct sched_dom *sd, uint64_t now)
{
	if (!sd->cap || __atomic_load_n(&sd->budget_period, __ATOMIC_ACQUIRE) != period_of(now))
		return true;
	return __atomic_load_n(&sd->budget_ns, __ATOMIC_RELAXED) > 0;
}

static void advance_min_vtime(struct runq *rq);

void sched_set_runnable(struct runq *rq, struct sched_unit *u, bool runnable, uint64_t now)
{
	if (u->runnable == runnable)
		return;
	u->yielded = false;
	if (!runnable) {
		u->runnable = false;
		rq->nr_runnable--;
		return;
	}
	/* The queue's minimum must include what the running unit has used so far. */
	sched_charge(rq, now);
	advance_min_vtime(rq);
	u->runnable = true;
	rq->nr_runnable++;
	uint64_t floor = rq->min_vtime > WAKE_CREDIT_NS ? rq->min_vtime - WAKE_CREDIT_NS : 0;
	if (u->vtime < floor)
		u->vtime = floor;
}

void sched_charge(struct runq *rq, uint64_t now)
{
	struct sched_unit *u = rq->curr;

	if (!u || now <= u->run_start)
		return;
	uint64_t ran = now - u->run_start;
	u->vtime += scaled(u, ran);
	u->runtime_ns += ran;
	u->run_start = now;
	if (u->dom->cap)
		__atomic_sub_fetch(&u->dom->budget_ns, (int64_t)ran, __ATOMIC_RELAXED);
}

static void advance_min_vtime(struct runq *rq)
{
	bool any = false;
	uint64_t min = 0;

	for (struct sched_unit *u = rq->head; u; u = u->next) {
		if (u->runnable && (!any || u->vtime < min)) {
			min = u->vtime;
			any = true;
		}
	}
	if (any && min > rq->min_vtime)
		rq->min_vtime = min;
}

static uint64_t min_nonzero(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	return b && b < a ? b : a;
}

/* Lowest virtual time wins; a unit that yielded goes only when no other can. */
static bool better(const struct sched_unit *a, const struct sched_unit *best)
{
	if (!best)
		return true;
	if (a->yielded != best->yielded)
		return !a->yielded;
	return a->vtime < best->vtime;
}

struct sched_unit *sched_pick(struct runq *rq, uint64_t now, uint64_t slice_ns, uint64_t *until)
{
	struct sched_unit *best = NULL;
	bool parked = false;

	advance_min_vtime(rq);
	for (struct sched_unit *u = rq->head; u; u = u->next) {
		if (!u->runnable)
			continue;
		if (!has_budget(u->dom, now)) {
			parked = true;
			continue;
		}
		if (better(u, best))
			best = u;
	}
	if (rq->curr)
		rq->curr->yielded = false;
	*until = parked ? (period_of(now) + 1) * SCHED_CAP_PERIOD_NS : 0;
	if (!best)
		return NULL;
	if (rq->nr_runnable > 1)
		*until = min_nonzero(*until, sched_turn_end(rq, best, now, slice_ns));
	if (best->dom->cap) {
		int64_t left = __atomic_load_n(&best->dom->budget_ns, __ATOMIC_RELAXED);
		*until = min_nonzero(*until, now + (left > 0 ? (uint64_t)left : 1));
	}
	return best;
}

uint64_t sched_turn_end(const struct runq *rq, const struct sched_unit *u, uint64_t now,
			uint64_t slice_ns)
{
	const struct sched_unit *next = NULL;

	for (const struct sched_unit *o = rq->head; o; o = o->next)
		if (o != u && o->runnable && budget_left(o->dom, now) && better(o, next))
			next = o;
	if (!next)
		return 0;
	uint64_t lead = next->vtime > u->vtime ? next->vtime - u->vtime : 0;
	if (lead > slice_ns)
		lead = slice_ns; /* the turn is at most a slice anyway; keeps the product small */
	uint64_t turn = (lead + TURN_LEAD_NS) * u->dom->weight / SCHED_DEFAULT_WEIGHT;
	if (turn < MIN_TURN_NS)
		turn = MIN_TURN_NS;
	return now + (turn < slice_ns ? turn : slice_ns);
}

bool sched_wake_preempts(const struct runq *rq, const struct sched_unit *u, uint64_t now)
{
	const struct sched_unit *c = rq->curr;

	if (!c)
		return true;
	if (c == u)
		return false;
	if (now < c->on_cpu_since + WAKE_RATELIMIT_NS)
		return false;
	uint64_t c_vtime = c->vtime + (now > c->run_start ? scaled(c, now - c->run_start) : 0);
	return u->vtime + WAKE_GRANULARITY_NS < c_vtime;
}

bool sched_out_of_budget(struct sched_unit *u, uint64_t now)
{
	return !has_budget(u->dom, now);
}

static bool idle(const struct runq *rq)
{
	return !__atomic_load_n(&rq->curr, __ATOMIC_RELAXED) &&
	       !__atomic_load_n(&rq->nr_runnable, __ATOMIC_RELAXED);
}

unsigned sched_place(const struct sched_unit *u, struct runq *const *rqs, unsigned nr)
{
	const cpumask_t *aff = &u->dom->affinity;
	bool home_ok = cpumask_test(aff, u->cpu);

	/* Its registers are still on its CPU, or that CPU is free: stay (warm caches). */
	if (u->loaded || (home_ok && idle(rqs[u->cpu])))
		return u->cpu;
	for (unsigned i = 1; i <= nr; i++) {
		unsigned c = (u->cpu + i) % nr;
		if (cpumask_test(aff, c) && idle(rqs[c]))
			return c;
	}
	if (home_ok)
		return u->cpu;
	unsigned best = nr;
	for (unsigned c = 0; c < nr; c++) {
		if (cpumask_test(aff, c) &&
		    (best == nr || rqs[c]->nr_runnable < rqs[best]->nr_runnable))
			best = c;
	}
	return best == nr ? u->cpu : best;
}

/* Units that wait for this CPU: runnable but not the one running. */
static unsigned waiting(const struct runq *rq)
{
	unsigned n = __atomic_load_n(&rq->nr_runnable, __ATOMIC_RELAXED);
	bool busy = __atomic_load_n(&rq->curr, __ATOMIC_RELAXED) != NULL;

	return busy && n ? n - 1 : n;
}

unsigned sched_busiest(struct runq *const *rqs, unsigned nr, unsigned idle_cpu)
{
	unsigned best = nr, most = 0;

	for (unsigned c = 0; c < nr; c++) {
		unsigned w = c == idle_cpu ? 0 : waiting(rqs[c]);
		if (w > most) {
			most = w;
			best = c;
		}
	}
	return best;
}

struct sched_unit *sched_steal_candidate(const struct runq *src, unsigned dst_cpu, uint64_t now)
{
	struct sched_unit *best = NULL;

	for (struct sched_unit *u = src->head; u; u = u->next) {
		if (!u->runnable || u == src->curr || u->loaded ||
		    !cpumask_test(&u->dom->affinity, dst_cpu) || !budget_left(u->dom, now))
			continue;
		if (!best || u->vtime < best->vtime)
			best = u;
	}
	return best;
}

void sched_migrate(struct runq *src, struct runq *dst, struct sched_unit *u)
{
	/* Keep its place relative to each queue's minimum: queues' clocks differ. */
	int64_t rel = (int64_t)(u->vtime - src->min_vtime);

	runq_remove(src, u);
	if (rel < -(int64_t)WAKE_CREDIT_NS)
		rel = -(int64_t)WAKE_CREDIT_NS;
	u->vtime = rel < 0 && (uint64_t)-rel > dst->min_vtime ? 0 : dst->min_vtime + (uint64_t)rel;
	runq_add(dst, u);
}

int sched_describe(const struct sched_unit *u, char *buf, unsigned size)
{
	return fmt_snprintf(buf, size, "weight %u cap %u%% vtime %lu.%03lu ms ran %lu ms",
			    u->dom->weight, u->dom->cap, u->vtime / 1000000, u->vtime / 1000 % 1000,
			    u->runtime_ns / 1000000);
}
