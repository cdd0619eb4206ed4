// SPDX-License-Identifier: Apache-2.0
/*
 * The scheduler interface: the decisions a scheduling policy makes, kept
 * apart from the mechanism in sched.c (locks, timers, context switches,
 * runstate accounting) so that a policy is plain C that runs on the host
 * under the unit tests. Kconfig chooses one implementation of this file's
 * functions: sched_vtime.c (weighted fair, the default) or sched_rr.c.
 *
 * A sched_unit is one vCPU as the policy sees it; a runq is one physical
 * CPU's queue, holding every unit assigned to that CPU, runnable or not.
 * All functions that take a runq expect the caller to hold that queue's
 * lock: sched.c hands them only the queue of a struct runq_locked (the host
 * tests run on one thread and need none). The two that read other queues to
 * choose a CPU (sched_place, sched_busiest) accept a stale view: a wrong
 * guess costs a little balance, never correctness.
 */
#ifndef PUNT_SCHED_POLICY_H
#define PUNT_SCHED_POLICY_H

#include <punt/cpumask.h>
#include <stdbool.h>
#include <stdint.h>

#define SCHED_DEFAULT_WEIGHT   256
#define SCHED_MAX_WEIGHT       65535
#define SCHED_MAX_CAP	       (100 * CONFIG_NR_CPUS) /* percent of one CPU */
#define SCHED_CAP_PERIOD_NS    10000000UL	      /* budgets are given back every 10 ms */
#define SCHED_DEFAULT_SLICE_MS 10
#define SCHED_MAX_SLICE_MS     1000

/* A domain's share: every vCPU of the domain gets `weight` (as Xen's credit2). */
struct sched_dom {
	unsigned weight; /* 1 to SCHED_MAX_WEIGHT */
	unsigned cap;	 /* percent of one CPU for the whole domain, 0 = no cap */
	cpumask_t affinity;
	/* Cap state, shared by the domain's vCPUs on all CPUs (atomics). */
	int64_t budget_ns;
	uint64_t budget_period; /* index of the period the budget belongs to */
};

struct sched_unit {
	struct sched_unit *next; /* in its runq */
	struct sched_dom *dom;
	unsigned cpu;	       /* the runq it is on */
	bool runnable;	       /* wants a CPU (running or waiting) */
	bool yielded;	       /* step aside once for the others */
	bool loaded;	       /* registers on a CPU: cannot move to another */
	uint64_t vtime;	       /* ns run, scaled by SCHED_DEFAULT_WEIGHT / weight */
	uint64_t run_start;    /* when it last started running or was charged */
	uint64_t on_cpu_since; /* when it was last made its queue's running unit */
	uint64_t runtime_ns;   /* total, for the debug key */
};

struct runq {
	unsigned cpu;
	struct sched_unit *head;
	struct sched_unit *curr; /* chosen to run on this CPU, or NULL (idle) */
	unsigned nr_runnable;	 /* including curr */
	uint64_t min_vtime;	 /* never goes back: where waking units start */
};

/* Set up a domain's parameters; weight and cap must be in range. */
void sched_dom_init(struct sched_dom *sd, unsigned weight, unsigned cap, const cpumask_t *affinity);
/* Checks for configuration: NULL if good, else what is wrong. */
const char *sched_check_weight(uint64_t weight);
const char *sched_check_cap(uint64_t cap, unsigned nr_cpus);

void runq_init(struct runq *rq, unsigned cpu);
void runq_add(struct runq *rq, struct sched_unit *u);
void runq_remove(struct runq *rq, struct sched_unit *u);

/*
 * u became runnable (true) or stopped wanting a CPU (blocked, offline) at
 * `now`; rq->curr is charged up to now first.
 */
void sched_set_runnable(struct runq *rq, struct sched_unit *u, bool runnable, uint64_t now);
/* Account the time rq->curr ran since it was chosen or last charged. */
void sched_charge(struct runq *rq, uint64_t now);
/*
 * The unit to run next (rq->curr is charged first by the caller), or NULL
 * when nothing may run. *until is when to decide again: the end of the slice
 * or of the domain's budget, the next budget period when every runnable unit
 * is out of budget, or 0 for never.
 */
struct sched_unit *sched_pick(struct runq *rq, uint64_t now, uint64_t slice_ns, uint64_t *until);
/* Make u (NULL: nothing) the running unit from `now`. */
void sched_set_curr(struct runq *rq, struct sched_unit *u, uint64_t now);
/*
 * When u's turn on rq should end so that the next in line runs (0: nobody
 * else may run); at most slice_ns from now. sched_pick() sets *until from it.
 */
uint64_t sched_turn_end(const struct runq *rq, const struct sched_unit *u, uint64_t now,
			uint64_t slice_ns);
/* Whether u, just woken on rq, should take the CPU from rq->curr now. */
bool sched_wake_preempts(const struct runq *rq, const struct sched_unit *u, uint64_t now);
/* Whether a running unit must stop now: its domain is out of budget. */
bool sched_out_of_budget(struct sched_unit *u, uint64_t now);

/* Where a waking unit should wait: an idle CPU it may use, else where it is. */
unsigned sched_place(const struct sched_unit *u, struct runq *const *rqs, unsigned nr);
/* The queue an idle CPU should pull from, or nr when none has work to spare for it. */
unsigned sched_busiest(struct runq *const *rqs, unsigned nr, unsigned idle_cpu);
/* A waiting unit of src that may run on dst_cpu, best first; NULL if none. */
struct sched_unit *sched_steal_candidate(const struct runq *src, unsigned dst_cpu, uint64_t now);
/* Move u between queues (both locked). */
void sched_migrate(struct runq *src, struct runq *dst, struct sched_unit *u);

/* The policy's name and a one-line view of a unit, for the debug key. */
extern const char sched_policy_name[];
int sched_describe(const struct sched_unit *u, char *buf, unsigned size);

#endif
