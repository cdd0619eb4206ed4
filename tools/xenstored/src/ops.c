// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "wire.h"

int oprec_append(struct buf *b, const struct oprec *r)
{
	int rc = buf_put_u8(b, r->type);

	rc |= buf_put_u32(b, r->who.domid);
	rc |= buf_put_u32(b, r->who.target);
	rc |= buf_put_u8(b, r->who.privileged);
	rc |= buf_put_blob(b, r->path, strlen(r->path) + 1);
	rc |= buf_put_blob(b, r->data, r->dlen);
	return rc ? -ENOMEM : 0;
}

int oprec_next(struct reader *rd, struct oprec *r)
{
	uint32_t plen;

	r->type = rd_u8(rd);
	r->who.domid = rd_u32(rd);
	r->who.target = rd_u32(rd);
	r->who.privileged = rd_u8(rd) != 0;
	r->path = rd_blob(rd, &plen);
	r->data = rd_blob(rd, &r->dlen);
	if (rd->bad || !plen || r->path[plen - 1] != '\0' || memchr(r->path, '\0', plen - 1))
		return -EINVAL;
	return 0;
}

void changes_clear(struct changes *c)
{
	for (uint32_t i = 0; i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].perms);
	}
	c->n = 0;
}

static void note_change(struct op_ctx *c, const char *path, const struct node *n, bool removed)
{
	struct change *ch;

	if (!c->chg)
		return;
	if (c->chg->n == c->chg->cap) {
		uint32_t cap = c->chg->cap ? c->chg->cap * 2 : 8;
		struct change *v = realloc(c->chg->v, cap * sizeof(*v));

		/* A lost change costs a watch event, never store consistency. */
		if (!v)
			return;
		c->chg->v = v;
		c->chg->cap = cap;
	}
	ch = &c->chg->v[c->chg->n];
	ch->path = strdup(path);
	ch->perms = malloc(n->nperms * sizeof(*ch->perms));
	if (!ch->path || !ch->perms) {
		free(ch->path);
		free(ch->perms);
		return;
	}
	memcpy(ch->perms, n->perms, n->nperms * sizeof(*ch->perms));
	ch->nperms = n->nperms;
	ch->removed = removed;
	c->chg->n++;
}

static bool limited(const struct op_ctx *c)
{
	return c->q && !c->who.privileged;
}

static unsigned mask_of(const struct op_ctx *c, const struct node *n)
{
	if (!c->check_perms)
		return PERM_READ | PERM_WRITE | PERM_OWNER;
	return perm_mask(&c->who, n->perms, n->nperms);
}

/* Nearest existing ancestor of a missing path, as the view sees it. */
static int nearest_ancestor(struct op_ctx *c, const char *path, const struct node **out,
			    uint32_t *missing)
{
	char *cur = strdup(path);
	int rc = 0;

	if (!cur)
		return -ENOMEM;
	*missing = 0;
	*out = NULL;
	while (!*out) {
		(*missing)++;
		rc = path_parent(cur, cur, strlen(cur) + 1);
		if (rc)
			break;
		rc = view_get(c->v, cur, out);
		if (rc)
			break;
	}
	free(cur);
	return rc;
}

int op_lookup(struct op_ctx *c, const char *path, unsigned need, const struct node **out)
{
	const struct node *n, *anc;
	uint32_t missing;
	int rc = view_get(c->v, path, &n);

	if (rc)
		return rc;
	if (n) {
		if ((mask_of(c, n) & need) != need)
			return -EACCES;
		*out = n;
		return 0;
	}
	/* A caller that may not read the parent may not learn that the child is missing. */
	if (path[0] == '/' && !nearest_ancestor(c, path, &anc, &missing) && anc &&
	    !(mask_of(c, anc) & PERM_READ))
		return -EACCES;
	return -ENOENT;
}

static int check_usage(struct op_ctx *c, uint32_t owner, int64_t add_nodes, int64_t add_mem)
{
	int64_t nodes, mem;

	if (!limited(c) || owner != c->who.domid)
		return 0;
	view_usage(c->v, owner, &nodes, &mem);
	if (add_nodes > 0 && nodes + add_nodes > c->q->v[Q_NODES])
		return -ENOSPC;
	if (add_mem > 0 && mem + add_mem > c->q->v[Q_MEMORY])
		return -ENOMEM;
	return 0;
}

