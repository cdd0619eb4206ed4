// SPDX-License-Identifier: Apache-2.0
/*
 * The arch contract, guest memory: copies between Punt and the running
 * vCPU's virtual address space. Addresses are translated page by page
 * through the guest's current stage-1 and its stage-2; any fault, or an
 * address that is not RAM, ends the copy with -XEN_EFAULT. Only the vCPU
 * whose hypercall is being served may be named: its translation registers
 * are the ones loaded on this CPU.
 */
#ifndef PUNT_ARCH_GUEST_ACCESS_H
#define PUNT_ARCH_GUEST_ACCESS_H

#include <stddef.h>
#include <stdint.h>

int copy_from_guest(void *dst, uint64_t gva, size_t len);
int copy_to_guest(uint64_t gva, const void *src, size_t len);
/* Translate one guest VA for a write (or read); 0 and *pa set, or -XEN_EFAULT. */
int guest_va_to_pa(uint64_t gva, int write, uint64_t *pa);
/* Whether a physical page is RAM that Punt maps (safe to touch). */
int phys_is_ram(uint64_t pa, size_t len);

#endif
