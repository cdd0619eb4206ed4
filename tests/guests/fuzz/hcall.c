// SPDX-License-Identifier: Apache-2.0
/*
 * Random hypercalls: a number (all of 0..63, some beyond), a sub-op (the known ones and
 * random ones) and arguments built in scratch memory, field by field, from the pools of
 * fuzzer.c. A structure is passed by a good pointer most of the time and by a bad one
 * (fz_ptr) otherwise; its unnamed bytes stay random.
 */
#include "fuzz.h"

struct call {
	uint64_t nr, a[5];
};

/* ---- the argument arena: this vCPU's scratch [0, 128 KiB), reset for each operation ---- */
static uint64_t arena_used[FZ_MAX_CPUS];

static void arena_reset(void)
{
	arena_used[fz_me()->id] = 0;
}

/* `size` random bytes in scratch, 8-aligned (or, rarely, deliberately misaligned). */
static void *arena(uint64_t size)
{
	uint64_t *used = &arena_used[fz_me()->id];
	uint64_t at = (*used + 7) & ~7ull;

	if (at + size + 8 > 0x20000)
		at = 0;
	uint8_t *p = fz_me()->scratch + at;
	for (uint64_t i = 0; i < size; i += 8) {
		uint64_t r = fz_rand();
		memcpy(p + i, &r, size - i < 8 ? size - i : 8);
	}
	*used = at + size;
	return p;
}

/* Where the hypervisor finds a structure: usually `p`, sometimes anywhere. */
static uint64_t via(const void *p)
{
	if (fz_chance(1, 12))
		return fz_ptr();
	if (fz_chance(1, 40))
		return (uint64_t)p + 1;
	return (uint64_t)p;
}

uint64_t fz_gpfn_list(unsigned n)
{
	uint64_t *list = arena(8 * (n ? n : 1));

	for (unsigned i = 0; i < n; i++)
		list[i] = fz_gpfn();
	return via(list);
}

static uint32_t fz_count(void)
{
	const uint32_t fixed[] = {0, 1, 1, 1, 1, 2, 3, 8, 64, 512, 513, 0x7fffffff, 0xffffffff};

	return FZ_PICK(fixed);
}

/* Entries actually built for a count: a huge count runs into whatever follows them. */
static unsigned built(uint32_t count)
{
	return count < 8 ? count : 8;
}

static uint64_t cmd_of(const unsigned *known, unsigned n)
{
	switch (fz_below(8)) {
	case 0:
		return fz_below(64);
	case 1:
		return fz_any();
	default:
		return known[fz_below(n)];
	}
}
#define CMD(arr) cmd_of(arr, sizeof(arr) / sizeof(arr[0]))

/* ---- memory_op ---- */
static void memory_reservation(struct call *c)
{
	const uint32_t orders[] = {0, 0, 0, 1, 2, 9, 10, 18, 31, 63, 0xffffffff};
	struct xen_memory_reservation *r = arena(sizeof(*r));
	uint32_t n = fz_count();

	r->extent_order = FZ_PICK(orders);
	uint64_t *list = arena(8 * (built(n) + 1));
	for (unsigned i = 0; i < built(n); i++)
		list[i] = fz_safe_gpfn(fz_gpfn(), r->extent_order);
	r->extent_start_gva = fz_chance(1, 10) ? fz_ptr() : (uint64_t)list;
	r->nr_extents = n;
	r->domid = fz_domid();
	c->a[1] = via(r);
}

