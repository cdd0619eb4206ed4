// SPDX-License-Identifier: Apache-2.0
/* SCHEDOP_yield returns 0 (the argument is ignored). */
#include "rt.h"

void test_main(void)
{
	for (int i = 0; i < 3; i++)
		CHECK_EQ(hyp_sched_op(SCHEDOP_yield, NULL), 0, "SCHEDOP_yield");
}
