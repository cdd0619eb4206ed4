// SPDX-License-Identifier: Apache-2.0
#include "harness.h"

static void message_split_into_single_bytes_is_reassembled(void **state)
{
	struct server *s = new_server();
	struct conn *c = fake_conn(s, 0);
	uint8_t frame[64];
	struct msg m;

	(void)state;
	put_hdr(frame, XS_WRITE, 9, 0, 7);
	memcpy(frame + 16, "/k\0val", 7);
	for (int i = 0; i < 23; i++) {
		assert_int_equal(conn_feed(s, c, frame + i, 1), 0);
		if (i < 22)
			assert_false(next_msg(c, &m));
	}
	assert_true(next_msg(c, &m));
	assert_int_equal(m.req_id, 9);
	EXPECT(m, "OK\0");
	free_server(s);
}

static void pipelined_requests_are_answered_in_order_with_ids_echoed(void **state)
{
	struct server *s = new_server();
	struct conn *c = fake_conn(s, 0);
	uint8_t frames[3 * 19];
	struct msg m;

	(void)state;
	for (uint32_t i = 0; i < 3; i++) {
		put_hdr(frames + i * 19, XS_GET_DOMAIN_PATH, 100 + i, 0, 3);
		memcpy(frames + i * 19 + 16, i == 1 ? "x1\0" : "12\0", 3);
	}
	assert_int_equal(conn_feed(s, c, frames, sizeof(frames)), 0);
	for (uint32_t i = 0; i < 3; i++) {
		assert_true(next_msg(c, &m));
		assert_int_equal(m.req_id, 100 + i);
		if (i == 1)
			expect_error(m, "EINVAL");
		else
			EXPECT(m, "/local/domain/12\0");
	}
	free_server(s);
}

static void oversized_length_is_a_protocol_error(void **state)
{
	struct server *s = new_server();
	struct conn *c = fake_conn(s, 0);
	uint8_t frame[16];

	(void)state;
	put_hdr(frame, XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1);
	assert_int_equal(conn_feed(s, c, frame, sizeof(frame)), -1);
	free_server(s);
}

static void largest_payload_is_accepted(void **state)
{
	struct server *s = new_server();
	struct conn *c = fake_conn(s, 0);
	static char payload[XENSTORE_PAYLOAD_MAX];

	(void)state;
	memcpy(payload, "/big\0", 5);
	memset(payload + 5, 'z', sizeof(payload) - 5);
	EXPECT(call(s, c, XS_WRITE, payload, sizeof(payload)), "OK\0");
	assert_int_equal(db_find(&s->db, "/big")->vlen, XENSTORE_PAYLOAD_MAX - 5);
	free_server(s);
}

static void values_may_contain_nul_bytes(void **state)
{
	struct server *s = new_server();
	struct conn *c = fake_conn(s, 0);

	(void)state;
	EXPECT(call(s, c, XS_WRITE, P("/bin\0a\0b\0")), "OK\0");
	EXPECT(call(s, c, XS_READ, P("/bin\0")), "a\0b\0");
	free_server(s);
}

