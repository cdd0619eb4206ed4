// SPDX-License-Identifier: Apache-2.0
/*
 * An SMCCC function id the hypervisor does not implement returns -1 (NOT_SUPPORTED) in x0
 * and the guest keeps running: a TRNG id, an SiP id, an OEM id, a fast-call 64-bit id.
 */
#include "rt.h"

void test_main(void)
{
	static const uint32_t ids[] = {0x84000050u, 0x82000000u, 0x83000001u, 0xC4000030u};
	char what[48];

	for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		rt_snprintf(what, sizeof(what), "SMCCC %#x", ids[i]);
		CHECK_EQ((int32_t)rt_smccc(ids[i], 0, 0, 0), -1, what);
	}
}
