// SPDX-License-Identifier: Apache-2.0
/*
 * A hostile domain's life: vCPU0 sets the boot up and starts its siblings, then every vCPU
 * runs the fuzz loop with its own generator. Besides the operations of hcall.c, cpu.c and
 * share.c the loop takes its own vCPUs off and on (PSCI CPU_OFF/CPU_ON, also racing each
 * other), fires bursts of cheap traps, and reboots the domain when a vCPU reaches its
 * reboot point, while the other vCPUs keep trapping: the hypervisor must tear the domain
 * down under their feet and build it again. When the machine's counter passes `end_ms` the
 * first vCPU to see it powers the domain off with the verdict.
 *
 * A boot's operations come from its seed: a fresh one each boot (the base seed mixed with
 * the physical counter, since a rebooted domain gets the same boot arguments), or the
 * `boot_seed` argument to replay one. Each vCPU's stream is seeded from the boot seed and
 * its index and no draw depends on a result (a few arguments do: the handles and ports the
 * hypervisor handed out), so a boot seed replays the operations each vCPU tries; how far
 * each vCPU gets before a sibling's reboot or its own CPU_OFF stops it, and what the
 * hypervisor does in between, depend on timing.
 */
#include "fuzz.h"

#define PSCI_CPU_OFF_ID	      0x84000002u
#define PSCI_CPU_SUSPEND_64   0xc4000001u
#define PSCI_CPU_ON_32	      0x84000003u
#define PSCI_AFFINITY_32      0x84000004u
#define PSCI_SYSTEM_RESET     0x84000009u
#define PSCI_SYSTEM_RESET2    0x84000012u
#define PSCI_SYSTEM_RESET2_64 0xc4000012u
#define PSCI_SUCCESS	      0
#define VCPUOP_up	      1
#define VCPUOP_down	      2
#define VCPUOP_is_up	      3
#define GICD_TYPER	      0x0004
#define GICR_STRIDE	      0x20000
#define GICR_TYPER	      0x0008
#define REBOOT_WAIT_MS	      3000

static struct fz_cpu cpus[FZ_MAX_CPUS];
static uint8_t stacks[FZ_MAX_CPUS][FZ_STACK_SIZE] __attribute__((aligned(16)));
/* The context each vCPU's CPU_ON passes (rt_secondary_context), read by fz_entry. */
uint64_t fz_entry_ctx[16];
/* A context fz_entry found instead of the one it expected, per vCPU (0: none). */
volatile uint64_t fz_bad_x0[16];
extern char fz_entry[];
uint64_t fz_smccc_smc(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3);

static volatile uint32_t online;    /* bit k: vCPU k runs the loop */
static volatile uint32_t storm;	    /* a reboot is coming: siblings hammer the hypervisor */
static volatile uint32_t storming;  /* bit k: vCPU k is in the storm */
static volatile uint32_t ending;    /* the run is over: a vCPU is powering the domain off */
static volatile uint32_t anomalies; /* "FUZZ FAIL" lines printed in this boot */
static uint64_t end_ticks;	    /* CNTPCT at which the run ends */
static uint64_t boot_cap_ticks;	    /* CNTVCT after which any vCPU reboots */
static uint64_t base_seed, reboot_ops;

