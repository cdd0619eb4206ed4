// SPDX-License-Identifier: Apache-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "punt/bootargs.h"

static void expect_arg(const char *cmdline, const char *key, const char *want)
{
	const char *val = (const char *)1;
	size_t len = 99;

	if (!bootargs_get(cmdline, key, &val, &len))
		fail_msg("\"%s\" in \"%s\": expected \"%s\", got not found", key, cmdline, want);
	if (len != strlen(want) || memcmp(val, want, len) != 0)
		fail_msg("\"%s\" in \"%s\": expected \"%s\", got \"%.*s\"", key, cmdline, want,
			 (int)len, val);
}

static void get_returns_value_pointing_into_cmdline(void **state)
{
	const char *line = "console=dtuart dtuart=/pl011@9000000:115200n8 loglvl=all";
	const char *val;
	size_t len;

	(void)state;
	assert_true(bootargs_get(line, "dtuart", &val, &len));
	assert_ptr_equal(val, line + 22);
	assert_int_equal(len, strlen("/pl011@9000000:115200n8"));
	expect_arg(line, "console", "dtuart");
	expect_arg(line, "loglvl", "all");
}

static void get_last_occurrence_wins(void **state)
{
	(void)state;
	expect_arg("dom0_mem=512M x=1 dom0_mem=1G", "dom0_mem", "1G");
	expect_arg("  a=1\t\ta=2  ", "a", "2");
	expect_arg("a=x=y", "a", "x=y");
	expect_arg("a=", "a", "");
}

static void get_bare_key_has_no_value(void **state)
{
	const char *val = "unset";
	size_t len = 5;

	(void)state;
	assert_true(bootargs_get("noreboot sync_console", "sync_console", &val, &len));
	assert_null(val);
	assert_int_equal(len, 0);
	/* A later key=value replaces an earlier bare key. */
	expect_arg("sync_console sync_console=0", "sync_console", "0");
}

static void get_matches_whole_keys_only(void **state)
{
	(void)state;
	assert_false(bootargs_get("dom0_mem_max=1G xdom0_mem=1 dom0=pvh", "dom0_mem", NULL, NULL));
	assert_false(bootargs_get("", "a", NULL, NULL));
	assert_false(bootargs_get(NULL, "a", NULL, NULL));
	assert_true(bootargs_get("dom0_mem", "dom0_mem", NULL, NULL));
}

static void bool_accepts_xen_spellings(void **state)
{
	(void)state;
	assert_true(bootargs_bool("x", "x", false));
	assert_true(bootargs_bool("x=1", "x", false));
	assert_true(bootargs_bool("x=yes", "x", false));
	assert_true(bootargs_bool("x=on", "x", false));
	assert_true(bootargs_bool("x=true", "x", false));
	assert_false(bootargs_bool("x=0", "x", true));
	assert_false(bootargs_bool("x=no", "x", true));
	assert_false(bootargs_bool("x=off", "x", true));
	assert_false(bootargs_bool("x=false", "x", true));
	assert_false(bootargs_bool("no-x", "x", true));
}

static void bool_uses_default_and_last_word(void **state)
{
	(void)state;
	assert_true(bootargs_bool("y=0", "x", true));
	assert_false(bootargs_bool("", "x", false));
	assert_true(bootargs_bool("x=maybe", "x", true)); /* junk keeps the default */
	assert_false(bootargs_bool("x=maybe", "x", false));
	assert_true(bootargs_bool("no-x x", "x", false));
	assert_false(bootargs_bool("x=1 no-x", "x", true));
	assert_true(bootargs_bool("no-xx", "x", true)); /* not our key */
}

static void expect_size(const char *s, uint64_t want)
{
	uint64_t got = 0;

	if (parse_size(s, strlen(s), &got) != 0)
		fail_msg("parse_size(\"%s\"): expected %llu, got an error", s,
			 (unsigned long long)want);
	if (got != want)
		fail_msg("parse_size(\"%s\"): expected %llu, got %llu", s, (unsigned long long)want,
			 (unsigned long long)got);
}