static int check_entry_size(struct op_ctx *c, size_t size)
{
	if (limited(c) && (long)size >= c->q->v[Q_NODE_SIZE])
		return -ENOSPC;
	return 0;
}

static int set_value(struct op_ctx *c, const char *path, const struct node *cur, const void *value,
		     uint32_t len)
{
	struct node *n;
	int rc;

	rc = check_entry_size(c, node_entry_size(cur) - cur->vlen + len);
	if (!rc)
		rc = check_usage(c, node_owner(cur), 0, (int64_t)len - cur->vlen);
	if (!rc)
		rc = view_edit(c->v, path, &n);
	if (rc)
		return rc;
	rc = node_set_value(n, value, len);
	view_put(c->v, n);
	if (!rc)
		note_change(c, path, n, false);
	return rc;
}

static int link_child(struct op_ctx *c, const char *path)
{
	char parent[XENSTORE_ABS_PATH_MAX + 1];
	struct node *p;
	int rc = path_parent(path, parent, sizeof(parent));

	if (!rc)
		rc = view_edit(c->v, parent, &p);
	if (rc)
		return rc;
	rc = node_add_child(p, path_basename(path));
	view_put(c->v, p);
	return rc;
}

/* Creates path and any missing ancestors below anc, inheriting anc's permissions. */
static int create_path(struct op_ctx *c, const char *path, const struct node *anc, uint32_t missing,
		       const void *value, uint32_t len)
{
	struct perm *perms = malloc(anc->nperms * sizeof(*perms));
	uint32_t nperms = anc->nperms;
	size_t plen = strlen(path);
	char *cur = malloc(plen + 1);
	int rc = 0;

	if (!perms || !cur) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(perms, anc->perms, nperms * sizeof(*perms));
	/* Xen: what an unprivileged domain creates, it owns. */
	if (!c->who.privileged)
		perms[0].domid = c->who.domid;
	rc = check_entry_size(c, node_entry_size(anc) + strlen(path_basename(path)) + 1);
	if (!rc)
		rc = check_entry_size(c, 8 + 4 * nperms + len);
	if (!rc)
		rc = check_usage(c, perms[0].domid, missing,
				 (int64_t)missing * (int64_t)(sizeof(struct node) + plen + 16) +
				     len);
	/* Create top-down: the ancestor just below anc first, path itself last. */
	for (uint32_t left = missing; !rc && left > 0; left--) {
		size_t cut = plen;
		struct node *n;

		/* Strip left - 1 trailing components to get the prefix to create now. */
		for (uint32_t k = 1; k < left; k++) {
			cut--;
			while (cut > 0 && path[cut] != '/')
				cut--;
		}
		memcpy(cur, path, cut);
		cur[cut] = '\0';
		n = node_new(cur);
		if (!n) {
			rc = -ENOMEM;
			break;
		}
		rc = node_set_perms(n, perms, nperms);
		if (!rc && left == 1)
			rc = node_set_value(n, value, len);
		if (!rc)
			rc = link_child(c, cur);
		if (rc) {
			node_free(n);
			break;
		}
		rc = view_add(c->v, n);
		if (!rc && left == 1)
			note_change(c, path, n, false);
	}
out:
	free(perms);
	free(cur);
	return rc;
}

static bool is_special(const char *path)
{
	return path[0] == '@';
}

static int write_or_mkdir(struct op_ctx *c, const char *path, const void *value, uint32_t len,
			  bool is_mkdir)
{
	const struct node *n, *anc;
	uint32_t missing;
	int rc;

	if (is_special(path))
		return -EINVAL;
	rc = view_get(c->v, path, &n);
	if (rc)
		return rc;
	if (n) {
		if (!(mask_of(c, n) & PERM_WRITE))
			return -EACCES;
		return is_mkdir ? 0 : set_value(c, path, n, value, len);
	}
	rc = nearest_ancestor(c, path, &anc, &missing);
	if (rc)
		return rc;
	if (!anc)
		return -ENOENT;
	if (!(mask_of(c, anc) & PERM_WRITE))
		return -EACCES;
	return create_path(c, path, anc, missing, value, len);
}

int op_write(struct op_ctx *c, const char *path, const void *value, uint32_t len)
{
	return write_or_mkdir(c, path, value, len, false);
}

int op_mkdir(struct op_ctx *c, const char *path)
{
	return write_or_mkdir(c, path, NULL, 0, true);
}

struct subtree {
	char **paths;
	uint32_t n;
	uint32_t cap;
};

