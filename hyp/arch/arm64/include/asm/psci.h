// SPDX-License-Identifier: Apache-2.0
/*
 * Calls into the firmware's PSCI (conduit from the DT's psci node). SYSTEM_OFF
 * and SYSTEM_RESET are the contract's arch_system_off()/_reset() (punt/arch/cpu.h).
 */
#ifndef ASM_PSCI_H
#define ASM_PSCI_H

#include <punt/arch/cpu.h>
#include <stdint.h>

struct boot_info;

#define PSCI_0_2_FN_PSCI_VERSION      0x84000000u
#define PSCI_0_2_FN_CPU_SUSPEND	      0xc4000001u
#define PSCI_0_2_FN_CPU_OFF	      0x84000002u
#define PSCI_0_2_FN_CPU_ON	      0xc4000003u
#define PSCI_0_2_FN_AFFINITY_INFO     0xc4000004u
#define PSCI_0_2_FN_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_0_2_FN_SYSTEM_OFF	      0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET      0x84000009u
#define PSCI_1_0_FN_PSCI_FEATURES     0x8400000au
#define PSCI_SMC32_MASK		      0x40000000u /* SMC64 bit: the 32-bit forms differ only here */

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	-1
#define PSCI_INVALID_PARAMETERS -2
#define PSCI_DENIED		-3
#define PSCI_ALREADY_ON		-4
#define PSCI_ON_PENDING		-5
#define PSCI_INTERNAL_FAILURE	-6

void psci_init(const struct boot_info *bi);
int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);

#endif
