// SPDX-License-Identifier: Apache-2.0
/*
 * The dom0 backend for rings (see ring.h), through Linux's Xen devices:
 *   dom0's own ring   /proc/xen/xsd_kva (the page dom0's kernel set aside for xenbus in
 *                     "local" mode) and /proc/xen/xsd_port (its unbound event channel);
 *   other domains     the grant GNTTAB_RESERVED_XENSTORE (Xen public/grant_table.h) mapped
 *                     through /dev/xen/gntdev, falling back to a foreign map of the gfn
 *                     through /dev/xen/privcmd;
 *   event channels    one /dev/xen/evtchn handle per domain (IOCTL_EVTCHN_BIND_INTERDOMAIN),
 *                     so each ring has its own fd to poll;
 *   domain deaths     VIRQ_DOM_EXC on a handle of its own; on each, XEN_DOMCTL_getdomaininfo
 *                     (through IOCTL_PRIVCMD_HYPERCALL) tells which domains shut down or died.
 * Nothing here survives the process: after a restart or a live update every ring is mapped and
 * every channel bound again (closing a handle leaves the domain's end unbound for dom0, as Xen
 * does, so a new bind succeeds).
 */
#ifndef XENSTORED_RING_XEN_H
#define XENSTORED_RING_XEN_H

#include "ring.h"

extern const struct ring_backend ring_xen_backend;

int ring_xen_open(void **ctx);
/* The VIRQ_DOM_EXC handle's fd. */
int ring_xen_virq_fd(void *ctx);
/* Maps dom0's own ring and connects it as domain 0; 0 if dom0's kernel has none (a xenstore
 * domain serves it), else a negative errno. */
int ring_xen_attach_dom0(void *ctx, struct server *s);
/* Called when the VIRQ fd polled readable, and once at start: releases the domains that died
 * and fires @releaseDomain for those that newly shut down. */
void ring_xen_check_domains(void *ctx, struct server *s, bool drain);

#endif
