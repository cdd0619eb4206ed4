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

int copy_from_guest(void *dst, uint64_t gva, size_t len)
{
	uint8_t *out = dst;

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
