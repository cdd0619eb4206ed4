// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wal.h"

#define SNAP_MAGIC "PXSSNAP1"
#define REC_MAGIC  0x58534c47u

static int write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_file(int dirfd, const char *name, struct buf *out)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	uint8_t chunk[65536];
	ssize_t n;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		if (buf_put(out, chunk, (size_t)n)) {
			close(fd);
			return -ENOMEM;
		}
	}
	close(fd);
	return n < 0 ? -EIO : 0;
}

static int wal_log(void *ctx, const void *rec, size_t len)
{
	struct wal *w = ctx;
	struct buf frame = {0};
	int rc;

	rc = buf_put_u32(&frame, REC_MAGIC);
	rc |= buf_put_u32(&frame, (uint32_t)len);
	rc |= buf_put_u32(&frame, crc32_bytes(rec, len));
	rc |= buf_put(&frame, rec, len);
	/* One write() per record: a crash tears at most the last one. */
	if (!rc)
		rc = write_all(w->fd, frame.data, frame.len);
	if (!rc) {
		w->size += frame.len;
		w->dirty = true;
	}
	buf_free(&frame);
	return rc ? -1 : 0;
}

const struct persist_ops wal_persist_ops = {.log = wal_log};

int wal_sync(struct wal *w)
{
	if (!w->dirty)
		return 0;
	if (fdatasync(w->fd))
		return -errno;
	w->dirty = false;
	w->syncs++;
	return 0;
}

static int charge_node(const struct node *n, void *arg)
{
	struct server *s = arg;

	acct_of(&s->acct, node_owner(n))->nodes++;
	acct_of(&s->acct, node_owner(n))->mem += (int64_t)node_mem(n);
	return 0;
}

void server_recount(struct server *s)
{
	acct_reset(&s->acct);
	db_walk(&s->db, "/", charge_node, s);
}

static int put_node(const struct node *n, void *arg)
{
	struct buf *b = arg;
	int rc = buf_put_str(b, n->path);

	rc |= buf_put_blob(b, n->value, n->vlen);
	rc |= buf_put_u32(b, n->nperms);
	for (uint32_t i = 0; i < n->nperms; i++) {
		rc |= buf_put_u32(b, n->perms[i].domid);
		rc |= buf_put_u8(b, (uint8_t)n->perms[i].mode);
	}
	rc |= buf_put_u64(b, n->gen);
	return rc ? -ENOMEM : 0;
}

struct snap_writer {
	struct buf *b;
	uint32_t count;
};

static int put_counted(const struct node *n, void *arg)
{
	struct snap_writer *sw = arg;

	sw->count++;
	return put_node(n, sw->b);
}

/* The watches of domains' ring connections (see OP_WATCH): domid, path, token, relprefix. */
static int put_domain_watches(const struct server *s, struct buf *b)
{
	uint32_t n = 0;
	int rc;

	for (const struct watch *w = s->watches; w; w = w->next)
		n += w->conn->dom && !w->conn->closing;
	rc = buf_put_u32(b, n);
	for (const struct watch *w = s->watches; w; w = w->next) {
		if (!w->conn->dom || w->conn->closing)
			continue;
		rc |= buf_put_u32(b, w->conn->dom->domid);
		rc |= buf_put_str(b, w->path);
		rc |= buf_put_str(b, w->token);
		rc |= buf_put_u32(b, w->relprefix);
	}
	return rc;
}

/* Snapshots written before watches were durable end after the domains. */
static int load_domain_watches(struct server *s, struct reader *r)
{
	uint32_t n;

	if (r->off >= r->len)
		return 0;
	n = rd_u32(r);
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		uint32_t domid = rd_u32(r);
		char *path = rd_str(r);
		char *token = rd_str(r);
		uint32_t rel = rd_u32(r);
		struct domain *d = domain_find(s, domid);

		if (!r->bad && path && token && d && d->conn)
			watch_add(s, d->conn, path, token, rel);
		free(path);
		free(token);
	}
	return r->bad ? -EINVAL : 0;
}

