// SPDX-License-Identifier: Apache-2.0
/*
 * XENVER_capabilities fills a 1024-byte NUL-terminated string, zeroes the rest and returns 0.
 * Xen 4.17 on arm64 names "xen-3.0-aarch64 " and, when the CPU runs AArch32 code (ID_PFR0_EL1
 * State0 or State1 non-zero, Xen's cpu_has_aarch32), "xen-3.0-armv7l " after it
 * (xen/arch/arm/setup.c, arch_get_xen_caps): "xen-3.0-aarch64 xen-3.0-armv7l " on QEMU's
 * Cortex-A57.
 */
#include "rt.h"

static char caps[1024];

static bool cpu_runs_aarch32(void)
{
	uint64_t pfr0;

	__asm__ volatile("mrs %0, id_pfr0_el1" : "=r"(pfr0));
	return (pfr0 & 0xff) != 0;
}

void test_main(void)
{
	const char *want =
	    cpu_runs_aarch32() ? "xen-3.0-aarch64 xen-3.0-armv7l " : "xen-3.0-aarch64 ";
	size_t want_len = rt_strnlen(want, 64);

	memset(caps, 0x55, sizeof(caps));
	CHECK_EQ(hyp_xen_version(XENVER_capabilities, caps), 0, "XENVER_capabilities");
	size_t n = rt_strnlen(caps, sizeof(caps));
	CHECK(n < sizeof(caps), "capabilities is NUL-terminated");
	CHECK(rt_contains(caps, n, "xen-3.0-aarch64"), "capabilities contains xen-3.0-aarch64");
	CHECK(n == want_len && !rt_strncmp(caps, want, want_len),
	      "capabilities names every kind of guest Xen runs on this CPU");
	unsigned nonzero = 0;
	for (size_t i = n; i < sizeof(caps); i++)
		nonzero += caps[i] != 0;
	CHECK_EQ(nonzero, 0, "non-zero bytes after the capabilities");
	rt_printf("capabilities \"%s\", expected \"%s\"\n", n < sizeof(caps) ? caps : "?", want);
}
