// SPDX-License-Identifier: Apache-2.0
/*
 * Domains and vCPUs: the objects every other subsystem hangs its state on.
 *
 * Locking: d->lock protects the domain's event channels, grant table and
 * PV registration state (shared_info, vcpu_info, virq_to_port). A vCPU's
 * scheduling state (state, sched, start, timer_wake, runstate) is protected
 * by the run queue lock of the physical CPU it is on (punt/sched.h); the
 * scheduler may move a vCPU between CPUs while its registers are saved.
 *
 * A function that needs d->lock held takes a struct domain_locked (or a
 * struct domain_pair_locked for two domains) instead of a struct domain *:
 * only domain_lock() and domain_lock_pair() make one, domain_unlock() and
 * domain_unlock_pair() end it, so a call without the lock does not compile
 * (docs/design/hypervisor.md, "Locks").
 *
 * Lock order, outermost first: a CPU holding one of these may take only
 * those below it, never one above.
 *   1. the reaper's lock (domain.c): teardown closes ports and grants under it;
 *   2. a PV console's input and output locks (punt/pv_console.h);
 *   3. d->lock; two domains' locks only through domain_lock_pair(), which
 *      takes the lower domid first;
 *   4. the domain's p2m lock and vGIC lock (the architecture's, in struct
 *      arch_domain), inside d->lock, never the other way round;
 *   5. run queue locks (punt/sched.h): a wake-up may come from under d->lock
 *      or the reaper's lock, never from under a p2m or vGIC lock;
 *   6. the emulated UART's lock (vpl011), then the console's output lock and
 *      the page allocator's lock, leaves under which nothing is taken; the
 *      queue of given-back pages (domain_free_page_later()), under which only
 *      the allocator's lock is taken; the count of foreign-mapped machine
 *      frames (foreign_map.c), a leaf.
 */
#ifndef PUNT_DOMAIN_H
#define PUNT_DOMAIN_H

#include <public/xen.h>
#include <public/vcpu.h>
#include <punt/arch/types.h>
#include <punt/bootinfo.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/mmio.h>
#include <punt/panic.h>
#include <punt/sched_policy.h>
#include <punt/spinlock.h>
#include <stdbool.h>
#include <stdint.h>

#define MAX_DOMAINS	   64
#define NR_HVM_PARAMS	   64
#define DOMAIN_MAX_EXTENTS 1024

struct arch_domain_config;
struct evtchn;
struct foreign_maps;
struct grant_table;
struct pv_console;

enum vcpu_run_state {
	VCPU_OFFLINE, /* not started (PSCI CPU_ON brings it up) or CPU_OFF */
	VCPU_RUNNABLE,
	VCPU_BLOCKED, /* WFI / SCHEDOP_block / poll: waits for an interrupt */
	VCPU_PAUSED,  /* would be runnable, but the toolstack paused its domain */
};

/* A PSCI CPU_ON waiting for the CPU that next loads the vCPU (sched.c). */
struct vcpu_start {
	bool pending;
	uint64_t entry, arg;
};

struct vcpu {
	struct domain *domain;
	unsigned id;
	unsigned pcpu; /* the physical CPU whose run queue it is on (= sched.cpu) */
	enum vcpu_run_state state;
	bool needs_load;	 /* registers were reset while off the CPU */
	bool retired;		 /* dying domain: off its run queue for good (sched.c) */
	struct vcpu_start start; /* under the run queue lock */
	struct sched_unit sched; /* sched.loaded: its registers are on `pcpu` */
	/*
	 * While off its CPU: the timer count at which one of its own timers wants
	 * it woken, 0 none (what arch_vcpu_save() answered; under the run queue lock).
	 */
	uint64_t timer_wake;
	struct arch_vcpu arch; /* the architecture's alone (punt/arch/types.h) */

	/* PV state (protected by domain->lock) */
	struct vcpu_info *vcpu_info; /* where upcall bits live: Punt's address */
	bool vcpu_info_registered;
	uint64_t runstate_gva;
	struct vcpu_runstate_info runstate; /* scheduler-owned: under the run queue lock */
	bool runstate_dirty;		    /* changed since last copied to the guest */
	uint32_t virq_to_port[NR_VIRQS];
	uint64_t wake_deadline; /* SCHEDOP_poll timeout as a timer count, 0 none */
};

