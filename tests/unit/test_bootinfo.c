// SPDX-License-Identifier: Apache-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "punt/bootinfo.h"
#include "punt/fdt.h"

static struct boot_info bi;
static char err[160];

static void *parse_ok(const char *fixture)
{
	size_t size;
	void *blob = load_dtb(fixture, &size);

	if (bootinfo_parse(blob, size, &bi, err, sizeof(err)) != 0)
		fail_msg("%s: expected success, got \"%s\"", fixture, err);
	return blob;
}

static void expect_error(const char *fixture, const char *want)
{
	size_t size;
	void *blob = load_dtb(fixture, &size);
	int rc = bootinfo_parse(blob, size, &bi, err, sizeof(err));

	free(blob);
	if (rc != -1 || strcmp(err, want) != 0)
		fail_msg("%s: expected -1 \"%s\", got %d \"%s\"", fixture, want, rc, err);
}

static void qemu_virt_hardware_is_found(void **state)
{
	void *blob = parse_ok("qemu-virt");
	unsigned i;

	(void)state;
	assert_int_equal(bi.nr_mem, 1);
	assert_int_equal(bi.mem[0].base, 0x40000000);
	assert_int_equal(bi.mem[0].size, 0x80000000);
	assert_int_equal(bi.nr_reserved, 0);
	assert_int_equal(bi.nr_cpus, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(bi.cpu_mpidr[i], i);
		assert_int_equal(bi.cpu_node[i], fdt_path(blob, i == 0	 ? "/cpus/cpu@0"
								: i == 1 ? "/cpus/cpu@1"
								: i == 2 ? "/cpus/cpu@2"
									 : "/cpus/cpu@3"));
	}
	assert_int_equal(bi.psci_conduit, PSCI_SMC);
	assert_int_equal(bi.psci_cpu_on, 0xC4000003u);
	assert_int_equal(bi.psci_node, fdt_path(blob, "/psci"));
	assert_int_equal(bi.gic.dist_base, 0x8000000);
	assert_int_equal(bi.gic.dist_size, 0x10000);
	assert_int_equal(bi.gic.nr_redist, 1);
	assert_int_equal(bi.gic.redist[0].base, 0x80a0000);
	assert_int_equal(bi.gic.redist[0].size, 0xf60000);
	assert_int_equal(bi.gic.redist_stride, 0);
	assert_int_equal(bi.gic.maint_intid, 25);
	assert_int_equal(bi.gic.phandle, 0x8005);
	assert_int_equal(bi.gic.node, fdt_path(blob, "/intc@8000000"));
	assert_int_equal(bi.timer.sec_phys_intid, 29);
	assert_int_equal(bi.timer.phys_intid, 30);
	assert_int_equal(bi.timer.virt_intid, 27);
	assert_int_equal(bi.timer.hyp_intid, 26);
	assert_int_equal(bi.timer.freq_hz, 0);
	assert_int_equal(bi.uart.base, 0x9000000);
	assert_int_equal(bi.uart.size, 0x1000);
	assert_int_equal(bi.uart.intid, 33);
	assert_int_equal(bi.uart.node, fdt_path(blob, "/pl011@9000000"));
	assert_ptr_equal(bi.fdt, blob);
	free(blob);
}

/* QEMU's guest-loader writes compatible = "multiboot,module", "multiboot,<kind>" and 4-cell
 * regs under a /chosen without #address-cells (inherited from the root, as Xen does). */
static void qemu_guest_loader_modules_and_command_lines(void **state)
{
	void *blob = parse_ok("qemu-virt");
	const struct boot_module *k, *r;

	(void)state;
	assert_int_equal(bi.nr_modules, 2);
	k = bootinfo_module(&bi, BOOT_MOD_KERNEL);
	r = bootinfo_module(&bi, BOOT_MOD_RAMDISK);
	assert_non_null(k);
	assert_non_null(r);
	assert_int_equal(k->base, 0x49000000);
	assert_int_equal(k->size, 0x1a09fc0);
	assert_string_equal(k->bootargs, "console=hvc0");
	assert_int_equal(k->node, fdt_path(blob, "/chosen/module@0x49000000"));
	assert_int_equal(r->base, 0x50000000);
	assert_int_equal(r->size, 0xf12e2);
	assert_null(r->bootargs);
	assert_null(bootinfo_module(&bi, BOOT_MOD_DTB));
	/* The kernel module has its own bootargs, so /chosen/bootargs is the hypervisor's. */
	assert_string_equal(bi.hyp_bootargs, "dom0_mem=512M");
	assert_string_equal(bi.dom0_bootargs, "console=hvc0");
	free(blob);
}

