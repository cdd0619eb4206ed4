// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

static const char *const special_nodes[] = {"@introduceDomain", "@releaseDomain"};

int server_init(struct server *s)
{
	memset(s, 0, sizeof(*s));
	quotas_default(&s->q);
	s->next_conn_id = 1;
	s->out_limit_priv = 16u << 20;
	s->out_limit_unpriv = 1u << 20;
	if (db_init(&s->db))
		return -ENOMEM;
	if (acct_init(&s->acct)) {
		db_fini(&s->db);
		return -ENOMEM;
	}
	/* The root and the special nodes belong to dom0; nobody else may read them. */
	for (size_t i = 0; i < sizeof(special_nodes) / sizeof(special_nodes[0]); i++) {
		struct node *n = node_new(special_nodes[i]);

		if (!n) {
			server_fini(s);
			return -ENOMEM;
		}
		n->gen = db_next_gen(&s->db);
		db_insert(&s->db, n);
	}
	return 0;
}

void server_fini(struct server *s)
{
	while (s->conns)
		server_drop_conn(s, s->conns);
	while (s->domains) {
		struct domain *d = s->domains;

		s->domains = d->next;
		free(d);
	}
	changes_clear(&s->chg);
	free(s->chg.v);
	free(s->lu.binary);
	free(s->lu.cmdline);
	acct_fini(&s->acct);
	db_fini(&s->db);
}

struct conn *server_add_conn(struct server *s, const struct transport_ops *ops, int fd, void *tp,
			     uint32_t domid)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->id = s->next_conn_id++;
	c->ops = ops;
	c->fd = fd;
	c->tp = tp;
	c->who.domid = domid;
	c->who.target = DOMID_NONE;
	c->who.privileged = domid == 0;
	c->next_txid = 1;
	c->next = s->conns;
	s->conns = c;
	return c;
}

