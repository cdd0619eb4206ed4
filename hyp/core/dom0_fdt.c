// SPDX-License-Identifier: Apache-2.0
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "punt/bootinfo.h"
#include "punt/dom0_fdt.h"
#include "punt/fdt.h"
#include "punt/string.h"

#define DOM0_MAX_VCPUS 4096 /* Aff1 is 8 bits: 256 * 16 */

/* GIC interrupt specifier flags: CPU mask 0xf, level-sensitive active-low (the arm,gic-v3
 * device-tree binding: type, number, flags). */
#define PPI_FLAGS_ALL_CPUS_LEVEL_LOW 0xf08u

enum action { COPY, DROP, REGEN_GIC, REWRITE_CHOSEN };

struct build {
	const struct dom0_fdt_params *p;
	const void *fdt;
	struct fdt_writer w;
	uint32_t gic_phandle;
	uint32_t root_ac, root_sc;
};

/* Nodes the hypervisor keeps, virtualises or that make no sense in dom0 (Xen's skip list). */
static const char *const skip_compatible[] = {
    "xen,xen",
    "xen,domain",
    "xen,domain-shared-memory-v1",
    "xen,evtchn-v1",
    "xen,multiboot-module",
    "multiboot,module",
    "arm,psci",
    "arm,psci-0.2",
    "arm,psci-1.0",
    "arm,armv8-pmuv3",
    "arm,cortex-a15-pmu",
    "arm,cortex-a7-pmu",
    "arm,cortex-a53-edac",
    "arm,armv7-timer-mem",
};

uint64_t dom0_vcpu_mpidr(unsigned i)
{
	return (uint64_t)(i % 16) | ((uint64_t)(i / 16) << 8);
}

static bool name_is(const char *name, const char *want)
{
	size_t n = strlen(want);

	return strncmp(name, want, n) == 0 && (name[n] == '\0' || name[n] == '@');
}

static bool hidden(const struct dom0_fdt_params *p, int node)
{
	unsigned i;

	for (i = 0; i < p->nr_hide; i++) {
		if (p->hide_nodes[i] == node)
			return true;
	}
	return false;
}

/* Does a 3-cell GIC "interrupts" list (or an interrupts-extended entry) name a PPI? */
static bool uses_ppi(const struct build *b, int node, int iparent)
{
	const void *fdt = b->fdt;
	const uint8_t *c;
	int len, i;

	c = fdt_prop(fdt, node, "interrupts", &len);
	if (c && iparent == b->p->bi->gic.node) {
		for (i = 0; i + 12 <= len; i += 12) {
			if (fdt_read_cells(c + i, 1) == 1)
				return true;
		}
	}
	c = fdt_prop(fdt, node, "interrupts-extended", &len);
	for (i = 0; c && i + 4 <= len;) {
		uint32_t ph = (uint32_t)fdt_read_cells(c + i, 1);
		int ctrl = fdt_node_by_phandle(fdt, ph);
		uint32_t ncells;

		if (ctrl < 0 || !fdt_prop_u32(fdt, ctrl, "#interrupt-cells", &ncells) || ncells > 8)
			break;
		if (ctrl == b->p->bi->gic.node && i + 8 <= len && fdt_read_cells(c + i + 4, 1) == 1)
			return true;
		i += 4 + 4 * (int)ncells;
	}
	return false;
}

static bool compatible_skipped(const void *fdt, int node)
{
	size_t i;

	for (i = 0; i < sizeof(skip_compatible) / sizeof(skip_compatible[0]); i++) {
		if (fdt_is_compatible(fdt, node, skip_compatible[i]))
			return true;
	}
	return false;
}

static enum action decide(const struct build *b, int node, int depth, int iparent)
{
	const void *fdt = b->fdt;
	const struct boot_info *bi = b->p->bi;
	const char *name = fdt_node_name(fdt, node);
	const char *type = fdt_prop_string(fdt, node, "device_type");