struct domain {
	domid_t id;
	char name[16];
	bool privileged;    /* dom0: control domain and hardware domain */
	bool direct_mapped; /* RAM at IPA == PA */
	bool dying;	  /* stopped for good: shut down or destroyed; its vCPUs never run again */
	bool toolstack;	  /* made by createdomain: it ends at destroydomain, not at its shutdown */
	bool killed;	  /* destroydomain was called (getdomaininfo's dying flag) */
	bool reap_queued; /* teardown has it (the reaper's lock) */
	/*
	 * The toolstack's pauses (Xen's controller_pause_count, at most 255): its vCPUs run only
	 * at 0. A domain made by createdomain starts at 1; the first unpause to 0 ends its
	 * creation. Changed under d->lock, read by the scheduler without it (domain_paused()).
	 */
	unsigned pause_count;
	bool creation_finished;	    /* also from domain_publish() on for the boot configuration's */
	uint64_t paging_pool_bytes; /* what set_paging_mempool_size asked for (accounting only) */
	struct foreign_maps *foreign; /* other domains' frames it maps (punt/foreign_map.h) */
	uint64_t foreign_refs; /* its frames mapped by other domains: it is not freed before 0 */
	uint64_t links;	       /* bit n: the configuration links this domain with domain n */
	unsigned max_vcpus;
	struct sched_dom sched; /* weight, cap, hard affinity */
	struct vcpu *vcpus[CONFIG_NR_CPUS];
	struct arch_domain arch;  /* the architecture's alone (punt/arch/types.h) */
	struct mmio_regions mmio; /* its emulated devices' regions (punt/mmio.h) */
	spinlock_t lock;

	struct boot_region ram[BOOT_MAX_MEM];
	unsigned nr_ram;
	uint64_t tot_pages;
	uint64_t max_pages;				/* what it was built with (getdomaininfo) */
	struct boot_region extents[DOMAIN_MAX_EXTENTS]; /* machine memory it owns (not 1:1) */
	unsigned nr_extents;

	struct shared_info *shared_info; /* Punt's page, always present */
	uint64_t shared_info_gfn;	 /* where the guest mapped it, or ~0 */

	struct evtchn *evtchn; /* array of max_evtchns ports */
	uint32_t evtchn_intid; /* the PPI that carries upcalls */
	unsigned max_evtchns;
	uint32_t evtchn_reset_next; /* port a preempted EVTCHNOP_reset resumes at, 0 none */
	struct grant_table *grant;
	uint64_t gnttab_base_gfn, gnttab_max_frames;

	uint64_t hvm_params[NR_HVM_PARAMS];
	uint32_t vm_assist;
	int shutdown_reason;	   /* -1 while running */
	int shutdown_code;	   /* SCHEDOP_shutdown_code, -1 none */
	uint8_t handle[16];	   /* the toolstack's UUID for it (XEN_DOMCTL_setdomainhandle) */
	struct pv_console *pvcons; /* PV console served by Punt, or NULL */
	struct console_line console_lines[CONSOLE_NR_DEVS];
	enum console_dev console_last; /* the device it printed on last */
};

extern struct domain *domains[MAX_DOMAINS];

/*
 * A new domain, not yet visible to domain_lookup(): publish it once it is
 * built. Its virtual devices are those arch asks for (punt/arch/domain.h).
 */
struct domain *domain_create(domid_t id, const char *name, unsigned nr_vcpus, bool privileged,
			     const struct arch_domain_config *arch);
void domain_publish(struct domain *d);
/* A published domain: the only way a guest's hypercall may reach another domain. */
struct domain *domain_lookup(domid_t id);
/*
 * Any domain not yet freed, dying ones included: only for teardown's own
 * scans, which run with the reaper's lock held (domain.c).
 */
struct domain *domain_lookup_existing(domid_t id);
/* DOMID_SELF resolves to the caller. NULL if no such domain. */
struct domain *domain_from_guest_id(struct domain *caller, domid_t id);
/*
 * The domain a guest names as the target of an operation: itself (DOMID_SELF
 * or its own id), or any domain when the caller is the control domain. As on
 * Xen: -XEN_ESRCH when there is no such domain, -XEN_EPERM when the caller
 * may not act on it (*out is then NULL).
 */
int domain_target(struct domain *caller, domid_t id, struct domain **out);
/*
 * The guest stopped itself (SCHEDOP_shutdown, PSCI SYSTEM_OFF/RESET): its vCPUs stop for
 * good and the control domain hears of it (VIRQ_DOM_EXC). A domain the configuration made
 * is then torn down at once (and built again on reboot); one the toolstack made stays, shut
 * down, until destroydomain, as on Xen.
 */
void domain_shutdown(struct domain *d, int reason);
/*
 * destroydomain (Xen's domain_kill): stop d for good if it still runs and hand it to the
 * teardown below; its pages go back once no CPU can reach it. A second call, while it is
 * still being torn down, changes nothing. The caller is not d.
 */
void domain_kill(struct domain *d);
/*
 * Give back a reference a foreign mapping held on d (punt/foreign_map.h); the last one lets
 * a dead d be freed. Takes the reaper's lock: never called with a domain's lock held.
 */