void server_drop_conn(struct server *s, struct conn *c)
{
	struct conn **pp;

	for (pp = &s->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	watch_drop_conn(s, c);
	while (c->txs) {
		struct txn *tx = c->txs;

		c->txs = tx->next;
		txn_free(tx);
	}
	if (c->dom)
		c->dom->conn = NULL;
	if (s->lu.requester == c)
		s->lu.requester = NULL;
	if (c->ops && c->ops->destroy)
		c->ops->destroy(c);
	buf_free(&c->out);
	free(c->reply_ends);
	free(c);
}

static uint32_t outstanding(const struct conn *c)
{
	return c->nreply_ends;
}

bool conn_can_read(const struct server *s, const struct conn *c)
{
	if (c->closing)
		return false;
	if (!c->who.privileged && (long)outstanding(c) >= s->q.v[Q_OUTSTANDING])
		return false;
	/* Everyone: stop taking requests from a client that does not take its replies. */
	return c->out.len < 256 * 1024;
}

bool conn_has_output(const struct conn *c)
{
	return c->out.len > 0;
}

static void note_reply_end(struct conn *c)
{
	if (c->nreply_ends == c->reply_cap) {
		uint32_t cap = c->reply_cap ? c->reply_cap * 2 : 16;
		uint64_t *v = realloc(c->reply_ends, cap * sizeof(*v));

		if (!v)
			return;
		c->reply_ends = v;
		c->reply_cap = cap;
	}
	c->reply_ends[c->nreply_ends++] = c->queued_total;
}

void conn_send(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id, const void *p,
	       size_t len)
{
	uint8_t hdr[XS_HDR_SIZE];
	uint32_t words[4] = {type, req_id, tx_id, (uint32_t)len};

	for (int i = 0; i < 4; i++) {
		hdr[i * 4] = (uint8_t)words[i];
		hdr[i * 4 + 1] = (uint8_t)(words[i] >> 8);
		hdr[i * 4 + 2] = (uint8_t)(words[i] >> 16);
		hdr[i * 4 + 3] = (uint8_t)(words[i] >> 24);
	}
	if (buf_reserve(&c->out, sizeof(hdr) + len)) {
		/* Out of memory for this client's output: dropping it is the only safe answer. */
		c->closing = true;
		return;
	}
	buf_put(&c->out, hdr, sizeof(hdr));
	buf_put(&c->out, p, len);
	c->queued_total += sizeof(hdr) + len;
	if (type != XS_WATCH_EVENT)
		note_reply_end(c);
}

void conn_send_error(struct conn *c, const struct xsd_sockmsg *h, int err)
{
	const char *name = wire_errname(err < 0 ? -err : err);

	conn_send(c, XS_ERROR, h->req_id, h->tx_id, name, strlen(name) + 1);
}

static void send_ok(struct conn *c, const struct xsd_sockmsg *h)
{
	conn_send(c, h->type, h->req_id, h->tx_id, "OK", 3);
}

int conn_push(struct conn *c)
{
	while (c->out.len) {
		ssize_t n = c->ops->send(c, c->out.data, c->out.len);

		if (n < 0)
			return -1;
		if (n == 0)
			break;
		buf_consume(&c->out, (size_t)n);
		c->sent_total += (uint64_t)n;
	}
	uint32_t done = 0;

	while (done < c->nreply_ends && c->reply_ends[done] <= c->sent_total)
		done++;
	if (done) {
		memmove(c->reply_ends, c->reply_ends + done,
			(c->nreply_ends - done) * sizeof(c->reply_ends[0]));
		c->nreply_ends -= done;
	}
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Handles complete messages at the front of the input buffer while the client may send. */
static int conn_parse(struct server *s, struct conn *c)
{
	size_t off = 0;
	int rc = 0;

	while (c->in_len - off >= XS_HDR_SIZE && conn_can_read(s, c)) {
		const uint8_t *p = c->in + off;
		struct xsd_sockmsg h = {le32(p), le32(p + 4), le32(p + 8), le32(p + 12)};
		char payload[XENSTORE_PAYLOAD_MAX + 1];

		if (h.len > XENSTORE_PAYLOAD_MAX) {
			rc = -1;
			break;
		}
		if (c->in_len - off < XS_HDR_SIZE + h.len)
			break;
		memcpy(payload, p + XS_HDR_SIZE, h.len);
		/* A terminator past the payload so no handler can run off its end. */
		payload[h.len] = '\0';
		off += XS_HDR_SIZE + h.len;
		server_handle(s, c, &h, payload);
	}
	if (off) {
		memmove(c->in, c->in + off, c->in_len - off);
		c->in_len -= off;
	}
	return rc;
}

int conn_feed(struct server *s, struct conn *c, const void *bytes, size_t n)
{
	const uint8_t *p = bytes;

	while (n) {
		size_t room = CONN_IN_CAP - c->in_len;
		size_t take = n < room ? n : room;

		if (!take)
			return -1;
		memcpy(c->in + c->in_len, p, take);
		c->in_len += take;
		p += take;
		n -= take;
		if (conn_parse(s, c))
			return -1;
		if (n && !conn_can_read(s, c) && c->in_len == CONN_IN_CAP)
			return -1;
	}
	return 0;
}

int conn_pull(struct server *s, struct conn *c)
{
	/* Requests held back while the client was over its quota go first. */
	if (conn_parse(s, c))
		return -1;
	/* Bounded per call so one busy client cannot starve the others. */
	for (int rounds = 0; rounds < 8 && conn_can_read(s, c); rounds++) {
		ssize_t n = c->ops->recv(c, c->in + c->in_len, CONN_IN_CAP - c->in_len);

		if (n < 0)
			return -1;
		if (n == 0)
			break;
		c->in_len += (size_t)n;
		if (conn_parse(s, c))
			return -1;
	}
	return 0;
}

int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return -EINVAL;
	}
	*out = v;
	return 0;
}

static bool valid_chars(const char *p)
{
	for (; *p; p++) {
		char ch = *p;

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || strchr("-/_@", ch)))
			return false;
	}
	return true;
}

/* Length of a "/local/domain/<digits>/" prefix, or 0. */
static size_t home_prefix_len(const char *path)
{
	const char *p = path + strlen("/local/domain/");
	const char *d = p;

	if (strncmp(path, "/local/domain/", strlen("/local/domain/")))
		return 0;
	while (*d >= '0' && *d <= '9')
		d++;
	if (d == p || *d != '/')
		return 0;
	return (size_t)(d - path) + 1;
}