	if (depth == 0)
		return COPY;
	if (hidden(b->p, node))
		return DROP;
	if (node == bi->gic.node)
		return REGEN_GIC;
	if (depth == 1 && strcmp(name, "chosen") == 0)
		return REWRITE_CHOSEN;
	if (depth == 1 && (strcmp(name, "cpus") == 0 || strcmp(name, "hypervisor") == 0))
		return DROP;
	if ((type && strcmp(type, "memory") == 0) || (depth == 1 && name_is(name, "memory")))
		return DROP;
	if (compatible_skipped(fdt, node))
		return DROP;
	if (node != bi->timer.node && uses_ppi(b, node, iparent))
		return DROP;
	return COPY;
}

/* The node that "interrupt-parent" of node or its nearest ancestor names, or -1. */
static int interrupt_parent_of(const void *fdt, int node)
{
	unsigned steps;
	uint32_t ph;

	for (steps = 0; node >= 0 && steps <= FDT_MAX_DEPTH; steps++) {
		if (fdt_prop_u32(fdt, node, "interrupt-parent", &ph))
			return fdt_node_by_phandle(fdt, ph);
		node = fdt_parent(fdt, node);
	}
	return -1;
}

/* Will node appear in dom0's tree? */
static bool node_kept(const struct build *b, int node)
{
	int n, steps = 0;

	for (n = node; n >= 0 && steps <= FDT_MAX_DEPTH; n = fdt_parent(b->fdt, n), steps++) {
		enum action a =
		    decide(b, n, fdt_node_depth(b->fdt, n), interrupt_parent_of(b->fdt, n));

		if (a == DROP || (a == REGEN_GIC && n != node))
			return false;
	}
	return n < 0;
}

static bool phandle_kept(const struct build *b, uint32_t ph)
{
	int node = fdt_node_by_phandle(b->fdt, ph);

	return node >= 0 && node_kept(b, node);
}

/* msi-parent = <phandle args...>; msi-map = <rid-base phandle msi-base length>... */
static bool msi_refs_kept(const struct build *b, const char *name, const uint8_t *v, int len)
{
	if (strcmp(name, "msi-parent") == 0)
		return len >= 4 && phandle_kept(b, (uint32_t)fdt_read_cells(v, 1));
	if (strcmp(name, "msi-map") == 0) {
		if (len <= 0 || len % 16)
			return false;
		for (int i = 0; i < len; i += 16) {
			if (!phandle_kept(b, (uint32_t)fdt_read_cells(v + i + 4, 1)))
				return false;
		}
	}
	return true;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Properties of /chosen that belong to the hypervisor or are regenerated. */
static bool chosen_prop_dropped(const char *name)
{
	return strcmp(name, "bootargs") == 0 || starts_with(name, "xen,") ||
	       strcmp(name, "linux,initrd-start") == 0 || strcmp(name, "linux,initrd-end") == 0 ||
	       strcmp(name, "stdout-path") == 0 || strcmp(name, "linux,stdout-path") == 0 ||
	       starts_with(name, "linux,uefi-");
}

static bool alias_dropped(const struct build *b, const char *v, int len)
{
	int target;

	if (len < 2 || v[0] != '/' || v[len - 1] != '\0')
		return false;
	target = fdt_path(b->fdt, v);
	return target >= 0 && !node_kept(b, target);
}

static void copy_props(struct build *b, int node, enum action a, bool is_aliases)
{
	int prop;

	for (prop = fdt_first_prop(b->fdt, node); prop >= 0; prop = fdt_next_prop(b->fdt, prop)) {
		const char *name;
		int len;
		const uint8_t *v = fdt_prop_at(b->fdt, prop, &name, &len);

		if (!v || len < 0)
			continue;
		if (a == REWRITE_CHOSEN && chosen_prop_dropped(name))
			continue;
		if (strcmp(name, "xen,passthrough") == 0 || !msi_refs_kept(b, name, v, len))
			continue;
		if (is_aliases && alias_dropped(b, (const char *)v, len))
			continue;
		fdtw_prop(&b->w, name, v, (size_t)len);
	}
}

/* name@<unit in lowercase hex> */
static void unit_name(char *buf, size_t size, const char *name, uint64_t unit)
{
	char hex[17];
	int n = 0;
	size_t len = strlen(name);

	do {
		hex[n++] = "0123456789abcdef"[unit & 0xf];
		unit >>= 4;
	} while (unit);
	if (len + 2 + (size_t)n > size)
		len = 0; /* cannot happen with the callers' buffers */
	memcpy(buf, name, len);
	buf[len++] = '@';
	while (n)
		buf[len++] = hex[--n];
	buf[len] = '\0';
}

static void put_cells(uint32_t *cells, unsigned *pos, uint64_t v, uint32_t ncells)
{
	if (ncells == 2)
		cells[(*pos)++] = (uint32_t)(v >> 32);
	cells[(*pos)++] = (uint32_t)v;
}

/* reg = <base size>... with the given cells; fails on values that do not fit. */
static int put_reg(struct build *b, const char *prop, const struct boot_region *first,
		   const struct boot_region *rest, unsigned nr_rest, uint32_t ac, uint32_t sc,
		   char *err, size_t errlen)
{
	uint32_t cells[(1 + DOM0_MAX_EXT_REGIONS) * 4];
	unsigned pos = 0, i;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2 || nr_rest > DOM0_MAX_EXT_REGIONS) {
		boot_errf(err, errlen, "dom0 DT: cannot encode %s", prop);
		return -1;
	}
	for (i = 0; i <= nr_rest; i++) {
		const struct boot_region *r = i == 0 ? first : &rest[i - 1];

		if ((ac == 1 && r->base > UINT32_MAX) || (sc == 1 && r->size > UINT32_MAX)) {
			boot_errf(err, errlen,
				  "dom0 DT: %s 0x%llx+0x%llx does not fit the root's cells", prop,
				  (unsigned long long)r->base, (unsigned long long)r->size);
			return -1;
		}
		put_cells(cells, &pos, r->base, ac);
		put_cells(cells, &pos, r->size, sc);
	}
	fdtw_prop_cells(&b->w, prop, cells, pos);
	return 0;
}