static void argument_shape_errors_are_einval(void **state)
{
	struct server *s = new_server();
	struct conn *c = fake_conn(s, 0);

	(void)state;
	expect_error(call(s, c, XS_READ, P("/x")), "EINVAL");
	expect_error(call(s, c, XS_READ, "", 0), "EINVAL");
	expect_error(call(s, c, XS_MKDIR, P("/a\0/b\0")), "EINVAL");
	expect_error(call(s, c, XS_WATCH, P("/a\0")), "EINVAL");
	expect_error(call(s, c, XS_WRITE, P("/novalue")), "EINVAL");
	expect_error(call(s, c, XS_WRITE, P("rel//x\0")), "EINVAL");
	expect_error(call(s, c, XS_WRITE, P("/a/\0")), "EINVAL");
	expect_error(call(s, c, XS_WRITE, P("/a b\0")), "EINVAL");
	expect_error(call(s, c, XS_WRITE, P("@introduceDomain\0")), "EINVAL");
	expect_error(call(s, c, XS_RM, P("/\0")), "EINVAL");
	expect_error(call(s, c, XS_DIRECTORY_PART, P("/\0")), "EINVAL");
	expect_error(call(s, c, XS_INTRODUCE,
			  P("1\0"
			    "2\0")),
		     "EINVAL");
	expect_error(call(s, c, XS_INTRODUCE,
			  P("0\0"
			    "2\0"
			    "3\0")),
		     "EINVAL");
	expect_error(call(s, c, XS_RELEASE, P("5\0")), "ENOENT");
	expect_error(call(s, c, XS_SET_TARGET,
			  P("5\0"
			    "6\0")),
		     "ENOENT");
	expect_error(call(s, c, XS_UNWATCH, P("/a\0tok\0")), "ENOENT");
	free_server(s);
}

static void unknown_types_get_enosys(void **state)
{
	struct server *s = new_server();
	struct conn *c = fake_conn(s, 0);
	uint32_t types[] = {20,	  23,	  24,	       25,	 26,
			    1000, 0xffff, 0xffffffffu, XS_ERROR, XS_WATCH_EVENT};

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		expect_error(call(s, c, types[i], P("x\0")), "ENOSYS");
	free_server(s);
}

static void directory_part_pages_through_a_big_directory(void **state)
{
	struct server *s = new_server();
	struct conn *c = fake_conn(s, 0);
	char req[64], got[8192] = "";
	size_t gotlen = 0, off = 0;
	struct msg m;

	(void)state;
	for (int i = 0; i < 400; i++) {
		int n = snprintf(req, sizeof(req), "/d/child-number-%04d", i) + 1;

		EXPECT(call(s, c, XS_WRITE, req, (size_t)n), "OK\0");
	}
	expect_error(call(s, c, XS_DIRECTORY, P("/d\0")), "E2BIG");
	for (int rounds = 0; rounds < 10; rounds++) {
		int n = snprintf(req, sizeof(req), "/d%c%zu", '\0', off);
		size_t genlen, body;

		m = call(s, c, XS_DIRECTORY_PART, req, (size_t)n + 1);
		assert_int_equal(m.type, XS_DIRECTORY_PART);
		genlen = strlen(m.payload) + 1;
		body = m.len - genlen;
		if (m.payload[m.len - 1] == '\0' && m.payload[m.len - 2] == '\0') {
			memcpy(got + gotlen, m.payload + genlen, body - 1);
			gotlen += body - 1;
			break;
		}
		memcpy(got + gotlen, m.payload + genlen, body);
		gotlen += body;
		off += body;
	}
	assert_int_equal(gotlen, 400 * 18);
	assert_memory_equal(got, "child-number-0000\0child-number-0001\0", 36);
	assert_memory_equal(got + gotlen - 18, "child-number-0399\0", 18);
	free_server(s);
}

static void relative_paths_resolve_to_the_callers_home(void **state)
{
	struct server *s = new_server();
	struct conn *dom0 = fake_conn(s, 0);

	(void)state;
	EXPECT(call(s, dom0, XS_WRITE, P("rel\0x")), "OK\0");
	assert_non_null(db_find(&s->db, "/local/domain/0/rel"));
	free_server(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(message_split_into_single_bytes_is_reassembled),
	    cmocka_unit_test(pipelined_requests_are_answered_in_order_with_ids_echoed),
	    cmocka_unit_test(oversized_length_is_a_protocol_error),
	    cmocka_unit_test(largest_payload_is_accepted),
	    cmocka_unit_test(values_may_contain_nul_bytes),
	    cmocka_unit_test(argument_shape_errors_are_einval),
	    cmocka_unit_test(unknown_types_get_enosys),
	    cmocka_unit_test(directory_part_pages_through_a_big_directory),
	    cmocka_unit_test(relative_paths_resolve_to_the_callers_home),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
