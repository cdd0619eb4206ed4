// SPDX-License-Identifier: Apache-2.0
/*
 * The hostile-guest fuzzer and its canary: one image, two roles. A two-domain scenario boots
 * it twice; the domain with rt.index=0 fuzzes, the one with rt.index=1 is the canary (see
 * docs/fuzzing.md). Every random choice comes from one seeded generator and never from a
 * hypercall's result, so a seed and an iteration number replay a run.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include "rt.h"

/* ---- the generator: splitmix64 ---- */
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

/* ---- what the fuzzer knows of its world ---- */
struct fz_world {
	domid_t self, canary;
	uint32_t port[2];	    /* our ends of the static channels */
	uint64_t ram_base, ram_end; /* our first memory bank */
	/* Pages the fuzzer may hand to the hypervisor to overwrite or unmap: [victim, ram_end). */
	uint64_t victim;
	/* Scratch for arguments: in our RAM, after the image, below the victim pages. */
	uint8_t *scratch;
	uint64_t uart, gicd, gicr, gicr_size, gnttab;
	uint64_t foreign; /* the first extended region: room for foreign mappings */
	/* HVC with other immediates: Punt injects an UNDEF, Xen 4.17 crashes the domain. */
	bool odd_hvc;
};
extern struct fz_world fz;
#define FZ_SCRATCH_SIZE (256 * 1024)

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

/* ---- the operation log: one record per call, the last few kept for a post-mortem ---- */
struct fz_op {
	uint32_t iter;
	char kind;   /* 'H' hypercall, 'M' multicall, 'P' PSCI/SMCCC, 'S' sysreg, 'L'/'W' memory */
	uint32_t nr; /* hypercall number, PSCI id, instruction word or probe index */
	uint64_t a[5];
	long ret;
};
struct fz_op *fz_log_begin(char kind, uint32_t nr);
void fz_log_end(struct fz_op *op, long ret);
void fz_log_dump(unsigned n);

/* ---- the operations ---- */
void fz_hypercall(void); /* hcall.c */
void fz_multicall(void);
void fz_psci(void); /* cpu.c */
void fz_sysreg(void);
void fz_memory(void);
/* A blocking call may only sleep until the timer this arms; fz_wake_done() cleans up. */
void fz_wake_guard(void);
void fz_wake_done(void);

/* Expected faults from the probes, counted by the fault hook. */
struct fz_faults {
	unsigned undef, dabt, serror, other;
};
extern struct fz_faults fz_faults;

void fuzzer_main(void);
void canary_main(void);

#endif
