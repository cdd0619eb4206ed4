// SPDX-License-Identifier: MIT
#ifndef PUBLIC_SYSCTL_H
#define PUBLIC_SYSCTL_H

/*
 * sysctl (hypercall 35): x0 = struct xen_sysctl (guest VA), read and written back in place.
 * The toolstack's view of the machine; only the control domain may use it. Layouts are Xen
 * 4.17's (Xen public/sysctl.h) for the operations Punt answers (docs/control.md).
 */

#include "domctl.h"
#include "xen.h"

/* Xen public/sysctl.h XEN_SYSCTL_INTERFACE_VERSION: every other value is -EACCES. */
#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#define XEN_SYSCTL_readconsole	     1	/* the hypervisor's log (xl dmesg) */
#define XEN_SYSCTL_physinfo	     3	/* CPUs, memory, capabilities (xl info) */
#define XEN_SYSCTL_sched_id	     4	/* which scheduler runs the CPUs */
#define XEN_SYSCTL_getdomaininfolist 6	/* getdomaininfo records from first_domain on */
#define XEN_SYSCTL_debug_keys	     7	/* press debug keys, as on the console (xl debug-keys) */
#define XEN_SYSCTL_cputopoinfo	     16 /* core, socket and node of each CPU */
#define XEN_SYSCTL_numainfo	     17 /* memory and distances of each NUMA node */
#define XEN_SYSCTL_cpupool_op	     18 /* CPU pools: INFO and FREEINFO */
#define XEN_SYSCTL_pcitopoinfo	     22

/* readconsole (IN/OUT) */
struct xen_sysctl_readconsole {
	uint8_t clear;	     /* IN: forget what was read */
	uint8_t incremental; /* IN: start at index */
	uint8_t pad0, pad1;
	uint32_t index;	     /* IN: where to start if incremental; OUT: where the read ended */
	uint64_t buffer_gva; /* IN: char[count] */
	uint32_t count;	     /* IN: the buffer's size; OUT: bytes written */
	uint32_t pad2;
};
XEN_CHECK_SIZE(struct xen_sysctl_readconsole, 24);
XEN_CHECK_OFFSET(struct xen_sysctl_readconsole, incremental, 1);
XEN_CHECK_OFFSET(struct xen_sysctl_readconsole, index, 4);
XEN_CHECK_OFFSET(struct xen_sysctl_readconsole, buffer_gva, 8);
XEN_CHECK_OFFSET(struct xen_sysctl_readconsole, count, 16);

/* physinfo capabilities (Xen public/sysctl.h XEN_SYSCTL_PHYSCAP_*). */
#define XEN_SYSCTL_PHYSCAP_hvm	     (1u << 0)
#define XEN_SYSCTL_PHYSCAP_pv	     (1u << 1)
#define XEN_SYSCTL_PHYSCAP_directio  (1u << 2)
#define XEN_SYSCTL_PHYSCAP_hap	     (1u << 3)
#define XEN_SYSCTL_PHYSCAP_shadow    (1u << 4)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1 (1u << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2 (1u << 9)

/* physinfo (OUT) */
struct xen_sysctl_physinfo {
	uint32_t threads_per_core;
	uint32_t cores_per_socket;
	uint32_t nr_cpus;     /* online */
	uint32_t max_cpu_id;  /* every CPU bitmap has max_cpu_id + 1 bits */
	uint32_t nr_nodes;    /* online */
	uint32_t max_node_id; /* every node bitmap has max_node_id + 1 bits */
	uint32_t cpu_khz;
	uint32_t capabilities; /* XEN_SYSCTL_PHYSCAP_* */
	uint32_t arch_capabilities;
	uint32_t pad;
	uint64_t total_pages;
	uint64_t free_pages;
	uint64_t scrub_pages;
	uint64_t outstanding_pages;
	uint64_t max_mfn;
	uint32_t hw_cap[8];
};
XEN_CHECK_SIZE(struct xen_sysctl_physinfo, 112);
XEN_CHECK_OFFSET(struct xen_sysctl_physinfo, nr_cpus, 8);
XEN_CHECK_OFFSET(struct xen_sysctl_physinfo, max_cpu_id, 12);
XEN_CHECK_OFFSET(struct xen_sysctl_physinfo, nr_nodes, 16);
XEN_CHECK_OFFSET(struct xen_sysctl_physinfo, max_node_id, 20);
XEN_CHECK_OFFSET(struct xen_sysctl_physinfo, cpu_khz, 24);
XEN_CHECK_OFFSET(struct xen_sysctl_physinfo, capabilities, 28);
XEN_CHECK_OFFSET(struct xen_sysctl_physinfo, arch_capabilities, 32);
XEN_CHECK_OFFSET(struct xen_sysctl_physinfo, total_pages, 40);
XEN_CHECK_OFFSET(struct xen_sysctl_physinfo, free_pages, 48);
XEN_CHECK_OFFSET(struct xen_sysctl_physinfo, scrub_pages, 56);
XEN_CHECK_OFFSET(struct xen_sysctl_physinfo, outstanding_pages, 64);
XEN_CHECK_OFFSET(struct xen_sysctl_physinfo, max_mfn, 72);
XEN_CHECK_OFFSET(struct xen_sysctl_physinfo, hw_cap, 80);

/* sched_id values (Xen public/domctl.h XEN_SCHEDULER_*). */
#define XEN_SCHEDULER_CREDIT   5
#define XEN_SCHEDULER_CREDIT2  6
#define XEN_SCHEDULER_ARINC653 7
#define XEN_SCHEDULER_RTDS     8
#define XEN_SCHEDULER_NULL     9

