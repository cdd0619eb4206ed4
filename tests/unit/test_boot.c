// SPDX-License-Identifier: Apache-2.0
/*
 * The boot path on the fake architecture (hyp/core/main.c start_punt()): a device tree
 * written for each test, with RAM and boot modules in a host buffer, read by the real
 * bootinfo_parse(), memory_init(), dom0_build() and domu_build_all(), up to the point
 * where the boot CPU enters the guests (arch_run_guests(): FAKE_GUESTS_RUN) or stops on a
 * boot error (arch_halt_this_cpu(): FAKE_CPU_HALTED). dom0 is then a real 1:1 domain, so
 * memory_op's direct-mapped paths are tested here too, and so are the ends of the machine
 * (dom0's poweroff and reboot, panic()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "machine.h"
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/hvm_params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/xen.h>
#include <punt/arch/vcpu.h>
#include <punt/cpu.h>
#include <punt/event_channel.h>
#include <punt/fdt.h>
#include <punt/hypercall.h>
#include <punt/memory.h>
#include <punt/page_alloc.h>
#include <punt/panic.h>
#include <punt/arch/irq.h>
#include <punt/arch/preempt.h>

_Noreturn void start_punt(uint64_t dtb);

#define RAM_BYTES   (96UL << 20)
#define SZ_2M	    (2UL << 20)
#define IMAGE_MAGIC 0x644d5241u /* "ARM\x64" at offset 56 of an arm64 Image */
#define UART_BASE   0x9000000UL
#define VIRTIO_BASE 0xa000000UL
#define GICD_BASE   0x8000000UL
#define GICR_BASE   0x80a0000UL
#define TEXT_OFFSET 0x80000UL
#define KERNEL_SIZE (64UL << 10)
#define INITRD_SIZE (12UL << 10)

/* The machine's RAM; the boot modules sit in its last 2 MiB, as a loader puts them in RAM. */
static uint8_t *ram;
static uint8_t *dom0_kernel, *dom0_initrd, *domu_kernel;
static uint8_t dtb[16384] __attribute__((aligned(8)));
static uint64_t dtb_addr;

/* What the device tree of the next boot holds. */
struct domu_node {
	const char *name;
	uint32_t memory_kib;
	uint32_t cpus;
	void (*extra)(struct fdt_writer *w); /* more properties or child nodes, or NULL */
	bool no_kernel;
};
static struct {
	const char *bootargs; /* xen,xen-bootargs */
	bool dom0, initrd;
	unsigned cpus;
	struct domu_node domus[4];
	unsigned nr_domus;
} cfg;

static void write_image(uint8_t *at, uint64_t text_offset, uint64_t image_size, uint8_t fill)
{
	uint32_t magic = IMAGE_MAGIC;

	memset(at, fill, KERNEL_SIZE);
	memset(at, 0, 64);
	memcpy(at + 8, &text_offset, sizeof(text_offset));
	memcpy(at + 16, &image_size, sizeof(image_size));
	memcpy(at + 56, &magic, sizeof(magic));
}

static void reg2(struct fdt_writer *w, uint64_t base, uint64_t size)
{
	fdtw_prop_reg(w, "reg", (const uint64_t[]){base, size}, 2, 2);
}

static void module(struct fdt_writer *w, const char *name, const char *kind, const void *at,
		   uint64_t size)
{
	fdtw_begin_node(w, name);
	fdtw_prop_strings(w, "compatible", (const char *const[]){"multiboot,module", kind}, 2);
	reg2(w, (uint64_t)(uintptr_t)at, size);
	fdtw_end_node(w);
}

