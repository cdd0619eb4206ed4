// SPDX-License-Identifier: Apache-2.0
/*
 * A buffer that starts in the domain's RAM and runs past the end of its last RAM bank (a
 * stage-2 hole: dom0's 512 MiB bank is followed by unmapped IPA space on both hypervisors):
 * Xen copies page by page and fails with -EFAULT at the hole; the guest is unharmed.
 */
#include "rt.h"

void test_main(void)
{
	if (!rt_plat.nr_banks)
		rt_error("no /memory bank in the DT");
	const struct rt_region *b = &rt_plat.bank[rt_plat.nr_banks - 1];
	uint64_t last_page = b->base + b->size - PAGE_SIZE;
	if (b->base + b->size > (4ull << 30))
		rt_skip("last bank ends above the runtime's 4 GiB identity map");
	char *tail = (char *)(last_page + PAGE_SIZE - 16);
	memcpy(tail, "[bank end ok]\n\n\n", 16);
	CHECK_EQ(hyp_console_io(CONSOLEIO_write, 16, tail), 0, "write of the bank's last 16 bytes");
	CHECK_EQ(hyp_console_io(CONSOLEIO_write, 32, tail), -XEN_EFAULT,
		 "32-byte write crossing into the hole");
	CHECK_EQ(hyp_xen_version(XENVER_capabilities, (void *)(last_page + PAGE_SIZE - 512)),
		 -XEN_EFAULT, "1024-byte result crossing into the hole");
}
