// SPDX-License-Identifier: MIT
#ifndef PUBLIC_GRANT_TABLE_H
#define PUBLIC_GRANT_TABLE_H

/*
 * grant_table_op (hypercall 20): x0 = command, x1 = array of operations (guest VA),
 * x2 = count. Returns 0 once the batch is processed; each operation's status field carries
 * its own GNTST_* result. Punt implements grant tables version 1.
 */

#include "xen.h"

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

#define GNTTABOP_map_grant_ref	   0
#define GNTTABOP_unmap_grant_ref   1
#define GNTTABOP_setup_table	   2
#define GNTTABOP_dump_table	   3 /* withdrawn: -ENOSYS */
#define GNTTABOP_transfer	   4 /* page transfer, PV guests only */
#define GNTTABOP_copy		   5
#define GNTTABOP_query_size	   6
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version	   8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version	   10
#define GNTTABOP_swap_grant_ref	   11
#define GNTTABOP_cache_flush	   12

/* Refs 0..7 belong to the toolstack: 0 the console ring, 1 the xenstore ring. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE	   0
#define GNTTAB_RESERVED_XENSTORE   1

/* One v1 entry, written by the granting domain: domid and frame first, then flags. */
struct grant_entry_v1 {
	uint16_t flags;
	domid_t domid;	/* the grantee */
	uint32_t frame; /* GFN of the granted page, in the granter */
};
XEN_CHECK_SIZE(struct grant_entry_v1, 8);
XEN_CHECK_OFFSET(struct grant_entry_v1, flags, 0);
XEN_CHECK_OFFSET(struct grant_entry_v1, domid, 2);
XEN_CHECK_OFFSET(struct grant_entry_v1, frame, 4);

#define GRANT_ENTRIES_V1_PER_FRAME (XEN_PAGE_SIZE / sizeof(struct grant_entry_v1))

/* grant_entry_v1.flags: type in bits 1:0, then attributes. */
#define GTF_type_mask	    3u
#define GTF_invalid	    0u
#define GTF_permit_access   1u
#define GTF_accept_transfer 2u
#define GTF_transitive	    3u
#define GTF_readonly	    (1u << 2)
#define GTF_reading	    (1u << 3) /* set by the hypervisor while mapped or copied from */
#define GTF_writing	    (1u << 4) /* set by the hypervisor while mapped writable */
#define GTF_PWT		    (1u << 5)
#define GTF_PCD		    (1u << 6)
#define GTF_PAT		    (1u << 7)
#define GTF_sub_page	    (1u << 8)

/* map_grant_ref.flags. Arm accepts only host_map, optionally readonly. */
#define GNTMAP_device_map      (1u << 0)
#define GNTMAP_host_map	       (1u << 1)
#define GNTMAP_readonly	       (1u << 2)
#define GNTMAP_application_map (1u << 3)
#define GNTMAP_contains_pte    (1u << 4)

/* Per-operation status values. */
#define GNTST_okay		0
#define GNTST_general_error	(-1)
#define GNTST_bad_domain	(-2)
#define GNTST_bad_gntref	(-3)
#define GNTST_bad_handle	(-4)
#define GNTST_bad_virt_addr	(-5)
#define GNTST_bad_dev_addr	(-6)
#define GNTST_no_device_space	(-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page		(-9)
#define GNTST_bad_copy_arg	(-10)
#define GNTST_address_too_big	(-11)
#define GNTST_eagain		(-12)
#define GNTST_no_space		(-13)

