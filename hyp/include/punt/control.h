// SPDX-License-Identifier: Apache-2.0
/*
 * What domctl.c and sysctl.c share: the getdomaininfo record, which sysctl's
 * getdomaininfolist fills too. Both answer the control domain only
 * (punt/policy.h, policy_control()); see docs/control.md.
 */
#ifndef PUNT_CONTROL_H
#define PUNT_CONTROL_H

#include <public/domctl.h>
#include <stdbool.h>

struct domain;

/*
 * d's getdomaininfo record, as Xen 4.17 fills it (Xen common/domctl.c getdomaininfo());
 * dead: its teardown has relinquished it (XEN_DOMINF_dying). Called under
 * domain_visit_from(), which keeps d from being freed.
 */
void control_domain_info(struct domain *d, bool dead, struct xen_domctl_getdomaininfo *info);

#endif
