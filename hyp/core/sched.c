// SPDX-License-Identifier: Apache-2.0
/*
 * The scheduler's mechanism: per-CPU run queues with their own locks, the
 * pass every CPU makes before entering a guest, context switches, the slice
 * timer, idle CPUs pulling work, and runstate accounting. The decisions
 * (who runs, for how long, where a waking vCPU goes) belong to the policy
 * behind punt/sched_policy.h.
 *
 * The vCPU that ran last stays loaded while its CPU idles, so a lone vCPU
 * that blocks and wakes (the common case for dom0, one vCPU per CPU) costs
 * no state switch; a loaded vCPU never moves to another CPU. Wake-ups never
 * race with blocking: a vCPU first marks itself blocked, then looks for
 * pending interrupts again, while injectors first mark the interrupt
 * pending, then wake.
 *
 * Locking (the order is in punt/sched.h): a function that needs a queue's
 * lock held takes a struct runq_locked, which only the lock_*() functions
 * below make and unlock_runq() ends. A vCPU's queue lock is found through
 * v->sched.cpu, which only changes under both queues' locks, so lock_vcpu()
 * retries until it holds the right one.
 */
#include <public/errno.h>
#include <public/vm_assist.h>
#include <punt/arch/cpu.h>
#include <punt/arch/guest_access.h>
#include <punt/arch/irq.h>
#include <punt/arch/timer.h>
#include <punt/arch/vcpu.h>
#include <punt/bootargs.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/debug_keys.h>
#include <punt/domain.h>
#include <punt/event_channel.h>
#include <punt/panic.h>
#include <punt/sched.h>

struct cpu_sched {
	spinlock_t lock;
	struct runq rq;
	bool need_resched;
	uint64_t until; /* when the policy wants to decide again (ns), 0 never */
	/* The current vCPU's emulated-timer deadline the CPU timer was last armed with. */
	uint64_t armed_ptimer;
	/* The count the CPU timer was last armed for by this CPU's pass (0: none). */
	uint64_t armed;
};

static struct cpu_sched cpu_sched[CONFIG_NR_CPUS];
static struct runq *runqs[CONFIG_NR_CPUS];
static uint64_t slice_ns = SCHED_DEFAULT_SLICE_MS * 1000000UL;

/*
 * Proof that the caller holds c->lock (as punt/domain.h's struct domain_locked):
 * one pointer, passed by value. The policy's functions take the struct runq
 * inside it, which they may only be given from here.
 */
struct runq_locked {
	struct cpu_sched *c;
};

/* Two different queues' locks, taken in CPU order. */
struct runq_pair_locked {
	struct runq_locked a, b;
};

/* The queue whose lock q proves held; checked with CONFIG_DEBUG_LOCKS (as locked_domain()). */
static inline struct cpu_sched *locked_queue(struct runq_locked q)
{
#ifdef CONFIG_DEBUG_LOCKS
	BUG_ON(!q.c || !spin_is_locked(&q.c->lock));
#endif
	return q.c;
}

static struct runq_locked lock_runq(struct cpu_sched *c)
{
	spin_lock(&c->lock);
	return (struct runq_locked){c};
}

/* Takes c's lock if it is free: true and *q set if it did. */
static bool trylock_runq(struct cpu_sched *c, struct runq_locked *q)
{
	if (!spin_trylock(&c->lock))
		return false;
	*q = (struct runq_locked){c};
	return true;
}

static void unlock_runq(struct runq_locked *q)
{
	spin_unlock(&q->c->lock);
	q->c = NULL;
}

/* Work for the pass before guest entry on q's CPU (the rule: struct pcpu's `work`). */
static void queue_work(struct runq_locked q, unsigned bits)
{
	cpu_work_set(locked_queue(q)->rq.cpu, bits);
}

/* q's CPU must decide again before it enters a guest. */
static void request_resched(struct runq_locked q)
{
	locked_queue(q)->need_resched = true;
	queue_work(q, CPU_WORK_SCHED);
}

/*
 * How many CPUs take part, read once per decision: the boot CPU counts each
 * secondary in while the secondaries already schedule, and a policy answers
 * "none" with the count it was given. Mixing an old count with a new one
 * once made an idle secondary pick its own queue as the one to pull from.
 */
