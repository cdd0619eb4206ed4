// SPDX-License-Identifier: Apache-2.0
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "punt/bootargs.h"
#include "punt/string.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Splits the next word at *pos; false at the end of the line. */
static bool next_word(const char *s, size_t *pos, const char **word, size_t *len)
{
	size_t i = *pos;

	while (s[i] && is_space(s[i]))
		i++;
	if (!s[i])
		return false;
	*word = s + i;
	while (s[i] && !is_space(s[i]))
		i++;
	*len = (size_t)(s + i - *word);
	*pos = i;
	return true;
}

/* Length of the key part of a word (up to '=' or the whole word). */
static size_t key_len(const char *word, size_t len)
{
	const char *eq = memchr(word, '=', len);

	return eq ? (size_t)(eq - word) : len;
}

static bool same(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

bool bootargs_get(const char *cmdline, const char *key, const char **val, size_t *val_len)
{
	size_t pos = 0, len, klen = strlen(key);
	const char *word;
	bool found = false;

	if (!cmdline)
		return false;
	while (next_word(cmdline, &pos, &word, &len)) {
		size_t kl = key_len(word, len);

		if (!same(word, kl, key, klen))
			continue;
		found = true;
		if (val)
			*val = kl < len ? word + kl + 1 : NULL;
		if (val_len)
			*val_len = kl < len ? len - kl - 1 : 0;
	}
	return found;
}

static bool one_of(const char *v, size_t len, const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (same(v, len, words[i], strlen(words[i])))
			return true;
	}
	return false;
}

/* 1 true, 0 false, -1 not a boolean. */
static int parse_bool(const char *v, size_t len)
{
	static const char *const yes[] = {"1", "yes", "on", "true", "enable"};
	static const char *const no[] = {"0", "no", "off", "false", "disable"};

	if (one_of(v, len, yes, sizeof(yes) / sizeof(yes[0])))
		return 1;
	if (one_of(v, len, no, sizeof(no) / sizeof(no[0])))
		return 0;
	return -1;
}

bool bootargs_bool(const char *cmdline, const char *key, bool dflt)
{
	size_t pos = 0, len, klen = strlen(key);
	const char *word;
	bool result = dflt;

	if (!cmdline)
		return dflt;
	while (next_word(cmdline, &pos, &word, &len)) {
		size_t kl = key_len(word, len);
		int b;

		if (kl == len && len == klen + 3 && memcmp(word, "no-", 3) == 0 &&
		    memcmp(word + 3, key, klen) == 0) {
			result = false;
			continue;
		}
		if (!same(word, kl, key, klen))
			continue;
		if (kl == len) {
			result = true;
			continue;
		}
		b = parse_bool(word + kl + 1, len - kl - 1);
		if (b >= 0)
			result = b == 1;
	}
	return result;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static unsigned suffix_shift(char c)
{
	switch (c) {
	case 'B':
	case 'b':
		return 0;
	case 'K':
	case 'k':
		return 10;
	case 'M':
	case 'm':
		return 20;
	case 'G':
	case 'g':
		return 30;
	case 'T':
	case 't':
		return 40;
	default:
		return 64; /* not a suffix */
	}
}

int parse_size(const char *s, size_t len, uint64_t *out)
{
	unsigned base = 10, shift = 0;
	uint64_t v = 0;
	size_t i = 0, digits = 0;

	if (!s || len == 0)
		return -1;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	for (; i < len; i++, digits++) {
		int d = digit_value(s[i]);

		if (d < 0 || (unsigned)d >= base)
			break;
		if (v > (UINT64_MAX - (unsigned)d) / base)
			return -1;
		v = v * base + (unsigned)d;
	}
	if (digits == 0)
		return -1;
	/* In hex, 'B' is a digit: "0x1B" is 27, as strtoull would read it. */
	if (i + 1 == len) {
		shift = suffix_shift(s[i]);
		if (shift == 64)
			return -1;
	} else if (i != len) {
		return -1;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

int parse_dom0_mem(const char *val, size_t len, uint64_t *bytes)
{
	bool have_plain = false, have_max = false;
	uint64_t plain = 0, max = 0, v;
	size_t i = 0;

	if (!val || len == 0)
		return -1;
	while (i <= len) {
		const char *item = val + i;
		const char *comma = memchr(item, ',', len - i);
		size_t ilen = comma ? (size_t)(comma - item) : len - i;

		if (ilen > 4 && memcmp(item, "max:", 4) == 0) {
			if (parse_size(item + 4, ilen - 4, &max) != 0)
				return -1;
			have_max = true;
		} else if (ilen > 4 && memcmp(item, "min:", 4) == 0) {
			if (parse_size(item + 4, ilen - 4, &v) != 0)
				return -1;
		} else {
			if (parse_size(item, ilen, &plain) != 0)
				return -1;
			have_plain = true;
		}
		i += ilen + 1;
	}
	if (!have_plain && !have_max)
		return -1;
	*bytes = have_plain ? plain : max;
	return 0;
}

int parse_decimal(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}
