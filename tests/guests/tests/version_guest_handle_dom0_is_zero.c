// SPDX-License-Identifier: Apache-2.0
/* XENVER_guest_handle copies the domain's 16-byte handle; dom0's is all zeroes. Returns 0. */
#include "rt.h"

void test_main(void)
{
	uint8_t h[16];
	unsigned nonzero = 0;

	memset(h, 0x55, sizeof(h));
	CHECK_EQ(hyp_xen_version(XENVER_guest_handle, h), 0, "XENVER_guest_handle");
	for (unsigned i = 0; i < sizeof(h); i++)
		nonzero += h[i] != 0;
	CHECK_EQ(nonzero, 0, "non-zero bytes in dom0's handle");
}