int server_canon(const struct server *s, const struct conn *c, const char *in, bool allow_special,
		 char *out, size_t cap)
{
	size_t len;
	int w;

	if (in[0] == '@') {
		if (!allow_special || strlen(in) >= cap || !valid_chars(in) || strchr(in, '/'))
			return -EINVAL;
		strcpy(out, in);
		return 0;
	}
	if (in[0] == '/')
		w = snprintf(out, cap, "%s", in);
	else if (in[0])
		w = snprintf(out, cap, "/local/domain/%u/%s", c->who.domid, in);
	else
		return -EINVAL;
	if (w < 0 || (size_t)w >= cap)
		return -EINVAL;
	len = (size_t)w;
	if (len > XENSTORE_ABS_PATH_MAX || !valid_chars(out) || strstr(out, "//"))
		return -EINVAL;
	if (len > 1 && out[len - 1] == '/')
		return -EINVAL;
	if (!c->who.privileged && (long)(len - home_prefix_len(out)) > s->q.v[Q_PATH_MAX])
		return -EINVAL;
	return 0;
}

/* The payload is exactly one NUL-terminated string. */
static const char *one_arg(const struct xsd_sockmsg *h, const char *payload)
{
	if (!h->len || payload[h->len - 1] != '\0' || strlen(payload) + 1 != h->len)
		return NULL;
	return payload;
}

/* Splits a payload made only of NUL-terminated strings; returns how many, or -1. */
static int split_args(const struct xsd_sockmsg *h, const char *payload, const char **argv, int max)
{
	uint32_t off = 0;
	int n = 0;

	if (!h->len || payload[h->len - 1] != '\0')
		return -1;
	while (off < h->len) {
		if (n < max)
			argv[n] = payload + off;
		n++;
		off += (uint32_t)strlen(payload + off) + 1;
	}
	return n;
}

static struct txn *conn_txn(struct conn *c, uint32_t id)
{
	for (struct txn *tx = c->txs; tx; tx = tx->next) {
		if (tx->id == id)
			return tx;
	}
	return NULL;
}

void server_persist(struct server *s, const struct buf *rec)
{
	if (!s->persist || !rec->len)
		return;
	if (s->persist->log(s->persist_ctx, rec->data, rec->len)) {
		/* The change is applied but cannot be made durable: stop before anyone sees an
		 * acknowledgement; a restart recovers the last durable state. */
		fprintf(stderr, "xenstored: cannot write the log: %s; exiting\n", strerror(errno));
		exit(1);
	}
}

/* Common prologue of the store requests: the view and op context for h's transaction. */
static int begin_op(struct server *s, struct conn *c, const struct xsd_sockmsg *h, struct view *v,
		    struct op_ctx *oc)
{
	memset(v, 0, sizeof(*v));
	v->db = &s->db;
	v->acct = &s->acct;
	if (h->tx_id) {
		v->tx = conn_txn(c, h->tx_id);
		if (!v->tx)
			return c->restored ? -EAGAIN : -ENOENT;
		if (!c->who.privileged)
			v->tx_limit = s->q.v[Q_TRANS_NODES];
	}
	memset(oc, 0, sizeof(*oc));
	oc->v = v;
	oc->who = c->who;
	oc->q = &s->q;
	oc->check_perms = true;
	oc->chg = v->tx ? NULL : &s->chg;
	return 0;
}

/* After a successful mutation: remember it (transaction) or log it and fire watches. */
static void finish_mutation(struct server *s, struct view *v, const struct oprec *r)
{
	struct buf rec = {0};

	if (v->tx) {
		if (oprec_append(&v->tx->ops, r))
			fprintf(stderr, "xenstored: out of memory recording a transaction\n");
		return;
	}
	if (oprec_append(&rec, r) == 0)
		server_persist(s, &rec);
	buf_free(&rec);
	watch_fire_changes(s);
}

