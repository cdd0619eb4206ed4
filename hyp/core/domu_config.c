// SPDX-License-Identifier: Apache-2.0
#include <punt/domu.h>
#include <punt/fdt.h>
#include <punt/format.h>
#include <punt/sched_policy.h>
#include <punt/string.h>

#define DEFAULT_SPIS_FOR_VPL011 32

static bool is_domain_node(const void *fdt, int node)
{
	return fdt_is_compatible(fdt, node, "xen,domain");
}

unsigned domu_find_nodes(const void *fdt, int *nodes, unsigned max)
{
	int chosen = fdt_path(fdt, "/chosen");
	unsigned n = 0;

	if (chosen < 0)
		return 0;
	for (int c = fdt_first_child(fdt, chosen); c >= 0 && n < max;
	     c = fdt_next_sibling(fdt, c)) {
		if (is_domain_node(fdt, c))
			nodes[n++] = c;
	}
	return n;
}

static bool module_of(const void *fdt, int domain, const char *compat, struct boot_region *r,
		      const char **bootargs)
{
	uint32_t ac = fdt_address_cells(fdt, domain), sc = fdt_size_cells(fdt, domain);

	for (int m = fdt_first_child(fdt, domain); m >= 0; m = fdt_next_sibling(fdt, m)) {
		if (!fdt_is_compatible(fdt, m, compat))
			continue;
		if (!fdt_reg_cells(fdt, m, 0, ac, sc, &r->base, &r->size))
			return false;
		if (bootargs) {
			const char *b = fdt_prop_string(fdt, m, "bootargs");
			if (b)
				*bootargs = b;
		}
		return true;
	}
	r->base = r->size = 0;
	return true;
}

unsigned domu_module_ranges(const void *fdt, struct boot_region *out, unsigned max)
{
	int nodes[DOMU_MAX];
	unsigned n = domu_find_nodes(fdt, nodes, DOMU_MAX), count = 0;
	static const char *const kinds[] = {"multiboot,kernel", "multiboot,ramdisk",
					    "multiboot,device-tree"};

	for (unsigned i = 0; i < n; i++) {
		for (unsigned k = 0; k < 3 && count < max; k++) {
			struct boot_region r;
			if (module_of(fdt, nodes[i], kinds[k], &r, NULL) && r.size)
				out[count++] = r;
		}
	}
	return count;
}

/* An optional one-cell property checked by `check`; 0, or -1 with a message. */
static int sched_u32(const void *fdt, int node, const char *prop, uint32_t dflt, unsigned *out,
		     const char *(*check)(uint64_t v, unsigned nr), char *err, size_t errlen)
{
	uint32_t v = dflt;
	const char *why;

	if (fdt_prop(fdt, node, prop, NULL) && !fdt_prop_u32(fdt, node, prop, &v)) {
		fmt_snprintf(err, errlen, "malformed \"%s\" (one cell)", prop);
		return -1;
	}
	if ((why = check(v, CONFIG_NR_CPUS))) {
		fmt_snprintf(err, errlen, "%s = %u: %s", prop, v, why);
		return -1;
	}
	*out = v;
	return 0;
}

static const char *check_weight(uint64_t v, unsigned nr)
{
	(void)nr;
	return sched_check_weight(v);
}

static int parse_sched(const void *fdt, int node, struct domu_config *c, char *err, size_t errlen)
{
	if (sched_u32(fdt, node, "punt,sched-weight", SCHED_DEFAULT_WEIGHT, &c->sched_weight,
		      check_weight, err, errlen) ||
	    sched_u32(fdt, node, "punt,sched-cap", 0, &c->sched_cap, sched_check_cap, err, errlen))
		return -1;
	cpumask_clear(&c->sched_affinity);
	if (!fdt_prop(fdt, node, "punt,sched-affinity", NULL))
		return 0;
	const char *aff = fdt_prop_string(fdt, node, "punt,sched-affinity");
	if (!aff || cpumask_parse(aff, strlen(aff), &c->sched_affinity)) {
		fmt_snprintf(err, errlen,
			     "punt,sched-affinity = \"%s\" is not a CPU list like \"0-1,3\"",
			     aff ? aff : "");
		return -1;
	}
	return 0;
}

int domu_config_parse(const void *fdt, int node, struct domu_config *c, char *err, size_t errlen)
{
	const char *name = fdt_node_name(fdt, node);
	int len;
	const void *mem = fdt_prop(fdt, node, "memory", &len);
	uint32_t cpus = 1, spis = 0;

	memset(c, 0, sizeof(*c));
	c->node = node;
	fmt_snprintf(c->name, sizeof(c->name), "%s", name);
	if (!mem || (len != 4 && len != 8)) {
		fmt_snprintf(err, errlen, "missing or malformed \"memory\" (KiB, 1 or 2 cells)");
		return -1;
	}
	c->mem_bytes = fdt_read_cells(mem, (unsigned)len / 4) * 1024;
	if (c->mem_bytes < (16UL << 20) || c->mem_bytes > (64UL << 30)) {
		fmt_snprintf(err, errlen, "memory of %lu KiB is out of range (16 MiB to 64 GiB)",
			     c->mem_bytes / 1024);
		return -1;
	}
	if (fdt_prop(fdt, node, "cpus", NULL) && !fdt_prop_u32(fdt, node, "cpus", &cpus)) {
		fmt_snprintf(err, errlen, "malformed \"cpus\"");
		return -1;
	}
	if (cpus == 0 || cpus > CONFIG_NR_CPUS) {
		fmt_snprintf(err, errlen, "cpus = %u is out of range (1 to %u)", cpus,
			     CONFIG_NR_CPUS);
		return -1;
	}
	c->vcpus = cpus;
	c->vpl011 = fdt_prop(fdt, node, "vpl011", NULL) != NULL;
	const char *enh = fdt_prop_string(fdt, node, "xen,enhanced");
	if (fdt_prop(fdt, node, "xen,enhanced", NULL)) {
		if (enh && *enh && strcmp(enh, "enabled") && strcmp(enh, "disabled")) {
			fmt_snprintf(err, errlen,
				     "xen,enhanced = \"%s\" is not supported (use \"enabled\")",
				     enh);
			return -1;
		}
		c->enhanced = enh && !strcmp(enh, "disabled") ? DOMU_PLAIN : DOMU_ENHANCED;
	}
	if (fdt_prop_u32(fdt, node, "nr_spis", &spis) && spis > 960) {
		fmt_snprintf(err, errlen, "nr_spis = %u is more than 960", spis);
		return -1;
	}
	c->nr_spis = spis ? spis : DEFAULT_SPIS_FOR_VPL011;
	if (parse_sched(fdt, node, c, err, errlen))
		return -1;
	if (!module_of(fdt, node, "multiboot,kernel", &c->kernel, &c->bootargs) ||
	    !module_of(fdt, node, "multiboot,ramdisk", &c->ramdisk, NULL) ||
	    !module_of(fdt, node, "multiboot,device-tree", &c->dtb, NULL)) {
		fmt_snprintf(err, errlen, "a module has a malformed reg");
		return -1;
	}
	if (!c->kernel.size) {
		fmt_snprintf(err, errlen, "no multiboot,kernel module");
		return -1;
	}
	if (c->dtb.size) {
		fmt_snprintf(err, errlen, "partial device trees (passthrough) are not supported");
		return -1;
	}
	return 0;
}
