// SPDX-License-Identifier: Apache-2.0
#include <public/errno.h>
#include <public/sched.h>
#include <punt/arch/cpu.h>
#include <punt/arch/domain.h>
#include <punt/arch/vcpu.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/debug_keys.h>
#include <punt/domu.h>
#include <punt/domain.h>
#include <punt/event_channel.h>
#include <punt/foreign_map.h>
#include <punt/grant_table.h>
#include <punt/panic.h>
#include <punt/page_alloc.h>
#include <punt/pv_console.h>
#include <punt/sched.h>
#include <punt/string.h>

struct domain *domains[MAX_DOMAINS];
/* Every domain from its creation to its final free, published or not (teardown only). */
static struct domain *existing[MAX_DOMAINS];
/*
 * Serialises the parts of teardown that look at other domains (relinquish) with
 * the final free of any domain, and guards existing[] and the reap queue.
 */
static spinlock_t reap_lock = SPINLOCK_INIT;

/* dom0 is the hardware domain: its end is the machine's. */
static _Noreturn void hardware_domain_stopped(int reason, const char *what)
{
	switch (reason) {
	case SHUTDOWN_poweroff:
		printk("Powering off the machine\n");
		arch_system_off();
	case SHUTDOWN_reboot:
		printk("Restarting the machine\n");
		arch_system_reset();
	default:
		printk("Hardware domain stopped (%s): restarting the machine\n", what);
		arch_system_reset();
	}
}

static const char *const shutdown_names[] = {"poweroff", "reboot",   "suspend",
					     "crash",	 "watchdog", "soft_reset"};

struct domain *domain_lookup(domid_t id)
{
	return id < MAX_DOMAINS ? __atomic_load_n(&domains[id], __ATOMIC_ACQUIRE) : NULL;
}

struct domain *domain_lookup_existing(domid_t id)
{
	return id < MAX_DOMAINS ? existing[id] : NULL;
}

void domain_publish(struct domain *d)
{
	/* A domain of the boot configuration runs from here on: built, as Xen's dom0less ones. */
	if (!d->toolstack)
		d->creation_finished = true;
	__atomic_store_n(&domains[d->id], d, __ATOMIC_RELEASE);
}

struct domain *domain_from_guest_id(struct domain *caller, domid_t id)
{
	if (id == DOMID_SELF)
		return caller;
	return domain_lookup(id);
}

int domain_target(struct domain *caller, domid_t id, struct domain **out)
{
	struct domain *d = domain_from_guest_id(caller, id);

	*out = NULL;
	if (!d)
		return -XEN_ESRCH;
	if (d != caller && !caller->privileged)
		return -XEN_EPERM;
	*out = d;
	return 0;
}

int domain_visit_from(domid_t from, void (*fn)(struct domain *d, bool dead, void *ctx), void *ctx)
{
	int found = -1;

	spin_lock(&reap_lock);
	for (unsigned i = from; i < MAX_DOMAINS && found < 0; i++) {
		struct domain *d = existing[i];
		bool published = d && domain_lookup((domid_t)i) == d;
		/* Neither published nor dying: still being built, not there yet for anyone. */
		if (!d || (!published && !d->dying))
			continue;
		fn(d, !published, ctx);
		found = (int)i;
	}
	spin_unlock(&reap_lock);
	return found;
}

void domain_for_each_existing(void (*fn)(struct domain *d, bool published, void *ctx), void *ctx)
{
	spin_lock(&reap_lock);
	for (unsigned i = 0; i < MAX_DOMAINS; i++) {
		struct domain *d = existing[i];
		if (d)
			fn(d, domain_lookup((domid_t)i) == d, ctx);
	}
	spin_unlock(&reap_lock);
}

/*
 * VIRQ_DOM_EXC to the control domain, whenever a domain's state changes as the toolstack
 * sees it (Xen common/domain.c sends it when a domain has shut down, when it is dead and
 * when it is freed): xenstored rescans its domains on it and fires @releaseDomain.
 */
