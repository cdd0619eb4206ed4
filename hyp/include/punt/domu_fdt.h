// SPDX-License-Identifier: Apache-2.0
/* The device tree a domain started at boot sees (domu_fdt.c). */
#ifndef PUNT_DOMU_FDT_H
#define PUNT_DOMU_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct domu_fdt_params {
	const char *name;
	unsigned nr_vcpus;
	uint64_t ram_base, ram_size;
	uint64_t initrd_base, initrd_size;
	const char *bootargs;
	bool enhanced;
	bool vpl011;
	uint32_t evtchn_intid;
};

/* 0 and *out_size, or -1 if buf is too small. */
int domu_fdt_build(const struct domu_fdt_params *p, void *buf, size_t size, size_t *out_size);

#endif
