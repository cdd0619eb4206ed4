// SPDX-License-Identifier: Apache-2.0
/*
 * The store operations (write, mkdir, rm, set-perms and the permission-checked lookups) with
 * Xen's semantics, over a view (see txn.h). The same code serves a client's request, the
 * re-application of a committed transaction and the replay of the write-ahead log; the last
 * two run with checks off because the outcome was already decided once. Every change that
 * can fire a watch is appended to a change list.
 */
#ifndef XENSTORED_OPS_H
#define XENSTORED_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "perms.h"
#include "quota.h"
#include "txn.h"

enum op_type {
	OP_WRITE = 'W',
	OP_MKDIR = 'M',
	OP_RM = 'R',
	OP_PERMS = 'P',
	OP_INTRODUCE = 'I',
	OP_RELEASE = 'L',
	OP_TARGET = 'T',
	/* A domain's ring connection registered (A) or removed (U) a watch, or reset them all
	 * (Z): a guest's kernel registers its watches once, so they outlive a daemon restart. */
	OP_WATCH = 'A',
	OP_UNWATCH = 'U',
	OP_RESET_WATCHES = 'Z',
};

/* One recorded mutation: how transactions and the write-ahead log remember what happened. */
struct oprec {
	uint8_t type;
	struct actor who;
	const char *path;
	const void *data;
	uint32_t dlen;
};

int oprec_append(struct buf *b, const struct oprec *r);
/* Decodes the next record; -EINVAL if malformed. */
int oprec_next(struct reader *rd, struct oprec *r);

struct change {
	char *path;
	/* The node was removed: watches on its descendants fire too. */
	bool removed;
	struct perm *perms;
	uint32_t nperms;
};

struct changes {
	struct change *v;
	uint32_t n;
	uint32_t cap;
};

void changes_clear(struct changes *c);

struct op_ctx {
	struct view *v;
	struct actor who;
	/* NULL: no quota checks. Quotas never apply to a privileged actor. */
	const struct quotas *q;
	bool check_perms;
	/* NULL: changes are not collected. */
	struct changes *chg;
};

/* Finds a node the actor may access with need (PERM_READ...): -ENOENT or -EACCES. */
int op_lookup(struct op_ctx *c, const char *path, unsigned need, const struct node **out);
int op_write(struct op_ctx *c, const char *path, const void *value, uint32_t len);
int op_mkdir(struct op_ctx *c, const char *path);
int op_rm(struct op_ctx *c, const char *path);
int op_set_perms(struct op_ctx *c, const char *path, const struct perm *perms, uint32_t n);
/* Applies a recorded store operation (W/M/R/P) as its original actor. */
int op_apply(struct op_ctx *c, const struct oprec *r);

#endif
