// SPDX-License-Identifier: Apache-2.0
#include <asm/p2m.h>
#include <asm/sysreg.h>
#include <public/errno.h>
#include <punt/domain.h>
#include <punt/bootinfo.h>
#include <punt/arch/guest_access.h>
#include <punt/memory.h>
#include <punt/string.h>

#define PAR_F	    (1UL << 0)
#define PAR_PA_MASK 0x0000fffffffff000UL

/* Stage 1 and 2 translation of the current vCPU's gva, as the guest would access it. */
static inline int translate(uint64_t gva, int write, uint64_t *pa)
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
	return 0;
}

int guest_va_to_pa(uint64_t gva, int write, uint64_t *pa)
{
	/*
	 * A translation that fails while another CPU changes the domain's stage-2 (an entry
	 * broken before it is remade, asm/p2m.h) is tried again once the change is over.
	 */
	if (translate(gva, write, pa)) {
		p2m_wait_for_changes(current_domain());
		if (translate(gva, write, pa))
			return -XEN_EFAULT;
	}
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
 * hypercall copies) within one page of the first RAM bank: one translation and one access,
 * no call, so the caller's path stays a leaf. False for anything else, which then takes the
 * general path (a failed translation too: that path translates again and fails).
 */
static inline bool small_copy_in(void *dst, uint64_t gva, size_t len)
{
	uint64_t pa;

	if ((len != 4 && len != 8) || (((uintptr_t)dst | gva) & (len - 1)) ||
	    (gva & 0xfff) + len > 4096 || translate(gva, 0, &pa) || !memory_in_bank0(pa, len))
		return false;
	if (len == 4)
		*(uint32_t *)dst = *(const uint32_t *)pa;
	else
		*(uint64_t *)dst = *(const uint64_t *)pa;
	return true;
}

static inline bool small_copy_out(uint64_t gva, const void *src, size_t len)
{
	uint64_t pa;

	if ((len != 4 && len != 8) || (((uintptr_t)src | gva) & (len - 1)) ||
	    (gva & 0xfff) + len > 4096 || translate(gva, 1, &pa) || !memory_in_bank0(pa, len))
		return false;
	if (len == 4)
		*(uint32_t *)pa = *(const uint32_t *)src;
	else
		*(uint64_t *)pa = *(const uint64_t *)src;
	return true;
}

/* The general path, page by page; out of line so that the short path saves no registers. */
static int __attribute__((noinline)) copy_from_guest_pages(void *dst, uint64_t gva, size_t len)
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

static int __attribute__((noinline)) copy_to_guest_pages(uint64_t gva, const void *src, size_t len)
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

int copy_from_guest(void *dst, uint64_t gva, size_t len)
{
	if (small_copy_in(dst, gva, len))
		return 0;
	return copy_from_guest_pages(dst, gva, len);
}

int copy_to_guest(uint64_t gva, const void *src, size_t len)
{
	if (small_copy_out(gva, src, len))
		return 0;
	return copy_to_guest_pages(gva, src, len);
}
