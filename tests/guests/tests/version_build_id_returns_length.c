// SPDX-License-Identifier: Apache-2.0
/*
 * XENVER_build_id (10) takes {u32 len; u8 buf[len]}: for the control domain it copies the
 * hypervisor's GNU build id into buf and returns its length, 20 bytes (a SHA-1) on Xen 4.17;
 * nothing past the id is written, and the same id comes back every time. A null argument
 * asks for the length only; len 0 is -EINVAL and a buffer one byte too small -ENOBUFS
 * (xen/common/kernel.c).
 */
#include "rt.h"

#define ID_LEN 20

struct build_id {
	uint32_t len;
	uint8_t buf[60];
};

static unsigned bytes_equal_to(const uint8_t *p, size_t n, uint8_t v)
{
	unsigned count = 0;

	for (size_t i = 0; i < n; i++)
		count += p[i] == v;
	return count;
}

static unsigned bytes_differing(const uint8_t *a, const uint8_t *b, size_t n)
{
	unsigned count = 0;

	for (size_t i = 0; i < n; i++)
		count += a[i] != b[i];
	return count;
}

void test_main(void)
{
	struct build_id id, again;

	memset(&id, 0x55, sizeof(id));
	id.len = sizeof(id.buf);
	CHECK_EQ(hyp_xen_version(XENVER_build_id, &id), ID_LEN, "XENVER_build_id");
	CHECK(bytes_equal_to(id.buf, ID_LEN, 0) < ID_LEN, "the id is not all zeroes");
	CHECK_EQ(bytes_equal_to(id.buf + ID_LEN, sizeof(id.buf) - ID_LEN, 0x55),
		 sizeof(id.buf) - ID_LEN, "bytes past the id left alone");
	memset(&again, 0, sizeof(again));
	again.len = ID_LEN;
	CHECK_EQ(hyp_xen_version(XENVER_build_id, &again), ID_LEN, "a buffer of exactly the id");
	CHECK_EQ(bytes_differing(again.buf, id.buf, ID_LEN), 0,
		 "bytes differing between two calls");
	CHECK_EQ(hyp_xen_version(XENVER_build_id, NULL), ID_LEN, "null argument: the length");
	id.len = ID_LEN - 1;
	CHECK_EQ(hyp_xen_version(XENVER_build_id, &id), -XEN_ENOBUFS, "a buffer one byte short");
	id.len = 0;
	CHECK_EQ(hyp_xen_version(XENVER_build_id, &id), -XEN_EINVAL, "len 0");
}
