// SPDX-License-Identifier: Apache-2.0
/*
 * Hypercall numbers Xen on Arm does not implement return -ENOSYS: x86-only ones (0
 * set_trap_table, 1 mmu_update, 2 set_gdt, 14 update_va_mapping) and numbers past the table
 * (64, 1000, ~0).
 */
#include "rt.h"

void test_main(void)
{
	static const uint64_t nrs[] = {0, 1, 2, 14, 64, 1000, ~0ull};
	char what[48];

	for (unsigned i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		rt_snprintf(what, sizeof(what), "hypercall %#lx", (unsigned long)nrs[i]);
		CHECK_EQ(rt_hypercall(nrs[i], 0, 0, 0, 0, 0), -XEN_ENOSYS, what);
	}
}
