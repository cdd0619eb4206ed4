// SPDX-License-Identifier: Apache-2.0
/*
 * The crash report for exceptions Punt takes at EL2 itself: these are always
 * bugs in Punt (guests' faults arrive through the lower-EL vectors).
 */
#include <asm/mmu.h>
#include <asm/regs.h>
#include <asm/sysreg.h>
#include <punt/arch/cpu.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/panic.h>

static const char *const kind_names[] = {"synchronous", "IRQ", "FIQ", "SError", "AArch32 lower-EL"};

static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case ESR_EC_UNKNOWN:
		return "unknown/undefined instruction";
	case ESR_EC_IABT_CUR:
		return "instruction abort at EL2";
	case ESR_EC_DABT_CUR:
		return "data abort at EL2";
	case ESR_EC_PC_ALIGN:
		return "PC alignment fault";
	case ESR_EC_SP_ALIGN:
		return "SP alignment fault";
	case ESR_EC_SERROR:
		return "SError";
	case ESR_EC_BRK:
		return "BRK instruction";
	case ESR_EC_SYSREG:
		return "trapped system register access";
	case ESR_EC_FP:
		return "FP/SIMD access";
	default:
		return "other";
	}
}

static bool on_stack(uint64_t addr, uint64_t size)
{
	struct pcpu *cpu = this_cpu();

	return addr >= cpu->arch.stack_base && addr + size <= cpu->arch.stack_top && !(addr & 7);
}

void print_backtrace(uint64_t fp, uint64_t pc)
{
	printk("Backtrace:\n");
	printk("  [<%016lx>]\n", pc);
	for (unsigned depth = 0; depth < 32 && fp && on_stack(fp, 16); depth++) {
		const uint64_t *frame = (const uint64_t *)fp;
		uint64_t lr = frame[1];
		if (!lr)
			break;
		printk("  [<%016lx>]\n", lr - 4);
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
	printk("  (Punt loaded at %016lx: subtract it to look addresses up in punt.elf)\n",
	       arch_mm_image_base());
}

void hyp_exception(struct cpu_regs *regs, unsigned kind);

void hyp_exception(struct cpu_regs *regs, unsigned kind)
{
	uint64_t esr = read_sysreg(esr_el2);
	uint64_t far = read_sysreg(far_el2);
	unsigned ec = esr >> ESR_EC_SHIFT;

	console_force_unlock();
	printk("\n****************************************\n");
	printk("Unexpected EL2 exception on CPU %u: %s, EC %#x (%s)\n", this_cpu_id(),
	       kind < 5 ? kind_names[kind] : "?", ec, ec_name(ec));
	printk("ESR %016lx  FAR %016lx\n", esr, far);
	printk("ELR %016lx  SPSR %016lx  SP %016lx\n", regs->elr, regs->spsr, regs->sp);
	for (unsigned i = 0; i < 30; i += 2)
		printk("x%-2u %016lx  x%-2u %016lx\n", i, regs->x[i], i + 1, regs->x[i + 1]);
	printk("x30 %016lx\n", regs->x[30]);
	print_backtrace(regs->x[29], regs->elr);
	printk("****************************************\n");
	halt_all_cpus();
}