static int subtree_push(struct subtree *s, const char *path)
{
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 16;
		char **p = realloc(s->paths, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		s->paths = p;
		s->cap = cap;
	}
	s->paths[s->n] = strdup(path);
	if (!s->paths[s->n])
		return -ENOMEM;
	s->n++;
	return 0;
}

/* Lists the subtree parents-first; every node is touched, so later edits cannot fail. */
static int collect_subtree(struct op_ctx *c, const char *path, struct subtree *s)
{
	int rc = subtree_push(s, path);

	for (uint32_t i = 0; !rc && i < s->n; i++) {
		const struct node *n;
		size_t plen = strlen(s->paths[i]);

		rc = view_get(c->v, s->paths[i], &n);
		for (uint32_t k = 0; !rc && n && k < n->nchildren; k++) {
			char *child = malloc(plen + strlen(n->children[k]) + 2);

			if (!child) {
				rc = -ENOMEM;
				break;
			}
			strcpy(child, s->paths[i]);
			if (plen > 1)
				strcat(child, "/");
			strcat(child, n->children[k]);
			rc = subtree_push(s, child);
			free(child);
		}
	}
	return rc;
}

int op_rm(struct op_ctx *c, const char *path)
{
	struct subtree s = {0};
	char parent[XENSTORE_ABS_PATH_MAX + 1];
	const struct node *n, *p;
	struct node *pn;
	int rc;

	if (is_special(path) || !strcmp(path, "/"))
		return -EINVAL;
	rc = view_get(c->v, path, &n);
	if (!rc)
		rc = path_parent(path, parent, sizeof(parent));
	if (rc)
		return rc;
	if (!n) {
		/* Xen: removing a missing child of an existing node succeeds. */
		rc = view_get(c->v, parent, &p);
		if (rc)
			return rc;
		return p ? 0 : -ENOENT;
	}
	if (!(mask_of(c, n) & PERM_WRITE))
		return -EACCES;
	rc = collect_subtree(c, path, &s);
	if (!rc)
		rc = view_get(c->v, parent, &p);
	if (!rc) {
		note_change(c, path, n, true);
		for (uint32_t i = s.n; !rc && i-- > 0;)
			rc = view_del(c->v, s.paths[i]);
	}
	if (!rc)
		rc = view_edit(c->v, parent, &pn);
	if (!rc) {
		node_del_child(pn, path_basename(path));
		view_put(c->v, pn);
	}
	for (uint32_t i = 0; i < s.n; i++)
		free(s.paths[i]);
	free(s.paths);
	return rc;
}

int op_set_perms(struct op_ctx *c, const char *path, const struct perm *perms, uint32_t nperms)
{
	const struct node *n;
	struct node *e;
	int rc = view_get(c->v, path, &n);

	if (rc)
		return rc;
	if (!n)
		return -ENOENT;
	if ((mask_of(c, n) & (PERM_WRITE | PERM_OWNER)) != (PERM_WRITE | PERM_OWNER))
		return -EACCES;
	if (limited(c) && perms[0].domid != node_owner(n))
		return -EPERM;
	if (limited(c) && (long)nperms > c->q->v[Q_PERMS])
		return -ENOSPC;
	rc = check_entry_size(c, node_entry_size(n) + 4 * nperms - 4 * n->nperms);
	if (rc)
		return rc;
	rc = view_edit(c->v, path, &e);
	if (rc)
		return rc;
	rc = node_set_perms(e, perms, nperms);
	view_put(c->v, e);
	if (!rc)
		note_change(c, path, e, false);
	return rc;
}

int op_apply(struct op_ctx *c, const struct oprec *r)
{
	struct perm *perms;
	uint32_t max = r->dlen / 2 + 1;
	int n, rc;

	c->who = r->who;
	switch (r->type) {
	case OP_WRITE:
		return op_write(c, r->path, r->data, r->dlen);
	case OP_MKDIR:
		return op_mkdir(c, r->path);
	case OP_RM:
		return op_rm(c, r->path);
	case OP_PERMS:
		perms = malloc(max * sizeof(*perms));
		if (!perms)
			return -ENOMEM;
		n = perms_parse(r->data, r->dlen, perms, max);
		rc = n < 1 ? -EINVAL : op_set_perms(c, r->path, perms, (uint32_t)n);
		free(perms);
		return rc;
	default:
		return -EINVAL;
	}
}