static void write_dt(void)
{
	struct fdt_writer w;
	size_t size;
	char name[32];

	fdtw_init(&w, dtb, sizeof(dtb), 0);
	fdtw_begin_node(&w, "");
	fdtw_prop_u32(&w, "#address-cells", 2);
	fdtw_prop_u32(&w, "#size-cells", 2);
	fdtw_prop_u32(&w, "interrupt-parent", 0x8005);

	fdtw_begin_node(&w, "psci");
	fdtw_prop_strings(&w, "compatible", (const char *const[]){"arm,psci-1.0", "arm,psci-0.2"},
			  2);
	fdtw_prop_string(&w, "method", "hvc");
	fdtw_end_node(&w);

	snprintf(name, sizeof(name), "memory@%lx", (unsigned long)(uintptr_t)ram);
	fdtw_begin_node(&w, name);
	fdtw_prop_string(&w, "device_type", "memory");
	reg2(&w, (uint64_t)(uintptr_t)ram, RAM_BYTES);
	fdtw_end_node(&w);

	fdtw_begin_node(&w, "virtio_mmio@a000000");
	fdtw_prop_string(&w, "compatible", "virtio,mmio");
	fdtw_prop_cells(&w, "interrupts", (const uint32_t[]){0, 0x10, 1}, 3);
	reg2(&w, VIRTIO_BASE, 0x200);
	fdtw_end_node(&w);

	fdtw_begin_node(&w, "pl011@9000000");
	fdtw_prop_strings(&w, "compatible", (const char *const[]){"arm,pl011", "arm,primecell"}, 2);
	fdtw_prop_cells(&w, "interrupts", (const uint32_t[]){0, 1, 4}, 3);
	reg2(&w, UART_BASE, 0x1000);
	fdtw_end_node(&w);

	fdtw_begin_node(&w, "intc@8000000");
	fdtw_prop_u32(&w, "phandle", 0x8005);
	fdtw_prop_string(&w, "compatible", "arm,gic-v3");
	fdtw_prop_cells(&w, "interrupts", (const uint32_t[]){1, 9, 4}, 3);
	fdtw_prop_reg(&w, "reg", (const uint64_t[]){GICD_BASE, 0x10000, GICR_BASE, 0xf60000}, 4, 2);
	fdtw_prop_u32(&w, "#interrupt-cells", 3);
	fdtw_prop(&w, "interrupt-controller", NULL, 0);
	fdtw_end_node(&w);

	fdtw_begin_node(&w, "timer");
	fdtw_prop_string(&w, "compatible", "arm,armv8-timer");
	fdtw_prop_cells(&w, "interrupts",
			(const uint32_t[]){1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4}, 12);
	fdtw_end_node(&w);

	fdtw_begin_node(&w, "cpus");
	fdtw_prop_u32(&w, "#address-cells", 1);
	fdtw_prop_u32(&w, "#size-cells", 0);
	for (unsigned c = 0; c < cfg.cpus; c++) {
		snprintf(name, sizeof(name), "cpu@%u", c);
		fdtw_begin_node(&w, name);
		fdtw_prop_string(&w, "device_type", "cpu");
		fdtw_prop_string(&w, "compatible", "arm,cortex-a57");
		fdtw_prop_u32(&w, "reg", c);
		fdtw_prop_string(&w, "enable-method", "psci");
		fdtw_end_node(&w);
	}
	fdtw_end_node(&w);

	fdtw_begin_node(&w, "chosen");
	fdtw_prop_u32(&w, "#address-cells", 2);
	fdtw_prop_u32(&w, "#size-cells", 2);
	fdtw_prop_string(&w, "stdout-path", "/pl011@9000000");
	fdtw_prop_string(&w, "xen,xen-bootargs", cfg.bootargs ? cfg.bootargs : "dom0_mem=16M");
	fdtw_prop_string(&w, "xen,dom0-bootargs", "console=hvc0");
	if (cfg.dom0)
		module(&w, "module@1", "multiboot,kernel", dom0_kernel, KERNEL_SIZE);
	if (cfg.initrd)
		module(&w, "module@2", "multiboot,ramdisk", dom0_initrd, INITRD_SIZE);
	for (unsigned i = 0; i < cfg.nr_domus; i++) {
		const struct domu_node *n = &cfg.domus[i];
		fdtw_begin_node(&w, n->name);
		fdtw_prop_string(&w, "compatible", "xen,domain");
		fdtw_prop_u32(&w, "#address-cells", 2);
		fdtw_prop_u32(&w, "#size-cells", 2);
		fdtw_prop_u32(&w, "memory", n->memory_kib ? n->memory_kib : 16384);
		fdtw_prop_u32(&w, "cpus", n->cpus ? n->cpus : 1);
		if (n->extra)
			n->extra(&w);
		if (!n->no_kernel)
			module(&w, "module@3", "multiboot,kernel", domu_kernel, KERNEL_SIZE);
		fdtw_end_node(&w);
	}
	fdtw_end_node(&w);

	fdtw_end_node(&w);
	if (fdtw_finish(&w, &size))
		fail_msg("device tree: %s", w.error);
	dtb_addr = (uint64_t)(uintptr_t)dtb;
}