static void memory_add_to_physmap(struct call *c)
{
	struct xen_add_to_physmap *x = arena(sizeof(*x));
	const uint32_t sizes[] = {0, 1, 2, 16, 0xffff};

	x->domid = fz_domid();
	x->space = fz_chance(1, 8) ? (uint32_t)fz_rand() : (uint32_t)fz_below(6);
	x->size = (uint16_t)FZ_PICK(sizes);
	switch (x->space) {
	case XENMAPSPACE_gmfn:
	case XENMAPSPACE_gmfn_range:
		/* The source pages move: only victims (ranges grow upwards from idx). */
		x->idx = fz_safe_gpfn(fz_gpfn(), x->space == XENMAPSPACE_gmfn_range ? 16 : 0);
		break;
	case XENMAPSPACE_gmfn_foreign:
		x->idx = fz_chance(1, 2) ? (fz.ram_base >> 12) + fz_below(64) : fz_any();
		break;
	default:
		x->idx =
		    fz_chance(3, 4) ? fz_below(4) | (fz_chance(1, 4) ? 0x80000000u : 0) : fz_any();
		break;
	}
	x->gpfn = fz_safe_gpfn(fz_gpfn(), x->space == XENMAPSPACE_gmfn_range ? 16 : 0);
	c->a[1] = via(x);
}

static void memory_batch(struct call *c)
{
	struct xen_add_to_physmap_batch *b = arena(sizeof(*b));
	uint32_t n = fz_count() & 0xffff;

	b->domid = fz_domid();
	b->space = (uint16_t)(fz_chance(1, 8) ? fz_rand() : fz_below(6));
	b->size = (uint16_t)n;
	b->foreign_domid = fz_domid();
	b->idxs_gva = fz_gpfn_list(built(n));
	b->gpfns_gva = fz_gpfn_list(built(n));
	b->errs_gva = fz_ptr();
	c->a[1] = via(b);
}

static void memory_acquire(struct call *c)
{
	struct xen_mem_acquire_resource *r = arena(sizeof(*r));
	uint32_t n = fz_count();

	r->domid = fz_domid();
	r->type = (uint16_t)(fz_chance(1, 4) ? fz_rand() : fz_below(4));
	r->id = (uint32_t)fz_below(3);
	r->nr_frames = n;
	r->pad = fz_chance(1, 4) ? (uint32_t)fz_rand() : 0;
	r->frame = fz_chance(1, 2) ? fz_below(4) : fz_any();
	r->frame_list_gva = fz_gpfn_list(built(n));
	c->a[1] = via(r);
}

static void memory_op(struct call *c)
{
	const unsigned cmds[] = {XENMEM_increase_reservation,
				 XENMEM_decrease_reservation,
				 XENMEM_populate_physmap,
				 XENMEM_add_to_physmap,
				 XENMEM_add_to_physmap,
				 XENMEM_remove_from_physmap,
				 XENMEM_remove_from_physmap,
				 XENMEM_add_to_physmap_batch,
				 XENMEM_acquire_resource,
				 2,
				 3,
				 4,
				 5,
				 8,
				 9,
				 11,
				 12,
				 13,
				 14};
	uint64_t cmd = CMD(cmds);

	c->a[0] = cmd;
	switch (cmd & MEMOP_CMD_MASK) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		memory_reservation(c);
		break;
	case XENMEM_add_to_physmap:
		memory_add_to_physmap(c);
		break;
	case XENMEM_remove_from_physmap: {
		struct xen_remove_from_physmap *x = arena(sizeof(*x));
		x->domid = fz_domid();
		x->gpfn = fz_gpfn();
		c->a[1] = via(x);
		break;
	}
	case XENMEM_add_to_physmap_batch:
		memory_batch(c);
		break;
	case XENMEM_acquire_resource:
		memory_acquire(c);
		break;
	default: {
		/* Unknown here: pointers and domids only, never gpfns of ours. */
		uint16_t *d = arena(64);
		d[0] = fz_domid();
		c->a[1] = fz_chance(1, 2) ? via(d) : fz_ptr();
		break;
	}
	}
	/* Continuation bits in a sub-op the hypervisor does not treat as resumable. */
	if (fz_chance(1, 20))
		c->a[0] |= fz_below(1u << 20) << MEMOP_EXTENT_SHIFT;
}

