// SPDX-License-Identifier: Apache-2.0
/* Boot, MMU, console, exceptions and verdicts of the micro-guest runtime. */
#include "rt.h"

struct rt_platform rt_plat;

extern char _head[], _end[];
extern const uint64_t __rela_start[], __rela_end[];
bool rt_fdt_parse(uint64_t dtb);
void rt_relocate(uint64_t base);
void rt_main(uint64_t dtb);
void rt_exception(uint64_t kind, uint64_t *frame);
void rt_irq(void);
void rt_mmu_enable(void);

/* ---- self-relocation: the image is linked at 0 and runs wherever it was loaded ---- */
#define R_AARCH64_RELATIVE 1027

void rt_relocate(uint64_t base)
{
	/* Linker symbols bound the table: compare them as addresses, not as C objects. */
	uint64_t start = (uint64_t)__rela_start, end = (uint64_t)__rela_end;

	for (uint64_t at = start; at + 24 <= end; at += 24) {
		const uint64_t *r = (const uint64_t *)at;
		if ((r[1] & 0xffffffff) != R_AARCH64_RELATIVE)
			continue;
		*(uint64_t *)(base + r[0]) = base + r[2];
	}
}

/*
 * ---- console ----
 * dom0 writes with console_io on both Xen and Punt. A domU writes to the emulated SBSA UART
 * its DT describes (only a domU has one), which the hypervisor prints as whole lines
 * prefixed with the domain's id. Xen 4.17 accepts console_io from dom0less domUs too but
 * prints it only at guest log level debug, i.e. not at all on its release builds.
 */
#define UART_DR	  0x00
#define UART_FR	  0x18
#define UART_TXFF (1u << 5)
#define UART_RXFE (1u << 4)

static char line[256];
static size_t line_len;
static bool use_uart;

static volatile uint32_t *uart_reg(unsigned offset)
{
	return (volatile uint32_t *)(rt_plat.uart + offset);
}

static void uart_write(const char *s, size_t n)
{
	volatile uint32_t *dr = uart_reg(UART_DR);
	volatile uint32_t *fr = uart_reg(UART_FR);

	for (size_t i = 0; i < n; i++) {
		while (*fr & UART_TXFF)
			;
		*dr = (uint8_t)s[i];
	}
}

static void console_flush(void)
{
	if (!line_len)
		return;
	if (use_uart)
		uart_write(line, line_len);
	else
		hyp_console_io(CONSOLEIO_write, (unsigned)line_len, line);
	line_len = 0;
}

static void console_init(void)
{
	use_uart = rt_plat.uart != 0;
}

static void console_putc(char c)
{
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line))
		console_flush();
}

void rt_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = rt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (int i = 0; i < n && i < (int)sizeof(buf) - 1; i++)
		console_putc(buf[i]);
}

int rt_getc(unsigned ms)
{
	if (!use_uart)
		return -1;
	console_flush();
	for (unsigned waited = 0; *uart_reg(UART_FR) & UART_RXFE; waited += 10) {
		if (waited >= ms)
			return -1;
		rt_delay_ms(10);
	}
	return (int)(*uart_reg(UART_DR) & 0xff);
}

/* ---- verdicts ---- */
static unsigned failures;

unsigned rt_failures(void)
{
	return failures;
}

void rt_fail(const char *file, int line_no, const char *fmt, ...)
{
	char buf[384];
	va_list ap;

	va_start(ap, fmt);
	rt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	failures++;
	rt_printf("FAIL %s:%d: %s\n", file, line_no, buf);
}

