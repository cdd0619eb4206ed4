// SPDX-License-Identifier: Apache-2.0
/*
 * The hostile-guest fuzzer and its canary: one image, three domains. fuzz.py boots it as a
 * three-domain scenario: rt.index 0 and 1 are two hostile domains linked by static event
 * channels, each with 2-4 vCPUs that all fuzz at once and reboot the domain again and
 * again; rt.index 2 is the canary (see docs/fuzzing.md). Every random choice of a vCPU comes
 * from its own generator, seeded from the boot's seed and the vCPU's index, and never from a
 * hypercall's result, so a boot seed and an iteration number replay what each vCPU did.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include "rt.h"

#define FZ_MAX_CPUS	8
#define FZ_SCRATCH_SIZE (256 * 1024) /* per vCPU */
#define FZ_STACK_SIZE	16384
#define FZ_LOG_SIZE	32
#define FZ_MAPS		8 /* foreign pages each vCPU may have mapped at once */

/* ---- the operation log: one record per call, the last few kept for a post-mortem ---- */
struct fz_op {
	uint32_t iter;
	/*
	 * 'H' hypercall, 'M' multicall, 'P' PSCI/SMCCC, 'S' sysreg, 'L'/'W' memory, 'B' a burst
	 * of cheap traps, 'C' a vCPU lifecycle call, 'G' sharing with the peer, 'R' a reboot.
	 */
	char kind;
	uint32_t nr; /* hypercall number, PSCI id, instruction word or probe index */
	uint64_t a[5];
	long ret;
};

/* Expected faults from the probes, counted by the fault hook. */
struct fz_faults {
	unsigned undef, dabt, serror, other;
};

/* A foreign page this vCPU mapped with GNTTABOP_map_grant_ref and may still unmap. */
struct fz_map {
	uint64_t gpa;
	uint32_t handle;
	bool used;
};

/* What each vCPU keeps for itself; TPIDR_EL1 points at it (fz_me()). */
struct fz_cpu {
	unsigned id;	 /* vCPU index in the domain */
	uint64_t rng;	 /* splitmix64 state */
	uint32_t iter;	 /* operations done in this boot */
	uint32_t reboot; /* at this many operations this vCPU reboots the domain */
	struct fz_faults faults;
	uint8_t *scratch; /* FZ_SCRATCH_SIZE bytes for arguments */
	uint32_t *dyn;	  /* this vCPU's instruction slot in probe.S */
	uint64_t gicr;	  /* this vCPU's redistributor */
	uint64_t foreign; /* FZ_MAPS pages of guest-physical space for foreign mappings */
	struct fz_map maps[FZ_MAPS];
	uint32_t ports[4]; /* ports it allocated or bound, for later sends and closes */
	struct fz_op ring[FZ_LOG_SIZE];
	unsigned ring_next;
	volatile bool off_request; /* a sibling asks it to CPU_OFF itself */
	uint64_t reboot_tries;
};

static inline struct fz_cpu *fz_me(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(v));
	return (struct fz_cpu *)v;
}

/* ---- the generator: splitmix64, one stream per vCPU ---- */
uint64_t fz_mix(uint64_t x);
uint64_t fz_rand(void);
static inline uint64_t fz_below(uint64_t n)
{
	return n ? fz_rand() % n : 0;
}
/* True with probability num/den. */
static inline bool fz_chance(unsigned num, unsigned den)
{
	return fz_below(den) < num;
}
#define FZ_PICK(arr) ((arr)[fz_below(sizeof(arr) / sizeof((arr)[0]))])

/* ---- what the fuzzer knows of its world (written by vCPU0 at boot, then read-only) ---- */
struct fz_world {
	domid_t self, peer, canary;
	uint32_t port[3]; /* our ends of the static channels: two to the peer, one to the canary */
	uint64_t ram_base, ram_end; /* our first memory bank */
	/* Pages the fuzzer may hand to the hypervisor to overwrite or unmap: [victim, ram_end). */
	uint64_t victim;
	uint8_t *scratch; /* nr_cpus * FZ_SCRATCH_SIZE, after the image */
	uint64_t uart, gicd, gicr, gicr_size, gnttab;
	uint64_t foreign; /* guest-physical space for foreign mappings (an extended region or a
			     hole below 4 GiB) */
	unsigned nr_cpus;
	uint64_t mpidr[FZ_MAX_CPUS];
	/* HVC with other immediates: Punt injects an UNDEF, Xen 4.17 crashes the domain. */
	bool odd_hvc;
	bool may_reboot;
	uint32_t trace_from;
	uint64_t boot_seed;
	uint64_t every; /* progress line every this many operations per vCPU */
};
extern struct fz_world fz;

/* Interesting values of each kind, drawn at random. */
uint64_t fz_any(void);
domid_t fz_domid(void);
uint32_t fz_port(void);
uint32_t fz_ref(void);
uint32_t fz_vcpu(void);
uint64_t fz_gpfn(void);		   /* never one of the protected pages (see fz_safe_gpfn) */
uint64_t fz_ptr(void);		   /* a guest VA: ours, a hole, MMIO, high, kernel-looking */
uint64_t fz_gpfn_list(unsigned n); /* pointer to n safe GPFNs in scratch, or a bad pointer */
/* gpfn if [gpfn, gpfn + 2^order) (also aligned down) spares the protected pages, else a victim. */
uint64_t fz_safe_gpfn(uint64_t gpfn, unsigned order);

struct fz_op *fz_log_begin(char kind, uint32_t nr);
void fz_log_end(struct fz_op *op, long ret);
void fz_log_dump(unsigned n);

/* rt_printf from several vCPUs: one whole line at a time. */
void fz_lock_print(void);
void fz_unlock_print(void);
#define FZ_PRINT(...)                                                                              \
	do {                                                                                       \
		fz_lock_print();                                                                   \
		rt_printf(__VA_ARGS__);                                                            \
		fz_unlock_print();                                                                 \
	} while (0)

/* ---- the operations ---- */
void fz_hypercall(void); /* hcall.c */
void fz_multicall(void);
void fz_psci(void); /* cpu.c */
void fz_sysreg(void);
void fz_memory(void);
void fz_share(void);	  /* share.c: grants and channels with the peer and the canary */
void fz_share_init(void); /* vCPU0 at boot: our grants to the peer and the canary */
void fz_burst(void);	  /* life.c: a run of cheap traps */
void fz_lifecycle(void);  /* CPU_OFF/CPU_ON of our own vCPUs and friends */
/* A blocking call may only sleep until the timer this arms; fz_wake_done() cleans up. */
void fz_wake_guard(void);
void fz_wake_done(void);
/* The probes that load and store (probe.S): they may fault, the hook steps over them. */
uint64_t fz_ldr64(uint64_t), fz_str64(uint64_t, uint64_t), fz_str32(uint64_t, uint64_t);
uint64_t fz_strh(uint64_t, uint64_t);

/* PSCI CPU_ON (SMC or HVC, 64 or 32-bit) of our vCPU `cpu` at fz_entry with its context. */
uint64_t fz_cpu_on_sibling(unsigned cpu, bool smc, bool wide);
/* Which of our vCPUs (0..nr_cpus-1) a CPU_ON with this MPIDR could start, or -1. */
int fz_sibling_of_mpidr(uint64_t mpidr);
bool fz_fault_hook(uint64_t kind, uint64_t *frame, uint64_t esr, uint64_t far);
void fz_cpu_init(struct fz_cpu *c, unsigned id);

void fuzzer_main(void);
void canary_main(void);

#endif
