// SPDX-License-Identifier: Apache-2.0
/*
 * The arch contract, physical CPUs: bringing them up, which one this is,
 * idling, signalling another, and stopping (one CPU, every CPU, or the
 * machine through the firmware). Punt runs with interrupts masked while it
 * works, so none of these is ever called from an interrupt handler's
 * context, and none takes a lock of the caller's.
 */
#ifndef PUNT_ARCH_CPU_H
#define PUNT_ARCH_CPU_H

#include <punt/arch/types.h>
#include <stddef.h>
#include <stdint.h>

struct boot_info;
struct pcpu;

/* ---- bring-up (core/main.c, in this order) ---- */

/* First thing on the boot CPU: pcpus[0] becomes this_cpu() (punt/cpu.h). */
void arch_boot_cpu_init(void);
/*
 * After memory_init(): the interrupt controller, the firmware interface, the
 * timers and the virtual devices' global state from the boot information,
 * and the boot CPU's share of them. 0, or -1 with a message in err.
 */
int arch_init(const struct boot_info *bi, char *err, size_t errlen);
/*
 * Start every other CPU the boot information lists (at most CONFIG_NR_CPUS)
 * and count each in (nr_pcpus) once it runs; each one then schedules
 * (sched_init_cpu(), sched_start()). A CPU that does not start is reported
 * and left out.
 */
void arch_boot_secondaries(const struct boot_info *bi);
/*
 * This CPU leaves its boot path for good and runs guests: before every
 * entry into a guest, guest_prepare_entry() (punt/sched.h) picks the vCPU.
 */
_Noreturn void arch_run_guests(void);

/* ---- this CPU ---- */

/* The struct pcpu of the CPU this runs on. Static inline (punt/arch/types.h). */
static inline struct pcpu *arch_this_cpu(void);
/*
 * Sleep until an interrupt is pending for this CPU. It is not taken here:
 * irq_handle_pending() (punt/arch/irq.h) takes it. Static inline
 * (punt/arch/types.h).
 */
static inline void arch_cpu_wait_for_interrupt(void);
/* Make CPU cpu leave its guest or its wait and pass through the scheduler; no-op for this CPU. */
void arch_cpu_kick(unsigned cpu);

/* ---- stopping ---- */

/* Stop this CPU for good, interrupts masked. */
_Noreturn void arch_halt_this_cpu(void);
/* Ask every other online CPU to halt (a panic); returns at once. */
void arch_cpu_stop_others(void);
/* The machine's end, through the firmware (on Arm, PSCI SYSTEM_OFF / SYSTEM_RESET). */
_Noreturn void arch_system_off(void);
_Noreturn void arch_system_reset(void);
/* Print the call chain from frame pointer fp (a panic report). */
void print_backtrace(uint64_t fp, uint64_t pc);

#endif