static void __attribute__((noreturn)) power_off(void)
{
	struct sched_shutdown s = {SHUTDOWN_poweroff};

	console_flush();
	hyp_sched_op(SCHEDOP_shutdown, &s);
	rt_smccc(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

static void __attribute__((noreturn)) verdict(const char *what)
{
	rt_printf("Test result: %s\n", what);
	power_off();
}

void rt_skip(const char *why)
{
	rt_printf("skipped: %s\n", why);
	verdict("SKIP");
}

void rt_error(const char *why)
{
	rt_printf("error: %s\n", why);
	verdict("ERROR");
}

void rt_finish(void)
{
	verdict(failures ? "FAILURE" : "SUCCESS");
}

/* ---- stage-1 identity map: 4 KiB granule, 39-bit VA, level-1 1 GiB blocks ---- */
#define PTE_VALID   (1ul << 0)
#define PTE_TABLE   (3ul << 0)
#define PTE_BLOCK   (1ul << 0)
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_ISH	    (3ul << 8)
#define PTE_AF	    (1ul << 10)
#define PTE_PXN	    (1ul << 53)
#define PTE_UXN	    (1ul << 54)
#define ATTR_DEVICE 0
#define ATTR_NORMAL 1
#define GIB	    (1ul << 30)
#define MIB2	    (1ul << 21)

static uint64_t l1[512] PAGE_ALIGNED;
static uint64_t l2_low[512] PAGE_ALIGNED; /* the first GiB, in 2 MiB blocks */

static uint64_t normal_block(uint64_t pa)
{
	return pa | PTE_BLOCK | PTE_ATTR(ATTR_NORMAL) | PTE_ISH | PTE_AF;
}

static uint64_t device_block(uint64_t pa)
{
	return pa | PTE_BLOCK | PTE_ATTR(ATTR_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN;
}

/* Make [base, base+size) Normal WB in the first GiB (e.g. a grant window placed there). */
static void map_low_normal(uint64_t base, uint64_t size)
{
	for (uint64_t a = base & ~(MIB2 - 1); a < base + size && a < GIB; a += MIB2)
		l2_low[a / MIB2] = normal_block(a);
}

/*
 * First GiB: devices (GIC, UART, ...). 1..4 GiB: Normal WB, where QEMU virt has RAM (a
 * hypervisor may also put its grant window there). Everything above stays unmapped so
 * tests have a VA that faults in stage 1 (RT_UNMAPPED_VA).
 */
static void build_tables(void)
{
	for (unsigned i = 0; i < 512; i++)
		l2_low[i] = device_block(i * MIB2);
	l1[0] = (uint64_t)l2_low | PTE_TABLE;
	for (unsigned i = 1; i < 4; i++)
		l1[i] = normal_block(i * GIB);
	if (rt_plat.gnttab.size)
		map_low_normal(rt_plat.gnttab.base, rt_plat.gnttab.size);
}

void rt_map_high(void)
{
	for (unsigned i = 4; i < 512; i++)
		l1[i] = normal_block(i * GIB);
	__asm__ volatile("dsb ishst; tlbi vmalle1; dsb ish; isb" ::: "memory");
}

struct rt_mmu_regs {
	uint64_t mair, tcr, ttbr0, sctlr;
};
struct rt_mmu_regs rt_mmu;

void rt_mmu_enable(void)
{
	__asm__ volatile("msr mair_el1, %0\n"
			 "msr tcr_el1, %1\n"
			 "msr ttbr0_el1, %2\n"
			 "dsb ish\n"
			 "tlbi vmalle1\n"
			 "dsb ish\n"
			 "isb\n"
			 "msr sctlr_el1, %3\n"
			 "isb\n" ::"r"(rt_mmu.mair),
			 "r"(rt_mmu.tcr), "r"(rt_mmu.ttbr0), "r"(rt_mmu.sctlr)
			 : "memory");
}

static void mmu_init(void)
{
	uint64_t sctlr;

	build_tables();
	/* attr 0 = 0x00 Device-nGnRnE, attr 1 = 0xff Normal WB RW-allocate. */
	rt_mmu.mair = 0xfful << (8 * ATTR_NORMAL);
	/* T0SZ=25, IRGN0=ORGN0=WBWA, SH0=inner, TG0=4K, EPD1, IPS=40 bits. */
	rt_mmu.tcr = 25 | 1ul << 8 | 1ul << 10 | 3ul << 12 | 1ul << 23 | 2ul << 32;
	rt_mmu.ttbr0 = (uint64_t)l1;
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= 1ul << 0 | 1ul << 2 | 1ul << 12; /* M, C, I */
	sctlr &= ~(1ul << 1 | 1ul << 19);	  /* no alignment checks, no WXN */
	rt_mmu.sctlr = sctlr;
	rt_mmu_enable();
}

/* ---- exceptions ---- */
static const char *const kind_names[16] = {
    "sync/SP0",	    "irq/SP0",	   "fiq/SP0",	  "serror/SP0",
    "sync",	    "irq",	   "fiq",	  "serror",
    "sync/lower64", "irq/lower64", "fiq/lower64", "serror/lower64",
    "sync/lower32", "irq/lower32", "fiq/lower32", "serror/lower32",
};

rt_fault_hook_fn rt_fault_hook;

void rt_exception(uint64_t kind, uint64_t *frame)
{
	uint64_t esr, far;

	if (kind == 5) {
		rt_irq();
		return;
	}
	__asm__ volatile("mrs %0, esr_el1; mrs %1, far_el1" : "=r"(esr), "=r"(far));
	if (rt_fault_hook && rt_fault_hook(kind, frame, esr, far))
		return;
	rt_printf("unexpected exception %s: ESR=%#lx (EC %#lx) FAR=%#lx ELR=%#lx (image offset "
		  "%#lx) x0=%#lx x30=%#lx\n",
		  kind_names[kind & 15], esr, esr >> 26, far, frame[31],
		  frame[31] - (uint64_t)_head, frame[0], frame[30]);
	verdict("CRASH");
}

/* ---- entry ---- */
void rt_main(uint64_t dtb)
{
	rt_plat.dtb = dtb;
	rt_plat.image_start = (uint64_t)_head;
	rt_plat.image_end = (uint64_t)_end;
	bool dt_ok = rt_fdt_parse(dtb);
	mmu_init();
	console_init();
	rt_printf("micro-guest: image %#lx-%#lx dtb %#lx, %u cpu(s), evtchn PPI %u, GICD %#lx "
		  "GICR %#lx, grant window %#lx+%#lx\n",
		  rt_plat.image_start, rt_plat.image_end, dtb, rt_plat.nr_cpus,
		  rt_plat.evtchn_intid, rt_plat.gicd, rt_plat.gicr, rt_plat.gnttab.base,
		  rt_plat.gnttab.size);
	if (!dt_ok)
		rt_error("no valid device tree in x0");
	test_main();
	rt_finish();
}
