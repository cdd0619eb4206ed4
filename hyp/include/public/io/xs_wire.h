// SPDX-License-Identifier: MIT
#ifndef PUBLIC_IO_XS_WIRE_H
#define PUBLIC_IO_XS_WIRE_H

/*
 * The xenstore protocol: message types, the message header, error names, and the shared ring
 * page a guest uses to talk to the xenstore server. A message is a struct xsd_sockmsg followed
 * by len bytes of payload; replies echo req_id and tx_id and carry the request's type or
 * XS_ERROR.
 */

#include "../errno.h"
#include "../xen.h"

enum xsd_sockmsg_type {
	XS_CONTROL = 0,
	XS_DEBUG = XS_CONTROL,
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
	/* 20 is retired */
	XS_RESET_WATCHES = 21,
	XS_DIRECTORY_PART = 22,
	XS_GET_FEATURE = 23,
	XS_SET_FEATURE = 24,
	XS_GET_QUOTA = 25,
	XS_SET_QUOTA = 26,
	XS_TYPE_COUNT,
	XS_INVALID = 0xffff,
};

struct xsd_sockmsg {
	uint32_t type; /* enum xsd_sockmsg_type */
	uint32_t req_id;
	uint32_t tx_id; /* 0: not in a transaction */
	uint32_t len;	/* payload bytes that follow */
};
XEN_CHECK_SIZE(struct xsd_sockmsg, 16);
XEN_CHECK_OFFSET(struct xsd_sockmsg, type, 0);
XEN_CHECK_OFFSET(struct xsd_sockmsg, req_id, 4);
XEN_CHECK_OFFSET(struct xsd_sockmsg, tx_id, 8);
XEN_CHECK_OFFSET(struct xsd_sockmsg, len, 12);

#define XENSTORE_PAYLOAD_MAX  4096
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

/*
 * Error names an XS_ERROR reply may carry (payload "ENOENT\0"), with their numbers. The first
 * entry is the fallback for errors without a name. Expand with an X-macro of your own or with
 * XSD_ERROR_ENTRY, e.g.:
 *   static const struct xsd_errors xsd_errors[] = { XSD_ERROR_LIST(XSD_ERROR_ENTRY) };
 */
#define XSD_ERROR_NAME_MAX 12

struct xsd_errors {
	int32_t errnum;
	char errstring[XSD_ERROR_NAME_MAX]; /* NUL-terminated */
};

#define XSD_ERROR_ENTRY(num, name) {(num), name},

#define XSD_ERROR_LIST(X)                                                                          \
	X(XEN_EINVAL, "EINVAL")                                                                    \
	X(XEN_EACCES, "EACCES")                                                                    \
	X(XEN_EEXIST, "EEXIST")                                                                    \
	X(XEN_EISDIR, "EISDIR")                                                                    \
	X(XEN_ENOENT, "ENOENT")                                                                    \
	X(XEN_ENOMEM, "ENOMEM")                                                                    \
	X(XEN_ENOSPC, "ENOSPC")                                                                    \
	X(XEN_EIO, "EIO")                                                                          \
	X(XEN_ENOTEMPTY, "ENOTEMPTY")                                                              \
	X(XEN_ENOSYS, "ENOSYS")                                                                    \
	X(XEN_EROFS, "EROFS")                                                                      \
	X(XEN_EBUSY, "EBUSY")                                                                      \
	X(XEN_EAGAIN, "EAGAIN")                                                                    \
	X(XEN_EISCONN, "EISCONN")                                                                  \
	X(XEN_E2BIG, "E2BIG")                                                                      \
	X(XEN_EPERM, "EPERM")

/* The ring page shared between a guest and the xenstore server. */
typedef uint32_t XENSTORE_RING_IDX;

#define XENSTORE_RING_SIZE     1024
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

#define XENSTORE_SERVER_FEATURE_RECONNECTION (1u << 0)
#define XENSTORE_SERVER_FEATURE_ERROR	     (1u << 1)
#define XENSTORE_SERVER_FEATURE_WATCHDEPTH   (1u << 2)
#define XENSTORE_SERVER_FEATURE_DOMID_ANY    (1u << 3)

#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1
#define XENSTORE_ERROR_RINGIDX 2
#define XENSTORE_ERROR_PROTO   3

struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE]; /* guest -> server */
	char rsp[XENSTORE_RING_SIZE]; /* server -> guest */
	XENSTORE_RING_IDX req_cons;
	XENSTORE_RING_IDX req_prod;
	XENSTORE_RING_IDX rsp_cons;
	XENSTORE_RING_IDX rsp_prod;
	uint32_t server_features; /* XENSTORE_SERVER_FEATURE_* */
	uint32_t connection;	  /* XENSTORE_CONNECTED or XENSTORE_RECONNECT */
	uint32_t error;		  /* XENSTORE_ERROR_* */
	uint32_t evtchn_port;
};
XEN_CHECK_SIZE(struct xenstore_domain_interface, 2080);
XEN_CHECK_OFFSET(struct xenstore_domain_interface, req, 0);
XEN_CHECK_OFFSET(struct xenstore_domain_interface, rsp, 1024);
XEN_CHECK_OFFSET(struct xenstore_domain_interface, req_cons, 2048);
XEN_CHECK_OFFSET(struct xenstore_domain_interface, req_prod, 2052);
XEN_CHECK_OFFSET(struct xenstore_domain_interface, rsp_cons, 2056);
XEN_CHECK_OFFSET(struct xenstore_domain_interface, rsp_prod, 2060);
XEN_CHECK_OFFSET(struct xenstore_domain_interface, server_features, 2064);
XEN_CHECK_OFFSET(struct xenstore_domain_interface, connection, 2068);
XEN_CHECK_OFFSET(struct xenstore_domain_interface, error, 2072);
XEN_CHECK_OFFSET(struct xenstore_domain_interface, evtchn_port, 2076);

#endif
