// SPDX-License-Identifier: Apache-2.0
#include <asm/gic.h>
#include <asm/mmu.h>
#include <asm/sysreg.h>
#include <punt/bootinfo.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/format.h>

/* Distributor and redistributor registers (GICv3 architecture spec, 12.9/12.11). */
#define GICD_CTLR	 0x0000
#define GICD_TYPER	 0x0004
#define GICD_IGROUPR	 0x0080
#define GICD_ISENABLER	 0x0100
#define GICD_ICENABLER	 0x0180
#define GICD_ISPENDR	 0x0200
#define GICD_ICPENDR	 0x0280
#define GICD_ICACTIVER	 0x0380
#define GICD_IPRIORITYR	 0x0400
#define GICD_ICFGR	 0x0c00
#define GICD_IROUTER	 0x6000
#define GICD_CTLR_RWP	 (1u << 31)
#define GICD_CTLR_ENABLE (1u << 0 | 1u << 1 | 1u << 4)

#define GICR_TYPER	0x0008
#define GICR_WAKER	0x0014
#define GICR_SGI	0x10000
#define GICR_TYPER_LAST (1u << 4)
#define WAKER_SLEEP	(1u << 1)
#define WAKER_ASLEEP	(1u << 2)

#define DEFAULT_PRIORITY 0xa0
#define SGI_PRIORITY	 0x80

static uint64_t dist;
static unsigned nr_lines;
static const struct boot_info *boot;

static uint32_t rd32(uint64_t a)
{
	return *(volatile uint32_t *)a;
}

static void wr32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static uint64_t rd64(uint64_t a)
{
	return *(volatile uint64_t *)a;
}

static void wr64(uint64_t a, uint64_t v)
{
	*(volatile uint64_t *)a = v;
}

static void dist_wait_rwp(void)
{
	while (rd32(dist + GICD_CTLR) & GICD_CTLR_RWP)
		cpu_relax();
}

unsigned gic_nr_lines(void)
{
	return nr_lines;
}

uint64_t gic_dist_base(void)
{
	return dist;
}

void gic_redist_region(uint64_t *base, uint64_t *size)
{
	*base = boot->gic.redist[0].base;
	*size = boot->gic.redist[0].size;
}

int gic_init(const struct boot_info *bi, char *err, unsigned errlen)
{
	boot = bi;
	dist = bi->gic.dist_base;
	if (arch_mm_map(dist, 0x10000, ARCH_MM_DEVICE))
		goto nomap;
	for (unsigned i = 0; i < bi->gic.nr_redist; i++) {
		if (arch_mm_map(bi->gic.redist[i].base, bi->gic.redist[i].size, ARCH_MM_DEVICE))
			goto nomap;
	}

	nr_lines = ((rd32(dist + GICD_TYPER) & 0x1f) + 1) * 32;
	if (nr_lines > 1020)
		nr_lines = 1020;
	wr32(dist + GICD_CTLR, 0);
	dist_wait_rwp();
	for (unsigned i = GIC_SPI_BASE; i < nr_lines; i += 32) {
		wr32(dist + GICD_ICENABLER + i / 8, ~0u);
		wr32(dist + GICD_ICPENDR + i / 8, ~0u);
		wr32(dist + GICD_ICACTIVER + i / 8, ~0u);
		wr32(dist + GICD_IGROUPR + i / 8, ~0u);
	}
	for (unsigned i = GIC_SPI_BASE; i < nr_lines; i++) {
		*(volatile uint8_t *)(dist + GICD_IPRIORITYR + i) = DEFAULT_PRIORITY;
		wr64(dist + GICD_IROUTER + 8 * i, this_cpu()->mpidr & MPIDR_AFF_MASK);
	}
	wr32(dist + GICD_CTLR, GICD_CTLR_ENABLE);
	dist_wait_rwp();
	printk("GICv3: distributor at %#lx, %u interrupt lines\n", dist, nr_lines);
	return 0;
nomap:
	fmt_snprintf(err, errlen, "GICv3: cannot map the distributor or redistributors");
	return -1;
}

static uint64_t affinity_of(uint64_t mpidr)
{
	return (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24);
}