/* ---- grant_table_op ---- */
static void gnt_map(struct gnttab_map_grant_ref *m)
{
	m->host_addr = fz_gpfn() << 12 | (fz_chance(1, 10) ? fz_below(4096) : 0);
	m->flags = (uint32_t)(fz_chance(1, 6) ? fz_rand() : fz_below(32));
	m->ref = fz_ref();
	m->dom = fz_domid();
}

static void gnt_unmap(struct gnttab_unmap_grant_ref *u)
{
	u->host_addr = fz_gpfn() << 12 | (fz_chance(1, 10) ? fz_below(4096) : 0);
	u->dev_bus_addr = fz_chance(1, 2) ? 0 : fz_any();
	u->handle = (uint32_t)(fz_chance(3, 4) ? fz_below(16) : fz_rand());
}

static void gnt_copy_ptr(struct gnttab_copy_ptr *p, bool gref)
{
	const uint16_t offsets[] = {0, 0, 1, 8, 2048, 4095, 4096, 0xffff};

	if (gref)
		p->u.ref = fz_ref();
	else
		p->u.gmfn = fz_gpfn();
	p->domid = fz_domid();
	p->offset = fz_chance(1, 6) ? (uint16_t)fz_rand() : FZ_PICK(offsets);
}

static void gnt_copy(struct gnttab_copy *g)
{
	const uint16_t lens[] = {0, 1, 8, 64, 4095, 4096, 4097, 0xffff};

	g->flags = (uint16_t)(fz_chance(1, 8) ? fz_rand() : fz_below(4));
	gnt_copy_ptr(&g->source, g->flags & GNTCOPY_source_gref);
	gnt_copy_ptr(&g->dest, g->flags & GNTCOPY_dest_gref);
	g->len = fz_chance(1, 6) ? (uint16_t)fz_rand() : FZ_PICK(lens);
}

static void gnt_array(struct call *c, uint64_t size, void (*fill)(void *))
{
	uint32_t n = fz_count();
	uint8_t *p = arena(size * (built(n) + 1));

	for (unsigned i = 0; i < built(n); i++)
		fill(p + i * size);
	c->a[1] = via(p);
	c->a[2] = n;
}

static void fill_map(void *p)
{
	gnt_map(p);
}
static void fill_unmap(void *p)
{
	gnt_unmap(p);
}
static void fill_copy(void *p)
{
	gnt_copy(p);
}

/* A structure that starts with a domid (query_size, get_version, setup_table, ...). */
static void fill_dom_first(void *p)
{
	domid_t d = fz_domid();
	memcpy(p, &d, sizeof(d));
}

/* Structures known only by their first fields (refs, frames, counts): pool-valued words. */
static void fill_words(void *p)
{
	uint32_t *w = p;

	w[0] = fz_chance(1, 2) ? fz_ref() : (uint32_t)fz_gpfn();
	w[1] = fz_chance(1, 2) ? fz_ref() : fz_domid();
	w[2] = (uint32_t)fz_any();
	w[3] = (uint32_t)fz_any();
}

static void grant_table_op(struct call *c)
{
	const unsigned cmds[] = {GNTTABOP_map_grant_ref,
				 GNTTABOP_map_grant_ref,
				 GNTTABOP_unmap_grant_ref,
				 GNTTABOP_setup_table,
				 3,
				 4,
				 GNTTABOP_copy,
				 GNTTABOP_copy,
				 GNTTABOP_query_size,
				 GNTTABOP_unmap_and_replace,
				 GNTTABOP_set_version,
				 GNTTABOP_get_status_frames,
				 GNTTABOP_get_version,
				 11,
				 GNTTABOP_cache_flush};
	uint64_t cmd = CMD(cmds);

	c->a[0] = cmd;
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
		gnt_array(c, sizeof(struct gnttab_map_grant_ref), fill_map);
		break;
	case GNTTABOP_unmap_grant_ref:
		gnt_array(c, sizeof(struct gnttab_unmap_grant_ref), fill_unmap);
		break;
	case GNTTABOP_copy:
		gnt_array(c, sizeof(struct gnttab_copy), fill_copy);
		break;
	case GNTTABOP_setup_table: {
		struct gnttab_setup_table *s = arena(sizeof(*s));
		s->dom = fz_domid();
		s->nr_frames = fz_count();
		s->frame_list_gva = fz_ptr();
		c->a[1] = via(s);
		c->a[2] = fz_count();
		break;
	}
	case GNTTABOP_get_status_frames: {
		struct gnttab_get_status_frames *s = arena(sizeof(*s));
		s->nr_frames = fz_count();
		s->dom = fz_domid();
		s->frame_list_gva = fz_ptr();
		c->a[1] = via(s);
		c->a[2] = fz_count();
		break;
	}
	case GNTTABOP_set_version: {
		uint32_t *v = arena(8);
		*v = fz_chance(1, 4) ? (uint32_t)fz_rand() : (uint32_t)fz_below(4);
		c->a[1] = via(v);
		c->a[2] = fz_count();
		break;
	}
	case GNTTABOP_query_size:
	case GNTTABOP_get_version:
		gnt_array(c, 16, fill_dom_first);
		break;
	default:
		gnt_array(c, 24, fill_words);
		break;
	}
}

