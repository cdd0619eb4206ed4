// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "quota.h"
#include "wire.h"

struct quota_desc {
	const char *name;
	const char *help;
	long dflt;
};

static const struct quota_desc descs[Q_COUNT] = {
    [Q_NODES] = {"nodes", "nodes owned per domain", 1000},
    [Q_NODE_SIZE] = {"node-size", "bytes per node record", 2048},
    [Q_WATCHES] = {"watches", "watches per domain", 128},
    [Q_TRANSACTIONS] = {"transactions", "open transactions per connection", 10},
    [Q_TRANS_NODES] = {"transaction-nodes", "nodes touched per transaction", 1024},
    [Q_OUTSTANDING] = {"outstanding", "unanswered requests per domain", 20},
    [Q_PERMS] = {"permissions", "permission entries per node", 5},
    [Q_PATH_MAX] = {"path-max", "path length below the domain's home", XENSTORE_REL_PATH_MAX},
    [Q_MEMORY] = {"memory", "node memory per domain (bytes)", 2 * 1024 * 1024 + 512 * 1024},
};

void quotas_default(struct quotas *q)
{
	for (int i = 0; i < Q_COUNT; i++)
		q->v[i] = descs[i].dflt;
}

int quotas_set(struct quotas *q, const char *name, long value)
{
	if (value < 0)
		return -EINVAL;
	for (int i = 0; i < Q_COUNT; i++) {
		if (!strcmp(name, descs[i].name)) {
			q->v[i] = value;
			return 0;
		}
	}
	return -EINVAL;
}

int quotas_parse_arg(struct quotas *q, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char name[32];
	char *end;
	long v;

	if (!eq || (size_t)(eq - arg) >= sizeof(name))
		return -EINVAL;
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	errno = 0;
	v = strtol(eq + 1, &end, 10);
	if (errno || end == eq + 1 || *end)
		return -EINVAL;
	return quotas_set(q, name, v);
}

const char *quota_name(enum quota_id id)
{
	return descs[id].name;
}

const char *quota_help(enum quota_id id)
{
	return descs[id].help;
}

int acct_init(struct acct_table *t)
{
	memset(t, 0, sizeof(*t));
	return 0;
}

void acct_fini(struct acct_table *t)
{
	for (size_t i = 0; i < ACCT_DOMIDS / ACCT_PAGE; i++) {
		free(t->pages[i]);
		t->pages[i] = NULL;
	}
}

void acct_reset(struct acct_table *t)
{
	for (size_t i = 0; i < ACCT_DOMIDS / ACCT_PAGE; i++) {
		if (t->pages[i])
			memset(t->pages[i], 0, ACCT_PAGE * sizeof(struct acct));
	}
}

struct acct *acct_of(struct acct_table *t, uint32_t domid)
{
	uint32_t id = domid & (ACCT_DOMIDS - 1);
	struct acct **page = &t->pages[id / ACCT_PAGE];

	if (!*page)
		*page = calloc(ACCT_PAGE, sizeof(**page));
	/* Without memory the count goes to a scratch slot: quotas loosen, nothing breaks. */
	if (!*page) {
		memset(&t->scratch, 0, sizeof(t->scratch));
		return &t->scratch;
	}
	return &(*page)[id % ACCT_PAGE];
}
