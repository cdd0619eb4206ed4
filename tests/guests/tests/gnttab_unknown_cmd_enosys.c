// SPDX-License-Identifier: Apache-2.0
/* grant_table_op with an unknown command returns -ENOSYS. */
#include "rt.h"

void test_main(void)
{
	uint64_t buf[8] = {0};

	CHECK_EQ(hyp_grant_table_op(99, buf, 1), -XEN_ENOSYS, "grant_table_op(99)");
	CHECK_EQ(hyp_grant_table_op(13, buf, 1), -XEN_ENOSYS, "grant_table_op(13)");
}
