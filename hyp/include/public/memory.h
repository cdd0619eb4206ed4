// SPDX-License-Identifier: Apache-2.0
#ifndef PUBLIC_MEMORY_H
#define PUBLIC_MEMORY_H

/*
 * memory_op (hypercall 12): x0 = command, x1 = argument (guest VA). Bits 63:6 of the command
 * carry a continuation start (MEMOP_EXTENT_SHIFT); guests pass 0 there.
 */

#include "xen.h"

#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK	   0x3f

#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap	    6
#define XENMEM_add_to_physmap	    7
#define XENMEM_remove_from_physmap  15
#define XENMEM_add_to_physmap_batch 23
#define XENMEM_acquire_resource	    28

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
