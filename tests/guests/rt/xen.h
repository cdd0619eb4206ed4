// SPDX-License-Identifier: Apache-2.0
/*
 * The slice of the Xen guest ABI the micro-guests use, written out independently of
 * hyp/include/public so a mistake there cannot hide in both (reference: xen-arm-abi.md).
 */
#ifndef RT_XEN_H
#define RT_XEN_H

#include <stdint.h>

#define HYPERVISOR_platform_op	    7
#define HYPERVISOR_memory_op	    12
#define HYPERVISOR_multicall	    13
#define HYPERVISOR_xen_version	    17
#define HYPERVISOR_console_io	    18
#define HYPERVISOR_grant_table_op   20
#define HYPERVISOR_vm_assist	    21
#define HYPERVISOR_vcpu_op	    24
#define HYPERVISOR_sched_op	    29
#define HYPERVISOR_event_channel_op 32
#define HYPERVISOR_physdev_op	    33
#define HYPERVISOR_hvm_op	    34
#define HYPERVISOR_sysctl	    35
#define HYPERVISOR_domctl	    36

#define XEN_EPERM      1
#define XEN_ENOENT     2
#define XEN_ESRCH      3
#define XEN_EFAULT     14
#define XEN_EBUSY      16
#define XEN_EEXIST     17
#define XEN_ENXIO      6
#define XEN_EINVAL     22
#define XEN_ENOSPC     28
#define XEN_ENOSYS     38
#define XEN_EOPNOTSUPP 95

#define DOMID_SELF 0x7FF0u

/* xen_version */
#define XENVER_version		   0
#define XENVER_extraversion	   1
#define XENVER_compile_info	   2
#define XENVER_capabilities	   3
#define XENVER_changeset	   4
#define XENVER_platform_parameters 5
#define XENVER_get_features	   6
#define XENVER_pagesize		   7
#define XENVER_guest_handle	   8
#define XENVER_commandline	   9
#define XENVER_build_id		   10

struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};
struct xen_feature_info {
	uint32_t submap_idx;
	uint32_t submap;
};
struct xen_platform_parameters {
	uint64_t virt_start;
};
#define XENFEAT_writable_page_tables	0
#define XENFEAT_auto_translated_physmap 2
#define XENFEAT_dom0			11
#define XENFEAT_ARM_SMCCC_supported	14
#define XENFEAT_not_direct_mapped	16
#define XENFEAT_direct_mapped		17

/* memory_op */
#define XENMEM_add_to_physmap	   7
#define XENMEM_remove_from_physmap 15
#define XENMAPSPACE_shared_info	   0
#define XENMAPSPACE_grant_table	   1

struct xen_add_to_physmap {
	uint16_t domid;
	uint16_t size;
	uint32_t space;
	uint64_t idx;
	uint64_t gpfn;
};
struct xen_remove_from_physmap {
	uint16_t domid;
	uint64_t gpfn;
};

/* vcpu_op */
#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_register_vcpu_info	     10
struct vcpu_register_vcpu_info {
	uint64_t mfn;
	uint32_t offset;
	uint32_t rsvd;
};

struct vcpu_time_info {
	uint32_t version, pad0;
	uint64_t tsc_timestamp, system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags, pad1[2];
};
struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t pad0;
	uint64_t evtchn_pending_sel;
	struct vcpu_time_info time;
};
struct shared_info {
	struct vcpu_info vcpu_info[1];
	uint64_t evtchn_pending[64];
	uint64_t evtchn_mask[64];
	uint32_t wc_version, wc_sec, wc_nsec, wc_sec_hi;
};

/* event_channel_op */
#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq	  1
#define EVTCHNOP_close		  3
#define EVTCHNOP_send		  4
#define EVTCHNOP_status		  5
#define EVTCHNOP_alloc_unbound	  6
#define EVTCHNOP_bind_ipi	  7
#define EVTCHNOP_bind_vcpu	  8
#define EVTCHNOP_unmask		  9
#define EVTCHNOP_reset		  10
#define EVTCHNOP_init_control	  11
#define EVTCHNOP_expand_array	  12
#define EVTCHNOP_set_priority	  13

struct evtchn_alloc_unbound {
	uint16_t dom, remote_dom;
	uint32_t port;
};
struct evtchn_bind_interdomain {
	uint16_t remote_dom;
	uint32_t remote_port;
	uint32_t local_port;
};
struct evtchn_bind_virq {
	uint32_t virq, vcpu, port;
};
struct evtchn_port_op { /* close, send, unmask */
	uint32_t port;
};
struct evtchn_bind_vcpu {
	uint32_t port, vcpu;
};
#define EVTCHNSTAT_closed      0
#define EVTCHNSTAT_unbound     1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_virq	       4
struct evtchn_status {
	uint16_t dom;
	uint32_t port;
	uint32_t status;
	uint32_t vcpu;
	union {
		struct {
			uint16_t dom;
		} unbound;
		struct {
			uint16_t dom;
			uint32_t port;
		} interdomain;
		uint32_t virq;
	} u;
};
struct evtchn_init_control {
	uint64_t control_gfn;
	uint32_t offset, vcpu;
	uint8_t link_bits, pad[7];
};
#define VIRQ_TIMER   0
#define VIRQ_CONSOLE 2
#define VIRQ_DOM_EXC 3
#define NR_VIRQS     24

/* grant_table_op */
#define GNTTABOP_setup_table 2
#define GNTTABOP_query_size  6
#define GNTTABOP_set_version 8
#define GNTTABOP_get_version 10
struct gnttab_setup_table {
	uint16_t dom;
	uint32_t nr_frames;
	int16_t status;
	uint64_t frame_list;
};
struct gnttab_query_size {
	uint16_t dom;
	uint32_t nr_frames, max_nr_frames;
	int16_t status;
};
struct gnttab_set_version {
	uint32_t version;
};
struct gnttab_get_version {
	uint16_t dom, pad;
	uint32_t version;
};
#define GNTST_okay	    0
#define GNTST_general_error (-1)
#define GNTST_bad_domain    (-2)

/* sched_op */
#define SCHEDOP_yield	  0
#define SCHEDOP_shutdown  2
#define SHUTDOWN_poweroff 0
struct sched_shutdown {
	uint32_t reason;
};

/* hvm_op */
#define HVMOP_set_param 0
#define HVMOP_get_param 1
struct xen_hvm_param {
	uint16_t domid, pad;
	uint32_t index;
	uint64_t value;
};

/* console_io */
#define CONSOLEIO_write 0
#define CONSOLEIO_read	1

_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "xen_add_to_physmap");
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "xen_remove_from_physmap");
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "vcpu_register_vcpu_info");
_Static_assert(sizeof(struct vcpu_info) == 48, "vcpu_info");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_pending) == 48, "pending");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_mask) == 560, "mask");
_Static_assert(sizeof(struct shared_info) == 1088, "shared_info");
_Static_assert(sizeof(struct evtchn_status) == 24, "evtchn_status");
_Static_assert(__builtin_offsetof(struct evtchn_status, u) == 16, "evtchn_status.u");
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "bind_interdomain");
_Static_assert(sizeof(struct evtchn_init_control) == 24, "init_control");
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "setup_table");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size");
_Static_assert(sizeof(struct xen_hvm_param) == 16, "hvm_param");
_Static_assert(sizeof(struct xen_compile_info) == 144, "compile_info");

#endif