static void boot_entry(void *arg)
{
	start_punt(*(uint64_t *)arg);
}

/* Write the device tree, reset the fake machine and run the boot CPU's path to its end. */
static enum fake_stop boot(void)
{
	write_dt();
	return fake_run(boot_entry, &dtb_addr);
}

static const char *uart(void)
{
	return fake_uart_output();
}

static void expect_output(const char *what)
{
	if (!strstr(uart(), what))
		fail_msg("expected \"%s\" on the console; it has:\n%s", what, uart());
}

static int setup(void **state)
{
	(void)state;
	if (!ram) {
		ram = aligned_alloc(SZ_2M, RAM_BYTES);
		assert_non_null(ram);
	}
	dom0_kernel = ram + RAM_BYTES - SZ_2M;
	dom0_initrd = dom0_kernel + KERNEL_SIZE;
	domu_kernel = dom0_initrd + INITRD_SIZE;
	write_image(dom0_kernel, TEXT_OFFSET, 2 * KERNEL_SIZE, 0xd0);
	memset(dom0_initrd, 0x1d, INITRD_SIZE);
	write_image(domu_kernel, 0, KERNEL_SIZE, 0xdb);
	memset(&cfg, 0, sizeof(cfg));
	cfg.dom0 = true;
	cfg.initrd = true;
	cfg.cpus = 2;
	/* One CPU to start with: the boot path counts in the others (arch_boot_secondaries()). */
	fake_arch_reset(1);
	return 0;
}

/* Every domain the boot left is torn down through the core's own teardown. */
static int teardown(void **state)
{
	(void)state;
	for (domid_t id = 0; id < MAX_DOMAINS; id++) {
		struct domain *d = domain_lookup_existing(id);
		if (d)
			machine_destroy(d);
	}
	assert_int_equal(fake_spin_locks_held(), 0);
	return 0;
}

static struct domain *booted(void)
{
	enum fake_stop how = boot();

	if (how != FAKE_GUESTS_RUN)
		fail_msg("boot ended with %d, not in the guests; console:\n%s", how, uart());
	return domain_lookup(0);
}

static long hypercall(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1)
{
	return do_hypercall(v, nr, (const uint64_t[5]){a0, a1, 0, 0, 0});
}

/* ---- the boot path ------------------------------------------------------------------ */

static void boot_builds_dom0_and_enters_the_guests(void **state)
{
	(void)state;
	struct domain *d = booted();

	assert_non_null(d);
	assert_true(d->privileged);
	assert_true(d->direct_mapped);
	/* dom0_max_vcpus is absent: one vCPU per CPU of the device tree. */
	assert_int_equal(nr_pcpus, 2);
	assert_int_equal(d->max_vcpus, 2);
	assert_int_equal(d->vcpus[0]->state, VCPU_RUNNABLE);
	assert_int_equal(d->vcpus[1]->state, VCPU_OFFLINE);
	expect_output("dom0: 2 vCPUs");
}

static void dom0_gets_dom0_mem_of_ram_mapped_one_to_one(void **state)
{
	(void)state;
	struct domain *d = booted();
	uint64_t mfn, pages = 0;

	assert_int_equal(d->tot_pages, (16UL << 20) >> 12);
	for (unsigned i = 0; i < d->nr_ram; i++) {
		pages += d->ram[i].size >> 12;
		assert_true(memory_is_ram(d->ram[i].base, d->ram[i].size));
		assert_int_equal(p2m_lookup(d, d->ram[i].base >> 12, &mfn), P2M_RAM_RW);
		assert_int_equal(mfn, d->ram[i].base >> 12);
	}
	assert_int_equal(pages, d->tot_pages);
}

static void dom0_kernel_is_placed_as_its_image_header_asks(void **state)
{
	(void)state;
	struct domain *d = booted();
	uint64_t entry = ((d->ram[0].base + SZ_2M - 1) & ~(SZ_2M - 1)) + TEXT_OFFSET;
	const uint8_t *at = (const uint8_t *)(uintptr_t)entry;

	assert_int_equal(arch_vcpu_pc(d->vcpus[0]), entry);
	assert_memory_equal(at + 64, dom0_kernel + 64, KERNEL_SIZE - 64);
	/* image_size is twice the file: the rest is zeroed (the kernel's bss). */
	for (uint64_t i = KERNEL_SIZE; i < 2 * KERNEL_SIZE; i++)
		if (at[i])
			fail_msg("byte %#lx past the kernel file is %#x", (unsigned long)i, at[i]);
}

