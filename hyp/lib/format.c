// SPDX-License-Identifier: Apache-2.0
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "punt/format.h"
#include "punt/string.h"

/* %z and %t read the same slot width; this holds on every target Punt builds for. */
_Static_assert(sizeof(size_t) == sizeof(ptrdiff_t), "size_t and ptrdiff_t differ in width");

#define FMT_INT_MAX 0x7fffffff

enum fmt_flag {
	FLAG_MINUS = 1u << 0,
	FLAG_PLUS = 1u << 1,
	FLAG_SPACE = 1u << 2,
	FLAG_ALT = 1u << 3,
	FLAG_ZERO = 1u << 4,
};

enum fmt_length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

struct fmt_spec {
	unsigned flags;
	int width;
	int precision; /* negative: none given */
	enum fmt_length length;
	char conv;
};

struct fmt_out {
	fmt_sink_fn sink;
	void *ctx;
	size_t count;
};

static void emit(struct fmt_out *out, const char *s, size_t n)
{
	if (n == 0)
		return;
	out->sink(out->ctx, s, n);
	out->count += n;
}

static void emit_repeated(struct fmt_out *out, char c, size_t n)
{
	static const char spaces[16] = "                ";
	static const char zeros[16] = "0000000000000000";
	const char *chunk = c == '0' ? zeros : spaces;

	while (n > 0) {
		size_t step = n < sizeof(spaces) ? n : sizeof(spaces);

		emit(out, chunk, step);
		n -= step;
	}
}

static size_t pad_needed(const struct fmt_spec *spec, size_t len)
{
	if ((size_t)spec->width <= len)
		return 0;
	return (size_t)spec->width - len;
}

/* Emits body (len bytes) padded with spaces to the field width, on the side the flags say. */
static void emit_padded(struct fmt_out *out, const struct fmt_spec *spec, const char *body,
			size_t len)
{
	size_t pad = pad_needed(spec, len);

	if (!(spec->flags & FLAG_MINUS))
		emit_repeated(out, ' ', pad);
	emit(out, body, len);
	if (spec->flags & FLAG_MINUS)
		emit_repeated(out, ' ', pad);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int saturating_add_digit(int value, char digit)
{
	int d = digit - '0';

	if (value > (FMT_INT_MAX - d) / 10)
		return FMT_INT_MAX;
	return value * 10 + d;
}

static const char *parse_flags(const char *p, struct fmt_spec *spec)
{
	for (;; p++) {
		switch (*p) {
		case '-':
			spec->flags |= FLAG_MINUS;
			break;
		case '+':
			spec->flags |= FLAG_PLUS;
			break;
		case ' ':
			spec->flags |= FLAG_SPACE;
			break;
		case '#':
			spec->flags |= FLAG_ALT;
			break;
		case '0':
			spec->flags |= FLAG_ZERO;
			break;
		default:
			return p;
		}
	}
}

static const char *parse_width(const char *p, struct fmt_spec *spec, va_list *ap)
{
	if (*p == '*') {
		int w = va_arg(*ap, int);

		/* C 7.21.6.1p5: a negative width argument is a '-' flag plus a positive width. */
		if (w < 0) {
			spec->flags |= FLAG_MINUS;
			w = w < -FMT_INT_MAX ? FMT_INT_MAX : -w;
		}
		spec->width = w;
		return p + 1;
	}
	while (is_digit(*p))
		spec->width = saturating_add_digit(spec->width, *p++);
	return p;
}

static const char *parse_precision(const char *p, struct fmt_spec *spec, va_list *ap)
{
	if (*p != '.')
		return p;
	p++;
	spec->precision = 0;
	if (*p == '*') {
		int prec = va_arg(*ap, int);

		/* A negative precision argument counts as if none were given. */
		spec->precision = prec < 0 ? -1 : prec;
		return p + 1;
	}
	while (is_digit(*p))
		spec->precision = saturating_add_digit(spec->precision, *p++);
	return p;
}

static const char *parse_length(const char *p, struct fmt_spec *spec)
{
	switch (*p) {
	case 'h':
		if (p[1] == 'h') {
			spec->length = LEN_HH;
			return p + 2;
		}
		spec->length = LEN_H;
		return p + 1;
	case 'l':
		if (p[1] == 'l') {
			spec->length = LEN_LL;
			return p + 2;
		}
		spec->length = LEN_L;
		return p + 1;
	case 'z':
		spec->length = LEN_Z;
		return p + 1;
	case 'j':
		spec->length = LEN_J;
		return p + 1;
	case 't':
		spec->length = LEN_T;
		return p + 1;
	default:
		return p;
	}
}

static intmax_t read_signed(const struct fmt_spec *spec, va_list *ap)
{
	switch (spec->length) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	case LEN_NONE:
	default:
		return va_arg(*ap, int);
	}
}