static unsigned cpus_scheduling(void)
{
	return __atomic_load_n(&nr_pcpus, __ATOMIC_ACQUIRE);
}

static struct vcpu *vcpu_of(struct sched_unit *u)
{
	return u ? (struct vcpu *)((char *)u - __builtin_offsetof(struct vcpu, sched)) : NULL;
}

void sched_init_cpu(void)
{
	unsigned id = this_cpu_id();

	cpu_sched[id].lock = (spinlock_t)SPINLOCK_INIT;
	runq_init(&cpu_sched[id].rq, id);
	runqs[id] = &cpu_sched[id].rq;
	/* Its first pass, into the first guest, decides. */
	cpu_work_set(id, CPU_WORK_SCHED);
}

void sched_configure(const char *cmdline)
{
	const char *val;
	size_t len;
	uint64_t ms;

	if (bootargs_get(cmdline, "sched_slice_ms", &val, &len)) {
		if (val && !parse_decimal(val, len, &ms) && ms >= 1 && ms <= SCHED_MAX_SLICE_MS)
			slice_ns = ms * 1000000UL;
		else
			printk("sched_slice_ms=%.*s is not 1 to %u: using %lu ms\n",
			       val ? (int)len : 0, val ? val : "", SCHED_MAX_SLICE_MS,
			       slice_ns / 1000000);
	}
	printk("Scheduler: %s, slice %lu ms\n", sched_policy_name, slice_ns / 1000000);
}

int sched_domain_check(uint64_t weight, uint64_t cap, const cpumask_t *affinity, char *err,
		       size_t errlen)
{
	const char *why = sched_check_weight(weight);
	cpumask_t aff = *affinity;

	if (why) {
		fmt_snprintf(err, errlen, "weight = %lu: %s", weight, why);
		return -1;
	}
	if ((why = sched_check_cap(cap, nr_pcpus))) {
		fmt_snprintf(err, errlen, "cap = %lu: %s", cap, why);
		return -1;
	}
	for (unsigned c = nr_pcpus; c < CONFIG_NR_CPUS; c++) {
		if (cpumask_test(&aff, c)) {
			fmt_snprintf(err, errlen, "affinity names CPU %u, but there are only %u", c,
				     nr_pcpus);
			return -1;
		}
	}
	if (!cpumask_weight(&aff, nr_pcpus)) {
		fmt_snprintf(err, errlen, "affinity names no CPU");
		return -1;
	}
	return 0;
}

void sched_domain_apply(struct domain *d, uint64_t weight, uint64_t cap, const cpumask_t *affinity)
{
	sched_dom_init(&d->sched, (unsigned)weight, (unsigned)cap, affinity);
}

/* The queue v is on, locked. */
static struct runq_locked lock_vcpu(struct vcpu *v)
{
	for (;;) {
		unsigned c = __atomic_load_n(&v->sched.cpu, __ATOMIC_ACQUIRE);
		struct runq_locked q = lock_runq(&cpu_sched[c]);
		if (v->sched.cpu == c)
			return q;
		unlock_runq(&q);
	}
}

/* ---- runstate (Xen's vcpu_runstate_info) ---------------------------------- */

/* v is on q's queue. */
static int runstate_of(struct runq_locked q, const struct vcpu *v)
{
	const struct cpu_sched *c = locked_queue(q);

#ifdef CONFIG_DEBUG_LOCKS
	BUG_ON(v->sched.cpu != c->rq.cpu);
#endif
	switch (v->state) {
	case VCPU_RUNNABLE:
		return c->rq.curr == &v->sched ? RUNSTATE_running : RUNSTATE_runnable;
	case VCPU_BLOCKED:
		return RUNSTATE_blocked;
	default:
		return RUNSTATE_offline;
	}
}

/* After anything that may change the runstate of v, on q's queue. */
static void runstate_update(struct runq_locked q, struct vcpu *v, uint64_t now)
{
	struct vcpu_runstate_info *r = &v->runstate;
	int state = runstate_of(q, v);

	if (state == r->state)
		return;
	if (now > r->state_entry_time)
		r->time[r->state] += now - r->state_entry_time;
	r->state = state;
	r->state_entry_time = now;
	v->runstate_dirty = true;
	queue_work(q, CPU_WORK_RUNSTATE);
}

