// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target for the message parser and every request handler. The input is a script
 * of chunks {selector byte, length byte, bytes}: the selector picks one of three clients
 * (dom0, and unprivileged domains 5 and 6 with homes set up) and whether their output is
 * drained first; the bytes go to that client's parser. Afterwards the store must still be a
 * tree: every stored node reachable from the root, every listed child present.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/server.h"

static ssize_t null_recv(struct conn *c, void *buf, size_t len)
{
	(void)c;
	(void)buf;
	(void)len;
	return 0;
}

static ssize_t null_send(struct conn *c, const void *buf, size_t len)
{
	(void)c;
	(void)buf;
	return (ssize_t)len;
}

static void null_destroy(struct conn *c)
{
	(void)c;
}

static const struct transport_ops null_ops = {"null", null_recv, null_send, null_destroy};

struct tree_check {
	const struct db *db;
	size_t seen;
};

static int check_node(const struct node *n, void *arg)
{
	struct tree_check *tc = arg;
	char path[XENSTORE_ABS_PATH_MAX * 2 + 8];

	tc->seen++;
	if (!n->nperms)
		abort();
	for (uint32_t i = 0; i < n->nchildren; i++) {
		snprintf(path, sizeof(path), "%s/%s", n->pathlen > 1 ? n->path : "",
			 n->children[i]);
		if (!db_find(tc->db, path))
			abort();
	}
	return 0;
}

static void setup_home(struct server *s, struct conn *dom0, uint32_t domid)
{
	char req[64];
	int n = snprintf(req, sizeof(req), "/local/domain/%u", domid) + 1;
	struct xsd_sockmsg h = {XS_MKDIR, 1, 0, (uint32_t)n};

	server_handle(s, dom0, &h, req);
	n += snprintf(req + n, sizeof(req) - (size_t)n, "n%u", domid) + 1;
	h = (struct xsd_sockmsg){XS_SET_PERMS, 2, 0, (uint32_t)n};
	server_handle(s, dom0, &h, req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct server *s = calloc(1, sizeof(*s));
	struct conn *conns[3];
	struct tree_check tc;
	size_t off = 0;

	if (!s || server_init(s))
		abort();
	conns[0] = server_add_conn(s, &null_ops, -1, NULL, 0);
	conns[1] = server_add_conn(s, &null_ops, -1, NULL, 5);
	conns[2] = server_add_conn(s, &null_ops, -1, NULL, 6);
	setup_home(s, conns[0], 5);
	setup_home(s, conns[0], 6);
	while (off + 2 <= size) {
		uint8_t sel = data[off], len = data[off + 1];
		struct conn *c = conns[sel % 3];
		size_t take = len;

		off += 2;
		if (take > size - off)
			take = size - off;
		if (sel & 0x80)
			conn_push(c);
		if (!c->closing && conn_feed(s, c, data + off, take))
			c->closing = true;
		off += take;
	}
	tc = (struct tree_check){&s->db, 0};
	db_walk(&s->db, "/", check_node, &tc);
	if (tc.seen + 2 != s->db.count)
		abort();
	server_fini(s);
	free(s);
	return 0;
}