static void dom0_device_tree_follows_the_initrd_and_names_it(void **state)
{
	(void)state;
	struct domain *d = booted();
	uint64_t dtb_at = d->vcpus[0]->arch.regs.x[0];
	const void *fdt = (const void *)(uintptr_t)dtb_at;

	assert_int_equal(dtb_at % SZ_2M, 0);
	assert_true(dtb_at >= d->ram[0].base && dtb_at < d->ram[0].base + d->ram[0].size);
	int chosen = fdt_path(fdt, "/chosen");
	assert_true(chosen >= 0);
	assert_string_equal(fdt_prop_string(fdt, chosen, "bootargs"), "console=hvc0");
	int len;
	const void *start = fdt_prop(fdt, chosen, "linux,initrd-start", &len);
	assert_non_null(start);
	uint64_t initrd = fdt_read_cells(start, (unsigned)len / 4);
	assert_memory_equal((const void *)(uintptr_t)initrd, dom0_initrd, INITRD_SIZE);
	/* Punt's UART is its own: dom0's device tree does not offer it. */
	assert_true(fdt_path(fdt, "/pl011@9000000") < 0);
}

static void dom0_gets_the_devices_but_not_punts_uart(void **state)
{
	(void)state;
	struct domain *d = booted();
	uint64_t mfn;

	assert_int_equal(p2m_lookup(d, VIRTIO_BASE >> 12, &mfn), P2M_DEVICE);
	assert_int_equal(mfn, VIRTIO_BASE >> 12);
	assert_int_not_equal(p2m_lookup(d, UART_BASE >> 12, NULL), P2M_DEVICE);
	assert_int_not_equal(p2m_lookup(d, GICD_BASE >> 12, NULL), P2M_DEVICE);
	/* Callbacks on the PPI dom0's device tree names (Xen public/hvm/params.h). */
	assert_int_equal(d->hvm_params[HVM_PARAM_CALLBACK_IRQ] & 0xff, 31);
}

static void dom0_max_vcpus_limits_dom0s_vcpus(void **state)
{
	(void)state;
	cfg.bootargs = "dom0_mem=16M dom0_max_vcpus=1";
	assert_int_equal(booted()->max_vcpus, 1);
}

static void dom0_sched_arguments_set_its_weight_and_cap(void **state)
{
	(void)state;
	cfg.bootargs = "dom0_mem=16M dom0_sched_weight=512 dom0_sched_cap=50 dom0_sched_affinity=1";
	struct domain *d = booted();

	assert_int_equal(d->sched.weight, 512);
	assert_int_equal(d->sched.cap, 50);
	assert_false(cpumask_test(&d->sched.affinity, 0));
	assert_true(cpumask_test(&d->sched.affinity, 1));
}

static void boot_error(const char *bootargs, const char *message)
{
	cfg.bootargs = bootargs;
	assert_int_equal(boot(), FAKE_CPU_HALTED);
	expect_output("punt: boot error: ");
	expect_output(message);
	assert_null(domain_lookup(0));
}

static void a_malformed_dom0_sched_argument_is_a_boot_error(void **state)
{
	(void)state;
	boot_error("dom0_mem=16M dom0_sched_weight=heavy",
		   "dom0: dom0_sched_weight=heavy is not a decimal number");
}

static void a_malformed_dom0_affinity_is_a_boot_error(void **state)
{
	(void)state;
	boot_error("dom0_mem=16M dom0_sched_affinity=x", "is not a CPU list");
}

static void an_out_of_range_dom0_weight_is_a_boot_error(void **state)
{
	(void)state;
	boot_error("dom0_mem=16M dom0_sched_weight=0", "dom0: scheduling boot arguments");
}

static void dom0_mem_beyond_the_ram_is_a_boot_error(void **state)
{
	(void)state;
	boot_error("dom0_mem=1G", "dom0_mem: cannot allocate 1024 MiB");
}

