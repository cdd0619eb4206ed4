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
#include "punt/dom0_fdt.h"
#include "punt/fdt.h"

#define OUT_SIZE (64 * 1024)

static struct boot_info bi;
static void *host;
static uint8_t out[OUT_SIZE];
static size_t out_size;
static char err[160];

static const struct boot_region dom0_mem[2] = {{0x60000000, 0x20000000}, {0x90000000, 0x10000000}};
static const struct boot_region ext[2] = {{0x100000000ull, 0x40000000},
					  {0x200000000ull, 0x80000000}};

static void load_host(const char *fixture)
{
	size_t size;

	free(host);
	host = load_dtb(fixture, &size);
	if (bootinfo_parse(host, size, &bi, err, sizeof(err)) != 0)
		fail_msg("%s: %s", fixture, err);
}

static struct dom0_fdt_params params(const int *hide, unsigned nr_hide)
{
	struct dom0_fdt_params p = {
	    .bi = &bi,
	    .mem = dom0_mem,
	    .nr_mem = 2,
	    .nr_vcpus = 18,
	    .gnttab_base = 0x38000000,
	    .gnttab_size = 0x1000000,
	    .ext = ext,
	    .nr_ext = 2,
	    .evtchn_intid = 31,
	    .initrd_base = 0x50000000,
	    .initrd_size = 0xf12e2,
	    .bootargs = "console=hvc0 earlycon=xenboot",
	    .hide_nodes = hide,
	    .nr_hide = nr_hide,
	};

	return p;
}

/* Builds dom0's DT from the QEMU host DT, hiding Punt's UART. */
static void build_default(void)
{
	int uart;
	struct dom0_fdt_params p;

	load_host("qemu-virt");
	uart = bi.uart.node;
	p = params(&uart, 1);
	if (dom0_fdt_build(&p, out, sizeof(out), &out_size, err, sizeof(err)) != 0)
		fail_msg("dom0_fdt_build: %s", err);
	if (fdt_validate(out, out_size, NULL) != 0)
		fail_msg("output does not validate");
}

static int setup(void **state)
{
	(void)state;
	build_default();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(host);
	host = NULL;
	return 0;
}

static uint64_t cell(const void *p, int i)
{
	return fdt_read_cells((const uint8_t *)p + 4 * i, 1);
}

static void output_validates_and_dtc_accepts_it(void **state)
{
	char *text = NULL;
	int rc;

	(void)state;
	assert_true(out_size > 0 && out_size < OUT_SIZE);
	rc = run_dtc(out, out_size, &text);
	if (rc != 0)
		fail_msg("dtc exit %d: %s", rc, text);
	free(text);
}

static void hypervisor_node_follows_the_linux_rules(void **state)
{
	static const char compat[] = "xen,xen-4.17\0xen,xen";
	int hyp = fdt_path(out, "/hypervisor");
	int len;
	const void *v;
	uint64_t a, s;
	uint32_t ph;

	(void)state;
	assert_true(hyp > 0);
	assert_int_equal(fdt_node_depth(out, hyp), 1);
	assert_string_equal(fdt_node_name(out, hyp), "hypervisor");
	v = fdt_prop(out, hyp, "compatible", &len);
	assert_int_equal(len, sizeof(compat));
	assert_memory_equal(v, compat, sizeof(compat));
	assert_true(fdt_reg(out, hyp, 0, &a, &s));
	assert_int_equal(a, 0x38000000);
	assert_int_equal(s, 0x1000000);
	assert_true(fdt_reg(out, hyp, 1, &a, &s));
	assert_int_equal(a, 0x100000000ull);
	assert_int_equal(s, 0x40000000);
	assert_true(fdt_reg(out, hyp, 2, &a, &s));
	assert_int_equal(a, 0x200000000ull);
	assert_false(fdt_reg(out, hyp, 3, &a, &s));
	v = fdt_prop(out, hyp, "interrupts", &len);
	assert_int_equal(len, 12);
	assert_int_equal(cell(v, 0), 1);
	assert_int_equal(cell(v, 1), 15);
	assert_int_equal(cell(v, 2), 0xf08);
	assert_true(fdt_prop_u32(out, hyp, "interrupt-parent", &ph));
	assert_int_equal(ph, 0x8005);
}

