// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"
#include "ring_shm.h"
#include "ring_xen.h"

static uint32_t load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void ring_fail(struct ring_port *p, uint32_t why)
{
	p->page->error = why;
}

/* A guest asked to reconnect: forget the old session, reset the ring, say we are back. */
static void ring_reconnect(struct conn *c, struct ring_port *p)
{
	c->in_len = 0;
	c->out.len = 0;
	c->nreply_ends = 0;
	p->page->req_cons = p->page->req_prod = 0;
	p->page->rsp_cons = p->page->rsp_prod = 0;
	p->page->error = XENSTORE_ERROR_NONE;
	store_release(&p->page->connection, XENSTORE_CONNECTED);
	p->be->notify(p->be_ctx, p);
}

static ssize_t ring_recv(struct conn *c, void *buf, size_t len)
{
	struct ring_port *p = c->tp;
	struct xenstore_domain_interface *pg = p->page;
	uint32_t cons, prod, avail, first;
	size_t n;

	p->be->ack(p->be_ctx, p);
	if (load_acquire(&pg->connection) == XENSTORE_RECONNECT) {
		ring_reconnect(c, p);
		return 0;
	}
	cons = pg->req_cons;
	prod = load_acquire(&pg->req_prod);
	avail = prod - cons;
	if (avail > XENSTORE_RING_SIZE) {
		ring_fail(p, XENSTORE_ERROR_RINGIDX);
		return -1;
	}
	n = avail < len ? avail : len;
	if (!n)
		return 0;
	first = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
	if (first > n)
		first = (uint32_t)n;
	memcpy(buf, pg->req + MASK_XENSTORE_IDX(cons), first);
	memcpy((char *)buf + first, pg->req, n - first);
	store_release(&pg->req_cons, cons + (uint32_t)n);
	p->be->notify(p->be_ctx, p);
	return (ssize_t)n;
}

static ssize_t ring_send(struct conn *c, const void *buf, size_t len)
{
	struct ring_port *p = c->tp;
	struct xenstore_domain_interface *pg = p->page;
	uint32_t cons = load_acquire(&pg->rsp_cons), prod = pg->rsp_prod;
	uint32_t used = prod - cons, first;
	size_t n;

	if (used > XENSTORE_RING_SIZE) {
		ring_fail(p, XENSTORE_ERROR_RINGIDX);
		return -1;
	}
	n = XENSTORE_RING_SIZE - used;
	if (n > len)
		n = len;
	if (!n)
		return 0;
	first = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
	if (first > n)
		first = (uint32_t)n;
	memcpy(pg->rsp + MASK_XENSTORE_IDX(prod), buf, first);
	memcpy(pg->rsp, (const char *)buf + first, n - first);
	store_release(&pg->rsp_prod, prod + (uint32_t)n);
	p->be->notify(p->be_ctx, p);
	return (ssize_t)n;
}

static void ring_destroy(struct conn *c)
{
	struct ring_port *p = c->tp;

	if (!p)
		return;
	p->be->unmap(p->be_ctx, p);
	free(p);
	c->tp = NULL;
}

const struct transport_ops ring_ops = {
    .name = "ring",
    .recv = ring_recv,
    .send = ring_send,
    .destroy = ring_destroy,
};

struct conn *ring_connect(struct server *s, struct ring_port *port, uint32_t domid)
{
	struct conn *c = server_add_conn(s, &ring_ops, port->fd, port, domid);

	if (!c) {
		port->be->unmap(port->be_ctx, port);
		free(port);
		errno = ENOMEM;
		return NULL;
	}
	port->page->server_features |=
	    XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR;
	/* Dom0less guests wait for connection == CONNECTED and an event (Xen public/io/xs_wire.h,
	 * XENSTORE_CONNECTED; Xen's init-dom0less does the same). */
	store_release(&port->page->connection, XENSTORE_CONNECTED);
	port->be->notify(port->be_ctx, port);
	return c;
}

struct ring_host {
	const struct ring_backend *be;
	void *ctx;
};

