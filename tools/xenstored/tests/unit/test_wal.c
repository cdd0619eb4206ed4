// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/wal.h"

struct env {
	char dir[64];
	struct server *s;
	struct wal w;
	struct conn *c;
};

/* A ring backend whose domains get a capturing connection, as the xen backend's would. */
static struct conn *fake_attach(struct server *s, struct domain *d, void *ctx)
{
	(void)ctx;
	return fake_conn(s, d->domid);
}

static const struct ring_attach_ops fake_rings = {.attach = fake_attach};

static void open_env(struct env *e)
{
	e->s = new_server();
	e->s->rings = &fake_rings;
	assert_int_equal(wal_open(&e->w, e->dir, e->s), 0);
	e->s->persist = &wal_persist_ops;
	e->s->persist_ctx = &e->w;
	e->c = fake_conn(e->s, 0);
}

static void close_env(struct env *e)
{
	wal_close(&e->w);
	free_server(e->s);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	strcpy(e->dir, "/tmp/xs-wal-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	open_env(e);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];

	close_env(e);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", e->dir);
	assert_int_equal(system(cmd), 0);
	free(e);
	return 0;
}

static void reopen(struct env *e)
{
	close_env(e);
	open_env(e);
}

static void logged_changes_survive_reopen(void **state)
{
	struct env *e = *state;

	EXPECT(call(e->s, e->c, XS_WRITE, P("/a/b\0v1")), "OK\0");
	EXPECT(call(e->s, e->c, XS_SET_PERMS, P("/a/b\0r4\0b5\0")), "OK\0");
	EXPECT(call(e->s, e->c, XS_WRITE, P("/gone\0")), "OK\0");
	EXPECT(call(e->s, e->c, XS_RM, P("/gone\0")), "OK\0");
	reopen(e);
	EXPECT(call(e->s, e->c, XS_READ, P("/a/b\0")), "v1");
	EXPECT(call(e->s, e->c, XS_GET_PERMS, P("/a/b\0")), "r4\0b5\0");
	expect_error(call(e->s, e->c, XS_READ, P("/gone\0")), "ENOENT");
	assert_int_equal(e->w.records_replayed, 4);
}

static void torn_last_record_is_dropped_whole(void **state)
{
	struct env *e = *state;
	struct msg m;
	char path[128];
	struct stat st;
	uint32_t tx;

	EXPECT(call(e->s, e->c, XS_WRITE, P("/kept\0")), "OK\0");
	m = call(e->s, e->c, XS_TRANSACTION_START, P("\0"));
	tx = (uint32_t)strtoul(m.payload, NULL, 10);
	EXPECT(call_tx(e->s, e->c, XS_WRITE, tx, P("/t1\0")), "OK\0");
	EXPECT(call_tx(e->s, e->c, XS_WRITE, tx, P("/t2\0")), "OK\0");
	EXPECT(call_tx(e->s, e->c, XS_TRANSACTION_END, tx, P("T\0")), "OK\0");
	/* Cut the log inside the transaction's record, as a crash mid-write would. */
	snprintf(path, sizeof(path), "%s/wal.%llu", e->dir, (unsigned long long)e->w.epoch);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(truncate(path, st.st_size - 5), 0);
	reopen(e);
	EXPECT(call(e->s, e->c, XS_READ, P("/kept\0")), "");
	expect_error(call(e->s, e->c, XS_READ, P("/t1\0")), "ENOENT");
	expect_error(call(e->s, e->c, XS_READ, P("/t2\0")), "ENOENT");
	/* New records append after the good prefix. */
	EXPECT(call(e->s, e->c, XS_WRITE, P("/after\0")), "OK\0");
	reopen(e);
	EXPECT(call(e->s, e->c, XS_READ, P("/after\0")), "");
}

static void compaction_keeps_state_and_starts_a_new_epoch(void **state)
{
	struct env *e = *state;
	uint64_t epoch = e->w.epoch;

	EXPECT(call(e->s, e->c, XS_WRITE, P("/snap/x\0one")), "OK\0");
	EXPECT(call(e->s, e->c, XS_INTRODUCE,
		    P("4\0"
		      "99\0"
		      "7\0")),
	       "OK\0");
	assert_int_equal(wal_compact(&e->w, e->s), 0);
	assert_int_equal(e->w.epoch, epoch + 1);
	assert_int_equal(e->w.size, 0);
	EXPECT(call(e->s, e->c, XS_WRITE, P("/snap/y\0two")), "OK\0");
	reopen(e);
	EXPECT(call(e->s, e->c, XS_READ, P("/snap/x\0")), "one");
	EXPECT(call(e->s, e->c, XS_READ, P("/snap/y\0")), "two");
	EXPECT(call(e->s, e->c, XS_IS_DOMAIN_INTRODUCED, P("4\0")), "T\0");
	EXPECT(call(e->s, e->c, XS_CONTROL, P("check\0")), "OK\0");
	assert_int_equal(e->w.records_replayed, 1);
}

static void corrupt_snapshot_is_refused(void **state)
{
	struct env *e = *state;
	char path[128];
	int fd;

	EXPECT(call(e->s, e->c, XS_WRITE, P("/x\0")), "OK\0");
	assert_int_equal(wal_compact(&e->w, e->s), 0);
	snprintf(path, sizeof(path), "%s/snapshot", e->dir);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "XX", 2, 30), 2);
	close(fd);
	close_env(e);
	e->s = new_server();
	assert_int_equal(wal_open(&e->w, e->dir, e->s), -EINVAL);
	free_server(e->s);
	/* Leave a usable environment for teardown. */
	unlink(path);
	open_env(e);
}