static void chosen_is_rewritten_for_dom0(void **state)
{
	int chosen = fdt_path(out, "/chosen");
	int len;
	const void *v;

	(void)state;
	assert_true(chosen > 0);
	assert_int_equal(fdt_first_child(out, chosen), -1);
	assert_int_equal(fdt_find_compatible(out, -1, "multiboot,module"), -1);
	assert_string_equal(fdt_prop_string(out, chosen, "bootargs"),
			    "console=hvc0 earlycon=xenboot");
	v = fdt_prop(out, chosen, "linux,initrd-start", &len);
	assert_int_equal(len, 8);
	assert_int_equal(fdt_read_cells(v, 2), 0x50000000);
	v = fdt_prop(out, chosen, "linux,initrd-end", &len);
	assert_int_equal(len, 8);
	assert_int_equal(fdt_read_cells(v, 2), 0x500f12e2);
	assert_null(fdt_prop(out, chosen, "stdout-path", NULL));
	assert_non_null(fdt_prop(out, chosen, "rng-seed", NULL));
}

static void hidden_uart_is_absent_and_shown_otherwise(void **state)
{
	struct dom0_fdt_params p;

	(void)state;
	assert_int_equal(fdt_path(out, "/pl011@9000000"), -1);
	assert_true(fdt_path(out, "/pl031@9010000") > 0);
	p = params(NULL, 0);
	assert_int_equal(dom0_fdt_build(&p, out, sizeof(out), &out_size, err, sizeof(err)), 0);
	assert_true(fdt_path(out, "/pl011@9000000") > 0);
	build_default();
}

static void cpus_are_regenerated_for_the_vcpus(void **state)
{
	int cpus = fdt_path(out, "/cpus"), cpu, n = 0;
	uint32_t v;

	(void)state;
	assert_true(fdt_prop_u32(out, cpus, "#address-cells", &v));
	assert_int_equal(v, 1);
	assert_true(fdt_prop_u32(out, cpus, "#size-cells", &v));
	assert_int_equal(v, 0);
	for (cpu = fdt_first_child(out, cpus); cpu >= 0; cpu = fdt_next_sibling(out, cpu), n++) {
		uint64_t want = (uint64_t)(n % 16) | ((uint64_t)(n / 16) << 8), a, s;

		assert_string_equal(fdt_prop_string(out, cpu, "device_type"), "cpu");
		assert_string_equal(fdt_prop_string(out, cpu, "enable-method"), "psci");
		assert_true(fdt_is_compatible(out, cpu, "arm,armv8"));
		assert_true(fdt_reg(out, cpu, 0, &a, &s));
		if (a != want)
			fail_msg("vCPU %d: expected reg 0x%llx, got 0x%llx", n,
				 (unsigned long long)want, (unsigned long long)a);
		assert_int_equal(dom0_vcpu_mpidr((unsigned)n), want);
	}
	assert_int_equal(n, 18);
	assert_true(fdt_path(out, "/cpus/cpu@101") > 0);
}

static void memory_nodes_describe_dom0_banks(void **state)
{
	int node, n = 0;

	(void)state;
	for (node = fdt_root(out); node >= 0; node = fdt_next_node(out, node, NULL)) {
		const char *type = fdt_prop_string(out, node, "device_type");
		uint64_t a, s;

		if (!type || strcmp(type, "memory") != 0)
			continue;
		assert_true(n < 2);
		assert_true(fdt_reg(out, node, 0, &a, &s));
		assert_int_equal(a, dom0_mem[n].base);
		assert_int_equal(s, dom0_mem[n].size);
		n++;
	}
	assert_int_equal(n, 2);
	assert_true(fdt_path(out, "/memory@60000000") > 0);
	assert_true(fdt_path(out, "/memory@90000000") > 0);
}

