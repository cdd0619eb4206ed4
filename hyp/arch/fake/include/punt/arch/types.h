// SPDX-License-Identifier: Apache-2.0
/*
 * The fake architecture's state types (the arch contract's per-architecture
 * header, as hyp/arch/arm64 has its own): plain C for the host unit tests.
 * There is no hardware: a vCPU's "registers" are a small frame, a domain's
 * stage-2 is a list of ranges, timers and interrupts are what the test sets
 * (fake/arch.h), and each structure also records what the core asked of it
 * so that tests can check. Single-threaded, like the tests: no locks.
 */
#ifndef PUNT_ARCH_TYPES_H
#define PUNT_ARCH_TYPES_H

#include <stdbool.h>
#include <stdint.h>

struct pcpu;

/* A vCPU's general registers: x0-x30 and where it resumes. */
struct cpu_regs {
	uint64_t x[31];
	uint64_t pc;
};

/* Virtual interrupts the fake tells apart (bits of arch_vcpu.pending). */
#define FAKE_VIRQ_UPCALL	 (1u << 0) /* arch_vcpu_raise_upcall() */
#define FAKE_VIRQ_EMULATED_TIMER (1u << 1) /* arch_vcpu_emulated_timer_check() */
#define FAKE_VIRQ_DEVICE	 (1u << 2) /* a physical line forwarded to the domain */
#define FAKE_VIRQ_UART		 (1u << 3) /* the emulated UART received a byte */

/* One mapping of the fake stage-2: nr frames from gfn to mfn.. */
struct fake_p2m_range {
	uint64_t gfn, mfn, nr;
	int type; /* enum p2m_type (punt/arch/p2m.h) */
};

#define FAKE_VUART_RX 64

struct arch_domain {
	bool initialised;	      /* arch_domain_init() ran and arch_domain_destroy() did not */
	bool hardware;		      /* its config asked for the hardware domain's layout */
	unsigned nr_spis;	      /* ... for these shared lines */
	bool vuart;		      /* ... for an emulated UART */
	char vuart_rx[FAKE_VUART_RX]; /* bytes arch_vuart_receive() gave it, oldest first */
	unsigned vuart_rx_len;
	bool vuart_ring;	      /* arch_vuart_connect() gave it a ring-backed UART */
	uint64_t vuart_ring_mfn;      /* ... in this frame */
	uint32_t vuart_port;	      /* ... signalled on this port of its own */
	unsigned vuart_backend_sends; /* the backend's sends that reached it */
	struct fake_p2m_range *p2m;   /* malloc'd, p2m_nr used of p2m_cap */
	unsigned p2m_nr, p2m_cap;
	uint64_t counter_offset; /* the counter when it was created: its virtual time zero */
};

struct arch_vcpu {
	struct cpu_regs regs;
	bool loaded;	    /* between arch_vcpu_load() and _save()/_drop() */
	unsigned loaded_on; /* the CPU it was last loaded on */
	unsigned resets, loads, saves, drops, flushes, upcalls, restarts;
	uint64_t timer;		   /* its own timer's deadline (fake_vcpu_set_timer()), 0 none */
	uint64_t emulated_timer;   /* the emulated timer's deadline, 0 none */
	bool emulated_timer_fired; /* raised since it was set */
	uint32_t pending;	   /* FAKE_VIRQ_* bits not yet taken by the "guest" */
};

struct arch_pcpu {
	uint64_t deadline;  /* what arch_timer_set_deadline() armed, 0 none */
	unsigned kicks;	    /* arch_cpu_kick() calls aimed at it */
	bool kick_pending;  /* a kick not yet taken by irq_handle_pending() */
	uint64_t raised[2]; /* device lines raised by the test, not yet handled (intid < 128) */
	unsigned idles;	    /* arch_cpu_wait_for_interrupt() calls */
};

/* The fake CPU that runs now (fake_cpu_switch(), fake/arch.h). */
extern struct pcpu *fake_current_cpu;
/* Idle: see fake/arch.h (time moves on to this CPU's deadline, or the test gets control back). */
void fake_cpu_idle(void);

static inline struct pcpu *arch_this_cpu(void)
{
	return fake_current_cpu;
}

static inline void arch_cpu_wait_for_interrupt(void)
{
	fake_cpu_idle();
}

#endif
