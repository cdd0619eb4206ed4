// SPDX-License-Identifier: Apache-2.0
/*
 * Domains and vCPUs: the objects every other subsystem hangs its state on.
 *
 * Locking: d->lock protects the domain's event channels, grant table and
 * PV registration state (shared_info, vcpu_info, runstate). When two domains'
 * locks are needed, take the lower domid first (domain_lock_pair). The p2m
 * and vGIC have their own locks (arch), always taken inside d->lock, never
 * the other way round. A vCPU's scheduling state (state, sched, runstate)
 * is protected by the run queue lock of the physical CPU it is on (sched.c);
 * the scheduler may move a vCPU between CPUs while its registers are saved.
 */
#ifndef PUNT_DOMAIN_H
#define PUNT_DOMAIN_H

#include <public/xen.h>
#include <public/vcpu.h>
#include <punt/arch/types.h>
#include <punt/bootinfo.h>
#include <punt/console.h>
#include <punt/mmio.h>
#include <punt/sched_policy.h>
#include <punt/spinlock.h>
#include <stdbool.h>
#include <stdint.h>

#define MAX_DOMAINS	   64
#define NR_HVM_PARAMS	   64
#define DOMAIN_MAX_EXTENTS 64

struct arch_domain_config;
struct evtchn;
struct grant_table;
struct pv_console;

enum vcpu_run_state {
	VCPU_OFFLINE, /* not started (PSCI CPU_ON brings it up) or CPU_OFF */
	VCPU_RUNNABLE,
	VCPU_BLOCKED, /* WFI / SCHEDOP_block / poll: waits for an interrupt */
	VCPU_PAUSED,  /* domain shut down */
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
	bool dying;
	uint64_t links; /* bit n: the configuration links this domain with domain n */
	unsigned max_vcpus;
	struct sched_dom sched; /* weight, cap, hard affinity */
	struct vcpu *vcpus[CONFIG_NR_CPUS];
	struct arch_domain arch;  /* the architecture's alone (punt/arch/types.h) */
	struct mmio_regions mmio; /* its emulated devices' regions (punt/mmio.h) */
	spinlock_t lock;

	struct boot_region ram[BOOT_MAX_MEM];
	unsigned nr_ram;
	uint64_t tot_pages;
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
	int shutdown_code;	   /* SCHEDOP_shutdown_code */
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
void domain_shutdown(struct domain *d, int reason);
/* Free a domain whose build failed: never published, none of its vCPUs ever ran. */
void domain_destroy_unstarted(struct domain *d);
/* Called by every CPU at each pass through the scheduler: finishes shut-down domains. */
void domain_reaper_poll(unsigned cpu);
/* A shut-down domain is still on its way out: CPUs must keep passing, not sleep. */
bool domain_reap_pending(void);
/* A vCPU of a dying domain was taken off this CPU. */
void domain_vcpu_dropped(struct vcpu *v);
void domain_lock_pair(struct domain *a, struct domain *b);
void domain_unlock_pair(struct domain *a, struct domain *b);
bool domain_is_ram(struct domain *d, uint64_t gfn);

struct vcpu *current_vcpu(void);
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