static void psci_uses_hvc(void **state)
{
	int psci = fdt_path(out, "/psci");

	(void)state;
	assert_string_equal(fdt_prop_string(out, psci, "method"), "hvc");
	assert_string_equal(fdt_prop_string(out, psci, "compatible"), "arm,psci-1.0");
	assert_true(fdt_is_compatible(out, psci, "arm,psci-0.2"));
	assert_true(fdt_is_compatible(out, psci, "arm,psci"));
	assert_int_equal(fdt_find_compatible(out, psci, "arm,psci-0.2"), -1);
}

static void gic_keeps_its_phandle_and_loses_its_children(void **state)
{
	int gic = fdt_node_by_phandle(out, 0x8005);
	int len;
	const void *v;
	uint32_t n;
	uint64_t a, s;

	(void)state;
	assert_true(gic > 0);
	assert_string_equal(fdt_node_name(out, gic), "intc@8000000");
	assert_true(fdt_is_compatible(out, gic, "arm,gic-v3"));
	assert_non_null(fdt_prop(out, gic, "interrupt-controller", NULL));
	assert_true(fdt_prop_u32(out, gic, "#interrupt-cells", &n));
	assert_int_equal(n, 3);
	assert_true(fdt_prop_u32(out, gic, "#address-cells", &n));
	assert_int_equal(n, 2); /* PCI interrupt-map entries depend on it */
	assert_true(fdt_prop_u32(out, gic, "#redistributor-regions", &n));
	assert_int_equal(n, 1);
	assert_true(fdt_reg(out, gic, 0, &a, &s));
	assert_int_equal(a, 0x8000000);
	assert_true(fdt_reg(out, gic, 1, &a, &s));
	assert_int_equal(a, 0x80a0000);
	assert_int_equal(s, 0xf60000);
	v = fdt_prop(out, gic, "interrupts", &len);
	assert_int_equal(len, 12);
	assert_int_equal(cell(v, 1), 9);
	assert_int_equal(fdt_first_child(out, gic), -1);
	assert_int_equal(fdt_find_compatible(out, -1, "arm,gic-v3-its"), -1);
	/* the PCI host's msi-map pointed at the ITS: dropped with it */
	assert_null(fdt_prop(out, fdt_path(out, "/pcie@10000000"), "msi-map", NULL));
	assert_non_null(fdt_prop(out, fdt_path(out, "/pcie@10000000"), "interrupt-map", NULL));
}

static void every_interrupt_parent_resolves(void **state)
{
	int node, checked = 0;

	(void)state;
	for (node = fdt_root(out); node >= 0; node = fdt_next_node(out, node, NULL)) {
		uint32_t ph;

		if (!fdt_prop_u32(out, node, "interrupt-parent", &ph))
			continue;
		if (fdt_node_by_phandle(out, ph) < 0)
			fail_msg("%s: interrupt-parent 0x%x does not resolve",
				 fdt_node_name(out, node), ph);
		checked++;
	}
	assert_true(checked >= 3); /* root, platform-bus, hypervisor */
}

static void ppi_users_are_dropped_but_the_timer_stays(void **state)
{
	int timer = fdt_find_compatible(out, -1, "arm,armv8-timer");
	int len;

	(void)state;
	assert_int_equal(fdt_find_compatible(out, -1, "arm,armv8-pmuv3"), -1);
	assert_true(timer > 0);
	assert_non_null(fdt_prop(out, timer, "interrupts", &len));
	assert_int_equal(len, 48);
	assert_true(fdt_path(out, "/virtio_mmio@a000000") > 0);
	assert_true(fdt_path(out, "/pcie@10000000") > 0);
}

