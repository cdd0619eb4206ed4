// SPDX-License-Identifier: Apache-2.0
/*
 * What the fuzzer does without a hypercall: PSCI/SMCCC calls, system registers (MRS/MSR/SYS,
 * odd HVC/SMC immediates) and loads/stores to any IPA. Faults are expected and counted by
 * the hook in fuzzer.c; the instructions live in probe.S.
 */
#include "fuzz.h"

/* ---- waking up: anything that may block sleeps at most until our virtual timer ---- */
#define GICD_CTLR	0x0000
#define GICR_WAKER	0x0014
#define GICR_SGI	0x10000
#define GICR_IGROUPR0	(GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ICACTIVER0 (GICR_SGI + 0x0380)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)
#define VTIMER_PPI	27
#define WAKE_MS		2

static void wr32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

/*
 * Our own random GIC writes may have disabled, deprioritised or activated the timer's PPI:
 * put back what waking up needs. IRQs stay masked (PSTATE.I): a pending, enabled interrupt
 * still ends a block, and fz_wake_done() acknowledges it by hand.
 */
void fz_wake_guard(void)
{
	uint64_t r = fz_me()->gicr;

	wr32(fz.gicd + GICD_CTLR, (1u << 4) | (1u << 1)); /* ARE_NS, EnableGrp1A */
	wr32(r + GICR_WAKER, 0);
	wr32(r + GICR_ICACTIVER0, 1u << VTIMER_PPI);
	wr32(r + GICR_IGROUPR0, ~0u);
	*(volatile uint8_t *)(r + GICR_IPRIORITYR + VTIMER_PPI) = 0xa0;
	wr32(r + GICR_ISENABLER0, 1u << VTIMER_PPI);
	__asm__ volatile("msr icc_pmr_el1, %0\n"
			 "msr icc_igrpen1_el1, %1\n"
			 "msr cntv_tval_el0, %2\n"
			 "msr cntv_ctl_el0, %1\n"
			 "isb" ::"r"(0xf0ul),
			 "r"(1ul), "r"(rt_cntfrq() / 1000 * WAKE_MS)
			 : "memory");
}

void fz_wake_done(void)
{
	__asm__ volatile("msr cntv_ctl_el0, xzr; isb");
	for (unsigned i = 0; i < 64; i++) {
		uint64_t intid;
		__asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(intid));
		if (intid >= 1020)
			break;
		__asm__ volatile("msr icc_eoir1_el1, %0; isb" ::"r"(intid));
	}
}

/* ---- PSCI and SMCCC ---- */
uint64_t fz_smccc_smc(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3);

/*
 * Calls that end the run or take this vCPU away: CPU_OFF, CPU_FREEZE, SYSTEM_OFF/RESET/
 * SUSPEND/RESET2/OFF2. The lifecycle operations (life.c) make them on purpose.
 */
