// SPDX-License-Identifier: Apache-2.0
/*
 * Punt's PV console backend (hyp/core/pv_console.c) against the ring rules of
 * Xen public/io/console.h, in an enhanced domain the core built, with the guest
 * played by the test and Punt's console by the fake UART: where the page is
 * published, output drained on a send, input written and signalled, and what
 * happens when the guest's indices are nonsense or its ring is full.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "machine.h"
#include <public/arch-arm.h>
#include <public/errno.h>
#include <public/hvm_params.h>
#include <public/io/console.h>
#include <punt/console.h>
#include <punt/event_channel.h>
#include <punt/pv_console.h>

#define MAGIC_GFN (GUEST_MAGIC_BASE >> 12)

/* ---- the guest's side -------------------------------------------------------- */

static struct domain *d1;
static struct xencons_interface *ring;
static evtchn_port_t port;

/* d1 is an enhanced boot-time domain: its builder set up the PV console (domu_build). */
static int setup(void **state)
{
	(void)state;
	machine_boot(1);
	struct domu_config c = machine_config(1, 1);
	c.enhanced = DOMU_ENHANCED;
	d1 = machine_build(&c, 1);
	ring = (struct xencons_interface *)machine_ram(d1, MAGIC_GFN + CONSOLE_PFN_OFFSET);
	assert_non_null(ring);
	port = (evtchn_port_t)d1->hvm_params[HVM_PARAM_CONSOLE_EVTCHN];
	fake_uart_clear();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	machine_halt();
	return 0;
}

static bool port_pending(void)
{
	return d1->shared_info->evtchn_pending[port / 64] & (1UL << (port % 64));
}

static void clear_pending(void)
{
	d1->shared_info->evtchn_pending[port / 64] &= ~(1UL << (port % 64));
	d1->shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
	d1->shared_info->vcpu_info[0].evtchn_pending_sel = 0;
}

/* What hvc_xen does: fill out[] from out_prod, publish, send. */
static void guest_writes(const char *s)
{
	XENCONS_RING_IDX prod = ring->out_prod;

	for (; *s; s++)
		ring->out[MASK_XENCONS_IDX(prod++, ring->out)] = *s;
	ring->out_prod = prod;
	assert_int_equal(evtchn_send(d1, port), 0);
}

/* ---- what reached Punt's console (the fake UART) ----------------------------------- */

static char lines[16384];

/* d1's whole lines on the console, each without its "(d1) " prefix. */
static const char *guest_lines(void)
{
	const char *out = fake_uart_output();
	size_t n = 0;

	while ((out = strstr(out, "(d1) "))) {
		const char *end = strchr(out, '\n');
		assert_non_null(end);
		out += 5;
		assert_true(n + (size_t)(end + 1 - out) < sizeof(lines));
		memcpy(lines + n, out, (size_t)(end + 1 - out));
		n += (size_t)(end + 1 - out);
		out = end + 1;
	}
	lines[n] = '\0';
	return lines;
}

/* The bytes of d1's line the console holds until it ends. */
static const struct console_line *guest_pending(void)
{
	return &d1->console_lines[CONSOLE_DEV_PV];
}

/* Every character the backend handed the console (line ends aside). */
static size_t guest_chars(void)
{
	size_t n = guest_pending()->len;

	for (const char *p = guest_lines(); *p; p++)
		n += *p != '\n';
	return n;
}

/* Lines of Punt's own on the console that contain what. */
static unsigned punt_lines_with(const char *what)
{
	unsigned n = 0;

	for (const char *p = fake_uart_output(); (p = strstr(p, "(punt) ")); p++) {
		const char *end = strchr(p, '\n');
		const char *hit = strstr(p, what);
		n += hit && (!end || hit < end);
	}
	return n;
}

/* ---- tests ----------------------------------------------------------------------- */

