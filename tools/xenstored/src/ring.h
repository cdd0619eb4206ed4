// SPDX-License-Identifier: Apache-2.0
/*
 * The shared-ring transport: a domain's xenstore_domain_interface page and its event channel.
 * How the page is mapped and the channel signalled is a backend's business:
 *   shm   host tests: the page is a memfd and each direction of the event channel an eventfd,
 *         handed over on the registration socket <socket>.rings as
 *         {u64 gfn} + SCM_RIGHTS {page, guest-to-daemon eventfd, daemon-to-guest eventfd};
 *         INTRODUCE(domid, gfn, port) then finds them by gfn.
 *   xen   dom0: /proc/xen/xsd_kva, gntdev (or privcmd) and /dev/xen/evtchn (ring_xen.h).
 *   none  INTRODUCE only records the domain (host default).
 */
#ifndef XENSTORED_RING_H
#define XENSTORED_RING_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "server.h"
#include "wire.h"

struct ring_port {
	struct xenstore_domain_interface *page;
	/* Readable when the domain has signalled its event channel. */
	int fd;
	uint32_t domid;
	void *priv;
	const struct ring_backend *be;
	void *be_ctx;
};

struct ring_backend {
	const char *name;
	/* Maps the domain's ring page and binds its event channel. */
	int (*map)(void *ctx, uint32_t domid, uint64_t gfn, uint32_t port, struct ring_port *out);
	void (*unmap)(void *ctx, struct ring_port *p);
	/* Signals the domain's event channel. */
	int (*notify)(void *ctx, struct ring_port *p);
	/* Consumes the pending event indication after p->fd polled readable. */
	void (*ack)(void *ctx, struct ring_port *p);
};

extern const struct transport_ops ring_ops;

/* Makes a connection serving an already-mapped ring; takes ownership of the port. */
struct conn *ring_connect(struct server *s, struct ring_port *port, uint32_t domid);

struct ring_host;

/* Selects the backend by name and hooks it into s (s->rings). */
int ring_host_open(struct ring_host **out, const char *name, const char *socket_path,
		   struct server *s);
/* After the state is loaded: releases the domains that died while no daemon ran. */
void ring_host_start(struct ring_host *h, struct server *s);
size_t ring_host_nfds(const struct ring_host *h);
size_t ring_host_pollfds(const struct ring_host *h, struct pollfd *out);
void ring_host_handle(struct ring_host *h, struct server *s, const struct pollfd *pfd);
/* Live update: keep the backend's fds across exec and describe them in <state>.rings. */
void ring_host_inherit(struct ring_host *h, bool keep);
int ring_host_save(struct ring_host *h, const char *state_path);
int ring_host_restore(struct ring_host *h, const char *state_path);

/* The shm backend's registry, exposed for the unit tests. */
int ring_shm_register(struct ring_host *h, uint64_t gfn, int page_fd, int evt_in, int evt_out);

#endif
