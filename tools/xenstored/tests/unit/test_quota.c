// SPDX-License-Identifier: Apache-2.0
#include "harness.h"

struct env {
	struct server *s;
	struct conn *dom0;
	struct conn *g;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	e->s = new_server();
	e->dom0 = fake_conn(e->s, 0);
	e->g = fake_conn(e->s, 5);
	make_home(e->s, e->dom0, 5);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	free_server(e->s);
	free(e);
	return 0;
}

static void defaults_are_xen_4_17s(void **state)
{
	struct quotas q;

	(void)state;
	quotas_default(&q);
	assert_int_equal(q.v[Q_NODES], 1000);
	assert_int_equal(q.v[Q_NODE_SIZE], 2048);
	assert_int_equal(q.v[Q_WATCHES], 128);
	assert_int_equal(q.v[Q_TRANSACTIONS], 10);
	assert_int_equal(q.v[Q_TRANS_NODES], 1024);
	assert_int_equal(q.v[Q_OUTSTANDING], 20);
	assert_int_equal(q.v[Q_PERMS], 5);
	assert_int_equal(q.v[Q_PATH_MAX], 2048);
	assert_int_equal(q.v[Q_MEMORY], 2621440);
	assert_int_equal(quotas_parse_arg(&q, "nodes=50"), 0);
	assert_int_equal(q.v[Q_NODES], 50);
	assert_int_equal(quotas_parse_arg(&q, "nodes=x"), -EINVAL);
	assert_int_equal(quotas_parse_arg(&q, "bogus=1"), -EINVAL);
}

static void node_quota_counts_owned_nodes_and_spares_dom0(void **state)
{
	struct env *e = *state;
	char req[32];
	int i;

	e->s->q.v[Q_NODES] = 10;
	for (i = 0; i < 20; i++) {
		int n = snprintf(req, sizeof(req), "k%d", i) + 1;
		struct msg m = call(e->s, e->g, XS_WRITE, req, (size_t)n);

		if (m.type == XS_ERROR) {
			expect_error(m, "ENOSPC");
			break;
		}
	}
	assert_int_equal(i, 9); /* home + 9 */
	assert_int_equal(acct_of(&e->s->acct, 5)->nodes, 10);
	EXPECT(call(e->s, e->g, XS_RM, P("k0\0")), "OK\0");
	EXPECT(call(e->s, e->g, XS_WRITE, P("again\0")), "OK\0");
	EXPECT(call(e->s, e->dom0, XS_WRITE, P("/local/domain/5/dom0-made\0")), "OK\0");
}

static void node_quota_applies_at_commit(void **state)
{
	struct env *e = *state;
	struct msg m;
	uint32_t tx;

	e->s->q.v[Q_NODES] = 3;
	m = call(e->s, e->g, XS_TRANSACTION_START, P("\0"));
	tx = (uint32_t)strtoul(m.payload, NULL, 10);
	EXPECT(call_tx(e->s, e->g, XS_WRITE, tx, P("a\0")), "OK\0");
	EXPECT(call_tx(e->s, e->g, XS_WRITE, tx, P("b\0")), "OK\0");
	expect_error(call_tx(e->s, e->g, XS_WRITE, tx, P("c\0")), "ENOSPC");
	EXPECT(call_tx(e->s, e->g, XS_TRANSACTION_END, tx, P("T\0")), "OK\0");
	expect_error(call(e->s, e->g, XS_WRITE, P("d\0")), "ENOSPC");
}

static void entry_size_watch_transaction_perm_and_path_limits(void **state)
{
	struct env *e = *state;
	char big[2100];
	char path[2100];
	int i;

	memcpy(big, "v\0", 2);
	memset(big + 2, 'x', sizeof(big) - 2);
	expect_error(call(e->s, e->g, XS_WRITE, big, 2 + 2048), "ENOSPC");
	EXPECT(call(e->s, e->g, XS_WRITE, big, 2 + 1000), "OK\0");
	for (i = 0; i < 128; i++) {
		char w[32];
		int n = snprintf(w, sizeof(w), "v%c%d", '\0', i) + 1;

		n = 2 + snprintf(w + 2, sizeof(w) - 2, "%d", i) + 1;
		EXPECT(call(e->s, e->g, XS_WATCH, w, (size_t)n), "OK\0");
	}
	expect_error(call(e->s, e->g, XS_WATCH, P("v\0last\0")), "E2BIG");
	for (i = 0; i < 10; i++)
		assert_int_equal(call(e->s, e->g, XS_TRANSACTION_START, P("\0")).type,
				 XS_TRANSACTION_START);
	expect_error(call(e->s, e->g, XS_TRANSACTION_START, P("\0")), "ENOSPC");
	expect_error(call(e->s, e->g, XS_SET_PERMS, P("v\0n5\0r1\0r2\0r3\0r4\0r6\0")), "ENOSPC");
	expect_error(call(e->s, e->g, XS_SET_PERMS, P("v\0n6\0")), "EPERM");
	/* 2049 bytes below the home: too long; 2048 fine (in 64-byte components, so no
	 * single parent's child list outgrows the entry size). */
	memset(path, 'p', sizeof(path));
	for (i = 63; i < 2048; i += 64)
		path[i] = '/';
	path[2049] = '\0';
	expect_error(call(e->s, e->g, XS_WRITE, path, 2050), "EINVAL");
	path[2047] = 'q';
	path[2048] = '\0';
	EXPECT(call(e->s, e->g, XS_WRITE, path, 2049), "OK\0");
}

static void memory_quota_gives_enomem(void **state)
{
	struct env *e = *state;
	char req[1600];
	struct msg m;
	int i;

	e->s->q.v[Q_MEMORY] = 20000;
	memset(req, 'm', sizeof(req));
	for (i = 0; i < 100; i++) {
		int n = snprintf(req, 16, "m%d", i);

		req[n] = '\0';
		m = call(e->s, e->g, XS_WRITE, req, sizeof(req));
		if (m.type == XS_ERROR)
			break;
	}
	expect_error(m, "ENOMEM");
	assert_true(i > 5 && i < 20);
}

static void outstanding_quota_pauses_a_domain_that_does_not_read(void **state)
{
	struct env *e = *state;
	uint8_t frame[32];

	put_hdr(frame, XS_READ, 1, 0, 2);
	memcpy(frame + 16, "v\0", 2);
	EXPECT(call(e->s, e->g, XS_WRITE, P("v\0")), "OK\0");
	/* Fake transport delivers only when pushed: queue 25 requests without pushing. */
	for (int i = 0; i < 25; i++)
		conn_feed(e->s, e->g, frame, 18);
	assert_int_equal(e->g->nreply_ends, 20);
	assert_false(conn_can_read(e->s, e->g));
	conn_push(e->g);
	assert_true(conn_can_read(e->s, e->g));
	assert_int_equal(conn_pull(e->s, e->g), 0);
	assert_int_equal(e->g->nreply_ends, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(defaults_are_xen_4_17s),
	    cmocka_unit_test_setup_teardown(node_quota_counts_owned_nodes_and_spares_dom0, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(node_quota_applies_at_commit, setup, teardown),
	    cmocka_unit_test_setup_teardown(entry_size_watch_transaction_perm_and_path_limits,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(memory_quota_gives_enomem, setup, teardown),
	    cmocka_unit_test_setup_teardown(outstanding_quota_pauses_a_domain_that_does_not_read,
					    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