/*
 * Copy v's runstate to its registered area. Only for the vCPU loaded on
 * this CPU: the address is a guest virtual one, translated through the
 * guest's own page tables. With the runstate update assist, the guest sees
 * XEN_RUNSTATE_UPDATE in state_entry_time while the copy is in progress.
 */
static void runstate_publish(struct vcpu *v)
{
	struct vcpu_runstate_info snap;
	uint64_t gva = v->runstate_gva;

	if (!gva || !__atomic_load_n(&v->runstate_dirty, __ATOMIC_RELAXED))
		return;
	struct runq_locked q = lock_vcpu(v);
	snap = v->runstate;
	v->runstate_dirty = false;
	unlock_runq(&q);

	bool flag = v->domain->vm_assist & (1u << VMASST_TYPE_runstate_update_flag);
	uint64_t entry = snap.state_entry_time;
	if (flag) {
		snap.state_entry_time |= XEN_RUNSTATE_UPDATE;
		copy_to_guest(gva + __builtin_offsetof(struct vcpu_runstate_info, state_entry_time),
			      &snap.state_entry_time, sizeof(uint64_t));
		__atomic_thread_fence(__ATOMIC_RELEASE);
	}
	copy_to_guest(gva, &snap, sizeof(snap));
	if (flag) {
		__atomic_thread_fence(__ATOMIC_RELEASE);
		copy_to_guest(gva + __builtin_offsetof(struct vcpu_runstate_info, state_entry_time),
			      &entry, sizeof(uint64_t));
	}
}

void sched_register_runstate(struct vcpu *v, uint64_t gva)
{
	struct runq_locked q = lock_vcpu(v);

	v->runstate_gva = gva;
	v->runstate_dirty = true;
	queue_work(q, CPU_WORK_RUNSTATE);
	unlock_runq(&q);
	if (v == current_vcpu())
		runstate_publish(v);
}

void sched_runstate(struct vcpu *v, struct vcpu_runstate_info *out)
{
	struct runq_locked q = lock_vcpu(v);
	uint64_t now = arch_now_ns();

	*out = v->runstate;
	if (now > out->state_entry_time)
		out->time[out->state] += now - out->state_entry_time;
	unlock_runq(&q);
}

/* ---- state changes ---------------------------------------------------------- */

/*
 * The one place a vCPU's run state changes, under its queue lock. A vCPU of a
 * dying domain never becomes runnable (blocking needs it runnable first): domain_shutdown() sets
 * d->dying before it takes each queue lock to take the vCPUs offline, so whoever takes the lock
 * after that sees the flag, and nothing (CPU_ON, a wake-up, a timer) can make
 * the vCPU runnable again. The reaper relies on it (sched_retire_vcpu()). A vCPU of a paused
 * domain waits as VCPU_PAUSED instead: the pauser raises the counter before it takes each queue
 * lock (vcpu_pause_changed()), so either this sees the counter or the pauser sees the state.
 * Returns whether v is runnable now.
 */
static inline __attribute__((always_inline)) bool set_state(struct runq_locked q, struct vcpu *v,
							    enum vcpu_run_state s, uint64_t now)
{
	if (s == VCPU_RUNNABLE && __atomic_load_n(&v->domain->dying, __ATOMIC_ACQUIRE))
		return v->state == VCPU_RUNNABLE;
	if (s == VCPU_RUNNABLE && domain_paused(v->domain))
		s = VCPU_PAUSED;
	v->state = s;
	sched_set_runnable(&locked_queue(q)->rq, &v->sched, s == VCPU_RUNNABLE, now);
	queue_work(q, CPU_WORK_SCHED);
	runstate_update(q, v, now);
	return s == VCPU_RUNNABLE;
}

/* v is neither running nor loaded. */
static void move(struct runq_locked from, struct runq_locked to, struct vcpu *v)
{
	struct runq *dst = &locked_queue(to)->rq;

	sched_migrate(&locked_queue(from)->rq, dst, &v->sched);
	__atomic_store_n(&v->pcpu, dst->cpu, __ATOMIC_RELEASE);
	queue_work(to, CPU_WORK_SCHED | (v->runstate_dirty ? CPU_WORK_RUNSTATE : 0));
}

