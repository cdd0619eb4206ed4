// SPDX-License-Identifier: Apache-2.0
/*
 * Test harness: a server with fake connections whose output is captured, plus helpers to
 * send one request and take the reply. Included by each unit test (header-only on purpose:
 * every test is one translation unit).
 */
#ifndef XENSTORED_TEST_HARNESS_H
#define XENSTORED_TEST_HARNESS_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/server.h"

struct capture {
	struct buf bytes;
	size_t off;
};

static ssize_t fake_recv(struct conn *c, void *buf, size_t len)
{
	(void)c;
	(void)buf;
	(void)len;
	return 0;
}

static ssize_t fake_send(struct conn *c, const void *buf, size_t len)
{
	struct capture *cap = c->tp;

	if (buf_put(&cap->bytes, buf, len))
		return -1;
	return (ssize_t)len;
}

static void fake_destroy(struct conn *c)
{
	struct capture *cap = c->tp;

	buf_free(&cap->bytes);
	free(cap);
}

static const struct transport_ops fake_ops = {"fake", fake_recv, fake_send, fake_destroy};

static inline struct conn *fake_conn(struct server *s, uint32_t domid)
{
	struct capture *cap = calloc(1, sizeof(*cap));
	struct conn *c = server_add_conn(s, &fake_ops, -1, cap, domid);

	assert_non_null(c);
	return c;
}

struct msg {
	uint32_t type;
	uint32_t req_id;
	uint32_t tx_id;
	uint32_t len;
	char payload[XENSTORE_PAYLOAD_MAX + 1];
};

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Pops the next message the server sent on c; false if none. */
static inline bool next_msg(struct conn *c, struct msg *m)
{
	struct capture *cap = c->tp;

	conn_push(c);
	if (cap->bytes.len - cap->off < XS_HDR_SIZE)
		return false;
	const uint8_t *p = cap->bytes.data + cap->off;

	m->type = rd32(p);
	m->req_id = rd32(p + 4);
	m->tx_id = rd32(p + 8);
	m->len = rd32(p + 12);
	assert_true(m->len <= XENSTORE_PAYLOAD_MAX);
	memcpy(m->payload, p + 16, m->len);
	m->payload[m->len] = '\0';
	cap->off += XS_HDR_SIZE + m->len;
	return true;
}

static inline void put_hdr(uint8_t *p, uint32_t type, uint32_t req, uint32_t tx, uint32_t len)
{
	uint32_t w[4] = {type, req, tx, len};

	for (int i = 0; i < 4; i++)
		for (int k = 0; k < 4; k++)
			p[i * 4 + k] = (uint8_t)(w[i] >> (8 * k));
}

/* Sends a request and returns its reply (skipping watch events). */
static inline struct msg call_tx(struct server *s, struct conn *c, uint32_t type, uint32_t tx,
				 const void *payload, size_t len)
{
	uint8_t frame[XS_HDR_SIZE + XENSTORE_PAYLOAD_MAX];
	struct msg m;

	put_hdr(frame, type, 77, tx, (uint32_t)len);
	memcpy(frame + XS_HDR_SIZE, payload, len);
	assert_int_equal(conn_feed(s, c, frame, XS_HDR_SIZE + len), 0);
	do {
		assert_true(next_msg(c, &m));
	} while (m.type == XS_WATCH_EVENT);
	return m;
}

static inline struct msg call(struct server *s, struct conn *c, uint32_t type, const void *p,
			      size_t len)
{
	return call_tx(s, c, type, 0, p, len);
}

/* Payload helpers: "a\0b\0" style strings are written with explicit lengths. */
#define P(lit) (lit), (sizeof(lit) - 1)

static inline void expect_reply(struct msg m, const char *payload, size_t len)
{
	if (m.len != len || memcmp(m.payload, payload, len)) {
		print_error("expected reply \"%.*s\" (%zu bytes), got type %u \"%.*s\" (%u)\n",
			    (int)len, payload, len, m.type, (int)m.len, m.payload, m.len);
		fail();
	}
}

#define EXPECT(m, lit) expect_reply((m), (lit), sizeof(lit) - 1)

static inline void expect_error(struct msg m, const char *name)
{
	char want[32];

	snprintf(want, sizeof(want), "%s", name);
	if (m.type != XS_ERROR || strcmp(m.payload, want)) {
		print_error("expected error %s, got type %u \"%s\"\n", name, m.type, m.payload);
		fail();
	}
}

static inline struct server *new_server(void)
{
	struct server *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	assert_int_equal(server_init(s), 0);
	return s;
}

static inline void free_server(struct server *s)
{
	server_fini(s);
	free(s);
}

/* dom0 makes /local/domain/<id> owned by the domain, as the toolstack does. */
static inline void make_home(struct server *s, struct conn *dom0, uint32_t domid)
{
	char path[64], req[80];
	int n = snprintf(path, sizeof(path), "/local/domain/%u", domid) + 1;

	EXPECT(call(s, dom0, XS_MKDIR, path, (size_t)n), "OK\0");
	memcpy(req, path, (size_t)n);
	n += snprintf(req + n, sizeof(req) - (size_t)n, "n%u", domid) + 1;
	EXPECT(call(s, dom0, XS_SET_PERMS, req, (size_t)n), "OK\0");
}

#endif
