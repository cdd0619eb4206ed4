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

#endif