/*
 * A vCPU that just became runnable on q's queue goes where the policy says, if
 * that queue's lock can be had without breaking the lock order (CPU order, or
 * a trylock). Takes q; returns the queue it is on, locked.
 */
static struct runq_locked place(struct runq_locked q, struct vcpu *v)
{
	struct cpu_sched *c = locked_queue(q);
	unsigned nr = cpus_scheduling();

	/* Nowhere else to go: one CPU, or v's registers are still on this one. */
	if (nr == 1 || v->sched.loaded || c->rq.curr == &v->sched)
		return q;
	unsigned target = sched_place(&v->sched, runqs, nr);
	struct runq_locked t;

	if (target == c->rq.cpu || target >= nr)
		return q;
	if (target > c->rq.cpu)
		t = lock_runq(&cpu_sched[target]);
	else if (!trylock_runq(&cpu_sched[target], &t))
		return q;
	move(q, t, v);
	unlock_runq(&q);
	return t;
}

/*
 * A vCPU woke on this CPU's queue without preempting the running one, which had the CPU to
 * itself (no turn end): the running vCPU's turn starts now. Its end is decided here, as
 * choose() would decide it, and the CPU timer armed for it if that is sooner than what it is
 * armed for, so the pass before entry finds nothing to decide (nothing_to_decide()) and goes
 * straight back into the guest. The waker of an event channel pair saves a scheduler pass
 * this way (docs/design/hypervisor.md, "Scheduler").
 */
static void start_turn(struct runq_locked q, uint64_t now)
{
	struct cpu_sched *c = locked_queue(q);
	const struct sched_unit *cur = c->rq.curr;

	if (c->rq.cpu != this_cpu_id() || !cur || !cur->runnable || c->need_resched || c->until ||
	    c->rq.nr_runnable <= 1)
		return;
	c->until = sched_turn_end(&c->rq, cur, now, slice_ns);
	if (!c->until)
		return;
	uint64_t count = arch_ns_to_count(c->until);
	if (!c->armed || count < c->armed) {
		c->armed = count;
		arch_timer_set_deadline(count);
	}
}

/* v became runnable on q's queue: find it a CPU, and make that CPU look. Takes q and unlocks. */
static void made_runnable(struct runq_locked q, struct vcpu *v, uint64_t now)
{
	q = place(q, v);
	struct cpu_sched *c = locked_queue(q);
	if (sched_wake_preempts(&c->rq, &v->sched, now))
		request_resched(q);
	else
		start_turn(q, now);
	unsigned cpu = c->rq.cpu;
	unlock_runq(&q);
	/*
	 * Even without preemption that CPU re-arms its slice timer for the newcomer: its work
	 * bit is set_state()'s, or move()'s if place() moved v.
	 */
	arch_cpu_kick(cpu);
}

void sched_add_vcpu(struct vcpu *v, unsigned pcpu)
{
	struct domain *d = v->domain;
	unsigned cpu = pcpu;

	if (!cpumask_test(&d->sched.affinity, cpu) || cpu >= nr_pcpus)
		cpu = cpumask_nth(&d->sched.affinity, pcpu, nr_pcpus);
	if (cpu >= nr_pcpus)
		cpu = 0;
	v->sched = (struct sched_unit){.dom = &d->sched, .cpu = cpu};
	v->pcpu = cpu;
	v->runstate.state_entry_time = arch_now_ns();
	struct runq_locked q = lock_runq(&cpu_sched[cpu]);
	runq_add(&locked_queue(q)->rq, &v->sched);
	unlock_runq(&q);
}

bool sched_retire_vcpu(struct vcpu *v)
{
	struct runq_locked q = lock_vcpu(v);
	/* domain_shutdown() takes the vCPUs offline just after queueing the domain. */
	bool done =
	    v->state == VCPU_OFFLINE && !__atomic_load_n(&v->sched.loaded, __ATOMIC_ACQUIRE);

	/*
	 * Offline for good (set_state) and not loaded: no CPU can pick it any more,
	 * and once off the queue no CPU can even see it.
	 */
	if (done && !v->retired) {
		runq_remove(&locked_queue(q)->rq, &v->sched);
		v->retired = true;
	}
	unlock_runq(&q);
	return done;
}

void vcpu_irq_work(struct vcpu *v)
{
	cpu_work_set(__atomic_load_n(&v->pcpu, __ATOMIC_ACQUIRE), CPU_WORK_IRQ);
}

