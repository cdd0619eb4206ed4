// SPDX-License-Identifier: Apache-2.0
/* memory_op with a command Xen does not know (low 6 bits = 63) returns -ENOSYS. */
#include "rt.h"

void test_main(void)
{
	CHECK_EQ(hyp_memory_op(63, NULL), -XEN_ENOSYS, "memory_op(63)");
	CHECK_EQ(hyp_memory_op(50, NULL), -XEN_ENOSYS, "memory_op(50)");
}
