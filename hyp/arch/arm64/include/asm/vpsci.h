// SPDX-License-Identifier: Apache-2.0
/* PSCI and SMCCC as guests see them, through HVC #0 or SMC #0. */
#ifndef ASM_VPSCI_H
#define ASM_VPSCI_H

struct vcpu;
struct cpu_regs;

void vpsci_handle(struct vcpu *v, struct cpu_regs *regs);

#endif
