// SPDX-License-Identifier: Apache-2.0
/*
 * SMCCC_VERSION returns 1.1 (0x10001) on Xen 4.17. SMCCC_ARCH_FEATURES answers -1
 * (NOT_SUPPORTED) for an unknown id and for itself (Xen 4.17 does not list it).
 */
#include "rt.h"

void test_main(void)
{
	CHECK_EQ(rt_smccc(SMCCC_VERSION, 0, 0, 0), 0x10001, "SMCCC_VERSION");
	CHECK_EQ((int32_t)rt_smccc(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES, 0, 0), -1,
		 "ARCH_FEATURES(ARCH_FEATURES)");
	CHECK_EQ((int32_t)rt_smccc(SMCCC_ARCH_FEATURES, 0x8000ff00u, 0, 0), -1,
		 "ARCH_FEATURES(unknown)");
}