static void dom_exc_notify(void)
{
	for (unsigned i = 0; i < MAX_DOMAINS; i++) {
		struct domain *c = domain_lookup((domid_t)i);
		if (c && c->privileged && !c->dying)
			evtchn_send_global_virq(c, VIRQ_DOM_EXC);
	}
}

struct domain_pair_locked domain_lock_pair(struct domain *a, struct domain *b)
{
	if (a == b) {
		spin_lock(&a->lock);
	} else if (a->id < b->id) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
	return (struct domain_pair_locked){.a = {a}, .b = {b}};
}

void domain_unlock_pair(struct domain_pair_locked *l)
{
	spin_unlock(&l->a.d->lock);
	if (l->a.d != l->b.d)
		spin_unlock(&l->b.d->lock);
	l->a.d = l->b.d = NULL;
}

bool domain_is_ram(struct domain *d, uint64_t gfn)
{
	uint64_t pa = gfn << 12;

	for (unsigned i = 0; i < d->nr_ram; i++) {
		if (pa >= d->ram[i].base && pa - d->ram[i].base < d->ram[i].size)
			return true;
	}
	return false;
}

static struct vcpu *vcpu_create(struct domain *d, unsigned id)
{
	unsigned order = page_order_for(sizeof(struct vcpu));
	struct vcpu *v = (struct vcpu *)page_alloc_zeroed(order);

	if (!v)
		return NULL;
	v->domain = d;
	v->id = id;
	v->state = VCPU_OFFLINE;
	if (id < XEN_LEGACY_MAX_VCPUS)
		v->vcpu_info = &d->shared_info->vcpu_info[id];
	v->runstate.state = RUNSTATE_offline;
	arch_vcpu_init(v);
	return v;
}

static void domain_free(struct domain *d);

struct domain *domain_create(domid_t id, const char *name, unsigned nr_vcpus, bool privileged,
			     const struct arch_domain_config *arch)
{
	struct domain *d;

	if (id >= MAX_DOMAINS || existing[id] || nr_vcpus == 0 || nr_vcpus > CONFIG_NR_CPUS)
		return NULL;
	d = (struct domain *)page_alloc_zeroed(page_order_for(sizeof(*d)));
	if (!d)
		return NULL;
	d->id = id;
	fmt_snprintf(d->name, sizeof(d->name), "%s", name);
	d->privileged = privileged;
	d->max_vcpus = nr_vcpus;
	d->lock = (spinlock_t)SPINLOCK_INIT;
	d->shutdown_reason = -1;
	d->shutdown_code = -1;
	d->shared_info_gfn = ~0UL;
	cpumask_t all;
	cpumask_first_n(&all, nr_pcpus);
	sched_dom_init(&d->sched, SCHED_DEFAULT_WEIGHT, 0, &all);
	if (arch_domain_init(d, arch))
		goto fail;
	d->shared_info = (struct shared_info *)page_alloc_zeroed(0);
	if (!d->shared_info || evtchn_domain_init(d) || grant_table_init(d))
		goto fail;
	for (unsigned i = 0; i < nr_vcpus; i++) {
		d->vcpus[i] = vcpu_create(d, i);
		if (!d->vcpus[i])
			goto fail;
	}
	spin_lock(&reap_lock);
	bool taken = existing[id] != NULL;
	if (!taken)
		existing[id] = d;
	spin_unlock(&reap_lock);
	if (taken)
		goto fail;
	return d;
fail:
	printk("d%u: cannot create the domain (out of memory, or the id is taken)\n", id);
	domain_free(d);
	return NULL;
}

static void free_vcpus(struct domain *d)
{
	for (unsigned i = 0; i < d->max_vcpus; i++) {
		if (d->vcpus[i])
			page_free((uint64_t)d->vcpus[i], page_order_for(sizeof(struct vcpu)));
		d->vcpus[i] = NULL;
	}
}

/*
 * Cut every link other domains have to d: its event channels close (interdomain
 * peers become unbound), the pins its grant mappings hold are given back, and
 * every mapping of its pages in another domain, dying ones included, is torn
 * down. Frees nothing: a CPU may still be inside a hypercall that found d
 * before it was unpublished. Called with reap_lock held, d unpublished, and
 * none of d's vCPUs on a run queue.
 */