static void write_gic(struct build *b, int node)
{
	const struct boot_info *bi = b->p->bi;
	const void *fdt = b->fdt;
	int parent = fdt_parent(fdt, node);
	uint32_t ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	uint32_t cells[(1 + BOOT_MAX_REDIST) * 4];
	unsigned pos = 0, i;
	const void *v;
	int len;

	fdtw_begin_node(&b->w, fdt_node_name(fdt, node));
	fdtw_prop_u32(&b->w, "phandle", b->gic_phandle);
	fdtw_prop_string(&b->w, "compatible", "arm,gic-v3");
	fdtw_prop_u32(&b->w, "#interrupt-cells", 3);
	/* interrupt-map entries elsewhere (PCI INTx) encode the GIC's #address-cells. */
	if ((v = fdt_prop(fdt, node, "#address-cells", &len)) != NULL)
		fdtw_prop(&b->w, "#address-cells", v, (size_t)len);
	if ((v = fdt_prop(fdt, node, "#size-cells", &len)) != NULL)
		fdtw_prop(&b->w, "#size-cells", v, (size_t)len);
	if ((v = fdt_prop(fdt, node, "ranges", &len)) != NULL)
		fdtw_prop(&b->w, "ranges", v, (size_t)len);
	fdtw_prop(&b->w, "interrupt-controller", NULL, 0);
	put_cells(cells, &pos, bi->gic.dist_base, ac);
	put_cells(cells, &pos, bi->gic.dist_size, sc);
	for (i = 0; i < bi->gic.nr_redist && i < BOOT_MAX_REDIST; i++) {
		put_cells(cells, &pos, bi->gic.redist[i].base, ac);
		put_cells(cells, &pos, bi->gic.redist[i].size, sc);
	}
	fdtw_prop_cells(&b->w, "reg", cells, pos);
	fdtw_prop_u32(&b->w, "#redistributor-regions", bi->gic.nr_redist);
	if (bi->gic.redist_stride) {
		uint64_t stride = bi->gic.redist_stride;

		fdtw_prop_reg(&b->w, "redistributor-stride", &stride, 1, 2);
	}
	if ((v = fdt_prop(fdt, node, "interrupts", &len)) != NULL)
		fdtw_prop(&b->w, "interrupts", v, (size_t)len); /* the maintenance PPI */
	fdtw_end_node(&b->w);
}

