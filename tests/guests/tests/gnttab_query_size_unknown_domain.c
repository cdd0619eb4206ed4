// SPDX-License-Identifier: Apache-2.0
/* query_size for a domain that does not exist: the call returns 0, status GNTST_bad_domain. */
#include "rt.h"

void test_main(void)
{
	struct gnttab_query_size q = {.dom = 1234};

	CHECK_EQ(hyp_grant_table_op(GNTTABOP_query_size, &q, 1), 0, "query_size(dom 1234)");
	CHECK_EQ(q.status, GNTST_bad_domain, "status");
}
