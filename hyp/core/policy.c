// SPDX-License-Identifier: Apache-2.0
#include <punt/domain.h>
#include <punt/policy.h>

static bool linked(const struct domain *a, const struct domain *b)
{
	/* Configuration links are kept on both sides; either one is enough to say yes. */
	return (a->links >> b->id) & 1 || (b->links >> a->id) & 1;
}

bool policy_may_communicate(const struct domain *a, const struct domain *b)
{
	if (a == b || a->privileged || b->privileged)
		return true;
	return b->id < MAX_DOMAINS && a->id < MAX_DOMAINS && linked(a, b);
}