/* ---- event_channel_op ---- */
static void evtchn_op(struct call *c)
{
	const unsigned cmds[] = {EVTCHNOP_bind_interdomain,
				 EVTCHNOP_bind_interdomain,
				 EVTCHNOP_bind_virq,
				 EVTCHNOP_bind_pirq,
				 EVTCHNOP_close,
				 EVTCHNOP_close,
				 EVTCHNOP_send,
				 EVTCHNOP_send,
				 EVTCHNOP_status,
				 EVTCHNOP_alloc_unbound,
				 EVTCHNOP_alloc_unbound,
				 EVTCHNOP_bind_ipi,
				 EVTCHNOP_bind_vcpu,
				 EVTCHNOP_unmask,
				 EVTCHNOP_reset,
				 EVTCHNOP_init_control,
				 EVTCHNOP_expand_array,
				 EVTCHNOP_set_priority};
	uint64_t cmd = CMD(cmds);
	uint32_t *w = arena(32);
	uint16_t *h = (uint16_t *)w;

	c->a[0] = cmd;
	c->a[1] = via(w);
	switch (cmd) {
	case EVTCHNOP_bind_interdomain:
		h[0] = fz_domid();
		w[1] = fz_port();
		break;
	case EVTCHNOP_bind_virq:
		w[0] = fz_chance(3, 4) ? (uint32_t)fz_below(25) : (uint32_t)fz_rand();
		w[1] = fz_vcpu();
		break;
	case EVTCHNOP_status:
	case EVTCHNOP_alloc_unbound:
		h[0] = fz_domid();
		h[1] = fz_domid();
		w[1] = fz_port();
		break;
	case EVTCHNOP_reset:
		h[0] = fz_domid();
		break;
	case EVTCHNOP_bind_ipi:
		w[0] = fz_vcpu();
		break;
	case EVTCHNOP_init_control:
	case EVTCHNOP_expand_array: {
		uint64_t g = fz_gpfn();
		memcpy(w, &g, 8);
		w[2] = (uint32_t)(fz_chance(1, 2) ? fz_below(4096) : fz_any());
		w[3] = fz_vcpu();
		break;
	}
	default: /* close, send, unmask, bind_vcpu, set_priority, bind_pirq: port first */
		w[0] = fz_port();
		w[1] = fz_chance(1, 2) ? fz_vcpu() : (uint32_t)fz_any();
		break;
	}
}

