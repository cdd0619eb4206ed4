// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static long watch_limit(const struct server *s, const struct conn *c)
{
	return c->who.privileged ? 0 : s->q.v[Q_WATCHES];
}

int watch_add(struct server *s, struct conn *c, const char *path, const char *token,
	      uint32_t relprefix)
{
	struct watch *w;

	for (w = s->watches; w; w = w->next) {
		if (w->conn == c && !strcmp(w->path, path) && !strcmp(w->token, token))
			return -EEXIST;
	}
	if (watch_limit(s, c) && (long)c->nwatches >= watch_limit(s, c))
		return -E2BIG;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->path = strdup(path);
	w->token = strdup(token);
	if (!w->path || !w->token) {
		free(w->path);
		free(w->token);
		free(w);
		return -ENOMEM;
	}
	w->conn = c;
	w->relprefix = relprefix;
	w->next = s->watches;
	s->watches = w;
	c->nwatches++;
	return 0;
}

static void watch_free(struct watch *w)
{
	w->conn->nwatches--;
	free(w->path);
	free(w->token);
	free(w);
}

int watch_del(struct server *s, struct conn *c, const char *path, const char *token)
{
	for (struct watch **pp = &s->watches; *pp; pp = &(*pp)->next) {
		struct watch *w = *pp;

		if (w->conn == c && !strcmp(w->path, path) && !strcmp(w->token, token)) {
			*pp = w->next;
			watch_free(w);
			return 0;
		}
	}
	return -ENOENT;
}

void watch_drop_conn(struct server *s, struct conn *c)
{
	struct watch **pp = &s->watches;

	while (*pp) {
		struct watch *w = *pp;

		if (w->conn == c) {
			*pp = w->next;
			watch_free(w);
		} else {
			pp = &w->next;
		}
	}
}

static void send_event(struct server *s, struct watch *w, const char *path)
{
	struct conn *c = w->conn;
	size_t limit = c->who.privileged ? s->out_limit_priv : s->out_limit_unpriv;
	char ev[2 * XENSTORE_PAYLOAD_MAX];
	size_t pl, tl;

	if (c->closing)
		return;
	if (w->relprefix && strlen(path) > w->relprefix)
		path += w->relprefix;
	pl = strlen(path) + 1;
	tl = strlen(w->token) + 1;
	if (pl + tl > sizeof(ev))
		return;
	memcpy(ev, path, pl);
	memcpy(ev + pl, w->token, tl);
	conn_send(c, XS_WATCH_EVENT, 0, 0, ev, pl + tl);
	/* A client that lets events pile up is cut off rather than allowed to eat memory. */
	if (c->out.len > limit)
		c->closing = true;
}

static void fire_one(struct server *s, const struct change *ch)
{
	bool special = ch->path[0] == '@';

	for (struct watch *w = s->watches; w; w = w->next) {
		const char *evpath;

		if (special || w->path[0] == '@') {
			if (strcmp(w->path, ch->path))
				continue;
			evpath = ch->path;
		} else if (path_is_under(ch->path, w->path)) {
			evpath = ch->path;
		} else if (ch->removed && path_is_under(w->path, ch->path)) {
			evpath = w->path;
		} else {
			continue;
		}
		/* Only clients that could read the node hear about it. */
		if (!(perm_mask(&w->conn->who, ch->perms, ch->nperms) & PERM_READ))
			continue;
		send_event(s, w, evpath);
	}
}

void watch_fire_changes(struct server *s)
{
	for (uint32_t i = 0; i < s->chg.n; i++)
		fire_one(s, &s->chg.v[i]);
	changes_clear(&s->chg);
}

void watch_fire_special(struct server *s, const char *name)
{
	const struct node *n = db_find(&s->db, name);
	struct change ch;

	if (!n)
		return;
	ch.path = (char *)name;
	ch.removed = false;
	ch.perms = n->perms;
	ch.nperms = n->nperms;
	fire_one(s, &ch);
}

void watch_log(struct server *s, const struct conn *c, uint8_t type, const char *path,
	       const char *token, uint32_t relprefix)
{
	struct buf data = {0}, rec = {0};
	struct oprec r;

	if (!c->dom)
		return;
	buf_put_u32(&data, c->dom->domid);
	buf_put_u32(&data, relprefix);
	buf_put_str(&data, token);
	r = (struct oprec){type, c->who, path, data.data, (uint32_t)data.len};
	if (!oprec_append(&rec, &r))
		server_persist(s, &rec);
	buf_free(&rec);
	buf_free(&data);
}

int watch_replay(struct server *s, const struct oprec *r)
{
	struct reader rd;
	uint32_t domid, rel;
	struct domain *d;
	char *token;
	int rc = 0;

	reader_init(&rd, r->data, r->dlen);
	domid = rd_u32(&rd);
	rel = rd_u32(&rd);
	token = rd_str(&rd);
	d = domain_find(s, domid);
	if (rd.bad || !token) {
		rc = -EINVAL;
	} else if (d && d->conn && !d->conn->closing) {
		if (r->type == OP_WATCH)
			rc = watch_add(s, d->conn, r->path, token, rel);
		else if (r->type == OP_UNWATCH)
			rc = watch_del(s, d->conn, r->path, token);
		else
			watch_drop_conn(s, d->conn);
	}
	free(token);
	return rc;
}

void watch_fire_restored(struct server *s)
{
	for (struct watch *w = s->watches; w; w = w->next) {
		if (w->conn->dom)
			send_event(s, w, w->path);
	}
}