void vcpu_kick(struct vcpu *v)
{
	vcpu_irq_work(v);
	arch_cpu_kick(__atomic_load_n(&v->pcpu, __ATOMIC_ACQUIRE));
}

void vcpu_wake(struct vcpu *v)
{
	struct runq_locked q = lock_vcpu(v);

	if (v->state != VCPU_BLOCKED) {
		unlock_runq(&q);
		return;
	}
	uint64_t now = arch_now_ns();
	v->wake_deadline = 0;
	if (set_state(q, v, VCPU_RUNNABLE, now))
		made_runnable(q, v, now);
	else
		unlock_runq(&q);
}

int vcpu_power_on(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	struct runq_locked q = lock_vcpu(v);
	uint64_t now = arch_now_ns();

	if (v->domain->dying || v->state != VCPU_OFFLINE) {
		int rc = v->domain->dying ? -XEN_ESRCH : -XEN_EEXIST;
		unlock_runq(&q);
		return rc;
	}
	/*
	 * The registers are reset by the CPU that loads it next (take_pending_start()):
	 * it may still be loaded on another CPU, which saves its old state over
	 * anything written here.
	 */
	v->start = (struct vcpu_start){.pending = true, .entry = entry, .arg = arg};
	/*
	 * If it is still loaded there, its CPU must not take the fast way back into it
	 * (nothing_to_decide()): it chooses again, and takes the start with it.
	 */
	request_resched(q);
	if (set_state(q, v, VCPU_RUNNABLE, now))
		made_runnable(q, v, now);
	else
		unlock_runq(&q);
	return 0;
}

/* v just stopped being runnable on q's queue: if it is on the CPU, that CPU chooses again. */
static void leave_cpu(struct runq_locked q, struct vcpu *v)
{
	struct cpu_sched *c = locked_queue(q);
	bool running = c->rq.curr == &v->sched;

	if (running)
		request_resched(q);
	unsigned cpu = c->rq.cpu;
	unlock_runq(&q);
	if (running)
		arch_cpu_kick(cpu);
}

void vcpu_pause_changed(struct vcpu *v)
{
	struct runq_locked q = lock_vcpu(v);
	uint64_t now = arch_now_ns();

	if (domain_paused(v->domain) && v->state == VCPU_RUNNABLE) {
		set_state(q, v, VCPU_PAUSED, now);
		leave_cpu(q, v);
	} else if (v->state == VCPU_PAUSED && set_state(q, v, VCPU_RUNNABLE, now)) {
		made_runnable(q, v, now);
	} else {
		unlock_runq(&q);
	}
}

void vcpu_set_online(struct vcpu *v, bool online)
{
	struct runq_locked q = lock_vcpu(v);
	uint64_t now = arch_now_ns();

	bool runnable = set_state(q, v, online ? VCPU_RUNNABLE : VCPU_OFFLINE, now);
	if (online) {
		if (runnable)
			made_runnable(q, v, now);
		else
			unlock_runq(&q);
		return;
	}
	leave_cpu(q, v);
}

void vcpu_block_current(void)
{
	struct vcpu *v = current_vcpu();
	struct runq_locked q = lock_vcpu(v);

	if (v->state == VCPU_RUNNABLE)
		set_state(q, v, VCPU_BLOCKED, arch_now_ns());
	unlock_runq(&q);
	if (arch_vcpu_has_pending_irq(v))
		vcpu_wake(v);
}

void sched_yield_current(void)
{
	struct vcpu *v = current_vcpu();
	struct runq_locked q = lock_vcpu(v);

	v->sched.yielded = true;
	request_resched(q);
	unlock_runq(&q);
}

bool sched_resched_pending(void)
{
	return __atomic_load_n(&cpu_sched[this_cpu_id()].need_resched, __ATOMIC_ACQUIRE);
}

void sched_tick(void)
{
	struct runq_locked q = lock_runq(&cpu_sched[this_cpu_id()]);

	request_resched(q);
	unlock_runq(&q);
}

/* ---- the pass before every guest entry ---------------------------------------- */

