// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static const char help_text[] =
    "Commands:\n"
    "  help                      this list\n"
    "  print <text>              write text to the daemon's log\n"
    "  quota                     list the quotas\n"
    "  quota <name> <value>      set a quota\n"
    "  check                     verify the store's structure\n"
    "  live-update -f <binary>   choose the binary for a live update\n"
    "  live-update -c <cmdline>  (accepted, ignored: the command line is kept)\n"
    "  live-update -s [-t <secs>] [-F]  hand over to the new binary\n"
    "  live-update -a            abandon a prepared live update\n";

static void reply(struct conn *c, const struct xsd_sockmsg *h, const char *text)
{
	conn_send(c, h->type, h->req_id, h->tx_id, text, strlen(text) + 1);
}

static void do_quota(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
		     const char **argv, int argc)
{
	char out[XENSTORE_PAYLOAD_MAX];
	size_t off = 0;
	uint64_t v;

	if (argc == 3) {
		if (parse_uint(argv[2], INT32_MAX, &v) || quotas_set(&s->q, argv[1], (long)v)) {
			conn_send_error(c, h, EINVAL);
			return;
		}
		reply(c, h, "OK");
		return;
	}
	if (argc != 1) {
		conn_send_error(c, h, EINVAL);
		return;
	}
	for (int i = 0; i < Q_COUNT; i++) {
		int w =
		    snprintf(out + off, sizeof(out) - off, "%-18s %8ld  %s\n",
			     quota_name((enum quota_id)i), s->q.v[i], quota_help((enum quota_id)i));

		if (w > 0 && off + (size_t)w < sizeof(out))
			off += (size_t)w;
	}
	reply(c, h, out);
}

struct check_state {
	const struct db *db;
	size_t seen;
	int bad;
};

static int check_node(const struct node *n, void *arg)
{
	struct check_state *st = arg;

	st->seen++;
	for (uint32_t i = 0; i < n->nchildren; i++) {
		char *p = malloc(n->pathlen + strlen(n->children[i]) + 2);

		if (!p)
			return -ENOMEM;
		sprintf(p, "%s/%s", n->pathlen > 1 ? n->path : "", n->children[i]);
		if (!db_find(st->db, p))
			st->bad++;
		free(p);
	}
	return 0;
}

static void do_check(struct server *s, struct conn *c, const struct xsd_sockmsg *h)
{
	struct check_state st = {&s->db, 0, 0};
	char out[128];

	db_walk(&s->db, "/", check_node, &st);
	/* Every stored node must be reachable from the root (plus the two special nodes). */
	if (st.bad || st.seen + 2 != s->db.count) {
		snprintf(out, sizeof(out),
			 "store inconsistent: %zu reachable, %zu stored, %d "
			 "dangling",
			 st.seen, s->db.count, st.bad);
		reply(c, h, out);
		return;
	}
	reply(c, h, "OK");
}

static void do_live_update(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
			   const char **argv, int argc)
{
	if (argc >= 3 && !strcmp(argv[1], "-f")) {
		free(s->lu.binary);
		s->lu.binary = strdup(argv[2]);
		reply(c, h, s->lu.binary ? "OK" : "out of memory");
		return;
	}
	if (argc >= 3 && !strcmp(argv[1], "-c")) {
		free(s->lu.cmdline);
		s->lu.cmdline = strdup(argv[2]);
		reply(c, h, "OK");
		return;
	}
	if (argc >= 2 && !strcmp(argv[1], "-a")) {
		free(s->lu.binary);
		s->lu.binary = NULL;
		s->lu.start = false;
		reply(c, h, "OK");
		return;
	}
	if (argc >= 2 && !strcmp(argv[1], "-s")) {
		if (!s->lu.binary) {
			reply(c, h, "no binary chosen: use live-update -f <binary> first");
			return;
		}
		if (s->lu.start) {
			reply(c, h, "BUSY");
			return;
		}
		/* Open transactions travel with the state, so there is nothing to wait for:
		 * the event loop hands over after this round, and the new daemon replies. */
		s->lu.start = true;
		s->lu.requester = c;
		s->lu.req_id = h->req_id;
		return;
	}
	conn_send_error(c, h, EINVAL);
}

void control_handle(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
		    const char *payload)
{
	const char *argv[8];
	uint32_t off = 0;
	int argc = 0;

	if (!c->who.privileged) {
		conn_send_error(c, h, EACCES);
		return;
	}
	if (!h->len || payload[h->len - 1] != '\0') {
		conn_send_error(c, h, EINVAL);
		return;
	}
	while (off < h->len) {
		if (argc < 8)
			argv[argc] = payload + off;
		argc++;
		off += (uint32_t)strlen(payload + off) + 1;
	}
	if (!strcmp(argv[0], "help")) {
		reply(c, h, help_text);
	} else if (!strcmp(argv[0], "print") && argc >= 2) {
		fprintf(stderr, "xenstored: %s\n", argv[1]);
		reply(c, h, "OK");
	} else if (!strcmp(argv[0], "quota")) {
		do_quota(s, c, h, argv, argc);
	} else if (!strcmp(argv[0], "check")) {
		do_check(s, c, h);
	} else if (!strcmp(argv[0], "live-update")) {
		do_live_update(s, c, h, argv, argc > 8 ? 8 : argc);
	} else {
		conn_send_error(c, h, EINVAL);
	}
}
