// SPDX-License-Identifier: Apache-2.0
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "punt/format.h"

/*
 * The host C library's vsnprintf is the oracle: for every case, fmt_vsnprintf must produce
 * the same bytes and the same return value, at every buffer size from 0 to beyond the need.
 */

#define OUT_MAX 512
#define CANARY	0x5a

static int mismatches;

static void report(const char *where, const char *fmt, size_t size, const char *want, int want_n,
		   const char *got, int got_n)
{
	mismatches++;
	print_error("%s: format \"%s\" size %zu: expected \"%s\" (%d), got \"%s\" (%d)\n", where,
		    fmt, size, want, want_n, got, got_n);
}

/* Compares one formatting at one buffer size; also checks nothing past size was touched. */
static void compare_at_size(const char *where, size_t size, const char *fmt, va_list ap)
{
	char want[OUT_MAX + 8];
	char got[OUT_MAX + 8];
	int want_n;
	int got_n;
	va_list a1;
	va_list a2;

	memset(want, CANARY, sizeof(want));
	memset(got, CANARY, sizeof(got));
	va_copy(a1, ap);
	va_copy(a2, ap);
	want_n = vsnprintf(want, size, fmt, a1);
	got_n = fmt_vsnprintf(got, size, fmt, a2);
	va_end(a1);
	va_end(a2);
	if (want_n != got_n || memcmp(want, got, sizeof(want)) != 0)
		report(where, fmt, size, size ? want : "", want_n, size ? got : "", got_n);
}

