// SPDX-License-Identifier: Apache-2.0
/*
 * sysctl (Xen public/sysctl.h): the toolstack's view of the machine, for the control domain
 * only. The checks come in Xen 4.17's order (Xen common/sysctl.c do_sysctl): the envelope's
 * version (-EACCES), then the policy (-EPERM); the envelope is written back only on success.
 * The machine is described as Xen 4.17 describes an Arm machine without NUMA: one node, one
 * socket, one core per socket and one thread per core, one CPU pool. Operations Punt does
 * not offer are -ENOSYS (docs/control.md).
 */
#include <public/errno.h>
#include <public/sysctl.h>
#include <punt/arch/guest_access.h>
#include <punt/arch/timer.h>
#include <punt/console.h>
#include <punt/control.h>
#include <punt/cpu.h>
#include <punt/debug_keys.h>
#include <punt/domain.h>
#include <punt/hypercall.h>
#include <punt/memory.h>
#include <punt/page_alloc.h>
#include <punt/policy.h>
#include <punt/string.h>

/*
 * The scheduler xl reports: credit2, Xen 4.17's default, whose parameters (a weight, 256 by
 * default, and a cap) are those Punt's scheduler takes.
 */
#define PUNT_SCHED_ID XEN_SCHEDULER_CREDIT2
/* Xen on Arm without NUMA (asm/numa.h __node_distance): every distance is 20, even a node's own. */
#define NODE_DISTANCE 20
#define CHUNK	      256

static unsigned online_cpus(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nr_pcpus; i++)
		n += pcpus[i].online;
	return n;
}

/*
 * readconsole (Xen drivers/char/console.c read_console_ring): up to count bytes from the
 * oldest readable one, or from index when incremental and index lies in (cons, prod]; index
 * comes back as the position after the last byte, so a second call with it reads only what
 * was logged since. clear forgets everything up to where the read ended.
 */
static long readconsole(struct xen_sysctl_readconsole *rc)
{
	struct console_log_pos pos = console_log_position();
	uint32_t c = pos.cons, p = pos.prod, done = 0;
	char chunk[CHUNK];

	if (rc->incremental &&
	    (c <= p ? c < rc->index && rc->index <= p : c < rc->index || rc->index <= p))
		c = rc->index;
	while (c != p && done < rc->count) {
		uint32_t n = p - c;
		if (n > rc->count - done)
			n = rc->count - done;
		if (n > CHUNK)
			n = CHUNK;
		console_log_copy(c, chunk, n);
		if (copy_to_guest(rc->buffer_gva + done, chunk, n))
			return -XEN_EFAULT;
		done += n;
		c += n;
	}
	if (rc->clear)
		console_log_clear(c);
	rc->count = done;
	rc->index = c;
	return 0;
}

static void physinfo(struct xen_sysctl_physinfo *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->threads_per_core = 1;
	pi->cores_per_socket = 1;
	pi->nr_cpus = online_cpus();
	pi->max_cpu_id = nr_pcpus - 1;
	pi->nr_nodes = 1;
	pi->max_node_id = 0;
	/* Xen on Arm reports the system counter's frequency. */
	pi->cpu_khz = (uint32_t)arch_ns_to_count(1000000);
	/* Arm: HVM with hardware paging, grant tables v1 only; no PV, no shadow, no IOMMU. */
	pi->capabilities =
	    XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v1;
	pi->total_pages = memory_ram_pages();
	pi->free_pages = page_alloc_free_pages();
	pi->max_mfn = memory_max_page() - 1;
}

static void fill_info(struct domain *d, bool dead, void *ctx)
{
	control_domain_info(d, dead, ctx);
}

/*
 * getdomaininfolist: records of the domains at or above first_domain, in id order, at most
 * max_domains of them; none left is a success with num_domains 0 (libxl lists domains by
 * asking again from the last id + 1 until it gets none).
 */
