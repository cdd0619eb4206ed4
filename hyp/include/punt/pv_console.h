// SPDX-License-Identifier: Apache-2.0
/*
 * The PV console of an enhanced guest (Linux's hvc0), served by Punt: one
 * ring page (struct xencons_interface) mapped at Xen's magic console GFN,
 * outside the guest's RAM, and one event channel whose far end is Punt
 * (ECS_HYP). The domain builder creates both and publishes them in
 * HVM_PARAM_CONSOLE_PFN / _EVTCHN; domain_destroy() releases them.
 *
 * This is the console backend interface: the builder calls init/destroy, the
 * console's input path calls receive, and everything else (draining the out
 * ring when the guest sends, raising the port) stays in pv_console.c. A dom0
 * backend taking over later would need only this seam: give the ring page a
 * grant (Xen public/grant_table.h, GNTTAB_RESERVED_CONSOLE, ref 0) and make the port an unbound one
 * for dom0 instead of an ECS_HYP one; nothing outside this file and the builder knows who serves
 * the ring.
 *
 * The ring is guest memory: Punt keeps its own copies of the indices it
 * produces or consumes, reads the guest's index once per pass, checks it,
 * and stops serving a ring whose indices make no sense, with one message.
 * Output takes the console's out lock, input its in lock; both are taken
 * before the domain lock (evtchn_hyp_notify) and the UART lock.
 */
#ifndef PUNT_PV_CONSOLE_H
#define PUNT_PV_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

struct domain;

/* Allocate the ring and the port, map the page, set the HVM params. Negative Xen errno. */
int pvcons_domain_init(struct domain *d);
/* Free what init allocated (also after a failed init). The domain must not be running. */
void pvcons_domain_destroy(struct domain *d);
/* Console input for d: as many bytes as fit in its in ring; the rest are dropped. */
void pvcons_receive(struct domain *d, const char *s, size_t n);
/* For the 'd' debug key: where the ring is and how far Punt got. */
void pvcons_dump(struct domain *d);
/* The guest stopped being served because its ring indices were nonsense. */
bool pvcons_broken(const struct domain *d);

#endif
