// SPDX-License-Identifier: Apache-2.0
/*
 * XENVER_build_id (10) takes {u32 len; u8 buf[len]}: it copies the hypervisor's build id and
 * returns its length; a buffer too small for it gives -ENOBUFS (Xen 4.17, built with an id).
 * A hypervisor built without an id answers -ENODATA (61), which is also conformant.
 */
#include "rt.h"

struct build_id {
	uint32_t len;
	uint8_t buf[60];
};

void test_main(void)
{
	struct build_id id = {.len = sizeof(id.buf)};

	long rc = hyp_xen_version(XENVER_build_id, &id);
	if (rc == -61)
		return; /* no build id: the other valid answer */
	CHECK(rc > 0 && rc <= (long)sizeof(id.buf), "XENVER_build_id returns the id's length");
	rt_printf("build_id rc %ld\n", rc);
	id.len = 1;
	CHECK_EQ(hyp_xen_version(XENVER_build_id, &id), -105, "1-byte buffer: -ENOBUFS");
}