static void the_ring_is_published_at_the_magic_console_page(void **state)
{
	(void)state;
	assert_int_equal(p2m_lookup(d1, MAGIC_GFN + CONSOLE_PFN_OFFSET, NULL), P2M_RAM_RW);
	assert_int_equal(d1->hvm_params[HVM_PARAM_CONSOLE_PFN], MAGIC_GFN + CONSOLE_PFN_OFFSET);
	assert_true(port > 0);
	assert_int_equal(ring->connection, XENCONSOLE_CONNECTED);
	assert_int_equal(ring->out_prod, 0);
	assert_int_equal(ring->in_prod, 0);
}

static void output_is_drained_on_send_and_the_guest_told(void **state)
{
	(void)state;
	guest_writes("PUNT-INIT: reached\n");
	assert_string_equal(guest_lines(), "PUNT-INIT: reached\n");
	assert_int_equal(d1->console_last, CONSOLE_DEV_PV);
	assert_int_equal(ring->out_cons, 19);
	assert_true(port_pending());
}

static void a_send_with_nothing_new_raises_nothing(void **state)
{
	(void)state;
	assert_int_equal(evtchn_send(d1, port), 0);
	assert_int_equal(guest_chars(), 0);
	assert_false(port_pending());
}

static void output_wraps_around_the_ring_slots(void **state)
{
	char line[1501];

	(void)state;
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = 0;
	for (int i = 0; i < 4; i++) {
		guest_writes(line);
		assert_int_equal(guest_chars(), 1500 * (i + 1));
	}
	assert_int_equal(ring->out_cons, 6000);
	assert_false(pvcons_broken(d1));
}

static void an_out_prod_beyond_one_ring_stops_the_console_with_one_message(void **state)
{
	(void)state;
	guest_writes("ok\n");
	fake_uart_clear();
	ring->out_prod = ring->out_cons + XENCONS_OUT_SIZE + 1;
	assert_int_equal(evtchn_send(d1, port), 0);
	assert_true(pvcons_broken(d1));
	assert_int_equal(guest_chars(), 0);
	assert_int_equal(punt_lines_with("no longer served"), 1);
	assert_int_equal(punt_lines_with(""), 1);
	/* Later sends are ignored, silently. */
	ring->out_prod = ring->out_cons + 1;
	assert_int_equal(evtchn_send(d1, port), 0);
	assert_int_equal(guest_chars(), 0);
	assert_int_equal(punt_lines_with(""), 1);
	/* ... and so is input. */
	clear_pending();
	pvcons_receive(d1, "a", 1);
	assert_int_equal(ring->in_prod, 0);
	assert_false(port_pending());
}

static void an_out_prod_behind_out_cons_is_nonsense_too(void **state)
{
	(void)state;
	guest_writes("abc");
	ring->out_prod = 1; /* behind the 3 Punt already consumed */
	assert_int_equal(evtchn_send(d1, port), 0);
	assert_true(pvcons_broken(d1));
	assert_int_equal(guest_pending()->len, 3);
	assert_int_equal(guest_chars(), 3);
}

static void a_full_out_ring_is_drained_in_one_pass(void **state)
{
	XENCONS_RING_IDX prod = 0;

	(void)state;
	for (unsigned i = 0; i < XENCONS_OUT_SIZE; i++)
		ring->out[MASK_XENCONS_IDX(prod++, ring->out)] = (char)('a' + i % 26);
	ring->out_prod = prod;
	assert_int_equal(evtchn_send(d1, port), 0);
	assert_int_equal(guest_chars(), XENCONS_OUT_SIZE);
	assert_int_equal(guest_pending()->buf[guest_pending()->len - 1],
			 'a' + (XENCONS_OUT_SIZE - 1) % 26);
	assert_false(pvcons_broken(d1));
}

static void the_guest_cannot_rewind_what_punt_consumed(void **state)
{
	(void)state;
	guest_writes("one\n");
	/* The guest puts out_cons back to 0: Punt does not print "one" again. */
	ring->out_cons = 0;
	fake_uart_clear();
	guest_writes("two\n");
	assert_string_equal(guest_lines(), "two\n");
	assert_int_equal(ring->out_cons, 8);
}

