// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "server.h"

struct domain *domain_find(const struct server *s, uint32_t domid)
{
	for (struct domain *d = s->domains; d; d = d->next) {
		if (d->domid == domid)
			return d;
	}
	return NULL;
}

static void apply_target(struct domain *d)
{
	if (d->conn)
		d->conn->who.target = d->target;
}

int domain_introduce(struct server *s, uint32_t domid, uint64_t gfn, uint32_t port)
{
	struct domain *d = domain_find(s, domid);

	if (d) {
		/* Xen: introducing again re-binds the ring (e.g. after the guest resumed). */
		d->shutdown = false;
		if (d->gfn == gfn && d->port == port && d->conn)
			return 0;
		if (d->conn) {
			d->conn->dom = NULL;
			d->conn->closing = true;
			d->conn = NULL;
		}
		d->gfn = gfn;
		d->port = port;
	} else {
		d = calloc(1, sizeof(*d));
		if (!d)
			return -ENOMEM;
		d->domid = domid;
		d->gfn = gfn;
		d->port = port;
		d->target = DOMID_NONE;
		d->next = s->domains;
		s->domains = d;
	}
	if (s->rings && s->rings->attach) {
		d->conn = s->rings->attach(s, d, s->rings_ctx);
		if (!d->conn) {
			int err = errno ? errno : EIO;

			domain_release(s, domid);
			return -err;
		}
		d->conn->dom = d;
		apply_target(d);
	}
	return 0;
}

int domain_release(struct server *s, uint32_t domid)
{
	for (struct domain **pp = &s->domains; *pp; pp = &(*pp)->next) {
		struct domain *d = *pp;

		if (d->domid != domid)
			continue;
		*pp = d->next;
		/* The event loop reaps the connection; it may be mid-iteration now. */
		if (d->conn) {
			d->conn->dom = NULL;
			d->conn->closing = true;
		}
		free(d);
		return 0;
	}
	return -ENOENT;
}

int domain_set_target(struct server *s, uint32_t domid, uint32_t target)
{
	struct domain *d = domain_find(s, domid);

	if (!d || !domain_find(s, target))
		return -ENOENT;
	d->target = target;
	apply_target(d);
	return 0;
}

int domain_replay(struct server *s, const struct oprec *r)
{
	struct reader rd;
	uint32_t domid, port, target;
	uint64_t gfn;

	reader_init(&rd, r->data, r->dlen);
	domid = rd_u32(&rd);
	switch (r->type) {
	case OP_INTRODUCE:
		gfn = rd_u64(&rd);
		port = rd_u32(&rd);
		return rd.bad ? -EINVAL : domain_introduce(s, domid, gfn, port);
	case OP_RELEASE:
		return rd.bad ? -EINVAL : domain_release(s, domid);
	case OP_TARGET:
		target = rd_u32(&rd);
		return rd.bad ? -EINVAL : domain_set_target(s, domid, target);
	default:
		return -EINVAL;
	}
}

static void log_domain_op(struct server *s, const struct actor *who, uint8_t type, uint32_t domid,
			  uint64_t gfn, uint32_t port)
{
	struct buf data = {0}, rec = {0};
	struct oprec r;

	buf_put_u32(&data, domid);
	if (type == OP_INTRODUCE) {
		buf_put_u64(&data, gfn);
		buf_put_u32(&data, port);
	} else if (type == OP_TARGET) {
		buf_put_u32(&data, port);
	}
	r = (struct oprec){type, *who, "/", data.data, (uint32_t)data.len};
	if (!oprec_append(&rec, &r))
		server_persist(s, &rec);
	buf_free(&rec);
	buf_free(&data);
}

void domain_gone(struct server *s, uint32_t domid)
{
	/* The daemon itself (dom0's rights) records what the hypervisor said. */
	const struct actor self = {.domid = 0, .target = DOMID_NONE, .privileged = true};

	if (domain_release(s, domid))
		return;
	log_domain_op(s, &self, OP_RELEASE, domid, 0, 0);
	watch_fire_special(s, "@releaseDomain");
}

