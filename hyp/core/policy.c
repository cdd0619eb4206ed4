// SPDX-License-Identifier: Apache-2.0
#include <public/errno.h>
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

/*
 * Xen's dummy XSM gives every platform_op, sysctl and domctl Punt answers to the control
 * domain only (XSM_PRIV; getdomaininfo is XSM_XS_PRIV, which adds a xenstore domain, and Punt
 * has none). The operation is named so a finer policy can tell them apart.
 */
int policy_control(const struct domain *caller, unsigned nr, uint32_t cmd)
{
	(void)nr;
	(void)cmd;
	return caller->privileged ? 0 : -XEN_EPERM;
}
