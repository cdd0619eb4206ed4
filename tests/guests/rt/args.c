// SPDX-License-Identifier: Apache-2.0
/* key=value arguments from /chosen/bootargs: how a scenario tells each domain its part. */
#include "rt.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The value of the first word "key=value" (or "" for a bare "key"); NULL if absent. */
static const char *find_value(const char *key, size_t *len)
{
	const char *s = rt_plat.bootargs;
	size_t kl = rt_strnlen(key, 64);

	while (*s) {
		while (is_space(*s))
			s++;
		const char *word = s;
		while (*s && !is_space(*s))
			s++;
		size_t wl = (size_t)(s - word);
		if (wl < kl || rt_strncmp(word, key, kl))
			continue;
		if (wl == kl) {
			*len = 0;
			return word + kl;
		}
		if (word[kl] == '=') {
			*len = wl - kl - 1;
			return word + kl + 1;
		}
	}
	return NULL;
}

bool rt_arg(const char *key, char *buf, size_t len)
{
	size_t vl;
	const char *v = find_value(key, &vl);

	if (!v)
		return false;
	if (len) {
		size_t n = vl < len - 1 ? vl : len - 1;
		memcpy(buf, v, n);
		buf[n] = '\0';
	}
	return true;
}

static int digit(char c, unsigned base)
{
	int d = c >= '0' && c <= '9'   ? c - '0'
		: c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10
				       : 99;
	return d < (int)base ? d : -1;
}

bool rt_arg_u64(const char *key, uint64_t *out)
{
	size_t vl;
	const char *v = find_value(key, &vl);
	unsigned base = 10;
	uint64_t n = 0;

	if (!v || !vl)
		return false;
	if (vl > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		base = 16;
		v += 2;
		vl -= 2;
	}
	for (size_t i = 0; i < vl; i++) {
		int d = digit(v[i], base);
		if (d < 0)
			return false;
		n = n * base + (unsigned)d;
	}
	*out = n;
	return true;
}