static int encode_snapshot(struct server *s, uint64_t epoch, struct buf *b)
{
	struct snap_writer sw = {b, 0};
	size_t count_at;
	uint32_t ndom = 0;
	int rc = buf_put(b, SNAP_MAGIC, 8);

	rc |= buf_put_u64(b, epoch);
	rc |= buf_put_u64(b, s->db.gen);
	count_at = b->len;
	rc |= buf_put_u32(b, 0);
	if (rc)
		return -ENOMEM;
	rc = put_counted(db_find(&s->db, "@introduceDomain"), &sw);
	rc |= put_counted(db_find(&s->db, "@releaseDomain"), &sw);
	rc |= db_walk(&s->db, "/", put_counted, &sw);
	for (int i = 0; i < 4; i++)
		b->data[count_at + (size_t)i] = (uint8_t)(sw.count >> (8 * i));
	/* Domain 0's ring is found again from dom0's kernel at each start, never introduced. */
	for (struct domain *d = s->domains; d; d = d->next)
		ndom += d->domid != 0;
	rc |= buf_put_u32(b, ndom);
	for (struct domain *d = s->domains; d; d = d->next) {
		if (d->domid == 0)
			continue;
		rc |= buf_put_u32(b, d->domid);
		rc |= buf_put_u64(b, d->gfn);
		rc |= buf_put_u32(b, d->port);
		rc |= buf_put_u32(b, d->target);
	}
	rc |= put_domain_watches(s, b);
	rc |= buf_put_u32(b, crc32_bytes(b->data, b->len));
	return rc ? -ENOMEM : 0;
}

static struct node *decode_node(struct reader *r)
{
	char *path = rd_str(r);
	uint32_t vlen, nperms;
	const void *value = rd_blob(r, &vlen);
	struct perm *perms;
	struct node *n;

	nperms = rd_u32(r);
	if (!path || r->bad || !nperms || nperms > r->len) {
		free(path);
		return NULL;
	}
	perms = malloc(nperms * sizeof(*perms));
	n = node_new(path);
	free(path);
	if (!perms || !n)
		goto fail;
	for (uint32_t i = 0; i < nperms; i++) {
		perms[i].domid = rd_u32(r);
		perms[i].mode = rd_u8(r) & PERM_BOTH;
	}
	n->gen = rd_u64(r);
	if (r->bad || node_set_value(n, value, vlen) || node_set_perms(n, perms, nperms))
		goto fail;
	free(perms);
	return n;
fail:
	free(perms);
	node_free(n);
	return NULL;
}

/* Puts a decoded node in place: replaces the root or a special node, links others. */
static int install_node(struct server *s, struct node *n)
{
	struct node *old = db_find(&s->db, n->path);
	char parent[XENSTORE_ABS_PATH_MAX + 1];
	struct node *p;

	if (old) {
		/* Root and special nodes exist from the start; take over their contents. */
		int rc = node_set_value(old, n->value, n->vlen);

		rc |= node_set_perms(old, n->perms, n->nperms);
		old->gen = n->gen;
		node_free(n);
		return rc ? -ENOMEM : 0;
	}
	if (path_parent(n->path, parent, sizeof(parent)))
		goto bad;
	p = db_find(&s->db, parent);
	if (!p || node_add_child(p, path_basename(n->path)))
		goto bad;
	db_insert(&s->db, n);
	return 0;
bad:
	node_free(n);
	return -EINVAL;
}

static int load_snapshot(struct wal *w, struct server *s)
{
	struct buf b = {0};
	struct reader r;
	uint32_t count, ndom;
	int rc = read_file(w->dirfd, "snapshot", &b);

	if (rc == -ENOENT) {
		w->epoch = 1;
		return 0;
	}
	if (rc)
		goto out;
	rc = -EINVAL;
	if (b.len < 8 + 4 || memcmp(b.data, SNAP_MAGIC, 8))
		goto out;
	reader_init(&r, b.data, b.len - 4);
	{
		struct reader tail;

		reader_init(&tail, b.data + b.len - 4, 4);
		if (rd_u32(&tail) != crc32_bytes(b.data, b.len - 4))
			goto out;
	}
	r.off = 8;
	w->epoch = rd_u64(&r);
	s->db.gen = rd_u64(&r);
	count = rd_u32(&r);
	for (uint32_t i = 0; i < count && !r.bad; i++) {
		struct node *n = decode_node(&r);

		if (!n || install_node(s, n))
			goto out;
	}
	ndom = rd_u32(&r);
	for (uint32_t i = 0; i < ndom && !r.bad; i++) {
		uint32_t domid = rd_u32(&r);
		uint64_t gfn = rd_u64(&r);
		uint32_t port = rd_u32(&r);
		uint32_t target = rd_u32(&r);
		struct domain *d;

		if (r.bad)
			goto out;
		domain_introduce(s, domid, gfn, port);
		d = domain_find(s, domid);
		if (d)
			d->target = target;
	}
	for (struct domain *d = s->domains; d; d = d->next) {
		if (d->conn)
			d->conn->who.target = d->target;
	}
	rc = r.bad ? -EINVAL : load_domain_watches(s, &r);
out:
	buf_free(&b);
	if (!rc)
		server_recount(s);
	return rc;
}