static void a_dom0_mem_that_is_no_size_falls_back_to_the_default(void **state)
{
	(void)state;
	/* The default is 512 MiB, more than this machine has. */
	boot_error("dom0_mem=lots", "dom0_mem: cannot allocate 512 MiB");
	expect_output("dom0_mem=lots is not a size");
}

static void a_dom0_kernel_that_is_no_image_is_a_boot_error(void **state)
{
	(void)state;
	memset(dom0_kernel + 56, 0, 4);
	boot_error(NULL, "not an arm64 Image");
}

static void a_dom0_kernel_larger_than_dom0_mem_is_a_boot_error(void **state)
{
	(void)state;
	write_image(dom0_kernel, 0, 64UL << 20, 0xd0);
	boot_error(NULL, "dom0 kernel (64 MiB) does not fit in dom0_mem");
}

static void a_machine_with_nothing_to_run_stops(void **state)
{
	(void)state;
	cfg.dom0 = cfg.initrd = false;
	boot_error(NULL, "nothing to run");
}

static void no_device_tree_stops_the_boot(void **state)
{
	(void)state;
	uint64_t none = 0;

	assert_int_equal(fake_run(boot_entry, &none), FAKE_CPU_HALTED);
	assert_null(domain_lookup(0));
}

static void a_device_tree_without_memory_stops_the_boot(void **state)
{
	(void)state;
	write_dt();
	/* The same blob, its magic broken: bootinfo_parse() refuses it. */
	dtb[0] ^= 0xff;
	assert_int_equal(fake_run(boot_entry, &dtb_addr), FAKE_CPU_HALTED);
	expect_output("punt: boot error: ");
}

/* ---- boot-time domains (xen,domain nodes) ------------------------------------------- */

static void boot_time_domains_are_built_and_started_with_dom0(void **state)
{
	(void)state;
	cfg.domus[0] = (struct domu_node){.name = "guest", .memory_kib = 16384, .cpus = 2};
	cfg.nr_domus = 1;
	booted();

	struct domain *d1 = domain_lookup(1);
	assert_non_null(d1);
	assert_string_equal(d1->name, "guest");
	assert_int_equal(d1->max_vcpus, 2);
	assert_int_equal(d1->tot_pages, (16UL << 20) >> 12);
	assert_int_equal(d1->vcpus[0]->state, VCPU_RUNNABLE);
	assert_false(d1->direct_mapped);
}

static void a_boot_time_domain_without_dom0_is_enough_to_run(void **state)
{
	(void)state;
	cfg.dom0 = cfg.initrd = false;
	cfg.domus[0] = (struct domu_node){.name = "alone"};
	cfg.nr_domus = 1;
	assert_int_equal(boot(), FAKE_GUESTS_RUN);
	assert_null(domain_lookup(0));
	assert_non_null(domain_lookup(1));
}

static void bad_sched_weight(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "punt,sched-weight", 0);
}

static void a_misconfigured_domain_is_left_out_and_the_rest_start(void **state)
{
	(void)state;
	cfg.domus[0] = (struct domu_node){.name = "bad", .extra = bad_sched_weight};
	cfg.domus[1] = (struct domu_node){.name = "good"};
	cfg.nr_domus = 2;
	booted();

	assert_null(domain_lookup(1));
	assert_non_null(domain_lookup(2));
	expect_output("d1 (bad): not started: punt,sched-weight = 0");
}

static void a_domain_too_big_for_the_machine_is_left_out(void **state)
{
	(void)state;
	cfg.domus[0] = (struct domu_node){.name = "huge", .memory_kib = 1024 * 1024};
	cfg.nr_domus = 1;
	booted();

	assert_null(domain_lookup(1));
	expect_output("d1 (huge): not started: ");
}

/* Two domains whose static channels name each other (Xen's dom0less xen,evtchn binding). */
static void evtchn_to_b(struct fdt_writer *w)
{
	fdtw_begin_node(w, "evtchn@10");
	fdtw_prop_string(w, "compatible", "xen,evtchn-v1");
	fdtw_prop_cells(w, "xen,evtchn", (const uint32_t[]){10, 0x200}, 2);
	fdtw_prop_u32(w, "phandle", 0x100);
	fdtw_end_node(w);
}

