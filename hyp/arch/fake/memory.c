// SPDX-License-Identifier: Apache-2.0
/*
 * Fake memory maintenance (punt/arch/mm.h, page.h, cache.h): Punt's address
 * space is the host's, so mapping only checks its arguments; the "image" is
 * a static buffer; pages are zeroed with stores; cache maintenance is
 * recorded, since the host's caches are coherent.
 */
#include "fake.h"

#include <punt/arch/cache.h>
#include <punt/arch/mm.h>
#include <punt/arch/page.h>
#include <string.h>

static uint8_t image[64 * 1024] __attribute__((aligned(4096)));
static struct fake_cache_op last_cache_op;

int arch_mm_map(uint64_t pa, uint64_t size, enum arch_mm_attr attr)
{
	(void)attr;
	return pa + size < pa ? -1 : 0;
}

uint64_t arch_mm_image_base(void)
{
	return (uint64_t)(uintptr_t)image;
}

uint64_t arch_mm_image_end(void)
{
	return (uint64_t)(uintptr_t)image + sizeof(image);
}

void arch_zero_pages(uint64_t pa, uint64_t bytes)
{
	memset((void *)(uintptr_t)pa, 0, bytes);
}

void fake_cache_clear(void)
{
	last_cache_op = (struct fake_cache_op){FAKE_CACHE_NONE, 0, 0};
}

struct fake_cache_op fake_cache_last(void)
{
	return last_cache_op;
}

void arch_dcache_clean_range(uint64_t start, uint64_t size)
{
	last_cache_op = (struct fake_cache_op){FAKE_CACHE_CLEAN, start, size};
}

void arch_dcache_clean_inval_range(uint64_t start, uint64_t size)
{
	last_cache_op = (struct fake_cache_op){FAKE_CACHE_CLEAN_INVAL, start, size};
}

void arch_dcache_invalidate_keep_edges(uint64_t start, uint64_t size)
{
	last_cache_op = (struct fake_cache_op){FAKE_CACHE_INVAL, start, size};
}

/* An ELF note as the GNU linker writes it: namesz 4, descsz 8, NT_GNU_BUILD_ID, "GNU", the id. */
static const struct {
	uint32_t namesz, descsz, type;
	char name[4];
	uint8_t id[8];
} build_id_note = {4, 8, 3, "GNU", {0x70, 0x75, 0x6e, 0x74, 0xfa, 0x6b, 0xe0, 0x01}};

const void *arch_image_build_id_note(size_t *size)
{
	*size = sizeof(build_id_note);
	return &build_id_note;
}