/* Blocked vCPUs wait for their virtual timer (when not loaded) or a poll timeout. */
static uint64_t wake_expired_timers(struct runq_locked q, struct pcpu *cpu, uint64_t now)
{
	struct cpu_sched *c = locked_queue(q);
	uint64_t count = arch_timer_count(), earliest = 0;

	for (struct sched_unit *u = c->rq.head; u; u = u->next) {
		struct vcpu *v = vcpu_of(u);
		if (v->state != VCPU_BLOCKED)
			continue;
		/* A loaded vCPU's virtual timer still fires in hardware; the emulated one not. */
		uint64_t when =
		    v == cpu->current ? arch_vcpu_emulated_timer_deadline(v) : v->timer_wake;
		if (v->wake_deadline && (!when || v->wake_deadline < when))
			when = v->wake_deadline;
		if (!when)
			continue;
		if (when <= count) {
			v->wake_deadline = 0;
			if (set_state(q, v, VCPU_RUNNABLE, now) &&
			    sched_wake_preempts(&c->rq, u, now))
				request_resched(q);
		} else if (!earliest || when < earliest) {
			earliest = when;
		}
	}
	return earliest;
}

/* The vCPU to run now on q's CPU, or NULL to idle. */
static struct vcpu *choose(struct runq_locked q, uint64_t now)
{
	struct cpu_sched *c = locked_queue(q);
	struct runq *rq = &c->rq;
	struct sched_unit *cur = rq->curr;

	if (cur && cur->runnable && !c->need_resched && (!c->until || now < c->until)) {
		/* It ran alone with no slice; others woke without preempting: turn starts now. */
		if (!c->until && rq->nr_runnable > 1)
			c->until = sched_turn_end(rq, cur, now, slice_ns);
		return vcpu_of(cur);
	}
	c->need_resched = false;
	sched_charge(rq, now);
	struct sched_unit *next = sched_pick(rq, now, slice_ns, &c->until);
	if (next == cur)
		return vcpu_of(next);
	sched_set_curr(rq, next, now);
	if (cur)
		runstate_update(q, vcpu_of(cur), now);
	if (next) {
		/* Not movable from here on, until switch_to() has saved it again. */
		next->loaded = true;
		runstate_update(q, vcpu_of(next), now);
	}
	return vcpu_of(next);
}

/* next was just chosen on q's queue: a CPU_ON waiting to reset it, taken once. */
static inline bool take_pending_start(struct runq_locked q, struct vcpu *next,
				      struct vcpu_start *out)
{
	(void)locked_queue(q); /* the lock is all it needs of the queue */
	if (!next->start.pending)
		return false;
	*out = next->start;
	next->start.pending = false;
	return true;
}

static void switch_to(struct pcpu *cpu, struct vcpu *next, const struct vcpu_start *start)
{
	struct vcpu *prev = cpu->current;

	/* This CPU is the only one that may touch next's registers now (it is loaded here). */
	if (start) {
		arch_vcpu_reset(next, start->entry, start->arg);
		evtchn_vcpu_restarted(next);
	}

	if (prev && prev != next) {
		prev->timer_wake = arch_vcpu_save(prev);
		__atomic_store_n(&prev->sched.loaded, false, __ATOMIC_RELEASE);
	}
	next->needs_load = false;
	arch_vcpu_load(next);
	cpu->current = next;
}

/*
 * A vCPU of a domain that is shutting down leaves its CPU without being saved.
 * It goes offline here too: domain_shutdown() takes the vCPUs offline only
 * after marking the domain dying, and a vCPU still runnable as its queue's
 * current one would be chosen again, and entered, without being loaded.
 */
static void drop_dying(struct pcpu *cpu)
{
	struct vcpu *v = cpu->current;
	struct runq_locked q = lock_vcpu(v);

	set_state(q, v, VCPU_OFFLINE, arch_now_ns());
	unlock_runq(&q);

	arch_vcpu_drop(v);
	cpu->current = NULL;
	__atomic_store_n(&v->sched.loaded, false, __ATOMIC_RELEASE);
	domain_vcpu_dropped(v);
}

/* Lock two different queues in CPU order. */
static struct runq_pair_locked lock_two(struct cpu_sched *a, struct cpu_sched *b)
{
	BUG_ON(a == b); /* would spin on its own lock for ever */
	spin_lock(a->rq.cpu < b->rq.cpu ? &a->lock : &b->lock);
	spin_lock(a->rq.cpu < b->rq.cpu ? &b->lock : &a->lock);
	return (struct runq_pair_locked){.a = {a}, .b = {b}};
}

