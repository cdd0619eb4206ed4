// SPDX-License-Identifier: Apache-2.0
/*
 * dom0 is built the way Xen builds it on Arm: RAM allocated 1:1 (IPA == PA,
 * so DMA works without an IOMMU), the kernel placed per its Image header at
 * the start of the first bank, the initrd and the generated DT behind it,
 * every platform device's MMIO mapped 1:1 and every SPI Punt does not use
 * forwarded to it.
 */
#include <public/hvm_params.h>
#include <punt/arch/cache.h>
#include <punt/arch/domain.h>
#include <punt/arch/irq.h>
#include <punt/arch/mm.h>
#include <punt/arch/p2m.h>
#include <punt/arch/vcpu.h>
#include <punt/bootargs.h>
#include <punt/bootinfo.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/dom0_build.h>
#include <punt/dom0_fdt.h>
#include <punt/domain.h>
#include <punt/fdt.h>
#include <punt/format.h>
#include <punt/memory.h>
#include <punt/page_alloc.h>
#include <punt/sched.h>
#include <punt/string.h>
#include <punt/wallclock.h>

#define DEFAULT_DOM0_MEM (512UL << 20)
#define MIN_BANK_ORDER	 9 /* 2 MiB: the kernel's placement granule */
#define SZ_2M		 (2UL << 20)
#define EVTCHN_INTID                                                                               \
	31 /* a PPI nothing on QEMU virt uses (Xen public/hvm/params.h,                            \
	      HVM_PARAM_CALLBACK_TYPE_PPI) */
#define GNTTAB_FRAMES 64

struct image_header {
	uint32_t code0, code1;
	uint64_t text_offset, image_size, flags, res2, res3, res4;
	uint32_t magic, res5;
};
_Static_assert(sizeof(struct image_header) == 64, "arm64 Image header");
#define IMAGE_MAGIC 0x644d5241u /* "ARM\x64" */

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t dom0_mem_size(const struct boot_info *bi)
{
	const char *val;
	size_t len;
	uint64_t bytes;

	if (!bootargs_get(bi->hyp_bootargs, "dom0_mem", &val, &len) || !val)
		return DEFAULT_DOM0_MEM;
	if (parse_dom0_mem(val, len, &bytes) || bytes < SZ_2M) {
		printk("dom0_mem=%.*s is not a size: using %lu MiB\n", (int)len, val,
		       DEFAULT_DOM0_MEM >> 20);
		return DEFAULT_DOM0_MEM;
	}
	return align_up(bytes, SZ_2M);
}

static unsigned dom0_vcpus(const struct boot_info *bi)
{
	const char *val;
	size_t len;
	uint64_t n = nr_pcpus;

	if (bootargs_get(bi->hyp_bootargs, "dom0_max_vcpus", &val, &len) && val &&
	    !parse_size(val, len, &n) && n >= 1 && n < nr_pcpus)
		;
	else
		n = nr_pcpus;
	return n > CONFIG_DOM0_MAX_VCPUS ? CONFIG_DOM0_MAX_VCPUS : (unsigned)n;
}

static void add_bank(struct domain *d, uint64_t base, uint64_t size)
{
	/* Keep banks sorted and merge neighbours. */
	unsigned i = 0;

	while (i < d->nr_ram && d->ram[i].base < base)
		i++;
	if (i > 0 && d->ram[i - 1].base + d->ram[i - 1].size == base) {
		d->ram[i - 1].size += size;
		if (i < d->nr_ram && base + size == d->ram[i].base) {
			d->ram[i - 1].size += d->ram[i].size;
			memmove(&d->ram[i], &d->ram[i + 1],
				(d->nr_ram - i - 1) * sizeof(d->ram[0]));
			d->nr_ram--;
		}
		return;
	}
	if (i < d->nr_ram && base + size == d->ram[i].base) {
		d->ram[i].base = base;
		d->ram[i].size += size;
		return;
	}
	memmove(&d->ram[i + 1], &d->ram[i], (d->nr_ram - i) * sizeof(d->ram[0]));
	d->ram[i] = (struct boot_region){base, size};
	d->nr_ram++;
}

