// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "perms.h"

static bool actor_is(const struct actor *who, uint32_t domid)
{
	return domid == who->domid;
}

static bool actor_targets(const struct actor *who, uint32_t domid)
{
	return who->target != DOMID_NONE && domid == who->target;
}

unsigned perm_mask(const struct actor *who, const struct perm *perms, uint32_t nperms)
{
	const unsigned all = PERM_READ | PERM_WRITE | PERM_OWNER;

	if (who->privileged)
		return all;
	if (actor_is(who, perms[0].domid) || actor_targets(who, perms[0].domid))
		return all;
	/* An entry naming the caller itself wins over one naming its target. */
	for (uint32_t i = 1; i < nperms; i++) {
		if (actor_is(who, perms[i].domid))
			return perms[i].mode & PERM_BOTH;
	}
	for (uint32_t i = 1; i < nperms; i++) {
		if (actor_targets(who, perms[i].domid))
			return perms[i].mode & PERM_BOTH;
	}
	return perms[0].mode & PERM_BOTH;
}

static int parse_mode(char c, uint32_t *mode)
{
	switch (c) {
	case 'n':
		*mode = PERM_NONE;
		return 0;
	case 'r':
		*mode = PERM_READ;
		return 0;
	case 'w':
		*mode = PERM_WRITE;
		return 0;
	case 'b':
		*mode = PERM_BOTH;
		return 0;
	default:
		return -EINVAL;
	}
}

static int parse_domid(const char *s, uint32_t *domid)
{
	uint32_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (uint32_t)(*s - '0');
		if (v > 0xffff)
			return -EINVAL;
	}
	*domid = v;
	return 0;
}

int perms_parse(const char *buf, size_t len, struct perm *out, uint32_t max)
{
	size_t off = 0;
	int n = 0;

	if (!len || buf[len - 1] != '\0')
		return -EINVAL;
	while (off < len) {
		const char *s = buf + off;
		struct perm p;

		if (parse_mode(s[0], &p.mode) || parse_domid(s + 1, &p.domid))
			return -EINVAL;
		if ((uint32_t)n < max)
			out[n] = p;
		n++;
		off += strlen(s) + 1;
	}
	return n;
}

int perms_format(const struct perm *perms, uint32_t nperms, char *out, size_t cap)
{
	static const char modes[] = {'n', 'r', 'w', 'b'};
	size_t off = 0;

	for (uint32_t i = 0; i < nperms; i++) {
		int w = snprintf(out + off, cap - off, "%c%u", modes[perms[i].mode & PERM_BOTH],
				 perms[i].domid);

		if (w < 0 || off + (size_t)w + 1 > cap)
			return -E2BIG;
		off += (size_t)w + 1;
	}
	return (int)off;
}