static void xen_documented_order_dom0_bootargs_and_reserved(void **state)
{
	void *blob = parse_ok("xen-order");

	(void)state;
	assert_int_equal(bi.nr_modules, 2);
	assert_int_equal(bootinfo_module(&bi, BOOT_MOD_KERNEL)->base, 0x49000000);
	assert_int_equal(bootinfo_module(&bi, BOOT_MOD_RAMDISK)->base, 0x50000000);
	assert_string_equal(bi.hyp_bootargs, "dom0_mem=1G,max:1G");
	/* xen,dom0-bootargs wins over the module's bootargs (Xen's domain_build.c). */
	assert_string_equal(bi.dom0_bootargs, "console=hvc0 root=/dev/xvda");
	/* the /memreserve/ entry, then fw@7f000000; the disabled region is skipped */
	assert_int_equal(bi.nr_reserved, 2);
	assert_int_equal(bi.reserved[0].base, 0x48000000);
	assert_int_equal(bi.reserved[0].size, 0x100000);
	assert_int_equal(bi.reserved[1].base, 0x7f000000);
	assert_int_equal(bi.reserved[1].size, 0x10000);
	free(blob);
}

static void legacy_and_kindless_modules_get_xen_kinds(void **state)
{
	static const enum boot_module_kind want[] = {
	    BOOT_MOD_KERNEL, BOOT_MOD_RAMDISK, BOOT_MOD_KERNEL, BOOT_MOD_RAMDISK,
	    BOOT_MOD_OTHER,  BOOT_MOD_XSM,     BOOT_MOD_DTB,
	};
	void *blob = parse_ok("legacy-modules");
	unsigned i;

	(void)state;
	/* m0..m6; the kernel inside the xen,domain node belongs to a dom0less guest */
	assert_int_equal(bi.nr_modules, 7);
	for (i = 0; i < 7; i++) {
		if (bi.modules[i].kind != want[i])
			fail_msg("module %u: expected kind %d, got %d", i, want[i],
				 bi.modules[i].kind);
		assert_int_equal(bi.modules[i].base,
				 0x49000000 + (i ? 0x6000000 + i * 0x1000000 : 0));
	}
	assert_int_equal(bi.modules[0].size, 0x1000);
	assert_int_equal(bi.modules[4].size, 0x5000);
	assert_string_equal(bi.dom0_bootargs, "console=hvc0");
	free(blob);
}

static void kindless_modules_are_kernel_then_ramdisk(void **state)
{
	void *blob = parse_ok("unknown-kinds");

	(void)state;
	assert_int_equal(bi.nr_modules, 2);
	assert_int_equal(bi.modules[0].kind, BOOT_MOD_KERNEL);
	assert_int_equal(bi.modules[0].size, 0x100);
	assert_int_equal(bi.modules[1].kind, BOOT_MOD_RAMDISK);
	/* No Xen-specific properties and no module bootargs: bootargs is dom0's. */
	assert_string_equal(bi.hyp_bootargs, "");
	assert_string_equal(bi.dom0_bootargs, "dom0_mem=512M");
	free(blob);
}

static void missing_dom0_kernel_is_not_an_error(void **state)
{
	void *blob = parse_ok("no-modules");

	(void)state;
	assert_int_equal(bi.nr_modules, 0);
	assert_null(bootinfo_module(&bi, BOOT_MOD_KERNEL));
	free(blob);
}

static void uart_by_dtuart_alias_with_options(void **state)
{
	void *blob = parse_ok("dtuart-alias");

	(void)state;
	assert_int_equal(bi.uart.node, fdt_path(blob, "/pl011@9000000"));
	assert_int_equal(bi.uart.base, 0x9000000);
	free(blob);
}