static int allocate_ram(struct domain *d, uint64_t bytes, char *err, size_t errlen)
{
	uint64_t left = bytes;

	d->max_pages = bytes >> 12; /* as Xen sets it from dom0_mem / memory */
	while (left) {
		unsigned order = PAGE_MAX_ORDER;
		while (order > MIN_BANK_ORDER && (PAGE_SIZE << order) > left)
			order--;
		uint64_t pa = 0;
		for (; order >= MIN_BANK_ORDER && !pa; order--) {
			pa = page_alloc(order);
			if (pa)
				break;
		}
		if (!pa || d->nr_ram == BOOT_MAX_MEM) {
			fmt_snprintf(
			    err, errlen,
			    "dom0_mem: cannot allocate %lu MiB of 1:1 memory (%lu MiB free)",
			    bytes >> 20, page_alloc_free_pages() >> 8);
			return -1;
		}
		uint64_t size = PAGE_SIZE << order;
		add_bank(d, pa, size);
		d->tot_pages += size >> 12;
		left -= size < left ? size : left;
	}
	for (unsigned i = 0; i < d->nr_ram; i++) {
		if (p2m_map(d, d->ram[i].base >> 12, d->ram[i].base >> 12, d->ram[i].size >> 12,
			    P2M_RAM_RW)) {
			fmt_snprintf(err, errlen, "dom0: out of memory for its stage-2 tables");
			return -1;
		}
	}
	return 0;
}

/* Nodes whose MMIO Punt keeps or emulates, or that describe no device. */
static bool skip_subtree(const struct boot_info *bi, const void *fdt, int node)
{
	const char *type = fdt_prop_string(fdt, node, "device_type");
	const char *name = fdt_node_name(fdt, node);

	if (node == bi->gic.node || node == bi->uart.node)
		return true;
	if (type && (!strcmp(type, "memory") || !strcmp(type, "cpu")))
		return true;
	return !strcmp(name, "chosen") || !strcmp(name, "cpus") ||
	       !strncmp(name, "reserved-memory", 15) || !fdt_is_available(fdt, node);
}

static void map_mmio(struct domain *d, uint64_t base, uint64_t size, const char *what)
{
	uint64_t start = base & ~0xfffUL, end = align_up(base + size, 4096);

	if (!size || memory_is_ram(start, end - start))
		return;
	if (p2m_map(d, start >> 12, start >> 12, (end - start) >> 12, P2M_DEVICE))
		printk("dom0: cannot map %s at %#lx\n", what, base);
}

/* PCI host bridges: their windows (parent address of each "ranges" entry) are device memory. */
static void map_pci_ranges(struct domain *d, const void *fdt, int node)
{
	int len;
	const uint32_t *r = fdt_prop(fdt, node, "ranges", &len);
	uint32_t pac = fdt_address_cells(fdt, fdt_parent(fdt, node));
	uint32_t cac = fdt_address_cells(fdt, node), sc = fdt_size_cells(fdt, node);
	unsigned entry = cac + pac + sc;

	if (!r || !entry || pac > 2 || sc > 2)
		return;
	for (int i = 0; (i + 1) * (int)entry * 4 <= len; i++) {
		const uint32_t *e = r + i * entry;
		map_mmio(d, fdt_read_cells(e + cac, pac), fdt_read_cells(e + cac + pac, sc),
			 fdt_node_name(fdt, node));
	}
}

