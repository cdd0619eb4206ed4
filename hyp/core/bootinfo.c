// SPDX-License-Identifier: Apache-2.0
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "punt/bootargs.h"
#include "punt/bootinfo.h"
#include "punt/fdt.h"
#include "punt/string.h"

struct out {
	char *buf;
	size_t len, pos;
};

static void out_char(struct out *o, char c)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos++] = c;
}

static void out_num(struct out *o, unsigned long long v, unsigned base)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		out_char(o, digits[--n]);
}

void boot_errf(char *err, size_t errlen, const char *fmt, ...)
{
	struct out o = {err, errlen, 0};
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		bool ll = false;
		const char *s;

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		fmt++;
		if (fmt[0] == 'l' && fmt[1] == 'l') {
			ll = true;
			fmt += 2;
		}
		switch (*fmt) {
		case 's':
			s = va_arg(ap, const char *);
			for (s = s ? s : "(null)"; *s; s++)
				out_char(&o, *s);
			break;
		case 'u':
			out_num(&o, ll ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned), 10);
			break;
		case 'x':
			out_num(&o, ll ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned), 16);
			break;
		case '%':
			out_char(&o, '%');
			break;
		default: /* unknown conversion: stop rather than misread the arguments */
			goto done;
		}
	}
done:
	va_end(ap);
	o.buf[o.pos] = '\0';
}

struct parse {
	const void *fdt;
	struct boot_info *bi;
	char *err;
	size_t errlen;
};

#define FAIL(p, ...) (boot_errf((p)->err, (p)->errlen, __VA_ARGS__), -1)

static const char *name_of(const struct parse *p, int node)
{
	const char *n = fdt_node_name(p->fdt, node);

	return n && *n ? n : "/";
}

/* Appends reg entries of node (with explicit cells) to an array of regions. */
static int add_regs(struct parse *p, int node, uint32_t ac, uint32_t sc, struct boot_region *r,
		    unsigned *nr, unsigned max, const char *what)
{
	uint64_t base, size;
	int i;

	for (i = 0; fdt_reg_cells(p->fdt, node, i, ac, sc, &base, &size); i++) {
		if (size == 0)
			continue; /* Some DTs describe empty banks (Xen skips them too). */
		if (*nr == max)
			return FAIL(p, "too many %s (max %u)", what, max);
		r[*nr].base = base;
		r[*nr].size = size;
		(*nr)++;
	}
	return 0;
}

static bool is_memory_node(const void *fdt, int node)
{
	const char *name = fdt_node_name(fdt, node);
	const char *type = fdt_prop_string(fdt, node, "device_type");

	if (type && strcmp(type, "memory") == 0)
		return true;
	return strncmp(name, "memory", 6) == 0 && (name[6] == '\0' || name[6] == '@');
}

static void sort_regions(struct boot_region *r, unsigned n)
{
	unsigned i, j;

	for (i = 1; i < n; i++) {
		struct boot_region key = r[i];

		for (j = i; j > 0 && r[j - 1].base > key.base; j--)
			r[j] = r[j - 1];
		r[j] = key;
	}
}

static int parse_memory(struct parse *p)
{
	const void *fdt = p->fdt;
	int root = fdt_root(fdt);
	int node;
	uint32_t ac = fdt_address_cells(fdt, root), sc = fdt_size_cells(fdt, root);

	for (node = fdt_first_child(fdt, root); node >= 0; node = fdt_next_sibling(fdt, node)) {
		if (!is_memory_node(fdt, node) || !fdt_is_available(fdt, node))
			continue;
		if (add_regs(p, node, ac, sc, p->bi->mem, &p->bi->nr_mem, BOOT_MAX_MEM,
			     "memory banks"))
			return -1;
	}
	if (p->bi->nr_mem == 0)
		return FAIL(p, "no memory node with a reg");
	sort_regions(p->bi->mem, p->bi->nr_mem);
	return 0;
}