static long getdomaininfolist(struct xen_sysctl_getdomaininfolist *l)
{
	struct xen_domctl_getdomaininfo info;
	uint32_t n = 0;
	int id;

	for (unsigned from = l->first_domain; n < l->max_domains; from = (unsigned)id + 1) {
		id = domain_visit_from((domid_t)from, fill_info, &info);
		if (id < 0)
			break;
		if (copy_to_guest(l->buffer_gva + (uint64_t)n * sizeof(info), &info, sizeof(info)))
			return -XEN_EFAULT;
		n++;
	}
	l->num_domains = n;
	return 0;
}

/*
 * debug_keys (Xen common/sysctl.c): each key as if typed on Punt's console; what the handlers
 * print goes to the log that readconsole (xl dmesg) reads. Between keys the call may stop and
 * continue with the keys left, written back into the caller's envelope (Xen handles them all
 * in one go: a long string would hold the CPU). -ENOSYS when Punt is built without debug keys.
 */
static long debug_keys(uint64_t arg, struct xen_sysctl *op)
{
	struct xen_sysctl_debug_keys *k = &op->u.debug_keys;

	if (!debug_keys_available())
		return -XEN_ENOSYS;
	for (bool first = true; k->nr_keys; first = false) {
		char c;
		if (!first && hypercall_preempt_check()) {
			if (copy_to_guest(arg, op, sizeof(*op)))
				return -XEN_EFAULT;
			return hypercall_continue(1, (const uint64_t[]){arg});
		}
		if (copy_from_guest(&c, k->keys_gva, 1))
			return -XEN_EFAULT;
		debug_key_pressed(c);
		k->keys_gva++;
		k->nr_keys--;
	}
	return 0;
}

/*
 * A bitmap out to the guest as Xen writes one (Xen common/bitmap.c bitmap_to_xenctl_bitmap):
 * as many bytes as both sides have, bits past nbits cleared, the rest of the guest's zeroed.
 */
static long bitmap_out(const struct xenctl_bitmap *b, const uint8_t *bits, unsigned nbits)
{
	uint8_t bytes[CONFIG_NR_CPUS / 8 + 1] = {0};
	uint32_t guest = (b->nr_bits + 7) / 8, ours = (nbits + 7) / 8;
	uint32_t copy = guest < ours ? guest : ours;
	static const uint8_t zeros[64];

	memcpy(bytes, bits, ours);
	if (nbits % 8)
		bytes[ours - 1] &= (uint8_t)((1u << (nbits % 8)) - 1);
	if (copy && copy_to_guest(b->bitmap_gva, bytes, copy))
		return -XEN_EFAULT;
	for (uint32_t at = copy; at < guest;) {
		uint32_t n = guest - at < sizeof(zeros) ? guest - at : sizeof(zeros);
		if (copy_to_guest(b->bitmap_gva + at, zeros, n))
			return -XEN_EFAULT;
		at += n;
	}
	return 0;
}

static unsigned pool_domains(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MAX_DOMAINS; i++)
		n += domain_lookup((domid_t)i) != NULL;
	return n;
}

/*
 * cpupool_op (Xen common/sched/cpupool.c): one pool, 0, with every CPU and every domain.
 * INFO answers the first pool at or above the id asked, -ENOENT past it (xen-init-dom0 and
 * libxl list pools that way); FREEINFO: no CPU is outside it. Punt cannot make or change
 * pools: those operations are -EOPNOTSUPP.
 */
static long cpupool_op(struct xen_sysctl_cpupool_op *op)
{
	uint8_t cpus[CONFIG_NR_CPUS / 8 + 1] = {0};

	switch (op->op) {
	case XEN_SYSCTL_CPUPOOL_OP_INFO:
		if (op->cpupool_id > 0)
			return -XEN_ENOENT;
		op->cpupool_id = 0;
		op->sched_id = PUNT_SCHED_ID;
		op->n_dom = pool_domains();
		for (unsigned i = 0; i < nr_pcpus; i++)
			if (pcpus[i].online)
				cpus[i / 8] |= (uint8_t)(1u << (i % 8));
		return bitmap_out(&op->cpumap, cpus, nr_pcpus);
	case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
		return bitmap_out(&op->cpumap, cpus, nr_pcpus);
	case XEN_SYSCTL_CPUPOOL_OP_CREATE:
	case XEN_SYSCTL_CPUPOOL_OP_DESTROY:
	case XEN_SYSCTL_CPUPOOL_OP_ADDCPU:
	case XEN_SYSCTL_CPUPOOL_OP_RMCPU:
	case XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN:
		return -XEN_EOPNOTSUPP;
	default:
		return -XEN_ENOSYS;
	}
}