static void errors_name_the_problem(void **state)
{
	(void)state;
	expect_error("no-memory", "no memory node with a reg");
	expect_error("no-gicv3", "no GICv3 (arm,gic-v3) interrupt controller");
	expect_error("gic-no-reg", "GICv3 node: missing reg for the distributor");
	expect_error("cpu-no-reg", "cpu@1: missing reg");
	expect_error("no-cpus", "no cpu nodes under /cpus");
	expect_error("module-no-reg", "module@0x49000000: missing reg");
	expect_error("no-psci", "no psci node");
	expect_error("timer-no-irq", "timer: missing interrupts");
	expect_error("dtuart-bad", "dtuart=/foo: no such node");
	expect_error("uart-not-pl011",
		     "uart pl031@9010000: not compatible with arm,pl011 or arm,sbsa-uart");
}

static void malformed_blob_is_reported(void **state)
{
	size_t size;
	uint8_t *blob = load_dtb("qemu-virt", &size);

	(void)state;
	blob[3] = 0;
	assert_int_equal(bootinfo_parse(blob, size, &bi, err, sizeof(err)), -1);
	assert_string_equal(err, "device tree: bad magic");
	blob[3] = 0xed;
	assert_int_equal(bootinfo_parse(blob, size - 4, &bi, err, sizeof(err)), -1);
	assert_string_equal(err, "device tree: truncated: totalsize exceeds buffer");
	free(blob);
}

static void missing_uart_still_fills_everything_else(void **state)
{
	size_t size;
	void *blob = load_dtb("no-stdout", &size);

	(void)state;
	assert_int_equal(bootinfo_parse(blob, size, &bi, err, sizeof(err)), -1);
	if (!strstr(err, "uart"))
		fail_msg("expected a message about the uart, got \"%s\"", err);
	assert_int_equal(bi.nr_cpus, 4);
	assert_int_equal(bi.gic.maint_intid, 25);
	assert_int_equal(bi.timer.virt_intid, 27);
	assert_int_equal(bi.nr_modules, 2);
	assert_string_equal(bi.hyp_bootargs, "dom0_mem=512M");
	assert_int_equal(bi.uart.node, -1);
	free(blob);
}

/* A small host DT built with the writer, for command-line and selection rules. */
struct mini {
	const char *xen_args, *dom0_args, *args;
	const char *module_args; /* NULL: kernel module without bootargs; "-": no module */
	bool second_uart;
	bool unsorted_memory;
};

