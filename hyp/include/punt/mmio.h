// SPDX-License-Identifier: Apache-2.0
/*
 * The registry of a domain's emulated MMIO regions, kept in the domain
 * (struct domain.mmio) as Bao keeps its per-VM list of emulated regions. A
 * virtual device registers each guest-physical range it emulates, with a
 * handler, while the domain is created (its init in arch_domain_init(),
 * punt/arch/domain.h); the architecture decodes a stage-2 abort into a
 * struct mmio_access and asks mmio_dispatch() to run it; arch_domain_destroy()
 * removes all of the domain's regions at once. Regions never overlap, so an
 * address belongs to at most one device.
 *
 * Locking: none. Regions are added while the domain is built, before it first
 * runs (a domain the toolstack made may get its UART from vuart_op until its
 * first unpause, which can race the addition), and removed only after its
 * vCPUs are gone (core/domain.c). An addition fills its slot, then publishes
 * the new count (release), and a lookup reads the count once (acquire), so it
 * sees whole regions only.
 */
#ifndef PUNT_MMIO_H
#define PUNT_MMIO_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;

/* One guest access to an emulated region, decoded by the architecture. */
struct mmio_access {
	uint64_t addr;	 /* guest-physical */
	uint64_t offset; /* from the start of the region (mmio_dispatch() sets it) */
	unsigned size;	 /* 1, 2, 4 or 8 bytes */
	bool write;
	uint64_t value; /* in for writes (only the low size bytes), out for reads */
};

/* Emulate a; true if done, false to make the access fault in the guest. */
typedef bool (*mmio_handler_fn)(struct vcpu *v, struct mmio_access *a, void *priv);

/* A vGIC distributor and redistributors, a UART: room for a few more devices. */
#define MMIO_MAX_REGIONS 8

struct mmio_region {
	uint64_t base, size;
	mmio_handler_fn handler;
	void *priv;	  /* passed to handler */
	const char *name; /* for the log: the device and, if it has several, which range */
};

struct mmio_regions {
	struct mmio_region region[MMIO_MAX_REGIONS]; /* nr used, in registration order */
	unsigned nr;
};

/*
 * Add [base, base + size) to d's regions. 0; -XEN_EINVAL for a zero size, a
 * range past the end of the address space or no handler; -XEN_EEXIST if it
 * overlaps one of d's regions; -XEN_ENOSPC if d has MMIO_MAX_REGIONS already.
 * A refusal is logged with both names and leaves the regions as they were.
 */
int mmio_register(struct domain *d, const char *name, uint64_t base, uint64_t size,
		  mmio_handler_fn handler, void *priv);
/*
 * The region of m (a domain's d->mmio) that holds addr, or NULL. Inline, as
 * is mmio_dispatch(): they are on the path of every emulated access.
 */
static inline const struct mmio_region *mmio_find(const struct mmio_regions *m, uint64_t addr)
{
	unsigned nr = __atomic_load_n(&m->nr, __ATOMIC_ACQUIRE);

	for (unsigned i = 0; i < nr; i++) {
		if (addr - m->region[i].base < m->region[i].size)
			return &m->region[i];
	}
	return NULL;
}

/*
 * Emulate v's access a (a->addr, size, write, value filled in) with the
 * handler of the region of m (v's domain's d->mmio) that holds a->addr:
 * false if there is none or it refuses the access.
 */
static inline bool mmio_dispatch(const struct mmio_regions *m, struct vcpu *v,
				 struct mmio_access *a)
{
	const struct mmio_region *r = mmio_find(m, a->addr);

	if (!r)
		return false;
	a->offset = a->addr - r->base;
	return r->handler(v, a, r->priv);
}

/* Forget every region of d (arch_domain_destroy()). */
void mmio_remove_all(struct domain *d);

#endif
