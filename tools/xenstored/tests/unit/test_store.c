// SPDX-License-Identifier: Apache-2.0
#include "harness.h"

static void path_helpers_split_canonical_paths(void **state)
{
	char parent[64];

	(void)state;
	assert_string_equal(path_basename("/a/b/c"), "c");
	assert_string_equal(path_basename("/"), "");
	assert_int_equal(path_parent("/a/b", parent, sizeof(parent)), 0);
	assert_string_equal(parent, "/a");
	assert_int_equal(path_parent("/a", parent, sizeof(parent)), 0);
	assert_string_equal(parent, "/");
	assert_int_equal(path_parent("/", parent, sizeof(parent)), -EINVAL);
	assert_true(path_is_under("/a/b", "/a"));
	assert_true(path_is_under("/a", "/a"));
	assert_false(path_is_under("/ab", "/a"));
	assert_true(path_is_under("/anything", "/"));
}

static void node_children_keep_creation_order_and_byte_count(void **state)
{
	struct node *n = node_new("/p");

	(void)state;
	assert_int_equal(node_add_child(n, "zz"), 0);
	assert_int_equal(node_add_child(n, "a"), 0);
	assert_int_equal(node_add_child(n, "mmm"), 0);
	assert_int_equal(n->childbytes, 3 + 2 + 4);
	node_del_child(n, "a");
	assert_int_equal(n->nchildren, 2);
	assert_string_equal(n->children[0], "zz");
	assert_string_equal(n->children[1], "mmm");
	assert_int_equal(n->childbytes, 3 + 4);
	assert_true(node_has_child(n, "mmm"));
	assert_false(node_has_child(n, "a"));
	node_free(n);
}

static void node_clone_is_deep(void **state)
{
	struct node *n = node_new("/p"), *c;
	struct perm p[2] = {{3, PERM_NONE}, {4, PERM_READ}};

	(void)state;
	node_set_value(n, "abc", 3);
	node_set_perms(n, p, 2);
	node_add_child(n, "kid");
	c = node_clone(n);
	node_set_value(n, "x", 1);
	node_del_child(n, "kid");
	assert_int_equal(c->vlen, 3);
	assert_memory_equal(c->value, "abc", 3);
	assert_int_equal(c->nperms, 2);
	assert_int_equal(c->perms[1].domid, 4);
	assert_int_equal(c->nchildren, 1);
	node_free(n);
	node_free(c);
}

static void db_finds_inserted_nodes_across_growth(void **state)
{
	struct db db;
	char path[32];

	(void)state;
	assert_int_equal(db_init(&db), 0);
	for (int i = 0; i < 5000; i++) {
		snprintf(path, sizeof(path), "/n%d", i);
		db_insert(&db, node_new(path));
	}
	assert_int_equal(db.count, 5001);
	assert_non_null(db_find(&db, "/n4999"));
	assert_non_null(db_find(&db, "/"));
	node_free(db_unlink(&db, "/n17"));
	assert_null(db_find(&db, "/n17"));
	assert_null(db_unlink(&db, "/n17"));
	db_fini(&db);
}

static int record(const struct node *n, void *arg)
{
	char *out = arg;

	strcat(out, n->path);
	strcat(out, ";");
	return 0;
}

static void db_walk_visits_parents_first_in_child_order(void **state)
{
	struct server *s = new_server();
	struct conn *c = fake_conn(s, 0);
	char seen[256] = "";

	(void)state;
	EXPECT(call(s, c, XS_WRITE, P("/b/x\0")), "OK\0");
	EXPECT(call(s, c, XS_WRITE, P("/a\0")), "OK\0");
	db_walk(&s->db, "/", record, seen);
	assert_string_equal(seen, "/;/b;/b/x;/a;");
	free_server(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(path_helpers_split_canonical_paths),
	    cmocka_unit_test(node_children_keep_creation_order_and_byte_count),
	    cmocka_unit_test(node_clone_is_deep),
	    cmocka_unit_test(db_finds_inserted_nodes_across_growth),
	    cmocka_unit_test(db_walk_visits_parents_first_in_child_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
