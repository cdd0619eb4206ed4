// SPDX-License-Identifier: MIT
#ifndef PUBLIC_MEMORY_H
#define PUBLIC_MEMORY_H

/*
 * memory_op (hypercall 12): x0 = command, x1 = argument (guest VA). Bits 63:6 of the command
 * carry a continuation start (MEMOP_EXTENT_SHIFT); guests pass 0 there.
 */

#include "xen.h"

#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK	   0x3f

#define XENMEM_increase_reservation	0
#define XENMEM_decrease_reservation	1
#define XENMEM_maximum_ram_page		2 /* returns the machine's highest RAM frame + 1 */
#define XENMEM_current_reservation	3 /* struct xen_memory_domain: pages the domain has */
#define XENMEM_maximum_reservation	4 /* struct xen_memory_domain: pages it may have */
#define XENMEM_populate_physmap		6
#define XENMEM_add_to_physmap		7
#define XENMEM_exchange			11
#define XENMEM_maximum_gpfn		14 /* struct xen_memory_domain: highest GFN mapped */
#define XENMEM_remove_from_physmap	15
#define XENMEM_get_sharing_freed_pages	18 /* page sharing (not on Arm): 0 */
#define XENMEM_get_sharing_shared_pages 19
#define XENMEM_add_to_physmap_batch	23
#define XENMEM_claim_pages		24
#define XENMEM_get_vnumainfo		26
#define XENMEM_acquire_resource		28

/* xen_memory_reservation.mem_flags */
#define XENMEMF_address_bits(x)	    (x) /* lowest 8 bits: highest address bit allowed */
#define XENMEMF_get_address_bits(x) ((x)&0xffu)
#define XENMEMF_node(x)		    (((x) + 1) << 8) /* bits 15:8: NUMA node + 1 */
#define XENMEMF_get_node(x)	    ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand  (1u << 16)
#define XENMEMF_exact_node_request  (1u << 17)
#define XENMEMF_vnode		    (1u << 18) /* the node is a virtual NUMA node */

/* For increase/decrease_reservation and populate_physmap; returns extents processed. */
struct xen_memory_reservation {
	uint64_t extent_start_gva; /* xen_pfn_t[nr_extents] */
	xen_ulong_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	domid_t domid;
	uint16_t pad0[3];
};
XEN_CHECK_SIZE(struct xen_memory_reservation, 32);
XEN_CHECK_OFFSET(struct xen_memory_reservation, extent_start_gva, 0);
XEN_CHECK_OFFSET(struct xen_memory_reservation, nr_extents, 8);
XEN_CHECK_OFFSET(struct xen_memory_reservation, extent_order, 16);
XEN_CHECK_OFFSET(struct xen_memory_reservation, mem_flags, 20);
XEN_CHECK_OFFSET(struct xen_memory_reservation, domid, 24);

/* exchange: give the in extents back and get the out extents instead. */
struct xen_memory_exchange {
	struct xen_memory_reservation in;
	struct xen_memory_reservation out;
	xen_ulong_t nr_exchanged; /* in: 0; out: in extents exchanged */
};
XEN_CHECK_SIZE(struct xen_memory_exchange, 72);
XEN_CHECK_OFFSET(struct xen_memory_exchange, out, 32);
XEN_CHECK_OFFSET(struct xen_memory_exchange, nr_exchanged, 64);

/* current_reservation, maximum_reservation, maximum_gpfn: which domain. */
struct xen_memory_domain {
	domid_t domid;
};
XEN_CHECK_SIZE(struct xen_memory_domain, 2);

/* get_vnumainfo: a domain's virtual NUMA layout (-EOPNOTSUPP when it has none). */
struct xen_vnuma_topology_info {
	domid_t domid;
	uint16_t pad; /* must be zero */
	uint32_t nr_vnodes;
	uint32_t nr_vcpus;
	uint32_t nr_vmemranges;
	uint64_t vdistance_gva;
	uint64_t vcpu_to_vnode_gva;
	uint64_t vmemrange_gva;
};
XEN_CHECK_SIZE(struct xen_vnuma_topology_info, 40);
XEN_CHECK_OFFSET(struct xen_vnuma_topology_info, nr_vnodes, 4);
XEN_CHECK_OFFSET(struct xen_vnuma_topology_info, vdistance_gva, 16);
XEN_CHECK_OFFSET(struct xen_vnuma_topology_info, vmemrange_gva, 32);

