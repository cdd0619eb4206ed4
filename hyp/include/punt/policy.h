// SPDX-License-Identifier: Apache-2.0
/*
 * Who may talk to whom: the one decision behind inter-domain event channels,
 * grant mappings and grant copies. Default policy: a domain may always use
 * its own resources; the control domain may talk to anyone and anyone to it;
 * two other domains only when their boot configuration links them (a static
 * event channel between them). Everything else is refused with the error the
 * operation defines for "not permitted".
 */
#ifndef PUNT_POLICY_H
#define PUNT_POLICY_H

#include <stdbool.h>

struct domain;

bool policy_may_communicate(const struct domain *a, const struct domain *b);

#endif
