// SPDX-License-Identifier: Apache-2.0
/* Run queue plumbing shared by every policy (sched_policy.h). */
#include <punt/sched_policy.h>

void sched_dom_init(struct sched_dom *sd, unsigned weight, unsigned cap, const cpumask_t *affinity)
{
	sd->weight = weight;
	sd->cap = cap;
	sd->affinity = *affinity;
	sd->budget_ns = 0;
	sd->budget_period = ~0UL; /* the first look fills the budget */
}

const char *sched_check_weight(uint64_t weight)
{
	if (weight < 1 || weight > SCHED_MAX_WEIGHT)
		return "weight must be 1 to 65535";
	return NULL;
}

const char *sched_check_cap(uint64_t cap, unsigned nr_cpus)
{
	/* A cap above what the machine has would mean "no cap" in a confusing way. */
	if (cap > 100UL * nr_cpus)
		return "cap must be 0 (none) to 100 times the number of CPUs";
	return NULL;
}

void runq_init(struct runq *rq, unsigned cpu)
{
	*rq = (struct runq){.cpu = cpu};
}

void runq_add(struct runq *rq, struct sched_unit *u)
{
	struct sched_unit **p = &rq->head;

	/* At the tail: equal units are then tried in the order they arrived. */
	while (*p)
		p = &(*p)->next;
	u->next = NULL;
	*p = u;
	u->cpu = rq->cpu;
	if (u->runnable)
		rq->nr_runnable++;
}

void runq_remove(struct runq *rq, struct sched_unit *u)
{
	for (struct sched_unit **p = &rq->head; *p; p = &(*p)->next) {
		if (*p != u)
			continue;
		*p = u->next;
		u->next = NULL;
		if (u->runnable)
			rq->nr_runnable--;
		if (rq->curr == u)
			rq->curr = NULL;
		return;
	}
}

void sched_set_curr(struct runq *rq, struct sched_unit *u, uint64_t now)
{
	rq->curr = u;
	if (u) {
		u->run_start = now;
		u->on_cpu_since = now;
	}
}
