// SPDX-License-Identifier: Apache-2.0
/*
 * PSCI_FEATURES returns 0 for the functions Xen implements (PSCI_VERSION, CPU_ON 32/64,
 * CPU_OFF, AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES,
 * SMCCC_VERSION) and -1 (NOT_SUPPORTED) for others (SYSTEM_SUSPEND, 0x8400001F).
 */
#include "rt.h"

static int32_t features(uint32_t id)
{
	return (int32_t)rt_smccc(PSCI_FEATURES, id, 0, 0);
}

void test_main(void)
{
	static const uint32_t supported[] = {
	    PSCI_VERSION, 0x84000003u,		 PSCI_CPU_ON_64,	 PSCI_CPU_OFF,
	    0x84000004u,  PSCI_AFFINITY_INFO_64, PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF,
	    0x84000009u,  PSCI_FEATURES,	 SMCCC_VERSION,
	};
	char what[48];

	for (unsigned i = 0; i < sizeof(supported) / sizeof(supported[0]); i++) {
		rt_snprintf(what, sizeof(what), "PSCI_FEATURES(%#x)", supported[i]);
		CHECK_EQ(features(supported[i]), 0, what);
	}
	CHECK_EQ(features(0x8400000Eu), PSCI_RET_NOT_SUPPORTED, "PSCI_FEATURES(SYSTEM_SUSPEND)");
	CHECK_EQ(features(0x8400001Fu), PSCI_RET_NOT_SUPPORTED, "PSCI_FEATURES(0x8400001f)");
}