static void evtchn_to_a(struct fdt_writer *w)
{
	fdtw_begin_node(w, "evtchn@20");
	fdtw_prop_string(w, "compatible", "xen,evtchn-v1");
	fdtw_prop_cells(w, "xen,evtchn", (const uint32_t[]){20, 0x100}, 2);
	fdtw_prop_u32(w, "phandle", 0x200);
	fdtw_end_node(w);
}

static void static_event_channels_join_boot_time_domains(void **state)
{
	(void)state;
	cfg.domus[0] = (struct domu_node){.name = "a", .extra = evtchn_to_b};
	cfg.domus[1] = (struct domu_node){.name = "b", .extra = evtchn_to_a};
	cfg.nr_domus = 2;
	booted();

	struct domain *a = domain_lookup(1), *b = domain_lookup(2);
	assert_non_null(a);
	assert_non_null(b);
	struct evtchn_status s = {.dom = DOMID_SELF, .port = 10};
	machine_run(a->vcpus[0]);
	assert_int_equal(do_event_channel_op(a->vcpus[0], EVTCHNOP_status, (uint64_t)(uintptr_t)&s),
			 0);
	assert_int_equal(s.status, EVTCHNSTAT_interdomain);
	assert_int_equal(s.u.interdomain.dom, 2);
	assert_int_equal(s.u.interdomain.port, 20);
}

static void a_rebooting_boot_time_domain_is_built_again_from_its_modules(void **state)
{
	(void)state;
	cfg.domus[0] = (struct domu_node){.name = "again"};
	cfg.nr_domus = 1;
	booted();

	struct domain *d1 = domain_lookup(1);
	uint64_t free_before = page_alloc_free_pages();
	domain_shutdown(d1, SHUTDOWN_reboot);
	for (unsigned round = 0; round < 8 && domain_reap_pending(); round++)
		for (unsigned c = 0; c < nr_pcpus; c++)
			machine_pass(c);
	struct domain *again = domain_lookup(1);
	assert_non_null(again);
	assert_false(again->dying);
	assert_int_equal(again->vcpus[0]->state, VCPU_RUNNABLE);
	assert_int_equal(again->tot_pages, (16UL << 20) >> 12);
	/* Built again from the same pages' worth: nothing lost on the way. */
	assert_int_equal(page_alloc_free_pages(), free_before);
	expect_output("d1 (again) shut down: reboot");
}

static void a_destroyed_boot_time_domain_gives_every_page_back(void **state)
{
	(void)state;
	cfg.domus[0] = (struct domu_node){.name = "gone"};
	cfg.nr_domus = 1;
	booted();
	uint64_t free_before = page_alloc_free_pages();
	struct domain *d1 = domain_lookup(1);
	uint64_t pages = d1->tot_pages;

	machine_destroy(d1);
	assert_null(domain_lookup_existing(1));
	/* Its RAM and more (its structures, shared_info, grant table) come back. */
	assert_true(page_alloc_free_pages() > free_before + pages);
}

/* ---- the hardware domain's end is the machine's -------------------------------------- */

static void shutdown_dom0(void *arg)
{
	domain_shutdown(domain_lookup(0), *(int *)arg);
}

static void dom0_poweroff_powers_the_machine_off(void **state)
{
	(void)state;
	int reason = SHUTDOWN_poweroff;

	booted();
	assert_int_equal(fake_run(shutdown_dom0, &reason), FAKE_SYSTEM_OFF);
	expect_output("Powering off the machine");
}

static void dom0_reboot_restarts_the_machine(void **state)
{
	(void)state;
	int reason = SHUTDOWN_reboot;

	booted();
	assert_int_equal(fake_run(shutdown_dom0, &reason), FAKE_SYSTEM_RESET);
	expect_output("Restarting the machine");
}

static void a_dom0_crash_restarts_the_machine(void **state)
{
	(void)state;
	int reason = SHUTDOWN_crash;

	booted();
	assert_int_equal(fake_run(shutdown_dom0, &reason), FAKE_SYSTEM_RESET);
	expect_output("Hardware domain stopped (crash)");
}

static void panic_with_message(void *arg)
{
	(void)arg;
	panic("broken invariant %d", 42);
}

