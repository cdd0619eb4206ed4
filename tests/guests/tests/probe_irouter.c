// SPDX-License-Identifier: Apache-2.0
/*
 * GICD_IROUTER<n> of an SPI is 64 bits wide and may be accessed as two 32-bit halves (Arm GIC
 * architecture specification, GICD_IROUTER<n>: "64-bit", Aff3 in bits [39:32]); a 32-bit
 * write to the upper half (offset + 4) changes Aff3 only, and a 32-bit read of it returns
 * bits [63:32]. Xen 4.17 keeps only the target vCPU: a write naming no vCPU is ignored and
 * the Interrupt Routing Mode bit reads as 0 (xen/arch/arm/vgic-v3.c, vgic_store_irouter).
 * dom0 with two vCPUs (MPIDR affinity 0 and 1). Every expected value is what Xen 4.17
 * returned to this guest.
 */
// smp: 2
#include "rt.h"

#define GICD_IROUTER 0x6000
#define SPI	     40
#define IRM	     (1ull << 31)

static volatile uint64_t *irouter64(unsigned intid)
{
	return (volatile uint64_t *)(rt_plat.gicd + GICD_IROUTER + 8 * intid);
}

static volatile uint32_t *irouter32(unsigned intid, unsigned half)
{
	return (volatile uint32_t *)(rt_plat.gicd + GICD_IROUTER + 8 * intid + 4 * half);
}

void test_main(void)
{
	if (rt_plat.nr_cpus < 2)
		rt_skip("needs 2 vCPUs (-smp 2)");
	uint64_t aff1 = rt_plat.cpu_mpidr[1] & 0xff00ffffffull;

	*irouter64(SPI) = aff1;
	PROBE("irouter_64_bit_write_read", *irouter64(SPI), 1);
	PROBE("irouter_low_half_read", *irouter32(SPI, 0), 1);
	PROBE("irouter_high_half_read", *irouter32(SPI, 1), 0);
	/* The upper half holds Aff3: writing 0 there leaves Aff2..Aff0 as they were. */
	*irouter32(SPI, 1) = 0;
	PROBE("irouter_high_half_write_keeps_low_half", *irouter64(SPI), 1);
	*irouter32(SPI, 0) = 0;
	PROBE("irouter_low_half_write", *irouter64(SPI), 0);
	*irouter32(SPI, 0) = (uint32_t)aff1;
	PROBE("irouter_low_half_write_back", *irouter64(SPI), 1);
	PROBE("irouter_high_half_after_low_write", *irouter32(SPI, 1), 0);
	/* Aff3 = 1 names no vCPU: Xen drops the write, the architecture keeps the value. */
	*irouter32(SPI, 1) = 1;
	PROBE("bad_irouter_aff3_of_no_vcpu", *irouter64(SPI), 1);
	*irouter64(SPI) = 0;
	*irouter64(SPI) = 0x55;
	PROBE("bad_irouter_affinity_of_no_vcpu", *irouter64(SPI), 0);
	/* Interrupt Routing Mode "any PE": Xen routes to vCPU0 and forgets the bit. */
	*irouter64(SPI) = IRM;
	PROBE("irouter_routing_mode_any", *irouter64(SPI), 0);
	/* IROUTER0..31 (SGIs and PPIs) are reserved: read as zero, writes ignored. */
	*irouter64(5) = aff1;
	PROBE("bad_irouter_of_sgi", *irouter64(5), 0);
	*irouter64(SPI) = 0;
}
