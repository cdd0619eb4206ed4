// SPDX-License-Identifier: Apache-2.0
/*
 * The device tree of a domain started at boot, written from scratch the way
 * Xen lays it out for dom0less guests (docs/users-guide.md, "Guests started at boot"; Xen
 * public/arch-arm.h, GUEST_*): GICv3 at Xen's guest addresses with phandle 65000, timer, PSCI over
 * HVC, one memory node, /hypervisor when the domain is enhanced, and the SBSA UART when it has one.
 */
#include <public/arch-arm.h>
#include <punt/domu_fdt.h>
#include <punt/fdt.h>
#include <punt/format.h>

#define GIC_PHANDLE	    65000
#define IRQ_TYPE_LEVEL_HIGH 4
#define PPI_FLAGS	    0xf08 /* all CPUs, level low: what Xen writes for guest PPIs */

static void reg_pair(struct fdt_writer *w, uint64_t base, uint64_t size)
{
	const uint64_t vals[2] = {base, size};

	fdtw_prop_reg(w, "reg", vals, 2, 2);
}

static void write_cpus(struct fdt_writer *w, const struct domu_fdt_params *p)
{
	char name[24];

	fdtw_begin_node(w, "cpus");
	fdtw_prop_u32(w, "#address-cells", 1);
	fdtw_prop_u32(w, "#size-cells", 0);
	for (unsigned i = 0; i < p->nr_vcpus; i++) {
		uint32_t mpidr = (uint32_t)((i % 16) | ((i / 16) << 8));
		fmt_snprintf(name, sizeof(name), "cpu@%x", mpidr);
		fdtw_begin_node(w, name);
		fdtw_prop_string(w, "device_type", "cpu");
		fdtw_prop_string(w, "compatible", "arm,armv8");
		fdtw_prop_string(w, "enable-method", "psci");
		fdtw_prop_u32(w, "reg", mpidr);
		fdtw_end_node(w);
	}
	fdtw_end_node(w);
}

static void write_gic(struct fdt_writer *w, const struct domu_fdt_params *p)
{
	char name[40];
	const uint64_t regs[4] = {GUEST_GICV3_GICD_BASE, GUEST_GICV3_GICD_SIZE,
				  GUEST_GICV3_GICR0_BASE,
				  (uint64_t)p->nr_vcpus * GUEST_GICV3_RDIST_STRIDE};

	fmt_snprintf(name, sizeof(name), "interrupt-controller@%lx",
		     (unsigned long)GUEST_GICV3_GICD_BASE);
	fdtw_begin_node(w, name);
	fdtw_prop_string(w, "compatible", "arm,gic-v3");
	fdtw_prop_u32(w, "#interrupt-cells", 3);
	fdtw_prop_u32(w, "#address-cells", 0);
	fdtw_prop(w, "interrupt-controller", NULL, 0);
	fdtw_prop_u32(w, "#redistributor-regions", 1);
	fdtw_prop_reg(w, "reg", regs, 4, 2);
	fdtw_prop_u32(w, "phandle", GIC_PHANDLE);
	fdtw_prop_u32(w, "linux,phandle", GIC_PHANDLE);
	fdtw_end_node(w);
}

static void write_timer(struct fdt_writer *w)
{
	/* Secure, non-secure physical, virtual and hypervisor timer PPIs. */
	const uint32_t irqs[12] = {1, 13, PPI_FLAGS, 1, 14, PPI_FLAGS,
				   1, 11, PPI_FLAGS, 1, 10, PPI_FLAGS};

	fdtw_begin_node(w, "timer");
	fdtw_prop_string(w, "compatible", "arm,armv8-timer");
	fdtw_prop_cells(w, "interrupts", irqs, 12);
	fdtw_prop_u32(w, "interrupt-parent", GIC_PHANDLE);
	fdtw_end_node(w);
}

static void write_psci(struct fdt_writer *w)
{
	static const char *const compat[] = {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"};

	fdtw_begin_node(w, "psci");
	fdtw_prop_strings(w, "compatible", compat, 3);
	fdtw_prop_string(w, "method", "hvc");
	fdtw_end_node(w);
}

static void write_hypervisor(struct fdt_writer *w, uint32_t evtchn_intid)
{
	static const char *const compat[] = {"xen,xen-4.17", "xen,xen"};
	const uint32_t irq[3] = {1, evtchn_intid - 16, PPI_FLAGS};

	fdtw_begin_node(w, "hypervisor");
	fdtw_prop_strings(w, "compatible", compat, 2);
	reg_pair(w, GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE);
	fdtw_prop_cells(w, "interrupts", irq, 3);
	fdtw_prop_u32(w, "interrupt-parent", GIC_PHANDLE);
	fdtw_end_node(w);
}

static void write_uart(struct fdt_writer *w)
{
	char name[32];
	const uint32_t irq[3] = {0, GUEST_VPL011_SPI - 32, IRQ_TYPE_LEVEL_HIGH};

	fmt_snprintf(name, sizeof(name), "sbsa-uart@%lx", (unsigned long)GUEST_PL011_BASE);
	fdtw_begin_node(w, name);
	fdtw_prop_string(w, "compatible", "arm,sbsa-uart");
	reg_pair(w, GUEST_PL011_BASE, GUEST_PL011_SIZE);
	fdtw_prop_cells(w, "interrupts", irq, 3);
	fdtw_prop_u32(w, "interrupt-parent", GIC_PHANDLE);
	fdtw_prop_u32(w, "current-speed", 115200);
	fdtw_end_node(w);
}

static void write_chosen(struct fdt_writer *w, const struct domu_fdt_params *p)
{
	fdtw_begin_node(w, "chosen");
	if (p->bootargs)
		fdtw_prop_string(w, "bootargs", p->bootargs);
	if (p->initrd_size) {
		const uint64_t start = p->initrd_base, end = p->initrd_base + p->initrd_size;
		fdtw_prop_reg(w, "linux,initrd-start", &start, 1, 2);
		fdtw_prop_reg(w, "linux,initrd-end", &end, 1, 2);
	}
	fdtw_end_node(w);
}

int domu_fdt_build(const struct domu_fdt_params *p, void *buf, size_t size, size_t *out_size)
{
	static const char *const compat[] = {"xen,xenvm-4.17", "xen,xenvm"};
	struct fdt_writer w;
	char name[40];

	fdtw_init(&w, buf, size, 0);
	fdtw_begin_node(&w, "");
	fdtw_prop_u32(&w, "#address-cells", 2);
	fdtw_prop_u32(&w, "#size-cells", 2);
	fdtw_prop_strings(&w, "compatible", compat, 2);
	fdtw_prop_string(&w, "model", p->name);
	fdtw_prop_u32(&w, "interrupt-parent", GIC_PHANDLE);
	write_chosen(&w, p);
	write_cpus(&w, p);
	write_psci(&w);
	fmt_snprintf(name, sizeof(name), "memory@%lx", (unsigned long)p->ram_base);
	fdtw_begin_node(&w, name);
	fdtw_prop_string(&w, "device_type", "memory");
	reg_pair(&w, p->ram_base, p->ram_size);
	fdtw_end_node(&w);
	write_gic(&w, p);
	write_timer(&w);
	if (p->enhanced)
		write_hypervisor(&w, p->evtchn_intid);
	if (p->vpl011)
		write_uart(&w);
	fdtw_end_node(&w);
	return fdtw_finish(&w, out_size);
}