void domain_foreign_put(struct domain *d);
/* Teardown has unpublished domain `id` and not yet freed it (Xen's DOMDYING_dead). */
bool domain_is_dead(domid_t id);
/* The toolstack's pause counter: -XEN_EOVERFLOW past 255 pauses, -XEN_EINVAL below 0. */
int domain_pause_by_toolstack(struct domain *d);
int domain_unpause_by_toolstack(struct domain *d);
static inline bool domain_paused(const struct domain *d)
{
	return __atomic_load_n(&d->pause_count, __ATOMIC_ACQUIRE) != 0;
}
/*
 * fn(d, dead, ctx) on the first domain with an id at or above `from` that the toolstack
 * sees: a published one (dead false), or one whose teardown has unpublished it and
 * relinquished its links but not yet freed it (dead true: Xen's DOMDYING_dead). fn runs
 * with the reaper's lock held, so d cannot be freed meanwhile; it may take d->lock and
 * run queue locks (the lock order allows them), nothing above. Returns d's id, -1 if none.
 */
int domain_visit_from(domid_t from, void (*fn)(struct domain *d, bool dead, void *ctx), void *ctx);
/*
 * fn(d, published, ctx) on every domain not yet freed, in id order: being built, running,
 * shut down, dying or dead. With the reaper's lock held, as domain_visit_from(): for the debug
 * keys, which may come from dom0 (sysctl debug_keys) while teardown runs on another CPU.
 */
void domain_for_each_existing(void (*fn)(struct domain *d, bool published, void *ctx), void *ctx);
/* Free a domain whose build failed: never published, none of its vCPUs ever ran. */
void domain_destroy_unstarted(struct domain *d);
/* Called by every CPU at each pass through the scheduler: finishes shut-down domains. */
void domain_reaper_poll(unsigned cpu);
/*
 * Give a page a domain no longer maps back to the allocator once every CPU has passed the
 * scheduler (no hypercall still holds its address); from any CPU, under any lock but the
 * allocator's.
 */
void domain_free_page_later(uint64_t pa, unsigned order);
/*
 * The machine memory a domain that is not 1:1 owns, d->extents (domain_extents.c), all under
 * d->lock. The run holding machine address pa, or -1.
 */
int domain_extent_find(const struct domain *d, uint64_t pa);
/* Whether domain_extent_add(d, pa, size) would succeed. */
bool domain_extent_room(const struct domain *d, uint64_t pa, uint64_t size);
/* d now owns [pa, pa + size): joins a neighbouring run; false when a new run has no room. */
bool domain_extent_add(struct domain *d, uint64_t pa, uint64_t size);
/* Page pa of run i leaves d's ownership; false (nothing changed) when a split has no room. */
bool domain_extent_take_page(struct domain *d, unsigned i, uint64_t pa);
/* Every run back to the allocator (teardown). */
void domain_extents_free(struct domain *d);
/* A shut-down domain is still on its way out: CPUs must keep passing, not sleep. */
bool domain_reap_pending(void);
/* A vCPU of a dying domain was taken off this CPU. */
void domain_vcpu_dropped(struct vcpu *v);

/*
 * Proof that the caller holds d->lock (as Hafnium's struct vm_locked): one
 * pointer, passed by value, so it costs nothing. Made only by domain_lock()
 * and domain_lock_pair(); ended by domain_unlock(), which also clears it.
 */
struct domain_locked {
	struct domain *d;
};

/* Two domains' locks, taken in lock order; a and b are the same domain when it was locked once. */
struct domain_pair_locked {
	struct domain_locked a, b;
};

static inline struct domain_locked domain_lock(struct domain *d)
{
	spin_lock(&d->lock);
	return (struct domain_locked){d};
}

static inline void domain_unlock(struct domain_locked *l)
{
	spin_unlock(&l->d->lock);
	l->d = NULL;
}

/* Lock a and b, lower domid first; a == b takes the one lock. */
struct domain_pair_locked domain_lock_pair(struct domain *a, struct domain *b);
void domain_unlock_pair(struct domain_pair_locked *l);

/*
 * The domain whose lock l proves held. With CONFIG_DEBUG_LOCKS (the host
 * tests) it checks the lock really is held, so a proof made by hand or kept
 * past its unlock stops the hypervisor; without, it is l.d and nothing else.
 */
static inline struct domain *locked_domain(struct domain_locked l)
{
#ifdef CONFIG_DEBUG_LOCKS
	BUG_ON(!l.d || !spin_is_locked(&l.d->lock));
#endif
	return l.d;
}

bool domain_is_ram(struct domain *d, uint64_t gfn);

/* The vCPU loaded on this CPU (NULL when none): on every exit's path, so inline. */
static inline struct vcpu *current_vcpu(void)
{
	return this_cpu()->current;
}
/* Its registers are loaded on a physical CPU. */
static inline bool vcpu_on_cpu(const struct vcpu *v)
{
	return __atomic_load_n(&v->sched.loaded, __ATOMIC_ACQUIRE);
}
static inline struct domain *current_domain(void)
{
	return current_vcpu()->domain;
}

#endif