static void do_read_like(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
			 const char *payload)
{
	char path[XENSTORE_ABS_PATH_MAX + 64];
	const char *arg = one_arg(h, payload);
	const struct node *n;
	struct op_ctx oc;
	struct view v;
	char out[XENSTORE_PAYLOAD_MAX];
	int rc, len;

	if (!arg)
		rc = -EINVAL;
	else
		rc = server_canon(s, c, arg, h->type == XS_GET_PERMS, path, sizeof(path));
	if (!rc)
		rc = begin_op(s, c, h, &v, &oc);
	if (!rc)
		rc = op_lookup(&oc, path, PERM_READ, &n);
	if (rc) {
		conn_send_error(c, h, rc);
		return;
	}
	switch (h->type) {
	case XS_READ:
		conn_send(c, h->type, h->req_id, h->tx_id, n->value, n->vlen);
		return;
	case XS_GET_PERMS:
		len = perms_format(n->perms, n->nperms, out, sizeof(out));
		if (len < 0)
			conn_send_error(c, h, E2BIG);
		else
			conn_send(c, h->type, h->req_id, h->tx_id, out, (size_t)len);
		return;
	default:
		if (n->childbytes > XENSTORE_PAYLOAD_MAX) {
			conn_send_error(c, h, E2BIG);
			return;
		}
		len = 0;
		for (uint32_t i = 0; i < n->nchildren; i++) {
			size_t l = strlen(n->children[i]) + 1;

			memcpy(out + len, n->children[i], l);
			len += (int)l;
		}
		conn_send(c, h->type, h->req_id, h->tx_id, out, (size_t)len);
	}
}

static void do_directory_part(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
			      const char *payload)
{
	char path[XENSTORE_ABS_PATH_MAX + 64];
	char out[XENSTORE_PAYLOAD_MAX + 32];
	const char *argv[2];
	const struct node *n;
	struct op_ctx oc;
	struct view v;
	uint64_t off;
	size_t len, glen;
	int rc = split_args(h, payload, argv, 2) == 2 ? 0 : -EINVAL;

	if (!rc)
		rc = server_canon(s, c, argv[0], false, path, sizeof(path));
	if (!rc)
		rc = parse_uint(argv[1], UINT32_MAX, &off);
	if (!rc)
		rc = begin_op(s, c, h, &v, &oc);
	if (!rc)
		rc = op_lookup(&oc, path, PERM_READ, &n);
	if (rc) {
		conn_send_error(c, h, rc);
		return;
	}
	/* Reply: generation, then whole child names starting at byte offset off of the
	 * concatenated list; an empty name marks that the list is complete. */
	glen = (size_t)snprintf(out, sizeof(out), "%" PRIu64, n->gen) + 1;
	len = glen;
	{
		uint64_t pos = 0;
		uint32_t i = 0;

		while (i < n->nchildren && pos < off)
			pos += strlen(n->children[i++]) + 1;
		for (; i < n->nchildren; i++) {
			size_t l = strlen(n->children[i]) + 1;

			if (len + l + 1 > XENSTORE_PAYLOAD_MAX)
				break;
			memcpy(out + len, n->children[i], l);
			len += l;
		}
		if (i == n->nchildren)
			out[len++] = '\0';
	}
	conn_send(c, h->type, h->req_id, h->tx_id, out, len);
}

static void do_write(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
		     const char *payload)
{
	char path[XENSTORE_ABS_PATH_MAX + 64];
	size_t plen = strnlen(payload, h->len);
	struct op_ctx oc;
	struct view v;
	struct oprec r;
	int rc;

	/* "path\0value": the value runs to the end and need not be NUL-terminated. */
	if (plen == h->len) {
		conn_send_error(c, h, EINVAL);
		return;
	}
	rc = server_canon(s, c, payload, false, path, sizeof(path));
	if (!rc)
		rc = begin_op(s, c, h, &v, &oc);
	r = (struct oprec){OP_WRITE, c->who, path, payload + plen + 1,
			   (uint32_t)(h->len - plen - 1)};
	if (!rc)
		rc = op_write(&oc, path, r.data, r.dlen);
	if (rc) {
		changes_clear(&s->chg);
		conn_send_error(c, h, rc);
		return;
	}
	finish_mutation(s, &v, &r);
	send_ok(c, h);
}

static void do_path_op(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
		       const char *payload)
{
	char path[XENSTORE_ABS_PATH_MAX + 64];
	const char *arg = one_arg(h, payload);
	struct op_ctx oc;
	struct view v;
	struct oprec r;
	int rc = arg ? server_canon(s, c, arg, false, path, sizeof(path)) : -EINVAL;

	if (!rc)
		rc = begin_op(s, c, h, &v, &oc);
	r = (struct oprec){h->type == XS_MKDIR ? OP_MKDIR : OP_RM, c->who, path, NULL, 0};
	if (!rc)
		rc = h->type == XS_MKDIR ? op_mkdir(&oc, path) : op_rm(&oc, path);
	if (rc) {
		changes_clear(&s->chg);
		conn_send_error(c, h, rc);
		return;
	}
	finish_mutation(s, &v, &r);
	send_ok(c, h);
}