static void write_chosen_extras(struct build *b)
{
	const struct dom0_fdt_params *p = b->p;

	if (p->bootargs)
		fdtw_prop_string(&b->w, "bootargs", p->bootargs);
	if (p->initrd_size) {
		uint64_t v[2] = {p->initrd_base, p->initrd_base + p->initrd_size};

		fdtw_prop_reg(&b->w, "linux,initrd-start", &v[0], 1, 2);
		fdtw_prop_reg(&b->w, "linux,initrd-end", &v[1], 1, 2);
	}
}

static void write_cpus(struct build *b)
{
	unsigned i;

	fdtw_begin_node(&b->w, "cpus");
	fdtw_prop_u32(&b->w, "#address-cells", 1);
	fdtw_prop_u32(&b->w, "#size-cells", 0);
	for (i = 0; i < b->p->nr_vcpus; i++) {
		char name[32];
		uint64_t mpidr = dom0_vcpu_mpidr(i);

		unit_name(name, sizeof(name), "cpu", mpidr);
		fdtw_begin_node(&b->w, name);
		fdtw_prop_string(&b->w, "device_type", "cpu");
		fdtw_prop_string(&b->w, "compatible", "arm,armv8");
		fdtw_prop_u32(&b->w, "reg", (uint32_t)mpidr);
		fdtw_prop_string(&b->w, "enable-method", "psci");
		fdtw_end_node(&b->w);
	}
	fdtw_end_node(&b->w);
}

