// SPDX-License-Identifier: Apache-2.0
/*
 * The register frame saved on every exception taken to EL2 (struct cpu_regs,
 * punt/arch/types.h), as entry.S sees it: the offsets below are checked
 * against the structure at compile time.
 */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#define REGS_X(n) ((n)*8)
#define REGS_SP	  248
#define REGS_ELR  256
#define REGS_SPSR 264
#define REGS_SIZE 272

#ifndef __ASSEMBLY__
#include <punt/arch/types.h>
#include <stddef.h>

_Static_assert(offsetof(struct cpu_regs, sp) == REGS_SP, "regs layout");
_Static_assert(offsetof(struct cpu_regs, elr) == REGS_ELR, "regs layout");
_Static_assert(offsetof(struct cpu_regs, spsr) == REGS_SPSR, "regs layout");
_Static_assert(sizeof(struct cpu_regs) == REGS_SIZE, "regs layout");
#endif

#endif
