// SPDX-License-Identifier: Apache-2.0
/*
 * The registry of emulated MMIO regions (punt/mmio.h): registration and
 * teardown. Lookup and dispatch are inline in the header; a domain has a
 * handful of regions, so a scan of the array is the fastest lookup there is.
 */
#include <public/errno.h>
#include <punt/console.h>
#include <punt/domain.h>
#include <punt/mmio.h>

/* The last byte, so that a region ending at the top of the address space has one. */
static uint64_t last_byte(uint64_t base, uint64_t size)
{
	return base + (size - 1);
}

int mmio_register(struct domain *d, const char *name, uint64_t base, uint64_t size,
		  mmio_handler_fn handler, void *priv)
{
	struct mmio_regions *m = &d->mmio;

	if (!size || last_byte(base, size) < base || !handler) {
		printk("d%u: MMIO region %s at %#lx size %#lx is invalid\n", d->id, name, base,
		       size);
		return -XEN_EINVAL;
	}
	for (unsigned i = 0; i < m->nr; i++) {
		const struct mmio_region *r = &m->region[i];
		if (base <= last_byte(r->base, r->size) && r->base <= last_byte(base, size)) {
			printk(
			    "d%u: MMIO region %s at %#lx size %#lx overlaps %s at %#lx size %#lx\n",
			    d->id, name, base, size, r->name, r->base, r->size);
			return -XEN_EEXIST;
		}
	}
	if (m->nr == MMIO_MAX_REGIONS) {
		printk("d%u: MMIO region %s: no room, %u regions already\n", d->id, name,
		       MMIO_MAX_REGIONS);
		return -XEN_ENOSPC;
	}
	m->region[m->nr] = (struct mmio_region){base, size, handler, priv, name};
	__atomic_store_n(&m->nr, m->nr + 1, __ATOMIC_RELEASE);
	return 0;
}

void mmio_remove_all(struct domain *d)
{
	d->mmio.nr = 0;
}
