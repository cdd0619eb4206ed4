// SPDX-License-Identifier: Apache-2.0
/*
 * The machine's RAM as Punt sees it: which physical ranges are RAM, which of
 * them Punt, the DTB and the boot modules occupy, and the rest handed to the
 * page allocator. All RAM is mapped read-write, never executable, in Punt's
 * address space so it can reach guest memory after checking the stage-2.
 */
#ifndef PUNT_MEMORY_H
#define PUNT_MEMORY_H

#include <stddef.h>
#include <stdint.h>
#include <punt/bootinfo.h>

struct boot_info;
struct boot_module;

int memory_init(const struct boot_info *bi, char *err, size_t errlen);
/* Whether [pa, pa + len) lies within one RAM bank. */
int memory_is_ram_banks(uint64_t pa, size_t len);
/*
 * The first RAM bank, empty ({0, 0}) until memory_init() has mapped it. memory_is_ram() tests
 * it inline before asking memory_is_ram_banks(), so that a guest copy's check (every hypercall
 * argument goes through one) makes no call on a machine whose RAM is one bank.
 */
extern struct boot_region memory_bank0;

static inline int memory_in_bank0(uint64_t pa, size_t len)
{
	uint64_t off = pa - memory_bank0.base;

	return off < memory_bank0.size && len <= memory_bank0.size - off;
}

static inline int memory_is_ram(uint64_t pa, size_t len)
{
	return memory_in_bank0(pa, len) || memory_is_ram_banks(pa, len);
}
/* The frame after the machine's highest RAM frame (XENMEM_maximum_ram_page). */
uint64_t memory_max_page(void);
/* The machine's lowest RAM frame. */
uint64_t memory_first_page(void);
/* Pages of RAM in the device tree's memory banks, Punt's own included (physinfo total_pages). */
uint64_t memory_ram_pages(void);
/* A boot module whose contents are no longer needed goes to the allocator. */
void memory_release_module(const struct boot_module *m);

#endif