static bool psci_fatal(uint64_t id)
{
	const uint32_t fatal[] = {0x84000002, 0x84000008, 0x84000009, 0x8400000b,
				  0x8400000e, 0x84000012, 0x84000015};
	uint32_t fn = (uint32_t)id & ~0x40000000u; /* SMC32 and SMC64 forms alike */

	for (unsigned i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		if (fn == fatal[i])
			return true;
	return false;
}

static uint64_t psci_id(void)
{
	const uint32_t known[] = {
	    0x84000000, 0x84000001, 0xc4000001, 0x84000003, 0xc4000003, 0x84000004, 0xc4000004,
	    0x84000005, 0xc4000005, 0x84000006, 0x84000007, 0xc4000007, 0x8400000a, 0x8400000c,
	    0xc400000c, 0x8400000d, 0xc400000d, 0x84000010, 0xc4000010, 0x84000011, 0xc4000011,
	    0x84000013, 0x84000014, 0xc4000014, 0x80000000, 0x80000001, 0x80000002, 0x80008000,
	    0x80007fff, 0x80003fff, 0x8600ff01, 0x8600ff03, 0xc6000000, 0x82000000, 0xc2000000,
	    0x83000000, 0x85000000, 0xbf00ff01};
	uint64_t id;

	do {
		switch (fz_below(6)) {
		case 0:
			id = 0x80000000u | (uint32_t)fz_below(64) << 24 | (uint32_t)fz_below(0x20);
			break;
		case 1:
			id = (uint32_t)fz_rand();
			break;
		case 2:
			id = fz_rand();
			break;
		default:
			id = FZ_PICK(known);
			if (fz_chance(1, 10))
				id |= fz_rand() << 32; /* the upper half is not part of the ID */
			break;
		}
	} while (psci_fatal(id));
	return id;
}

static uint64_t mpidr(void)
{
	const uint64_t fixed[] = {0, 0, 1, 2, 0x100, 0x10000, 0x80000000, 0x8000000000ull, ~0ull};

	return fz_chance(1, 4) ? fz_rand() : FZ_PICK(fixed);
}

/*
 * A CPU_ON that could start one of our own vCPUs gets that vCPU's real entry point and
 * context: a vCPU started at a random address would only crash the fuzzer.
 */
static void keep_siblings_sane(uint64_t id, uint64_t *a1, uint64_t *a2, uint64_t *a3)
{
	uint32_t fn = (uint32_t)id;
	uint64_t m = fn & 0x40000000u ? *a1 : (uint32_t)*a1;
	extern char fz_entry[];
	extern uint64_t fz_entry_ctx[];

	if ((fn & ~0x40000000u) != 0x84000003u)
		return;
	int sibling = fz_sibling_of_mpidr(m);
	if (sibling < 0)
		return;
	*a1 = fz.mpidr[sibling];
	*a2 = (uint64_t)fz_entry;
	*a3 = fz_entry_ctx[sibling];
}

void fz_psci(void)
{
	uint64_t id = psci_id();
	uint64_t a1 = fz_chance(1, 2) ? mpidr() : fz_any();
	uint64_t a2 = fz_chance(1, 2) ? fz_ptr() : fz_any(), a3 = fz_any();
	bool smc = fz_chance(1, 4);
	struct fz_op *op = fz_log_begin('P', (uint32_t)id);

	keep_siblings_sane(id, &a1, &a2, &a3);

	op->a[0] = id;
	op->a[1] = a1;
	op->a[2] = a2;
	op->a[3] = a3;
	op->a[4] = smc;
	fz_wake_guard(); /* CPU_SUSPEND and friends sleep */
	uint64_t ret = smc ? fz_smccc_smc(id, a1, a2, a3) : rt_smccc(id, a1, a2, a3);
	fz_wake_done();
	fz_log_end(op, (long)ret);
}

/* ---- system registers and odd exception-generating instructions, through fz_dyn ---- */
#define R  1u
#define W  2u
#define RW (R | W)
#define REG(op0, op1, crn, crm, op2, rw)                                                           \
	{                                                                                          \
		(op0) << 19 | (op1) << 16 | (crn) << 12 | (crm) << 8 | (op2) << 5, rw              \
	}

/* Encodings (Arm ARM C5.3) a guest may try; writes only where they cannot harm us. */
static const struct {
	uint32_t enc, rw;
} regs[] = {
    REG(3, 0, 12, 11, 5, W),  /* ICC_SGI1R_EL1: trapped, SGIs to any target list */
    REG(3, 0, 12, 11, 6, W),  /* ICC_ASGI1R_EL1 */
    REG(3, 0, 12, 11, 7, W),  /* ICC_SGI0R_EL1 */
    REG(3, 0, 12, 12, 2, R),  /* ICC_HPPIR1_EL1 */
    REG(3, 0, 12, 11, 3, R),  /* ICC_RPR_EL1 */
    REG(3, 3, 9, 12, 0, RW),  /* PMCR_EL0 */
    REG(3, 3, 9, 12, 1, RW),  /* PMCNTENSET_EL0 */
    REG(3, 3, 9, 12, 2, RW),  /* PMCNTENCLR_EL0 */
    REG(3, 3, 9, 12, 3, RW),  /* PMOVSCLR_EL0 */
    REG(3, 3, 9, 12, 4, W),   /* PMSWINC_EL0 */
    REG(3, 3, 9, 12, 5, RW),  /* PMSELR_EL0 */
    REG(3, 3, 9, 12, 6, R),   /* PMCEID0_EL0 */
    REG(3, 3, 9, 13, 0, RW),  /* PMCCNTR_EL0 */
    REG(3, 3, 9, 13, 1, RW),  /* PMXEVTYPER_EL0 */
    REG(3, 3, 9, 13, 2, RW),  /* PMXEVCNTR_EL0 */
    REG(3, 3, 9, 14, 0, RW),  /* PMUSERENR_EL0 */
    REG(3, 0, 9, 14, 1, RW),  /* PMINTENSET_EL1 */
    REG(3, 3, 14, 8, 0, RW),  /* PMEVCNTR0_EL0 */
    REG(3, 3, 14, 12, 0, RW), /* PMEVTYPER0_EL0 */
    REG(3, 3, 14, 15, 7, RW), /* PMCCFILTR_EL0 */
    REG(2, 0, 0, 2, 2, RW),   /* MDSCR_EL1 (debug exceptions stay masked: PSTATE.D) */
    REG(2, 0, 1, 0, 4, W),    /* OSLAR_EL1 */
    REG(2, 0, 1, 1, 4, R),    /* OSLSR_EL1 */
    REG(2, 0, 1, 3, 4, RW),   /* OSDLR_EL1 */
    REG(2, 0, 0, 0, 4, RW),   /* DBGBVR0_EL1 */
    REG(2, 0, 0, 0, 5, RW),   /* DBGBCR0_EL1 */
    REG(2, 0, 0, 0, 6, RW),   /* DBGWVR0_EL1 */
    REG(2, 0, 0, 0, 7, RW),   /* DBGWCR0_EL1 */
    REG(2, 3, 0, 1, 0, R),    /* MDCCSR_EL0 */
    REG(2, 3, 0, 4, 0, RW),   /* DBGDTR_EL0 */
    REG(2, 0, 7, 8, 6, RW),   /* DBGCLAIMSET_EL1 */
    REG(2, 0, 7, 14, 6, R),   /* DBGAUTHSTATUS_EL1 */
    REG(3, 3, 14, 2, 0, RW),  /* CNTP_TVAL_EL0 */
    REG(3, 3, 14, 2, 1, RW),  /* CNTP_CTL_EL0 */
    REG(3, 3, 14, 2, 2, RW),  /* CNTP_CVAL_EL0 */
    REG(3, 3, 14, 0, 1, R),   /* CNTPCT_EL0 */
    REG(3, 0, 0, 0, 0, RW),   /* MIDR_EL1 */
    REG(3, 0, 0, 4, 0, RW),   /* ID_AA64PFR0_EL1 */
    REG(3, 0, 0, 5, 0, R),    /* ID_AA64DFR0_EL1 */
    REG(3, 0, 0, 7, 0, R),    /* ID_AA64MMFR0_EL1 */
    REG(3, 1, 0, 0, 0, R),    /* CCSIDR_EL1 */
    REG(3, 1, 0, 0, 1, R),    /* CLIDR_EL1 */
    REG(3, 0, 1, 0, 1, RW),   /* ACTLR_EL1 */
    REG(3, 0, 10, 4, 0, RW),  /* LORSA_EL1 */
    REG(3, 0, 5, 3, 1, RW),   /* ERRSELR_EL1 */
    REG(3, 0, 5, 4, 2, RW),   /* ERXSTATUS_EL1 */
    REG(3, 0, 9, 9, 0, RW),   /* PMSCR_EL1 */
    REG(3, 3, 2, 4, 0, R),    /* RNDR */
    REG(3, 0, 15, 0, 0, RW),  /* implementation defined */
    REG(3, 1, 15, 2, 0, RW),  /* CPUACTLR_EL1 on Cortex-A57/A72 */
    REG(3, 1, 11, 0, 2, RW),  /* L2CTLR_EL1 */
    REG(3, 7, 15, 15, 7, RW), /* implementation defined */
    REG(3, 4, 1, 1, 0, RW),   /* HCR_EL2: UNDEF from EL1 */
    REG(3, 4, 2, 1, 0, RW),   /* VTTBR_EL2 */
    REG(3, 4, 12, 11, 0, RW), /* ICH_HCR_EL2 */
    REG(3, 4, 12, 12, 0, RW), /* ICH_LR0_EL2 */
    REG(3, 6, 1, 1, 0, RW),   /* SCR_EL3 */
    REG(1, 0, 7, 6, 2, W),    /* DC ISW: set/way maintenance */
    REG(1, 0, 7, 10, 2, W),   /* DC CSW */
    REG(1, 0, 7, 14, 2, W),   /* DC CISW */
    REG(1, 0, 7, 8, 0, W),    /* AT S1E1R */
    REG(1, 4, 7, 8, 4, W),    /* AT S12E1R: EL2 only */
    REG(1, 0, 8, 3, 0, W),    /* TLBI VMALLE1IS */
    REG(1, 4, 8, 7, 4, W),    /* TLBI ALLE1: EL2 only */
    REG(1, 3, 7, 14, 1, W),   /* DC CIVAC */
};

static uint32_t dyn_insn(void)
{
	unsigned i = (unsigned)fz_below(sizeof(regs) / sizeof(regs[0]));
	unsigned kind = (unsigned)fz_below(10);

	if (kind == 0 && !fz.odd_hvc)
		kind = 2;
	if (kind == 0) { /* HVC with an immediate that is neither PSCI nor a hypercall */
		uint32_t imm = (uint32_t)fz_below(0x10000);
		if (imm == 0 || imm == XEN_HYPERCALL_TAG)
			imm = 1;
		return 0xd4000002u | imm << 5;
	}
	if (kind == 1) /* SMC #imm: x0 holds a harmless PSCI id (fz_sysreg) */
		return 0xd4000003u | (uint32_t)fz_below(0x10000) << 5;
	if (kind == 2) { /* any MRS, but no GIC CPU interface read (IAR would ack) */
		uint32_t op0 = 2 + (uint32_t)fz_below(2), op1 = (uint32_t)fz_below(8);
		uint32_t crn = (uint32_t)fz_below(16);
		if (op0 == 3 && op1 == 0 && crn == 12)
			crn = 13;
		return 0xd5200000u | op0 << 19 | op1 << 16 | crn << 12 |
		       (uint32_t)fz_below(16) << 8 | (uint32_t)fz_below(8) << 5;
	}
	bool write = (regs[i].rw & W) && (!(regs[i].rw & R) || fz_chance(1, 2));
	return (write ? 0xd5000000u : 0xd5200000u) | regs[i].enc;
}

void fz_sysreg(void)
{
	uint32_t insn = dyn_insn();
	uint64_t x0 = fz_any();

	if ((insn & 0xffe0001f) == 0xd4000003u)
		x0 = 0x84000000; /* SMC with any immediate may still mean PSCI: ask the version */
	struct fz_op *op = fz_log_begin('S', insn);
	uint32_t *dyn = fz_me()->dyn;
	op->a[0] = x0;
	dyn[0] = insn;
	__asm__ volatile("dc cvau, %0; dsb ish; ic ivau, %0; dsb ish; isb" ::"r"(dyn) : "memory");
	uint64_t (*fn)(uint64_t) = (uint64_t(*)(uint64_t))(void *)dyn;
	fz_log_end(op, (long)fn(x0));
}

/* ---- loads and stores anywhere ---- */
#define LOADS 10
uint64_t fz_ldr64(uint64_t), fz_ldr32(uint64_t), fz_ldrh(uint64_t), fz_ldrb(uint64_t);
uint64_t fz_ldrsw(uint64_t), fz_ldrsb(uint64_t), fz_ldp(uint64_t), fz_ldrpost(uint64_t);
uint64_t fz_ldar(uint64_t), fz_ldxr(uint64_t), fz_dccivac(uint64_t);
uint64_t fz_str64(uint64_t, uint64_t), fz_str32(uint64_t, uint64_t), fz_strh(uint64_t, uint64_t);
uint64_t fz_strb(uint64_t, uint64_t), fz_stp(uint64_t, uint64_t), fz_strpre(uint64_t, uint64_t);
uint64_t fz_stlr(uint64_t, uint64_t), fz_strzr(uint64_t, uint64_t), fz_dczva(uint64_t, uint64_t);
uint64_t fz_dcivac(uint64_t, uint64_t);

static uint64_t (*const loads[LOADS + 1])(uint64_t) = {fz_ldr64, fz_ldr32, fz_ldrh,   fz_ldrb,
						       fz_ldrsw, fz_ldrsb, fz_ldp,    fz_ldrpost,
						       fz_ldar,	 fz_ldxr,  fz_dccivac};
static uint64_t (*const stores[])(uint64_t, uint64_t) = {fz_str64, fz_str32,  fz_strh, fz_strb,
							 fz_stp,   fz_strpre, fz_stlr, fz_strzr,
							 fz_dczva, fz_dcivac};

static uint64_t target(void)
{
	uint64_t a;

	switch (fz_below(10)) {
	case 0:
	case 1:
		a = fz.gicd + fz_below(0x10000);
		break;
	case 2:
	case 3:
		a = fz.gicr + fz_below(fz.gicr_size);
		break;
	case 4:
		a = fz.uart + fz_below(0x1000);
		break;
	case 5:
		a = fz_below(1ull << 30);
		break;
	case 6:
		a = fz.ram_base + fz_below(fz.ram_end - fz.ram_base);
		break;
	case 7:
		a = fz.ram_end + fz_below(0x100000000ull - fz.ram_end);
		break;
	case 8:
		a = fz_ptr();
		break;
	default:
		a = fz_below(1ull << 40);
		break;
	}
	if (fz_chance(3, 4))
		a &= ~3ull;
	return a;
}

/* A store may go anywhere but our own image and scratch, and not to the UART. */
static bool store_allowed(uint64_t a)
{
	if (a + 4096 > fz.ram_base && a < fz.victim)
		return false;
	return !(a + 4096 > fz.uart && a < fz.uart + 0x1000);
}

void fz_memory(void)
{
	uint64_t a = target();
	bool store = fz_chance(1, 2) && store_allowed(a);
	unsigned i = store ? (unsigned)fz_below(sizeof(stores) / sizeof(stores[0]))
			   : (unsigned)fz_below(LOADS + 1);
	uint64_t v = fz_any();
	struct fz_op *op = fz_log_begin(store ? 'W' : 'L', i);

	op->a[0] = a;
	op->a[1] = v;
	fz_log_end(op, (long)(store ? stores[i](a, v) : loads[i](a)));
}