static int parse_reserved(struct parse *p)
{
	struct boot_info *bi = p->bi;
	int n = fdt_num_mem_rsv(p->fdt);
	int i, rmem, node;

	for (i = 0; i < n; i++) {
		uint64_t base, size;

		if (!fdt_mem_rsv(p->fdt, i, &base, &size) || size == 0)
			continue;
		if (bi->nr_reserved == BOOT_MAX_RESERVED)
			return FAIL(p, "too many reserved regions (max %u)", BOOT_MAX_RESERVED);
		bi->reserved[bi->nr_reserved].base = base;
		bi->reserved[bi->nr_reserved].size = size;
		bi->nr_reserved++;
	}
	rmem = fdt_path(p->fdt, "/reserved-memory");
	if (rmem < 0)
		return 0;
	for (node = fdt_first_child(p->fdt, rmem); node >= 0;
	     node = fdt_next_sibling(p->fdt, node)) {
		if (!fdt_is_available(p->fdt, node))
			continue;
		if (add_regs(p, node, fdt_address_cells(p->fdt, rmem), fdt_size_cells(p->fdt, rmem),
			     bi->reserved, &bi->nr_reserved, BOOT_MAX_RESERVED, "reserved regions"))
			return -1;
	}
	return 0;
}

static int parse_cpus(struct parse *p)
{
	struct boot_info *bi = p->bi;
	int cpus = fdt_path(p->fdt, "/cpus");
	int node;

	if (cpus < 0)
		return FAIL(p, "no /cpus node");
	for (node = fdt_first_child(p->fdt, cpus); node >= 0;
	     node = fdt_next_sibling(p->fdt, node)) {
		const char *type = fdt_prop_string(p->fdt, node, "device_type");
		uint64_t mpidr, unused;

		if (!type || strcmp(type, "cpu") != 0 || !fdt_is_available(p->fdt, node))
			continue;
		if (!fdt_reg(p->fdt, node, 0, &mpidr, &unused))
			return FAIL(p, "%s: missing reg", name_of(p, node));
		if (bi->nr_cpus == BOOT_MAX_CPUS)
			continue; /* more CPUs than Punt supports: the extra ones stay off */
		bi->cpu_mpidr[bi->nr_cpus] = mpidr;
		bi->cpu_node[bi->nr_cpus] = node;
		bi->nr_cpus++;
	}
	if (bi->nr_cpus == 0)
		return FAIL(p, "no cpu nodes under /cpus");
	return 0;
}

static int parse_psci(struct parse *p)
{
	struct boot_info *bi = p->bi;
	const void *fdt = p->fdt;
	const char *method;
	int node;

	for (node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		if (fdt_is_compatible(fdt, node, "arm,psci-1.0") ||
		    fdt_is_compatible(fdt, node, "arm,psci-0.2") ||
		    fdt_is_compatible(fdt, node, "arm,psci"))
			break;
	}
	if (node < 0)
		return FAIL(p, "no psci node");
	bi->psci_node = node;
	method = fdt_prop_string(fdt, node, "method");
	if (!method)
		return FAIL(p, "psci: missing method");
	if (strcmp(method, "smc") == 0)
		bi->psci_conduit = PSCI_SMC;
	else if (strcmp(method, "hvc") == 0)
		bi->psci_conduit = PSCI_HVC;
	else
		return FAIL(p, "psci: method \"%s\" is neither \"smc\" nor \"hvc\"", method);
	if (fdt_is_compatible(fdt, node, "arm,psci-1.0") ||
	    fdt_is_compatible(fdt, node, "arm,psci-0.2")) {
		bi->psci_cpu_on = PSCI_0_2_FN64_CPU_ON;
		return 0;
	}
	if (!fdt_prop_u32(fdt, node, "cpu_on", &bi->psci_cpu_on))
		return FAIL(p, "psci: missing cpu_on (needed for psci 0.1)");
	return 0;
}

/* Interrupt number of entry i of a 3-cell GIC "interrupts" property; kind 0 SPI, 1 PPI. */
static bool gic_irq(const void *fdt, int node, int i, uint32_t *kind, uint32_t *num, bool *present)
{
	int len;
	const uint8_t *c = fdt_prop(fdt, node, "interrupts", &len);

	*present = c != NULL;
	if (!c || i < 0 || len / 12 <= i)
		return false;
	*kind = (uint32_t)fdt_read_cells(c + 12 * i, 1);
	*num = (uint32_t)fdt_read_cells(c + 12 * i + 4, 1);
	return true;
}

