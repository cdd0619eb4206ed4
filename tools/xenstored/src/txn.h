// SPDX-License-Identifier: Apache-2.0
/*
 * Views of the store and transactions. A view is what one request sees: either the committed
 * store itself, or a transaction's private overlay over it. The overlay holds a copy of every
 * node the transaction changed and, for every node it touched at all, the generation it saw
 * first; commit succeeds only if all those generations are still current (otherwise EAGAIN),
 * and then re-applies the transaction's recorded operations to the store in order.
 * Node and memory accounting (see quota.h) follows every change: straight into the domain
 * table for the store, into a per-transaction delta for an overlay.
 */
#ifndef XENSTORED_TXN_H
#define XENSTORED_TXN_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "quota.h"
#include "store.h"

struct tx_entry {
	struct tx_entry *hnext;
	struct tx_entry *onext;
	uint64_t hash;
	char *path;
	/* Generation of the committed node when first touched; 0 if it did not exist. */
	uint64_t seen_gen;
	/* Once modified, the overlay is authoritative: node is the new state, NULL = deleted. */
	bool modified;
	struct node *node;
};

struct acct_delta {
	uint32_t domid;
	int64_t nodes;
	int64_t mem;
};

struct txn {
	struct txn *next;
	uint32_t id;
	struct tx_entry **buckets;
	size_t nbuckets;
	size_t nentries;
	struct tx_entry *ohead;
	struct tx_entry **otail;
	/* Operations in request order, encoded as in oprec.h; replayed on commit. */
	struct buf ops;
	struct acct_delta *deltas;
	uint32_t ndeltas;
};

struct txn *txn_new(uint32_t id);
void txn_free(struct txn *tx);
/* 0 if every node the transaction touched is unchanged in the store, else -EAGAIN. */
int txn_validate(const struct txn *tx, const struct db *db);
/* Node-count and memory change the transaction would make for a domain. */
void txn_delta(const struct txn *tx, uint32_t domid, int64_t *nodes, int64_t *mem);
/* Restores an overlay entry (live update); node may be NULL. Takes ownership of node. */
int txn_restore_entry(struct txn *tx, const char *path, uint64_t seen_gen, bool modified,
		      struct node *node);

struct view {
	struct db *db;
	struct acct_table *acct;
	struct txn *tx;
	/* Maximum overlay entries (the transaction-nodes quota); 0 means no limit. */
	long tx_limit;
};

/* Finds a node as this view sees it: 0 with *out = NULL if absent; -ENOSPC past tx_limit. */
int view_get(struct view *v, const char *path, const struct node **out);
/*
 * Returns the view's mutable copy of an existing node, with its accounting withdrawn; the
 * caller changes it and then calls view_put() to charge it again.
 */
int view_edit(struct view *v, const char *path, struct node **out);
void view_put(struct view *v, struct node *n);
/* Adds a new node (its parent must already list it); the view owns it afterwards. */
int view_add(struct view *v, struct node *n);
/* Deletes one node (not its children: the caller removes those first). */
int view_del(struct view *v, const char *path);
/* Nodes and bytes the domain owns as this view sees it. */
void view_usage(const struct view *v, uint32_t domid, int64_t *nodes, int64_t *mem);

#endif
