// SPDX-License-Identifier: Apache-2.0
/*
 * Quotas and per-domain accounting. Limits apply to unprivileged domains only, as in Xen;
 * the defaults are Xen 4.17 C xenstored's. Each domain's node count and node memory are
 * charged to the node's owner (its first permission entry).
 */
#ifndef XENSTORED_QUOTA_H
#define XENSTORED_QUOTA_H

#include <stdint.h>

enum quota_id {
	Q_NODES,	/* nodes owned per domain: ENOSPC */
	Q_NODE_SIZE,	/* bytes in one node record: ENOSPC */
	Q_WATCHES,	/* watches per domain: E2BIG */
	Q_TRANSACTIONS, /* open transactions per connection: ENOSPC */
	Q_TRANS_NODES,	/* nodes touched by one transaction: ENOSPC */
	Q_OUTSTANDING,	/* replies queued but not yet taken: input is paused */
	Q_PERMS,	/* permission entries per node: ENOSPC */
	Q_PATH_MAX,	/* path length below /local/domain/<id>/: EINVAL */
	Q_MEMORY,	/* node memory per domain, bytes: ENOMEM */
	Q_COUNT,
};

struct quotas {
	long v[Q_COUNT];
};

void quotas_default(struct quotas *q);
/* Sets the quota Xen calls name ("nodes", "watches", ...); -EINVAL for unknown or bad. */
int quotas_set(struct quotas *q, const char *name, long value);
/* Parses "name=value" as given to --quota. */
int quotas_parse_arg(struct quotas *q, const char *arg);
const char *quota_name(enum quota_id id);
const char *quota_help(enum quota_id id);

#define ACCT_DOMIDS 0x10000u
#define ACCT_PAGE   256u

struct acct {
	int64_t nodes;
	int64_t mem;
};

/* Indexed by domain id; pages of entries appear when a domain first owns something. */
struct acct_table {
	struct acct *pages[ACCT_DOMIDS / ACCT_PAGE];
	struct acct scratch;
};

int acct_init(struct acct_table *t);
void acct_fini(struct acct_table *t);
void acct_reset(struct acct_table *t);
struct acct *acct_of(struct acct_table *t, uint32_t domid);

#endif
