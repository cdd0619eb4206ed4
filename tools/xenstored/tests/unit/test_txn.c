// SPDX-License-Identifier: Apache-2.0
#include "harness.h"

static uint32_t start(struct server *s, struct conn *c)
{
	struct msg m = call(s, c, XS_TRANSACTION_START, P("\0"));

	assert_int_equal(m.type, XS_TRANSACTION_START);
	return (uint32_t)strtoul(m.payload, NULL, 10);
}

static void transaction_writes_are_private_until_commit(void **state)
{
	struct server *s = new_server();
	struct conn *a = fake_conn(s, 0), *b = fake_conn(s, 0);
	uint32_t tx = start(s, a);

	(void)state;
	EXPECT(call_tx(s, a, XS_WRITE, tx, P("/t/x\0one")), "OK\0");
	EXPECT(call_tx(s, a, XS_READ, tx, P("/t/x\0")), "one");
	EXPECT(call_tx(s, a, XS_DIRECTORY, tx, P("/t\0")), "x\0");
	expect_error(call(s, b, XS_READ, P("/t/x\0")), "ENOENT");
	EXPECT(call_tx(s, a, XS_TRANSACTION_END, tx, P("T\0")), "OK\0");
	EXPECT(call(s, b, XS_READ, P("/t/x\0")), "one");
	free_server(s);
}

static void concurrent_change_to_a_read_node_makes_commit_eagain(void **state)
{
	struct server *s = new_server();
	struct conn *a = fake_conn(s, 0), *b = fake_conn(s, 0);
	uint32_t tx;

	(void)state;
	EXPECT(call(s, a, XS_WRITE,
		    P("/n\0"
		      "0")),
	       "OK\0");
	tx = start(s, a);
	EXPECT(call_tx(s, a, XS_READ, tx, P("/n\0")), "0");
	EXPECT(call(s, b, XS_WRITE,
		    P("/n\0"
		      "1")),
	       "OK\0");
	EXPECT(call_tx(s, a, XS_WRITE, tx, P("/other\0x")), "OK\0");
	expect_error(call_tx(s, a, XS_TRANSACTION_END, tx, P("T\0")), "EAGAIN");
	expect_error(call(s, a, XS_READ, P("/other\0")), "ENOENT");
	/* The loser's transaction is gone. */
	expect_error(call_tx(s, a, XS_READ, tx, P("/n\0")), "ENOENT");
	free_server(s);
}

static void sibling_created_concurrently_conflicts_through_the_parent(void **state)
{
	struct server *s = new_server();
	struct conn *a = fake_conn(s, 0), *b = fake_conn(s, 0);
	uint32_t tx;

	(void)state;
	EXPECT(call(s, a, XS_MKDIR, P("/dir\0")), "OK\0");
	tx = start(s, a);
	EXPECT(call_tx(s, a, XS_WRITE, tx, P("/dir/a\0")), "OK\0");
	EXPECT(call(s, b, XS_WRITE, P("/dir/b\0")), "OK\0");
	expect_error(call_tx(s, a, XS_TRANSACTION_END, tx, P("T\0")), "EAGAIN");
	free_server(s);
}

static void disjoint_transactions_both_commit(void **state)
{
	struct server *s = new_server();
	struct conn *a = fake_conn(s, 0), *b = fake_conn(s, 0);
	uint32_t ta, tb;

	(void)state;
	EXPECT(call(s, a, XS_WRITE, P("/x/a\0")), "OK\0");
	EXPECT(call(s, a, XS_WRITE, P("/x/b\0")), "OK\0");
	ta = start(s, a);
	tb = start(s, b);
	EXPECT(call_tx(s, a, XS_WRITE, ta, P("/x/a\0A")), "OK\0");
	EXPECT(call_tx(s, b, XS_WRITE, tb, P("/x/b\0B")), "OK\0");
	EXPECT(call_tx(s, a, XS_TRANSACTION_END, ta, P("T\0")), "OK\0");
	EXPECT(call_tx(s, b, XS_TRANSACTION_END, tb, P("T\0")), "OK\0");
	EXPECT(call(s, a, XS_READ, P("/x/a\0")), "A");
	EXPECT(call(s, a, XS_READ, P("/x/b\0")), "B");
	free_server(s);
}

static void rm_inside_transaction_hides_subtree_and_abort_restores_nothing(void **state)
{
	struct server *s = new_server();
	struct conn *a = fake_conn(s, 0);
	uint32_t tx;

	(void)state;
	EXPECT(call(s, a, XS_WRITE, P("/r/a/b\0v")), "OK\0");
	tx = start(s, a);
	EXPECT(call_tx(s, a, XS_RM, tx, P("/r/a\0")), "OK\0");
	expect_error(call_tx(s, a, XS_READ, tx, P("/r/a/b\0")), "ENOENT");
	EXPECT(call_tx(s, a, XS_DIRECTORY, tx, P("/r\0")), "");
	EXPECT(call_tx(s, a, XS_TRANSACTION_END, tx, P("F\0")), "OK\0");
	EXPECT(call(s, a, XS_READ, P("/r/a/b\0")), "v");
	tx = start(s, a);
	EXPECT(call_tx(s, a, XS_RM, tx, P("/r/a\0")), "OK\0");
	EXPECT(call_tx(s, a, XS_TRANSACTION_END, tx, P("T\0")), "OK\0");
	expect_error(call(s, a, XS_READ, P("/r/a/b\0")), "ENOENT");
	assert_null(db_find(&s->db, "/r/a/b"));
	free_server(s);
}

static void watches_fire_at_commit_not_before(void **state)
{
	struct server *s = new_server();
	struct conn *a = fake_conn(s, 0), *w = fake_conn(s, 0);
	struct msg m;
	uint32_t tx;

	(void)state;
	EXPECT(call(s, w, XS_WATCH, P("/wt\0tok\0")), "OK\0");
	assert_true(next_msg(w, &m));
	tx = start(s, a);
	EXPECT(call_tx(s, a, XS_WRITE, tx, P("/wt/k\0")), "OK\0");
	assert_false(next_msg(w, &m));
	EXPECT(call_tx(s, a, XS_TRANSACTION_END, tx, P("T\0")), "OK\0");
	assert_true(next_msg(w, &m));
	EXPECT(m, "/wt/k\0tok\0");
	free_server(s);
}

static void bad_transaction_end_arguments(void **state)
{
	struct server *s = new_server();
	struct conn *a = fake_conn(s, 0);
	uint32_t tx = start(s, a);

	(void)state;
	expect_error(call_tx(s, a, XS_TRANSACTION_END, tx, P("X\0")), "EINVAL");
	expect_error(call_tx(s, a, XS_TRANSACTION_END, tx + 100, P("T\0")), "ENOENT");
	expect_error(call_tx(s, a, XS_TRANSACTION_START, tx, P("\0")), "EBUSY");
	EXPECT(call_tx(s, a, XS_TRANSACTION_END, tx, P("T\0")), "OK\0");
	free_server(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(transaction_writes_are_private_until_commit),
	    cmocka_unit_test(concurrent_change_to_a_read_node_makes_commit_eagain),
	    cmocka_unit_test(sibling_created_concurrently_conflicts_through_the_parent),
	    cmocka_unit_test(disjoint_transactions_both_commit),
	    cmocka_unit_test(rm_inside_transaction_hides_subtree_and_abort_restores_nothing),
	    cmocka_unit_test(watches_fire_at_commit_not_before),
	    cmocka_unit_test(bad_transaction_end_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
