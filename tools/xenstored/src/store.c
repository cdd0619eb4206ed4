// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "wire.h"

static uint64_t path_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

struct node *node_new(const char *path)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->path = strdup(path);
	n->perms = calloc(1, sizeof(*n->perms));
	if (!n->path || !n->perms) {
		node_free(n);
		return NULL;
	}
	n->pathlen = (uint32_t)strlen(path);
	n->hash = path_hash(path);
	n->nperms = 1;
	return n;
}

void node_free(struct node *n)
{
	if (!n)
		return;
	for (uint32_t i = 0; i < n->nchildren; i++)
		free(n->children[i]);
	free(n->children);
	free(n->perms);
	free(n->value);
	free(n->path);
	free(n);
}

struct node *node_clone(const struct node *n)
{
	struct node *c = node_new(n->path);

	if (!c)
		return NULL;
	c->gen = n->gen;
	if (node_set_value(c, n->value, n->vlen) || node_set_perms(c, n->perms, n->nperms))
		goto fail;
	for (uint32_t i = 0; i < n->nchildren; i++) {
		if (node_add_child(c, n->children[i]))
			goto fail;
	}
	return c;
fail:
	node_free(c);
	return NULL;
}

int node_set_value(struct node *n, const void *value, size_t len)
{
	char *copy = NULL;

	if (len) {
		copy = malloc(len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, value, len);
	}
	free(n->value);
	n->value = copy;
	n->vlen = (uint32_t)len;
	return 0;
}

int node_set_perms(struct node *n, const struct perm *perms, uint32_t nperms)
{
	struct perm *copy;

	if (!nperms)
		return -EINVAL;
	copy = malloc(nperms * sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	memcpy(copy, perms, nperms * sizeof(*copy));
	free(n->perms);
	n->perms = copy;
	n->nperms = nperms;
	return 0;
}

int node_add_child(struct node *n, const char *name)
{
	char *copy;

	if (n->nchildren == n->ccap) {
		uint32_t cap = n->ccap ? n->ccap * 2 : 4;
		char **grown = realloc(n->children, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		n->children = grown;
		n->ccap = cap;
	}
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	n->children[n->nchildren++] = copy;
	n->childbytes += (uint32_t)strlen(name) + 1;
	return 0;
}

void node_del_child(struct node *n, const char *name)
{
	for (uint32_t i = 0; i < n->nchildren; i++) {
		if (strcmp(n->children[i], name))
			continue;
		n->childbytes -= (uint32_t)strlen(name) + 1;
		free(n->children[i]);
		memmove(&n->children[i], &n->children[i + 1],
			(n->nchildren - i - 1) * sizeof(n->children[0]));
		n->nchildren--;
		return;
	}
}

bool node_has_child(const struct node *n, const char *name)
{
	for (uint32_t i = 0; i < n->nchildren; i++) {
		if (!strcmp(n->children[i], name))
			return true;
	}
	return false;
}

size_t node_mem(const struct node *n)
{
	return sizeof(*n) + n->pathlen + 1 + n->vlen + n->nperms * sizeof(struct perm) +
	       n->ccap * sizeof(char *) + n->childbytes;
}

size_t node_entry_size(const struct node *n)
{
	/* Xen's record: a small header, 4 bytes per permission, the value, the child names. */
	return 8 + 4 * (size_t)n->nperms + n->vlen + n->childbytes;
}

const char *path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int path_parent(const char *path, char *out, size_t cap)
{
	const char *slash = strrchr(path, '/');
	size_t len;

	if (!slash || !strcmp(path, "/"))
		return -EINVAL;
	len = slash == path ? 1 : (size_t)(slash - path);
	if (len + 1 > cap)
		return -ENAMETOOLONG;
	memmove(out, path, len);
	out[len] = '\0';
	return 0;
}

bool path_is_under(const char *path, const char *ancestor)
{
	size_t alen = strlen(ancestor);

	if (!strcmp(ancestor, "/"))
		return path[0] == '/';
	if (strncmp(path, ancestor, alen))
		return false;
	return path[alen] == '\0' || path[alen] == '/';
}

int db_init(struct db *db)
{
	struct node *root;

	memset(db, 0, sizeof(*db));
	db->nbuckets = 1024;
	db->buckets = calloc(db->nbuckets, sizeof(*db->buckets));
	if (!db->buckets)
		return -ENOMEM;
	root = node_new("/");
	if (!root) {
		free(db->buckets);
		return -ENOMEM;
	}
	root->gen = db_next_gen(db);
	db_insert(db, root);
	return 0;
}

void db_fini(struct db *db)
{
	for (size_t i = 0; i < db->nbuckets; i++) {
		struct node *n = db->buckets[i];

		while (n) {
			struct node *next = n->hnext;

			node_free(n);
			n = next;
		}
	}
	free(db->buckets);
	db->buckets = NULL;
	db->count = 0;
}

struct node *db_find(const struct db *db, const char *path)
{
	uint64_t h = path_hash(path);
	struct node *n = db->buckets[h & (db->nbuckets - 1)];

	for (; n; n = n->hnext) {
		if (n->hash == h && !strcmp(n->path, path))
			return n;
	}
	return NULL;
}

static void db_grow(struct db *db)
{
	size_t nb = db->nbuckets * 2;
	struct node **b = calloc(nb, sizeof(*b));

	/* Growing is an optimisation: on allocation failure the chains just get longer. */
	if (!b)
		return;
	for (size_t i = 0; i < db->nbuckets; i++) {
		struct node *n = db->buckets[i];

		while (n) {
			struct node *next = n->hnext;

			n->hnext = b[n->hash & (nb - 1)];
			b[n->hash & (nb - 1)] = n;
			n = next;
		}
	}
	free(db->buckets);
	db->buckets = b;
	db->nbuckets = nb;
}

void db_insert(struct db *db, struct node *n)
{
	struct node **slot;

	if (db->count >= db->nbuckets)
		db_grow(db);
	slot = &db->buckets[n->hash & (db->nbuckets - 1)];
	n->hnext = *slot;
	*slot = n;
	db->count++;
}

struct node *db_unlink(struct db *db, const char *path)
{
	uint64_t h = path_hash(path);
	struct node **pp = &db->buckets[h & (db->nbuckets - 1)];

	for (; *pp; pp = &(*pp)->hnext) {
		struct node *n = *pp;

		if (n->hash == h && !strcmp(n->path, path)) {
			*pp = n->hnext;
			n->hnext = NULL;
			db->count--;
			return n;
		}
	}
	return NULL;
}

int db_walk(const struct db *db, const char *path, db_visit_fn fn, void *arg)
{
	const struct node *n = db_find(db, path);
	size_t plen = strlen(path);
	char *child;
	int rc;

	if (!n)
		return 0;
	rc = fn(n, arg);
	if (rc || !n->nchildren)
		return rc;
	/* Heap, not stack: paths may nest a thousand levels deep. */
	child = malloc(plen + XENSTORE_ABS_PATH_MAX + 2);
	if (!child)
		return -ENOMEM;
	for (uint32_t i = 0; i < n->nchildren && !rc; i++) {
		if (plen == 1)
			sprintf(child, "/%s", n->children[i]);
		else
			sprintf(child, "%s/%s", path, n->children[i]);
		rc = db_walk(db, child, fn, arg);
	}
	free(child);
	return rc;
}
