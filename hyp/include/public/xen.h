// SPDX-License-Identifier: MIT
#ifndef PUBLIC_XEN_H
#define PUBLIC_XEN_H

/*
 * The Xen guest ABI as Punt implements it for Arm64 guests: hypercall numbers, domain ids,
 * VIRQs and the shared_info page. Included by the hypervisor (freestanding) and by the dom0
 * tools, so only fixed-width types and no libc. Layouts are AAPCS64, little-endian; every
 * size and offset the reference gives (docs: reference/xen-arm-abi.md) is pinned below.
 * Guest pointers are uint64_t fields named *_gva: guest virtual addresses, never
 * dereferenced directly by the hypervisor.
 */

#include <stddef.h>
#include <stdint.h>

#include "arch-arm.h"

#define XEN_CHECK_SIZE(type, bytes) _Static_assert(sizeof(type) == (bytes), #type " size")
#define XEN_CHECK_OFFSET(type, field, at)                                                          \
	_Static_assert(offsetof(type, field) == (at), #type "." #field " offset")

typedef uint16_t domid_t;
typedef uint64_t xen_pfn_t;   /* a guest frame number: IPA >> XEN_PAGE_SHIFT */
typedef uint64_t xen_ulong_t; /* a register-sized value */

/* Hypercall numbers (x16); Xen spells them __HYPERVISOR_<name>. */
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
#define HYPERVISOR_dm_op	    41
/* Size of a dispatch table indexed by hypercall number; higher numbers are -ENOSYS. */
#define HYPERVISOR_NR_CALLS 64

/* console_io commands: x0 = cmd, x1 = count, x2 = buffer (guest VA). */
#define CONSOLEIO_write 0
#define CONSOLEIO_read	1

/* Reserved domain ids; real domains are below DOMID_FIRST_RESERVED. */
#define DOMID_FIRST_RESERVED 0x7FF0
#define DOMID_SELF	     0x7FF0
#define DOMID_IO	     0x7FF1
#define DOMID_XEN	     0x7FF2
#define DOMID_COW	     0x7FF3
#define DOMID_INVALID	     0x7FF4
#define DOMID_IDLE	     0x7FFF

/* Virtual IRQs bound with EVTCHNOP_bind_virq. Per-vCPU: TIMER, DEBUG, XENOPROF, XENPMU. */
#define VIRQ_TIMER	0
#define VIRQ_DEBUG	1
#define VIRQ_CONSOLE	2
#define VIRQ_DOM_EXC	3
#define VIRQ_TBUF	4
#define VIRQ_DEBUGGER	6
#define VIRQ_XENOPROF	7
#define VIRQ_CON_RING	8
#define VIRQ_PCPU_STATE 9
#define VIRQ_MEM_EVENT	10
#define VIRQ_ARGO	11
#define VIRQ_ENOMEM	12
#define VIRQ_XENPMU	13
#define VIRQ_ARCH_0	16
#define VIRQ_ARCH_7	23
#define NR_VIRQS	24

/* shared_info has room for one vcpu_info on Arm; other vCPUs must register their own. */
#define XEN_LEGACY_MAX_VCPUS 1
/* 2-level event channels: 64 selector bits x 64 bits per word. */
#define EVTCHN_2L_NR_CHANNELS 4096
#define EVTCHN_2L_WORDS	      (EVTCHN_2L_NR_CHANNELS / 64)

struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad1[2];
};
XEN_CHECK_SIZE(struct vcpu_time_info, 32);
XEN_CHECK_OFFSET(struct vcpu_time_info, version, 0);
XEN_CHECK_OFFSET(struct vcpu_time_info, tsc_timestamp, 8);
XEN_CHECK_OFFSET(struct vcpu_time_info, system_time, 16);
XEN_CHECK_OFFSET(struct vcpu_time_info, tsc_to_system_mul, 24);
XEN_CHECK_OFFSET(struct vcpu_time_info, tsc_shift, 28);
XEN_CHECK_OFFSET(struct vcpu_time_info, flags, 29);

struct vcpu_info {
	uint8_t evtchn_upcall_pending; /* bit 0: an upcall is due */
	uint8_t pad0;		       /* upcall mask on x86; unused on Arm */
	uint8_t pad1[6];
	uint64_t evtchn_pending_sel; /* bit w: word w of evtchn_pending may hold work */
	struct vcpu_time_info time;
};
XEN_CHECK_SIZE(struct vcpu_info, 48);
XEN_CHECK_OFFSET(struct vcpu_info, evtchn_upcall_pending, 0);
XEN_CHECK_OFFSET(struct vcpu_info, pad0, 1);
XEN_CHECK_OFFSET(struct vcpu_info, evtchn_pending_sel, 8);
XEN_CHECK_OFFSET(struct vcpu_info, time, 16);

struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	uint64_t evtchn_pending[EVTCHN_2L_WORDS];
	uint64_t evtchn_mask[EVTCHN_2L_WORDS];
	uint32_t wc_version; /* odd while the wallclock is being updated */
	uint32_t wc_sec;
	uint32_t wc_nsec;
	uint32_t wc_sec_hi;
};
XEN_CHECK_SIZE(struct shared_info, 1088);
XEN_CHECK_OFFSET(struct shared_info, vcpu_info, 0);
XEN_CHECK_OFFSET(struct shared_info, evtchn_pending, 48);
XEN_CHECK_OFFSET(struct shared_info, evtchn_mask, 560);
XEN_CHECK_OFFSET(struct shared_info, wc_version, 1072);
XEN_CHECK_OFFSET(struct shared_info, wc_sec, 1076);
XEN_CHECK_OFFSET(struct shared_info, wc_nsec, 1080);
XEN_CHECK_OFFSET(struct shared_info, wc_sec_hi, 1084);
_Static_assert(sizeof(struct shared_info) <= XEN_PAGE_SIZE, "shared_info fits in a page");

/* One multicall entry: each field is a register-sized value. */
struct multicall_entry {
	xen_ulong_t op;
	xen_ulong_t result;
	xen_ulong_t args[6];
};
XEN_CHECK_SIZE(struct multicall_entry, 64);

#endif
