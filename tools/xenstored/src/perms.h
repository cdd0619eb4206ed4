// SPDX-License-Identifier: Apache-2.0
/*
 * Xen's permission model. A node's permission list starts with its owner, whose mode is also
 * the default for any domain not listed; later entries grant one domain none/read/write/both.
 * The owner, a privileged caller (dom0) and a domain that was made the owner's device model
 * through SET_TARGET get everything.
 */
#ifndef XENSTORED_PERMS_H
#define XENSTORED_PERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define DOMID_NONE UINT32_MAX

/* Who is asking: the connection's domain, its SET_TARGET target and its privilege. */
struct actor {
	uint32_t domid;
	uint32_t target;
	bool privileged;
};

/* PERM_READ/PERM_WRITE/PERM_OWNER bits the actor holds on a node with these permissions. */
unsigned perm_mask(const struct actor *who, const struct perm *perms, uint32_t nperms);

/*
 * Parses a sequence of NUL-terminated permission strings ("b0\0r5\0") occupying exactly len
 * bytes. Returns the count (>= 1) or -EINVAL; at most max entries are stored.
 */
int perms_parse(const char *buf, size_t len, struct perm *out, uint32_t max);

/* Formats permissions the way GET_PERMS replies ("n0\0r5\0"); returns bytes or -E2BIG. */
int perms_format(const struct perm *perms, uint32_t nperms, char *out, size_t cap);

#endif
