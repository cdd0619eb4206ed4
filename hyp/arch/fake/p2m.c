// SPDX-License-Identifier: Apache-2.0
/*
 * A fake stage-2 (punt/arch/p2m.h): a list of ranges per domain, in no order.
 * Mapping first cuts whatever the new range covers out of the old ones, so a
 * frame is in at most one range; machine frames are host pages (host address
 * >> 12). There are no TLBs to invalidate.
 */
#include "fake.h"

#include <public/errno.h>
#include <punt/arch/p2m.h>
#include <punt/domain.h>
#include <stdio.h>
#include <stdlib.h>

static int add(struct domain *d, struct fake_p2m_range r)
{
	struct arch_domain *a = &d->arch;

	if (a->p2m_nr == a->p2m_cap) {
		unsigned cap = a->p2m_cap ? 2 * a->p2m_cap : 16;
		struct fake_p2m_range *more = realloc(a->p2m, cap * sizeof(*more));
		if (!more)
			return -XEN_ENOMEM;
		a->p2m = more;
		a->p2m_cap = cap;
	}
	a->p2m[a->p2m_nr++] = r;
	return 0;
}

/* Take [gfn, gfn + nr) out of every range; a range cut in the middle becomes two. */
static int cut(struct domain *d, uint64_t gfn, uint64_t nr)
{
	uint64_t end = gfn + nr;

	for (unsigned i = 0; i < d->arch.p2m_nr;) {
		struct fake_p2m_range r = d->arch.p2m[i];
		uint64_t r_end = r.gfn + r.nr;
		if (r_end <= gfn || r.gfn >= end) {
			i++;
			continue;
		}
		d->arch.p2m[i] = d->arch.p2m[--d->arch.p2m_nr];
		if (r.gfn < gfn &&
		    add(d, (struct fake_p2m_range){r.gfn, r.mfn, gfn - r.gfn, r.type}))
			return -XEN_ENOMEM;
		if (r_end > end && add(d, (struct fake_p2m_range){end, r.mfn + (end - r.gfn),
								  r_end - end, r.type}))
			return -XEN_ENOMEM;
	}
	return 0;
}

int p2m_map(struct domain *d, uint64_t gfn, uint64_t mfn, uint64_t nr, enum p2m_type t)
{
	if (!d->arch.initialised) {
		fprintf(stderr, "fake p2m: d%u has no stage-2 (arch_domain_init)\n", d->id);
		abort();
	}
	if (fake_failure_due(FAKE_FAIL_P2M_MAP))
		return -XEN_ENOMEM;
	if (!nr)
		return 0;
	int rc = cut(d, gfn, nr);
	return rc ? rc : add(d, (struct fake_p2m_range){gfn, mfn, nr, t});
}

int p2m_unmap(struct domain *d, uint64_t gfn, uint64_t nr)
{
	return cut(d, gfn, nr);
}

enum p2m_type p2m_lookup(struct domain *d, uint64_t gfn, uint64_t *mfn)
{
	for (unsigned i = 0; i < d->arch.p2m_nr; i++) {
		const struct fake_p2m_range *r = &d->arch.p2m[i];
		if (gfn >= r->gfn && gfn - r->gfn < r->nr) {
			if (mfn)
				*mfn = r->mfn + (gfn - r->gfn);
			return (enum p2m_type)r->type;
		}
	}
	return P2M_INVALID;
}

unsigned p2m_ipa_bits(void)
{
	return 40;
}

uint64_t fake_p2m_frames(struct domain *d, enum p2m_type t)
{
	uint64_t frames = 0;

	for (unsigned i = 0; i < d->arch.p2m_nr; i++)
		if (d->arch.p2m[i].type == (int)t)
			frames += d->arch.p2m[i].nr;
	return frames;
}

uint64_t p2m_table_pages(struct domain *d)
{
	/* The fake keeps its ranges in host memory, outside the page allocator. */
	(void)d;
	return 0;
}