static uint64_t cntpct(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

static uint64_t arg_or(const char *key, uint64_t dflt)
{
	uint64_t v;

	return rt_arg_u64(key, &v) ? v : dflt;
}

/* A hypervisor mistake that does not stop the fuzzer: printed at once, failed at the end. */
#define FZ_ANOMALY(...)                                                                            \
	do {                                                                                       \
		__atomic_fetch_add(&anomalies, 1, __ATOMIC_RELAXED);                               \
		FZ_PRINT("FUZZ FAIL: " __VA_ARGS__);                                               \
	} while (0)

static uint64_t psci(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3, bool smc)
{
	return smc ? fz_smccc_smc(id, a1, a2, a3) : rt_smccc(id, a1, a2, a3);
}

/* ---- starting our own vCPUs ---- */
int fz_sibling_of_mpidr(uint64_t m)
{
	/* Xen 4.17 (vaffinity_to_vcpuid): Aff0 | Aff1 << 4, the other levels ignored. */
	uint64_t xen = (m & 0xff) | ((m >> 8) & 0xff) << 4;

	if (xen < fz.nr_cpus)
		return (int)xen;
	/* Punt: the whole affinity must match. */
	for (unsigned i = 0; i < fz.nr_cpus; i++)
		if ((m & 0xff00ffffffull) == (fz.mpidr[i] & 0xff00ffffffull))
			return (int)i;
	return -1;
}

uint64_t fz_cpu_on_sibling(unsigned cpu, bool smc, bool wide)
{
	uint64_t id = wide ? PSCI_CPU_ON_64 : PSCI_CPU_ON_32;

	return psci(id, fz.mpidr[cpu], (uint64_t)fz_entry, fz_entry_ctx[cpu], smc);
}

static void vcpu_main(void *arg);

static uint64_t find_redistributor(unsigned id)
{
	uint64_t m = fz.mpidr[id];
	uint32_t aff = (uint32_t)((m & 0xffffff) | (m >> 32 & 0xff) << 24);

	for (uint64_t f = fz.gicr; f < fz.gicr + fz.gicr_size; f += GICR_STRIDE)
		if ((uint32_t)(*(volatile uint64_t *)(f + GICR_TYPER) >> 32) == aff)
			return f;
	return fz.gicr + id * GICR_STRIDE;
}

void fz_cpu_init(struct fz_cpu *c, unsigned id)
{
	uint64_t golden = 0x9e3779b97f4a7c15ull;

	*c = (struct fz_cpu){.id = id};
	c->rng = fz_mix(fz.boot_seed ^ (id + 1) * golden);
	/* The vCPU's reboot point: drawn first, so it depends on the seed alone. */
	uint64_t r = fz_mix(c->rng ^ 0x5eb007);
	c->reboot = (uint32_t)(reboot_ops / 4 + r % (reboot_ops * 3 / 2 + 1));
	c->scratch = fz.scratch + id * FZ_SCRATCH_SIZE;
	extern uint32_t fz_dyn[];
	c->dyn = fz_dyn + id * (4096 / 4);
	c->gicr = find_redistributor(id);
	c->foreign = fz.foreign + id * FZ_MAPS * PAGE_SIZE;
	fz_entry_ctx[id] = rt_secondary_context(stacks[id], sizeof(stacks[id]), vcpu_main, c);
}

/* ---- the end of the run and reboots ---- */
static uint64_t total_ops(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < fz.nr_cpus; i++)
		n += cpus[i].iter;
	return n;
}

static void faults_line(char *buf, size_t len)
{
	struct fz_faults f = {0};

	for (unsigned i = 0; i < fz.nr_cpus; i++) {
		f.undef += cpus[i].faults.undef;
		f.dabt += cpus[i].faults.dabt;
		f.serror += cpus[i].faults.serror;
		f.other += cpus[i].faults.other;
	}
	rt_snprintf(buf, len, "undef=%u dabt=%u serror=%u other=%u", f.undef, f.dabt, f.serror,
		    f.other);
}

static uint64_t boot_ms(void)
{
	return rt_cntvct() / (rt_cntfrq() / 1000);
}

static _Noreturn void finish_run(struct fz_cpu *c)
{
	char faults[96];

	fz_lock_print(); /* kept: the verdict is the domain's last line */
	faults_line(faults, sizeof(faults));
	rt_printf("FUZZ done seed=%#lx by v%u after boot_ms=%lu ops=%lu %s\n", fz.boot_seed, c->id,
		  boot_ms(), total_ops(), faults);
	fz_wake_done();
	/* Still a working guest: the hypervisor answers a plain call as before. */
	long v = hyp_xen_version(XENVER_version, NULL);
	rt_printf("FUZZ sane: xen_version %ld.%ld\n", v >> 16, v & 0xffff);
	CHECK(v > 0, "xen_version after fuzzing");
	CHECK_EQ(anomalies, 0, "hypervisor anomalies reported by FUZZ FAIL lines in this boot");
	rt_finish(); /* SCHEDOP_shutdown(poweroff) while the siblings keep fuzzing */
}

static const char *const reboot_names[] = {"sched_op", "psci-hvc", "psci-smc", "multicall",
					   "reset2+sched_op"};

