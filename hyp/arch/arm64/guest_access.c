// SPDX-License-Identifier: Apache-2.0
#include <asm/sysreg.h>
#include <public/errno.h>
#include <punt/bootinfo.h>
#include <punt/arch/guest_access.h>
#include <punt/memory.h>
#include <punt/string.h>

#define PAR_F	    (1UL << 0)
#define PAR_PA_MASK 0x0000fffffffff000UL

int guest_va_to_pa(uint64_t gva, int write, uint64_t *pa)
{
	uint64_t saved = read_sysreg(par_el1);
	uint64_t par;

	if (write)
		__asm__ volatile("at s12e1w, %0" ::"r"(gva) : "memory");
	else
		__asm__ volatile("at s12e1r, %0" ::"r"(gva) : "memory");
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(par_el1, saved);
	if (par & PAR_F)
		return -XEN_EFAULT;
	*pa = (par & PAR_PA_MASK) | (gva & 0xfff);
	if (!phys_is_ram(*pa, 1))
		return -XEN_EFAULT;
	return 0;
}

int phys_is_ram(uint64_t pa, size_t len)
{
	return memory_is_ram(pa, len);
}

/*
 * A naturally aligned 4- or 8-byte argument (a port, a pointer, a count: most of what a
 * hypercall copies) in one access instead of memcpy's byte loop. False when it is not one.
 */
static bool small_copy(void *dst, const void *src, size_t len)
{
	if ((len != 4 && len != 8) || (((uintptr_t)dst | (uintptr_t)src) & (len - 1)))
		return false;
	if (len == 4)
		*(uint32_t *)dst = *(const uint32_t *)src;
	else
		*(uint64_t *)dst = *(const uint64_t *)src;
	return true;
}

int copy_from_guest(void *dst, uint64_t gva, size_t len)
{
	uint8_t *out = dst;

	/* Within one page: one translation, and a single load when it is a small argument. */
	if (len && (gva & 0xfff) + len <= 4096) {
		uint64_t pa;
		if (guest_va_to_pa(gva, 0, &pa))
			return -XEN_EFAULT;
		if (!small_copy(dst, (const void *)pa, len))
			memcpy(dst, (const void *)pa, len);
		return 0;
	}
	while (len) {
		uint64_t pa;
		size_t chunk = 4096 - (gva & 0xfff);
		if (chunk > len)
			chunk = len;
		if (guest_va_to_pa(gva, 0, &pa))
			return -XEN_EFAULT;
		memcpy(out, (const void *)pa, chunk);
		out += chunk;
		gva += chunk;
		len -= chunk;
	}
	return 0;
}

int copy_to_guest(uint64_t gva, const void *src, size_t len)
{
	const uint8_t *in = src;

	if (len && (gva & 0xfff) + len <= 4096) {
		uint64_t pa;
		if (guest_va_to_pa(gva, 1, &pa))
			return -XEN_EFAULT;
		if (!small_copy((void *)pa, src, len))
			memcpy((void *)pa, src, len);
		return 0;
	}
	while (len) {
		uint64_t pa;
		size_t chunk = 4096 - (gva & 0xfff);
		if (chunk > len)
			chunk = len;
		if (guest_va_to_pa(gva, 1, &pa))
			return -XEN_EFAULT;
		memcpy((void *)pa, in, chunk);
		in += chunk;
		gva += chunk;
		len -= chunk;
	}
	return 0;
}