static int gic_regs(struct parse *p, int node)
{
	struct boot_info *bi = p->bi;
	uint32_t nr = 1;
	unsigned i;
	int len;
	const void *stride;

	if (!fdt_reg(p->fdt, node, 0, &bi->gic.dist_base, &bi->gic.dist_size))
		return FAIL(p, "GICv3 node: missing reg for the distributor");
	fdt_prop_u32(p->fdt, node, "#redistributor-regions", &nr);
	if (nr == 0 || nr > BOOT_MAX_REDIST)
		return FAIL(p, "GICv3 node: #redistributor-regions is %u (supported: 1..%u)", nr,
			    BOOT_MAX_REDIST);
	for (i = 0; i < nr; i++) {
		struct boot_region *r = &bi->gic.redist[i];

		if (!fdt_reg(p->fdt, node, (int)i + 1, &r->base, &r->size))
			return FAIL(p, "GICv3 node: missing reg for redistributor region %u", i);
	}
	bi->gic.nr_redist = nr;
	stride = fdt_prop(p->fdt, node, "redistributor-stride", &len);
	if (stride && (len == 4 || len == 8))
		bi->gic.redist_stride = fdt_read_cells(stride, (unsigned)len / 4);
	return 0;
}

static int parse_gic(struct parse *p)
{
	struct boot_info *bi = p->bi;
	uint32_t kind, num;
	bool present;
	int node;

	for (node = fdt_find_compatible(p->fdt, -1, "arm,gic-v3"); node >= 0;
	     node = fdt_find_compatible(p->fdt, node, "arm,gic-v3")) {
		if (fdt_is_available(p->fdt, node))
			break;
	}
	if (node < 0)
		return FAIL(p, "no GICv3 (arm,gic-v3) interrupt controller");
	bi->gic.node = node;
	if (!fdt_prop_u32(p->fdt, node, "phandle", &bi->gic.phandle))
		fdt_prop_u32(p->fdt, node, "linux,phandle", &bi->gic.phandle);
	if (gic_regs(p, node))
		return -1;
	if (!gic_irq(p->fdt, node, 0, &kind, &num, &present))
		return FAIL(p, "GICv3 node: missing maintenance interrupt (interrupts)");
	if (kind != 1 || num > 15)
		return FAIL(p, "GICv3 node: maintenance interrupt is not a PPI");
	bi->gic.maint_intid = num + 16;
	return 0;
}

static int parse_timer(struct parse *p)
{
	struct boot_info *bi = p->bi;
	uint32_t *intid[4] = {&bi->timer.sec_phys_intid, &bi->timer.phys_intid,
			      &bi->timer.virt_intid, &bi->timer.hyp_intid};
	int node = fdt_find_compatible(p->fdt, -1, "arm,armv8-timer");
	unsigned i;

	if (node < 0)
		node = fdt_find_compatible(p->fdt, -1, "arm,armv7-timer");
	if (node < 0)
		return FAIL(p, "no timer (arm,armv8-timer) node");
	bi->timer.node = node;
	for (i = 0; i < 4; i++) {
		uint32_t kind, num;
		bool present;

		if (!gic_irq(p->fdt, node, (int)i, &kind, &num, &present)) {
			if (!present)
				return FAIL(p, "timer: missing interrupts");
			return FAIL(p,
				    "timer: interrupts has %u entries, need 4 (secure, "
				    "non-secure, virtual, hypervisor)",
				    i);
		}
		if (kind != 1 || num > 15)
			return FAIL(p, "timer: interrupt %u is not a PPI", i);
		*intid[i] = num + 16;
	}
	fdt_prop_u32(p->fdt, node, "clock-frequency", &bi->timer.freq_hz);
	return 0;
}

static bool compat_any(const void *fdt, int node, const char *a, const char *b)
{
	return fdt_is_compatible(fdt, node, a) || fdt_is_compatible(fdt, node, b);
}