struct gnttab_map_grant_ref {
	uint64_t host_addr; /* caller's guest-physical address on Arm */
	uint32_t flags;	    /* GNTMAP_* */
	grant_ref_t ref;
	domid_t dom;
	int16_t status;	       /* out: GNTST_* */
	grant_handle_t handle; /* out */
	uint64_t dev_bus_addr; /* out: machine address of the granted frame */
};
XEN_CHECK_SIZE(struct gnttab_map_grant_ref, 32);
XEN_CHECK_OFFSET(struct gnttab_map_grant_ref, host_addr, 0);
XEN_CHECK_OFFSET(struct gnttab_map_grant_ref, flags, 8);
XEN_CHECK_OFFSET(struct gnttab_map_grant_ref, ref, 12);
XEN_CHECK_OFFSET(struct gnttab_map_grant_ref, dom, 16);
XEN_CHECK_OFFSET(struct gnttab_map_grant_ref, status, 18);
XEN_CHECK_OFFSET(struct gnttab_map_grant_ref, handle, 20);
XEN_CHECK_OFFSET(struct gnttab_map_grant_ref, dev_bus_addr, 24);

struct gnttab_unmap_grant_ref {
	uint64_t host_addr;
	uint64_t dev_bus_addr;
	grant_handle_t handle;
	int16_t status; /* out */
	uint16_t pad0;
};
XEN_CHECK_SIZE(struct gnttab_unmap_grant_ref, 24);
XEN_CHECK_OFFSET(struct gnttab_unmap_grant_ref, host_addr, 0);
XEN_CHECK_OFFSET(struct gnttab_unmap_grant_ref, dev_bus_addr, 8);
XEN_CHECK_OFFSET(struct gnttab_unmap_grant_ref, handle, 16);
XEN_CHECK_OFFSET(struct gnttab_unmap_grant_ref, status, 20);

struct gnttab_setup_table {
	domid_t dom;
	uint16_t pad0;
	uint32_t nr_frames;
	int16_t status; /* out */
	uint16_t pad1[3];
	uint64_t frame_list_gva; /* xen_pfn_t[nr_frames], out */
};
XEN_CHECK_SIZE(struct gnttab_setup_table, 24);
XEN_CHECK_OFFSET(struct gnttab_setup_table, dom, 0);
XEN_CHECK_OFFSET(struct gnttab_setup_table, nr_frames, 4);
XEN_CHECK_OFFSET(struct gnttab_setup_table, status, 8);
XEN_CHECK_OFFSET(struct gnttab_setup_table, frame_list_gva, 16);

/* One side of a grant copy: a grant ref (flag set) or a GFN of domid. */
struct gnttab_copy_ptr {
	union {
		grant_ref_t ref;
		xen_pfn_t gmfn;
	} u;
	domid_t domid;
	uint16_t offset;
	uint32_t pad0;
};
XEN_CHECK_SIZE(struct gnttab_copy_ptr, 16);
XEN_CHECK_OFFSET(struct gnttab_copy_ptr, u.ref, 0);
XEN_CHECK_OFFSET(struct gnttab_copy_ptr, u.gmfn, 0);
XEN_CHECK_OFFSET(struct gnttab_copy_ptr, domid, 8);
XEN_CHECK_OFFSET(struct gnttab_copy_ptr, offset, 10);

#define GNTCOPY_source_gref (1u << 0)
#define GNTCOPY_dest_gref   (1u << 1)

/* len <= 4096 and offset + len <= 4096 on both sides. */
struct gnttab_copy {
	struct gnttab_copy_ptr source;
	struct gnttab_copy_ptr dest;
	uint16_t len;
	uint16_t flags; /* GNTCOPY_* */
	int16_t status; /* out */
	uint16_t pad0;
};
XEN_CHECK_SIZE(struct gnttab_copy, 40);
XEN_CHECK_OFFSET(struct gnttab_copy, source, 0);
XEN_CHECK_OFFSET(struct gnttab_copy, dest, 16);
XEN_CHECK_OFFSET(struct gnttab_copy, len, 32);
XEN_CHECK_OFFSET(struct gnttab_copy, flags, 34);
XEN_CHECK_OFFSET(struct gnttab_copy, status, 36);

