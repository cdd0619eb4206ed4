// SPDX-License-Identifier: Apache-2.0
/*
 * Punt's PV console backend (hyp/core/pv_console.c) against the ring rules of
 * Xen public/io/console.h, with the guest played by the test: where the page is
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

#include "evtchn_fakes.h"
#include <public/arch-arm.h>
#include <public/errno.h>
#include <public/hvm_params.h>
#include <public/io/console.h>
#include <punt/arch/p2m.h>
#include <punt/pv_console.h>

#define MAGIC_GFN (GUEST_MAGIC_BASE >> 12)

/* ---- what pv_console.c needs besides event channels --------------------------- */

static uint64_t mapped_gfn, mapped_mfn;
static int p2m_map_result;

int p2m_map(struct domain *d, uint64_t gfn, uint64_t mfn, uint64_t nr, enum p2m_type t)
{
	(void)d;
	assert_int_equal(nr, 1);
	assert_int_equal(t, P2M_RAM_RW);
	mapped_gfn = gfn;
	mapped_mfn = mfn;
	return p2m_map_result;
}

static char printed[8192];
static size_t printed_len;
static enum console_dev printed_dev;

void console_write_domain(struct domain *d, enum console_dev dev, const char *s, size_t n)
{
	(void)d;
	assert_true(printed_len + n <= sizeof(printed));
	memcpy(printed + printed_len, s, n);
	printed_len += n;
	printed_dev = dev;
}

/* ---- the guest's side -------------------------------------------------------- */

static struct domain *d1;
static struct xencons_interface *ring;
static evtchn_port_t port;

static int setup(void **state)
{
	(void)state;
	printed_len = 0;
	printk_calls = 0;
	p2m_map_result = 0;
	d1 = fake_domain(1, 1, false);
	assert_int_equal(pvcons_domain_init(d1), 0);
	ring = (struct xencons_interface *)(uintptr_t)(mapped_mfn << 12);
	port = (evtchn_port_t)d1->hvm_params[HVM_PARAM_CONSOLE_EVTCHN];
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pvcons_domain_destroy(d1);
	fake_domain_free(d1);
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

/* ---- tests ----------------------------------------------------------------------- */

static void the_ring_is_published_at_the_magic_console_page(void **state)
{
	(void)state;
	assert_int_equal(mapped_gfn, MAGIC_GFN + CONSOLE_PFN_OFFSET);
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
	assert_int_equal(printed_len, 19);
	assert_memory_equal(printed, "PUNT-INIT: reached\n", 19);
	assert_int_equal(printed_dev, CONSOLE_DEV_PV);
	assert_int_equal(ring->out_cons, 19);
	assert_true(port_pending());
}

static void a_send_with_nothing_new_raises_nothing(void **state)
{
	(void)state;
	assert_int_equal(evtchn_send(d1, port), 0);
	assert_int_equal(printed_len, 0);
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
		assert_int_equal(printed_len, 1500);
		printed_len = 0;
	}
	assert_int_equal(ring->out_cons, 6000);
	assert_false(pvcons_broken(d1));
}

static void an_out_prod_beyond_one_ring_stops_the_console_with_one_message(void **state)
{
	(void)state;
	guest_writes("ok\n");
	printed_len = 0;
	ring->out_prod = ring->out_cons + XENCONS_OUT_SIZE + 1;
	assert_int_equal(evtchn_send(d1, port), 0);
	assert_true(pvcons_broken(d1));
	assert_int_equal(printed_len, 0);
	assert_int_equal(printk_calls, 1);
	assert_non_null(strstr(printk_last, "no longer served"));
	/* Later sends are ignored, silently. */
	ring->out_prod = ring->out_cons + 1;
	assert_int_equal(evtchn_send(d1, port), 0);
	assert_int_equal(printed_len, 0);
	assert_int_equal(printk_calls, 1);
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
	assert_int_equal(printed_len, 3);
}

static void a_full_out_ring_is_drained_in_one_pass(void **state)
{
	XENCONS_RING_IDX prod = 0;

	(void)state;
	for (unsigned i = 0; i < XENCONS_OUT_SIZE; i++)
		ring->out[MASK_XENCONS_IDX(prod++, ring->out)] = (char)('a' + i % 26);
	ring->out_prod = prod;
	assert_int_equal(evtchn_send(d1, port), 0);
	assert_int_equal(printed_len, XENCONS_OUT_SIZE);
	assert_int_equal(printed[XENCONS_OUT_SIZE - 1], 'a' + (XENCONS_OUT_SIZE - 1) % 26);
	assert_false(pvcons_broken(d1));
}

static void the_guest_cannot_rewind_what_punt_consumed(void **state)
{
	(void)state;
	guest_writes("one\n");
	/* The guest puts out_cons back to 0: Punt does not print "one" again. */
	ring->out_cons = 0;
	printed_len = 0;
	guest_writes("two\n");
	assert_int_equal(printed_len, 4);
	assert_memory_equal(printed, "two\n", 4);
	assert_int_equal(ring->out_cons, 8);
}

static void input_lands_in_the_in_ring_and_raises_the_port(void **state)
{
	(void)state;
	pvcons_receive(d1, "ls\r", 3);
	assert_int_equal(ring->in_prod, 3);
	assert_memory_equal(ring->in, "ls\r", 3);
	assert_true(port_pending());
	assert_int_equal(upcalls[1][0], 1);
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
	assert_int_equal(printk_calls, 1);
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
	struct domain *d2 = fake_domain(2, 1, false);

	(void)state;
	p2m_map_result = -1;
	assert_int_equal(pvcons_domain_init(d2), -XEN_ENOMEM);
	assert_int_equal(d2->hvm_params[HVM_PARAM_CONSOLE_PFN], 0);
	/* Destroy frees what init got (ASan reports a leak otherwise). */
	pvcons_domain_destroy(d2);
	assert_null(d2->pvcons);
	fake_domain_free(d2);
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