/* ---- sched_op: never shutdown or watchdog (fuzzer.c) ---- */
static void sched_op(struct call *c)
{
	const unsigned cmds[] = {SCHEDOP_yield,
				 SCHEDOP_yield,
				 SCHEDOP_block,
				 SCHEDOP_poll,
				 SCHEDOP_poll,
				 SCHEDOP_remote_shutdown,
				 SCHEDOP_remote_shutdown,
				 SCHEDOP_shutdown_code,
				 7};
	uint64_t cmd = CMD(cmds);

	/* Compare the low half too: a handler may read the command as a 32-bit int. */
	if ((uint32_t)cmd == SCHEDOP_shutdown || (uint32_t)cmd == SCHEDOP_watchdog)
		cmd = SCHEDOP_yield;
	c->a[0] = cmd;
	if (cmd == SCHEDOP_poll) {
		struct sched_poll *p = arena(sizeof(*p));
		uint32_t n = fz_count();
		uint32_t *ports = arena(4 * (built(n) + 1));
		for (unsigned i = 0; i < built(n); i++)
			ports[i] = fz_port();
		p->ports_gva = fz_chance(1, 8) ? fz_ptr() : (uint64_t)ports;
		p->nr_ports = n;
		p->timeout = fz_chance(1, 2) ? 0 : fz_any();
		c->a[1] = via(p);
	} else {
		struct sched_remote_shutdown *s = arena(sizeof(*s));
		s->domid = fz_domid();
		s->reason = (uint32_t)(fz_chance(3, 4) ? fz_below(7) : fz_rand());
		c->a[1] = via(s);
	}
}

/* ---- the rest ---- */
static void vcpu_op(struct call *c)
{
	const unsigned cmds[] = {VCPUOP_register_vcpu_info,
				 VCPUOP_register_vcpu_info,
				 VCPUOP_register_runstate_memory_area,
				 VCPUOP_register_runstate_memory_area,
				 1,
				 3,
				 4,
				 6,
				 7,
				 8,
				 9,
				 11,
				 12,
				 13};
	uint64_t cmd = CMD(cmds);
	uint32_t vcpu = fz_vcpu();
	uint64_t *w = arena(32);

	/* VCPUOP_initialise (0) and VCPUOP_down (2) of vCPU0 would stop the fuzzer. */
	if (((uint32_t)cmd == 0 || (uint32_t)cmd == 2) && vcpu == 0)
		vcpu = 1;
	c->a[0] = cmd;
	c->a[1] = vcpu;
	c->a[2] = via(w);
	if (cmd == VCPUOP_register_vcpu_info) {
		const uint32_t offsets[] = {0, 8, 64, 3968, 4032, 4095, 4096};
		struct vcpu_register_vcpu_info *r = (void *)w;
		r->mfn = fz_gpfn();
		r->offset = fz_chance(1, 4) ? (uint32_t)fz_rand() : FZ_PICK(offsets);
		r->rsvd = fz_chance(3, 4) ? 0 : (uint32_t)fz_rand();
	} else if (cmd == VCPUOP_register_runstate_memory_area) {
		w[0] = fz_ptr();
	}
}

static void simple_op(struct call *c, uint64_t max_cmd)
{
	c->a[0] = fz_chance(3, 4) ? fz_below(max_cmd) : fz_any();
	uint64_t *p = arena(128);
	for (unsigned i = 0; i < 8; i++)
		p[i] = fz_any();
	c->a[1] = via(p);
	c->a[2] = fz_any();
}