static void expect_like_libc_at(const char *where, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void expect_like_libc_at(const char *where, const char *fmt, ...)
{
	va_list ap;
	va_list probe;
	char full[OUT_MAX];
	int need;
	size_t sizes[7];
	size_t i;

	va_start(ap, fmt);
	va_copy(probe, ap);
	need = vsnprintf(full, sizeof(full), fmt, probe);
	va_end(probe);
	assert_true(need >= 0 && need < OUT_MAX - 2);
	sizes[0] = 0;
	sizes[1] = 1;
	sizes[2] = 2;
	sizes[3] = (size_t)need / 2 + 1;
	sizes[4] = (size_t)need;
	sizes[5] = (size_t)need + 1;
	sizes[6] = OUT_MAX;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		compare_at_size(where, sizes[i], fmt, ap);
	va_end(ap);
}

#define STR2(x)		      #x
#define STR(x)		      STR2(x)
#define EXPECT_LIKE_LIBC(...) expect_like_libc_at(__FILE__ ":" STR(__LINE__), __VA_ARGS__)

static void assert_no_mismatch(void)
{
	int seen = mismatches;

	mismatches = 0;
	assert_int_equal(seen, 0);
}

static void signed_decimal_matches_libc(void **state)
{
	(void)state;
	EXPECT_LIKE_LIBC("%d", 0);
	EXPECT_LIKE_LIBC("%d", 42);
	EXPECT_LIKE_LIBC("%d", -42);
	EXPECT_LIKE_LIBC("%i", INT_MAX);
	EXPECT_LIKE_LIBC("%i", INT_MIN);
	EXPECT_LIKE_LIBC("%5d|%-5d|%05d", 42, 42, 42);
	EXPECT_LIKE_LIBC("%5d|%-5d|%05d", -42, -42, -42);
	EXPECT_LIKE_LIBC("%+d|%+d|% d|% d", 7, -7, 7, -7);
	EXPECT_LIKE_LIBC("%.3d|%.3d|%8.3d|%-8.3d", 7, -7, 7, -7);
	EXPECT_LIKE_LIBC("%.0d|%.0d|%5.0d|%-5.0d|", 0, 1, 0, 0);
	EXPECT_LIKE_LIBC("%+.0d|% .0d|%+5.0d", 0, 0, 0);
	EXPECT_LIKE_LIBC("%*d|%-*d|%*d", 6, 12, 6, 12, -6, 12);
	EXPECT_LIKE_LIBC("%.*d|%.*d|%*.*d", 4, 3, -1, 3, 7, 5, -3);
	EXPECT_LIKE_LIBC("%1d|%2d|%20d", 123, 123, 123);
	EXPECT_LIKE_LIBC("%hhd|%hhd|%hhd", 127, -128, 300);
	EXPECT_LIKE_LIBC("%hd|%hd|%hd", 32767, -32768, 70000);
	EXPECT_LIKE_LIBC("%ld|%ld", LONG_MAX, LONG_MIN);
	EXPECT_LIKE_LIBC("%lld|%lld", LLONG_MAX, LLONG_MIN);
	EXPECT_LIKE_LIBC("%jd|%jd", INTMAX_MAX, INTMAX_MIN);
	EXPECT_LIKE_LIBC("%zd|%td", (ptrdiff_t)-5, (ptrdiff_t)PTRDIFF_MIN);
	assert_no_mismatch();
}

static void unsigned_conversions_match_libc(void **state)
{
	(void)state;
	EXPECT_LIKE_LIBC("%u|%u|%u", 0u, 1u, UINT_MAX);
	EXPECT_LIKE_LIBC("%x|%X|%o", 0xdeadbeefu, 0xdeadbeefu, 0755u);
	EXPECT_LIKE_LIBC("%#x|%#X|%#o", 0xbeefu, 0xbeefu, 0755u);
	EXPECT_LIKE_LIBC("%#x|%#X|%#o", 0u, 0u, 0u);
	EXPECT_LIKE_LIBC("%#.0o|%.0o|%#.0x|%.0x|", 0u, 0u, 0u, 0u);
	EXPECT_LIKE_LIBC("%#5o|%#.5o|%#08o|%#-8o|", 8u, 8u, 8u, 8u);
	EXPECT_LIKE_LIBC("%08X|%-8X|%.8x", 0x1fu, 0x1fu, 0x1fu);
	EXPECT_LIKE_LIBC("%#010x|%#-10x|%#10.6x", 0xabcu, 0xabcu, 0xabcu);
	EXPECT_LIKE_LIBC("%+08d|% 08d", 5, 5);
	EXPECT_LIKE_LIBC("%hhu|%hhx|%hho", 511u, 511u, 511u);
	EXPECT_LIKE_LIBC("%hu|%hx|%ho", 0x12345u, 0x12345u, 0x12345u);
	EXPECT_LIKE_LIBC("%lu|%lx|%lo", ULONG_MAX, ULONG_MAX, ULONG_MAX);
	EXPECT_LIKE_LIBC("%llu|%llX|%llo", ULLONG_MAX, 0x0123456789abcdefull, 1ull << 63);
	EXPECT_LIKE_LIBC("%zu|%zx|%ju|%jx", SIZE_MAX, (size_t)4096, UINTMAX_MAX, (uintmax_t)1);
	EXPECT_LIKE_LIBC("%tu|%tx", (ptrdiff_t)12345, (ptrdiff_t)0xfff);
	assert_no_mismatch();
}

/* C defines these combinations (one flag overrides the other); gcc warns that they are redundant.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
static void overridden_flags_are_ignored_like_libc(void **state)
{
	(void)state;
	EXPECT_LIKE_LIBC("%+ d|% +d", 7, 7);
	EXPECT_LIKE_LIBC("%08.3d|%-08d|%010.6x|%-#08o", 5, 5, 0xabcu, 9u);
	EXPECT_LIKE_LIBC("%+u|% u|%+x|% o|%+X", 5u, 5u, 5u, 5u, 5u);
	assert_no_mismatch();
}
#pragma GCC diagnostic pop

static void chars_strings_and_percent_match_libc(void **state)
{
	(void)state;
	EXPECT_LIKE_LIBC("%c%c%c", 'a', 'b', 'c');
	EXPECT_LIKE_LIBC("[%5c][%-5c][%*c]", 'x', 'y', 3, 'z');
	EXPECT_LIKE_LIBC("%s", "");
	EXPECT_LIKE_LIBC("%s|%s", "hello", "world");
	EXPECT_LIKE_LIBC("[%10s][%-10s][%2s]", "abc", "abc", "abcdef");
	EXPECT_LIKE_LIBC("[%.2s][%.0s][%.10s]", "abcdef", "abcdef", "abc");
	EXPECT_LIKE_LIBC("[%8.3s][%-8.3s][%*.*s]", "abcdef", "abcdef", -7, 2, "abcdef");
	EXPECT_LIKE_LIBC("[%.*s]", -1, "negative precision means none");
	EXPECT_LIKE_LIBC("100%%|%%d|x%%y");
	EXPECT_LIKE_LIBC("no directives at all");
	EXPECT_LIKE_LIBC("%s=%d, %s=%#x, %c", "a", -1, "b", 255u, '!');
	assert_no_mismatch();
}

static void pointer_matches_libc_for_non_null(void **state)
{
	int object;
	void *p = &object;
	void *low = (void *)(uintptr_t)0x1000;
	void *high = (void *)(uintptr_t)UINTPTR_MAX;

	(void)state;
	EXPECT_LIKE_LIBC("%p|%p|%p", p, low, high);
	EXPECT_LIKE_LIBC("[%20p][%-20p]", low, low);
	assert_no_mismatch();
}

static void pointer_is_0x_prefixed_lowercase_hex(void **state)
{
	char buf[64];
	int n;

	(void)state;
	n = fmt_snprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0xABCDEF12);
	assert_string_equal(buf, "0xabcdef12");
	assert_int_equal(n, 10);
	n = fmt_snprintf(buf, sizeof(buf), "%p", (void *)NULL);
	assert_string_equal(buf, "0x0");
	assert_int_equal(n, 3);
	n = fmt_snprintf(buf, sizeof(buf), "[%6p]", (void *)NULL);
	assert_string_equal(buf, "[   0x0]");
	assert_int_equal(n, 8);
}

static const char *null_string(void)
{
	/* Returned from a function so that the compiler cannot see the NULL at the call. */
	static const char *volatile nothing = NULL;

	return nothing;
}

