// SPDX-License-Identifier: Apache-2.0
/* A small vsnprintf (%d %i %u %x %p %s %c %%, l/ll/z, width, '0', '#') and string helpers. */
#include "rt.h"

struct out {
	char *buf;
	size_t len, pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_num(struct out *o, unsigned long long v, unsigned base, bool neg, int width,
		    char pad, const char *prefix)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	int total = n + (neg ? 1 : 0) + (int)rt_strnlen(prefix, 4);
	if (pad == ' ')
		for (; width > total; width--)
			put(o, ' ');
	if (neg)
		put(o, '-');
	while (*prefix)
		put(o, *prefix++);
	for (; width > total; width--)
		put(o, '0');
	while (n)
		put(o, tmp[--n]);
}

static unsigned long long arg_unsigned(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, unsigned long long);
	if (lng == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long arg_signed(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, long long);
	if (lng == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

int rt_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct out o = {buf, len, 0};
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		bool alt = false;
		char pad = ' ';
		int width = 0, lng = 0;
		for (; *fmt == '#' || *fmt == '0'; fmt++) {
			if (*fmt == '#')
				alt = true;
			else
				pad = '0';
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng++;
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = arg_signed(&args, lng);
			put_num(&o, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v,
				10, v < 0, width, pad, "");
			break;
		}
		case 'u':
			put_num(&o, arg_unsigned(&args, lng), 10, false, width, pad, "");
			break;
		case 'x':
			put_num(&o, arg_unsigned(&args, lng), 16, false, width, pad,
				alt ? "0x" : "");
			break;
		case 'p':
			put_num(&o, (uintptr_t)va_arg(args, void *), 16, false, width, pad, "0x");
			break;
		case 'c':
			put(&o, (char)va_arg(args, int));
			break;
		case 's': {
			const char *s = va_arg(args, const char *);
			for (s = s ? s : "(null)"; *s; s++)
				put(&o, *s);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			put(&o, '?');
			if (!*fmt)
				fmt--;
			break;
		}
	}
	va_end(args);
	if (len)
		buf[o.pos < len ? o.pos : len - 1] = '\0';
	return (int)o.pos;
}

int rt_snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = rt_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

void *memset(void *d, int c, size_t n)
{
	volatile unsigned char *p = d;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	volatile unsigned char *dp = d;
	const unsigned char *sp = s;
	while (n--)
		*dp++ = *sp++;
	return d;
}

size_t rt_strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int rt_strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

bool rt_contains(const char *hay, size_t len, const char *needle)
{
	size_t nl = rt_strnlen(needle, len + 1);
	for (size_t i = 0; i + nl <= len; i++)
		if (!rt_strncmp(hay + i, needle, nl))
			return true;
	return false;
}