static void write_psci(struct build *b)
{
	static const char *const compat[] = {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"};

	fdtw_begin_node(&b->w, "psci");
	fdtw_prop_strings(&b->w, "compatible", compat, 3);
	fdtw_prop_string(&b->w, "method", "hvc");
	fdtw_end_node(&b->w);
}

static int write_memory(struct build *b, char *err, size_t errlen)
{
	unsigned i;

	for (i = 0; i < b->p->nr_mem; i++) {
		char name[40];

		unit_name(name, sizeof(name), "memory", b->p->mem[i].base);
		fdtw_begin_node(&b->w, name);
		fdtw_prop_string(&b->w, "device_type", "memory");
		if (put_reg(b, "reg", &b->p->mem[i], NULL, 0, b->root_ac, b->root_sc, err, errlen))
			return -1;
		fdtw_end_node(&b->w);
	}
	return 0;
}

static int write_hypervisor(struct build *b, char *err, size_t errlen)
{
	static const char *const compat[] = {"xen,xen-4.17", "xen,xen"};
	const struct dom0_fdt_params *p = b->p;
	struct boot_region gnttab = {p->gnttab_base, p->gnttab_size};
	uint32_t irq[3] = {1, p->evtchn_intid - 16, PPI_FLAGS_ALL_CPUS_LEVEL_LOW};

	fdtw_begin_node(&b->w, "hypervisor");
	fdtw_prop_strings(&b->w, "compatible", compat, 2);
	if (put_reg(b, "reg", &gnttab, p->ext, p->nr_ext, b->root_ac, b->root_sc, err, errlen))
		return -1;
	fdtw_prop_cells(&b->w, "interrupts", irq, 3);
	fdtw_prop_u32(&b->w, "interrupt-parent", b->gic_phandle);
	fdtw_end_node(&b->w);
	return 0;
}

/* Copies the host tree, node by node in document order, applying decide(). */
static void copy_tree(struct build *b, bool *chosen_seen)
{
	const void *fdt = b->fdt;
	int iparent[FDT_MAX_DEPTH + 1];
	int depth = 0, open = 0, skip_below = -1;
	int node;

	for (node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		enum action a;
		uint32_t ph;

		if (depth < 0 || depth > FDT_MAX_DEPTH)
			break;
		if (skip_below >= 0 && depth > skip_below)
			continue;
		skip_below = -1;
		while (open > depth) {
			fdtw_end_node(&b->w);
			open--;
		}
		iparent[depth] = depth > 0 ? iparent[depth - 1] : -1;
		if (fdt_prop_u32(fdt, node, "interrupt-parent", &ph))
			iparent[depth] = fdt_node_by_phandle(fdt, ph);
		a = decide(b, node, depth, iparent[depth]);
		if (a == DROP || a == REGEN_GIC) {
			if (a == REGEN_GIC)
				write_gic(b, node);
			skip_below = depth;
			continue;
		}
		fdtw_begin_node(&b->w, fdt_node_name(fdt, node));
		open = depth + 1;
		copy_props(b, node, a,
			   depth == 1 && strcmp(fdt_node_name(fdt, node), "aliases") == 0);
		if (a == REWRITE_CHOSEN) {
			write_chosen_extras(b);
			*chosen_seen = true;
		}
	}
	while (open > 1) {
		fdtw_end_node(&b->w);
		open--;
	}
}

static int check_params(const struct dom0_fdt_params *p, char *err, size_t errlen)
{
	if (!p || !p->bi || !p->bi->fdt) {
		boot_errf(err, errlen, "dom0 DT: no host device tree");
		return -1;
	}
	if (p->bi->gic.node < 0) {
		boot_errf(err, errlen, "dom0 DT: host GIC unknown");
		return -1;
	}
	if (p->nr_mem == 0 || !p->mem) {
		boot_errf(err, errlen, "dom0 DT: no RAM banks");
		return -1;
	}
	if (p->nr_vcpus == 0 || p->nr_vcpus > DOM0_MAX_VCPUS) {
		boot_errf(err, errlen, "dom0 DT: %u vCPUs (supported: 1..%u)", p->nr_vcpus,
			  DOM0_MAX_VCPUS);
		return -1;
	}
	if (p->evtchn_intid < 16 || p->evtchn_intid > 31) {
		boot_errf(err, errlen, "dom0 DT: event channel interrupt %u is not a PPI (16..31)",
			  p->evtchn_intid);
		return -1;
	}
	if (p->gnttab_size == 0) {
		boot_errf(err, errlen, "dom0 DT: empty grant table window");
		return -1;
	}
	if (p->nr_ext > DOM0_MAX_EXT_REGIONS || (p->nr_ext && !p->ext)) {
		boot_errf(err, errlen, "dom0 DT: too many extended regions (max %u)",
			  DOM0_MAX_EXT_REGIONS);
		return -1;
	}
	return 0;
}

int dom0_fdt_build(const struct dom0_fdt_params *p, void *buf, size_t size, size_t *out_size,
		   char *err, size_t errlen)
{
	struct build b;
	bool chosen_seen = false;
	int i, root, n;

	if (check_params(p, err, errlen))
		return -1;
	memset(&b, 0, sizeof(b));
	b.p = p;
	b.fdt = p->bi->fdt;
	root = fdt_root(b.fdt);
	b.root_ac = fdt_address_cells(b.fdt, root);
	b.root_sc = fdt_size_cells(b.fdt, root);
	b.gic_phandle = p->bi->gic.phandle ? p->bi->gic.phandle : fdt_max_phandle(b.fdt) + 1;

	fdtw_init(&b.w, buf, size, 0);
	n = fdt_num_mem_rsv(b.fdt);
	for (i = 0; i < n; i++) {
		uint64_t base, len;

		if (fdt_mem_rsv(b.fdt, i, &base, &len))
			fdtw_add_mem_rsv(&b.w, base, len);
	}
	copy_tree(&b, &chosen_seen);
	if (!chosen_seen) {
		fdtw_begin_node(&b.w, "chosen");
		write_chosen_extras(&b);
		fdtw_end_node(&b.w);
	}
	if (write_memory(&b, err, errlen))
		return -1;
	write_cpus(&b);
	write_psci(&b);
	if (write_hypervisor(&b, err, errlen))
		return -1;
	fdtw_end_node(&b.w); /* root */
	if (fdtw_finish(&b.w, out_size) != 0) {
		boot_errf(err, errlen, "dom0 DT: %s", b.w.error);
		return -1;
	}
	return 0;
}
