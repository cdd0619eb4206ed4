// SPDX-License-Identifier: Apache-2.0
/* MIGRATE_INFO_TYPE returns 2: trusted OS not present or does not need migration. */
#include "rt.h"

void test_main(void)
{
	CHECK_EQ(rt_smccc(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2, "MIGRATE_INFO_TYPE");
}
