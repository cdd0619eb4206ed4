// SPDX-License-Identifier: Apache-2.0
/*
 * Fake guest memory access (punt/arch/guest_access.h): a guest virtual
 * address is a host pointer the test passed (fake/arch.h); below 4096 it
 * faults, and so does a copy the test made fail (FAKE_FAIL_GUEST_COPY).
 * Whether a machine address is RAM is the core's answer (memory_is_ram()), as
 * on Arm.
 */
#include "fake.h"

#include <public/errno.h>
#include <punt/arch/guest_access.h>
#include <punt/memory.h>
#include <string.h>

#define FAKE_GUEST_NULL_PAGE 4096

static bool faults(uint64_t gva, size_t len)
{
	if (fake_failure_due(FAKE_FAIL_GUEST_COPY))
		return true;
	return gva < FAKE_GUEST_NULL_PAGE || gva + len < gva;
}

int copy_from_guest(void *dst, uint64_t gva, size_t len)
{
	if (faults(gva, len))
		return -XEN_EFAULT;
	memcpy(dst, (const void *)(uintptr_t)gva, len);
	return 0;
}

int copy_to_guest(uint64_t gva, const void *src, size_t len)
{
	if (faults(gva, len))
		return -XEN_EFAULT;
	memcpy((void *)(uintptr_t)gva, src, len);
	return 0;
}

int guest_va_to_pa(uint64_t gva, int write, uint64_t *pa)
{
	(void)write;
	if (gva < FAKE_GUEST_NULL_PAGE)
		return -XEN_EFAULT;
	*pa = gva;
	return 0;
}

int phys_is_ram(uint64_t pa, size_t len)
{
	return memory_is_ram(pa, len);
}
