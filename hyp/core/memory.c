// SPDX-License-Identifier: Apache-2.0
#include <punt/arch/mm.h>
#include <punt/bootinfo.h>
#include <punt/console.h>
#include <punt/domu.h>
#include <punt/debug_keys.h>
#include <punt/format.h>
#include <punt/memory.h>
#include <punt/page_alloc.h>

#define MAX_BUSY (BOOT_MAX_RESERVED + BOOT_MAX_MODULES + 3 * DOMU_MAX + 4)

static struct boot_region ram[BOOT_MAX_MEM];
static const void *boot_fdt; /* for the boot-time domains' module ranges */
static unsigned nr_ram;

uint64_t memory_max_page(void)
{
	uint64_t top = 0;

	for (unsigned i = 0; i < nr_ram; i++) {
		if (ram[i].base + ram[i].size > top)
			top = ram[i].base + ram[i].size;
	}
	return top >> 12;
}

uint64_t memory_first_page(void)
{
	uint64_t low = ~0UL;

	for (unsigned i = 0; i < nr_ram; i++) {
		if (ram[i].base < low)
			low = ram[i].base;
	}
	return nr_ram ? low >> 12 : 0;
}

uint64_t memory_ram_pages(void)
{
	uint64_t pages = 0;

	for (unsigned i = 0; i < nr_ram; i++)
		pages += ram[i].size >> 12;
	return pages;
}

struct boot_region memory_bank0;

int memory_is_ram_banks(uint64_t pa, size_t len)
{
	for (unsigned i = 0; i < nr_ram; i++) {
		/* Unsigned: an address below the region's base gives an offset past its size. */
		uint64_t off = pa - ram[i].base;
		if (off < ram[i].size && len <= ram[i].size - off)
			return 1;
	}
	return 0;
}

static void add_busy(struct boot_region *busy, unsigned *n, uint64_t base, uint64_t size)
{
	if (*n < MAX_BUSY && size)
		busy[(*n)++] = (struct boot_region){
		    base & ~0xfffUL, ((base + size + 0xfff) & ~0xfffUL) - (base & ~0xfffUL)};
}

/* Give [start, end) minus every busy range to the allocator. */
static void add_free(uint64_t start, uint64_t end, const struct boot_region *busy, unsigned n)
{
	while (start < end) {
		uint64_t stop = end;
		bool moved = false;
		for (unsigned i = 0; i < n; i++) {
			uint64_t b = busy[i].base, e = busy[i].base + busy[i].size;
			if (start >= b && start < e) {
				start = e;
				moved = true;
			} else if (b > start && b < stop) {
				stop = b;
			}
		}
		if (moved)
			continue;
		page_alloc_add_range(start, stop - start);
		start = stop;
	}
}

int memory_init(const struct boot_info *bi, char *err, size_t errlen)
{
	struct boot_region busy[MAX_BUSY];
	unsigned n = 0;

	add_busy(busy, &n, arch_mm_image_base(), arch_mm_image_end() - arch_mm_image_base());
	add_busy(busy, &n, (uint64_t)bi->fdt, bi->fdt_size);
	for (unsigned i = 0; i < bi->nr_modules; i++)
		add_busy(busy, &n, bi->modules[i].base, bi->modules[i].size);
	for (unsigned i = 0; i < bi->nr_reserved; i++)
		add_busy(busy, &n, bi->reserved[i].base, bi->reserved[i].size);
	/* Boot-time domains keep their modules: a reboot builds them again. */
	struct boot_region domu[3 * DOMU_MAX];
	unsigned nr_domu = domu_module_ranges(bi->fdt, domu, 3 * DOMU_MAX);
	for (unsigned i = 0; i < nr_domu; i++)
		add_busy(busy, &n, domu[i].base, domu[i].size);

	boot_fdt = bi->fdt;
	nr_ram = 0; /* once at boot; host tests boot their machine again for every test */
	memory_bank0 = (struct boot_region){0, 0};
	page_alloc_init();
	for (unsigned i = 0; i < bi->nr_mem; i++) {
		if (arch_mm_map(bi->mem[i].base, bi->mem[i].size, ARCH_MM_RW)) {
			fmt_snprintf(err, errlen, "memory: cannot map RAM bank %#lx-%#lx",
				     bi->mem[i].base, bi->mem[i].base + bi->mem[i].size);
			return -1;
		}
		ram[nr_ram++] = bi->mem[i];
		if (i == 0)
			memory_bank0 = bi->mem[0];
		add_free(bi->mem[i].base, bi->mem[i].base + bi->mem[i].size, busy, n);
	}
	if (!page_alloc_free_pages()) {
		fmt_snprintf(err, errlen,
			     "memory: no free RAM left after Punt, the DTB and modules");
		return -1;
	}
	uint64_t total = 0;
	for (unsigned i = 0; i < nr_ram; i++)
		total += ram[i].size;
	printk("Memory: %lu MiB RAM in %u bank%s, %lu MiB free for domains\n", total >> 20, nr_ram,
	       nr_ram == 1 ? "" : "s", page_alloc_free_pages() >> 8);
	return 0;
}

void memory_release_module(const struct boot_module *m)
{
	uint64_t start = (m->base + 0xfff) & ~0xfffUL;
	uint64_t end = (m->base + m->size) & ~0xfffUL;
	struct boot_region domu[3 * DOMU_MAX];
	unsigned nr_domu = domu_module_ranges(boot_fdt, domu, 3 * DOMU_MAX);

	/* A boot-time domain may use the same image: then it stays reserved for it. */
	for (unsigned i = 0; i < nr_domu; i++) {
		if (domu[i].base < end && start < domu[i].base + domu[i].size)
			return;
	}
	if (end > start)
		page_alloc_add_range(start, end - start);
}

static void print_sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	printk("%.*s", (int)n, s);
}

static void dump_memory(void)
{
	printk("Memory: %lu of %lu pages free\n", page_alloc_free_pages(),
	       page_alloc_total_pages());
	for (unsigned i = 0; i < nr_ram; i++)
		printk("  RAM bank %#lx-%#lx\n", ram[i].base, ram[i].base + ram[i].size);
	page_alloc_dump(print_sink, NULL);
}
DEBUG_KEY(memory, 'm', "dump memory and the page allocator", dump_memory);
