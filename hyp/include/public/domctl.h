// SPDX-License-Identifier: MIT
#ifndef PUBLIC_DOMCTL_H
#define PUBLIC_DOMCTL_H

/*
 * domctl (hypercall 36): x0 = struct xen_domctl (guest VA), read and written back in place.
 * The control interface the toolstack (libxenctrl) uses on a domain; only the control domain
 * may use it. Layouts are Xen 4.17's (Xen public/domctl.h), for the operations Punt answers
 * (docs/control.md); the rest of the union is opaque bytes.
 */

#include "event_channel.h"
#include "xen.h"

/* Xen public/domctl.h XEN_DOMCTL_INTERFACE_VERSION: every other value is -EACCES. */
#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

#define XEN_DOMCTL_createdomain		   1
#define XEN_DOMCTL_destroydomain	   2
#define XEN_DOMCTL_pausedomain		   3
#define XEN_DOMCTL_unpausedomain	   4
#define XEN_DOMCTL_getdomaininfo	   5 /* the first domain at or above `domain` */
#define XEN_DOMCTL_setvcpuaffinity	   9
#define XEN_DOMCTL_getvcpuaffinity	   25
#define XEN_DOMCTL_max_mem		   11
#define XEN_DOMCTL_setvcpucontext	   12
#define XEN_DOMCTL_getvcpuinfo		   14
#define XEN_DOMCTL_max_vcpus		   15
#define XEN_DOMCTL_scheduler_op		   16
#define XEN_DOMCTL_setdomainhandle	   17 /* replace the domain's 16-byte handle (UUID) */
#define XEN_DOMCTL_set_address_size	   35
#define XEN_DOMCTL_setnodeaffinity	   68
#define XEN_DOMCTL_getnodeaffinity	   69
#define XEN_DOMCTL_cacheflush		   71
#define XEN_DOMCTL_vuart_op		   81
#define XEN_DOMCTL_get_paging_mempool_size 85
#define XEN_DOMCTL_set_paging_mempool_size 86

typedef uint8_t xen_domain_handle_t[16];

/* A bitmap in the caller's memory (Xen public/xen.h, struct xenctl_bitmap). */
struct xenctl_bitmap {
	uint64_t bitmap_gva; /* uint8_t[(nr_bits + 7) / 8] */
	uint32_t nr_bits;
	uint32_t pad;
};
XEN_CHECK_SIZE(struct xenctl_bitmap, 16);
XEN_CHECK_OFFSET(struct xenctl_bitmap, nr_bits, 8);

/* Xen public/arch-arm.h, struct xen_arch_domainconfig. */
#define XEN_DOMCTL_CONFIG_GIC_NATIVE 0
#define XEN_DOMCTL_CONFIG_GIC_V2     1
#define XEN_DOMCTL_CONFIG_GIC_V3     2
#define XEN_DOMCTL_CONFIG_TEE_NONE   0
struct xen_arch_domainconfig {
	uint8_t gic_version;
	uint8_t pad;
	uint16_t tee_type;
	uint32_t nr_spis;
	uint32_t clock_frequency;
};
XEN_CHECK_SIZE(struct xen_arch_domainconfig, 12);
XEN_CHECK_OFFSET(struct xen_arch_domainconfig, tee_type, 2);
XEN_CHECK_OFFSET(struct xen_arch_domainconfig, nr_spis, 4);
XEN_CHECK_OFFSET(struct xen_arch_domainconfig, clock_frequency, 8);

/* getdomaininfo flags (Xen public/domctl.h XEN_DOMINF_*). */
#define XEN_DOMINF_dying	 (1u << 0) /* destroyed, its resources given back */
#define XEN_DOMINF_hvm_guest	 (1u << 1) /* every Arm domain */
#define XEN_DOMINF_shutdown	 (1u << 2) /* the guest shut itself down (reason below) */
#define XEN_DOMINF_paused	 (1u << 3) /* paused by the toolstack */
#define XEN_DOMINF_blocked	 (1u << 4) /* every online vCPU waits for an event */
#define XEN_DOMINF_running	 (1u << 5) /* a vCPU is on a physical CPU */
#define XEN_DOMINF_debugged	 (1u << 6)
#define XEN_DOMINF_xs_domain	 (1u << 7)
#define XEN_DOMINF_hap		 (1u << 8) /* every Arm domain */
#define XEN_DOMINF_shutdownmask	 255
#define XEN_DOMINF_shutdownshift 16 /* bits 31:16: the shutdown code, all ones if none */