static void map_devices(struct domain *d, const struct boot_info *bi)
{
	const void *fdt = bi->fdt;
	int depth = 0, skip_depth = -1;

	for (int node = fdt_next_node(fdt, fdt_root(fdt), &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		if (skip_depth >= 0 && depth > skip_depth)
			continue;
		skip_depth = -1;
		if (skip_subtree(bi, fdt, node)) {
			skip_depth = depth;
			continue;
		}
		/* Only nodes whose bus addresses are CPU addresses (no translating parent). */
		int parent = fdt_parent(fdt, node);
		int plen;
		if (parent != fdt_root(fdt) && (!fdt_prop(fdt, parent, "ranges", &plen) || plen)) {
			continue;
		}
		uint64_t base, size;
		for (int i = 0; fdt_reg(fdt, node, i, &base, &size); i++)
			map_mmio(d, base, size, fdt_node_name(fdt, node));
		const char *type = fdt_prop_string(fdt, node, "device_type");
		if (type && !strcmp(type, "pci"))
			map_pci_ranges(d, fdt, node);
	}
}

/* Punt's own lines (its console UART's among them) have handlers and are not forwarded. */
static void route_spis(struct domain *d)
{
	printk("dom0: %u SPIs routed\n", irq_assign_unclaimed(d));
}

static int load_kernel(struct domain *d, const struct boot_module *k, uint64_t *entry,
		       uint64_t *end, char *err, size_t errlen)
{
	const struct image_header *h = (const void *)k->base;
	uint64_t bank = d->ram[0].base, size;

	if (k->size < sizeof(*h) || h->magic != IMAGE_MAGIC) {
		fmt_snprintf(err, errlen, "dom0 kernel module at %#lx: not an arm64 Image",
			     k->base);
		return -1;
	}
	size = h->image_size ? h->image_size : k->size;
	if (size < k->size)
		size = k->size;
	*entry = align_up(bank, SZ_2M) + h->text_offset;
	*end = *entry + size;
	if (*end > bank + d->ram[0].size) {
		fmt_snprintf(err, errlen, "dom0 kernel (%lu MiB) does not fit in dom0_mem",
			     size >> 20);
		return -1;
	}
	memcpy((void *)*entry, (const void *)k->base, k->size);
	memset((void *)(*entry + k->size), 0, size - k->size);
	arch_dcache_clean_inval_range(*entry, size);
	printk("dom0: kernel %#lx-%#lx (%lu KiB)\n", *entry, *end, size >> 10);
	return 0;
}

static int build_dt(struct domain *d, const struct boot_info *bi, uint64_t at, uint64_t initrd_base,
		    uint64_t initrd_size, char *err, size_t errlen)
{
	int hide[1] = {bi->uart.node};
	struct dom0_fdt_params p = {
	    .bi = bi,
	    .mem = d->ram,
	    .nr_mem = d->nr_ram,
	    .nr_vcpus = d->max_vcpus,
	    .gnttab_base = arch_mm_image_base(),
	    .gnttab_size = GNTTAB_FRAMES * 4096,
	    .evtchn_intid = EVTCHN_INTID,
	    .initrd_base = initrd_base,
	    .initrd_size = initrd_size,
	    .bootargs = bi->dom0_bootargs,
	    .hide_nodes = hide,
	    .nr_hide = bi->uart.node >= 0 ? 1 : 0,
	};
	uint64_t limit = d->ram[0].base + d->ram[0].size;
	size_t room = limit - at < SZ_2M ? limit - at : SZ_2M;
	size_t size;

	if (at >= limit || dom0_fdt_build(&p, (void *)at, room, &size, err, errlen))
		return -1;
	arch_dcache_clean_inval_range(at, size);
	printk("dom0: device tree %#lx-%#lx\n", at, at + size);
	return 0;
}

/* A decimal boot argument for dom0's scheduling; 0 if absent or good, -1 with a message. */
static int dom0_sched_number(const char *cmdline, const char *key, uint64_t *out, char *err,
			     size_t errlen)
{
	const char *val;
	size_t len;

	if (!bootargs_get(cmdline, key, &val, &len))
		return 0;
	if (!val || parse_decimal(val, len, out)) {
		fmt_snprintf(err, errlen, "dom0: %s=%.*s is not a decimal number", key,
			     val ? (int)len : 0, val ? val : "");
		return -1;
	}
	return 0;
}

/* dom0_sched_weight=, dom0_sched_cap=, dom0_sched_affinity= (Punt's boot arguments). */
static int dom0_sched(struct domain *d, const char *cmdline, char *err, size_t errlen)
{
	uint64_t weight = SCHED_DEFAULT_WEIGHT, cap = 0;
	cpumask_t aff;
	const char *val;
	size_t len;

	cpumask_first_n(&aff, nr_pcpus);
	if (dom0_sched_number(cmdline, "dom0_sched_weight", &weight, err, errlen) ||
	    dom0_sched_number(cmdline, "dom0_sched_cap", &cap, err, errlen))
		return -1;
	if (bootargs_get(cmdline, "dom0_sched_affinity", &val, &len) &&
	    (!val || cpumask_parse(val, len, &aff))) {
		fmt_snprintf(err, errlen,
			     "dom0: dom0_sched_affinity=%.*s is not a CPU list like 0-1,3",
			     val ? (int)len : 0, val ? val : "");
		return -1;
	}
	char why[96];
	if (sched_domain_check(weight, cap, &aff, why, sizeof(why))) {
		fmt_snprintf(err, errlen, "dom0: scheduling boot arguments: %s", why);
		return -1;
	}
	sched_domain_apply(d, weight, cap, &aff);
	return 0;
}

int dom0_build(const struct boot_info *bi, char *err, size_t errlen)
{
	const struct boot_module *kernel = bootinfo_module(bi, BOOT_MOD_KERNEL);
	const struct boot_module *initrd = bootinfo_module(bi, BOOT_MOD_RAMDISK);
	uint64_t entry, end, initrd_at = 0, dtb_at;
	struct domain *d;

	if (!kernel) {
		fmt_snprintf(err, errlen, "no dom0 kernel: /chosen has no multiboot,kernel module");
		return -1;
	}
	d = domain_create(0, "dom0", dom0_vcpus(bi), true,
			  &(struct arch_domain_config){.hardware = true});
	if (!d) {
		fmt_snprintf(err, errlen, "dom0: cannot create the domain or its virtual devices");
		return -1;
	}
	if (dom0_sched(d, bi->hyp_bootargs, err, errlen))
		return -1;
	d->direct_mapped = true;
	d->evtchn_intid = EVTCHN_INTID;
	d->gnttab_base_gfn = arch_mm_image_base() >> 12;
	d->gnttab_max_frames = GNTTAB_FRAMES;
	if (allocate_ram(d, dom0_mem_size(bi), err, errlen))
		return -1;
	for (unsigned i = 0; i < d->nr_ram; i++)
		printk("dom0: RAM %#lx-%#lx (%lu MiB)\n", d->ram[i].base,
		       d->ram[i].base + d->ram[i].size, d->ram[i].size >> 20);
	if (load_kernel(d, kernel, &entry, &end, err, errlen))
		return -1;
	dtb_at = align_up(end, SZ_2M);
	if (initrd) {
		initrd_at = align_up(end, SZ_2M);
		if (initrd_at + initrd->size > d->ram[0].base + d->ram[0].size) {
			fmt_snprintf(err, errlen, "dom0 initrd (%lu KiB) does not fit in dom0_mem",
				     initrd->size >> 10);
			return -1;
		}
		memcpy((void *)initrd_at, (const void *)initrd->base, initrd->size);
		arch_dcache_clean_inval_range(initrd_at, initrd->size);
		printk("dom0: initrd %#lx-%#lx\n", initrd_at, initrd_at + initrd->size);
		dtb_at = align_up(initrd_at + initrd->size, SZ_2M);
	}
	if (build_dt(d, bi, dtb_at, initrd_at, initrd ? initrd->size : 0, err, errlen))
		return -1;

	map_devices(d, bi);
	route_spis(d);
	d->hvm_params[HVM_PARAM_CALLBACK_IRQ] =
	    (HVM_PARAM_CALLBACK_TYPE_PPI << HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) |
	    (HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL << HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_SHIFT) |
	    EVTCHN_INTID;
	wallclock_publish(d);

	for (unsigned i = 0; i < d->max_vcpus; i++)
		sched_add_vcpu(d->vcpus[i], i % nr_pcpus);
	arch_vcpu_reset(d->vcpus[0], entry, dtb_at);
	memory_release_module(kernel);
	if (initrd)
		memory_release_module(initrd);
	domain_publish(d);
	printk("dom0: %u vCPU%s, entry %#lx\n", d->max_vcpus, d->max_vcpus == 1 ? "" : "s", entry);
	return 0;
}