static void panic_says_why_and_stops_every_cpu(void **state)
{
	(void)state;
	booted();
	fake_uart_clear();
	assert_int_equal(fake_run(panic_with_message, NULL), FAKE_CPU_HALTED);
	expect_output("Panic on CPU 0: broken invariant 42");
	expect_output("all CPUs stopped");
	assert_false(pcpus[1].online);
	/* The next test boots a fresh machine; teardown needs its CPUs back. */
	pcpus[0].online = pcpus[1].online = true;
}

static void page_allocator_corruption(void *arg)
{
	(void)arg;
	page_alloc_fatal("double free");
}

static void a_page_allocator_failure_panics(void **state)
{
	(void)state;
	booted();
	assert_int_equal(fake_run(page_allocator_corruption, NULL), FAKE_CPU_HALTED);
	expect_output("Panic on CPU 0: page allocator: double free");
	pcpus[0].online = pcpus[1].online = true;
}

/* ---- memory_op on the direct-mapped dom0 --------------------------------------------- */

/*
 * v runs on its CPU with nothing pending there: the kicks the boot sent are taken, as they
 * are when the CPU enters the guest, so a batch is preempted only where a test says.
 */
static void run_quiet(struct vcpu *v)
{
	machine_run(v);
	irq_handle_pending();
	assert_false(arch_irq_pending());
}

static long reservation(struct vcpu *v, unsigned op, uint64_t *gfns, uint64_t n, unsigned order)
{
	struct xen_memory_reservation r = {
	    .extent_start_gva = (uint64_t)(uintptr_t)gfns,
	    .nr_extents = n,
	    .extent_order = order,
	    .domid = DOMID_SELF,
	};

	return hypercall(v, HYPERVISOR_memory_op, op, (uint64_t)(uintptr_t)&r);
}

static void dom0_gives_a_page_back_and_populates_the_same_frame_again(void **state)
{
	(void)state;
	struct domain *d = booted();
	struct vcpu *v = d->vcpus[0];
	uint64_t gfn[2] = {(d->ram[0].base >> 12) + 16, (d->ram[0].base >> 12) + 17};
	uint64_t mfn;

	run_quiet(v);
	assert_int_equal(reservation(v, XENMEM_decrease_reservation, gfn, 2, 0), 2);
	assert_int_equal(p2m_lookup(d, gfn[0], NULL), P2M_INVALID);
	assert_int_equal(p2m_lookup(d, gfn[1], NULL), P2M_INVALID);
	/* A page no longer mapped cannot be given back twice: none done. */
	assert_int_equal(reservation(v, XENMEM_decrease_reservation, gfn, 1, 0), 0);
	assert_int_equal(reservation(v, XENMEM_populate_physmap, gfn, 2, 0), 2);
	assert_int_equal(p2m_lookup(d, gfn[1], &mfn), P2M_RAM_RW);
	assert_int_equal(mfn, gfn[1]);
}

static void dom0_cannot_populate_outside_its_ram(void **state)
{
	(void)state;
	struct domain *d = booted();
	struct vcpu *v = d->vcpus[0];
	uint64_t gfn[2] = {(d->ram[0].base >> 12), 0x10};

	run_quiet(v);
	/* The first is RAM (already mapped: mapped again), the second is not: one done. */
	assert_int_equal(reservation(v, XENMEM_populate_physmap, gfn, 2, 0), 1);
}

static void dom0_increase_reservation_gets_nothing(void **state)
{
	(void)state;
	struct domain *d = booted();
	uint64_t gfn = d->ram[0].base >> 12;

	run_quiet(d->vcpus[0]);
	assert_int_equal(reservation(d->vcpus[0], XENMEM_increase_reservation, &gfn, 1, 0), 0);
}

static void dom0_extent_order_above_the_control_domains_maximum_does_nothing(void **state)
{
	(void)state;
	struct domain *d = booted();
	uint64_t gfn = d->ram[0].base >> 12;

	run_quiet(d->vcpus[0]);
	assert_int_equal(reservation(d->vcpus[0], XENMEM_decrease_reservation, &gfn, 1, 19), 0);
	assert_int_equal(p2m_lookup(d, gfn, NULL), P2M_RAM_RW);
}