/* An idle CPU takes a waiting vCPU from the busiest queue that has one for it. */
static bool pull_work(struct cpu_sched *me, uint64_t now)
{
	struct runq *candidates[CONFIG_NR_CPUS];
	unsigned nr = cpus_scheduling();

	for (unsigned c = 0; c < nr; c++)
		candidates[c] = runqs[c];
	for (unsigned tries = 0; tries < nr; tries++) {
		unsigned src = sched_busiest(candidates, nr, me->rq.cpu);
		if (src >= nr || src == me->rq.cpu)
			return false;
		struct runq_pair_locked both = lock_two(me, &cpu_sched[src]);
		struct sched_unit *u =
		    sched_steal_candidate(&locked_queue(both.b)->rq, me->rq.cpu, now);
		if (u)
			move(both.b, both.a, vcpu_of(u));
		unlock_runq(&both.b);
		unlock_runq(&both.a);
		if (u)
			return true;
		/* Nothing there for this CPU: look at the next busiest. */
		candidates[src] = runqs[me->rq.cpu];
	}
	return false;
}

/* This CPU left vCPUs waiting: wake an idle CPU that may take one. */
static void offer_work(struct cpu_sched *me, uint64_t now)
{
	unsigned nr = cpus_scheduling();

	for (unsigned c = 0; c < nr; c++) {
		const struct runq *rq = runqs[c];
		if (c == me->rq.cpu || __atomic_load_n(&rq->curr, __ATOMIC_RELAXED) ||
		    __atomic_load_n(&rq->nr_runnable, __ATOMIC_RELAXED))
			continue;
		struct runq_locked q = lock_runq(me);
		bool wanted = sched_steal_candidate(&locked_queue(q)->rq, c, now) != NULL;
		unlock_runq(&q);
		if (wanted) {
			cpu_work_set(c, CPU_WORK_SCHED);
			arch_cpu_kick(c);
			return;
		}
	}
}

/* The earlier of two timer counts, 0 meaning none. */
static uint64_t earliest_deadline(uint64_t a, uint64_t b)
{
	return !a || (b && b < a) ? b : a;
}

static void arm_timer(struct cpu_sched *c, uint64_t until_ns, uint64_t timer_wake)
{
	uint64_t deadline = until_ns ? arch_ns_to_count(until_ns) : 0;

	if (timer_wake && (!deadline || timer_wake < deadline))
		deadline = timer_wake;
	c->armed = deadline;
	arch_timer_set_deadline(deadline);
}

static void idle_wait(void)
{
	/*
	 * The pass is not over while the CPU idles: whatever ends the wait, it decides again
	 * (the loop below does; and a fake CPU's pass stops here and starts again).
	 */
	cpu_work_set(this_cpu_id(), CPU_WORK_SCHED);
	arch_cpu_wait_for_interrupt();
	irq_handle_pending();
}

/*
 * Back into the vCPU that just trapped, when nothing can have changed the last
 * decision: it is still the runnable current vCPU, no reschedule was asked for
 * (the CPU timer asks at the slice end, remote wake-ups ask or add a runnable
 * vCPU), and its timers are armed as before. Read without the lock: a request
 * that races with this check comes with a kick, which brings the vCPU back.
 */
static bool nothing_to_decide(const struct cpu_sched *c, const struct vcpu *v)
{
	return v && v->state == VCPU_RUNNABLE && !v->needs_load && !v->domain->dying &&
	       c->rq.curr == &v->sched && !__atomic_load_n(&c->need_resched, __ATOMIC_ACQUIRE) &&
	       (c->until || c->rq.nr_runnable <= 1) &&
	       arch_vcpu_emulated_timer_deadline(v) == c->armed_ptimer;
}

