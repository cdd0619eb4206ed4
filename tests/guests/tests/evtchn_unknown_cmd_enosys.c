// SPDX-License-Identifier: Apache-2.0
/* event_channel_op with an unknown command returns -ENOSYS. */
#include "rt.h"

void test_main(void)
{
	uint32_t buf[8] = {0};

	CHECK_EQ(hyp_evtchn_op(99, buf), -XEN_ENOSYS, "event_channel_op(99)");
	CHECK_EQ(hyp_evtchn_op(1000, buf), -XEN_ENOSYS, "event_channel_op(1000)");
}
