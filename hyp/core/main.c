// SPDX-License-Identifier: Apache-2.0
/*
 * The boot CPU's path from the device tree to a running dom0. Anything
 * wrong with the boot configuration ends here with one line that names it.
 */
#include <punt/arch/cpu.h>
#include <punt/arch/irq.h>
#include <punt/arch/mm.h>
#include <punt/bootargs.h>
#include <punt/bootinfo.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/dom0_build.h>
#include <punt/domain.h>
#include <punt/domu.h>
#include <punt/fdt.h>
#include <punt/main.h>
#include <punt/memory.h>
#include <punt/page_alloc.h>
#include <punt/panic.h>
#include <punt/pl011.h>
#include <punt/sched.h>

#define FDT_MAX_SIZE (2UL << 20)

_Noreturn void start_punt(uint64_t dtb);

static struct boot_info boot;

const char *punt_command_line(void)
{
	return boot.hyp_bootargs ? boot.hyp_bootargs : "";
}
static char boot_err[160];

static void say_raw(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			pl011_putc('\r');
		pl011_putc(*s);
	}
}

/* A boot configuration Punt cannot use: say what is wrong and stop. */
static _Noreturn void boot_error(const char *what)
{
	if (pl011_ready()) {
		say_raw("punt: boot error: ");
		say_raw(what);
		say_raw("\n");
	}
	arch_halt_this_cpu();
}

static const void *map_dtb(uint64_t dtb)
{
	if (!dtb || (dtb & 7) || arch_mm_map(dtb, 4096, ARCH_MM_RO))
		return NULL;
	const uint32_t *hdr = (const uint32_t *)dtb;
	uint32_t size = __builtin_bswap32(hdr[1]);
	if (__builtin_bswap32(hdr[0]) != FDT_MAGIC || size > FDT_MAX_SIZE)
		return (const void *)dtb;
	arch_mm_map(dtb, size, ARCH_MM_RO);
	return (const void *)dtb;
}

static void uart_interrupt(uint32_t intid)
{
	(void)intid;
	console_rx_interrupt();
}

static void start_console(void)
{
	if (!boot.uart.base)
		return;
	arch_mm_map(boot.uart.base, boot.uart.size ? boot.uart.size : 4096, ARCH_MM_DEVICE);
	console_init(boot.uart.base);
}

/* Nothing is mapped at the bottom of the address space; volatile so the compiler cannot see it. */
static volatile uint64_t crash_test_address = 8;

static void crash_test(void)
{
#ifdef CONFIG_CRASH_TEST
	if (bootargs_bool(boot.hyp_bootargs, "punt.crashtest", false)) {
		printk("punt.crashtest: taking a deliberate data abort at EL2\n");
		volatile uint64_t *unmapped = (volatile uint64_t *)crash_test_address;
		*unmapped = 0xdead;
	}
#endif
}

void page_alloc_fatal(const char *why)
{
	panic("page allocator: %s", why);
}

/*
 * As on Xen, no domain runs before every boot-time domain is built: a guest's
 * static channels exist before either end runs, and dom0's console output
 * never interleaves with the build messages.
 */
static void start_boot_domains(void)
{
	for (domid_t id = 0; id < MAX_DOMAINS; id++) {
		struct domain *d = domain_lookup(id);
		if (d)
			vcpu_set_online(d->vcpus[0], true);
	}
}

_Noreturn void start_punt(uint64_t dtb)
{
	const void *fdt;
	int rc;

	arch_boot_cpu_init();
	fdt = map_dtb(dtb);
	rc = fdt ? bootinfo_parse(fdt, FDT_MAX_SIZE, &boot, boot_err, sizeof(boot_err)) : -1;
	start_console();
	if (!fdt)
		boot_error("no device tree: x0 did not point at a DTB");
	if (rc)
		boot_error(boot_err);

	printk("Punt hypervisor starting on CPU MPIDR %#lx, %u CPUs in the device tree\n",
	       this_cpu()->mpidr, boot.nr_cpus);
	printk("Command line: %s\n", boot.hyp_bootargs);
	if (memory_init(&boot, boot_err, sizeof(boot_err)))
		boot_error(boot_err);
	if (arch_init(&boot, boot_err, sizeof(boot_err)))
		boot_error(boot_err);
	sched_init_cpu();
	if (boot.uart.intid) {
		irq_register(boot.uart.intid, uart_interrupt);
		irq_enable(boot.uart.intid);
		pl011_enable_rx_irq();
	}
	arch_boot_secondaries(&boot);
	sched_configure(boot.hyp_bootargs);
	printk("Free memory before domains: %lu pages\n", page_alloc_free_pages());
	bool have_dom0 = bootinfo_module(&boot, BOOT_MOD_KERNEL) != NULL;
	if (have_dom0 && dom0_build(&boot, boot_err, sizeof(boot_err)))
		boot_error(boot_err);
	unsigned domus = domu_build_all(&boot);
	if (!have_dom0 && !domus)
		boot_error("nothing to run: no dom0 kernel module (multiboot,kernel) and no "
			   "xen,domain node that could be started");
	console_focus_first();
	crash_test();
	start_boot_domains();
	sched_start();
}
