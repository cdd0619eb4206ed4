// SPDX-License-Identifier: Apache-2.0
#include "harness.h"

static const struct perm acl[] = {{5, PERM_NONE}, {7, PERM_READ}, {8, PERM_BOTH}};

static unsigned mask_for(uint32_t domid, uint32_t target, bool priv)
{
	struct actor a = {domid, target, priv};

	return perm_mask(&a, acl, 3);
}

static void owner_and_dom0_get_everything(void **state)
{
	(void)state;
	assert_int_equal(mask_for(5, DOMID_NONE, false), PERM_READ | PERM_WRITE | PERM_OWNER);
	assert_int_equal(mask_for(0, DOMID_NONE, true), PERM_READ | PERM_WRITE | PERM_OWNER);
}

static void listed_domains_get_their_entry_and_others_the_owner_mode(void **state)
{
	(void)state;
	assert_int_equal(mask_for(7, DOMID_NONE, false), PERM_READ);
	assert_int_equal(mask_for(8, DOMID_NONE, false), PERM_BOTH);
	assert_int_equal(mask_for(9, DOMID_NONE, false), PERM_NONE);
}

static void set_target_grants_the_targets_rights(void **state)
{
	(void)state;
	/* A device model for domain 5 acts as its owner; for 7 it inherits 7's entry. */
	assert_int_equal(mask_for(9, 5, false), PERM_READ | PERM_WRITE | PERM_OWNER);
	assert_int_equal(mask_for(9, 7, false), PERM_READ);
	/* Its own entry wins over the target's. */
	assert_int_equal(mask_for(8, 7, false), PERM_BOTH);
}

static void parse_and_format_round_trip(void **state)
{
	struct perm p[4];
	char out[64];

	(void)state;
	assert_int_equal(perms_parse("b0\0r5\0w65535\0n3", 16, p, 4), 4);
	assert_int_equal(p[0].mode, PERM_BOTH);
	assert_int_equal(p[2].domid, 65535);
	assert_int_equal(p[2].mode, PERM_WRITE);
	assert_int_equal(perms_format(p, 4, out, sizeof(out)), 16);
	assert_memory_equal(out, "b0\0r5\0w65535\0n3", 16);
}

static void malformed_permissions_are_rejected(void **state)
{
	struct perm p[4];

	(void)state;
	assert_int_equal(perms_parse("x1", 3, p, 4), -EINVAL);
	assert_int_equal(perms_parse("r", 2, p, 4), -EINVAL);
	assert_int_equal(perms_parse("r65536", 7, p, 4), -EINVAL);
	assert_int_equal(perms_parse("r1", 2, p, 4), -EINVAL); /* no terminator */
	assert_int_equal(perms_parse("r1\0\0", 4, p, 4), -EINVAL);
	assert_int_equal(perms_parse("r-1", 4, p, 4), -EINVAL);
}

static void new_nodes_inherit_parent_perms_and_unprivileged_creator_owns(void **state)
{
	struct server *s = new_server();
	struct conn *dom0 = fake_conn(s, 0), *g = fake_conn(s, 5);
	struct msg m;

	(void)state;
	make_home(s, dom0, 5);
	EXPECT(call(s, dom0, XS_SET_PERMS, P("/local/domain/5\0n0\0b5\0r6\0")), "OK\0");
	EXPECT(call(s, g, XS_WRITE, P("dev/x\0v")), "OK\0");
	m = call(s, dom0, XS_GET_PERMS, P("/local/domain/5/dev/x\0"));
	EXPECT(m, "n5\0b5\0r6\0");
	EXPECT(call(s, dom0, XS_WRITE, P("/local/domain/5/by0\0")), "OK\0");
	EXPECT(call(s, dom0, XS_GET_PERMS, P("/local/domain/5/by0\0")), "n0\0b5\0r6\0");
	free_server(s);
}

static void missing_node_under_unreadable_parent_is_eacces(void **state)
{
	struct server *s = new_server();
	struct conn *dom0 = fake_conn(s, 0), *g = fake_conn(s, 5);

	(void)state;
	EXPECT(call(s, dom0, XS_WRITE, P("/hidden/x\0")), "OK\0");
	expect_error(call(s, g, XS_READ, P("/hidden/nothing\0")), "EACCES");
	expect_error(call(s, g, XS_READ, P("/hidden/x\0")), "EACCES");
	EXPECT(call(s, dom0, XS_SET_PERMS, P("/hidden\0n0\0r5\0")), "OK\0");
	expect_error(call(s, g, XS_READ, P("/hidden/nothing\0")), "ENOENT");
	free_server(s);
}

static void watch_events_only_reach_readers(void **state)
{
	struct server *s = new_server();
	struct conn *dom0 = fake_conn(s, 0), *g = fake_conn(s, 5);
	struct msg m;

	(void)state;
	EXPECT(call(s, dom0, XS_MKDIR, P("/w\0")), "OK\0");
	EXPECT(call(s, dom0, XS_SET_PERMS, P("/w\0n0\0r5\0")), "OK\0");
	EXPECT(call(s, g, XS_WATCH, P("/w\0t\0")), "OK\0");
	assert_true(next_msg(g, &m)); /* initial event */
	EXPECT(call(s, dom0, XS_WRITE, P("/w/pub\0")), "OK\0");
	assert_true(next_msg(g, &m));
	EXPECT(m, "/w/pub\0t\0");
	EXPECT(call(s, dom0, XS_WRITE, P("/w/priv\0")), "OK\0");
	EXPECT(call(s, dom0, XS_SET_PERMS, P("/w/priv\0n0\0")), "OK\0");
	EXPECT(call(s, dom0, XS_WRITE, P("/w/priv\0secret")), "OK\0");
	/* The first write was readable (inherited r5); the later ones are not. */
	assert_true(next_msg(g, &m));
	EXPECT(m, "/w/priv\0t\0");
	assert_false(next_msg(g, &m));
	free_server(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(owner_and_dom0_get_everything),
	    cmocka_unit_test(listed_domains_get_their_entry_and_others_the_owner_mode),
	    cmocka_unit_test(set_target_grants_the_targets_rights),
	    cmocka_unit_test(parse_and_format_round_trip),
	    cmocka_unit_test(malformed_permissions_are_rejected),
	    cmocka_unit_test(new_nodes_inherit_parent_perms_and_unprivileged_creator_owns),
	    cmocka_unit_test(missing_node_under_unreadable_parent_is_eacces),
	    cmocka_unit_test(watch_events_only_reach_readers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
