// SPDX-License-Identifier: Apache-2.0
/*
 * Plain round robin, Punt's first scheduler, kept as the smallest choice:
 * each CPU runs its runnable units in turn, one slice each. Weights and caps
 * are ignored; hard affinity only decides where a vCPU starts, and units
 * never move between CPUs.
 */
#include <punt/format.h>
#include <punt/sched_policy.h>

const char sched_policy_name[] = "round robin";

void sched_set_runnable(struct runq *rq, struct sched_unit *u, bool runnable, uint64_t now)
{
	(void)now;
	if (u->runnable == runnable)
		return;
	u->runnable = runnable;
	u->yielded = false;
	if (runnable)
		rq->nr_runnable++;
	else
		rq->nr_runnable--;
}

void sched_charge(struct runq *rq, uint64_t now)
{
	struct sched_unit *u = rq->curr;

	if (!u || now <= u->run_start)
		return;
	u->runtime_ns += now - u->run_start;
	u->run_start = now;
}

/* The next runnable unit after the running one in queue order, wrapping. */
struct sched_unit *sched_pick(struct runq *rq, uint64_t now, uint64_t slice_ns, uint64_t *until)
{
	struct sched_unit *first = NULL, *next = NULL;
	bool passed = rq->curr == NULL;

	for (struct sched_unit *u = rq->head; u; u = u->next) {
		if (u->runnable && !first)
			first = u;
		if (u->runnable && passed && !next)
			next = u;
		if (u == rq->curr)
			passed = true;
	}
	if (!next)
		next = first;
	*until = next && rq->nr_runnable > 1 ? now + slice_ns : 0;
	return next;
}

uint64_t sched_turn_end(const struct runq *rq, const struct sched_unit *u, uint64_t now,
			uint64_t slice_ns)
{
	(void)u;
	return rq->nr_runnable > 1 ? now + slice_ns : 0;
}

bool sched_wake_preempts(const struct runq *rq, const struct sched_unit *u, uint64_t now)
{
	(void)u;
	(void)now;
	return rq->curr == NULL;
}

bool sched_out_of_budget(struct sched_unit *u, uint64_t now)
{
	(void)u;
	(void)now;
	return false;
}

unsigned sched_place(const struct sched_unit *u, struct runq *const *rqs, unsigned nr)
{
	(void)rqs;
	(void)nr;
	return u->cpu;
}

unsigned sched_busiest(struct runq *const *rqs, unsigned nr, unsigned idle_cpu)
{
	(void)rqs;
	(void)idle_cpu;
	return nr;
}

struct sched_unit *sched_steal_candidate(const struct runq *src, unsigned dst_cpu, uint64_t now)
{
	(void)src;
	(void)dst_cpu;
	(void)now;
	return NULL;
}

void sched_migrate(struct runq *src, struct runq *dst, struct sched_unit *u)
{
	runq_remove(src, u);
	runq_add(dst, u);
}

int sched_describe(const struct sched_unit *u, char *buf, unsigned size)
{
	return fmt_snprintf(buf, size, "ran %lu ms", u->runtime_ns / 1000000);
}
