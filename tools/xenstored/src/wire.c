// SPDX-License-Identifier: Apache-2.0
#include "wire.h"

/*
 * Xen's table of the errors a reply may name, in its order. Xen's errno values are Linux's and
 * this daemon runs on Linux, so the numbers compare with errno as they are (the public ABI unit
 * test checks every entry against the C library's).
 */
static const struct xsd_errors errnames[] = {XSD_ERROR_LIST(XSD_ERROR_ENTRY)};

const char *wire_errname(int err)
{
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++) {
		if (errnames[i].errnum == err)
			return errnames[i].errstring;
	}
	return "EINVAL";
}

static const char *const typenames[XS_TYPE_COUNT] = {
    [XS_CONTROL] = "CONTROL",
    [XS_DIRECTORY] = "DIRECTORY",
    [XS_READ] = "READ",
    [XS_GET_PERMS] = "GET_PERMS",
    [XS_WATCH] = "WATCH",
    [XS_UNWATCH] = "UNWATCH",
    [XS_TRANSACTION_START] = "TRANSACTION_START",
    [XS_TRANSACTION_END] = "TRANSACTION_END",
    [XS_INTRODUCE] = "INTRODUCE",
    [XS_RELEASE] = "RELEASE",
    [XS_GET_DOMAIN_PATH] = "GET_DOMAIN_PATH",
    [XS_WRITE] = "WRITE",
    [XS_MKDIR] = "MKDIR",
    [XS_RM] = "RM",
    [XS_SET_PERMS] = "SET_PERMS",
    [XS_WATCH_EVENT] = "WATCH_EVENT",
    [XS_ERROR] = "ERROR",
    [XS_IS_DOMAIN_INTRODUCED] = "IS_DOMAIN_INTRODUCED",
    [XS_RESUME] = "RESUME",
    [XS_SET_TARGET] = "SET_TARGET",
    [XS_RESET_WATCHES] = "RESET_WATCHES",
    [XS_DIRECTORY_PART] = "DIRECTORY_PART",
    [XS_GET_FEATURE] = "GET_FEATURE",
    [XS_SET_FEATURE] = "SET_FEATURE",
    [XS_GET_QUOTA] = "GET_QUOTA",
    [XS_SET_QUOTA] = "SET_QUOTA",
};

const char *wire_typename(uint32_t type)
{
	if (type >= XS_TYPE_COUNT || !typenames[type])
		return "UNKNOWN";
	return typenames[type];
}