static void expect_size_error(const char *s)
{
	uint64_t got = 12345;

	if (parse_size(s, strlen(s), &got) != -1)
		fail_msg("parse_size(\"%s\"): expected an error, got %llu", s,
			 (unsigned long long)got);
}

static void size_parses_decimal_hex_and_suffixes(void **state)
{
	(void)state;
	expect_size("0", 0);
	expect_size("4096", 4096);
	expect_size("512M", 512ull << 20);
	expect_size("512m", 512ull << 20);
	expect_size("1G", 1ull << 30);
	expect_size("2g", 2ull << 30);
	expect_size("3K", 3072);
	expect_size("1T", 1ull << 40);
	expect_size("100B", 100);
	expect_size("0x1000", 0x1000);
	expect_size("0x10M", 16ull << 20);
	expect_size("0x1B", 0x1b); /* B is a hex digit here */
	expect_size("18446744073709551615", UINT64_MAX);
}

static void size_rejects_junk_and_overflow(void **state)
{
	uint64_t v;

	(void)state;
	expect_size_error("");
	expect_size_error("M");
	expect_size_error("12Q");
	expect_size_error("12MB");
	expect_size_error("0x");
	expect_size_error("-1");
	expect_size_error("1 G");
	expect_size_error("18446744073709551616");
	expect_size_error("16777216T");
	expect_size_error("0x10000000000000000");
	assert_int_equal(parse_size("512Mjunk", 4, &v), 0); /* only len bytes are read */
	assert_int_equal(v, 512ull << 20);
}

static void expect_dom0_mem(const char *s, int rc, uint64_t want)
{
	uint64_t got = 0;
	int r = parse_dom0_mem(s, strlen(s), &got);

	if (r != rc || (rc == 0 && got != want))
		fail_msg("dom0_mem=\"%s\": expected rc %d value %llu, got rc %d value %llu", s, rc,
			 (unsigned long long)want, r, (unsigned long long)got);
}

static void dom0_mem_follows_xen_syntax(void **state)
{
	(void)state;
	expect_dom0_mem("512M", 0, 512ull << 20);
	expect_dom0_mem("1G,max:1G", 0, 1ull << 30);
	expect_dom0_mem("768M,max:2G", 0, 768ull << 20);
	expect_dom0_mem("min:256M,max:1G", 0, 1ull << 30);
	expect_dom0_mem("max:2G", 0, 2ull << 30);
	expect_dom0_mem("min:256M", -1, 0);
	expect_dom0_mem("", -1, 0);
	expect_dom0_mem("512M,", -1, 0);
	expect_dom0_mem("max:", -1, 0);
	expect_dom0_mem("1G,max:lots", -1, 0);
	expect_dom0_mem("-512M", -1, 0);
}

static void decimal_takes_digits_only(void **state)
{
	uint64_t v = 0;
	(void)state;
	assert_int_equal(parse_decimal("256", 3, &v), 0);
	assert_int_equal(v, 256);
	assert_int_equal(parse_decimal("18446744073709551615", 20, &v), -1); /* > (max-9)/10 */
	static const char *const bad[] = {"", "-1", "0x10", "12K", " 1", "1.5"};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_decimal(bad[i], strlen(bad[i]), &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(get_returns_value_pointing_into_cmdline),
	    cmocka_unit_test(get_last_occurrence_wins),
	    cmocka_unit_test(get_bare_key_has_no_value),
	    cmocka_unit_test(get_matches_whole_keys_only),
	    cmocka_unit_test(bool_accepts_xen_spellings),
	    cmocka_unit_test(bool_uses_default_and_last_word),
	    cmocka_unit_test(size_parses_decimal_hex_and_suffixes),
	    cmocka_unit_test(size_rejects_junk_and_overflow),
	    cmocka_unit_test(dom0_mem_follows_xen_syntax),
	    cmocka_unit_test(decimal_takes_digits_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
