// SPDX-License-Identifier: Apache-2.0
/*
 * The micro-guest runtime: everything a conformance test may use. A test is one C file that
 * defines test_main(); the runtime boots (MMU on, identity map, caches on), parses the DT,
 * calls test_main(), prints "Test result: ..." and powers the machine off. Single-threaded
 * except for the interrupt handler and an optional second vCPU (rt_cpu_on()).
 */
#ifndef RT_H
#define RT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xen.h"

/* ---- platform facts from the DT the hypervisor gave us ---- */
#define RT_MAX_CPUS  8
#define RT_MAX_BANKS 8

struct rt_region {
	uint64_t base, size;
};

struct rt_platform {
	uint64_t dtb;
	uint64_t image_start, image_end;
	bool has_hypervisor_node;
	char hypervisor_compat[32]; /* first string of /hypervisor compatible */
	struct rt_region gnttab;    /* /hypervisor reg[0] */
	unsigned nr_ext;	    /* /hypervisor reg[1..]: extended regions */
	struct rt_region ext[RT_MAX_BANKS];
	uint64_t uart;	       /* an "arm,sbsa-uart" (a domU's vpl011), 0 if none */
	char bootargs[512];    /* /chosen/bootargs, "" if none */
	unsigned evtchn_intid; /* the upcall PPI's INTID (16..31), 0 if none */
	uint64_t gicd, gicr, gicr_size;
	unsigned nr_cpus;
	uint64_t cpu_mpidr[RT_MAX_CPUS];
	unsigned nr_banks;
	struct rt_region bank[RT_MAX_BANKS];
	char psci_method[8];
};

extern struct rt_platform rt_plat;

/* ---- output and verdicts ---- */
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_snprintf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int rt_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);
/* A character typed on our UART within `ms`, or -1 (none came, or we have no UART). */
int rt_getc(unsigned ms);

/* Record a failed expectation; the test goes on, the verdict becomes FAILURE. */
void rt_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* End the test now with SKIP or ERROR (the test could not run), never returns. */
void rt_skip(const char *why) __attribute__((noreturn));
void rt_error(const char *why) __attribute__((noreturn));
void rt_finish(void) __attribute__((noreturn));
unsigned rt_failures(void);

#define CHECK_EQ(got, want, what)                                                                  \
	do {                                                                                       \
		long long g_ = (long long)(got), w_ = (long long)(want);                           \
		if (g_ != w_)                                                                      \
			rt_fail(__FILE__, __LINE__, "%s: expected %lld (%#llx), got %lld (%#llx)", \
				what, w_, (unsigned long long)w_, g_, (unsigned long long)g_);     \
	} while (0)

