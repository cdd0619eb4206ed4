// SPDX-License-Identifier: Apache-2.0
#ifndef PUNT_BOOTINFO_H
#define PUNT_BOOTINFO_H

/*
 * What the hypervisor learns from the device tree it was booted with (Xen's boot protocol,
 * docs/misc/arm/device-tree/booting.txt): RAM, reserved regions, CPUs, PSCI, GICv3, timer,
 * console UART, command lines and boot modules. bootinfo_parse() fills one struct, once, at
 * boot; pointers in it point into the DT, which must stay mapped. No locking: boot CPU only.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOT_MAX_MEM	  16
#define BOOT_MAX_RESERVED 32
#define BOOT_MAX_CPUS	  64
#define BOOT_MAX_MODULES  8
#define BOOT_MAX_REDIST	  8

struct boot_region {
	uint64_t base, size;
};

enum boot_module_kind {
	BOOT_MOD_KERNEL,
	BOOT_MOD_RAMDISK,
	BOOT_MOD_DTB,
	BOOT_MOD_XSM,
	BOOT_MOD_OTHER
};

struct boot_module {
	enum boot_module_kind kind;
	uint64_t base, size;
	const char *bootargs; /* the module node's "bootargs", or NULL */
	int node;
};

enum psci_conduit { PSCI_NONE, PSCI_SMC, PSCI_HVC };

#define PSCI_0_2_FN64_CPU_ON 0xC4000003u

struct boot_info {
	const void *fdt;
	size_t fdt_size;
	struct boot_region mem[BOOT_MAX_MEM]; /* sorted by base; empty banks dropped */
	unsigned nr_mem;
	/* /memreserve/ entries, then the reg entries of available /reserved-memory children */
	struct boot_region reserved[BOOT_MAX_RESERVED];
	unsigned nr_reserved;
	/* Available device_type "cpu" nodes under /cpus, DT order; more than BOOT_MAX_CPUS are
	 * ignored. cpu_mpidr is the reg value (MPIDR affinity fields). */
	unsigned nr_cpus;
	uint64_t cpu_mpidr[BOOT_MAX_CPUS];
	int cpu_node[BOOT_MAX_CPUS];
	/* psci_cpu_on: 0xC4000003 for psci-0.2 and later, else the "cpu_on" property (0.1) */
	enum psci_conduit psci_conduit;
	uint32_t psci_cpu_on;
	int psci_node;
	struct {
		uint64_t dist_base, dist_size;
		struct boot_region redist[BOOT_MAX_REDIST];
		unsigned nr_redist;
		uint64_t redist_stride; /* "redistributor-stride", 0 if absent */
		uint32_t maint_intid;	/* maintenance interrupt, PPI number + 16 */
		int node;
		uint32_t phandle; /* 0 if the node has none */
	} gic;
	struct {
		uint32_t sec_phys_intid, phys_intid, virt_intid, hyp_intid; /* PPI number + 16 */
		uint32_t freq_hz; /* "clock-frequency", else 0 (use CNTFRQ_EL0) */
		int node;
	} timer;
	struct {
		uint64_t base, size;
		uint32_t intid; /* SPI number + 32; 0 if the node has no interrupts */
		int node;
	} uart;
	const char *hyp_bootargs;  /* never NULL ("" if none) */
	const char *dom0_bootargs; /* may be NULL */
	/* Modules under /chosen (depth <= 3), except those inside xen,domain nodes (dom0less
	 * guests, parsed separately). */
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned nr_modules;
};

/*
 * Parses the DT at fdt (buffer of max_size bytes). 0 on success. On failure returns -1 and
 * writes a message naming the problem into err. A missing or bad console UART is reported
 * last (message mentions "uart"): everything else in *bi is then filled in.
 */
int bootinfo_parse(const void *fdt, size_t max_size, struct boot_info *bi, char *err,
		   size_t errlen);

/* First module of the given kind, or NULL. */
const struct boot_module *bootinfo_module(const struct boot_info *bi, enum boot_module_kind kind);

/* Minimal message formatter used for these errors: %s, %u, %x, %llu, %llx and %%. Always
 * NUL-terminates (when errlen > 0) and truncates silently. */
void boot_errf(char *err, size_t errlen, const char *fmt, ...);

#endif
