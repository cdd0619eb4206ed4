// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lu.h"
#include "ring.h"
#include "sock.h"

#define LU_MAGIC "PXSLU001"

static int put_node_full(struct buf *b, const struct node *n)
{
	int rc = buf_put_blob(b, n->value, n->vlen);

	rc |= buf_put_u32(b, n->nperms);
	for (uint32_t i = 0; i < n->nperms; i++) {
		rc |= buf_put_u32(b, n->perms[i].domid);
		rc |= buf_put_u32(b, n->perms[i].mode);
	}
	rc |= buf_put_u32(b, n->nchildren);
	for (uint32_t i = 0; i < n->nchildren; i++)
		rc |= buf_put_str(b, n->children[i]);
	rc |= buf_put_u64(b, n->gen);
	return rc;
}

static struct node *get_node_full(struct reader *r, const char *path)
{
	struct node *n = node_new(path);
	uint32_t vlen, nperms, nchildren;
	const void *value = rd_blob(r, &vlen);
	struct perm *perms;

	if (!n)
		return NULL;
	nperms = rd_u32(r);
	if (r->bad || !nperms || nperms > r->len)
		goto fail;
	perms = calloc(nperms, sizeof(*perms));
	if (!perms)
		goto fail;
	for (uint32_t i = 0; i < nperms; i++) {
		perms[i].domid = rd_u32(r);
		perms[i].mode = rd_u32(r) & PERM_BOTH;
	}
	if (node_set_perms(n, perms, nperms) || node_set_value(n, value, vlen)) {
		free(perms);
		goto fail;
	}
	free(perms);
	nchildren = rd_u32(r);
	for (uint32_t i = 0; i < nchildren && !r->bad; i++) {
		char *name = rd_str(r);

		if (!name || node_add_child(n, name)) {
			free(name);
			goto fail;
		}
		free(name);
	}
	n->gen = rd_u64(r);
	if (r->bad)
		goto fail;
	return n;
fail:
	node_free(n);
	return NULL;
}

static int put_txn(struct buf *b, const struct txn *tx)
{
	int rc = buf_put_u32(b, tx->id);

	rc |= buf_put_blob(b, tx->ops.data, tx->ops.len);
	rc |= buf_put_u32(b, (uint32_t)tx->nentries);
	for (const struct tx_entry *e = tx->ohead; e; e = e->onext) {
		rc |= buf_put_str(b, e->path);
		rc |= buf_put_u64(b, e->seen_gen);
		rc |= buf_put_u8(b, e->modified);
		rc |= buf_put_u8(b, e->node != NULL);
		if (e->node)
			rc |= put_node_full(b, e->node);
	}
	rc |= buf_put_u32(b, tx->ndeltas);
	for (uint32_t i = 0; i < tx->ndeltas; i++) {
		rc |= buf_put_u32(b, tx->deltas[i].domid);
		rc |= buf_put_u64(b, (uint64_t)tx->deltas[i].nodes);
		rc |= buf_put_u64(b, (uint64_t)tx->deltas[i].mem);
	}
	return rc;
}

static struct txn *get_txn(struct reader *r)
{
	struct txn *tx = txn_new(rd_u32(r));
	uint32_t olen, nentries, ndeltas;
	const void *ops;

	if (!tx)
		return NULL;
	ops = rd_blob(r, &olen);
	if (r->bad || buf_put(&tx->ops, ops, olen))
		goto fail;
	nentries = rd_u32(r);
	for (uint32_t i = 0; i < nentries && !r->bad; i++) {
		char *path = rd_str(r);
		uint64_t seen = rd_u64(r);
		bool modified = rd_u8(r) != 0;
		struct node *n = NULL;

		if (!path)
			goto fail;
		if (rd_u8(r))
			n = get_node_full(r, path);
		if (r->bad || txn_restore_entry(tx, path, seen, modified, n)) {
			node_free(n);
			free(path);
			goto fail;
		}
		free(path);
	}
	ndeltas = rd_u32(r);
	if (r->bad || ndeltas > r->len)
		goto fail;
	tx->deltas = calloc(ndeltas ? ndeltas : 1, sizeof(*tx->deltas));
	if (!tx->deltas)
		goto fail;
	tx->ndeltas = ndeltas;
	for (uint32_t i = 0; i < ndeltas; i++) {
		tx->deltas[i].domid = rd_u32(r);
		tx->deltas[i].nodes = (int64_t)rd_u64(r);
		tx->deltas[i].mem = (int64_t)rd_u64(r);
	}
	if (r->bad)
		goto fail;
	return tx;
fail:
	txn_free(tx);
	return NULL;
}