static void a_preempted_decrease_continues_at_the_next_extent(void **state)
{
	(void)state;
	struct domain *d = booted();
	struct vcpu *v = d->vcpus[0];
	uint64_t gfn[3] = {(d->ram[0].base >> 12) + 20, (d->ram[0].base >> 12) + 21,
			   (d->ram[0].base >> 12) + 22};
	struct xen_memory_reservation r = {
	    .extent_start_gva = (uint64_t)(uintptr_t)gfn, .nr_extents = 3, .domid = DOMID_SELF};

	run_quiet(v);
	fake_preempt_at(1);
	hypercall(v, HYPERVISOR_memory_op, XENMEM_decrease_reservation, (uint64_t)(uintptr_t)&r);
	/* One extent done, the hypercall issued again with the second in the command's top bits. */
	assert_int_equal(p2m_lookup(d, gfn[0], NULL), P2M_INVALID);
	assert_int_equal(p2m_lookup(d, gfn[1], NULL), P2M_RAM_RW);
	assert_int_equal(v->arch.restarts, 1);
	assert_int_equal(v->arch.regs.x[0],
			 XENMEM_decrease_reservation | (1UL << MEMOP_EXTENT_SHIFT));
	assert_int_equal(v->arch.regs.x[1], (uint64_t)(uintptr_t)&r);
	fake_preempt_at(0);
	assert_int_equal(hypercall(v, HYPERVISOR_memory_op, v->arch.regs.x[0], v->arch.regs.x[1]),
			 3);
	assert_int_equal(p2m_lookup(d, gfn[2], NULL), P2M_INVALID);
}

static void maximum_ram_page_is_the_top_of_the_machines_ram(void **state)
{
	(void)state;
	struct domain *d = booted();

	assert_int_equal(hypercall(d->vcpus[0], HYPERVISOR_memory_op, XENMEM_maximum_ram_page, 0),
			 ((uint64_t)(uintptr_t)ram + RAM_BYTES) >> 12);
	assert_int_equal(memory_max_page(), ((uint64_t)(uintptr_t)ram + RAM_BYTES) >> 12);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(boot_builds_dom0_and_enters_the_guests),
	    T(dom0_gets_dom0_mem_of_ram_mapped_one_to_one),
	    T(dom0_kernel_is_placed_as_its_image_header_asks),
	    T(dom0_device_tree_follows_the_initrd_and_names_it),
	    T(dom0_gets_the_devices_but_not_punts_uart),
	    T(dom0_max_vcpus_limits_dom0s_vcpus),
	    T(dom0_sched_arguments_set_its_weight_and_cap),
	    T(a_malformed_dom0_sched_argument_is_a_boot_error),
	    T(a_malformed_dom0_affinity_is_a_boot_error),
	    T(an_out_of_range_dom0_weight_is_a_boot_error),
	    T(dom0_mem_beyond_the_ram_is_a_boot_error),
	    T(a_dom0_mem_that_is_no_size_falls_back_to_the_default),
	    T(a_dom0_kernel_that_is_no_image_is_a_boot_error),
	    T(a_dom0_kernel_larger_than_dom0_mem_is_a_boot_error),
	    T(a_machine_with_nothing_to_run_stops),
	    T(no_device_tree_stops_the_boot),
	    T(a_device_tree_without_memory_stops_the_boot),
	    T(boot_time_domains_are_built_and_started_with_dom0),
	    T(a_boot_time_domain_without_dom0_is_enough_to_run),
	    T(a_misconfigured_domain_is_left_out_and_the_rest_start),
	    T(a_domain_too_big_for_the_machine_is_left_out),
	    T(static_event_channels_join_boot_time_domains),
	    T(a_rebooting_boot_time_domain_is_built_again_from_its_modules),
	    T(a_destroyed_boot_time_domain_gives_every_page_back),
	    T(dom0_poweroff_powers_the_machine_off),
	    T(dom0_reboot_restarts_the_machine),
	    T(a_dom0_crash_restarts_the_machine),
	    T(panic_says_why_and_stops_every_cpu),
	    T(a_page_allocator_failure_panics),
	    T(dom0_gives_a_page_back_and_populates_the_same_frame_again),
	    T(dom0_cannot_populate_outside_its_ram),
	    T(dom0_increase_reservation_gets_nothing),
	    T(dom0_extent_order_above_the_control_domains_maximum_does_nothing),
	    T(a_preempted_decrease_continues_at_the_next_extent),
	    T(maximum_ram_page_is_the_top_of_the_machines_ram),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
