// SPDX-License-Identifier: Apache-2.0
/*
 * Punt's console output (hyp/core/console.c) with the UART played by the fake
 * architecture (fake_uart_output()): Punt's printk, dom0's console_io text and other domains' lines
 * share one UART, and each line on it must start with its own writer's prefix and hold no other
 * writer's text, whatever half line the previous writer left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <fake/arch.h>
#include <punt/console.h>
#include <punt/domain.h>

/* ---- helpers ----------------------------------------------------------------- */

/* All console_write_domain() needs of a domain: its id and its half lines. */
static struct domain guest = {.id = 3};

static void dom0_writes(const char *s)
{
	console_write_guest(s, strlen(s));
}

static void guest_writes(const char *s)
{
	console_write_domain(&guest, CONSOLE_DEV_PV, s, strlen(s));
}

static char logged[4096];
static size_t logged_len;

static void log_sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	assert_true(logged_len + n < sizeof(logged));
	memcpy(logged + logged_len, s, n);
	logged_len += n;
	logged[logged_len] = '\0';
}

static const char *uart;

static int reset(void **state)
{
	(void)state;
	/* Every test starts at the start of a line, as the previous one ended. */
	fake_uart_clear();
	uart = fake_uart_output();
	return 0;
}

/* ---- tests ------------------------------------------------------------------- */

static void punt_lines_get_one_prefix_each_even_when_printed_in_pieces(void **state)
{
	(void)state;
	printk("one ");
	printk("line %d\n", 1);
	printk("two\n");
	assert_string_equal(uart, "(punt) one line 1\n(punt) two\n");
}

static void dom0_text_goes_out_as_it_is(void **state)
{
	(void)state;
	dom0_writes("[ 0.1] booting\n");
	dom0_writes("[ 0.2] half ");
	dom0_writes("and the rest\n");
	assert_string_equal(uart, "[ 0.1] booting\n[ 0.2] half and the rest\n");
}

/* The failure this guards against: Punt's line glued to dom0's, without its prefix. */
static void punt_line_after_half_a_dom0_line_starts_on_its_own_line(void **state)
{
	(void)state;
	dom0_writes("[ 0.3] ftrace: allocating");
	printk("d1 (g): 256 MiB\n");
	dom0_writes(" 38577 entries\n");
	assert_string_equal(uart, "[ 0.3] ftrace: allocating\n"
				  "(punt) d1 (g): 256 MiB\n"
				  " 38577 entries\n");
}

static void dom0_text_after_half_a_punt_line_starts_on_its_own_line(void **state)
{
	(void)state;
	printk("  vCPU 0:");
	dom0_writes("login: ");
	printk(" running\n");
	assert_string_equal(uart, "(punt)   vCPU 0:\n"
				  "login: \n"
				  "(punt)  running\n");
}

static void guest_line_ends_whatever_half_line_is_out(void **state)
{
	(void)state;
	dom0_writes("dom0 half");
	guest_writes("guest line\n");
	printk("punt half");
	guest_writes("another\n");
	printk("punt whole\n");
	assert_string_equal(uart, "dom0 half\n"
				  "(d3) guest line\n"
				  "(punt) punt half\n"
				  "(d3) another\n"
				  "(punt) punt whole\n");
}

static void guest_output_waits_for_its_end_of_line(void **state)
{
	(void)state;
	guest_writes("wait");
	assert_string_equal(uart, "");
	dom0_writes("dom0 line\n");
	guest_writes("ed\n");
	assert_string_equal(uart, "dom0 line\n(d3) waited\n");
}

static void log_holds_punt_lines_whole_when_the_uart_broke_them(void **state)
{
	(void)state;
	printk("log marker start ");
	dom0_writes("interrupting\n");
	printk("end\n");
	logged_len = 0;
	logged[0] = '\0';
	console_dump_log(log_sink, NULL);
	assert_non_null(strstr(logged, "(punt) log marker start end\n"));
	assert_null(strstr(logged, "interrupting"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(punt_lines_get_one_prefix_each_even_when_printed_in_pieces,
				   reset),
	    cmocka_unit_test_setup(dom0_text_goes_out_as_it_is, reset),
	    cmocka_unit_test_setup(punt_line_after_half_a_dom0_line_starts_on_its_own_line, reset),
	    cmocka_unit_test_setup(dom0_text_after_half_a_punt_line_starts_on_its_own_line, reset),
	    cmocka_unit_test_setup(guest_line_ends_whatever_half_line_is_out, reset),
	    cmocka_unit_test_setup(guest_output_waits_for_its_end_of_line, reset),
	    cmocka_unit_test_setup(log_holds_punt_lines_whole_when_the_uart_broke_them, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