/* The pass when work is pending: everything the fast way skips. Out of line, frame and all. */
static void __attribute__((noinline)) prepare_entry_work(struct pcpu *cpu)
{
	struct cpu_sched *c = &cpu_sched[cpu->id];

	domain_reaper_poll(cpu->id);
	if (nothing_to_decide(c, cpu->current)) {
		struct vcpu *v = cpu->current;
		arch_vcpu_emulated_timer_check(v);
		runstate_publish(v);
		arch_vcpu_flush_interrupts(v);
		return;
	}
	for (bool again = false;; again = true) {
		if (again)
			domain_reaper_poll(cpu->id);
		if (cpu->current && cpu->current->domain->dying) {
			drop_dying(cpu);
			/*
			 * This CPU holds nothing of the domain now: its teardown may go on at
			 * once. A guest that never traps may run next, and on one CPU nothing
			 * else would bring this CPU back to finish it.
			 */
			domain_reaper_poll(cpu->id);
		}
		struct runq_locked q = lock_runq(c);
		uint64_t now = arch_now_ns();
		uint64_t timer_wake = wake_expired_timers(q, cpu, now);
		struct vcpu *next = choose(q, now);
		struct vcpu_start start;
		bool reset = next && take_pending_start(q, next, &start);
		bool switching = next && (next != cpu->current || next->needs_load || reset);
		bool others_wait = next && c->rq.nr_runnable > 1;
		uint64_t until = c->until;
		unlock_runq(&q);
		if (next) {
			arch_vcpu_emulated_timer_check(next);
			uint64_t p = arch_vcpu_emulated_timer_deadline(next);
			if (p && (!timer_wake || p < timer_wake))
				timer_wake = p;
			c->armed_ptimer = p;
		}
		if (next) {
			if (switching) {
				struct vcpu *prev = cpu->current;
				switch_to(cpu, next, reset ? &start : NULL);
				/*
				 * prev's virtual timer fired in hardware while it was loaded, so
				 * the pass above did not count it; saved now, it needs the EL2
				 * timer to wake it (a vCPU blocked in WFI waiting for it would
				 * sleep on).
				 */
				if (prev && prev != next && prev->state == VCPU_BLOCKED)
					timer_wake =
					    earliest_deadline(timer_wake, prev->timer_wake);
				if (others_wait)
					offer_work(c, now);
			}
			arm_timer(c, until, timer_wake);
			runstate_publish(next);
			arch_vcpu_flush_interrupts(next);
			return;
		}
		arm_timer(c, until, timer_wake);
		if (pull_work(c, now))
			continue;
		/* Nothing else would wake this CPU to finish a domain's teardown (one CPU). */
		if (domain_reap_pending())
			continue;
		idle_wait();
	}
}

void guest_prepare_entry(struct cpu_regs *frame)
{
	struct pcpu *cpu = this_cpu();

	(void)frame;
	/* Nothing pending for this CPU (the rule: struct pcpu's `work`): back into the guest. */
	if (cpu_work_take(cpu))
		prepare_entry_work(cpu);
}

_Noreturn void sched_start(void)
{
	arch_run_guests();
}

/* ---- debug key ------------------------------------------------------------------- */

static const char *const runstate_names[] = {"running", "runnable", "blocked", "offline"};

static void dump_runqueues(void)
{
	printk("Scheduler: %s, slice %lu ms\n", sched_policy_name, slice_ns / 1000000);
	for (unsigned i = 0; i < nr_pcpus; i++) {
		struct cpu_sched *c = &cpu_sched[i];
		char line[96];
		struct runq_locked q = lock_runq(c);
		struct vcpu *cur = vcpu_of(c->rq.curr);
		if (cur)
			fmt_snprintf(line, sizeof(line), "d%uv%u", cur->domain->id, cur->id);
		printk("CPU %u: %u runnable, min vtime %lu us, running %s\n", i, c->rq.nr_runnable,
		       c->rq.min_vtime / 1000, cur ? line : "nothing (idle)");
		for (struct sched_unit *u = c->rq.head; u; u = u->next) {
			struct vcpu *v = vcpu_of(u);
			const struct vcpu_runstate_info *r = &v->runstate;
			sched_describe(u, line, sizeof(line));
			printk("  d%uv%u %-8s %s; runstate ms: run %lu wait %lu blocked %lu "
			       "offline %lu\n",
			       v->domain->id, v->id, runstate_names[r->state & 3], line,
			       r->time[0] / 1000000, r->time[1] / 1000000, r->time[2] / 1000000,
			       r->time[3] / 1000000);
		}
		unlock_runq(&q);
	}
}
DEBUG_KEY(runqueues, 'r', "dump run queues (weights, vtime, runstate)", dump_runqueues);
