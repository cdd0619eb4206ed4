// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "txn.h"

static uint64_t hash_path(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

struct txn *txn_new(uint32_t id)
{
	struct txn *tx = calloc(1, sizeof(*tx));

	if (!tx)
		return NULL;
	tx->nbuckets = 64;
	tx->buckets = calloc(tx->nbuckets, sizeof(*tx->buckets));
	if (!tx->buckets) {
		free(tx);
		return NULL;
	}
	tx->id = id;
	tx->otail = &tx->ohead;
	return tx;
}

void txn_free(struct txn *tx)
{
	struct tx_entry *e;

	if (!tx)
		return;
	e = tx->ohead;
	while (e) {
		struct tx_entry *next = e->onext;

		node_free(e->node);
		free(e->path);
		free(e);
		e = next;
	}
	buf_free(&tx->ops);
	free(tx->deltas);
	free(tx->buckets);
	free(tx);
}

static struct tx_entry *txn_find(const struct txn *tx, const char *path, uint64_t h)
{
	struct tx_entry *e = tx->buckets[h & (tx->nbuckets - 1)];

	for (; e; e = e->hnext) {
		if (e->hash == h && !strcmp(e->path, path))
			return e;
	}
	return NULL;
}

static void txn_grow(struct txn *tx)
{
	size_t nb = tx->nbuckets * 2;
	struct tx_entry **b = calloc(nb, sizeof(*b));

	if (!b)
		return;
	for (struct tx_entry *e = tx->ohead; e; e = e->onext) {
		e->hnext = b[e->hash & (nb - 1)];
		b[e->hash & (nb - 1)] = e;
	}
	free(tx->buckets);
	tx->buckets = b;
	tx->nbuckets = nb;
}

static struct tx_entry *txn_insert(struct txn *tx, const char *path, uint64_t h)
{
	struct tx_entry *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->path = strdup(path);
	if (!e->path) {
		free(e);
		return NULL;
	}
	if (tx->nentries >= tx->nbuckets)
		txn_grow(tx);
	e->hash = h;
	e->hnext = tx->buckets[h & (tx->nbuckets - 1)];
	tx->buckets[h & (tx->nbuckets - 1)] = e;
	*tx->otail = e;
	tx->otail = &e->onext;
	tx->nentries++;
	return e;
}

int txn_restore_entry(struct txn *tx, const char *path, uint64_t seen_gen, bool modified,
		      struct node *node)
{
	struct tx_entry *e = txn_insert(tx, path, hash_path(path));

	if (!e)
		return -ENOMEM;
	e->seen_gen = seen_gen;
	e->modified = modified;
	e->node = node;
	return 0;
}

int txn_validate(const struct txn *tx, const struct db *db)
{
	for (const struct tx_entry *e = tx->ohead; e; e = e->onext) {
		const struct node *cur = db_find(db, e->path);
		uint64_t gen = cur ? cur->gen : 0;

		if (gen != e->seen_gen)
			return -EAGAIN;
	}
	return 0;
}

void txn_delta(const struct txn *tx, uint32_t domid, int64_t *nodes, int64_t *mem)
{
	*nodes = 0;
	*mem = 0;
	for (uint32_t i = 0; i < tx->ndeltas; i++) {
		if (tx->deltas[i].domid == domid) {
			*nodes = tx->deltas[i].nodes;
			*mem = tx->deltas[i].mem;
			return;
		}
	}
}

static void txn_charge(struct txn *tx, uint32_t domid, int64_t nodes, int64_t mem)
{
	struct acct_delta *d;

	for (uint32_t i = 0; i < tx->ndeltas; i++) {
		if (tx->deltas[i].domid == domid) {
			tx->deltas[i].nodes += nodes;
			tx->deltas[i].mem += mem;
			return;
		}
	}
	d = realloc(tx->deltas, (tx->ndeltas + 1) * sizeof(*d));
	/* Losing a delta only makes the quota check at commit less precise, never unsafe:
	 * committed accounting is recomputed when the operations are re-applied. */
	if (!d)
		return;
	tx->deltas = d;
	tx->deltas[tx->ndeltas++] = (struct acct_delta){domid, nodes, mem};
}

static void view_charge(struct view *v, const struct node *n, int sign)
{
	int64_t mem = (int64_t)node_mem(n) * sign;

	if (n->path[0] == '@')
		return;
	if (v->tx) {
		txn_charge(v->tx, node_owner(n), sign, mem);
		return;
	}
	acct_of(v->acct, node_owner(n))->nodes += sign;
	acct_of(v->acct, node_owner(n))->mem += mem;
}

void view_usage(const struct view *v, uint32_t domid, int64_t *nodes, int64_t *mem)
{
	const struct acct *a = acct_of(v->acct, domid);

	int64_t dn = 0, dm = 0;

	if (v->tx)
		txn_delta(v->tx, domid, &dn, &dm);
	*nodes = a->nodes + dn;
	*mem = a->mem + dm;
}

/* Finds or creates the overlay entry for path, recording the committed generation. */
static int view_entry(struct view *v, const char *path, struct tx_entry **out)
{
	uint64_t h = hash_path(path);
	struct tx_entry *e = txn_find(v->tx, path, h);
	const struct node *base;

	if (e) {
		*out = e;
		return 0;
	}
	if (v->tx_limit && (long)v->tx->nentries >= v->tx_limit)
		return -ENOSPC;
	e = txn_insert(v->tx, path, h);
	if (!e)
		return -ENOMEM;
	base = db_find(v->db, path);
	e->seen_gen = base ? base->gen : 0;
	*out = e;
	return 0;
}

int view_get(struct view *v, const char *path, const struct node **out)
{
	struct tx_entry *e;
	int rc;

	*out = NULL;
	if (!v->tx) {
		*out = db_find(v->db, path);
		return 0;
	}
	rc = view_entry(v, path, &e);
	if (rc)
		return rc;
	*out = e->modified ? e->node : db_find(v->db, path);
	return 0;
}

int view_edit(struct view *v, const char *path, struct node **out)
{
	struct tx_entry *e;
	struct node *n;
	int rc;

	if (!v->tx) {
		n = db_find(v->db, path);
		if (!n)
			return -ENOENT;
		view_charge(v, n, -1);
		n->gen = db_next_gen(v->db);
		*out = n;
		return 0;
	}
	rc = view_entry(v, path, &e);
	if (rc)
		return rc;
	if (!e->modified) {
		const struct node *base = db_find(v->db, path);

		if (!base)
			return -ENOENT;
		e->node = node_clone(base);
		if (!e->node)
			return -ENOMEM;
		e->modified = true;
	}
	if (!e->node)
		return -ENOENT;
	view_charge(v, e->node, -1);
	*out = e->node;
	return 0;
}

void view_put(struct view *v, struct node *n)
{
	view_charge(v, n, 1);
}

int view_add(struct view *v, struct node *n)
{
	struct tx_entry *e;
	int rc;

	if (!v->tx) {
		n->gen = db_next_gen(v->db);
		db_insert(v->db, n);
		view_charge(v, n, 1);
		return 0;
	}
	rc = view_entry(v, n->path, &e);
	if (rc)
		return rc;
	node_free(e->node);
	n->gen = 0;
	e->node = n;
	e->modified = true;
	view_charge(v, n, 1);
	return 0;
}

int view_del(struct view *v, const char *path)
{
	struct tx_entry *e;
	struct node *n;
	int rc;

	if (!v->tx) {
		n = db_unlink(v->db, path);
		if (!n)
			return -ENOENT;
		view_charge(v, n, -1);
		node_free(n);
		return 0;
	}
	rc = view_entry(v, path, &e);
	if (rc)
		return rc;
	if (e->modified) {
		if (!e->node)
			return -ENOENT;
		view_charge(v, e->node, -1);
		node_free(e->node);
		e->node = NULL;
		return 0;
	}
	n = db_find(v->db, path);
	if (!n)
		return -ENOENT;
	view_charge(v, n, -1);
	e->modified = true;
	e->node = NULL;
	return 0;
}