void domain_mark_restored(struct server *s)
{
	for (struct conn *c = s->conns; c; c = c->next) {
		uint32_t start = 0;

		if (!c->dom)
			continue;
		c->restored = true;
		if (getrandom(&start, sizeof(start), 0) != (ssize_t)sizeof(start))
			start = (uint32_t)time(NULL);
		c->next_txid = start | 0x40000000u;
	}
	watch_fire_restored(s);
}

static int parse_domid(const char *arg, uint32_t *domid)
{
	uint64_t v;
	int rc = parse_uint(arg, DOMID_FIRST_RESERVED - 1, &v);

	*domid = (uint32_t)v;
	return rc;
}

static void reply_str(struct conn *c, const struct xsd_sockmsg *h, const char *str)
{
	conn_send(c, h->type, h->req_id, h->tx_id, str, strlen(str) + 1);
}

static int do_introduce(struct server *s, struct conn *c, const char **argv, int argc)
{
	uint64_t gfn, port;
	uint32_t domid;
	int rc;

	if (argc != 3 || parse_domid(argv[0], &domid) || !domid ||
	    parse_uint(argv[1], UINT64_MAX / 10, &gfn) || parse_uint(argv[2], UINT32_MAX, &port))
		return -EINVAL;
	rc = domain_introduce(s, domid, gfn, (uint32_t)port);
	if (rc)
		return rc;
	log_domain_op(s, &c->who, OP_INTRODUCE, domid, gfn, (uint32_t)port);
	watch_fire_special(s, "@introduceDomain");
	return 0;
}

static int do_release(struct server *s, struct conn *c, const char **argv, int argc)
{
	uint32_t domid;
	int rc;

	if (argc != 1 || parse_domid(argv[0], &domid) || !domid)
		return -EINVAL;
	rc = domain_release(s, domid);
	if (rc)
		return rc;
	log_domain_op(s, &c->who, OP_RELEASE, domid, 0, 0);
	watch_fire_special(s, "@releaseDomain");
	return 0;
}

static int do_set_target(struct server *s, struct conn *c, const char **argv, int argc)
{
	uint32_t domid, target;
	int rc;

	if (argc != 2 || parse_domid(argv[0], &domid) || parse_domid(argv[1], &target))
		return -EINVAL;
	rc = domain_set_target(s, domid, target);
	if (!rc)
		log_domain_op(s, &c->who, OP_TARGET, domid, 0, target);
	return rc;
}

void domain_handle(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
		   const char *payload)
{
	const char *argv[4];
	uint32_t off = 0, domid;
	char path[32];
	int argc = 0, rc;

	/* Arguments: NUL-terminated strings filling the payload exactly. */
	if (!h->len || payload[h->len - 1] != '\0') {
		conn_send_error(c, h, EINVAL);
		return;
	}
	while (off < h->len) {
		if (argc < 4)
			argv[argc] = payload + off;
		argc++;
		off += (uint32_t)strlen(payload + off) + 1;
	}
	if (h->type == XS_GET_DOMAIN_PATH) {
		if (argc != 1 || parse_domid(argv[0], &domid)) {
			conn_send_error(c, h, EINVAL);
			return;
		}
		snprintf(path, sizeof(path), "/local/domain/%u", domid);
		reply_str(c, h, path);
		return;
	}
	if (!c->who.privileged) {
		conn_send_error(c, h, EACCES);
		return;
	}
	switch (h->type) {
	case XS_INTRODUCE:
		rc = do_introduce(s, c, argv, argc);
		break;
	case XS_RELEASE:
		rc = do_release(s, c, argv, argc);
		break;
	case XS_SET_TARGET:
		rc = do_set_target(s, c, argv, argc);
		break;
	case XS_IS_DOMAIN_INTRODUCED:
		if (argc != 1 || parse_domid(argv[0], &domid)) {
			conn_send_error(c, h, EINVAL);
			return;
		}
		reply_str(c, h, domid == 0 || domain_find(s, domid) ? "T" : "F");
		return;
	case XS_RESUME:
		if (argc != 1 || parse_domid(argv[0], &domid)) {
			rc = -EINVAL;
		} else {
			struct domain *d = domain_find(s, domid);

			rc = d ? 0 : -ENOENT;
			if (d)
				d->shutdown = false;
		}
		break;
	default:
		rc = -ENOSYS;
	}
	if (rc)
		conn_send_error(c, h, rc);
	else
		reply_str(c, h, "OK");
}
