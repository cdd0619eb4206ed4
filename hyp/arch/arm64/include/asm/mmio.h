// SPDX-License-Identifier: Apache-2.0
/*
 * Stage-2 data aborts and the exceptions Punt injects into a guest. An abort
 * in one of the domain's emulated regions (the registry, punt/mmio.h) is
 * decoded from ESR_EL2 and run by the region's handler; any other abort gets
 * the guest an external data abort.
 */
#ifndef ASM_MMIO_H
#define ASM_MMIO_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* Handle a stage-2 data abort; false if the guest must get an abort. */
bool mmio_handle_abort(struct vcpu *v, uint64_t esr, uint64_t ipa);
void inject_data_abort(struct vcpu *v, uint64_t va);
void inject_instruction_abort(struct vcpu *v, uint64_t va);
void inject_undef(struct vcpu *v);

#endif
