// SPDX-License-Identifier: Apache-2.0
#ifndef PUNT_DOM0_FDT_H
#define PUNT_DOM0_FDT_H

/*
 * Builds the device tree dom0 boots with, from the host DT (as Xen's
 * domain_build.c): the host tree minus what the hypervisor keeps or virtualises, with
 * /chosen, /cpus, memory, /psci and the GIC regenerated, and a /hypervisor node added.
 *
 * Dropped: /cpus, memory nodes, psci, PMU and other PPI users (the timer excepted), the
 * GIC's children (ITS: no MSI controller for dom0 yet; msi-parent/msi-map properties that
 * pointed at them go too), xen,domain / xen,xen / multiboot module and related Xen nodes,
 * and p->hide_nodes with their subtrees. /aliases entries naming a dropped node are removed.
 * Host phandles are kept, so references into kept nodes stay valid.
 */

#include <stddef.h>
#include <stdint.h>

#include "punt/bootinfo.h"

#define DOM0_MAX_EXT_REGIONS 32

struct dom0_fdt_params {
	const struct boot_info *bi; /* host DT is bi->fdt */
	const struct boot_region *mem;
	unsigned nr_mem;   /* dom0 RAM banks (1:1) */
	unsigned nr_vcpus; /* vCPU i: MPIDR Aff0 = i % 16, Aff1 = i / 16 (reg = that value) */
	uint64_t gnttab_base, gnttab_size; /* /hypervisor reg[0] */
	const struct boot_region *ext;
	unsigned nr_ext;		   /* extended regions: /hypervisor reg[1..], at most 32 */
	uint32_t evtchn_intid;		   /* PPI INTID for /hypervisor interrupts (16..31) */
	uint64_t initrd_base, initrd_size; /* 0 size = none */
	const char *bootargs;		   /* may be NULL */
	const int *hide_nodes;
	unsigned nr_hide; /* extra host nodes to drop with their subtree (e.g. Punt's UART) */
};

/* 0 and *out_size on success; -1 with a message in err. */
int dom0_fdt_build(const struct dom0_fdt_params *p, void *buf, size_t size, size_t *out_size,
		   char *err, size_t errlen);

/* MPIDR affinity value (and cpu node reg) that dom0's vCPU i gets. */
uint64_t dom0_vcpu_mpidr(unsigned i);

#endif