/* Address spaces for add_to_physmap(_batch). */
#define XENMAPSPACE_shared_info	 0
#define XENMAPSPACE_grant_table	 1
#define XENMAPSPACE_gmfn	 2
#define XENMAPSPACE_gmfn_range	 3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio	 5
/* OR'ed into idx for grant_table: map a status frame (grant tables v2 only). */
#define XENMAPIDX_grant_table_status 0x80000000u

struct xen_add_to_physmap {
	domid_t domid;
	uint16_t size; /* gmfn_range only; left uninitialised by Linux otherwise */
	uint32_t space;
	xen_ulong_t idx;
	xen_pfn_t gpfn;
};
XEN_CHECK_SIZE(struct xen_add_to_physmap, 24);
XEN_CHECK_OFFSET(struct xen_add_to_physmap, domid, 0);
XEN_CHECK_OFFSET(struct xen_add_to_physmap, size, 2);
XEN_CHECK_OFFSET(struct xen_add_to_physmap, space, 4);
XEN_CHECK_OFFSET(struct xen_add_to_physmap, idx, 8);
XEN_CHECK_OFFSET(struct xen_add_to_physmap, gpfn, 16);

struct xen_add_to_physmap_batch {
	domid_t domid;
	uint16_t space;
	uint16_t size; /* number of entries in each array */
	domid_t foreign_domid;
	uint64_t idxs_gva;  /* xen_ulong_t[size] */
	uint64_t gpfns_gva; /* xen_pfn_t[size] */
	uint64_t errs_gva;  /* int32_t[size], per-entry result */
};
XEN_CHECK_SIZE(struct xen_add_to_physmap_batch, 32);
XEN_CHECK_OFFSET(struct xen_add_to_physmap_batch, domid, 0);
XEN_CHECK_OFFSET(struct xen_add_to_physmap_batch, space, 2);
XEN_CHECK_OFFSET(struct xen_add_to_physmap_batch, size, 4);
XEN_CHECK_OFFSET(struct xen_add_to_physmap_batch, foreign_domid, 6);
XEN_CHECK_OFFSET(struct xen_add_to_physmap_batch, idxs_gva, 8);
XEN_CHECK_OFFSET(struct xen_add_to_physmap_batch, gpfns_gva, 16);
XEN_CHECK_OFFSET(struct xen_add_to_physmap_batch, errs_gva, 24);

struct xen_remove_from_physmap {
	domid_t domid;
	uint16_t pad0[3];
	xen_pfn_t gpfn;
};
XEN_CHECK_SIZE(struct xen_remove_from_physmap, 16);
XEN_CHECK_OFFSET(struct xen_remove_from_physmap, domid, 0);
XEN_CHECK_OFFSET(struct xen_remove_from_physmap, gpfn, 8);

#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table  1
#define XENMEM_resource_vmtrace_buf  2

#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1

/* frame_list_gva == 0 and nr_frames == 0 asks for the resource size (in nr_frames). */
struct xen_mem_acquire_resource {
	domid_t domid;
	uint16_t type;
	uint32_t id;
	uint32_t nr_frames;
	uint32_t pad; /* must be zero */
	uint64_t frame;
	uint64_t frame_list_gva; /* xen_pfn_t[nr_frames]: caller GFNs to map at */
};
XEN_CHECK_SIZE(struct xen_mem_acquire_resource, 32);
XEN_CHECK_OFFSET(struct xen_mem_acquire_resource, domid, 0);
XEN_CHECK_OFFSET(struct xen_mem_acquire_resource, type, 2);
XEN_CHECK_OFFSET(struct xen_mem_acquire_resource, id, 4);
XEN_CHECK_OFFSET(struct xen_mem_acquire_resource, nr_frames, 8);
XEN_CHECK_OFFSET(struct xen_mem_acquire_resource, pad, 12);
XEN_CHECK_OFFSET(struct xen_mem_acquire_resource, frame, 16);
XEN_CHECK_OFFSET(struct xen_mem_acquire_resource, frame_list_gva, 24);

#endif
