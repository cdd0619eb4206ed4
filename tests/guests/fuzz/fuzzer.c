// SPDX-License-Identifier: Apache-2.0
/*
 * The fuzzer's common parts: seeded generators (one per vCPU), the pools of interesting
 * values, the operation log, the print lock and the fault hook that lets probes fault.
 * What it never targets, and why:
 * - its own image, stacks, argument scratch and shared pages ([ram_base, victim)): a GPFN or
 *   pointer the hypervisor may unmap, replace or write through would break the fuzzer, not
 *   the hypervisor. Only pages in [victim, ram_end) are given away.
 * - the GIC and UART pages as GPFNs: RAM mapped over them would hide the emulated devices
 *   it needs to wake up and to print.
 * - UART stores: they would garble or stop its own console.
 * - SCHEDOP_shutdown, SCHEDOP_watchdog, PSCI CPU_OFF/SYSTEM_* with random arguments: the
 *   lifecycle operations (life.c) make those calls on purpose, with arguments that keep the
 *   run going (reboot, never poweroff until the end).
 */
#include "fuzz.h"

struct fz_world fz;
extern char fz_probe_start[], fz_probe_end[];

uint64_t fz_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

uint64_t fz_rand(void)
{
	struct fz_cpu *c = fz_me();
	uint64_t z = c->rng;

	c->rng = z + 0x9e3779b97f4a7c15ull;
	return fz_mix(z);
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

/*
 * A random pointer that lands in our own memory ([ram_base, victim): image, globals, stacks,
 * page tables, the vCPUs' scratch) moves to the same offset in the victim pages: the
 * hypervisor writes results back through pointers, element after element of a batch for its
 * whole count (docs/fuzzing.md, "What the fuzzer leaves alone"). No extra draw, so a boot
 * seed replays the same stream.
 */
static uint64_t spare_own(uint64_t p)
{
	if (p < fz.ram_base || p >= fz.victim)
		return p;
	return fz.victim + (p - fz.ram_base) % (fz.ram_end - fz.victim);
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
	uint64_t s = (uint64_t)fz_me()->scratch;

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
		return spare_own(fz_below(1ull << 32));
	case 8:
		return spare_own(fz_below(1ull << 39));
	default:
		return spare_own(fz_rand());
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
	case 3: {
		const domid_t doms[] = {fz.self, fz.peer, fz.canary};
		return FZ_PICK(doms);
	}
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

	switch (fz_below(9)) {
	case 0:
	case 1:
		return fz.peer;
	case 2:
		return fz.canary;
	case 3:
		return fz.self;
	case 4:
		return DOMID_SELF;
	case 5:
	case 6:
		return FZ_PICK(fixed);
	case 7:
		return (domid_t)fz_below(8); /* ids that exist, may exist, or existed */
	default:
		return (domid_t)fz_rand();
	}
}

uint32_t fz_port(void)
{
	const uint32_t fixed[] = {0,  1,    2,	  3,	4,    5,	  8,	     10,
				  11, 12,   20,	  21,	22,   30,	  31,	     63,
				  64, 1023, 1024, 4095, 4096, 0x80000000, 0xffffffff};

	switch (fz_below(5)) {
	case 0:
		return fz.port[fz_below(3)];
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
	const uint32_t fixed[] = {0, 0, 0, 1, 1, 2, 3, 4, 7, 8, 127, 128, 0xffffffff};

	if (fz_chance(1, 8))
		return (uint32_t)fz_rand();
	return FZ_PICK(fixed);
}

/*
 * ---- printing from several vCPUs ----
 * rt_printf keeps one line buffer: a vCPU prints only while it owns this lock. The owner may
 * take it again (the fault hook prints while a vCPU may be printing).
 */
static volatile uint32_t print_owner; /* 1 + the owning vCPU's index, 0 when free */
static unsigned print_depth;	      /* touched by the owner only */

void fz_lock_print(void)
{
	struct fz_cpu *c = fz_me();
	uint32_t me = c ? c->id + 1 : FZ_MAX_CPUS + 1;

	if (__atomic_load_n(&print_owner, __ATOMIC_RELAXED) == me) {
		print_depth++;
		return;
	}
	for (;;) {
		uint32_t free = 0;
		if (__atomic_compare_exchange_n(&print_owner, &free, me, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			break;
		__asm__ volatile("yield");
	}
	print_depth = 1;
}

void fz_unlock_print(void)
{
	if (--print_depth == 0)
		__atomic_store_n(&print_owner, 0, __ATOMIC_RELEASE);
}

/* ---- the log ---- */
static void print_op(const struct fz_op *op)
{
	FZ_PRINT("FUZZ op v%u %u %c %#x a=%#lx,%#lx,%#lx,%#lx,%#lx ret=%ld\n", fz_me()->id,
		 op->iter, op->kind, op->nr, op->a[0], op->a[1], op->a[2], op->a[3], op->a[4],
		 op->ret);
}

struct fz_op *fz_log_begin(char kind, uint32_t nr)
{
	struct fz_cpu *c = fz_me();
	struct fz_op *op = &c->ring[c->ring_next++ % FZ_LOG_SIZE];

	*op = (struct fz_op){.iter = c->iter, .kind = kind, .nr = nr, .ret = -9999};
	return op;
}

void fz_log_end(struct fz_op *op, long ret)
{
	op->ret = ret;
	if (fz_me()->iter >= fz.trace_from)
		print_op(op);
}

void fz_log_dump(unsigned n)
{
	struct fz_cpu *c = fz_me();
	unsigned have = c->ring_next < FZ_LOG_SIZE ? c->ring_next : FZ_LOG_SIZE;

	if (n > have)
		n = have;
	FZ_PRINT("FUZZ v%u: last %u operations (vcpu iteration kind number args result), boot "
		 "seed %#lx:\n",
		 c->id, n, fz.boot_seed);
	for (unsigned i = c->ring_next - n; i != c->ring_next; i++)
		print_op(&c->ring[i % FZ_LOG_SIZE]);
}

/* ---- expected faults ---- */
#define EC_UNKNOWN  0x00
#define EC_DABT_CUR 0x25

bool fz_fault_hook(uint64_t kind, uint64_t *frame, uint64_t esr, uint64_t far)
{
	struct fz_cpu *c = fz_me();
	uint64_t elr = frame[31];

	(void)far;
	if (!c) /* before this vCPU set TPIDR_EL1: not a probe */
		return false;
	if ((kind & 3) == 3) { /* SError: asynchronous, nothing to step over */
		c->faults.serror++;
		return true;
	}
	if (elr < (uint64_t)fz_probe_start || elr >= (uint64_t)fz_probe_end) {
		FZ_PRINT("FUZZ v%u: unexpected fault outside the probes (boot seed and iteration "
			 "replay it)\n",
			 c->id);
		fz_log_dump(FZ_LOG_SIZE);
		return false;
	}
	switch (esr >> 26) {
	case EC_UNKNOWN:
		c->faults.undef++;
		break;
	case EC_DABT_CUR:
		c->faults.dabt++;
		break;
	default:
		c->faults.other++;
		break;
	}
	frame[31] = elr + 4;
	return true;
}