static int encode_state(const struct server *s, int listen_fd, struct buf *b)
{
	uint32_t nconn = 0, nw = 0;
	int rc = buf_put(b, LU_MAGIC, 8);

	rc |= buf_put_u32(b, (uint32_t)listen_fd);
	rc |= buf_put_u32(b, s->lu.requester ? s->lu.requester->id : 0);
	rc |= buf_put_u32(b, s->lu.req_id);
	for (const struct conn *c = s->conns; c; c = c->next)
		nconn += !c->closing;
	rc |= buf_put_u32(b, nconn);
	for (const struct conn *c = s->conns; c; c = c->next) {
		uint32_t ntx = 0;

		if (c->closing)
			continue;
		rc |= buf_put_u32(b, c->id);
		rc |= buf_put_u32(b, c->dom ? DOMID_NONE : (uint32_t)c->fd);
		rc |= buf_put_u32(b, c->dom ? c->dom->domid : DOMID_NONE);
		rc |= buf_put_u32(b, c->who.domid);
		rc |= buf_put_u32(b, c->who.target);
		rc |= buf_put_u8(b, c->who.privileged);
		rc |= buf_put_u32(b, c->next_txid);
		rc |= buf_put_blob(b, c->in, c->in_len);
		rc |= buf_put_blob(b, c->out.data, c->out.len);
		rc |= buf_put_u32(b, c->nreply_ends);
		for (const struct txn *tx = c->txs; tx; tx = tx->next)
			ntx++;
		rc |= buf_put_u32(b, ntx);
		for (const struct txn *tx = c->txs; tx; tx = tx->next)
			rc |= put_txn(b, tx);
	}
	for (const struct watch *w = s->watches; w; w = w->next)
		nw += !w->conn->closing;
	rc |= buf_put_u32(b, nw);
	for (const struct watch *w = s->watches; w; w = w->next) {
		if (w->conn->closing)
			continue;
		rc |= buf_put_u32(b, w->conn->id);
		rc |= buf_put_str(b, w->path);
		rc |= buf_put_str(b, w->token);
		rc |= buf_put_u32(b, w->relprefix);
	}
	rc |= buf_put_u32(b, crc32_bytes(b->data, b->len));
	return rc ? -ENOMEM : 0;
}

static int set_cloexec(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFD);

	if (fl < 0)
		return -1;
	return fcntl(fd, F_SETFD, on ? fl | FD_CLOEXEC : fl & ~FD_CLOEXEC);
}

static void inherit_fds(const struct server *s, struct ring_host *rings, int listen_fd, bool on)
{
	set_cloexec(listen_fd, !on);
	for (const struct conn *c = s->conns; c; c = c->next) {
		if (!c->dom && c->fd >= 0)
			set_cloexec(c->fd, !on);
	}
	ring_host_inherit(rings, on);
}

static int write_file(const char *path, const struct buf *b)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t off = 0;

	if (fd < 0)
		return -errno;
	while (off < b->len) {
		ssize_t w = write(fd, b->data + off, b->len - off);

		if (w <= 0) {
			close(fd);
			return -EIO;
		}
		off += (size_t)w;
	}
	if (fsync(fd)) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return 0;
}

const char *lu_exec(struct server *s, struct wal *w, struct ring_host *rings, int listen_fd,
		    const char *state_path, int argc, char **argv)
{
	struct buf b = {0};
	char **nargv;
	int n = 0;

	if (access(s->lu.binary, X_OK))
		return "new binary is not executable";
	if (wal_sync(w) || wal_compact(w, s))
		return "cannot write a snapshot";
	if (encode_state(s, listen_fd, &b) || ring_host_save(rings, state_path) ||
	    write_file(state_path, &b)) {
		buf_free(&b);
		return "cannot save the live state";
	}
	buf_free(&b);
	nargv = calloc((size_t)argc + 4, sizeof(*nargv));
	if (!nargv)
		return "out of memory";
	nargv[n++] = s->lu.binary;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--live-update-state")) {
			i++;
			continue;
		}
		nargv[n++] = argv[i];
	}
	nargv[n++] = "--no-fork";
	nargv[n++] = "--live-update-state";
	nargv[n++] = (char *)state_path;
	inherit_fds(s, rings, listen_fd, true);
	execv(s->lu.binary, nargv);
	inherit_fds(s, rings, listen_fd, false);
	free(nargv);
	unlink(state_path);
	return "exec of the new binary failed";
}