#define XEN_INVALID_MAX_VCPU_ID 0xffffffffu

/* getdomaininfo (OUT), also the record getdomaininfolist fills. */
struct xen_domctl_getdomaininfo {
	domid_t domain;
	uint16_t pad1;
	uint32_t flags; /* XEN_DOMINF_* */
	uint64_t tot_pages;
	uint64_t max_pages;
	uint64_t outstanding_pages;
	uint64_t shr_pages;
	uint64_t paged_pages;
	uint64_t shared_info_frame;
	uint64_t cpu_time; /* ns, all vCPUs */
	uint32_t nr_online_vcpus;
	uint32_t max_vcpu_id;
	uint32_t ssidref;
	xen_domain_handle_t handle;
	uint32_t cpupool;
	uint8_t gpaddr_bits; /* guest physical address width */
	uint8_t pad2[7];
	struct xen_arch_domainconfig arch_config;
	uint32_t pad3;
};
XEN_CHECK_SIZE(struct xen_domctl_getdomaininfo, 120);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, flags, 4);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, tot_pages, 8);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, max_pages, 16);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, outstanding_pages, 24);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, shr_pages, 32);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, paged_pages, 40);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, shared_info_frame, 48);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, cpu_time, 56);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, nr_online_vcpus, 64);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, max_vcpu_id, 68);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, ssidref, 72);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, handle, 76);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, cpupool, 92);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, gpaddr_bits, 96);
XEN_CHECK_OFFSET(struct xen_domctl_getdomaininfo, arch_config, 104);

/* createdomain flags (Xen public/domctl.h XEN_DOMCTL_CDF_*): Arm wants hvm and hap. */
#define XEN_DOMCTL_CDF_hvm	      (1u << 0)
#define XEN_DOMCTL_CDF_hap	      (1u << 1)
#define XEN_DOMCTL_CDF_s3_integrity   (1u << 2)
#define XEN_DOMCTL_CDF_oos_off	      (1u << 3)
#define XEN_DOMCTL_CDF_xs_domain      (1u << 4)
#define XEN_DOMCTL_CDF_iommu	      (1u << 5)
#define XEN_DOMCTL_CDF_nested_virt    (1u << 6)
#define XEN_DOMCTL_CDF_vpmu	      (1u << 7)
#define XEN_DOMCTL_IOMMU_no_sharept   (1u << 0)
#define XEN_DOMCTL_GRANT_version_mask 0xf

/* createdomain (IN; OUT: the envelope's domain, arch.gic_version, arch.clock_frequency) */
struct xen_domctl_createdomain {
	uint32_t ssidref;
	xen_domain_handle_t handle;
	uint32_t flags; /* XEN_DOMCTL_CDF_* */
	uint32_t iommu_opts;
	uint32_t max_vcpus;
	uint32_t max_evtchn_port;
	int32_t max_grant_frames;    /* -1: the hypervisor's default */
	int32_t max_maptrack_frames; /* -1: the hypervisor's default */
	uint32_t grant_opts;	     /* low 4 bits: the highest grant table version */
	uint32_t vmtrace_size;
	uint32_t cpupool_id;
	/* Xen names it `arch`; Punt's name keeps generic code's arch state greppable. */
	struct xen_arch_domainconfig arch_config;
};
XEN_CHECK_SIZE(struct xen_domctl_createdomain, 68);
XEN_CHECK_OFFSET(struct xen_domctl_createdomain, handle, 4);
XEN_CHECK_OFFSET(struct xen_domctl_createdomain, flags, 20);
XEN_CHECK_OFFSET(struct xen_domctl_createdomain, max_vcpus, 28);
XEN_CHECK_OFFSET(struct xen_domctl_createdomain, max_evtchn_port, 32);
XEN_CHECK_OFFSET(struct xen_domctl_createdomain, max_grant_frames, 36);
XEN_CHECK_OFFSET(struct xen_domctl_createdomain, grant_opts, 44);
XEN_CHECK_OFFSET(struct xen_domctl_createdomain, cpupool_id, 52);
XEN_CHECK_OFFSET(struct xen_domctl_createdomain, arch_config, 56);