#define CHECK(cond, what)                                                                          \
	do {                                                                                       \
		if (!(cond))                                                                       \
			rt_fail(__FILE__, __LINE__, "%s: expected %s", what, #cond);               \
	} while (0)

/* Stop the test with ERROR if a set-up step fails (a precondition, not the behaviour tested). */
#define REQUIRE_EQ(got, want, what)                                                                \
	do {                                                                                       \
		long long g_ = (long long)(got), w_ = (long long)(want);                           \
		if (g_ != w_) {                                                                    \
			rt_printf("setup failed: %s: expected %lld, got %lld (%s:%d)\n", what, w_, \
				  g_, __FILE__, __LINE__);                                         \
			rt_error(what);                                                            \
		}                                                                                  \
	} while (0)

/*
 * ---- probes: many small checks in one class guest (docs/conformance.md, "Probes") ----
 * PROBE(name, got, xen) prints "PROBE name got=G expect=X ok|FAIL" and fails the test like
 * CHECK_EQ when got != xen. `xen` is what Xen 4.17 returned when the test ran on it (say so
 * in a comment where the value is not obvious). Names are unique within a guest; names of
 * invalid-input probes start with "bad_". run.py compares each probe's value between the
 * two hypervisors and counts every probe as a test.
 */
void rt_probe(const char *file, int line, const char *name, long long got, long long xen);
#define PROBE(name, got, xen) rt_probe(__FILE__, __LINE__, name, (long long)(got), (long long)(xen))

/* ---- the test's own entry point ---- */
void test_main(void);

/* ---- hypercalls ---- */
long rt_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
uint64_t rt_smccc(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3);

static inline long hyp_xen_version(unsigned cmd, void *arg)
{
	return rt_hypercall(HYPERVISOR_xen_version, cmd, (uint64_t)arg, 0, 0, 0);
}
static inline long hyp_memory_op(unsigned cmd, void *arg)
{
	return rt_hypercall(HYPERVISOR_memory_op, cmd, (uint64_t)arg, 0, 0, 0);
}
static inline long hyp_vcpu_op(unsigned cmd, unsigned vcpu, void *arg)
{
	return rt_hypercall(HYPERVISOR_vcpu_op, cmd, vcpu, (uint64_t)arg, 0, 0);
}
static inline long hyp_evtchn_op(unsigned cmd, void *arg)
{
	return rt_hypercall(HYPERVISOR_event_channel_op, cmd, (uint64_t)arg, 0, 0, 0);
}
static inline long hyp_grant_table_op(unsigned cmd, void *arg, unsigned count)
{
	return rt_hypercall(HYPERVISOR_grant_table_op, cmd, (uint64_t)arg, count, 0, 0);
}
static inline long hyp_sched_op(unsigned cmd, void *arg)
{
	return rt_hypercall(HYPERVISOR_sched_op, cmd, (uint64_t)arg, 0, 0, 0);
}
static inline long hyp_hvm_op(unsigned cmd, void *arg)
{
	return rt_hypercall(HYPERVISOR_hvm_op, cmd, (uint64_t)arg, 0, 0, 0);
}
static inline long hyp_console_io(unsigned cmd, unsigned len, void *buf)
{
	return rt_hypercall(HYPERVISOR_console_io, cmd, len, (uint64_t)buf, 0, 0);
}

/* A guest virtual address that the runtime leaves unmapped in stage 1. */
#define RT_UNMAPPED_VA 0x0000001000000000ull

/* ---- shared_info and 2-level event channels ---- */
/* Map the hypervisor's shared_info page at a page of our image (once) and return it. */
struct shared_info *rt_shared_info(void);
/* vCPU0's vcpu_info once the test registered one (the upcall reads it), else NULL. */
extern struct vcpu_info *rt_registered_vcpu_info;
/*
 * The vcpu_info vCPU i (i > 0, the index into rt_plat.cpu_mpidr) registered: the upcall taken
 * on vCPU i reads it. Shared_info has only vCPU0's (XEN_LEGACY_MAX_VCPUS is 1 on Arm), so a
 * second vCPU that takes upcalls must register one and put it here.
 */
extern struct vcpu_info *rt_cpu_vcpu_info[RT_MAX_CPUS];
/* Upcall bookkeeping: what the interrupt handler saw. */
extern volatile unsigned rt_upcalls;	 /* event PPIs taken */
extern volatile unsigned rt_events_seen; /* ports dispatched (pending & ~mask) */
bool rt_event_seen(unsigned port);
/* Consume one dispatch of `port`: true (and forget it) if the upcall saw it since the last take. */
bool rt_event_take(unsigned port);
/* shared_info + GIC + the event PPI enabled + IRQs on: ready to receive upcalls. */
void rt_events_init(void); /* dispatched since the last reset */
void rt_events_reset(void);
/* Allocate a loopback pair: an unbound port (remote = self) and a port bound to it. */
long rt_evtchn_loopback(uint32_t *unbound, uint32_t *bound);
long rt_evtchn_close(uint32_t port);
long rt_evtchn_send(uint32_t port);
long rt_evtchn_status(uint32_t port, struct evtchn_status *st);
bool rt_port_pending(uint32_t port);
bool rt_port_masked(uint32_t port);
void rt_port_set_mask(uint32_t port, bool masked);
void rt_port_clear_pending(uint32_t port);

/* ---- GICv3 and interrupts ---- */
/* This vCPU's index into rt_plat.cpu_mpidr (0 if its MPIDR is not there). */
unsigned rt_cpu_index(void);
void rt_gic_init(void); /* distributor, our redistributor, CPU interface */
void rt_irq_enable_ppi(unsigned intid);
void rt_irq_on(void);
void rt_irq_off(void);
extern volatile unsigned rt_irq_count[32]; /* per PPI/SGI INTID */
/*
 * Called from the IRQ vector for each SPI taken, before its EOI (a level-triggered device's
 * handler silences the device there): NULL ignores SPIs.
 */
extern void (*volatile rt_spi_handler)(unsigned intid);
/* Wait (WFI) until cond() or about `ms` milliseconds of counter time pass. */
bool rt_wait_until(bool (*cond)(void), unsigned ms);

/* ---- generic timer ---- */
static inline uint64_t rt_cntfrq(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}
static inline uint64_t rt_cntvct(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}
void rt_delay_ms(unsigned ms);
/* CNTVCT_EL0 as the IRQ vector's first instructions read it (the latest IRQ taken). */
extern volatile uint64_t rt_irq_entry_ticks;

/* ---- PSCI / second vCPU ---- */
#define PSCI_VERSION		0x84000000u
#define PSCI_CPU_OFF		0x84000002u
#define PSCI_CPU_ON_64		0xC4000003u
#define PSCI_AFFINITY_INFO_64	0xC4000004u
#define PSCI_MIGRATE_INFO_TYPE	0x84000006u
#define PSCI_SYSTEM_OFF		0x84000008u
#define PSCI_FEATURES		0x8400000Au
#define SMCCC_VERSION		0x80000000u
#define SMCCC_ARCH_FEATURES	0x80000001u
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u
#define PSCI_RET_NOT_SUPPORTED	(-1)
#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_ALREADY_ON	(-4)

/* Start vCPU `cpu` (index into rt_plat.cpu_mpidr) running fn(arg) with the MMU on. */
long rt_cpu_on(unsigned cpu, void (*fn)(void *), void *arg);
/*
 * For several vCPUs at once, each on its own stack: prepare `stack` and return the context
 * (x0) of a PSCI CPU_ON at secondary_entry that runs fn(arg) on it with the MMU on. The
 * caller makes the call itself (HVC or SMC, either width) as often as it likes.
 */
uint64_t rt_secondary_context(void *stack, size_t size, void (*fn)(void *), void *arg);
extern char secondary_entry[];

/*
 * ---- scenarios: several micro-guests booted together as dom0less domains ----
 * A test whose source has a line "// domains: N" is booted as N xen,domain nodes, each with
 * the same image and these boot arguments (see docs/conformance.md):
 *   rt.domains=N rt.index=I rt.self=D rt.peer=P rt.port0=A rt.port1=B
 * Domains pair up by index (0 with 1, 2 with 3, ...); each pair is linked from boot by two
 * static event channels (A and B are this side's local ports), which carry the messages
 * below. Domain ids are 1..N in index order.
 */
struct rt_scenario {
	unsigned domains, index;
	domid_t self, peer;
	uint32_t port[2];
	unsigned hellos; /* hellos the even side sent before the odd side echoed one */
};
extern struct rt_scenario rt_scn;
/* Read the rt.* arguments and start taking upcalls; ERROR when not part of a scenario. */
void rt_scenario_init(void);
/* rt_scenario_init(), then this domain's role: `even` for index 0, 2, ..., `odd` for 1, 3, ... */
void rt_scenario_run(void (*even)(void), void (*odd)(void));
/*
 * A 32-bit value to / from the peer over the static channels, one bit per round trip (the
 * bit's port: port0 for 0, port1 for 1). Calls must pair up: one side sends while the other
 * receives. ERROR if the peer stays silent for RT_PEER_TIMEOUT_MS.
 */
void rt_peer_send(uint32_t v);
uint32_t rt_peer_recv(void);
/* Both sides call it: `rounds` round trips over the static channel on port0. */
void rt_peer_ping_pong(unsigned rounds);
/*
 * Both sides call it when done with checks that need the peer alive: a domain that powers
 * off is destroyed at once, which closes its channels and revokes its grants under the
 * other side's feet. Returns once both have got this far.
 */
void rt_peer_finish(void);
#define RT_PEER_TIMEOUT_MS 20000
/* Wait (giving the CPU away) until an upcall dispatched `port`, and consume it. */
bool rt_wait_until_event(uint32_t port, unsigned ms);

/* ---- grant tables (v1) from the guest side ---- */
/* Our grant table: frame 0 mapped at the /hypervisor window (once). */
volatile struct grant_entry_v1 *rt_gnttab(void);
/* Fill entry `ref`: page `page` (a GFN of ours) for domain `to`, flags written last. */
void rt_grant(grant_ref_t ref, domid_t to, const void *page, uint16_t flags);
/*
 * Guest-physical space for mapping other domains' pages (GNTTABOP_map_grant_ref host_addr
 * on Arm is a GPA): the first extended region (/hypervisor reg[1..]) below 4 GiB, else the
 * last RT_FOREIGN_PAGES pages below 4 GiB when no memory bank covers them.
 */
#define RT_FOREIGN_PAGES 16
uint64_t rt_foreign_area(void);

/*
 * ---- boot arguments (/chosen/bootargs, words separated by spaces) ----
 * rt_arg() copies the value of "key=value" into buf (NUL-terminated, truncated to len) and
 * returns true; a bare "key" has the value "". rt_arg_u64() reads a decimal or 0x-hex value
 * and returns false if the key is absent or the value is not a number.
 */
bool rt_arg(const char *key, char *buf, size_t len);
bool rt_arg_u64(const char *key, uint64_t *out);

/*
 * ---- hostile guests (tests/guests/fuzz) ----
 * rt_fault_hook, when set, sees every synchronous exception and SError the runtime takes
 * (not IRQs) first: it returns true when it handled it (e.g. moved ELR, frame[31], past a
 * probe that was expected to fault) and the runtime returns to the guest; false reports it as
 * a CRASH. frame[] holds x0..x30, then ELR, then SPSR.
 */
typedef bool (*rt_fault_hook_fn)(uint64_t kind, uint64_t *frame, uint64_t esr, uint64_t far);
extern rt_fault_hook_fn rt_fault_hook;
/* Map every GiB from 4 GiB to 512 GiB in stage 1 as Normal memory, identity (VA = IPA). */
void rt_map_high(void);

/* ---- misc ---- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
size_t rt_strnlen(const char *s, size_t max);
int rt_strncmp(const char *a, const char *b, size_t n);
bool rt_contains(const char *hay, size_t len, const char *needle);

static inline uint64_t rt_mpidr(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return v;
}

#define PAGE_SIZE    4096ul
#define PAGE_ALIGNED __attribute__((aligned(4096)))

#endif
