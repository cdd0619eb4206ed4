// SPDX-License-Identifier: Apache-2.0
/*
 * The fake architecture's controls, for host tests (hyp/arch/fake implements
 * the arch contract, hyp/include/punt/arch/, on the host). A test sets what
 * hardware would decide (time, interrupts, which CPU runs, failures) and
 * reads back what the core asked of the architecture (kicks, deadlines,
 * injected interrupts, restarts, console output); per-vCPU and per-domain
 * records are fields of struct arch_vcpu / arch_domain (punt/arch/types.h).
 *
 * Machine addresses are host addresses, and so are guest virtual addresses:
 * a test passes a pointer to its own buffer where a guest would pass a
 * virtual address (below 4096 faults). The fake CPUs run one at a time, on
 * the test's thread.
 */
#ifndef FAKE_ARCH_H
#define FAKE_ARCH_H

#include <punt/arch/cpu.h>
#include <punt/arch/p2m.h>
#include <punt/arch/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct domain;
struct vcpu;

/* ---- the machine ---- */

/* The counter's frequency (QEMU virt's): 16 ns a tick, so ticks and ns are never confused. */
#define FAKE_COUNTER_HZ 62500000u
/* Physical lines of the fake interrupt controller: private 0-31, shared 32 up to this. */
#define FAKE_NR_IRQ_LINES 96u

/*
 * Forget everything the fake holds: CPUs 0 .. nr_cpus - 1 online in pcpus[]
 * (nr_pcpus = nr_cpus), CPU 0 running, time zero, no interrupt raised or
 * handler registered, no failure armed, the console output empty. The core's
 * own state is the test's to set up (memory_init(), sched_init_cpu(), ...).
 */
void fake_arch_reset(unsigned nr_cpus);
/* Run on CPU cpu from now on: this_cpu() is pcpus[cpu]. */
void fake_cpu_switch(unsigned cpu);

/*
 * How a call into the core ended. The contract's functions that never return
 * (arch_system_off(), arch_halt_this_cpu(), arch_run_guests(), an idle CPU
 * that nothing will wake) end the call that fake_run() made instead.
 */
enum fake_stop {
	FAKE_RETURNED,	   /* fn returned */
	FAKE_SYSTEM_OFF,   /* arch_system_off() */
	FAKE_SYSTEM_RESET, /* arch_system_reset() */
	FAKE_CPU_HALTED,   /* arch_halt_this_cpu() */
	FAKE_GUESTS_RUN,   /* arch_run_guests(): the boot path is over */
	FAKE_IDLE_FOREVER, /* idle with no deadline armed and nothing pending */
	FAKE_CPU_WAITS,	   /* passes through the scheduler again and again, waiting for
			      another CPU (a teardown's grace period), which on the host
			      cannot run meanwhile */
};
enum fake_stop fake_run(void (*fn)(void *), void *arg);
/* How the last call that stopped did (FAKE_RETURNED if none has since fake_arch_reset()). */
enum fake_stop fake_last_stop(void);

/* ---- time ---- */

/* The counter, in ticks of FAKE_COUNTER_HZ; it moves only when a test (or an idle CPU) moves it. */
void fake_time_set(uint64_t count);
void fake_time_advance_ns(uint64_t ns);

/*
 * An idle CPU (arch_cpu_wait_for_interrupt()) returns at once when something
 * is pending for it (a kick, a raised line, a deadline that has passed).
 * Otherwise time moves on to its deadline when it has one, and with none the
 * call that fake_run() made stops with FAKE_IDLE_FOREVER. A CPU that re-arms
 * its deadline FAKE_SPIN_LIMIT times within one fake_run() is waiting for
 * another CPU: the call stops with FAKE_CPU_WAITS.
 */
#define FAKE_SPIN_LIMIT 10000u

/* ---- interrupts ---- */

/* A device raises physical line intid (32 <= intid < FAKE_NR_IRQ_LINES) at CPU cpu. */
void fake_irq_raise(unsigned cpu, uint32_t intid);
/* Whether irq_enable() was asked for intid. */
bool fake_irq_enabled(uint32_t intid);
/*
 * arch_irq_pending() (the preemption poll, punt/arch/preempt.h) also answers
 * yes on its nth call from now, once (0: only for what is really pending).
 */
void fake_preempt_at(unsigned nth_poll);
/* How many times arch_irq_pending() was asked since fake_arch_reset() or fake_preempt_at(). */
unsigned fake_preempt_polls(void);

/* ---- vCPUs (their records: struct arch_vcpu) ---- */

/* v's own timer (the one the hardware runs while v is loaded): arch_vcpu_save() reports it. */
void fake_vcpu_set_timer(struct vcpu *v, uint64_t count);
/* v's emulated timer (arch_vcpu_emulated_timer_deadline() / _check()). */
void fake_vcpu_set_emulated_timer(struct vcpu *v, uint64_t count);
/* The "guest" takes v's pending virtual interrupts: arch_vcpu_has_pending_irq() says no again. */
void fake_vcpu_take_irqs(struct vcpu *v);
/*
 * Call fn(v, arg) whenever the core drops a vCPU of a dying domain (arch_vcpu_drop()), once,
 * before the core goes on: what other CPUs do at that moment (NULL: nothing).
 */
void fake_on_vcpu_drop(void (*fn)(struct vcpu *v, void *arg), void *arg);

/* ---- memory ---- */

/* Frames of d's stage-2 mapped with type t. */
uint64_t fake_p2m_frames(struct domain *d, enum p2m_type t);

/* The last cache maintenance the core asked for (punt/arch/cache.h). */
enum fake_cache_kind {
	FAKE_CACHE_NONE,
	FAKE_CACHE_CLEAN,
	FAKE_CACHE_CLEAN_INVAL,
	FAKE_CACHE_INVAL
};
struct fake_cache_op {
	enum fake_cache_kind kind;
	uint64_t start, size;
};
struct fake_cache_op fake_cache_last(void);
/* Forget it: fake_cache_last() says FAKE_CACHE_NONE until the next one. */
void fake_cache_clear(void);

/* ---- failures a test arms: the nth call from now of the operation fails, once ---- */

enum fake_failure {
	FAKE_FAIL_P2M_MAP,     /* p2m_map(): -XEN_ENOMEM */
	FAKE_FAIL_GUEST_COPY,  /* copy_from_guest() / copy_to_guest(): -XEN_EFAULT */
	FAKE_FAIL_DOMAIN_INIT, /* arch_domain_init(): -1 */
	FAKE_NR_FAILURES,
};
void fake_fail_at(enum fake_failure what, unsigned nth);

/* ---- the console UART (punt/pl011.h) ---- */

/* Everything written to the UART since fake_arch_reset() or fake_uart_clear(), '\r' left out. */
const char *fake_uart_output(void);
void fake_uart_clear(void);
/* Bytes the UART receives (console_rx_interrupt() reads them). */
void fake_uart_input(const char *s, size_t n);

/* ---- spinlocks ---- */

/*
 * How many locks are held now (a test checks the core let go of every one).
 * Taking a held lock, releasing a free one, or taking two locks in the
 * opposite order to one seen before (since fake_arch_reset()) stops the test.
 */
unsigned fake_spin_locks_held(void);

/*
 * The backend side of a fake ring-backed UART (arch_vuart_connect()): the hypervisor's end
 * sends on d's ring port (evtchn_hyp_send()); what it returns. The backend's sends to that
 * port are counted in d->arch.vuart_backend_sends.
 */
int fake_vuart_send(struct domain *d);

#endif
