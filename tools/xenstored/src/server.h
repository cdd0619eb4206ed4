// SPDX-License-Identifier: Apache-2.0
/*
 * The protocol core: connections, request dispatch, watches and domains, independent of how
 * bytes travel. A transport (Unix socket, shared ring) owns a connection's endpoint and plugs
 * in through struct transport_ops; the durable log plugs in through struct persist_ops.
 * Everything runs on the event loop's thread; nothing here blocks.
 */
#ifndef XENSTORED_SERVER_H
#define XENSTORED_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "ops.h"
#include "perms.h"
#include "quota.h"
#include "store.h"
#include "txn.h"
#include "wire.h"

struct conn;
struct server;

struct transport_ops {
	const char *name;
	/* Reads up to len bytes: the count, 0 if nothing is available now, -1 if the peer is
	 * gone or broke the transport's rules. */
	ssize_t (*recv)(struct conn *c, void *buf, size_t len);
	/* Writes up to len bytes: the count (possibly 0), or -1 if the peer is gone. */
	ssize_t (*send)(struct conn *c, const void *buf, size_t len);
	/* Releases the endpoint. */
	void (*destroy)(struct conn *c);
};

struct watch {
	struct watch *next;
	struct conn *conn;
	char *path;
	char *token;
	/* Length of "/local/domain/<id>/" if the client gave a relative path, else 0. */
	uint32_t relprefix;
};

#define CONN_IN_CAP (2 * (XS_HDR_SIZE + XENSTORE_PAYLOAD_MAX))

struct conn {
	struct conn *next;
	uint32_t id;
	const struct transport_ops *ops;
	int fd;
	void *tp;
	struct actor who;
	struct domain *dom;
	uint8_t in[CONN_IN_CAP];
	size_t in_len;
	struct buf out;
	/* Offsets (in bytes ever queued) at which each queued reply ends, oldest first. */
	uint64_t *reply_ends;
	uint32_t nreply_ends;
	uint32_t reply_cap;
	uint64_t queued_total;
	uint64_t sent_total;
	struct txn *txs;
	uint32_t ntxs;
	uint32_t next_txid;
	uint32_t nwatches;
	/* A domain's ring reattached after a restart: transaction ids the client may still hold
	 * belong to the old daemon and get EAGAIN, as a conflicting commit would. */
	bool restored;
	bool closing;
};

struct domain {
	struct domain *next;
	uint32_t domid;
	uint64_t gfn;
	uint32_t port;
	uint32_t target;
	bool shutdown;
	struct conn *conn;
};

/* How mutations become durable. log() must not return before the record is in the log's
 * buffer; the caller syncs the log before any reply leaves (see server_flush_all). */
struct persist_ops {
	int (*log)(void *ctx, const void *rec, size_t len);
};

/* How a domain's ring is reached; see ring.h. */
struct ring_attach_ops {
	/* Connects a newly introduced domain; returns the connection or NULL with errno set. */
	struct conn *(*attach)(struct server *s, struct domain *d, void *ctx);
};

struct live_update {
	char *binary;
	char *cmdline;
	bool start;
	struct conn *requester;
	uint32_t req_id;
};

struct server {
	struct db db;
	struct acct_table acct;
	struct quotas q;
	struct conn *conns;
	uint32_t next_conn_id;
	struct watch *watches;
	struct domain *domains;
	const struct persist_ops *persist;
	void *persist_ctx;
	const struct ring_attach_ops *rings;
	void *rings_ctx;
	struct changes chg;
	struct live_update lu;
	bool verbose;
	/* Replying to a watch event costs nothing, but a connection that lets this many bytes
	 * of replies and events pile up is dropped. */
	size_t out_limit_priv;
	size_t out_limit_unpriv;
};

int server_init(struct server *s);
void server_fini(struct server *s);

struct conn *server_add_conn(struct server *s, const struct transport_ops *ops, int fd, void *tp,
			     uint32_t domid);
/* Closes a connection: its watches and transactions go with it. */
void server_drop_conn(struct server *s, struct conn *c);

/* True if the connection may send more requests now (outstanding-request quota). */
bool conn_can_read(const struct server *s, const struct conn *c);
/* Pulls what the transport has and handles every complete request. -1: drop the conn. */
int conn_pull(struct server *s, struct conn *c);
/* Hands bytes to the request parser as if received; -1 on a protocol violation. */
int conn_feed(struct server *s, struct conn *c, const void *bytes, size_t n);
/* Pushes queued output to the transport; -1 if the peer is gone. */
int conn_push(struct conn *c);
bool conn_has_output(const struct conn *c);

/* Handles one complete message. Exposed for the fuzzer and the unit tests. */
void server_handle(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
		   const char *payload);
void conn_send(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id, const void *p,
	       size_t len);
void conn_send_error(struct conn *c, const struct xsd_sockmsg *h, int err);

/* Turns a client path into a canonical absolute one; -EINVAL if not a valid name. */
int server_canon(const struct server *s, const struct conn *c, const char *in, bool allow_special,
		 char *out, size_t cap);

/* Watches (watch.c). */
int watch_add(struct server *s, struct conn *c, const char *path, const char *token,
	      uint32_t relprefix);
int watch_del(struct server *s, struct conn *c, const char *path, const char *token);
void watch_drop_conn(struct server *s, struct conn *c);
/* Sends the events for every change in s->chg and clears it. */
void watch_fire_changes(struct server *s);
/* Records a domain connection's watch change (OP_WATCH, OP_UNWATCH, OP_RESET_WATCHES) in the
 * log; nothing for other connections, whose clients re-register after reconnecting. */
void watch_log(struct server *s, const struct conn *c, uint8_t type, const char *path,
	       const char *token, uint32_t relprefix);
/* Re-applies one of those records to the domain's current connection. */
int watch_replay(struct server *s, const struct oprec *r);
/* After a restart: one event per domain connection's watch, as at registration, so nothing
 * the old daemon had queued but not delivered is missed. */
void watch_fire_restored(struct server *s);
/* Fires a special watch (@introduceDomain/@releaseDomain). */
void watch_fire_special(struct server *s, const char *name);

/* Domains (domain.c). */
struct domain *domain_find(const struct server *s, uint32_t domid);
int domain_introduce(struct server *s, uint32_t domid, uint64_t gfn, uint32_t port);
int domain_release(struct server *s, uint32_t domid);
/* The hypervisor says domid is gone or dying: release it, log that, fire @releaseDomain. */
void domain_gone(struct server *s, uint32_t domid);
int domain_set_target(struct server *s, uint32_t domid, uint32_t target);
/* At start, after the state is loaded: the rings connected now may have served clients under
 * an earlier daemon. Their transaction ids are unknown here (EAGAIN; new ids start at a random
 * value so that none is taken for an old one) and each of their watches fires once. */
void domain_mark_restored(struct server *s);
/* Re-applies a domain record from the log (OP_INTRODUCE/OP_RELEASE/OP_TARGET). */
int domain_replay(struct server *s, const struct oprec *r);
void domain_handle(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
		   const char *payload);

/* Live update and the other XS_CONTROL commands (control.c). */
void control_handle(struct server *s, struct conn *c, const struct xsd_sockmsg *h,
		    const char *payload);

/* Records a mutation durably (before its reply leaves); exits the daemon if it cannot. */
void server_persist(struct server *s, const struct buf *rec);

/* Parses a decimal domain id; -EINVAL unless it is all digits and below max. */
int parse_uint(const char *s, uint64_t max, uint64_t *out);

#endif