static enum boot_module_kind module_kind(const void *fdt, int node, unsigned *unknown_seen)
{
	if (compat_any(fdt, node, "multiboot,kernel", "xen,linux-zimage"))
		return BOOT_MOD_KERNEL;
	if (compat_any(fdt, node, "multiboot,ramdisk", "xen,linux-initrd"))
		return BOOT_MOD_RAMDISK;
	if (fdt_is_compatible(fdt, node, "xen,xsm-policy"))
		return BOOT_MOD_XSM;
	if (fdt_is_compatible(fdt, node, "multiboot,device-tree"))
		return BOOT_MOD_DTB;
	/* Xen's rule for modules without a specific kind: kernel, then ramdisk. (Xen also
	 * recognises an XSM policy by its magic; Punt has no XSM policy format.) */
	switch ((*unknown_seen)++) {
	case 0:
		return BOOT_MOD_KERNEL;
	case 1:
		return BOOT_MOD_RAMDISK;
	default:
		return BOOT_MOD_OTHER;
	}
}

static int add_module(struct parse *p, int node, int parent, unsigned *unknown_seen)
{
	struct boot_info *bi = p->bi;
	struct boot_module *m;
	uint32_t ac = fdt_inherited_address_cells(p->fdt, parent);
	uint32_t sc = fdt_inherited_size_cells(p->fdt, parent);

	if (!fdt_prop(p->fdt, node, "reg", NULL))
		return FAIL(p, "%s: missing reg", name_of(p, node));
	if (bi->nr_modules == BOOT_MAX_MODULES)
		return FAIL(p, "too many boot modules (max %u)", BOOT_MAX_MODULES);
	m = &bi->modules[bi->nr_modules];
	if (!fdt_reg_cells(p->fdt, node, 0, ac, sc, &m->base, &m->size))
		return FAIL(p, "%s: reg too short for %u address and %u size cells",
			    name_of(p, node), ac, sc);
	m->kind = module_kind(p->fdt, node, unknown_seen);
	m->bootargs = fdt_prop_string(p->fdt, node, "bootargs");
	m->node = node;
	bi->nr_modules++;
	return 0;
}

/* Module nodes at depth 2 or 3 under /chosen, outside dom0less xen,domain nodes. */
static int parse_modules(struct parse *p)
{
	const void *fdt = p->fdt;
	int parents[4] = {-1, -1, -1, -1};
	bool in_chosen = false, in_domain = false;
	unsigned unknown_seen = 0;
	int depth = 0;
	int node;

	for (node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		if (depth < 4)
			parents[depth] = node;
		if (depth == 1)
			in_chosen = strcmp(fdt_node_name(fdt, node), "chosen") == 0;
		if (depth == 2)
			in_domain = fdt_is_compatible(fdt, node, "xen,domain");
		if (depth < 2 || depth > 3 || !in_chosen || (depth == 3 && in_domain))
			continue;
		if (!compat_any(fdt, node, "multiboot,module", "xen,multiboot-module"))
			continue;
		if (add_module(p, node, parents[depth - 1], &unknown_seen))
			return -1;
	}
	return 0;
}

const struct boot_module *bootinfo_module(const struct boot_info *bi, enum boot_module_kind kind)
{
	unsigned i;

	for (i = 0; i < bi->nr_modules; i++) {
		if (bi->modules[i].kind == kind)
			return &bi->modules[i];
	}
	return NULL;
}

/* Xen's rules (docs/misc/arm/device-tree/booting.txt, "Command lines"; bootfdt.c and
 * domain_build.c): xen,xen-bootargs for the hypervisor; xen,dom0-bootargs, else the dom0
 * kernel module's bootargs, for dom0; plain "bootargs" goes to the hypervisor when dom0 has
 * its own line and no xen,xen-bootargs exists, else to dom0. */
