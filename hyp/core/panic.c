// SPDX-License-Identifier: Apache-2.0
#include <punt/arch/cpu.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/panic.h>

_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;
	uint64_t fp = (uint64_t)__builtin_frame_address(0);

	console_force_unlock();
	printk("\n****************************************\n");
	printk("Panic on CPU %u: ", this_cpu_id());
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	print_backtrace(fp, (uint64_t)__builtin_return_address(0));
	printk("****************************************\n");
	halt_all_cpus();
}

_Noreturn void halt_all_cpus(void)
{
	arch_cpu_stop_others();
	printk("CPU %u halted; all CPUs stopped.\n", this_cpu_id());
	arch_halt_this_cpu();
}
