// SPDX-License-Identifier: Apache-2.0
/*
 * HVMOP_get_param(DOMID_SELF) for dom0: STORE_PFN, STORE_EVTCHN, CONSOLE_PFN and
 * CONSOLE_EVTCHN are unset and read as 0 with return 0 (Xen public/hvm/params.h; dom0 gets no
 * console or store params).
 */
#include "rt.h"

static long get(uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index, .value = 0x5555};
	long rc = hyp_hvm_op(HVMOP_get_param, &p);
	*value = p.value;
	return rc;
}

void test_main(void)
{
	static const uint32_t params[] = {1, 2, 17, 18};
	uint64_t v;

	for (unsigned i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		char what[48];
		rt_snprintf(what, sizeof(what), "get_param(%u) return", params[i]);
		CHECK_EQ(get(params[i], &v), 0, what);
		rt_snprintf(what, sizeof(what), "get_param(%u) value", params[i]);
		CHECK_EQ(v, 0, what);
	}
}
