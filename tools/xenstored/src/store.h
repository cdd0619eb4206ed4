// SPDX-License-Identifier: Apache-2.0
/*
 * The node store: every xenstore node keyed by its canonical absolute path in one hash table,
 * each holding its value, its permission list and the names of its children in creation
 * order. A node's generation changes whenever its value, permissions or child list change;
 * transactions compare generations to detect conflicts. Single-threaded: the daemon's event
 * loop is the only user, so there is no locking.
 */
#ifndef XENSTORED_STORE_H
#define XENSTORED_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PERM_NONE  0u
#define PERM_READ  1u
#define PERM_WRITE 2u
#define PERM_BOTH  (PERM_READ | PERM_WRITE)
/* Only ever computed (never stored): the caller owns the node. */
#define PERM_OWNER 4u

struct perm {
	uint32_t domid;
	uint32_t mode;
};

struct node {
	struct node *hnext;
	uint64_t hash;
	char *path;
	uint32_t pathlen;
	uint32_t vlen;
	char *value;
	struct perm *perms;
	uint32_t nperms;
	uint32_t nchildren;
	uint32_t ccap;
	uint32_t childbytes;
	char **children;
	uint64_t gen;
};

struct node *node_new(const char *path);
struct node *node_clone(const struct node *n);
void node_free(struct node *n);
int node_set_value(struct node *n, const void *value, size_t len);
int node_set_perms(struct node *n, const struct perm *perms, uint32_t nperms);
int node_add_child(struct node *n, const char *name);
void node_del_child(struct node *n, const char *name);
bool node_has_child(const struct node *n, const char *name);
/* Bytes this node costs its owner, for the memory quota and the benchmark. */
size_t node_mem(const struct node *n);
/* Size of the node's record as Xen measures it for the entry-size quota. */
size_t node_entry_size(const struct node *n);

static inline uint32_t node_owner(const struct node *n)
{
	return n->perms[0].domid;
}

/* Last component of a canonical path ("" for "/"). */
const char *path_basename(const char *path);
/* Writes the parent of a canonical path other than "/" into out (capacity cap). */
int path_parent(const char *path, char *out, size_t cap);
/* True if path equals ancestor or lies below it. */
bool path_is_under(const char *path, const char *ancestor);

struct db {
	struct node **buckets;
	size_t nbuckets;
	size_t count;
	/* Last generation handed out; strictly increasing over the daemon's life. */
	uint64_t gen;
};

int db_init(struct db *db);
void db_fini(struct db *db);
struct node *db_find(const struct db *db, const char *path);
void db_insert(struct db *db, struct node *n);
/* Removes the node from the table and returns it (or NULL); the caller frees it. */
struct node *db_unlink(struct db *db, const char *path);
static inline uint64_t db_next_gen(struct db *db)
{
	return ++db->gen;
}

typedef int (*db_visit_fn)(const struct node *n, void *arg);
/* Visits the subtree at path parents-first, children in creation order. */
int db_walk(const struct db *db, const char *path, db_visit_fn fn, void *arg);

#endif