/*
 * cputopoinfo (Xen common/sysctl.c): a null array asks for the number of CPUs; otherwise up
 * to num_cpus entries, and num_cpus comes back as the number Punt has when that differs.
 * Xen on Arm places every CPU at core 0, socket 0, node 0 (asm/processor.h cpu_to_core).
 */
static long cputopoinfo(struct xen_sysctl_cputopoinfo *ti)
{
	uint32_t n = nr_pcpus, i;
	const struct xen_sysctl_cputopo topo = {.core = 0, .socket = 0, .node = 0};

	if (ti->cputopo_gva) {
		if (n > ti->num_cpus)
			n = ti->num_cpus;
		for (i = 0; i < n; i++)
			if (copy_to_guest(ti->cputopo_gva + (uint64_t)i * sizeof(topo), &topo,
					  sizeof(topo)))
				return -XEN_EFAULT;
	}
	ti->num_cpus = n;
	return 0;
}

/* numainfo (Xen common/sysctl.c): the same protocol for the one node. */
static long numainfo(struct xen_sysctl_numainfo *ni)
{
	uint32_t n = 1;

	if (ni->meminfo_gva || ni->distance_gva) {
		if (n > ni->num_nodes)
			n = ni->num_nodes;
		if (n && ni->meminfo_gva) {
			/* Xen without NUMA: the node spans the lowest to the highest RAM frame. */
			struct xen_sysctl_meminfo m = {
			    .memsize = (memory_max_page() - memory_first_page()) << 12,
			    .memfree = page_alloc_free_pages() << 12,
			};
			if (copy_to_guest(ni->meminfo_gva, &m, sizeof(m)))
				return -XEN_EFAULT;
		}
		if (n && ni->distance_gva) {
			uint32_t distance = NODE_DISTANCE;
			if (copy_to_guest(ni->distance_gva, &distance, sizeof(distance)))
				return -XEN_EFAULT;
		}
	}
	ni->num_nodes = n;
	return 0;
}

long do_sysctl(struct vcpu *v, uint64_t arg, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	struct xen_sysctl op;
	long rc;

	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	rc = policy_control(v->domain, HYPERVISOR_sysctl, op.cmd);
	if (rc)
		return rc;
	switch (op.cmd) {
	case XEN_SYSCTL_readconsole:
		rc = readconsole(&op.u.readconsole);
		break;
	case XEN_SYSCTL_physinfo:
		physinfo(&op.u.physinfo);
		break;
	case XEN_SYSCTL_sched_id:
		op.u.sched_id.sched_id = PUNT_SCHED_ID;
		break;
	case XEN_SYSCTL_getdomaininfolist:
		rc = getdomaininfolist(&op.u.getdomaininfolist);
		break;
	case XEN_SYSCTL_debug_keys:
		/* Nothing to give back (Xen does not copy the envelope back either). */
		return debug_keys(arg, &op);
	case XEN_SYSCTL_cputopoinfo:
		rc = cputopoinfo(&op.u.cputopoinfo);
		break;
	case XEN_SYSCTL_numainfo:
		rc = numainfo(&op.u.numainfo);
		break;
	case XEN_SYSCTL_cpupool_op:
		rc = cpupool_op(&op.u.cpupool_op);
		break;
	default:
		return -XEN_ENOSYS;
	}
	if (!rc && copy_to_guest(arg, &op, sizeof(op)))
		return -XEN_EFAULT;
	return rc;
}