static void parse_cmdlines(struct parse *p)
{
	struct boot_info *bi = p->bi;
	int chosen = fdt_path(p->fdt, "/chosen");
	const char *xen, *dom0, *plain, *kernel = NULL;
	bool has_dom0_prop;
	unsigned i;

	bi->hyp_bootargs = "";
	if (chosen < 0)
		return;
	for (i = 0; i < bi->nr_modules; i++) {
		const struct boot_module *m = &bi->modules[i];

		if (m->kind == BOOT_MOD_KERNEL && fdt_prop(p->fdt, m->node, "bootargs", NULL)) {
			kernel = m->bootargs && m->bootargs[0] ? m->bootargs : NULL;
			break;
		}
	}
	xen = fdt_prop_string(p->fdt, chosen, "xen,xen-bootargs");
	has_dom0_prop = fdt_prop(p->fdt, chosen, "xen,dom0-bootargs", NULL) != NULL;
	dom0 = fdt_prop_string(p->fdt, chosen, "xen,dom0-bootargs");
	plain = fdt_prop_string(p->fdt, chosen, "bootargs");
	if (xen)
		bi->hyp_bootargs = xen;
	else if ((has_dom0_prop || kernel) && plain)
		bi->hyp_bootargs = plain;
	if (has_dom0_prop)
		bi->dom0_bootargs = dom0;
	else if (kernel)
		bi->dom0_bootargs = kernel;
	else
		bi->dom0_bootargs = plain; /* the hypervisor did not take it (see above) */
}

/* Copies a command-line value into buf for messages (values are not NUL-terminated). */
static const char *value_copy(char *buf, size_t size, const char *v, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return buf;
}

static int uart_node(struct parse *p)
{
	const char *val, *stdout_path;
	size_t len;
	int chosen, node;

	if (bootargs_get(p->bi->hyp_bootargs, "dtuart", &val, &len) && val && len) {
		node = fdt_path_len(p->fdt, val, len);
		if (node < 0) {
			char shown[96];

			return FAIL(p, "dtuart=%s: no such node",
				    value_copy(shown, sizeof(shown), val, len));
		}
		return node;
	}
	chosen = fdt_path(p->fdt, "/chosen");
	stdout_path = chosen < 0 ? NULL : fdt_prop_string(p->fdt, chosen, "stdout-path");
	if (!stdout_path && chosen >= 0)
		stdout_path = fdt_prop_string(p->fdt, chosen, "linux,stdout-path");
	if (!stdout_path)
		return FAIL(p, "no console uart: no dtuart= option and no /chosen stdout-path");
	node = fdt_path(p->fdt, stdout_path);
	if (node < 0)
		return FAIL(p, "uart: stdout-path \"%s\": no such node", stdout_path);
	return node;
}

static int parse_uart(struct parse *p)
{
	struct boot_info *bi = p->bi;
	uint32_t kind, num;
	bool present;
	int node = uart_node(p);

	if (node < 0)
		return -1;
	if (!compat_any(p->fdt, node, "arm,pl011", "arm,sbsa-uart"))
		return FAIL(p, "uart %s: not compatible with arm,pl011 or arm,sbsa-uart",
			    name_of(p, node));
	if (!fdt_reg(p->fdt, node, 0, &bi->uart.base, &bi->uart.size))
		return FAIL(p, "uart %s: missing reg", name_of(p, node));
	if (gic_irq(p->fdt, node, 0, &kind, &num, &present) && kind == 0)
		bi->uart.intid = num + 32;
	bi->uart.node = node;
	return 0;
}

int bootinfo_parse(const void *fdt, size_t max_size, struct boot_info *bi, char *err, size_t errlen)
{
	struct parse p = {fdt, bi, err, errlen};
	const char *why;

	memset(bi, 0, sizeof(*bi));
	bi->hyp_bootargs = "";
	bi->psci_node = bi->gic.node = bi->timer.node = bi->uart.node = -1;
	if (err && errlen)
		err[0] = '\0';
	if (fdt_validate(fdt, max_size, &why) != 0)
		return FAIL(&p, "device tree: %s", why);
	bi->fdt = fdt;
	bi->fdt_size = fdt_total_size(fdt);
	/*
	 * Every step runs even after one failed, so the console UART is found
	 * whenever the tree names it and the first problem can be printed. Steps
	 * after the first failure write their messages to a scratch buffer.
	 */
	int (*const steps[])(struct parse *) = {parse_memory, parse_reserved, parse_cpus,
						parse_psci,   parse_gic,      parse_timer,
						parse_modules};
	char scratch[160];
	struct parse quiet = {fdt, bi, scratch, sizeof(scratch)};
	int rc = 0;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (steps[i](rc ? &quiet : &p))
			rc = -1;
	}
	parse_cmdlines(&p);
	if (parse_uart(rc ? &quiet : &p))
		rc = -1;
	return rc;
}