static void do_set_perms(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
			 const char *payload)
{
	char path[XENSTORE_ABS_PATH_MAX + 64];
	size_t plen = strnlen(payload, h->len);
	struct perm perms[XENSTORE_PAYLOAD_MAX / 3 + 1];
	struct op_ctx oc;
	struct view v;
	struct oprec r;
	int n = 0, rc = -EINVAL;

	if (plen + 1 < h->len) {
		n = perms_parse(payload + plen + 1, h->len - plen - 1, perms,
				sizeof(perms) / sizeof(perms[0]));
		rc = n < 1 ? -EINVAL : server_canon(s, c, payload, true, path, sizeof(path));
	}
	if (!rc)
		rc = begin_op(s, c, h, &v, &oc);
	r = (struct oprec){OP_PERMS, c->who, path, payload + plen + 1,
			   (uint32_t)(h->len - plen - 1)};
	if (!rc)
		rc = op_set_perms(&oc, path, perms, (uint32_t)n);
	if (rc) {
		changes_clear(&s->chg);
		conn_send_error(c, h, rc);
		return;
	}
	finish_mutation(s, &v, &r);
	send_ok(c, h);
}

static void do_watch(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
		     const char *payload)
{
	char path[XENSTORE_ABS_PATH_MAX + 64];
	const char *argv[2];
	int rc = split_args(h, payload, argv, 2) == 2 ? 0 : -EINVAL;
	uint32_t rel;

	if (!rc)
		rc = server_canon(s, c, argv[0], true, path, sizeof(path));
	if (rc) {
		conn_send_error(c, h, rc);
		return;
	}
	rel =
	    argv[0][0] != '/' && argv[0][0] != '@' ? (uint32_t)(strlen(path) - strlen(argv[0])) : 0;
	if (h->type == XS_UNWATCH) {
		rc = watch_del(s, c, path, argv[1]);
		if (rc) {
			conn_send_error(c, h, rc);
			return;
		}
		watch_log(s, c, OP_UNWATCH, path, argv[1], 0);
		send_ok(c, h);
		return;
	}
	rc = watch_add(s, c, path, argv[1], rel);
	if (rc) {
		conn_send_error(c, h, rc);
		return;
	}
	watch_log(s, c, OP_WATCH, path, argv[1], rel);
	send_ok(c, h);
	/* The initial event lets a client read the current state without racing a change. */
	{
		char ev[XENSTORE_PAYLOAD_MAX + 2];
		size_t pl = strlen(argv[0]) + 1, tl = strlen(argv[1]) + 1;

		memcpy(ev, argv[0], pl);
		memcpy(ev + pl, argv[1], tl);
		conn_send(c, XS_WATCH_EVENT, 0, 0, ev, pl + tl);
	}
}

static void do_transaction_start(struct server *s, struct conn *c, const struct xsd_sockmsg *h)
{
	char reply[16];
	struct txn *tx;

	if (h->tx_id) {
		conn_send_error(c, h, EBUSY);
		return;
	}
	if (!c->who.privileged && (long)c->ntxs >= s->q.v[Q_TRANSACTIONS]) {
		conn_send_error(c, h, ENOSPC);
		return;
	}
	while (!c->next_txid || conn_txn(c, c->next_txid))
		c->next_txid++;
	tx = txn_new(c->next_txid++);
	if (!tx) {
		conn_send_error(c, h, ENOMEM);
		return;
	}
	tx->next = c->txs;
	c->txs = tx;
	c->ntxs++;
	snprintf(reply, sizeof(reply), "%u", tx->id);
	conn_send(c, h->type, h->req_id, h->tx_id, reply, strlen(reply) + 1);
}

static void unlink_txn(struct conn *c, struct txn *tx)
{
	for (struct txn **pp = &c->txs; *pp; pp = &(*pp)->next) {
		if (*pp == tx) {
			*pp = tx->next;
			c->ntxs--;
			return;
		}
	}
}