static void null_string_prints_null_marker(void **state)
{
	char buf[64];
	int n;

	(void)state;
	n = fmt_snprintf(buf, sizeof(buf), "%s", null_string());
	assert_string_equal(buf, "(null)");
	assert_int_equal(n, 6);
	n = fmt_snprintf(buf, sizeof(buf), "[%8s][%-8s]", null_string(), null_string());
	assert_string_equal(buf, "[  (null)][(null)  ]");
	assert_int_equal(n, 20);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
static void unknown_conversion_is_printed_literally(void **state)
{
	char buf[64];
	int n;

	(void)state;
	n = fmt_snprintf(buf, sizeof(buf), "a%yb");
	assert_string_equal(buf, "a%yb");
	assert_int_equal(n, 4);
	n = fmt_snprintf(buf, sizeof(buf), "[%-08.3lY]");
	assert_string_equal(buf, "[%-08.3lY]");
	assert_int_equal(n, 10);
	n = fmt_snprintf(buf, sizeof(buf), "%k then %d", 5);
	assert_string_equal(buf, "%k then 5");
	assert_int_equal(n, 9);
}

static void lone_percent_at_end_is_printed(void **state)
{
	char buf[64];
	int n;

	(void)state;
	n = fmt_snprintf(buf, sizeof(buf), "50%");
	assert_string_equal(buf, "50%");
	assert_int_equal(n, 3);
	n = fmt_snprintf(buf, sizeof(buf), "x%-5");
	assert_string_equal(buf, "x%-5");
	assert_int_equal(n, 4);
}
#pragma GCC diagnostic pop

static void size_zero_writes_nothing_and_returns_length(void **state)
{
	char buf[8];
	int n;

	(void)state;
	memset(buf, CANARY, sizeof(buf));
	n = fmt_snprintf(buf, 0, "%s-%d", "abc", 12345);
	assert_int_equal(n, 9);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal((unsigned char)buf[i], CANARY);
	n = fmt_snprintf(NULL, 0, "%08x", 1u);
	assert_int_equal(n, 8);
}

static void truncation_keeps_prefix_and_terminates(void **state)
{
	char buf[8];
	int n;

	(void)state;
	memset(buf, CANARY, sizeof(buf));
	n = fmt_snprintf(buf, 5, "%d", 123456789);
	assert_int_equal(n, 9);
	assert_string_equal(buf, "1234");
	assert_int_equal((unsigned char)buf[5], CANARY);
	n = fmt_snprintf(buf, 1, "anything");
	assert_int_equal(n, 8);
	assert_string_equal(buf, "");
}

struct collector {
	char data[8192];
	size_t len;
	unsigned calls;
};

static void collect(void *ctx, const char *s, size_t n)
{
	struct collector *c = ctx;

	assert_true(c->len + n <= sizeof(c->data));
	memcpy(c->data + c->len, s, n);
	c->len += n;
	c->calls++;
}

static int stream(struct collector *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int stream(struct collector *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vprint(collect, c, fmt, ap);
	va_end(ap);
	return n;
}

static void vprint_streams_output_beyond_any_buffer(void **state)
{
	static struct collector c;
	char want[8192];
	int want_n;
	int n;

	(void)state;
	memset(&c, 0, sizeof(c));
	n = stream(&c, "<%5000d|%-1000s|%x>", -17, "tail", 0xcafeu);
	want_n = snprintf(want, sizeof(want), "<%5000d|%-1000s|%x>", -17, "tail", 0xcafeu);
	assert_int_equal(n, want_n);
	assert_int_equal(c.len, (size_t)want_n);
	assert_memory_equal(c.data, want, c.len);
	assert_true(c.calls > 1);
}

static void print_counts_bytes_given_to_sink(void **state)
{
	static struct collector c;
	int n;

	(void)state;
	memset(&c, 0, sizeof(c));
	n = fmt_print(collect, &c, "%s:%u", "order", 18u);
	assert_int_equal(n, 8);
	assert_int_equal(c.len, 8);
	assert_memory_equal(c.data, "order:18", 8);
}

/* Deterministic generator so a failing random case can be replayed. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned rng_below(unsigned n)
{
	return (unsigned)(rng_next() % n);
}

/* Builds a random integer directive such as "%-+08.3llx", avoiding undefined combinations. */
static void random_int_format(char *fmt, size_t size, char conv, const char *length)
{
	static const char flag_set[] = "-+ 0#";
	char flags[8];
	size_t nflags = 0;
	char width[8] = "";
	char prec[8] = "";
	size_t i;

	for (i = 0; i < sizeof(flag_set) - 1; i++) {
		bool signed_conv = conv == 'd' || conv == 'i';

		if (flag_set[i] == '#' && (signed_conv || conv == 'u'))
			continue;
		if (rng_below(3) == 0)
			flags[nflags++] = flag_set[i];
	}
	flags[nflags] = '\0';
	if (rng_below(2))
		snprintf(width, sizeof(width), "%u", rng_below(30));
	if (rng_below(2))
		snprintf(prec, sizeof(prec), ".%u", rng_below(25));
	snprintf(fmt, size, "[%%%s%s%s%s%c]", flags, width, prec, length, conv);
}

static uint64_t random_value(void)
{
	switch (rng_below(4)) {
	case 0:
		return rng_below(3);
	case 1:
		return rng_next() & 0xff;
	case 2:
		return (uint64_t)0 - rng_below(300);
	default:
		return rng_next();
	}
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
static void expect_random_case(const char *fmt, size_t length_index, uint64_t v)
{
	switch (length_index) {
	case 0:
		expect_like_libc_at(fmt, fmt, (int)v);
		break;
	case 1:
		expect_like_libc_at(fmt, fmt, (int)(signed char)v);
		break;
	case 2:
		expect_like_libc_at(fmt, fmt, (int)(short)v);
		break;
	case 3:
		expect_like_libc_at(fmt, fmt, (long)v);
		break;
	case 4:
		expect_like_libc_at(fmt, fmt, (long long)v);
		break;
	case 5:
		expect_like_libc_at(fmt, fmt, (size_t)v);
		break;
	case 6:
		expect_like_libc_at(fmt, fmt, (intmax_t)v);
		break;
	default:
		expect_like_libc_at(fmt, fmt, (ptrdiff_t)v);
		break;
	}
}
#pragma GCC diagnostic pop

static void random_integer_directives_match_libc(void **state)
{
	static const char *const lengths[] = {"", "hh", "h", "l", "ll", "z", "j", "t"};
	static const char convs[] = "diuxXo";
	char fmt[64];
	int i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		size_t li = rng_below(8);
		char conv = convs[rng_below(sizeof(convs) - 1)];

		random_int_format(fmt, sizeof(fmt), conv, lengths[li]);
		expect_random_case(fmt, li, random_value());
		if (mismatches > 20)
			break;
	}
	assert_no_mismatch();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(signed_decimal_matches_libc),
	    cmocka_unit_test(unsigned_conversions_match_libc),
	    cmocka_unit_test(overridden_flags_are_ignored_like_libc),
	    cmocka_unit_test(chars_strings_and_percent_match_libc),
	    cmocka_unit_test(pointer_matches_libc_for_non_null),
	    cmocka_unit_test(pointer_is_0x_prefixed_lowercase_hex),
	    cmocka_unit_test(null_string_prints_null_marker),
	    cmocka_unit_test(unknown_conversion_is_printed_literally),
	    cmocka_unit_test(lone_percent_at_end_is_printed),
	    cmocka_unit_test(size_zero_writes_nothing_and_returns_length),
	    cmocka_unit_test(truncation_keeps_prefix_and_terminates),
	    cmocka_unit_test(vprint_streams_output_beyond_any_buffer),
	    cmocka_unit_test(print_counts_bytes_given_to_sink),
	    cmocka_unit_test(random_integer_directives_match_libc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