static long reboot_call(unsigned how)
{
	struct sched_shutdown s = {SHUTDOWN_reboot};
	struct multicall_entry m[3] = {
	    {.op = HYPERVISOR_xen_version, .args = {XENVER_version}},
	    {.op = HYPERVISOR_sched_op, .args = {SCHEDOP_shutdown, (uint64_t)&s}},
	    {.op = HYPERVISOR_xen_version, .args = {XENVER_version}},
	};

	switch (how) {
	case 0:
		return hyp_sched_op(SCHEDOP_shutdown, &s);
	case 1:
		return (long)rt_smccc(PSCI_SYSTEM_RESET, 0, 0, 0);
	case 2:
		return (long)fz_smccc_smc(PSCI_SYSTEM_RESET, 0, 0, 0);
	case 3:
		return rt_hypercall(HYPERVISOR_multicall, (uint64_t)m, 3, 0, 0, 0);
	default:
		/* SYSTEM_RESET2 (PSCI 1.1, optional): neither Xen 4.17 nor Punt has it. */
		rt_smccc(fz_chance(1, 2) ? PSCI_SYSTEM_RESET2 : PSCI_SYSTEM_RESET2_64, 0, 0, 0);
		return hyp_sched_op(SCHEDOP_shutdown, &s);
	}
}

static void reboot(struct fz_cpu *c)
{
	char faults[96];
	unsigned how = (unsigned)fz_below(sizeof(reboot_names) / sizeof(reboot_names[0]));

	if (ending) {
		c->reboot = ~0u;
		return;
	}
	bool stormy = fz_chance(3, 4);
	faults_line(faults, sizeof(faults));
	FZ_PRINT("FUZZ reboot seed=%#lx by v%u via %s%s after boot_ms=%lu ops=%lu %s\n",
		 fz.boot_seed, c->id, reboot_names[how], stormy ? " in a storm" : "", boot_ms(),
		 total_ops(), faults);
	if (stormy) { /* the siblings running the loop join within a few ms */
		uint64_t give_up = rt_cntvct() + rt_cntfrq() / 1000 * 20;
		storm = 1;
		while ((storming | (1u << c->id)) != (online | (1u << c->id)) &&
		       rt_cntvct() < give_up)
			__asm__ volatile("yield");
	}
	struct fz_op *op = fz_log_begin('R', how);
	fz_wake_guard();
	long ret = reboot_call(how);
	fz_log_end(op, ret);
	/* The call does not return to a dying domain; give the hypervisor a moment anyway. */
	uint64_t until = rt_cntvct() + rt_cntfrq() / 1000 * REBOOT_WAIT_MS;
	while (rt_cntvct() < until)
		__asm__ volatile("yield");
	FZ_ANOMALY("v%u still runs %u ms after asking for a reboot via %s (returned %ld)\n", c->id,
		   REBOOT_WAIT_MS, reboot_names[how], ret);
	c->reboot = ~0u;
	storm = 0;
}