static void memreserves_are_copied(void **state)
{
	struct dom0_fdt_params p;
	uint64_t a, s;

	(void)state;
	load_host("xen-order");
	p = params(NULL, 0);
	assert_int_equal(dom0_fdt_build(&p, out, sizeof(out), &out_size, err, sizeof(err)), 0);
	assert_int_equal(fdt_validate(out, out_size, NULL), 0);
	assert_int_equal(fdt_num_mem_rsv(out), 1);
	assert_true(fdt_mem_rsv(out, 0, &a, &s));
	assert_int_equal(a, 0x48000000);
	assert_int_equal(s, 0x100000);
	/* the host's reserved-memory node is kept */
	assert_true(fdt_path(out, "/reserved-memory/fw@7f000000") > 0);
	/* xen,dom0-bootargs and xen,xen-bootargs do not leak into dom0's /chosen */
	assert_null(fdt_prop(out, fdt_path(out, "/chosen"), "xen,dom0-bootargs", NULL));
	assert_null(fdt_prop(out, fdt_path(out, "/chosen"), "xen,xen-bootargs", NULL));
	build_default();
}

static void no_bootargs_and_no_initrd_means_no_properties(void **state)
{
	struct dom0_fdt_params p = params(NULL, 0);
	int chosen;

	(void)state;
	p.bootargs = NULL;
	p.initrd_size = 0;
	assert_int_equal(dom0_fdt_build(&p, out, sizeof(out), &out_size, err, sizeof(err)), 0);
	chosen = fdt_path(out, "/chosen");
	assert_null(fdt_prop(out, chosen, "bootargs", NULL));
	assert_null(fdt_prop(out, chosen, "linux,initrd-start", NULL));
	build_default();
}

static void bad_parameters_are_reported(void **state)
{
	struct dom0_fdt_params p = params(NULL, 0);

	(void)state;
	assert_int_equal(dom0_fdt_build(&p, out, 512, &out_size, err, sizeof(err)), -1);
	assert_string_equal(err, "dom0 DT: buffer too small");
	p.evtchn_intid = 32;
	assert_int_equal(dom0_fdt_build(&p, out, sizeof(out), &out_size, err, sizeof(err)), -1);
	assert_string_equal(err, "dom0 DT: event channel interrupt 32 is not a PPI (16..31)");
	p = params(NULL, 0);
	p.nr_vcpus = 0;
	assert_int_equal(dom0_fdt_build(&p, out, sizeof(out), &out_size, err, sizeof(err)), -1);
	assert_string_equal(err, "dom0 DT: 0 vCPUs (supported: 1..4096)");
	p = params(NULL, 0);
	p.nr_mem = 0;
	assert_int_equal(dom0_fdt_build(&p, out, sizeof(out), &out_size, err, sizeof(err)), -1);
	assert_string_equal(err, "dom0 DT: no RAM banks");
	build_default();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(output_validates_and_dtc_accepts_it),
	    cmocka_unit_test(hypervisor_node_follows_the_linux_rules),
	    cmocka_unit_test(chosen_is_rewritten_for_dom0),
	    cmocka_unit_test(hidden_uart_is_absent_and_shown_otherwise),
	    cmocka_unit_test(cpus_are_regenerated_for_the_vcpus),
	    cmocka_unit_test(memory_nodes_describe_dom0_banks),
	    cmocka_unit_test(psci_uses_hvc),
	    cmocka_unit_test(gic_keeps_its_phandle_and_loses_its_children),
	    cmocka_unit_test(every_interrupt_parent_resolves),
	    cmocka_unit_test(ppi_users_are_dropped_but_the_timer_stays),
	    cmocka_unit_test(memreserves_are_copied),
	    cmocka_unit_test(no_bootargs_and_no_initrd_means_no_properties),
	    cmocka_unit_test(bad_parameters_are_reported),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
