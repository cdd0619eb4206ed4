// SPDX-License-Identifier: Apache-2.0
/* The host's stand-in for punt/arch/page.h: plain stores instead of DC ZVA. */
#include <punt/arch/page.h>
#include <string.h>

void arch_zero_pages(uint64_t pa, uint64_t bytes)
{
	memset((void *)(uintptr_t)pa, 0, bytes);
}