static uintmax_t read_unsigned(const struct fmt_spec *spec, va_list *ap)
{
	switch (spec->length) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
	case LEN_T:
		return va_arg(*ap, size_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	case LEN_NONE:
	default:
		return va_arg(*ap, unsigned int);
	}
}

static unsigned base_of(char conv)
{
	switch (conv) {
	case 'o':
		return 8;
	case 'x':
	case 'X':
	case 'p':
		return 16;
	default:
		return 10;
	}
}

/* Writes the digits of value at the end of buf[size]; returns where they start. */
static char *digits_of(uintmax_t value, unsigned base, bool upper, char *buf, size_t size)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = buf + size;

	do {
		*--p = set[value % base];
		value /= base;
	} while (value != 0);
	return p;
}

/* Sign or base prefix for an integer conversion, per the flags. */
static const char *int_prefix(const struct fmt_spec *spec, uintmax_t magnitude, bool negative)
{
	bool is_signed = spec->conv == 'd' || spec->conv == 'i';

	if (spec->conv == 'p')
		return "0x";
	if (is_signed && negative)
		return "-";
	if (is_signed && (spec->flags & FLAG_PLUS))
		return "+";
	if (is_signed && (spec->flags & FLAG_SPACE))
		return " ";
	if ((spec->flags & FLAG_ALT) && magnitude != 0 && spec->conv == 'x')
		return "0x";
	if ((spec->flags & FLAG_ALT) && magnitude != 0 && spec->conv == 'X')
		return "0X";
	return "";
}

static void format_integer(struct fmt_out *out, const struct fmt_spec *spec, uintmax_t magnitude,
			   bool negative)
{
	char buf[24]; /* 22 octal digits cover 64 bits */
	const char *digits = buf + sizeof(buf);
	size_t ndigits = 0;
	size_t zeros = 0;
	const char *prefix = int_prefix(spec, magnitude, negative);
	size_t prefix_len = strlen(prefix);
	size_t len;
	size_t pad;

	/* C: zero with an explicit precision of zero produces no digits at all. */
	if (magnitude != 0 || spec->precision != 0) {
		digits =
		    digits_of(magnitude, base_of(spec->conv), spec->conv == 'X', buf, sizeof(buf));
		ndigits = (size_t)(buf + sizeof(buf) - digits);
	}
	if (spec->precision > 0 && (size_t)spec->precision > ndigits)
		zeros = (size_t)spec->precision - ndigits;
	/* %#o raises the precision just enough for the first digit to be a zero. */
	if (spec->conv == 'o' && (spec->flags & FLAG_ALT) && zeros == 0 &&
	    (ndigits == 0 || digits[0] != '0'))
		zeros = 1;
	len = prefix_len + zeros + ndigits;
	pad = pad_needed(spec, len);
	/* The '0' flag pads with zeros after the prefix, unless '-' or a precision overrides it. */
	if ((spec->flags & FLAG_ZERO) && !(spec->flags & FLAG_MINUS) && spec->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(spec->flags & FLAG_MINUS))
		emit_repeated(out, ' ', pad);
	emit(out, prefix, prefix_len);
	emit_repeated(out, '0', zeros);
	emit(out, digits, ndigits);
	if (spec->flags & FLAG_MINUS)
		emit_repeated(out, ' ', pad);
}

