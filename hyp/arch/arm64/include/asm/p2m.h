// SPDX-License-Identifier: Apache-2.0
/*
 * Stage-2 beyond the contract (punt/arch/p2m.h): creating and freeing a
 * domain's map (behind arch_domain_init() and arch_domain_destroy()) and
 * making this CPU translate for it.
 */
#ifndef ASM_P2M_H
#define ASM_P2M_H

#include <punt/arch/p2m.h>

struct domain;

int p2m_init(struct domain *d);
void p2m_destroy(struct domain *d);
/* Make this CPU translate for d (called when a vCPU of d is loaded). */
void p2m_load(struct domain *d);
/*
 * A stage-2 fault of d's at ipa (ESR_EL2 esr) that a change of d's map caused while it was
 * under way (break-before-make, p2m.c): the address is mapped by now, and the access is to be
 * retried rather than faulted in the guest.
 */
bool p2m_fault_was_transient(struct domain *d, uint64_t esr, uint64_t ipa);
/* Return once no change of d's map is under way (a failed translation then tries again). */
void p2m_wait_for_changes(struct domain *d);

#endif