/* max_vcpus (IN): the createdomain figure again; makes the vCPUs exist */
struct xen_domctl_max_vcpus {
	uint32_t max;
};

/* max_mem (IN): the domain's page limit, in KiB */
struct xen_domctl_max_mem {
	uint64_t max_memkb;
};

/* getvcpuinfo (IN vcpu, OUT the rest) */
struct xen_domctl_getvcpuinfo {
	uint32_t vcpu;
	uint8_t online;
	uint8_t blocked;
	uint8_t running;
	uint8_t pad;
	uint64_t cpu_time; /* ns */
	uint32_t cpu;	   /* the physical CPU it is on */
	uint32_t pad2;
};
XEN_CHECK_SIZE(struct xen_domctl_getvcpuinfo, 24);
XEN_CHECK_OFFSET(struct xen_domctl_getvcpuinfo, online, 4);
XEN_CHECK_OFFSET(struct xen_domctl_getvcpuinfo, running, 6);
XEN_CHECK_OFFSET(struct xen_domctl_getvcpuinfo, cpu_time, 8);
XEN_CHECK_OFFSET(struct xen_domctl_getvcpuinfo, cpu, 16);

/* setvcpuaffinity (IN/OUT: the maps become the effective ones) */
#define XEN_VCPUAFFINITY_HARD  (1u << 0)
#define XEN_VCPUAFFINITY_SOFT  (1u << 1)
#define XEN_VCPUAFFINITY_FORCE (1u << 2)
struct xen_domctl_vcpuaffinity {
	uint32_t vcpu;
	uint32_t flags; /* XEN_VCPUAFFINITY_* */
	struct xenctl_bitmap cpumap_hard;
	struct xenctl_bitmap cpumap_soft;
};
XEN_CHECK_SIZE(struct xen_domctl_vcpuaffinity, 40);
XEN_CHECK_OFFSET(struct xen_domctl_vcpuaffinity, cpumap_hard, 8);
XEN_CHECK_OFFSET(struct xen_domctl_vcpuaffinity, cpumap_soft, 24);

/* set/getnodeaffinity (IN / OUT) */
struct xen_domctl_nodeaffinity {
	struct xenctl_bitmap nodemap;
};

/* scheduler_op (IN sched_id and cmd; IN/OUT the parameters) */
#define XEN_SCHEDULER_CREDIT2	       6
#define XEN_DOMCTL_SCHEDOP_putinfo     0
#define XEN_DOMCTL_SCHEDOP_getinfo     1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3
struct xen_domctl_scheduler_op {
	uint32_t sched_id; /* must be the domain's pool's scheduler */
	uint32_t cmd;	   /* XEN_DOMCTL_SCHEDOP_* */
	union {
		struct {
			uint16_t weight; /* putinfo: 0 keeps it */
			uint16_t cap;	 /* percent of one CPU; putinfo: 0 removes it */
		} credit2;
		uint8_t bytes[16];
	} u;
};
XEN_CHECK_SIZE(struct xen_domctl_scheduler_op, 24);
XEN_CHECK_OFFSET(struct xen_domctl_scheduler_op, u, 8);

/* set_address_size (IN): 64 for an arm64 guest */
struct xen_domctl_address_size {
	uint32_t size;
};

/* get/set_paging_mempool_size (OUT / IN): bytes for the domain's stage-2 tables */
struct xen_domctl_paging_mempool {
	uint64_t size;
};

/*
 * A vCPU's registers as the toolstack sets them (Xen public/arch-arm.h, struct
 * vcpu_guest_context, AArch64 view): kept here, with the one operation that takes them.
 */
struct vcpu_guest_core_regs {
	uint64_t x[31];
	uint64_t pc64; /* ELR_EL2 */
	uint64_t cpsr; /* SPSR_EL2: the mode and masks it starts in */
	uint64_t spsr_el1;
	uint32_t spsr_fiq, spsr_irq, spsr_und, spsr_abt; /* AArch32 only */
	uint64_t sp_el0;
	uint64_t sp_el1, elr_el1;
};
XEN_CHECK_SIZE(struct vcpu_guest_core_regs, 312);
XEN_CHECK_OFFSET(struct vcpu_guest_core_regs, pc64, 248);
XEN_CHECK_OFFSET(struct vcpu_guest_core_regs, spsr_el1, 264);
XEN_CHECK_OFFSET(struct vcpu_guest_core_regs, sp_el0, 288);

