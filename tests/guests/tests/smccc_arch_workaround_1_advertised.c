// SPDX-License-Identifier: Apache-2.0
/*
 * SMCCC_ARCH_FEATURES(ARCH_WORKAROUND_1): Xen 4.17 on a Cortex-A57 (a CPU with the
 * branch-predictor hardening erratum) answers 0, "call it", even though QEMU's firmware
 * has no workaround of its own; calling ARCH_WORKAROUND_1 then returns, no crash, with x0 = 0
 * (Xen's fast path on exception entry clears x0 and x1, xen/arch/arm/arm64/entry.S).
 */
#include "rt.h"

void test_main(void)
{
	CHECK_EQ((int32_t)rt_smccc(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0), 0,
		 "ARCH_FEATURES(WORKAROUND_1)");
	CHECK_EQ(rt_smccc(SMCCC_ARCH_WORKAROUND_1, 0, 0, 0), 0, "ARCH_WORKAROUND_1 returns");
}