static size_t build_mini(uint8_t *buf, size_t size, const struct mini *m)
{
	static const char *const psci[] = {"arm,psci"};
	static const char *const mod[] = {"multiboot,kernel", "multiboot,module"};
	uint64_t reg[4];
	uint32_t irqs[12] = {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4};
	struct fdt_writer w;
	size_t total = 0;

	fdtw_init(&w, buf, size, 0);
	fdtw_begin_node(&w, "");
	fdtw_prop_u32(&w, "#address-cells", 2);
	fdtw_prop_u32(&w, "#size-cells", 2);
	reg[0] = 0x80000000;
	reg[1] = m->unsorted_memory ? 0x1000000 : 0x40000000;
	fdtw_begin_node(&w, "memory@80000000");
	fdtw_prop_string(&w, "device_type", "memory");
	fdtw_prop_reg(&w, "reg", reg, 2, 2);
	fdtw_end_node(&w);
	if (m->unsorted_memory) {
		uint64_t three[6] = {0x60000000, 0x1000000, 0x40000000, 0x1000000, 0x70000000, 0};

		fdtw_begin_node(&w, "memory@40000000");
		fdtw_prop_string(&w, "device_type", "memory");
		fdtw_prop_reg(&w, "reg", three, 6, 2);
		fdtw_end_node(&w);
	}
	fdtw_begin_node(&w, "cpus");
	fdtw_prop_u32(&w, "#address-cells", 2);
	fdtw_prop_u32(&w, "#size-cells", 0);
	fdtw_begin_node(&w, "cpu@100");
	fdtw_prop_string(&w, "device_type", "cpu");
	reg[0] = 0x100;
	fdtw_prop_reg(&w, "reg", reg, 1, 2);
	fdtw_end_node(&w);
	fdtw_begin_node(&w, "cpu@101");
	fdtw_prop_string(&w, "device_type", "cpu");
	fdtw_prop_string(&w, "status", "disabled");
	reg[0] = 0x101;
	fdtw_prop_reg(&w, "reg", reg, 1, 2);
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	fdtw_begin_node(&w, "psci");
	fdtw_prop_strings(&w, "compatible", psci, 1);
	fdtw_prop_string(&w, "method", "hvc");
	fdtw_prop_u32(&w, "cpu_on", 0x95c1ba60);
	fdtw_end_node(&w);
	fdtw_begin_node(&w, "gic@2f000000");
	fdtw_prop_string(&w, "compatible", "arm,gic-v3");
	fdtw_prop_u32(&w, "#redistributor-regions", 2);
	{
		uint64_t r[6] = {0x2f000000, 0x10000, 0x2f100000, 0x100000, 0x2f400000, 0x200000};
		uint32_t maint[3] = {1, 9, 4};

		fdtw_prop_reg(&w, "reg", r, 6, 2);
		fdtw_prop_reg(&w, "redistributor-stride", &r[3], 1, 2);
		fdtw_prop_cells(&w, "interrupts", maint, 3);
	}
	fdtw_end_node(&w);
	fdtw_begin_node(&w, "timer");
	fdtw_prop_string(&w, "compatible", "arm,armv7-timer");
	fdtw_prop_cells(&w, "interrupts", irqs, 12);
	fdtw_prop_u32(&w, "clock-frequency", 62500000);
	fdtw_end_node(&w);
	fdtw_begin_node(&w, "uart@1c090000");
	fdtw_prop_string(&w, "compatible", "arm,pl011");
	reg[0] = 0x1c090000;
	reg[1] = 0x1000;
	fdtw_prop_reg(&w, "reg", reg, 2, 2);
	fdtw_end_node(&w);
	if (m->second_uart) {
		uint32_t spi[3] = {0, 7, 4};

		fdtw_begin_node(&w, "serial@1c0a0000");
		fdtw_prop_string(&w, "compatible", "arm,sbsa-uart");
		reg[0] = 0x1c0a0000;
		fdtw_prop_reg(&w, "reg", reg, 2, 2);
		fdtw_prop_cells(&w, "interrupts", spi, 3);
		fdtw_end_node(&w);
	}
	fdtw_begin_node(&w, "chosen");
	fdtw_prop_string(&w, "stdout-path", "/uart@1c090000");
	if (m->xen_args)
		fdtw_prop_string(&w, "xen,xen-bootargs", m->xen_args);
	if (m->dom0_args)
		fdtw_prop_string(&w, "xen,dom0-bootargs", m->dom0_args);
	if (m->args)
		fdtw_prop_string(&w, "bootargs", m->args);
	if (!m->module_args || strcmp(m->module_args, "-") != 0) {
		fdtw_begin_node(&w, "module@48000000");
		fdtw_prop_strings(&w, "compatible", mod, 2);
		reg[0] = 0x48000000;
		reg[1] = 0x100000;
		fdtw_prop_reg(&w, "reg", reg, 2, 2);
		if (m->module_args)
			fdtw_prop_string(&w, "bootargs", m->module_args);
		fdtw_end_node(&w);
	}
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, &total), 0);
	return total;
}

static void parse_mini(const struct mini *m)
{
	static uint8_t buf[4096];
	size_t n = build_mini(buf, sizeof(buf), m);

	if (bootinfo_parse(buf, n, &bi, err, sizeof(err)) != 0)
		fail_msg("mini DT: expected success, got \"%s\"", err);
}

static void expect_cmdlines(const struct mini *m, const char *hyp, const char *dom0)
{
	parse_mini(m);
	if (strcmp(bi.hyp_bootargs, hyp) != 0)
		fail_msg("hypervisor: expected \"%s\", got \"%s\"", hyp, bi.hyp_bootargs);
	if (!dom0 != !bi.dom0_bootargs || (dom0 && strcmp(dom0, bi.dom0_bootargs) != 0))
		fail_msg("dom0: expected \"%s\", got \"%s\"", dom0 ? dom0 : "(none)",
			 bi.dom0_bootargs ? bi.dom0_bootargs : "(none)");
}