/* ---- our vCPUs off and on ---- */
/* Take this vCPU off (PSCI CPU_OFF), unless it is the last one running the loop. */
static void go_off(struct fz_cpu *c, bool smc)
{
	uint32_t bit = 1u << c->id, m = online;

	do {
		if (!(m & ~bit) || ending)
			return;
	} while (!__atomic_compare_exchange_n(&online, &m, m & ~bit, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	struct fz_op *op = fz_log_begin('C', PSCI_CPU_OFF_ID);
	fz_wake_done();
	uint64_t ret = psci(PSCI_CPU_OFF_ID, 0, 0, 0, smc);
	/* PSCI: CPU_OFF does not return when it succeeds. A sibling's CPU_ON starts us afresh. */
	fz_log_end(op, (long)ret);
	__atomic_fetch_or(&online, bit, __ATOMIC_SEQ_CST);
	FZ_ANOMALY("v%u: PSCI CPU_OFF returned %ld (a CPU_ON racing it must start the vCPU "
		   "afresh)\n",
		   c->id, (long)ret);
}

/* Ask `target` to go off and start it again at once: CPU_ON racing its CPU_OFF. */
static void race_on_off(struct fz_cpu *c, unsigned target, bool smc)
{
	struct fz_op *op = fz_log_begin('C', PSCI_CPU_ON_64);
	bool wide = fz_chance(1, 2);
	unsigned tries = 0;
	uint64_t ret = 0;

	op->a[0] = target;
	cpus[target].off_request = true;
	for (; tries < 512; tries++) {
		ret = fz_cpu_on_sibling(target, smc, wide);
		if (ret == PSCI_SUCCESS)
			break;
	}
	op->a[1] = tries;
	fz_log_end(op, (long)ret);
	(void)c;
}

void fz_lifecycle(void)
{
	struct fz_cpu *c = fz_me();
	unsigned kind = (unsigned)fz_below(20), target = (unsigned)fz_below(fz.nr_cpus);
	bool smc = fz_chance(1, 4);
	struct fz_op *op;

	if (kind < 7) { /* start a sibling (or ourselves: ALREADY_ON) */
		op = fz_log_begin('C', PSCI_CPU_ON_64);
		op->a[0] = target;
		fz_log_end(op, (long)fz_cpu_on_sibling(target, smc, fz_chance(1, 2)));
	} else if (kind < 9) { /* hot-unplug ourselves */
		go_off(c, smc);
	} else if (kind < 12) {
		if (target == c->id)
			target = (target + 1) % fz.nr_cpus;
		if (target != c->id)
			race_on_off(c, target, smc);
	} else if (kind < 14) {
		op = fz_log_begin('C', PSCI_AFFINITY_32);
		op->a[0] = target;
		fz_log_end(op, (long)psci(PSCI_AFFINITY_32, fz.mpidr[target], 0, 0, smc));
	} else if (kind < 17) { /* Xen's vCPU hot-plug calls: Arm guests get -EINVAL */
		const unsigned cmds[] = {VCPUOP_up, VCPUOP_down, VCPUOP_is_up};
		unsigned cmd = FZ_PICK(cmds);
		op = fz_log_begin('C', cmd);
		op->a[0] = target;
		fz_log_end(op, hyp_vcpu_op(cmd, target, NULL));
	} else { /* a standby CPU_SUSPEND, woken by our timer */
		op = fz_log_begin('C', PSCI_CPU_SUSPEND_64);
		fz_wake_guard();
		uint64_t ret = psci(PSCI_CPU_SUSPEND_64, 0, 0, 0, smc);
		fz_wake_done();
		fz_log_end(op, (long)ret);
	}
}

/* ---- bursts: the same cheap trap many times, so siblings are in the hypervisor a lot ---- */
uint64_t fz_ldr32(uint64_t);
#define TRAP_KINDS 7

static void prepare_trap(unsigned kind)
{
	if (kind != 4)
		return;
	/* SGIs: MSR ICC_SGI1R_EL1, x0 in this vCPU's instruction slot */
	fz_me()->dyn[0] = 0xd5000000u | 3u << 19 | 12u << 12 | 11u << 8 | 5u << 5;
	__asm__ volatile("dc cvau, %0; dsb ish; ic ivau, %0; dsb ish; isb" ::"r"(fz_me()->dyn)
			 : "memory");
}

/* One cheap trap of `kind`; i varies the target. */
static uint64_t trap(unsigned kind, unsigned i, unsigned target)
{
	switch (kind) {
	case 0:
		return (uint64_t)hyp_xen_version(XENVER_version, NULL);
	case 1: /* CPU_ON of a sibling, vCPU0 half of the time: ALREADY_ON or a start */
		return fz_cpu_on_sibling(i & 1 ? target : 0, false, i & 2);
	case 2:
		return fz_ldr32(fz.gicd + GICD_TYPER);
	case 3:
		return (uint64_t)rt_evtchn_send(fz.port[i % 3]);
	case 4: {
		/* TargetList bit `target` of Aff1 0, INTID 0..15. */
		uint64_t (*sgi)(uint64_t) = (uint64_t(*)(uint64_t))(void *)fz_me()->dyn;
		return sgi((1ull << target) | (uint64_t)(i & 15) << 24);
	}
	case 5:
		return (uint64_t)hyp_sched_op(SCHEDOP_yield, NULL);
	default:
		return rt_smccc(PSCI_VERSION, 0, 0, 0);
	}
}

void fz_burst(void)
{
	unsigned kind = (unsigned)fz_below(TRAP_KINDS), n = 8u << fz_below(5);
	unsigned target = (unsigned)fz_below(fz.nr_cpus);
	struct fz_op *op = fz_log_begin('B', kind);
	uint64_t sum = 0;

	op->a[0] = n;
	op->a[1] = target;
	prepare_trap(kind);
	for (unsigned i = 0; i < n; i++)
		sum += trap(kind, i, target);
	fz_log_end(op, (long)sum);
}

/*
 * A reboot is coming: trap without a pause until the domain goes (item 1 of issue 11: the
 * hypervisor tears a domain down while its other vCPUs keep entering it, some asking for
 * vCPU0 to be started again). If the domain is still here long after, fuzz on.
 */
static void storm_loop(struct fz_cpu *c)
{
	/* Mostly what item 1 names: CPU_ON of vCPU0 (or another sibling) and xen_version. */
	const unsigned kinds[] = {1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 3, 4, 5, 6, TRAP_KINDS};
	unsigned kind = FZ_PICK(kinds), target = (unsigned)fz_below(fz.nr_cpus);
	uint64_t until = rt_cntvct() + rt_cntfrq() / 1000 * (REBOOT_WAIT_MS + 1000);
	struct fz_op *op = fz_log_begin('B', 0x100 + kind);

	op->a[1] = target;
	__atomic_fetch_or(&storming, 1u << c->id, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; rt_cntvct() < until; i++) {
		unsigned k = kind < TRAP_KINDS ? kind : i % TRAP_KINDS; /* the last kind: all */
		if (k == 4 && (kind == 4 || i < TRAP_KINDS))
			prepare_trap(4);
		trap(k, i, target);
		op->a[0] = i;
	}
	__atomic_fetch_and(&storming, ~(1u << c->id), __ATOMIC_SEQ_CST);
	fz_log_end(op, 0);
}

/* ---- the loop ---- */
static void one_operation(void)
{
	unsigned r = (unsigned)fz_below(1000);

	if (r < 450)
		fz_hypercall();
	else if (r < 490)
		fz_multicall();
	else if (r < 560)
		fz_psci();
	else if (r < 680)
		fz_sysreg();
	else if (r < 850)
		fz_memory();
	else if (r < 950)
		fz_share();
	else if (r < 985)
		fz_burst();
	else
		fz_lifecycle();
}

static void progress(struct fz_cpu *c)
{
	FZ_PRINT("FUZZ v%u progress iter=%u undef=%u dabt=%u serror=%u other=%u\n", c->id, c->iter,
		 c->faults.undef, c->faults.dabt, c->faults.serror, c->faults.other);
}

static _Noreturn void run(struct fz_cpu *c)
{
	for (;;) {
		if (storm)
			storm_loop(c);
		if (c->off_request) {
			c->off_request = false;
			go_off(c, false);
		}
		if (cntpct() >= end_ticks && __atomic_exchange_n(&ending, 1, __ATOMIC_SEQ_CST) == 0)
			finish_run(c);
		if (fz.may_reboot && (c->iter >= c->reboot || rt_cntvct() >= boot_cap_ticks))
			reboot(c);
		if (fz.every && c->iter && c->iter % fz.every == 0)
			progress(c);
		one_operation();
		c->iter++;
	}
}

static void vcpu_main(void *arg)
{
	struct fz_cpu *c = arg;
	uint64_t sre;

	__asm__ volatile("msr tpidr_el1, %0" ::"r"(c));
	__asm__ volatile("mrs %0, icc_sre_el1" : "=r"(sre));
	__asm__ volatile("msr icc_sre_el1, %0; isb" ::"r"(sre | 1));
	uint64_t bad = __atomic_exchange_n(&fz_bad_x0[c->id], 0, __ATOMIC_SEQ_CST);
	if (bad)
		FZ_ANOMALY("v%u started with x0=%#lx, not the context %#lx its CPU_ON passed\n",
			   c->id, bad, fz_entry_ctx[c->id]);
	c->off_request = false; /* a request to the instance that went off is spent */
	__atomic_fetch_or(&online, 1u << c->id, __ATOMIC_SEQ_CST);
	run(c);
}

/* ---- vCPU0 at boot ---- */
static void world_init(void)
{
	const uint64_t mib = 1ull << 20;

	fz.self = (domid_t)arg_or("rt.self", 0);
	fz.peer = (domid_t)arg_or("rt.peer", 0);
	fz.canary = (domid_t)arg_or("canary", 0);
	fz.port[0] = (uint32_t)arg_or("rt.port0", 0);
	fz.port[1] = (uint32_t)arg_or("rt.port1", 0);
	fz.port[2] = (uint32_t)arg_or("canary_port", 0);
	fz.ram_base = rt_plat.bank[0].base;
	fz.ram_end = rt_plat.bank[0].base + rt_plat.bank[0].size;
	fz.nr_cpus = rt_plat.nr_cpus < FZ_MAX_CPUS ? rt_plat.nr_cpus : FZ_MAX_CPUS;
	for (unsigned i = 0; i < fz.nr_cpus; i++)
		fz.mpidr[i] = rt_plat.cpu_mpidr[i];
	fz.scratch = (uint8_t *)((rt_plat.image_end + 0xffff) & ~0xfffful);
	fz.victim =
	    ((uint64_t)fz.scratch + fz.nr_cpus * FZ_SCRATCH_SIZE + 2 * mib) & ~(2 * mib - 1);
	fz.uart = rt_plat.uart;
	fz.gicd = rt_plat.gicd;
	fz.gicr = rt_plat.gicr;
	fz.gicr_size = rt_plat.gicr_size;
	fz.gnttab = rt_plat.gnttab.base;
	/* Room for every vCPU's foreign pages: an extended region, else a hole below 4 GiB. */
	uint64_t need = FZ_MAX_CPUS * FZ_MAPS * PAGE_SIZE;
	fz.foreign = (4ull << 30) - need;
	for (unsigned i = 0; i < rt_plat.nr_ext; i++)
		if (rt_plat.ext[i].size >= need && rt_plat.ext[i].base + need <= 4ull << 30) {
			fz.foreign = rt_plat.ext[i].base;
			break;
		}
	if (!rt_plat.nr_banks || rt_plat.image_start < fz.ram_base ||
	    fz.victim + 4 * mib > fz.ram_end || !fz.self || !fz.peer || !fz.canary ||
	    fz.foreign < fz.ram_end)
		rt_error("the fuzzer needs its image at the start of a bank of >= 8 MiB, a peer, a "
			 "canary and a hole below 4 GiB (tests/guests/fuzz.py)");
}

void fuzzer_main(void)
{
	uint64_t end_ms = arg_or("end_ms", 20000);

	world_init();
	base_seed = arg_or("seed", 1);
	reboot_ops = arg_or("reboot_ops", 800);
	fz.boot_seed = fz_mix(base_seed ^ fz_mix(cntpct()));
	rt_arg_u64("boot_seed", &fz.boot_seed);
	fz.trace_from = (uint32_t)arg_or("trace", ~0u);
	fz.odd_hvc = arg_or("odd_hvc", 1) != 0;
	fz.may_reboot = arg_or("reboot", 1) != 0;
	fz.every = arg_or("progress", 2000);
	/*
	 * A domain that reboots cannot know when its first boot was: it counts from the
	 * machine's start (the physical counter). One that does not (Xen, where boots take
	 * longer) counts from its own creation, when its virtual counter was 0.
	 */
	end_ticks = rt_cntfrq() / 1000 * end_ms + (fz.may_reboot ? 0 : cntpct() - rt_cntvct());
	boot_cap_ticks = rt_cntfrq() / 1000 * arg_or("boot_cap_ms", 15000);
	rt_irq_off(); /* the runtime's upcall would read a shared_info we may move */
	rt_map_high();
	rt_fault_hook = fz_fault_hook;
	for (unsigned i = 0; i < fz.nr_cpus; i++)
		fz_cpu_init(&cpus[i], i);
	__asm__ volatile("msr tpidr_el1, %0" ::"r"(&cpus[0]));
	rt_printf("FUZZ boot seed=%#lx (base %lu) d%u with %u vCPUs, peer d%u, canary d%u, "
		  "victim %#lx-%#lx, foreign %#lx\n",
		  fz.boot_seed, base_seed, fz.self, fz.nr_cpus, fz.peer, fz.canary, fz.victim,
		  fz.ram_end, fz.foreign);
	if (cntpct() >= end_ticks) {
		ending = 1;
		finish_run(&cpus[0]);
	}
	fz_share_init();
	online = 1;
	for (unsigned i = 1; i < fz.nr_cpus; i++) {
		uint64_t ret =
		    psci(PSCI_CPU_ON_64, fz.mpidr[i], (uint64_t)fz_entry, fz_entry_ctx[i], false);
		/* A sibling started first may have started it already. */
		if (ret != PSCI_SUCCESS && ret != (uint64_t)PSCI_RET_ALREADY_ON)
			FZ_ANOMALY("v0: CPU_ON of v%u at boot returned %ld\n", i, (long)ret);
	}
	vcpu_main(&cpus[0]);
}
