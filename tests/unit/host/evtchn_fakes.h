// SPDX-License-Identifier: Apache-2.0
/* Host stand-ins for what event_channel.c uses (evtchn_fakes.c). */
#ifndef EVTCHN_FAKES_H
#define EVTCHN_FAKES_H

#include "core_fakes.h"

#include <punt/domain.h>
#include <punt/event_channel.h>

/* upcalls[domid][vcpu]: how many times each vCPU's upcall was raised. */
extern unsigned upcalls[MAX_DOMAINS][4];

struct domain *fake_domain(domid_t id, unsigned vcpus, bool privileged);
void fake_domain_free(struct domain *d);

#endif