static uint32_t watches_of(const struct server *s, const struct conn *c, char *names, size_t cap)
{
	uint32_t n = 0;

	names[0] = '\0';
	for (const struct watch *w = s->watches; w; w = w->next) {
		if (w->conn != c)
			continue;
		n++;
		strncat(names, w->path, cap - strlen(names) - 1);
		strncat(names, "=", cap - strlen(names) - 1);
		strncat(names, w->token, cap - strlen(names) - 1);
		strncat(names, ";", cap - strlen(names) - 1);
	}
	return n;
}

/* Drops the events queued so far on c. */
static void drain(struct conn *c)
{
	struct msg m;

	while (next_msg(c, &m))
		;
}

static void domain_watches_survive_restart_and_fire_once(void **state)
{
	struct env *e = *state;
	struct domain *d;
	struct msg m;
	char names[256];
	uint32_t tx;

	EXPECT(call(e->s, e->c, XS_INTRODUCE,
		    P("5\0"
		      "77\0"
		      "9\0")),
	       "OK\0");
	make_home(e->s, e->c, 5);
	d = domain_find(e->s, 5);
	assert_non_null(d);
	assert_non_null(d->conn);
	EXPECT(call(e->s, d->conn, XS_WATCH, P("/local/domain/5/x\0abs\0")), "OK\0");
	EXPECT(call(e->s, d->conn, XS_WATCH, P("device\0rel\0")), "OK\0");
	EXPECT(call(e->s, d->conn, XS_WATCH, P("gone\0tmp\0")), "OK\0");
	EXPECT(call(e->s, d->conn, XS_UNWATCH, P("gone\0tmp\0")), "OK\0");
	/* A socket client's watch is not kept: its client reconnects and registers again. */
	EXPECT(call(e->s, e->c, XS_WATCH, P("/sock\0s\0")), "OK\0");
	m = call(e->s, d->conn, XS_TRANSACTION_START, P("\0"));
	assert_int_equal(m.type, XS_TRANSACTION_START);
	tx = (uint32_t)strtoul(m.payload, NULL, 10);
	assert_true(tx != 0);
	for (int round = 0; round < 2; round++) {
		/* First from the log, then (after compaction) from the snapshot. */
		if (round == 1)
			assert_int_equal(wal_compact(&e->w, e->s), 0);
		reopen(e);
		d = domain_find(e->s, 5);
		assert_non_null(d);
		assert_non_null(d->conn);
		assert_int_equal(watches_of(e->s, d->conn, names, sizeof(names)), 2);
		assert_non_null(strstr(names, "/local/domain/5/device=rel;"));
		assert_non_null(strstr(names, "/local/domain/5/x=abs;"));
		assert_int_equal(watches_of(e->s, e->c, names, sizeof(names)), 0);
		domain_mark_restored(e->s);
		/* Each watch fires once, with the path as the guest gave it. */
		for (int i = 0; i < 2; i++) {
			assert_true(next_msg(d->conn, &m));
			assert_int_equal(m.type, XS_WATCH_EVENT);
			if (m.payload[0] == 'd')
				EXPECT(m, "device\0rel\0");
			else
				EXPECT(m, "/local/domain/5/x\0abs\0");
		}
		assert_false(next_msg(d->conn, &m));
		/* The old daemon's transaction: EAGAIN, as a conflict would be. */
		expect_error(call_tx(e->s, d->conn, XS_READ, tx, P("x\0")), "EAGAIN");
		expect_error(call_tx(e->s, d->conn, XS_TRANSACTION_END, tx, P("T\0")), "EAGAIN");
		m = call(e->s, d->conn, XS_TRANSACTION_START, P("\0"));
		assert_true((uint32_t)strtoul(m.payload, NULL, 10) != tx);
		drain(d->conn);
	}
	/* Released domains do not come back, nor do their watches. */
	EXPECT(call(e->s, e->c, XS_RELEASE, P("5\0")), "OK\0");
	reopen(e);
	assert_null(domain_find(e->s, 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(logged_changes_survive_reopen, setup, teardown),
	    cmocka_unit_test_setup_teardown(torn_last_record_is_dropped_whole, setup, teardown),
	    cmocka_unit_test_setup_teardown(compaction_keeps_state_and_starts_a_new_epoch, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(corrupt_snapshot_is_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(domain_watches_survive_restart_and_fire_once, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