/* Commit: validate, check quotas against the deltas, then replay the ops on the store. */
static int commit(struct server *s, struct conn *c, struct txn *tx)
{
	struct view v = {.db = &s->db, .acct = &s->acct};
	struct op_ctx oc = {.v = &v, .chg = &s->chg};
	struct reader rd;
	int rc = txn_validate(tx, &s->db);

	if (rc)
		return rc;
	if (!c->who.privileged) {
		int64_t dn, dm;
		const struct acct *a = acct_of(&s->acct, c->who.domid);

		txn_delta(tx, c->who.domid, &dn, &dm);
		if (dn > 0 && a->nodes + dn > s->q.v[Q_NODES])
			return -ENOSPC;
		if (dm > 0 && a->mem + dm > s->q.v[Q_MEMORY])
			return -ENOMEM;
	}
	reader_init(&rd, tx->ops.data, tx->ops.len);
	while (rd.off < rd.len) {
		struct oprec r;

		if (oprec_next(&rd, &r))
			break;
		/* Cannot fail on a validated transaction short of memory exhaustion. */
		if (op_apply(&oc, &r))
			fprintf(stderr, "xenstored: commit replay of %c %s failed\n", r.type,
				r.path);
	}
	server_persist(s, &tx->ops);
	return 0;
}

static void do_transaction_end(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
			       const char *payload)
{
	const char *arg = one_arg(h, payload);
	struct txn *tx;
	int rc;

	if (!arg || (strcmp(arg, "T") && strcmp(arg, "F"))) {
		conn_send_error(c, h, EINVAL);
		return;
	}
	tx = conn_txn(c, h->tx_id);
	if (!tx) {
		conn_send_error(c, h, c->restored ? EAGAIN : ENOENT);
		return;
	}
	unlink_txn(c, tx);
	rc = arg[0] == 'T' ? commit(s, c, tx) : 0;
	txn_free(tx);
	if (rc) {
		changes_clear(&s->chg);
		conn_send_error(c, h, rc);
		return;
	}
	watch_fire_changes(s);
	send_ok(c, h);
}

static void do_reset_watches(struct server *s, struct conn *c, const struct xsd_sockmsg *h)
{
	watch_drop_conn(s, c);
	watch_log(s, c, OP_RESET_WATCHES, "/", "", 0);
	while (c->txs) {
		struct txn *tx = c->txs;

		c->txs = tx->next;
		txn_free(tx);
	}
	c->ntxs = 0;
	send_ok(c, h);
}

void server_handle(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
		   const char *payload)
{
	if (s->verbose)
		fprintf(stderr, "xenstored: conn %u %s req %u tx %u len %u\n", c->id,
			wire_typename(h->type), h->req_id, h->tx_id, h->len);
	switch (h->type) {
	case XS_READ:
	case XS_DIRECTORY:
	case XS_GET_PERMS:
		do_read_like(s, c, h, payload);
		return;
	case XS_DIRECTORY_PART:
		do_directory_part(s, c, h, payload);
		return;
	case XS_WRITE:
		do_write(s, c, h, payload);
		return;
	case XS_MKDIR:
	case XS_RM:
		do_path_op(s, c, h, payload);
		return;
	case XS_SET_PERMS:
		do_set_perms(s, c, h, payload);
		return;
	case XS_WATCH:
	case XS_UNWATCH:
		do_watch(s, c, h, payload);
		return;
	case XS_TRANSACTION_START:
		do_transaction_start(s, c, h);
		return;
	case XS_TRANSACTION_END:
		do_transaction_end(s, c, h, payload);
		return;
	case XS_RESET_WATCHES:
		do_reset_watches(s, c, h);
		return;
	case XS_INTRODUCE:
	case XS_RELEASE:
	case XS_GET_DOMAIN_PATH:
	case XS_IS_DOMAIN_INTRODUCED:
	case XS_RESUME:
	case XS_SET_TARGET:
		domain_handle(s, c, h, payload);
		return;
	case XS_CONTROL:
		control_handle(s, c, h, payload);
		return;
	default:
		/* Includes WATCH_EVENT and ERROR, which only the server may send. */
		conn_send_error(c, h, ENOSYS);
	}
}
