// SPDX-License-Identifier: Apache-2.0
/*
 * The physical GICv3: Punt owns the distributor, every redistributor and
 * the CPU interfaces. Interrupts are Group 1 non-secure with EOImode 1, so
 * priority drop (gic_eoi) and deactivation (gic_deactivate) are separate:
 * interrupts forwarded to a guest are deactivated by the guest through the
 * list register's hardware bit.
 */
#ifndef ASM_GIC_H
#define ASM_GIC_H

#include <stdbool.h>
#include <stdint.h>

struct boot_info;

#define GIC_SPURIOUS 1023
#define GIC_NR_SGIS  16
#define GIC_SPI_BASE 32

int gic_init(const struct boot_info *bi, char *err, unsigned errlen);
int gic_init_cpu(void);
uint32_t gic_ack(void);
void gic_eoi(uint32_t intid);
void gic_deactivate(uint32_t intid);
void gic_enable(uint32_t intid);
void gic_disable(uint32_t intid);
void gic_set_edge(uint32_t intid, bool edge);
void gic_route_spi(uint32_t intid, uint64_t mpidr);
void gic_send_sgi(unsigned cpu, unsigned sgi);
unsigned gic_nr_lines(void);
uint64_t gic_dist_base(void);
/* The first redistributor region as the device tree gives it (the hardware domain sees it). */
void gic_redist_region(uint64_t *base, uint64_t *size);
bool gic_is_pending(uint32_t intid);

#endif
