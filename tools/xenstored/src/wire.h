// SPDX-License-Identifier: Apache-2.0
/*
 * The xenstore wire protocol as Xen 4.17 clients speak it (reference §4.3): message types, the
 * 16-byte little-endian header, size limits, the shared ring page and the error names a
 * client understands. Pure constants; no state.
 */
#ifndef XENSTORED_WIRE_H
#define XENSTORED_WIRE_H

#include <stddef.h>
#include <stdint.h>

enum xs_type {
	XS_CONTROL = 0,
	XS_DIRECTORY = 1,
	XS_READ = 2,
	XS_GET_PERMS = 3,
	XS_WATCH = 4,
	XS_UNWATCH = 5,
	XS_TRANSACTION_START = 6,
	XS_TRANSACTION_END = 7,
	XS_INTRODUCE = 8,
	XS_RELEASE = 9,
	XS_GET_DOMAIN_PATH = 10,
	XS_WRITE = 11,
	XS_MKDIR = 12,
	XS_RM = 13,
	XS_SET_PERMS = 14,
	XS_WATCH_EVENT = 15,
	XS_ERROR = 16,
	XS_IS_DOMAIN_INTRODUCED = 17,
	XS_RESUME = 18,
	XS_SET_TARGET = 19,
	/* 20 was XS_RESTRICT, removed upstream: an invalid type now. */
	XS_RESET_WATCHES = 21,
	XS_DIRECTORY_PART = 22,
	XS_TYPE_COUNT = 23,
};

struct xs_msg_hdr {
	uint32_t type;
	uint32_t req_id;
	uint32_t tx_id;
	uint32_t len;
};
_Static_assert(sizeof(struct xs_msg_hdr) == 16, "xsd_sockmsg is 16 bytes");

#define XS_HDR_SIZE	16u
#define XS_PAYLOAD_MAX	4096u
#define XS_ABS_PATH_MAX 3072u
#define XS_REL_PATH_MAX 2048u

/* Domain ids at and above DOMID_FIRST_RESERVED are not real domains. */
#define XS_DOMID_FIRST_RESERVED 0x7ff0u

#define XS_RING_SIZE	  1024u
#define XS_RING_MASK(idx) ((idx) & (XS_RING_SIZE - 1))

struct xs_ring_page {
	char req[XS_RING_SIZE];
	char rsp[XS_RING_SIZE];
	uint32_t req_cons;
	uint32_t req_prod;
	uint32_t rsp_cons;
	uint32_t rsp_prod;
	uint32_t server_features;
	uint32_t connection;
	uint32_t error;
	uint32_t evtchn_port;
};
_Static_assert(offsetof(struct xs_ring_page, rsp) == 1024, "rsp ring offset");
_Static_assert(offsetof(struct xs_ring_page, req_cons) == 2048, "req_cons offset");
_Static_assert(offsetof(struct xs_ring_page, rsp_prod) == 2060, "rsp_prod offset");
_Static_assert(offsetof(struct xs_ring_page, server_features) == 2064, "features offset");
_Static_assert(offsetof(struct xs_ring_page, connection) == 2068, "connection offset");
_Static_assert(offsetof(struct xs_ring_page, error) == 2072, "error offset");
_Static_assert(offsetof(struct xs_ring_page, evtchn_port) == 2076, "evtchn_port offset");

#define XS_FEATURE_RECONNECTION 1u
#define XS_FEATURE_ERROR	2u

#define XS_RING_CONNECTED 0u
#define XS_RING_RECONNECT 1u

#define XS_RING_ERROR_NONE    0u
#define XS_RING_ERROR_COMM    1u
#define XS_RING_ERROR_RINGIDX 2u
#define XS_RING_ERROR_PROTO   3u

/*
 * The name sent in an XS_ERROR reply for a (positive, Linux-numbered) errno. Errors outside
 * Xen's table are reported as "EINVAL", as Xen does.
 */
const char *wire_errname(int err);

/* Human-readable name of a message type, for logs; "UNKNOWN" if not valid. */
const char *wire_typename(uint32_t type);

#endif