static uint64_t find_redist(uint64_t mpidr)
{
	uint64_t want = affinity_of(mpidr);

	for (unsigned r = 0; r < boot->gic.nr_redist; r++) {
		uint64_t base = boot->gic.redist[r].base;
		uint64_t end = base + boot->gic.redist[r].size;
		uint64_t stride = boot->gic.redist_stride ? boot->gic.redist_stride : 0x20000;
		for (uint64_t frame = base; frame + 0x20000 <= end; frame += stride) {
			uint64_t typer = rd64(frame + GICR_TYPER);
			if ((typer >> 32) == want)
				return frame;
			if (typer & GICR_TYPER_LAST)
				break;
		}
	}
	return 0;
}

int gic_init_cpu(void)
{
	struct pcpu *cpu = this_cpu();
	uint64_t rd = find_redist(cpu->mpidr);

	if (!rd) {
		printk("GICv3: no redistributor for CPU %u (MPIDR %#lx)\n", cpu->id, cpu->mpidr);
		return -1;
	}
	cpu->arch.redist_base = rd;
	wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~WAKER_SLEEP);
	while (rd32(rd + GICR_WAKER) & WAKER_ASLEEP)
		cpu_relax();

	uint64_t sgi = rd + GICR_SGI;
	wr32(sgi + GICD_ICENABLER, ~0u);
	wr32(sgi + GICD_ICPENDR, ~0u);
	wr32(sgi + GICD_ICACTIVER, ~0u);
	wr32(sgi + GICD_IGROUPR, ~0u);
	for (unsigned i = 0; i < 32; i++)
		*(volatile uint8_t *)(sgi + GICD_IPRIORITYR + i) =
		    i < GIC_NR_SGIS ? SGI_PRIORITY : DEFAULT_PRIORITY;
	wr32(sgi + GICD_ISENABLER, 0xffff); /* SGIs */

	write_sysreg(S3_4_C12_C9_5 /* ICC_SRE_EL2 */, 0xf);
	isb();
	write_sysreg(S3_0_C4_C6_0 /* ICC_PMR_EL1 */, 0xff);
	write_sysreg(S3_0_C12_C12_3 /* ICC_BPR1_EL1 */, 0);
	write_sysreg(S3_0_C12_C12_4 /* ICC_CTLR_EL1 */, 1u << 1 /* EOImode */);
	write_sysreg(S3_0_C12_C12_7 /* ICC_IGRPEN1_EL1 */, 1);
	isb();
	return 0;
}

uint32_t gic_ack(void)
{
	uint32_t intid = read_sysreg(S3_0_C12_C12_0 /* ICC_IAR1_EL1 */) & 0xffffff;
	dsb_sy();
	return intid;
}

void gic_eoi(uint32_t intid)
{
	write_sysreg(S3_0_C12_C12_1 /* ICC_EOIR1_EL1 */, intid);
	isb();
}

void gic_deactivate(uint32_t intid)
{
	write_sysreg(S3_0_C12_C11_1 /* ICC_DIR_EL1 */, intid);
	isb();
}

static uint64_t bank_base(uint32_t intid)
{
	return intid < GIC_SPI_BASE ? this_cpu()->arch.redist_base + GICR_SGI : dist;
}

void gic_enable(uint32_t intid)
{
	wr32(bank_base(intid) + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

void gic_disable(uint32_t intid)
{
	wr32(bank_base(intid) + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

bool gic_is_pending(uint32_t intid)
{
	return rd32(bank_base(intid) + GICD_ISPENDR + (intid / 32) * 4) & (1u << (intid % 32));
}

void gic_set_edge(uint32_t intid, bool edge)
{
	uint64_t reg = bank_base(intid) + GICD_ICFGR + (intid / 16) * 4;
	unsigned shift = (intid % 16) * 2 + 1;
	uint32_t v = rd32(reg);

	v = edge ? v | (1u << shift) : v & ~(1u << shift);
	wr32(reg, v);
}

void gic_route_spi(uint32_t intid, uint64_t mpidr)
{
	if (intid < GIC_SPI_BASE || intid >= nr_lines)
		return;
	wr64(dist + GICD_IROUTER + 8 * intid, mpidr & MPIDR_AFF_MASK);
}

void gic_send_sgi(unsigned cpu, unsigned sgi)
{
	uint64_t mpidr = pcpus[cpu].mpidr;
	uint64_t v = (1UL << (mpidr & 0xf)) | ((mpidr >> 8 & 0xff) << 16) | ((uint64_t)sgi << 24) |
		     ((mpidr >> 16 & 0xff) << 32) | ((mpidr >> 32 & 0xff) << 48);

	dsb_ish();
	write_sysreg(S3_0_C12_C11_5 /* ICC_SGI1R_EL1 */, v);
	isb();
}