static void replay_record(struct server *s, const uint8_t *p, size_t len)
{
	struct view v = {.db = &s->db, .acct = &s->acct};
	struct op_ctx oc = {.v = &v};
	struct reader r;

	reader_init(&r, p, len);
	while (r.off < r.len) {
		struct oprec op;

		if (oprec_next(&r, &op))
			return;
		if (op.type == OP_INTRODUCE || op.type == OP_RELEASE || op.type == OP_TARGET)
			domain_replay(s, &op);
		else if (op.type == OP_WATCH || op.type == OP_UNWATCH ||
			 op.type == OP_RESET_WATCHES)
			watch_replay(s, &op);
		else
			op_apply(&oc, &op);
	}
}

static void wal_name(uint64_t epoch, char *out, size_t cap)
{
	snprintf(out, cap, "wal.%" PRIu64, epoch);
}

/* Replays intact records; cuts the file after the last one so appends follow good data. */
static int replay_log(struct wal *w, struct server *s)
{
	struct buf b = {0};
	char name[64];
	size_t good = 0;
	int rc;

	wal_name(w->epoch, name, sizeof(name));
	rc = read_file(w->dirfd, name, &b);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	while (b.len - good >= 12) {
		struct reader r;
		uint32_t magic, len, crc;

		reader_init(&r, b.data + good, 12);
		magic = rd_u32(&r);
		len = rd_u32(&r);
		crc = rd_u32(&r);
		if (magic != REC_MAGIC || b.len - good - 12 < len ||
		    crc32_bytes(b.data + good + 12, len) != crc)
			break;
		replay_record(s, b.data + good + 12, len);
		w->records_replayed++;
		good += 12 + (size_t)len;
	}
	if (good != b.len) {
		int fd = openat(w->dirfd, name, O_WRONLY | O_CLOEXEC);

		if (fd >= 0) {
			if (ftruncate(fd, (off_t)good) == 0)
				fsync(fd);
			close(fd);
		}
	}
	buf_free(&b);
	return 0;
}

static int open_log(struct wal *w)
{
	char name[64];
	struct stat st;

	wal_name(w->epoch, name, sizeof(name));
	w->fd = openat(w->dirfd, name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (w->fd < 0)
		return -errno;
	if (fstat(w->fd, &st)) {
		close(w->fd);
		return -errno;
	}
	w->size = (size_t)st.st_size;
	fsync(w->dirfd);
	return 0;
}

int wal_open(struct wal *w, const char *dir, struct server *s)
{
	char old[64];
	int rc;

	size_t compact_at = w->compact_at;

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->compact_at = compact_at ? compact_at : 16u << 20;
	mkdir(dir, 0700);
	w->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->dirfd < 0)
		return -errno;
	rc = load_snapshot(w, s);
	if (!rc)
		rc = replay_log(w, s);
	if (!rc)
		rc = open_log(w);
	if (rc) {
		close(w->dirfd);
		return rc;
	}
	/* A log older than the snapshot is fully contained in it. */
	wal_name(w->epoch - 1, old, sizeof(old));
	unlinkat(w->dirfd, old, 0);
	return 0;
}

void wal_close(struct wal *w)
{
	if (w->fd >= 0)
		close(w->fd);
	if (w->dirfd >= 0)
		close(w->dirfd);
	w->fd = -1;
	w->dirfd = -1;
}

int wal_compact(struct wal *w, struct server *s)
{
	struct buf b = {0};
	char old[64];
	int fd, rc;

	rc = encode_snapshot(s, w->epoch + 1, &b);
	if (rc)
		goto out;
	fd = openat(w->dirfd, "snapshot.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	if (write_all(fd, b.data, b.len) || fsync(fd)) {
		rc = -EIO;
		close(fd);
		goto out;
	}
	close(fd);
	/* The rename is the commit point: from here the new snapshot plus wal.<epoch+1>. */
	if (renameat(w->dirfd, "snapshot.tmp", w->dirfd, "snapshot") || fsync(w->dirfd)) {
		rc = -errno;
		goto out;
	}
	wal_name(w->epoch, old, sizeof(old));
	close(w->fd);
	w->epoch++;
	rc = open_log(w);
	if (rc) {
		fprintf(stderr, "xenstored: cannot open a new log: %s\n", strerror(-rc));
		exit(1);
	}
	w->dirty = false;
	unlinkat(w->dirfd, old, 0);
out:
	buf_free(&b);
	return rc;
}
