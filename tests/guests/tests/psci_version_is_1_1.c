// SPDX-License-Identifier: Apache-2.0
/* PSCI_VERSION over HVC #0 returns 1.1 (0x00010001) on Xen 4.17; the DT /psci says "hvc". */
#include "rt.h"

void test_main(void)
{
	CHECK(!rt_strncmp(rt_plat.psci_method, "hvc", 4), "/psci method is hvc");
	CHECK_EQ(rt_smccc(PSCI_VERSION, 0, 0, 0), 0x10001, "PSCI_VERSION");
}