static void foreign_put_locked(struct domain *d);

static void domain_relinquish(struct domain *d)
{
	if (d->evtchn)
		evtchn_reset(d);
	if (d->grant)
		grant_mappings_release(d);
	foreign_map_release_all(d, foreign_put_locked);
}

/* Free what d owns. Nothing may refer to d any more (relinquished, grace period over). */
static void domain_free(struct domain *d)
{
	evtchn_domain_destroy(d);
	grant_table_destroy(d);
	foreign_map_destroy(d);
	arch_domain_destroy(d);
	pvcons_domain_destroy(d);
	domain_extents_free(d);
	free_vcpus(d);
	if (d->shared_info)
		page_free((uint64_t)d->shared_info, 0);
	page_free((uint64_t)d, page_order_for(sizeof(*d)));
}

/* Forget d in existing[] and free it, with reap_lock held. */
static void domain_forget_and_free(struct domain *d)
{
	if (existing[d->id] == d)
		existing[d->id] = NULL;
	domain_free(d);
}

void domain_destroy_unstarted(struct domain *d)
{
	BUG_ON(domain_lookup(d->id) == d);
	spin_lock(&reap_lock);
	domain_relinquish(d);
	domain_forget_and_free(d);
	spin_unlock(&reap_lock);
}

/*
 * Tearing a domain down, safe by construction (docs/design/hypervisor.md,
 * "Domain teardown"). What can still reach a dying domain d, and what ends it:
 * - its own vCPUs, loaded on some CPU or waiting on a run queue: step 1 marks
 *   d dying, after which none can become runnable again (sched.c set_state),
 *   and step 2 waits until each is unloaded and takes it off its queue;
 * - lookups by domid (domains[]): step 2 unpublishes d;
 * - links from other domains (event channel peers, grant mappings of its
 *   pages, pins its mappings hold): step 2 cuts them (domain_relinquish);
 *   creating a new link checks d->dying under d's lock, so none is added after;
 * - a CPU in the middle of a hypercall that found d before step 2: Punt code
 *   keeps no domain pointer across a pass through the scheduler, so once every
 *   other CPU has passed since step 2 (the grace period), none is left.
 * 1. domain_shutdown(): mark it dying, take its vCPUs offline, kick every CPU;
 * 2. once every vCPU is unloaded: retire the vCPUs, unpublish, relinquish, and
 *    remember how far every CPU had got through the scheduler;
 * 3. once every other CPU has passed the scheduler since: free it (and rebuild
 *    it if it asked for a reboot).
 */
struct reap_entry {
	struct domain *d;
	bool unpublished;
	/*
	 * Its grace period is over, but another domain still maps its frames: it waits, not
	 * counted in reap_pending (CPUs may sleep), until domain_foreign_put() gives the last
	 * reference back.
	 */
	bool parked;
	uint64_t passes_at_unpublish[CONFIG_NR_CPUS];
};

static struct reap_entry reap_queue[MAX_DOMAINS];
static volatile unsigned reap_pending;
static volatile uint64_t scheduler_passes[CONFIG_NR_CPUS];

/* Hand d to the reaper, with reap_lock held. */
static void queue_reap(struct domain *d)
{
	d->reap_queued = true;
	for (unsigned i = 0; i < MAX_DOMAINS; i++) {
		if (!reap_queue[i].d) {
			reap_queue[i] = (struct reap_entry){.d = d};
			reap_pending++;
			break;
		}
	}
}

/*
 * Every CPU polls the reaper until the teardown ends (domain_reaper_poll() keeps the bit
 * set), and a CPU idling with a vCPU of a dying domain loaded wakes up and drops it.
 */
static void reap_work_everywhere(void)
{
	for (unsigned c = 0; c < nr_pcpus; c++) {
		cpu_work_set(c, CPU_WORK_REAP);
		arch_cpu_kick(c);
	}
}

