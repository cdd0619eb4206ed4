// SPDX-License-Identifier: Apache-2.0
#include <asm/mmu.h>
#include <asm/sysreg.h>
#include <punt/page_alloc.h>
#include <punt/spinlock.h>
#include <punt/string.h>
#include <stdbool.h>

/* Descriptor bits of the VMSAv8-64 format (Arm ARM D8.3). */
#define DESC_VALID     (1UL << 0)
#define DESC_TABLE     (1UL << 1)
#define DESC_PAGE      (1UL << 1)
#define DESC_ATTR(i)   ((uint64_t)(i) << 2)
#define DESC_AP_RO     (1UL << 7)
#define DESC_SH_INNER  (3UL << 8)
#define DESC_AF	       (1UL << 10)
#define DESC_XN	       (1UL << 54)
#define DESC_ADDR_MASK 0x0000fffffffff000UL

/* MAIR_EL2 slots. */
#define MAIR_DEVICE_NGNRE 1
#define MAIR_NORMAL_WB	  2
#define MAIR_VALUE	  ((0x00UL << 0) | (0x04UL << 8) | (0xffUL << 16) | (0x44UL << 24))

#define BOOT_TABLE_PAGES 64

extern char _start_image[], _etext[], _erodata[], _end[];

static uint64_t root_table[512] __attribute__((aligned(4096)));
static uint64_t boot_tables[BOOT_TABLE_PAGES][512] __attribute__((aligned(4096)));
static unsigned boot_tables_used;
static spinlock_t mmu_lock = SPINLOCK_INIT;
static unsigned pa_bits;

uint64_t arch_mm_image_base(void)
{
	return (uint64_t)_start_image;
}

uint64_t arch_mm_image_end(void)
{
	return (uint64_t)_end;
}

/* The linker's GNU build-id note (hyp/Makefile, --build-id; kept by linker.ld). */
extern const uint8_t __note_gnu_build_id_start[], __note_gnu_build_id_end[];

const void *arch_image_build_id_note(size_t *size)
{
	/* Linker symbols bound the note: compare them as addresses, not as C objects. */
	uint64_t start = (uint64_t)__note_gnu_build_id_start;

	*size = (uint64_t)__note_gnu_build_id_end - start;
	return (const void *)start;
}

unsigned mmu_pa_bits(void)
{
	return pa_bits;
}

static uint64_t *table_alloc(void)
{
	if (boot_tables_used < BOOT_TABLE_PAGES)
		return boot_tables[boot_tables_used++];
	uint64_t pa = page_alloc_zeroed(0);
	return (uint64_t *)pa;
}

static uint64_t leaf_bits(enum arch_mm_attr attr)
{
	switch (attr) {
	case ARCH_MM_RX:
		return DESC_ATTR(MAIR_NORMAL_WB) | DESC_SH_INNER | DESC_AF | DESC_AP_RO;
	case ARCH_MM_RO:
		return DESC_ATTR(MAIR_NORMAL_WB) | DESC_SH_INNER | DESC_AF | DESC_AP_RO | DESC_XN;
	case ARCH_MM_RW:
		return DESC_ATTR(MAIR_NORMAL_WB) | DESC_SH_INNER | DESC_AF | DESC_XN;
	case ARCH_MM_DEVICE:
		return DESC_ATTR(MAIR_DEVICE_NGNRE) | DESC_AF | DESC_XN;
	}
	return 0;
}

static unsigned level_shift(int level)
{
	return 39 - 9 * level;
}

/*
 * Map [pa, pa + size) 1:1 below `table` (a table of `level`), using the
 * largest blocks that alignment allows. An address that is already mapped
 * keeps its mapping: Punt maps each range once, and overlapping requests
 * (a module inside RAM) must not weaken W^X of the image.
 */
static int map_level(uint64_t *table, int level, uint64_t pa, uint64_t end, uint64_t bits)
{
	unsigned shift = level_shift(level);
	uint64_t block = 1UL << shift;

	while (pa < end) {
		unsigned idx = (pa >> shift) & 511;
		uint64_t next = (pa & ~(block - 1)) + block;
		if (next > end || next == 0)
			next = end;
		uint64_t desc = table[idx];
		bool whole = (pa & (block - 1)) == 0 && next - pa == block;

		if (level == 3) {
			if (!(desc & DESC_VALID))
				table[idx] = pa | bits | DESC_VALID | DESC_PAGE;
		} else if (!(desc & DESC_VALID) && whole && level >= 1) {
			table[idx] = pa | bits | DESC_VALID;
		} else if (desc & DESC_VALID && !(desc & DESC_TABLE)) {
			/* Already covered by a block: keep it. */
		} else {
			uint64_t *sub;
			if (!(desc & DESC_VALID)) {
				sub = table_alloc();
				if (!sub)
					return -1;
				dsb_ishst();
				table[idx] = (uint64_t)sub | DESC_VALID | DESC_TABLE;
			} else {
				sub = (uint64_t *)(desc & DESC_ADDR_MASK);
			}
			if (map_level(sub, level + 1, pa, next, bits))
				return -1;
		}
		pa = next;
	}
	return 0;
}

int arch_mm_map(uint64_t pa, uint64_t size, enum arch_mm_attr attr)
{
	uint64_t start = pa & ~0xfffUL;
	uint64_t end = (pa + size + 0xfff) & ~0xfffUL;

	spin_lock(&mmu_lock);
	int rc = map_level(root_table, 0, start, end, leaf_bits(attr));
	dsb_ishst();
	__asm__ volatile("tlbi alle2is" ::: "memory");
	dsb_ish();
	isb();
	spin_unlock(&mmu_lock);
	return rc;
}

/* Runs with the MMU off, right after relocation, on the boot CPU. */
void mmu_build_boot_tables(uint64_t image_base)
{
	uint64_t text = (uint64_t)_start_image;
	uint64_t rodata = (uint64_t)_etext;
	uint64_t data = (uint64_t)_erodata;
	uint64_t end = (uint64_t)_end;
	unsigned range = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	static const unsigned bits_by_range[] = {32, 36, 40, 42, 44, 48, 52};

	(void)image_base;
	pa_bits = range < 7 ? bits_by_range[range] : 48;
	if (pa_bits > 48)
		pa_bits = 48;
	map_level(root_table, 0, text, rodata, leaf_bits(ARCH_MM_RX));
	map_level(root_table, 0, rodata, data, leaf_bits(ARCH_MM_RO));
	map_level(root_table, 0, data, end, leaf_bits(ARCH_MM_RW));
}

static unsigned tcr_ps(void)
{
	switch (pa_bits) {
	case 32:
		return 0;
	case 36:
		return 1;
	case 40:
		return 2;
	case 42:
		return 3;
	case 44:
		return 4;
	default:
		return 5;
	}
}

/* Also runs with the MMU off, on every CPU. */
void mmu_enable(void)
{
	uint64_t tcr = 16 /* T0SZ: 48-bit VA */ | (1UL << 8) | (1UL << 10) | (3UL << 12) |
		       ((uint64_t)tcr_ps() << 16) | (1UL << 23) | (1UL << 31);

	write_sysreg(mair_el2, MAIR_VALUE);
	write_sysreg(tcr_el2, tcr);
	write_sysreg(ttbr0_el2, (uint64_t)root_table);
	isb();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb_sy();
	isb();
	write_sysreg(sctlr_el2,
		     SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I | SCTLR_WXN);
	isb();
}