/* docs/misc/arm/device-tree/booting.txt, "Command lines" */
static void command_lines_follow_xen_fallbacks(void **state)
{
	(void)state;
	expect_cmdlines(&(struct mini){"X", "D", "B", "K", false, false}, "X", "D");
	expect_cmdlines(&(struct mini){NULL, NULL, "B", "-", false, false}, "", "B");
	expect_cmdlines(&(struct mini){NULL, NULL, "B", NULL, false, false}, "", "B");
	expect_cmdlines(&(struct mini){"X", NULL, "B", "-", false, false}, "X", "B");
	expect_cmdlines(&(struct mini){NULL, "D", "B", "-", false, false}, "B", "D");
	expect_cmdlines(&(struct mini){NULL, NULL, "B", "K", false, false}, "B", "K");
	expect_cmdlines(&(struct mini){NULL, NULL, "B", "", false, false}, "", "B");
	expect_cmdlines(&(struct mini){"X", NULL, "B", "K", false, false}, "X", "K");
	expect_cmdlines(&(struct mini){NULL, NULL, NULL, "-", false, false}, "", NULL);
}

static void dtuart_overrides_stdout_path(void **state)
{
	(void)state;
	parse_mini(&(struct mini){"dtuart=/serial@1c0a0000", NULL, NULL, "-", true, false});
	assert_int_equal(bi.uart.base, 0x1c0a0000);
	assert_int_equal(bi.uart.intid, 39);
	parse_mini(&(struct mini){"dtuart=/serial", NULL, NULL, "-", true, false});
	assert_int_equal(bi.uart.base, 0x1c0a0000);
	parse_mini(&(struct mini){NULL, NULL, NULL, "-", true, false});
	assert_int_equal(bi.uart.base, 0x1c090000);
	assert_int_equal(bi.uart.intid, 0);
}

static void mini_dt_values(void **state)
{
	(void)state;
	parse_mini(&(struct mini){NULL, NULL, NULL, "-", false, true});
	/* banks sorted, the empty one dropped */
	assert_int_equal(bi.nr_mem, 3);
	assert_int_equal(bi.mem[0].base, 0x40000000);
	assert_int_equal(bi.mem[1].base, 0x60000000);
	assert_int_equal(bi.mem[2].base, 0x80000000);
	/* 2-cell cpu reg; the disabled cpu is left out */
	assert_int_equal(bi.nr_cpus, 1);
	assert_int_equal(bi.cpu_mpidr[0], 0x100);
	/* psci 0.1 takes cpu_on from the node */
	assert_int_equal(bi.psci_conduit, PSCI_HVC);
	assert_int_equal(bi.psci_cpu_on, 0x95c1ba60);
	assert_int_equal(bi.gic.nr_redist, 2);
	assert_int_equal(bi.gic.redist[1].base, 0x2f400000);
	assert_int_equal(bi.gic.redist_stride, 0x100000);
	assert_int_equal(bi.gic.phandle, 0);
	assert_int_equal(bi.timer.hyp_intid, 26);
	assert_int_equal(bi.timer.freq_hz, 62500000);
}

static void errf_formats_and_truncates(void **state)
{
	char small[8];

	(void)state;
	boot_errf(err, sizeof(err), "%s: %u %x %llx %llu%%", "a", 42u, 0xbeefu, 0x123456789ull,
		  18446744073709551615ull);
	assert_string_equal(err, "a: 42 beef 123456789 18446744073709551615%");
	boot_errf(small, sizeof(small), "%s", "0123456789");
	assert_string_equal(small, "0123456");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(qemu_virt_hardware_is_found),
	    cmocka_unit_test(qemu_guest_loader_modules_and_command_lines),
	    cmocka_unit_test(xen_documented_order_dom0_bootargs_and_reserved),
	    cmocka_unit_test(legacy_and_kindless_modules_get_xen_kinds),
	    cmocka_unit_test(kindless_modules_are_kernel_then_ramdisk),
	    cmocka_unit_test(missing_dom0_kernel_is_not_an_error),
	    cmocka_unit_test(uart_by_dtuart_alias_with_options),
	    cmocka_unit_test(errors_name_the_problem),
	    cmocka_unit_test(malformed_blob_is_reported),
	    cmocka_unit_test(missing_uart_still_fills_everything_else),
	    cmocka_unit_test(command_lines_follow_xen_fallbacks),
	    cmocka_unit_test(dtuart_overrides_stdout_path),
	    cmocka_unit_test(mini_dt_values),
	    cmocka_unit_test(errf_formats_and_truncates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
