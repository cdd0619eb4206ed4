// SPDX-License-Identifier: Apache-2.0
/*
 * The xenstore wire protocol as Xen 4.17 clients speak it (Xen public/io/xs_wire.h). The types, the
 * header, the limits and the ring page come from Punt's public ABI header; this adds the
 * names the daemon prints and sends.
 */
#ifndef XENSTORED_WIRE_H
#define XENSTORED_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* The one definition of the protocol, shared with the hypervisor and the guests' headers. */
#include "public/io/xs_wire.h"

#define XS_HDR_SIZE sizeof(struct xsd_sockmsg)

/*
 * The name sent in an XS_ERROR reply for a (positive, Linux-numbered) errno. Errors outside
 * Xen's table are reported as "EINVAL", as Xen does.
 */
const char *wire_errname(int err);

/* Human-readable name of a message type, for logs; "UNKNOWN" if not valid. */
const char *wire_typename(uint32_t type);

#endif
