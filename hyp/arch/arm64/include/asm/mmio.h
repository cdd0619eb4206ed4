// SPDX-License-Identifier: Apache-2.0
/*
 * Emulated MMIO: a domain registers guest-physical ranges with handlers.
 * A stage-2 data abort inside a range calls the handler with the decoded
 * access; outside every range the guest gets an external data abort.
 * Registration happens while the domain is built, before it runs, so
 * lookups need no lock.
 */
#ifndef ASM_MMIO_H
#define ASM_MMIO_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct domain;

struct mmio_access {
	uint64_t addr;	 /* guest-physical */
	uint64_t offset; /* from the start of the range */
	unsigned size;	 /* 1, 2, 4 or 8 bytes */
	bool write;
	uint64_t value; /* in for writes, out for reads */
};

/* Return true if handled; false makes the access fault in the guest. */
typedef bool (*mmio_handler_fn)(struct vcpu *v, struct mmio_access *a, void *priv);

#define MMIO_MAX_RANGES 8

struct mmio_range {
	uint64_t base, size;
	mmio_handler_fn handler;
	void *priv;
};

void mmio_domain_destroy(struct domain *d);
int mmio_register(struct domain *d, uint64_t base, uint64_t size, mmio_handler_fn fn, void *priv);
/* Handle a stage-2 data abort; false if the guest must get an abort. */
bool mmio_handle_abort(struct vcpu *v, uint64_t esr, uint64_t ipa);
void inject_data_abort(struct vcpu *v, uint64_t va);
void inject_instruction_abort(struct vcpu *v, uint64_t va);
void inject_undef(struct vcpu *v);

#endif