static void format_signed(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
	intmax_t value = read_signed(spec, ap);
	bool negative = value < 0;
	uintmax_t magnitude = negative ? (uintmax_t)0 - (uintmax_t)value : (uintmax_t)value;

	format_integer(out, spec, magnitude, negative);
}

/* strnlen(), which is POSIX rather than C11: never reads past max bytes. */
static size_t bounded_length(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

static void format_string(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
	const char *s = va_arg(*ap, const char *);
	size_t len;

	if (s == NULL)
		s = "(null)";
	len = spec->precision >= 0 ? bounded_length(s, (size_t)spec->precision) : strlen(s);
	emit_padded(out, spec, s, len);
}

static void format_char(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
	char c = (char)va_arg(*ap, int);

	emit_padded(out, spec, &c, 1);
}

/* Returns false if conv is not a conversion this formatter knows. */
static bool format_conversion(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
	switch (spec->conv) {
	case 'd':
	case 'i':
		format_signed(out, spec, ap);
		return true;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		format_integer(out, spec, read_unsigned(spec, ap), false);
		return true;
	case 'p':
		format_integer(out, spec, (uintptr_t)va_arg(*ap, void *), false);
		return true;
	case 's':
		format_string(out, spec, ap);
		return true;
	case 'c':
		format_char(out, spec, ap);
		return true;
	case '%':
		emit(out, "%", 1);
		return true;
	default:
		return false;
	}
}

/* Handles one directive starting at the '%' in start; returns where the text resumes. */
static const char *format_directive(struct fmt_out *out, const char *start, va_list *ap)
{
	struct fmt_spec spec = {.width = 0, .precision = -1};
	const char *p = start + 1;

	p = parse_flags(p, &spec);
	p = parse_width(p, &spec, ap);
	p = parse_precision(p, &spec, ap);
	p = parse_length(p, &spec);
	spec.conv = *p;
	if (spec.conv == '\0') {
		emit(out, start, (size_t)(p - start));
		return p;
	}
	if (!format_conversion(out, &spec, ap))
		emit(out, start, (size_t)(p + 1 - start));
	return p + 1;
}

static void format_all(struct fmt_out *out, const char *fmt, va_list *ap)
{
	const char *p = fmt;

	while (*p != '\0') {
		const char *pct = strchr(p, '%');

		if (pct == NULL) {
			emit(out, p, strlen(p));
			return;
		}
		emit(out, p, (size_t)(pct - p));
		p = format_directive(out, pct, ap);
	}
}

static int clamp_count(size_t count)
{
	return count > FMT_INT_MAX ? FMT_INT_MAX : (int)count;
}

int fmt_vprint(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out out = {.sink = sink, .ctx = ctx, .count = 0};
	va_list args;

	/* A va_list parameter may be an array type; copy it so it can be passed by pointer. */
	va_copy(args, ap);
	format_all(&out, fmt, &args);
	va_end(args);
	return clamp_count(out.count);
}

int fmt_print(fmt_sink_fn sink, void *ctx, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vprint(sink, ctx, fmt, ap);
	va_end(ap);
	return n;
}

struct buffer_sink {
	char *buf;
	size_t size;
	size_t stored;
};

static void buffer_sink_write(void *ctx, const char *s, size_t n)
{
	struct buffer_sink *b = ctx;
	size_t room;

	if (b->size == 0 || b->stored >= b->size - 1)
		return;
	room = b->size - 1 - b->stored;
	if (n > room)
		n = room;
	memcpy(b->buf + b->stored, s, n);
	b->stored += n;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer_sink b = {.buf = buf, .size = size, .stored = 0};
	int n = fmt_vprint(buffer_sink_write, &b, fmt, ap);

	if (size > 0)
		buf[b.stored] = '\0';
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
