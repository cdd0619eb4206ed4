// SPDX-License-Identifier: Apache-2.0
/*
 * Grant tables, version 1. Punt owns the frames of each domain's table and
 * maps them into the domain where it asks (add_to_physmap). Protected by the
 * domain's lock.
 */
#ifndef PUNT_GRANT_TABLE_H
#define PUNT_GRANT_TABLE_H

#include <stdint.h>

struct domain;
struct vcpu;

#define GNTTAB_MAX_FRAMES 64 /* Xen's default gnttab_max_frames */

struct grant_table {
	unsigned nr_frames;
	unsigned version;
	uint64_t frame_pa[GNTTAB_MAX_FRAMES];
	uint64_t frame_gfn[GNTTAB_MAX_FRAMES]; /* ~0 when not mapped */
};

int grant_table_init(struct domain *d);
void grant_table_destroy(struct domain *d);
/* XENMAPSPACE_grant_table: map frame idx at gfn, growing the table. */
int grant_table_map_frame(struct domain *d, uint64_t idx, uint64_t gfn);
/* For the debug keys: frames, version and where each frame is mapped. */
void grant_table_dump(struct domain *d);
/* A gfn was unmapped: forget it if it held a grant frame. */
void grant_table_forget_gfn(struct domain *d, uint64_t gfn);

#endif