static struct conn *host_attach(struct server *s, struct domain *d, void *arg)
{
	struct ring_host *h = arg;
	struct ring_port *p = calloc(1, sizeof(*p));
	int rc;

	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	p->be = h->be;
	p->be_ctx = h->ctx;
	p->domid = d->domid;
	rc = h->be->map(h->ctx, d->domid, d->gfn, d->port, p);
	if (rc) {
		free(p);
		errno = -rc;
		return NULL;
	}
	return ring_connect(s, p, d->domid);
}

static const struct ring_attach_ops host_attach_ops = {.attach = host_attach};

int ring_host_open(struct ring_host **out, const char *name, const char *socket_path,
		   struct server *s)
{
	struct ring_host *h;

	*out = NULL;
	if (!strcmp(name, "none"))
		return 0;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	if (!strcmp(name, "xen")) {
		int rc = ring_xen_open(&h->ctx);

		if (rc) {
			free(h);
			return rc;
		}
		h->be = &ring_xen_backend;
	} else if (!strcmp(name, "shm")) {
		int rc = ring_shm_open(&h->ctx, socket_path);

		if (rc) {
			free(h);
			return rc;
		}
		h->be = &ring_shm_backend;
	} else {
		free(h);
		return -EINVAL;
	}
	s->rings = &host_attach_ops;
	s->rings_ctx = h;
	*out = h;
	/* dom0's own ring first, so that the log's watches of domain 0 find its connection. */
	return h->be == &ring_xen_backend ? ring_xen_attach_dom0(h->ctx, s) : 0;
}

/* Xen's C xenstored makes /tool/xenstored (empty, dom0's) when it first starts in dom0; so does
 * this daemon, logged like any dom0 write. */
static void make_tool_node(struct server *s)
{
	const struct actor dom0 = {.domid = 0, .target = DOMID_NONE, .privileged = true};
	struct view v = {.db = &s->db, .acct = &s->acct};
	struct op_ctx oc = {.v = &v, .who = dom0};
	const struct oprec r = {OP_MKDIR, dom0, "/tool/xenstored", NULL, 0};
	struct buf rec = {0};

	if (db_find(&s->db, r.path) || op_mkdir(&oc, r.path))
		return;
	if (!oprec_append(&rec, &r))
		server_persist(s, &rec);
	buf_free(&rec);
}

void ring_host_start(struct ring_host *h, struct server *s)
{
	if (!h || h->be != &ring_xen_backend)
		return;
	make_tool_node(s);
	/* Domains that died while no daemon ran are released now. */
	ring_xen_check_domains(h->ctx, s, false);
}

size_t ring_host_nfds(const struct ring_host *h)
{
	return h ? 1 : 0;
}

size_t ring_host_pollfds(const struct ring_host *h, struct pollfd *out)
{
	if (!h)
		return 0;
	if (h->be == &ring_xen_backend)
		out[0] = (struct pollfd){ring_xen_virq_fd(h->ctx), POLLIN, 0};
	else
		out[0] = (struct pollfd){ring_shm_listen_fd(h->ctx), POLLIN, 0};
	return 1;
}

void ring_host_handle(struct ring_host *h, struct server *s, const struct pollfd *pfd)
{
	if (!h || !pfd[0].revents)
		return;
	if (h->be == &ring_xen_backend)
		ring_xen_check_domains(h->ctx, s, true);
	else
		ring_shm_accept(h->ctx);
}

static bool is_shm(const struct ring_host *h)
{
	return h && h->be == &ring_shm_backend;
}

void ring_host_inherit(struct ring_host *h, bool keep)
{
	if (is_shm(h))
		ring_shm_inherit(h->ctx, keep);
}

int ring_host_save(struct ring_host *h, const char *state_path)
{
	return is_shm(h) ? ring_shm_save(h->ctx, state_path) : 0;
}

int ring_host_restore(struct ring_host *h, const char *state_path)
{
	return is_shm(h) ? ring_shm_restore(h->ctx, state_path) : 0;
}

int ring_shm_register(struct ring_host *h, uint64_t gfn, int page_fd, int evt_in, int evt_out)
{
	if (!is_shm(h))
		return -EINVAL;
	return ring_shm_add(h->ctx, gfn, page_fd, evt_in, evt_out);
}