/* sched_id (OUT) */
struct xen_sysctl_sched_id {
	uint32_t sched_id;
};
XEN_CHECK_SIZE(struct xen_sysctl_sched_id, 4);

/* getdomaininfolist (IN/OUT) */
struct xen_sysctl_getdomaininfolist {
	domid_t first_domain;
	uint16_t pad0;
	uint32_t max_domains;
	uint64_t buffer_gva;  /* struct xen_domctl_getdomaininfo[max_domains] */
	uint32_t num_domains; /* OUT */
	uint32_t pad1;
};
XEN_CHECK_SIZE(struct xen_sysctl_getdomaininfolist, 24);
XEN_CHECK_OFFSET(struct xen_sysctl_getdomaininfolist, max_domains, 4);
XEN_CHECK_OFFSET(struct xen_sysctl_getdomaininfolist, buffer_gva, 8);
XEN_CHECK_OFFSET(struct xen_sysctl_getdomaininfolist, num_domains, 16);

/* debug_keys (IN): nr_keys characters, each handled as if typed on the hypervisor's console. */
struct xen_sysctl_debug_keys {
	uint64_t keys_gva; /* const char[nr_keys] */
	uint32_t nr_keys;
	uint32_t pad;
};
XEN_CHECK_SIZE(struct xen_sysctl_debug_keys, 16);
XEN_CHECK_OFFSET(struct xen_sysctl_debug_keys, nr_keys, 8);

#define XEN_INVALID_CORE_ID   0xffffffffu
#define XEN_INVALID_SOCKET_ID 0xffffffffu
#define XEN_INVALID_NODE_ID   0xffffffffu

/* One CPU's place (cputopoinfo). */
struct xen_sysctl_cputopo {
	uint32_t core;
	uint32_t socket;
	uint32_t node;
};
XEN_CHECK_SIZE(struct xen_sysctl_cputopo, 12);

/* cputopoinfo (IN/OUT): a null cputopo asks how many CPUs there are. */
struct xen_sysctl_cputopoinfo {
	uint32_t num_cpus;
	uint32_t pad;
	uint64_t cputopo_gva; /* struct xen_sysctl_cputopo[num_cpus] */
};
XEN_CHECK_SIZE(struct xen_sysctl_cputopoinfo, 16);
XEN_CHECK_OFFSET(struct xen_sysctl_cputopoinfo, cputopo_gva, 8);

/* One node's memory, in bytes (numainfo). */
struct xen_sysctl_meminfo {
	uint64_t memsize;
	uint64_t memfree;
};
XEN_CHECK_SIZE(struct xen_sysctl_meminfo, 16);

/* numainfo (IN/OUT): with both arrays null it asks how many nodes there are. */
struct xen_sysctl_numainfo {
	uint32_t num_nodes;
	uint32_t pad;
	uint64_t meminfo_gva;  /* struct xen_sysctl_meminfo[num_nodes] */
	uint64_t distance_gva; /* uint32_t[num_nodes * num_nodes], row i at i * num_nodes */
};
XEN_CHECK_SIZE(struct xen_sysctl_numainfo, 24);
XEN_CHECK_OFFSET(struct xen_sysctl_numainfo, meminfo_gva, 8);
XEN_CHECK_OFFSET(struct xen_sysctl_numainfo, distance_gva, 16);

#define XEN_SYSCTL_CPUPOOL_OP_CREATE	 1
#define XEN_SYSCTL_CPUPOOL_OP_DESTROY	 2
#define XEN_SYSCTL_CPUPOOL_OP_INFO	 3 /* the first pool at or above cpupool_id */
#define XEN_SYSCTL_CPUPOOL_OP_ADDCPU	 4
#define XEN_SYSCTL_CPUPOOL_OP_RMCPU	 5
#define XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN 6
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO	 7 /* the CPUs in no pool */

/* cpupool_op (IN/OUT) */
struct xen_sysctl_cpupool_op {
	uint32_t op;
	uint32_t cpupool_id; /* IN: the pool (INFO: the lowest wanted); OUT (INFO): the pool */
	uint32_t sched_id;   /* OUT (INFO) */
	uint32_t domid;
	uint32_t cpu;
	uint32_t n_dom;		     /* OUT (INFO): domains in the pool */
	struct xenctl_bitmap cpumap; /* OUT (INFO, FREEINFO) */
};
XEN_CHECK_SIZE(struct xen_sysctl_cpupool_op, 40);
XEN_CHECK_OFFSET(struct xen_sysctl_cpupool_op, cpupool_id, 4);
XEN_CHECK_OFFSET(struct xen_sysctl_cpupool_op, sched_id, 8);
XEN_CHECK_OFFSET(struct xen_sysctl_cpupool_op, n_dom, 20);
XEN_CHECK_OFFSET(struct xen_sysctl_cpupool_op, cpumap, 24);

/* The envelope: cmd and version, then the operation's arguments. */
struct xen_sysctl {
	uint32_t cmd;
	uint32_t interface_version; /* XEN_SYSCTL_INTERFACE_VERSION */
	union {
		struct xen_sysctl_readconsole readconsole;
		struct xen_sysctl_physinfo physinfo;
		struct xen_sysctl_sched_id sched_id;
		struct xen_sysctl_getdomaininfolist getdomaininfolist;
		struct xen_sysctl_debug_keys debug_keys;
		struct xen_sysctl_cputopoinfo cputopoinfo;
		struct xen_sysctl_numainfo numainfo;
		struct xen_sysctl_cpupool_op cpupool_op;
		uint8_t bytes[128];
	} u;
};
XEN_CHECK_SIZE(struct xen_sysctl, 136);
XEN_CHECK_OFFSET(struct xen_sysctl, interface_version, 4);
XEN_CHECK_OFFSET(struct xen_sysctl, u, 8);

#endif