/* d->dying is set: take its vCPUs offline. */
static void stop_vcpus(struct domain *d)
{
	for (unsigned i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			vcpu_set_online(d->vcpus[i], false);
	reap_work_everywhere();
}

void domain_shutdown(struct domain *d, int reason)
{
	const char *what =
	    reason >= 0 && reason <= SHUTDOWN_soft_reset ? shutdown_names[reason] : "unknown";

	printk("d%u (%s) shut down: %s\n", d->id, d->name, what);
	if (d->privileged)
		hardware_domain_stopped(reason, what);
	spin_lock(&reap_lock);
	if (d->dying) {
		spin_unlock(&reap_lock);
		return;
	}
	__atomic_store_n(&d->dying, true, __ATOMIC_RELEASE);
	d->shutdown_reason = reason;
	/* The toolstack's domains wait for its destroydomain (xl's on_poweroff, on_reboot). */
	if (!d->toolstack)
		queue_reap(d);
	spin_unlock(&reap_lock);
	stop_vcpus(d);
	dom_exc_notify();
}

void domain_kill(struct domain *d)
{
	spin_lock(&reap_lock);
	__atomic_store_n(&d->killed, true, __ATOMIC_RELEASE);
	if (d->reap_queued) {
		spin_unlock(&reap_lock);
		return;
	}
	bool running = !d->dying;
	__atomic_store_n(&d->dying, true, __ATOMIC_RELEASE);
	queue_reap(d);
	spin_unlock(&reap_lock);
	printk("d%u (%s) destroyed by the toolstack\n", d->id, d->name);
	if (running)
		stop_vcpus(d);
	else
		reap_work_everywhere(); /* it shut down earlier: only the reaper has work */
}

bool domain_is_dead(domid_t id)
{
	bool dead;

	if (id >= MAX_DOMAINS)
		return false;
	spin_lock(&reap_lock);
	dead = existing[id] && existing[id]->reap_queued && domain_lookup(id) != existing[id];
	spin_unlock(&reap_lock);
	return dead;
}

/* Every vCPU looks at the pause counter again (sched.c). */
static void pause_changed(struct domain *d)
{
	for (unsigned i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			vcpu_pause_changed(d->vcpus[i]);
}

int domain_pause_by_toolstack(struct domain *d)
{
	struct domain_locked l = domain_lock(d);

	/* Xen's limit, so that repeated calls cannot wrap the counter. */
	if (locked_domain(l)->pause_count >= 255) {
		domain_unlock(&l);
		return -XEN_EOVERFLOW;
	}
	__atomic_store_n(&d->pause_count, d->pause_count + 1, __ATOMIC_RELEASE);
	domain_unlock(&l);
	pause_changed(d);
	return 0;
}

int domain_unpause_by_toolstack(struct domain *d)
{
	struct domain_locked l = domain_lock(d);

	if (!locked_domain(l)->pause_count) {
		domain_unlock(&l);
		return -XEN_EINVAL;
	}
	__atomic_store_n(&d->pause_count, d->pause_count - 1, __ATOMIC_RELEASE);
	/* Xen: creation is over when the count first reaches 0. */
	if (!d->pause_count)
		d->creation_finished = true;
	domain_unlock(&l);
	pause_changed(d);
	return 0;
}

/* Every vCPU unloaded and off its queue for good; false while one is still loaded. */
static bool retire_vcpus(struct domain *d)
{
	bool all = true;

	for (unsigned i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] && !sched_retire_vcpu(d->vcpus[i]))
			all = false;
	return all;
}

static bool grace_period_over(const struct reap_entry *e)
{
	for (unsigned c = 0; c < nr_pcpus; c++) {
		if (c != this_cpu_id() && scheduler_passes[c] <= e->passes_at_unpublish[c])
			return false;
	}
	return true;
}

static bool any_domain_left(void)
{
	for (unsigned i = 0; i < MAX_DOMAINS; i++)
		if (domains[i])
			return true;
	return false;
}

/*
 * A reaped domain counts as pending until it is destroyed (and rebuilt, on
 * reboot): two guests stopping together are torn down on two CPUs, and the
 * machine must not power off while the other one is still being destroyed.
 */
static void finish(domid_t id, bool rebuild)
{
	printk("d%u destroyed: %lu pages free\n", id, page_alloc_free_pages());
	dom_exc_notify();
	if (rebuild)
		domu_rebuild(id);
	spin_lock(&reap_lock);
	bool last = --reap_pending == 0 && !any_domain_left();
	spin_unlock(&reap_lock);
	if (last) {
		printk("All domains have stopped: powering off\n");
		arch_system_off();
	}
}

/* With reap_lock held (the relinquish of a domain that mapped d's frames). */
static void foreign_put_locked(struct domain *d)
{
	if (__atomic_sub_fetch(&d->foreign_refs, 1, __ATOMIC_SEQ_CST))
		return;
	for (unsigned i = 0; i < MAX_DOMAINS; i++) {
		if (reap_queue[i].d == d && reap_queue[i].parked) {
			reap_queue[i].parked = false;
			reap_pending++;
			reap_work_everywhere();
		}
	}
}

void domain_foreign_put(struct domain *d)
{
	spin_lock(&reap_lock);
	foreign_put_locked(d);
	spin_unlock(&reap_lock);
}

void domain_vcpu_dropped(struct vcpu *v)
{
	(void)v;
	for (unsigned c = 0; c < nr_pcpus; c++) {
		cpu_work_set(c, CPU_WORK_REAP);
		arch_cpu_kick(c);
	}
}

bool domain_reap_pending(void)
{
	return reap_pending != 0;
}

/* The reaper's work, out of line: every pass through the scheduler polls for it. */
static void __attribute__((noinline)) reap(void)
{
	bool done = false, dead = false, rebuild = false;
	domid_t done_id = 0;

	spin_lock(&reap_lock);
	for (unsigned i = 0; i < MAX_DOMAINS && !done; i++) {
		struct reap_entry *e = &reap_queue[i];
		if (!e->d)
			continue;
		if (!e->unpublished && retire_vcpus(e->d)) {
			__atomic_store_n(&domains[e->d->id], NULL, __ATOMIC_RELEASE);
			domain_relinquish(e->d);
			for (unsigned c = 0; c < nr_pcpus; c++)
				e->passes_at_unpublish[c] = scheduler_passes[c];
			/* This CPU holds no reference any more: it counts as having passed. */
			e->passes_at_unpublish[this_cpu_id()]--;
			e->unpublished = true;
			dead = true;
			for (unsigned c = 0; c < nr_pcpus; c++) {
				cpu_work_set(c, CPU_WORK_REAP);
				arch_cpu_kick(c);
			}
		}
		if (e->parked)
			continue;
		/* With no other CPU to wait for, the grace period is already over. */
		if (e->unpublished && grace_period_over(e) &&
		    __atomic_load_n(&e->d->foreign_refs, __ATOMIC_SEQ_CST)) {
			e->parked = true;
			reap_pending--;
			printk("d%u: dead, kept until other domains unmap its %lu page(s)\n",
			       e->d->id, e->d->foreign_refs);
			continue;
		}
		if (e->unpublished && grace_period_over(e)) {
			done = true;
			done_id = e->d->id;
			/* Only the configuration's domains come back by themselves on reboot. */
			rebuild = e->d->shutdown_reason == SHUTDOWN_reboot && !e->d->toolstack &&
				  !e->d->killed;
			domain_forget_and_free(e->d);
			e->d = NULL; /* still counted in reap_pending until finish() */
		}
	}
	spin_unlock(&reap_lock);
	if (dead)
		dom_exc_notify();
	if (done)
		finish(done_id, rebuild);
}

/*
 * Pages a domain gave back (decrease_reservation) while its vCPUs may still be inside the
 * hypervisor with their machine address in hand (a guest copy translated before the stage-2
 * unmap): they go back to the allocator only once every other CPU has passed the scheduler,
 * the grace period a domain's teardown waits for. Each page carries its own list link.
 */
struct later_page {
	uint64_t next;
	unsigned order;
};

static struct {
	spinlock_t lock;  /* a leaf: only the allocator's is taken inside */
	uint64_t fresh;	  /* given back since the last snapshot */
	uint64_t waiting; /* waiting for the passes below */
	uint64_t passes_at[CONFIG_NR_CPUS];
} later = {.lock = SPINLOCK_INIT};

void domain_free_page_later(uint64_t pa, unsigned order)
{
	struct later_page *p = (struct later_page *)(uintptr_t)pa;

	spin_lock(&later.lock);
	p->order = order;
	p->next = later.fresh;
	later.fresh = pa;
	spin_unlock(&later.lock);
	cpu_work_set(this_cpu_id(), CPU_WORK_REAP);
}

static bool later_grace_over(void)
{
	for (unsigned c = 0; c < nr_pcpus; c++) {
		if (c != this_cpu_id() && scheduler_passes[c] <= later.passes_at[c])
			return false;
	}
	return true;
}

/* With later.lock held: free the waiting pages when their time has come, start the next batch. */
static void later_poll(unsigned cpu)
{
	if (later.waiting && later_grace_over()) {
		while (later.waiting) {
			struct later_page *p = (struct later_page *)(uintptr_t)later.waiting;
			later.waiting = p->next;
			page_free((uint64_t)(uintptr_t)p, p->order);
		}
	}
	if (!later.waiting && later.fresh) {
		later.waiting = later.fresh;
		later.fresh = 0;
		for (unsigned c = 0; c < nr_pcpus; c++)
			later.passes_at[c] = scheduler_passes[c];
		for (unsigned c = 0; c < nr_pcpus; c++) {
			if (c == cpu)
				continue;
			cpu_work_set(c, CPU_WORK_REAP);
			arch_cpu_kick(c);
		}
	}
	if (later.waiting || later.fresh)
		cpu_work_set(cpu, CPU_WORK_REAP);
}

void domain_reaper_poll(unsigned cpu)
{
	scheduler_passes[cpu]++;
	if (__atomic_load_n(&later.fresh, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&later.waiting, __ATOMIC_RELAXED)) {
		spin_lock(&later.lock);
		later_poll(cpu);
		spin_unlock(&later.lock);
	}
	if (!reap_pending)
		return;
	reap();
	/* Still under way: this CPU's next pass must look again, and count for the grace period. */
	if (reap_pending)
		cpu_work_set(cpu, CPU_WORK_REAP);
}

static const char *state_name(enum vcpu_run_state s)
{
	switch (s) {
	case VCPU_OFFLINE:
		return "offline";
	case VCPU_RUNNABLE:
		return "runnable";
	case VCPU_BLOCKED:
		return "blocked";
	default:
		return "paused";
	}
}

/* Under the reaper's lock: dom0 may ask (sysctl debug_keys) while a domain is torn down. */
static void dump_domain(struct domain *d, bool published, void *ctx)
{
	(void)ctx;
	if (!published)
		return;
	printk("Domain %u (%s)%s: %u vCPUs, %lu pages in %u runs, shared_info at gfn %#lx\n", d->id,
	       d->name, d->privileged ? " [control, hardware]" : "", d->max_vcpus, d->tot_pages,
	       d->nr_extents, d->shared_info_gfn);
	for (unsigned r = 0; r < d->nr_ram; r++)
		printk("  RAM %#lx-%#lx\n", d->ram[r].base, d->ram[r].base + d->ram[r].size);
	for (unsigned v = 0; v < d->max_vcpus; v++) {
		struct vcpu *vc = d->vcpus[v];
		printk("  vCPU %u on CPU %u: %s%s, PC %#lx, upcall pending %u\n", v, vc->pcpu,
		       state_name(vc->state), vcpu_on_cpu(vc) ? " (loaded)" : "",
		       vcpu_on_cpu(vc) ? 0UL : arch_vcpu_pc(vc),
		       vc->vcpu_info ? vc->vcpu_info->evtchn_upcall_pending : 0);
	}
	evtchn_dump(d);
	grant_table_dump(d);
	pvcons_dump(d);
}

static void dump_domains(void)
{
	domain_for_each_existing(dump_domain, NULL);
}
DEBUG_KEY(domains, 'd', "dump domains and vCPUs", dump_domains);
