// SPDX-License-Identifier: Apache-2.0
/*
 * Physical CPU bring-up. The boot CPU starts each secondary listed in the
 * device tree through PSCI CPU_ON; the secondary enables its MMU with the
 * shared tables, sets up its GIC redistributor and timer, and joins the
 * scheduler.
 */
#include <asm/cache.h>
#include <asm/gic.h>
#include <asm/psci.h>
#include <asm/smp.h>
#include <asm/sysreg.h>
#include <asm/timer.h>
#include <asm/vgic.h>
#include <punt/bootinfo.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/arch/irq.h>
#include <punt/page_alloc.h>
#include <punt/sched.h>

extern char boot_stack[];
void secondary_entry(void);
_Noreturn void secondary_start(struct pcpu *cpu);

static void sgi_kick(uint32_t intid)
{
	(void)intid; /* the exit itself is the point: the scheduler looks again */
}

static void sgi_stop(uint32_t intid)
{
	(void)intid;
	arch_halt_this_cpu();
}

void arch_boot_cpu_init(void)
{
	struct pcpu *cpu = &pcpus[0];

	cpu->id = 0;
	cpu->mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
	cpu->arch.stack_base = (uint64_t)boot_stack;
	cpu->arch.stack_top = cpu->arch.stack_base + (PAGE_SIZE << CONFIG_STACK_SIZE_ORDER);
	cpu->online = true;
	write_sysreg(tpidr_el2, (uint64_t)cpu);
	irq_register(SGI_KICK, sgi_kick);
	irq_register(SGI_STOP, sgi_stop);
}

_Noreturn void secondary_start(struct pcpu *cpu)
{
	write_sysreg(tpidr_el2, (uint64_t)cpu);
	if (gic_init_cpu()) {
		printk("CPU %u: no GIC redistributor: parked\n", cpu->id);
		arch_halt_this_cpu();
	}
	timer_init_cpu();
	vgic_init_cpu();
	sched_init_cpu();
	dsb_sy();
	cpu->online = true;
	/* Other CPUs size their scheduling decisions by nr_pcpus: join once counted in. */
	while (__atomic_load_n(&nr_pcpus, __ATOMIC_ACQUIRE) <= cpu->id)
		cpu_relax();
	sched_start();
}

static bool wait_online(struct pcpu *cpu)
{
	uint64_t deadline = arch_timer_count() + timer_freq(); /* one second */

	while (!cpu->online) {
		if (arch_timer_count() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}

void arch_boot_secondaries(const struct boot_info *bi)
{
	uint64_t boot_mpidr = pcpus[0].mpidr;
	unsigned max = bi->nr_cpus < CONFIG_NR_CPUS ? bi->nr_cpus : CONFIG_NR_CPUS;

	if (bi->nr_cpus > CONFIG_NR_CPUS)
		printk("SMP: %u CPUs in the device tree, using the first %u (CONFIG_NR_CPUS)\n",
		       bi->nr_cpus, CONFIG_NR_CPUS);
	for (unsigned i = 0; i < max; i++) {
		uint64_t mpidr = bi->cpu_mpidr[i] & MPIDR_AFF_MASK;
		if (mpidr == boot_mpidr)
			continue;
		struct pcpu *cpu = &pcpus[nr_pcpus];
		uint64_t stack = page_alloc(CONFIG_STACK_SIZE_ORDER);
		if (!stack) {
			printk("SMP: no memory for the stack of CPU %#lx\n", mpidr);
			break;
		}
		cpu->id = nr_pcpus;
		cpu->mpidr = mpidr;
		cpu->arch.stack_base = stack;
		cpu->arch.stack_top = stack + (PAGE_SIZE << CONFIG_STACK_SIZE_ORDER);
		cpu->online = false;
		/*
		 * The secondary reads its block and writes its first stack frame with the MMU
		 * and caches off: neither may be left in this CPU's cache to be read, or written
		 * back, instead of memory.
		 */
		arch_dcache_clean_inval_range((uint64_t)cpu, sizeof(*cpu));
		arch_dcache_clean_inval_range(stack, PAGE_SIZE << CONFIG_STACK_SIZE_ORDER);
		int64_t rc = psci_cpu_on(mpidr, (uint64_t)secondary_entry, (uint64_t)cpu);
		if (rc) {
			printk("SMP: PSCI CPU_ON for MPIDR %#lx failed (%ld)\n", mpidr, rc);
			page_free(stack, CONFIG_STACK_SIZE_ORDER);
			continue;
		}
		if (!wait_online(cpu)) {
			/* It may still start later: its block must not be handed to another CPU. */
			printk("SMP: CPU with MPIDR %#lx did not come online: no more CPUs brought "
			       "up\n",
			       mpidr);
			break;
		}
		__atomic_store_n(&nr_pcpus, nr_pcpus + 1, __ATOMIC_RELEASE);
	}
	printk("Brought up %u CPU%s\n", nr_pcpus, nr_pcpus == 1 ? "" : "s");
}

void arch_cpu_kick(unsigned cpu)
{
	if (cpu != this_cpu_id())
		gic_send_sgi(cpu, SGI_KICK);
}

void arch_cpu_stop_others(void)
{
	for (unsigned i = 0; i < nr_pcpus; i++) {
		if (i != this_cpu_id() && pcpus[i].online)
			gic_send_sgi(i, SGI_STOP);
	}
}

_Noreturn void arch_halt_this_cpu(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;)
		wfi();
}