#define VGCF_online (1u << 0)
struct vcpu_guest_context {
	uint32_t flags; /* VGCF_* */
	uint32_t pad;
	struct vcpu_guest_core_regs user_regs;
	uint64_t sctlr;
	uint64_t ttbcr, ttbr0, ttbr1;
};
XEN_CHECK_SIZE(struct vcpu_guest_context, 352);
XEN_CHECK_OFFSET(struct vcpu_guest_context, user_regs, 8);
XEN_CHECK_OFFSET(struct vcpu_guest_context, sctlr, 320);
XEN_CHECK_OFFSET(struct vcpu_guest_context, ttbr1, 344);

/* setvcpucontext (IN): a NULL ctxt resets the vCPU */
struct xen_domctl_vcpucontext {
	uint32_t vcpu;
	uint32_t pad;
	uint64_t ctxt_gva; /* struct vcpu_guest_context */
};
XEN_CHECK_SIZE(struct xen_domctl_vcpucontext, 16);

/* vuart_op (Xen public/domctl.h, struct xen_domctl_vuart_op) */
#define XEN_DOMCTL_VUART_OP_INIT     0
#define XEN_DOMCTL_VUART_TYPE_VPL011 0
struct xen_domctl_vuart_op {
	uint32_t cmd;	       /* IN: XEN_DOMCTL_VUART_OP_* */
	uint32_t type;	       /* IN: XEN_DOMCTL_VUART_TYPE_* */
	uint64_t gfn;	       /* IN: the guest page holding the console ring */
	domid_t console_domid; /* IN: the domain serving the other end */
	uint8_t pad[2];	       /* must be 0 */
	evtchn_port_t evtchn;  /* OUT: the guest's port the backend binds to */
};
XEN_CHECK_SIZE(struct xen_domctl_vuart_op, 24);
XEN_CHECK_OFFSET(struct xen_domctl_vuart_op, gfn, 8);
XEN_CHECK_OFFSET(struct xen_domctl_vuart_op, console_domid, 16);
XEN_CHECK_OFFSET(struct xen_domctl_vuart_op, evtchn, 20);

/* cacheflush (IN): clean and invalidate the data cache over nr_pfns frames from start_pfn */
struct xen_domctl_cacheflush {
	uint64_t start_pfn;
	uint64_t nr_pfns;
};
XEN_CHECK_SIZE(struct xen_domctl_cacheflush, 16);

/* setdomainhandle (IN) */
struct xen_domctl_setdomainhandle {
	xen_domain_handle_t handle;
};
XEN_CHECK_SIZE(struct xen_domctl_setdomainhandle, 16);

/* The envelope: cmd and version, the target domain (IN, and OUT for getdomaininfo). */
struct xen_domctl {
	uint32_t cmd;
	uint32_t interface_version; /* XEN_DOMCTL_INTERFACE_VERSION */
	domid_t domain;
	uint16_t pad[3];
	union {
		struct xen_domctl_getdomaininfo getdomaininfo;
		struct xen_domctl_setdomainhandle setdomainhandle;
		struct xen_domctl_createdomain createdomain;
		struct xen_domctl_max_vcpus max_vcpus;
		struct xen_domctl_max_mem max_mem;
		struct xen_domctl_getvcpuinfo getvcpuinfo;
		struct xen_domctl_vcpuaffinity vcpuaffinity;
		struct xen_domctl_nodeaffinity nodeaffinity;
		struct xen_domctl_scheduler_op scheduler_op;
		struct xen_domctl_address_size address_size;
		struct xen_domctl_paging_mempool paging_mempool;
		struct xen_domctl_vcpucontext vcpucontext;
		struct xen_domctl_vuart_op vuart_op;
		struct xen_domctl_cacheflush cacheflush;
		uint8_t bytes[128];
	} u;
};
XEN_CHECK_SIZE(struct xen_domctl, 144);
XEN_CHECK_OFFSET(struct xen_domctl, interface_version, 4);
XEN_CHECK_OFFSET(struct xen_domctl, domain, 8);
XEN_CHECK_OFFSET(struct xen_domctl, u, 16);

#endif