static struct conn *restore_conn(struct server *s, struct reader *r)
{
	uint32_t old_id = rd_u32(r);
	uint32_t fd = rd_u32(r);
	uint32_t dom = rd_u32(r);
	struct conn *c = NULL;
	uint32_t len, ntx;
	const void *p;

	(void)old_id;
	if (r->bad)
		return NULL;
	if (dom != DOMID_NONE) {
		struct domain *d = domain_find(s, dom);

		c = d ? d->conn : NULL;
	} else {
		c = server_add_conn(s, &sock_ops, (int)fd, NULL, 0);
		if (c)
			set_cloexec((int)fd, true);
	}
	if (!c) {
		/* Skip this connection's record by parsing it into a throwaway. */
		c = server_add_conn(s, NULL, -1, NULL, 0);
		if (!c)
			return NULL;
		c->closing = true;
	}
	c->who.domid = rd_u32(r);
	c->who.target = rd_u32(r);
	c->who.privileged = rd_u8(r) != 0;
	c->next_txid = rd_u32(r);
	p = rd_blob(r, &len);
	if (!p || len > CONN_IN_CAP)
		return NULL;
	memcpy(c->in, p, len);
	c->in_len = len;
	p = rd_blob(r, &len);
	if (!p || buf_put(&c->out, p, len))
		return NULL;
	c->queued_total = len;
	for (uint32_t i = rd_u32(r); i > 0 && !r->bad; i--) {
		if (c->nreply_ends == c->reply_cap) {
			uint32_t cap = c->reply_cap ? c->reply_cap * 2 : 16;
			uint64_t *v = realloc(c->reply_ends, cap * sizeof(*v));

			if (!v)
				return NULL;
			c->reply_ends = v;
			c->reply_cap = cap;
		}
		c->reply_ends[c->nreply_ends++] = len;
	}
	ntx = rd_u32(r);
	for (uint32_t i = 0; i < ntx && !r->bad; i++) {
		struct txn *tx = get_txn(r);

		if (!tx)
			return NULL;
		tx->next = c->txs;
		c->txs = tx;
		c->ntxs++;
	}
	return r->bad ? NULL : c;
}

int lu_restore(struct server *s, const char *state_path, int *listen_fd)
{
	struct buf b = {0};
	struct conn **map = NULL;
	uint32_t *ids = NULL;
	uint32_t nconn, nw, requester, req_id;
	struct reader r, tail;
	int rc = -EINVAL;
	int fd = open(state_path, O_RDONLY | O_CLOEXEC);
	uint8_t chunk[65536];
	ssize_t got;

	if (fd < 0)
		return -errno;
	while ((got = read(fd, chunk, sizeof(chunk))) > 0)
		buf_put(&b, chunk, (size_t)got);
	close(fd);
	if (b.len < 12 || memcmp(b.data, LU_MAGIC, 8))
		goto out;
	reader_init(&tail, b.data + b.len - 4, 4);
	if (rd_u32(&tail) != crc32_bytes(b.data, b.len - 4))
		goto out;
	reader_init(&r, b.data, b.len - 4);
	r.off = 8;
	*listen_fd = (int)rd_u32(&r);
	set_cloexec(*listen_fd, true);
	requester = rd_u32(&r);
	req_id = rd_u32(&r);
	nconn = rd_u32(&r);
	if (r.bad || nconn > r.len)
		goto out;
	map = calloc(nconn + 1, sizeof(*map));
	ids = calloc(nconn + 1, sizeof(*ids));
	if (!map || !ids)
		goto out;
	for (uint32_t i = 0; i < nconn; i++) {
		size_t at = r.off;

		ids[i] = rd_u32(&r);
		r.off = at;
		map[i] = restore_conn(s, &r);
		if (!map[i])
			goto out;
	}
	nw = rd_u32(&r);
	for (uint32_t i = 0; i < nw && !r.bad; i++) {
		uint32_t id = rd_u32(&r);
		char *path = rd_str(&r);
		char *token = rd_str(&r);
		uint32_t rel = rd_u32(&r);

		for (uint32_t k = 0; path && token && k < nconn; k++) {
			if (ids[k] == id && !map[k]->closing)
				watch_add(s, map[k], path, token, rel);
		}
		free(path);
		free(token);
	}
	if (r.bad)
		goto out;
	for (uint32_t k = 0; k < nconn; k++) {
		if (requester && ids[k] == requester)
			conn_send(map[k], XS_CONTROL, req_id, 0, "OK", 3);
	}
	rc = 0;
out:
	free(map);
	free(ids);
	buf_free(&b);
	unlink(state_path);
	return rc;
}
