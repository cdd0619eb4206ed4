// SPDX-License-Identifier: Apache-2.0
/*
 * XENVER_commandline (9) copies the hypervisor's 1024-byte command line for a privileged
 * caller and returns 0; here it is the QEMU -append string, scripts/qemu.py's HYP_ARGS.
 */
#include "rt.h"

#define HYP_ARGS "dom0_mem=512M console=dtuart dtuart=/pl011@9000000"

static char cmdline[1024];

void test_main(void)
{
	memset(cmdline, 0x55, sizeof(cmdline));
	CHECK_EQ(hyp_xen_version(XENVER_commandline, cmdline), 0, "XENVER_commandline");
	size_t n = rt_strnlen(cmdline, sizeof(cmdline));
	CHECK(n < sizeof(cmdline), "command line is NUL-terminated");
	CHECK(rt_contains(cmdline, n, "dom0_mem=512M"), "command line holds dom0_mem=512M");
	CHECK_EQ(n, sizeof(HYP_ARGS) - 1, "command line length");
	CHECK(!rt_strncmp(cmdline, HYP_ARGS, sizeof(HYP_ARGS)),
	      "command line is the -append string");
}
