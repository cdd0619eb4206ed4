// SPDX-License-Identifier: Apache-2.0
/*
 * Domains started at boot from /chosen "xen,domain" nodes (Xen's dom0less
 * binding, docs/users-guide.md). A node that is wrong stops that domain with a
 * message; the others, and the machine, carry on. The configuration is kept
 * after boot: a domain that reboots is built again from it and from its
 * boot modules, which stay reserved.
 */
#ifndef PUNT_DOMU_H
#define PUNT_DOMU_H

#include <public/xen.h>
#include <punt/bootinfo.h>
#include <punt/cpumask.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DOMU_MAX 16

#define DOMU_MAX_STATIC_EVTCHNS 16

enum domu_enhanced { DOMU_PLAIN, DOMU_ENHANCED };

/* A static event channel (Xen's "xen,evtchn-v1" binding): bound before the domains start. */
struct domu_static_evtchn {
	uint32_t port;	    /* in this domain */
	domid_t peer;	    /* the other domain */
	uint32_t peer_port; /* in the other domain */
};

struct domu_config {
	char name[32];
	int node;
	uint64_t mem_bytes;
	unsigned vcpus;
	bool vpl011;
	enum domu_enhanced enhanced;
	unsigned nr_spis;
	struct boot_region kernel, ramdisk, dtb;
	const char *bootargs;
	struct domu_static_evtchn evtchn[DOMU_MAX_STATIC_EVTCHNS];
	unsigned nr_evtchns;
	/* Punt properties (Xen's binding has none): punt,sched-weight/-cap/-affinity. */
	unsigned max_grant_frames; /* 0: Punt's default (GNTTAB_MAX_FRAMES) */
	unsigned sched_weight;
	unsigned sched_cap;
	cpumask_t sched_affinity; /* empty: every CPU */
};

/* Parse one xen,domain node; 0, or -1 with a message naming the problem. */
int domu_config_parse(const void *fdt, int node, struct domu_config *c, char *err, size_t errlen);
/* Every xen,domain node under /chosen, in DT order; returns how many (at most max). */
unsigned domu_find_nodes(const void *fdt, int *nodes, unsigned max);
/* Mark the module ranges of every xen,domain node as busy (memory_init). */
unsigned domu_module_ranges(const void *fdt, struct boot_region *out, unsigned max);

/*
 * Build every domain the DT describes and bind their static event channels;
 * returns how many were built. None runs until boot starts them all.
 */
unsigned domu_build_all(const struct boot_info *bi);
/* Build a domain from its configuration (not started yet). */
int domu_build(const struct domu_config *c, domid_t id, char *err, size_t errlen);
/* Build domain id again from the configuration it was started with. */
int domu_rebuild(domid_t id);
/* The boot configuration gave `id` to a domain (the toolstack's createdomain leaves it). */
bool domu_configured(domid_t id);

#endif
