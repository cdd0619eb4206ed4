// SPDX-License-Identifier: MIT
#ifndef PUBLIC_IO_CONSOLE_H
#define PUBLIC_IO_CONSOLE_H

/*
 * The PV console ring page. Indices are free-running 32-bit counters; a byte's slot is
 * index & (ring size - 1). The guest produces into out[] and consumes in[]; the backend does
 * the opposite. Each side raises the console event channel after moving an index.
 */

#include "../xen.h"

typedef uint32_t XENCONS_RING_IDX;

#define XENCONS_IN_SIZE	 1024
#define XENCONS_OUT_SIZE 2048

#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

#define XENCONSOLE_CONNECTED	0
#define XENCONSOLE_DISCONNECTED 1

struct xencons_interface {
	char in[XENCONS_IN_SIZE];   /* backend -> guest */
	char out[XENCONS_OUT_SIZE]; /* guest -> backend */
	XENCONS_RING_IDX in_cons;
	XENCONS_RING_IDX in_prod;
	XENCONS_RING_IDX out_cons;
	XENCONS_RING_IDX out_prod;
	uint8_t connection; /* XENCONSOLE_*; unused by Linux 6.1 */
	uint8_t pad0[3];
};
XEN_CHECK_OFFSET(struct xencons_interface, in, 0);
XEN_CHECK_OFFSET(struct xencons_interface, out, 1024);
XEN_CHECK_OFFSET(struct xencons_interface, in_cons, 3072);
XEN_CHECK_OFFSET(struct xencons_interface, in_prod, 3076);
XEN_CHECK_OFFSET(struct xencons_interface, out_cons, 3080);
XEN_CHECK_OFFSET(struct xencons_interface, out_prod, 3084);
XEN_CHECK_OFFSET(struct xencons_interface, connection, 3088);
_Static_assert(sizeof(struct xencons_interface) <= XEN_PAGE_SIZE, "console ring fits a page");

#endif
