// SPDX-License-Identifier: Apache-2.0
/*
 * Punt's own string functions (hyp/lib/string.c). On the host every name there is also the C
 * library's, so the Makefile compiles string.c on its own with each function renamed punt_*
 * (-Dmemcpy=punt_memcpy, ...) and without the compiler turning its loops back into library
 * calls; this file calls the renamed ones and checks them byte by byte against plain loops,
 * at every alignment and around the word and cache-line sizes the bulk loops use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

void *punt_memcpy(void *dst, const void *src, size_t n);
void *punt_memmove(void *dst, const void *src, size_t n);
void *punt_memset(void *dst, int c, size_t n);
int punt_memcmp(const void *a, const void *b, size_t n);
void *punt_memchr(const void *s, int c, size_t n);
size_t punt_strlen(const char *s);
size_t punt_strnlen(const char *s, size_t max);
int punt_strcmp(const char *a, const char *b);
int punt_strncmp(const char *a, const char *b, size_t n);
char *punt_strchr(const char *s, int c);
char *punt_strrchr(const char *s, int c);

/* Past two cache lines and a few words more: every loop runs, and every tail length. */
#define MAX_LEN 200
#define GUARD	0xee

static _Alignas(64) unsigned char src[MAX_LEN + 16], dst[MAX_LEN + 16], ref[MAX_LEN + 16];

static void pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed * 13 + 1);
}

static void memcpy_copies_every_length_at_every_alignment_and_nothing_more(void **state)
{
	(void)state;
	for (unsigned so = 0; so < 8; so++) {
		for (unsigned d_off = 0; d_off < 8; d_off++) {
			for (size_t n = 0; n <= MAX_LEN; n++) {
				pattern(src, sizeof(src), so + n);
				memset(dst, GUARD, sizeof(dst));
				assert_ptr_equal(punt_memcpy(dst + d_off, src + so, n),
						 dst + d_off);
				for (size_t i = 0; i < sizeof(dst); i++) {
					unsigned char want = i >= d_off && i < d_off + n
								 ? src[so + i - d_off]
								 : GUARD;
					if (dst[i] != want)
						fail_msg(
						    "src+%u dst+%u n %zu: byte %zu is %#x, not %#x",
						    so, d_off, n, i, dst[i], want);
				}
			}
		}
	}
}

/* Every shift either way, within one buffer: the result is as if copied through a bounce. */
static void memmove_handles_overlap_in_both_directions(void **state)
{
	(void)state;
	static unsigned char buf[320], want[320];

	for (int shift = -72; shift <= 72; shift++) {
		for (size_t n = 0; n <= 160; n += 1 + n / 8) {
			size_t from = 80, to = (size_t)((long)from + shift);
			pattern(buf, sizeof(buf), (unsigned)n);
			memcpy(want, buf, sizeof(want));
			for (size_t i = 0; i < n; i++) /* the bounce, by hand */
				want[to + i] = buf[from + i];
			assert_ptr_equal(punt_memmove(buf + to, buf + from, n), buf + to);
			if (memcmp(buf, want, sizeof(buf)) != 0)
				fail_msg("shift %d n %zu", shift, n);
		}
	}
}

static void memmove_of_nothing_or_onto_itself_changes_nothing(void **state)
{
	(void)state;
	pattern(dst, sizeof(dst), 3);
	memcpy(ref, dst, sizeof(ref));
	assert_ptr_equal(punt_memmove(dst + 5, dst + 5, 100), dst + 5);
	assert_ptr_equal(punt_memmove(dst + 5, dst + 9, 0), dst + 5);
	assert_memory_equal(dst, ref, sizeof(dst));
}

static void memset_fills_every_length_at_every_alignment_with_the_low_byte(void **state)
{
	(void)state;
	static const int values[] = {0, 0x5a, 0x1a5, -1};

	for (unsigned v = 0; v < 4; v++) {
		unsigned char byte = (unsigned char)values[v];
		for (unsigned off = 0; off < 8; off++) {
			for (size_t n = 0; n <= MAX_LEN; n++) {
				memset(dst, GUARD, sizeof(dst));
				assert_ptr_equal(punt_memset(dst + off, values[v], n), dst + off);
				for (size_t i = 0; i < sizeof(dst); i++) {
					unsigned char want = i >= off && i < off + n ? byte : GUARD;
					if (dst[i] != want)
						fail_msg("value %#x off %u n %zu: byte %zu is %#x",
							 values[v], off, n, i, dst[i]);
				}
			}
		}
	}
}

static void memcmp_orders_by_the_first_difference_as_unsigned_bytes(void **state)
{
	(void)state;
	assert_int_equal(punt_memcmp("abc", "abd", 0), 0);
	assert_int_equal(punt_memcmp("abc", "abc", 3), 0);
	assert_int_equal(punt_memcmp("abc", "abd", 2), 0);
	assert_true(punt_memcmp("abc", "abd", 3) < 0);
	assert_true(punt_memcmp("abd", "abc", 3) > 0);
	/* 0x80 is above 0x01 although a signed char would make it negative. */
	assert_true(punt_memcmp("\x80", "\x01", 1) > 0);
	assert_true(punt_memcmp("a\x01", "a\xff", 2) < 0);
	/* Bytes after a NUL still count. */
	assert_true(punt_memcmp("a\0b", "a\0c", 3) < 0);
}