static void build(struct call *c)
{
	const uint64_t beyond[] = {64, 65, 127, 128, 0x1000, 0xffffffff, 1ull << 32 | 17, ~0ull};

	/* Mostly what a hypervisor implements for Arm guests, then every number and beyond. */
	const uint64_t implemented[] = {
	    HYPERVISOR_memory_op,	 HYPERVISOR_memory_op,	      HYPERVISOR_xen_version,
	    HYPERVISOR_console_io,	 HYPERVISOR_grant_table_op,   HYPERVISOR_grant_table_op,
	    HYPERVISOR_grant_table_op,	 HYPERVISOR_vm_assist,	      HYPERVISOR_vcpu_op,
	    HYPERVISOR_sched_op,	 HYPERVISOR_event_channel_op, HYPERVISOR_event_channel_op,
	    HYPERVISOR_event_channel_op, HYPERVISOR_physdev_op,	      HYPERVISOR_hvm_op,
	    HYPERVISOR_platform_op,	 HYPERVISOR_sysctl,	      HYPERVISOR_domctl};
	unsigned r = (unsigned)fz_below(16);

	c->nr = r < 10 ? FZ_PICK(implemented) : r < 15 ? fz_below(64) : FZ_PICK(beyond);
	if (c->nr == HYPERVISOR_multicall) /* a multicall of its own: fz_multicall() */
		c->nr = HYPERVISOR_xen_version;
	for (unsigned i = 0; i < 5; i++)
		c->a[i] = fz_any();
	switch (c->nr) {
	case HYPERVISOR_memory_op:
		memory_op(c);
		break;
	case HYPERVISOR_xen_version:
		c->a[0] = fz_chance(3, 4) ? fz_below(14) : fz_any();
		c->a[1] = fz_ptr();
		break;
	case HYPERVISOR_console_io: {
		const uint64_t lens[] = {0, 1, 16, 64, 4096, 0xffffffff};
		char *s = arena(64);
		memcpy(s, "<fuzz console_io>\n", 18);
		c->a[0] = fz_chance(3, 4) ? fz_below(2) : fz_any();
		c->a[1] = fz_chance(1, 2) ? 18 : FZ_PICK(lens);
		c->a[2] = fz_chance(1, 2) ? (uint64_t)s : fz_ptr();
		break;
	}
	case HYPERVISOR_grant_table_op:
		grant_table_op(c);
		break;
	case HYPERVISOR_vm_assist:
		c->a[0] = fz_chance(3, 4) ? fz_below(3) : fz_any();
		c->a[1] = fz_chance(3, 4) ? fz_below(40) : fz_any();
		break;
	case HYPERVISOR_vcpu_op:
		vcpu_op(c);
		break;
	case HYPERVISOR_sched_op:
		sched_op(c);
		break;
	case HYPERVISOR_event_channel_op:
		evtchn_op(c);
		break;
	case HYPERVISOR_hvm_op: {
		struct xen_hvm_param *p = arena(sizeof(*p));
		c->a[0] = fz_chance(3, 4) ? fz_below(2) : fz_any();
		p->domid = fz_domid();
		p->index = fz_chance(3, 4) ? (uint32_t)fz_below(40) : (uint32_t)fz_rand();
		p->value = fz_any();
		c->a[1] = via(p);
		break;
	}
	default:
		simple_op(c, 40);
		break;
	}
}

static bool may_block(const struct call *c)
{
	return c->nr == HYPERVISOR_sched_op;
}

void fz_hypercall(void)
{
	struct call c;

	arena_reset();
	build(&c);
	struct fz_op *op = fz_log_begin('H', (uint32_t)c.nr);
	memcpy(op->a, c.a, sizeof(c.a));
	if (may_block(&c))
		fz_wake_guard();
	long ret = rt_hypercall(c.nr, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4]);
	if (may_block(&c))
		fz_wake_done();
	fz_log_end(op, ret);
}

void fz_multicall(void)
{
	const uint32_t counts[] = {0, 1, 2, 3, 8, 513};
	uint32_t n = FZ_PICK(counts);
	struct multicall_entry *e;

	arena_reset();
	e = arena(sizeof(*e) * (built(n) + 1));
	for (unsigned i = 0; i < built(n); i++) {
		struct call c;
		build(&c);
		e[i].op = fz_chance(1, 16) ? HYPERVISOR_multicall : c.nr;
		memcpy(e[i].args, c.a, sizeof(c.a));
		e[i].args[5] = fz_any();
	}
	uint64_t list = fz_chance(1, 10) ? fz_ptr() : (uint64_t)e;
	struct fz_op *op = fz_log_begin('M', n);
	op->a[0] = list;
	op->a[1] = built(n) ? e[0].op : 0;
	fz_wake_guard();
	long ret = rt_hypercall(HYPERVISOR_multicall, list, n, fz_any(), 0, 0);
	fz_wake_done();
	fz_log_end(op, ret);
}