struct gnttab_query_size {
	domid_t dom;
	uint16_t pad0;
	uint32_t nr_frames;	/* out */
	uint32_t max_nr_frames; /* out */
	int16_t status;		/* out */
	uint16_t pad1;
};
XEN_CHECK_SIZE(struct gnttab_query_size, 16);
XEN_CHECK_OFFSET(struct gnttab_query_size, dom, 0);
XEN_CHECK_OFFSET(struct gnttab_query_size, nr_frames, 4);
XEN_CHECK_OFFSET(struct gnttab_query_size, max_nr_frames, 8);
XEN_CHECK_OFFSET(struct gnttab_query_size, status, 12);

struct gnttab_set_version {
	uint32_t version; /* in: requested; out: in effect */
};
XEN_CHECK_SIZE(struct gnttab_set_version, 4);

/* GNTTABOP_unmap_and_replace: an unmap that puts new_addr's mapping in its place. */
struct gnttab_unmap_and_replace {
	uint64_t host_addr;
	uint64_t new_addr; /* must be 0 on Arm */
	grant_handle_t handle;
	int16_t status; /* out */
	uint16_t pad0;
};
XEN_CHECK_SIZE(struct gnttab_unmap_and_replace, 24);
XEN_CHECK_OFFSET(struct gnttab_unmap_and_replace, new_addr, 8);
XEN_CHECK_OFFSET(struct gnttab_unmap_and_replace, handle, 16);
XEN_CHECK_OFFSET(struct gnttab_unmap_and_replace, status, 20);

/* GNTTABOP_transfer: give a page to another domain (PV guests only). */
struct gnttab_transfer {
	xen_pfn_t mfn;
	domid_t domid;
	uint16_t pad0;
	grant_ref_t ref;
	int16_t status; /* out */
	uint16_t pad1[3];
};
XEN_CHECK_SIZE(struct gnttab_transfer, 24);
XEN_CHECK_OFFSET(struct gnttab_transfer, ref, 12);
XEN_CHECK_OFFSET(struct gnttab_transfer, status, 16);

struct gnttab_get_status_frames {
	uint32_t nr_frames;
	domid_t dom;
	int16_t status; /* out */
	uint64_t frame_list_gva;
};
XEN_CHECK_SIZE(struct gnttab_get_status_frames, 16);

struct gnttab_get_version {
	domid_t dom;
	uint16_t pad0;
	uint32_t version; /* out */
};
XEN_CHECK_SIZE(struct gnttab_get_version, 8);
XEN_CHECK_OFFSET(struct gnttab_get_version, dom, 0);
XEN_CHECK_OFFSET(struct gnttab_get_version, version, 4);

/* GNTTABOP_swap_grant_ref: exchange two entries of the caller's own table. */
struct gnttab_swap_grant_ref {
	grant_ref_t ref_a;
	grant_ref_t ref_b;
	int16_t status; /* out */
	uint16_t pad0;
};
XEN_CHECK_SIZE(struct gnttab_swap_grant_ref, 12);
XEN_CHECK_OFFSET(struct gnttab_swap_grant_ref, status, 8);

/*
 * GNTTABOP_cache_flush: data cache maintenance on part of a page the caller owns or maps
 * through a grant, named by its machine address (a.dev_bus_addr); 0 or -errno per call.
 */
#define GNTTAB_CACHE_CLEAN	 (1u << 0)
#define GNTTAB_CACHE_INVAL	 (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1u << 31)

struct gnttab_cache_flush {
	union {
		uint64_t dev_bus_addr;
		grant_ref_t ref;
	} a;
	uint16_t offset;
	uint16_t length;
	uint32_t op; /* GNTTAB_CACHE_* */
};
XEN_CHECK_SIZE(struct gnttab_cache_flush, 16);
XEN_CHECK_OFFSET(struct gnttab_cache_flush, a, 0);
XEN_CHECK_OFFSET(struct gnttab_cache_flush, offset, 8);
XEN_CHECK_OFFSET(struct gnttab_cache_flush, length, 10);
XEN_CHECK_OFFSET(struct gnttab_cache_flush, op, 12);

#endif