static void input_lands_in_the_in_ring_and_raises_the_port(void **state)
{
	(void)state;
	pvcons_receive(d1, "ls\r", 3);
	assert_int_equal(ring->in_prod, 3);
	assert_memory_equal(ring->in, "ls\r", 3);
	assert_true(port_pending());
	assert_int_equal(d1->vcpus[0]->arch.upcalls, 1);
}

static void input_beyond_a_full_in_ring_is_dropped_not_waited_for(void **state)
{
	char block[XENCONS_IN_SIZE];

	(void)state;
	memset(block, 'k', sizeof(block));
	pvcons_receive(d1, block, sizeof(block));
	assert_int_equal(ring->in_prod, XENCONS_IN_SIZE);
	clear_pending();
	pvcons_receive(d1, "z", 1);
	assert_int_equal(ring->in_prod, XENCONS_IN_SIZE);
	assert_false(port_pending());
	assert_false(pvcons_broken(d1));
	/* The guest reads two bytes: two more fit, at the wrapped slots. */
	ring->in_cons = 2;
	pvcons_receive(d1, "xyz", 3);
	assert_int_equal(ring->in_prod, XENCONS_IN_SIZE + 2);
	assert_int_equal(ring->in[0], 'x');
	assert_int_equal(ring->in[1], 'y');
}

static void an_in_cons_ahead_of_in_prod_stops_the_console(void **state)
{
	(void)state;
	pvcons_receive(d1, "ab", 2);
	ring->in_cons = 5;
	pvcons_receive(d1, "c", 1);
	assert_true(pvcons_broken(d1));
	assert_int_equal(ring->in_prod, 2);
	assert_int_equal(punt_lines_with(""), 1);
}

static void the_guest_cannot_move_in_prod_for_punt(void **state)
{
	(void)state;
	pvcons_receive(d1, "a", 1);
	ring->in_prod = 700; /* the guest scribbles on Punt's index */
	pvcons_receive(d1, "b", 1);
	assert_int_equal(ring->in_prod, 2);
	assert_int_equal(ring->in[1], 'b');
}

static void a_port_closed_by_the_guest_is_not_raised(void **state)
{
	evtchn_port_t other;

	(void)state;
	assert_int_equal(evtchn_close(d1, port), 0);
	/* The remote must exist: the fixture has no dom0, so the port is reserved for d1. */
	assert_int_equal(evtchn_alloc_unbound(d1, d1->id, &other), 0);
	assert_int_equal(other, port);
	pvcons_receive(d1, "a", 1);
	assert_false(port_pending());
}

static void a_failed_init_leaves_nothing_behind(void **state)
{
	struct domain *d2 = machine_domain(2, 1, false);

	(void)state;
	fake_fail_at(FAKE_FAIL_P2M_MAP, 1);
	assert_int_equal(pvcons_domain_init(d2), -XEN_ENOMEM);
	assert_int_equal(d2->hvm_params[HVM_PARAM_CONSOLE_PFN], 0);
	/* Destroy frees what init got (machine_halt() counts the pages). */
	pvcons_domain_destroy(d2);
	assert_null(d2->pvcons);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(the_ring_is_published_at_the_magic_console_page),
	    T(output_is_drained_on_send_and_the_guest_told),
	    T(a_send_with_nothing_new_raises_nothing),
	    T(output_wraps_around_the_ring_slots),
	    T(an_out_prod_beyond_one_ring_stops_the_console_with_one_message),
	    T(an_out_prod_behind_out_cons_is_nonsense_too),
	    T(a_full_out_ring_is_drained_in_one_pass),
	    T(the_guest_cannot_rewind_what_punt_consumed),
	    T(input_lands_in_the_in_ring_and_raises_the_port),
	    T(input_beyond_a_full_in_ring_is_dropped_not_waited_for),
	    T(an_in_cons_ahead_of_in_prod_stops_the_console),
	    T(the_guest_cannot_move_in_prod_for_punt),
	    T(a_port_closed_by_the_guest_is_not_raised),
	    T(a_failed_init_leaves_nothing_behind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
