// SPDX-License-Identifier: Apache-2.0
#include <punt/domu.h>
#include <punt/fdt.h>
#include <punt/format.h>
#include <punt/grant_table.h>
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

/* The domid a xen,domain node gets: 1, 2, ... in DT order, as on Xen. 0 if not one. */
static domid_t domid_of_node(const void *fdt, int node)
{
	int nodes[DOMU_MAX];
	unsigned n = domu_find_nodes(fdt, nodes, DOMU_MAX);

	for (unsigned i = 0; i < n; i++) {
		if (nodes[i] == node)
			return (domid_t)(i + 1);
	}
	return 0;
}

/* xen,evtchn = <local-port phandle-of-the-peer's-evtchn-node> */
static bool read_evtchn_prop(const void *fdt, int node, uint32_t *port, uint32_t *phandle)
{
	int len;
	const void *p = fdt_prop(fdt, node, "xen,evtchn", &len);

	if (!p || len != 8)
		return false;
	*port = (uint32_t)fdt_read_cells(p, 1);
	*phandle = (uint32_t)fdt_read_cells((const uint8_t *)p + 4, 1);
	return true;
}

static int parse_static_evtchn(const void *fdt, int node, struct domu_static_evtchn *e, char *err,
			       size_t errlen)
{
	const char *name = fdt_node_name(fdt, node);
	uint32_t phandle, peer_phandle, own_phandle = 0;
	int peer;

	if (!read_evtchn_prop(fdt, node, &e->port, &phandle)) {
		fmt_snprintf(err, errlen, "%s: \"xen,evtchn\" must be <port phandle>", name);
		return -1;
	}
	if (e->port == 0 || e->port >= EVTCHN_2L_NR_CHANNELS) {
		fmt_snprintf(err, errlen, "%s: port %u is out of range (1 to %u)", name, e->port,
			     EVTCHN_2L_NR_CHANNELS - 1);
		return -1;
	}
	peer = fdt_node_by_phandle(fdt, phandle);
	if (peer < 0 || !fdt_is_compatible(fdt, peer, "xen,evtchn-v1") ||
	    !read_evtchn_prop(fdt, peer, &e->peer_port, &peer_phandle)) {
		fmt_snprintf(err, errlen, "%s: phandle %#x is not a xen,evtchn-v1 node", name,
			     phandle);
		return -1;
	}
	e->peer = domid_of_node(fdt, fdt_parent(fdt, peer));
	fdt_prop_u32(fdt, node, "phandle", &own_phandle);
	if (!e->peer || !own_phandle || peer_phandle != own_phandle) {
		fmt_snprintf(err, errlen,
			     "%s: the other end (%s) is not a domain's channel back to it", name,
			     fdt_node_name(fdt, peer));
		return -1;
	}
	if (e->peer_port == 0 || e->peer_port >= EVTCHN_2L_NR_CHANNELS) {
		fmt_snprintf(err, errlen, "%s: the other end's port %u is out of range", name,
			     e->peer_port);
		return -1;
	}
	return 0;
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

static int parse_static_evtchns(const void *fdt, int domain, struct domu_config *c, char *err,
				size_t errlen)
{
	for (int n = fdt_first_child(fdt, domain); n >= 0; n = fdt_next_sibling(fdt, n)) {
		if (!fdt_is_compatible(fdt, n, "xen,evtchn-v1"))
			continue;
		if (c->nr_evtchns == DOMU_MAX_STATIC_EVTCHNS) {
			fmt_snprintf(err, errlen, "more than %u static event channels",
				     DOMU_MAX_STATIC_EVTCHNS);
			return -1;
		}
		struct domu_static_evtchn *e = &c->evtchn[c->nr_evtchns];
		if (parse_static_evtchn(fdt, n, e, err, errlen))
			return -1;
		for (unsigned i = 0; i < c->nr_evtchns; i++) {
			if (c->evtchn[i].port == e->port) {
				fmt_snprintf(err, errlen, "port %u is used by two static channels",
					     e->port);
				return -1;
			}
		}
		c->nr_evtchns++;
	}
	return 0;
}

/*
 * Properties of Xen's binding that describe what Punt does not do: refusing them
 * with a message beats starting a domain that is not what the user asked for.
 */
static int parse_unsupported(const void *fdt, int node, char *err, size_t errlen)
{
	static const char *const absent[] = {"direct-map", "xen,static-mem", "domain-cpupool",
					     "xen,domain-p2m-mem-mb"};
	uint32_t v;

	for (unsigned i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		if (fdt_prop(fdt, node, absent[i], NULL)) {
			fmt_snprintf(err, errlen, "\"%s\" is not supported", absent[i]);
			return -1;
		}
	}
	if (fdt_prop_u32(fdt, node, "capabilities", &v) && v) {
		fmt_snprintf(err, errlen,
			     "capabilities = %u: a boot-time guest cannot be the control, "
			     "hardware or xenstore domain",
			     v);
		return -1;
	}
	if (fdt_prop_u32(fdt, node, "trap-unmapped-accesses", &v) && v != 1) {
		fmt_snprintf(err, errlen,
			     "trap-unmapped-accesses = %u: unmapped accesses always fault here", v);
		return -1;
	}
	if (fdt_prop_u32(fdt, node, "max_grant_version", &v) && v != 1) {
		fmt_snprintf(err, errlen, "max_grant_version = %u: only version 1 is offered", v);
		return -1;
	}
	const char *pt = fdt_prop_string(fdt, node, "passthrough");
	if (pt && strcmp(pt, "disabled")) {
		fmt_snprintf(err, errlen, "passthrough = \"%s\" is not supported", pt);
		return -1;
	}
	return 0;
}

static int parse_grant_limits(const void *fdt, int node, struct domu_config *c, char *err,
			      size_t errlen)
{
	uint32_t v;

	if (!fdt_prop(fdt, node, "max_grant_frames", NULL))
		return 0;
	if (!fdt_prop_u32(fdt, node, "max_grant_frames", &v) || v == 0 || v > GNTTAB_MAX_FRAMES) {
		fmt_snprintf(err, errlen, "max_grant_frames must be 1 to %u", GNTTAB_MAX_FRAMES);
		return -1;
	}
	c->max_grant_frames = v;
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
		/*
		 * "no-xenstore" (Xen's later spelling for the hypervisor interfaces without
		 * a store) is the same here: Punt offers guests no xenstore connection yet.
		 */
		if (enh && *enh && strcmp(enh, "enabled") && strcmp(enh, "disabled") &&
		    strcmp(enh, "no-xenstore")) {
			fmt_snprintf(err, errlen,
				     "xen,enhanced = \"%s\" is not supported (use \"enabled\", "
				     "\"no-xenstore\" or \"disabled\")",
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
	if (parse_sched(fdt, node, c, err, errlen) || parse_unsupported(fdt, node, err, errlen) ||
	    parse_grant_limits(fdt, node, c, err, errlen))
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
	return parse_static_evtchns(fdt, node, c, err, errlen);
}