static void memchr_finds_the_first_match_within_n_only(void **state)
{
	(void)state;
	static const char s[] = "hello, world";

	assert_ptr_equal(punt_memchr(s, 'o', sizeof(s)), s + 4);
	assert_ptr_equal(punt_memchr(s, 'o', 4), NULL);
	assert_ptr_equal(punt_memchr(s, 'o', 0), NULL);
	assert_ptr_equal(punt_memchr(s, 'z', sizeof(s)), NULL);
	/* c is taken as an unsigned char, and a NUL inside n is found. */
	assert_ptr_equal(punt_memchr(s, 0x100 + 'w', sizeof(s)), s + 7);
	assert_ptr_equal(punt_memchr(s, 0, sizeof(s)), s + sizeof(s) - 1);
	static const char ff[] = "\xff";
	assert_ptr_equal(punt_memchr(ff, -1, 1), ff);
}

static void strlen_and_strnlen_count_up_to_the_nul_or_the_limit(void **state)
{
	(void)state;
	assert_int_equal(punt_strlen(""), 0);
	assert_int_equal(punt_strlen("punt"), 4);
	assert_int_equal(punt_strlen("pu\0nt"), 2);
	assert_int_equal(punt_strnlen("punt", 10), 4);
	assert_int_equal(punt_strnlen("punt", 4), 4);
	assert_int_equal(punt_strnlen("punt", 2), 2);
	assert_int_equal(punt_strnlen("punt", 0), 0);
	/* The limit is respected: the bytes past it are never read (ASan would say). */
	static const char no_nul[3] = {'a', 'b', 'c'};
	assert_int_equal(punt_strnlen(no_nul, sizeof(no_nul)), 3);
}

static void strcmp_orders_as_unsigned_bytes_and_shorter_first(void **state)
{
	(void)state;
	assert_int_equal(punt_strcmp("", ""), 0);
	assert_int_equal(punt_strcmp("xen", "xen"), 0);
	assert_true(punt_strcmp("xen", "xenstore") < 0);
	assert_true(punt_strcmp("xenstore", "xen") > 0);
	assert_true(punt_strcmp("abc", "abd") < 0);
	assert_true(punt_strcmp("\x80", "a") > 0);
}

static void strncmp_stops_at_n_or_at_a_nul(void **state)
{
	(void)state;
	assert_int_equal(punt_strncmp("xenstore", "xenbus", 3), 0);
	assert_true(punt_strncmp("xenstore", "xenbus", 4) > 0);
	assert_int_equal(punt_strncmp("abc", "abd", 0), 0);
	/* Equal strings shorter than n: nothing past the NUL is compared. */
	assert_int_equal(punt_strncmp("ab\0x", "ab\0y", 4), 0);
	assert_true(punt_strncmp("ab", "abc", 5) < 0);
	assert_true(punt_strncmp("\xff", "a", 1) > 0);
}

static void strchr_finds_the_first_and_strrchr_the_last(void **state)
{
	(void)state;
	static const char s[] = "/local/domain/1";

	assert_ptr_equal(punt_strchr(s, '/'), s);
	assert_ptr_equal(punt_strrchr(s, '/'), s + 13);
	assert_ptr_equal(punt_strchr(s, 'd'), s + 7);
	assert_ptr_equal(punt_strrchr(s, 'o'), s + 8);
	assert_ptr_equal(punt_strchr(s, 'x'), NULL);
	assert_ptr_equal(punt_strrchr(s, 'x'), NULL);
	/* The terminating NUL is part of the string for both. */
	assert_ptr_equal(punt_strchr(s, 0), s + sizeof(s) - 1);
	assert_ptr_equal(punt_strrchr(s, 0), s + sizeof(s) - 1);
	assert_ptr_equal(punt_strchr("", 'a'), NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(memcpy_copies_every_length_at_every_alignment_and_nothing_more),
	    cmocka_unit_test(memmove_handles_overlap_in_both_directions),
	    cmocka_unit_test(memmove_of_nothing_or_onto_itself_changes_nothing),
	    cmocka_unit_test(memset_fills_every_length_at_every_alignment_with_the_low_byte),
	    cmocka_unit_test(memcmp_orders_by_the_first_difference_as_unsigned_bytes),
	    cmocka_unit_test(memchr_finds_the_first_match_within_n_only),
	    cmocka_unit_test(strlen_and_strnlen_count_up_to_the_nul_or_the_limit),
	    cmocka_unit_test(strcmp_orders_as_unsigned_bytes_and_shorter_first),
	    cmocka_unit_test(strncmp_stops_at_n_or_at_a_nul),
	    cmocka_unit_test(strchr_finds_the_first_and_strrchr_the_last),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
