// SPDX-License-Identifier: Apache-2.0
/*
 * The fuzzer's loop: seeded generator, the pools of interesting values, the operation log
 * and the fault hook that lets probes fault. What it never targets, and why:
 * - its own image, stack and argument scratch ([ram_base, victim)): a GPFN or pointer the
 *   hypervisor may unmap, replace or write through would break the fuzzer, not the
 *   hypervisor. Only pages in [victim, ram_end) are given away.
 * - the GIC and UART pages as GPFNs: RAM mapped over them would hide the emulated devices
 *   it needs to wake up and to print.
 * - UART stores: they would garble or stop its own console.
 * - SCHEDOP_shutdown, SCHEDOP_watchdog, PSCI CPU_OFF/SYSTEM_*: they end the run.
 */
#include "fuzz.h"

struct fz_world fz;
struct fz_faults fz_faults;
extern char fz_probe_start[], fz_probe_end[];

static uint64_t rng_state;
static uint32_t iteration;
static uint32_t trace_from = ~0u;

uint64_t fz_rand(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- pools ---- */
static bool protected_gfn(uint64_t lo, uint64_t hi) /* [lo, hi) */
{
	const uint64_t ranges[][2] = {
	    {fz.ram_base >> 12, fz.victim >> 12},
	    {fz.gicd >> 12, (fz.gicd + 0x10000) >> 12},
	    {fz.gicr >> 12, (fz.gicr + fz.gicr_size) >> 12},
	    {fz.uart >> 12, (fz.uart >> 12) + 1},
	};

	for (unsigned i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (lo < ranges[i][1] && hi > ranges[i][0])
			return true;
	return false;
}

static uint64_t victim_gfn(void)
{
	return (fz.victim >> 12) + fz_below((fz.ram_end - fz.victim) >> 12);
}

uint64_t fz_safe_gpfn(uint64_t gpfn, unsigned order)
{
	if (order >= 40)
		return victim_gfn();
	uint64_t n = 1ull << order, lo = gpfn & ~(n - 1), hi = gpfn + n;
	if (hi < gpfn || protected_gfn(lo, hi))
		return victim_gfn();
	return gpfn;
}

uint64_t fz_gpfn(void)
{
	const uint64_t fixed[] = {0,	    1,		 0x100,	     0x8000,	 0x10000,
				  0x38000,  0x3ffff,	 0x80000,    0xfffff,	 0x100000,
				  0x200000, 1ull << 27,	 1ull << 28, 1ull << 36, 1ull << 52,
				  ~0ull,    ~0ull >> 12, 0x7fffffff, 0xffffffff};
	uint64_t g;

	switch (fz_below(8)) {
	case 0:
	case 1:
	case 2:
		g = victim_gfn();
		break;
	case 3:
		g = FZ_PICK(fixed);
		break;
	case 4:
		g = (fz.ram_end >> 12) + fz_below(3);
		break;
	case 5: /* where grants are meant to be mapped: an extended region, the grant window */
		g = fz_chance(2, 3) ? (fz.foreign >> 12) + fz_below(16)
				    : (fz.gnttab >> 12) + fz_below(4);
		break;
	case 6:
		g = fz_below(1ull << 28);
		break;
	default:
		g = fz_rand();
		break;
	}
	return fz_safe_gpfn(g, 0);
}

uint64_t fz_ptr(void)
{
	const uint64_t fixed[] = {0,
				  8,
				  0x1000,
				  0x10000000,
				  0x3ffffff8,
				  0x80000000,
				  0xfffffff8,
				  1ull << 32,
				  1ull << 36,
				  (1ull << 39) - 8,
				  1ull << 39,
				  1ull << 40,
				  1ull << 47,
				  1ull << 48,
				  0x0000fffffffff000ull,
				  0xffff000000000000ull,
				  0xffff800010000000ull,
				  0xfffffffffffff000ull,
				  ~0ull,
				  ~0ull - 7};
	const uint64_t offsets[] = {0, 0, 8, 1, 7, 2048, 4088, 4092, 4095};
	uint64_t s = (uint64_t)fz.scratch;

	switch (fz_below(10)) {
	case 0:
	case 1:
	case 2:
		return s + 0x20000 + fz_below(4) * PAGE_SIZE + FZ_PICK(offsets);
	case 3:
		return (victim_gfn() << 12) + FZ_PICK(offsets);
	case 4:
		return fz.ram_end - 8 + fz_below(16);
	case 5:
		return FZ_PICK(fixed);
	case 6: {
		const uint64_t mmio[] = {fz.gicd, fz.gicr, fz.uart, fz.gnttab};
		return FZ_PICK(mmio) + fz_below(4) * 8;
	}
	case 7:
		return fz_below(1ull << 32);
	case 8:
		return fz_below(1ull << 39);
	default:
		return fz_rand();
	}
}

uint64_t fz_any(void)
{
	const uint64_t fixed[] = {
	    0,	     1,		 2,	     3,		 4,	     7,		 8,	 15,
	    16,	     31,	 32,	     63,	 64,	     0x7f,	 0x80,	 0xff,
	    0x100,   0x1000,	 0x7fff,     0x7ff0,	 0x7ff1,     0x7ff2,	 0x7ff4, 0xffff,
	    0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 1ull << 32, 1ull << 63, ~0ull,	 ~0ull - 1};

	switch (fz_below(8)) {
	case 0:
	case 1:
	case 2:
		return FZ_PICK(fixed);
	case 3:
		return fz_chance(1, 2) ? fz.self : fz.canary;
	case 4:
		return fz_ptr();
	case 5:
		return fz_gpfn();
	case 6:
		return fz_below(256);
	default:
		return fz_rand();
	}
}

domid_t fz_domid(void)
{
	const domid_t fixed[] = {DOMID_SELF, DOMID_IO, DOMID_XEN, DOMID_COW, DOMID_INVALID,
				 DOMID_IDLE, 0,	       3,	  4,	     0x7fef,
				 0x8000,     0xffff};

	switch (fz_below(8)) {
	case 0:
	case 1:
	case 2:
		return fz.canary;
	case 3:
		return fz.self;
	case 4:
		return DOMID_SELF;
	case 5:
	case 6:
		return FZ_PICK(fixed);
	default:
		return (domid_t)fz_rand();
	}
}

uint32_t fz_port(void)
{
	const uint32_t fixed[] = {0,  1,  2,  3,    4,	  5,	8,    10,	  11,	     20,
				  21, 63, 64, 1023, 1024, 4095, 4096, 0x80000000, 0xffffffff};

	switch (fz_below(5)) {
	case 0:
		return fz.port[fz_below(2)];
	case 1:
	case 2:
		return FZ_PICK(fixed);
	case 3:
		return (uint32_t)fz_below(64);
	default:
		return (uint32_t)fz_rand();
	}
}

uint32_t fz_ref(void)
{
	const uint32_t fixed[] = {0, 1, 1, 2, 2, 3, 3, 4, 7, 8, 9, 511, 512, 1023, 0xffffffff};

	if (fz_chance(1, 6))
		return (uint32_t)fz_rand();
	return FZ_PICK(fixed);
}

uint32_t fz_vcpu(void)
{
	const uint32_t fixed[] = {0, 0, 0, 1, 2, 7, 127, 128, 0xffffffff};

	if (fz_chance(1, 8))
		return (uint32_t)fz_rand();
	return FZ_PICK(fixed);
}

/* ---- the log ---- */
#define LOG_SIZE 32
static struct fz_op ring[LOG_SIZE];
static unsigned ring_next;

static void print_op(const struct fz_op *op)
{
	rt_printf("FUZZ op %u %c %#x a=%#lx,%#lx,%#lx,%#lx,%#lx ret=%ld\n", op->iter, op->kind,
		  op->nr, op->a[0], op->a[1], op->a[2], op->a[3], op->a[4], op->ret);
}

struct fz_op *fz_log_begin(char kind, uint32_t nr)
{
	struct fz_op *op = &ring[ring_next++ % LOG_SIZE];

	*op = (struct fz_op){.iter = iteration, .kind = kind, .nr = nr, .ret = -9999};
	return op;
}

void fz_log_end(struct fz_op *op, long ret)
{
	op->ret = ret;
	if (iteration >= trace_from)
		print_op(op);
}

void fz_log_dump(unsigned n)
{
	unsigned have = ring_next < LOG_SIZE ? ring_next : LOG_SIZE;

	if (n > have)
		n = have;
	rt_printf("FUZZ last %u operations (iteration kind number args result):\n", n);
	for (unsigned i = ring_next - n; i != ring_next; i++)
		print_op(&ring[i % LOG_SIZE]);
}

/* ---- expected faults ---- */
#define EC_UNKNOWN  0x00
#define EC_DABT_CUR 0x25

static bool fault_hook(uint64_t kind, uint64_t *frame, uint64_t esr, uint64_t far)
{
	uint64_t elr = frame[31];

	(void)far;
	if ((kind & 3) == 3) { /* SError: asynchronous, nothing to step over */
		fz_faults.serror++;
		return true;
	}
	if (elr < (uint64_t)fz_probe_start || elr >= (uint64_t)fz_probe_end) {
		rt_printf("FUZZ unexpected fault outside the probes (seed and iteration "
			  "replay it)\n");
		fz_log_dump(LOG_SIZE);
		return false;
	}
	switch (esr >> 26) {
	case EC_UNKNOWN:
		fz_faults.undef++;
		break;
	case EC_DABT_CUR:
		fz_faults.dabt++;
		break;
	default:
		fz_faults.other++;
		break;
	}
	frame[31] = elr + 4;
	return true;
}

/* ---- set-up and the loop ---- */
static uint64_t arg_or(const char *key, uint64_t dflt)
{
	uint64_t v;

	return rt_arg_u64(key, &v) ? v : dflt;
}

static void world_init(void)
{
	const uint64_t mib = 1ull << 20;

	fz.self = rt_scn.self;
	fz.canary = rt_scn.peer;
	fz.port[0] = rt_scn.port[0];
	fz.port[1] = rt_scn.port[1];
	fz.ram_base = rt_plat.bank[0].base;
	fz.ram_end = rt_plat.bank[0].base + rt_plat.bank[0].size;
	fz.scratch = (uint8_t *)((rt_plat.image_end + 0xffff) & ~0xfffful);
	fz.victim = ((uint64_t)fz.scratch + FZ_SCRATCH_SIZE + 2 * mib) & ~(2 * mib - 1);
	fz.uart = rt_plat.uart;
	fz.gicd = rt_plat.gicd;
	fz.gicr = rt_plat.gicr;
	fz.gicr_size = rt_plat.gicr_size;
	fz.gnttab = rt_plat.gnttab.base;
	fz.foreign = rt_plat.nr_ext ? rt_plat.ext[0].base : fz.gnttab;
	if (!rt_plat.nr_banks || rt_plat.image_start < fz.ram_base ||
	    fz.victim + 4 * mib > fz.ram_end)
		rt_error("the fuzzer needs its image at the start of a bank of >= 8 MiB");
	rt_printf("FUZZ world: self d%u canary d%u ram %#lx-%#lx image %#lx-%#lx scratch %#lx "
		  "victim pages %#lx-%#lx\n",
		  fz.self, fz.canary, fz.ram_base, fz.ram_end, rt_plat.image_start,
		  rt_plat.image_end, (uint64_t)fz.scratch, fz.victim, fz.ram_end);
}

static void one_operation(void)
{
	unsigned r = (unsigned)fz_below(100);

	if (r < 50)
		fz_hypercall();
	else if (r < 54)
		fz_multicall();
	else if (r < 62)
		fz_psci();
	else if (r < 76)
		fz_sysreg();
	else
		fz_memory();
}

static void progress(uint64_t seed, const char *what)
{
	rt_printf("FUZZ %s seed=%lu iter=%u undef=%u dabt=%u serror=%u other=%u\n", what, seed,
		  iteration, fz_faults.undef, fz_faults.dabt, fz_faults.serror, fz_faults.other);
}

void fuzzer_main(void)
{
	uint64_t seed = arg_or("seed", 1), iterations = arg_or("iterations", 100000);
	uint64_t ms = arg_or("fuzz_ms", 20000), every = arg_or("progress", 2000);

	trace_from = (uint32_t)arg_or("trace", ~0u);
	fz.odd_hvc = arg_or("odd_hvc", 1) != 0;
	world_init();
	rt_irq_off(); /* the runtime's upcall would read a shared_info we may move */
	rt_map_high();
	rt_fault_hook = fault_hook;
	rng_state = seed;
	rt_printf("FUZZ start seed=%lu iterations=%lu fuzz_ms=%lu (replay: seed=%lu "
		  "trace=ITERATION)\n",
		  seed, iterations, ms, seed);
	uint64_t end = rt_cntvct() + rt_cntfrq() / 1000 * ms;
	for (iteration = 0; iteration < iterations; iteration++) {
		if (rt_cntvct() >= end)
			break;
		if (every && iteration % every == 0)
			progress(seed, "progress");
		one_operation();
	}
	progress(seed, "done");
	fz_wake_done();
	/* Still a working guest: the hypervisor answers a plain call as before. */
	long v = hyp_xen_version(XENVER_version, NULL);
	rt_printf("FUZZ sane: xen_version %ld.%ld\n", v >> 16, v & 0xffff);
	CHECK(v > 0, "xen_version after fuzzing");
	rt_fault_hook = NULL;
}
