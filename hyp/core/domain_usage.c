// SPDX-License-Identifier: Apache-2.0
/*
 * The 'q' debug key: what every domain holds, and the totals, one line each, so that a test
 * can compare two moments and see a leak (docs/control.md, "Lifecycle"). A domain's line
 * counts its RAM pages, its stage-2 tables, its open event channels, the grant mappings it
 * holds (and how many of them lost their granter), its grant entries that others map, the
 * foreign frames it maps and its frames that others map. Dying and dead domains are listed
 * until they are freed: one that stays is itself the leak.
 */
#include <punt/arch/p2m.h>
#include <punt/console.h>
#include <punt/debug_keys.h>
#include <punt/domain.h>
#include <punt/event_channel.h>
#include <punt/foreign_map.h>
#include <punt/grant_table.h>
#include <punt/page_alloc.h>

struct usage_totals {
	unsigned domains, gone; /* gone: dying or dead, not yet freed */
	uint64_t pages, p2m_tables, evtchns, grant_maps, foreign_maps;
};

static const char *stage(const struct domain *d, bool published)
{
	if (!published)
		return d->dying ? "dead" : "building";
	if (d->killed || d->reap_queued)
		return "dying";
	return d->shutdown_reason >= 0 ? "shutdown" : "live";
}

static void show_domain(struct domain *d, bool published, void *ctx)
{
	struct usage_totals *t = ctx;
	struct grant_usage g;
	struct domain_locked l = domain_lock(d);
	unsigned evtchns = evtchn_ports_in_use(l);
	unsigned foreign = foreign_map_count(d);

	grant_table_usage(l, &g);
	domain_unlock(&l);
	uint64_t tables = p2m_table_pages(d);
	const char *s = stage(d, published);
	printk("usage d%u %s: state=%s pages=%lu p2m_tables=%lu evtchns=%u grant_maps=%u "
	       "revoked=%u maptrack_pages=%u grant_frames=%u granted_out=%u foreign_maps=%u "
	       "foreign_refs=%lu\n",
	       d->id, d->name, s, d->tot_pages, tables, evtchns, g.mappings, g.revoked,
	       g.maptrack_pages, g.frames, g.pinned, foreign,
	       __atomic_load_n(&d->foreign_refs, __ATOMIC_SEQ_CST));
	t->domains++;
	t->gone += s[0] == 'd'; /* dying or dead */
	t->pages += d->tot_pages;
	t->p2m_tables += tables;
	t->evtchns += evtchns;
	t->grant_maps += g.mappings;
	t->foreign_maps += foreign;
}

static void show_usage(void)
{
	struct usage_totals t = {0};

	domain_for_each_existing(show_domain, &t);
	printk("usage total: domains=%u gone=%u pages=%lu p2m_tables=%lu evtchns=%lu "
	       "grant_maps=%lu foreign_maps=%lu free_pages=%lu\n",
	       t.domains, t.gone, t.pages, t.p2m_tables, t.evtchns, t.grant_maps, t.foreign_maps,
	       page_alloc_free_pages());
}
DEBUG_KEY(usage, 'q', "what each domain holds and the free pages (leak check)", show_usage);
