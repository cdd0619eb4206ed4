// SPDX-License-Identifier: Apache-2.0
/*
 * Who may do what: Punt's one policy module, in the place of Xen's XSM with its
 * default (dummy) policy.
 *
 * Communication: the decision behind inter-domain event channels, grant
 * mappings and grant copies. A domain may always use its own resources; the
 * control domain may talk to anyone and anyone to it; two other domains only
 * when their boot configuration links them (a static event channel between
 * them).
 *
 * Control: platform_op, sysctl and domctl are the control domain's alone. The
 * handlers ask at the point where Xen asks XSM (after the envelope's version
 * and, for domctl, the target's lookup), so a refused caller sees the same
 * error as on Xen: -EPERM.
 *
 * Everything else is refused with the error the operation defines for "not
 * permitted".
 */
#ifndef PUNT_POLICY_H
#define PUNT_POLICY_H

#include <stdbool.h>
#include <stdint.h>

struct domain;

bool policy_may_communicate(const struct domain *a, const struct domain *b);

/*
 * May caller issue control operation cmd of hypercall nr (HYPERVISOR_platform_op,
 * _sysctl or _domctl)? 0, or -XEN_EPERM.
 */
int policy_control(const struct domain *caller, unsigned nr, uint32_t cmd);

#endif
