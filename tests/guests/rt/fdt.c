// SPDX-License-Identifier: Apache-2.0
/* Reads what the tests need from the flattened DT (devicetree spec v0.4, chapter 5). */
#include "rt.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP	       4
#define FDT_END	       9
#define MAX_DEPTH      16

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t read_cells(const uint8_t *p, unsigned cells)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < cells; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

static bool strlist_has(const char *list, size_t len, const char *want)
{
	size_t wl = rt_strnlen(want, 64);
	for (size_t i = 0; i < len;) {
		size_t l = rt_strnlen(list + i, len - i);
		if (l == wl && !rt_strncmp(list + i, want, wl))
			return true;
		i += l + 1;
	}
	return false;
}

struct node {
	char name[32];
	unsigned ac, sc; /* #address-cells/#size-cells this node gives its children */
	bool is_gic, is_memory, is_cpu, is_sbsa_uart;
	const uint8_t *reg;
	unsigned reg_len;
};

static void copy_name(char *dst, const char *src, size_t max)
{
	size_t i = 0;
	for (; i + 1 < max && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

static void node_done(const struct node *n, const struct node *parent, unsigned depth)
{
	unsigned ac = parent->ac, sc = parent->sc, step = 4 * (ac + sc);

	if (!n->reg || !step)
		return;
	if (n->is_gic && n->reg_len >= 2 * step) {
		rt_plat.gicd = read_cells(n->reg, ac);
		rt_plat.gicr = read_cells(n->reg + step, ac);
		rt_plat.gicr_size = read_cells(n->reg + step + 4 * ac, sc);
	}
	if (n->is_memory)
		for (unsigned off = 0; off + step <= n->reg_len && rt_plat.nr_banks < RT_MAX_BANKS;
		     off += step) {
			struct rt_region *r = &rt_plat.bank[rt_plat.nr_banks++];
			r->base = read_cells(n->reg + off, ac);
			r->size = read_cells(n->reg + off + 4 * ac, sc);
		}
	if (n->is_cpu && depth == 2 && rt_plat.nr_cpus < RT_MAX_CPUS && n->reg_len >= 4 * ac)
		rt_plat.cpu_mpidr[rt_plat.nr_cpus++] = read_cells(n->reg, ac);
	if (n->is_sbsa_uart && !rt_plat.uart)
		rt_plat.uart = read_cells(n->reg, ac);
	if (depth == 1 && !rt_strncmp(n->name, "hypervisor", 11) && n->reg_len >= step) {
		rt_plat.gnttab.base = read_cells(n->reg, ac);
		rt_plat.gnttab.size = read_cells(n->reg + 4 * ac, sc);
		/* reg[1..]: extended regions, guest-physical space free for foreign mappings. */
		for (unsigned off = step; off + step <= n->reg_len && rt_plat.nr_ext < RT_MAX_BANKS;
		     off += step) {
			struct rt_region *r = &rt_plat.ext[rt_plat.nr_ext++];
			r->base = read_cells(n->reg + off, ac);
			r->size = read_cells(n->reg + off + 4 * ac, sc);
		}
	}
}

static void copy_bootargs(const char *val, unsigned len)
{
	size_t n = rt_strnlen(val, len);
	if (n >= sizeof(rt_plat.bootargs))
		n = sizeof(rt_plat.bootargs) - 1;
	memcpy(rt_plat.bootargs, val, n);
	rt_plat.bootargs[n] = '\0';
}

static void node_prop(struct node *n, unsigned depth, const char *pname, const uint8_t *val,
		      unsigned len)
{
	bool hyp = depth == 1 && !rt_strncmp(n->name, "hypervisor", 11);

	if (!rt_strncmp(pname, "#address-cells", 15) && len == 4)
		n->ac = be32(val);
	else if (!rt_strncmp(pname, "#size-cells", 12) && len == 4)
		n->sc = be32(val);
	else if (!rt_strncmp(pname, "reg", 4)) {
		n->reg = val;
		n->reg_len = len;
	} else if (!rt_strncmp(pname, "compatible", 11)) {
		n->is_gic |= strlist_has((const char *)val, len, "arm,gic-v3");
		n->is_sbsa_uart |= strlist_has((const char *)val, len, "arm,sbsa-uart");
		if (hyp) {
			rt_plat.has_hypervisor_node = true;
			copy_name(rt_plat.hypervisor_compat, (const char *)val,
				  sizeof(rt_plat.hypervisor_compat));
		}
	} else if (!rt_strncmp(pname, "device_type", 12)) {
		n->is_memory |= strlist_has((const char *)val, len, "memory");
		n->is_cpu |= strlist_has((const char *)val, len, "cpu");
	} else if (hyp && !rt_strncmp(pname, "interrupts", 11) && len >= 12 && be32(val) == 1) {
		rt_plat.evtchn_intid = be32(val + 4) + 16;
	} else if (depth == 1 && !rt_strncmp(n->name, "chosen", 7) &&
		   !rt_strncmp(pname, "bootargs", 9)) {
		copy_bootargs((const char *)val, len);
	} else if (depth == 1 && !rt_strncmp(n->name, "psci", 4) &&
		   !rt_strncmp(pname, "method", 7)) {
		copy_name(rt_plat.psci_method, (const char *)val, sizeof(rt_plat.psci_method));
	}
}

bool rt_fdt_parse(uint64_t dtb);

bool rt_fdt_parse(uint64_t dtb)
{
	const uint8_t *h = (const uint8_t *)dtb;
	struct node stack[MAX_DEPTH];
	int depth = -1;

	if (!dtb || be32(h) != FDT_MAGIC)
		return false;
	const uint8_t *p = h + be32(h + 8);
	const char *strings = (const char *)h + be32(h + 12);
	for (;;) {
		uint32_t tok = be32(p);
		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			size_t l = rt_strnlen(name, 256);
			p += (l + 4) & ~3ul;
			if (++depth >= MAX_DEPTH)
				return false;
			struct node *n = &stack[depth];
			memset(n, 0, sizeof(*n));
			n->ac = 2;
			n->sc = 1;
			copy_name(n->name, name, sizeof(n->name));
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p), nameoff = be32(p + 4);
			const uint8_t *val = p + 8;
			p += 8 + ((len + 3) & ~3u);
			if (depth >= 0)
				node_prop(&stack[depth], (unsigned)depth, strings + nameoff, val,
					  len);
		} else if (tok == FDT_END_NODE) {
			if (depth < 0)
				return false;
			if (depth > 0)
				node_done(&stack[depth], &stack[depth - 1], (unsigned)depth);
			depth--;
		} else if (tok == FDT_NOP) {
			continue;
		} else {
			return tok == FDT_END;
		}
	}
}
