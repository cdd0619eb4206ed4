// SPDX-License-Identifier: Apache-2.0
/*
 * Test-and-set spinlocks with acquire/release ordering. Punt runs with
 * interrupts masked at EL2, so a lock holder is never interrupted.
 */
#include <punt/spinlock.h>

void spin_lock(spinlock_t *l)
{
	uint32_t tmp, one = 1;

	__asm__ volatile("	sevl\n"
			 "1:	wfe\n"
			 "2:	ldaxr	%w0, [%1]\n"
			 "	cbnz	%w0, 1b\n"
			 "	stxr	%w0, %w2, [%1]\n"
			 "	cbnz	%w0, 2b\n"
			 : "=&r"(tmp)
			 : "r"(&l->locked), "r"(one)
			 : "memory");
}

bool spin_trylock(spinlock_t *l)
{
	uint32_t tmp, one = 1, fail;

	__asm__ volatile("	ldaxr	%w0, [%2]\n"
			 "	cbnz	%w0, 1f\n"
			 "	stxr	%w1, %w3, [%2]\n"
			 "	b	2f\n"
			 "1:	mov	%w1, #1\n"
			 "	clrex\n"
			 "2:\n"
			 : "=&r"(tmp), "=&r"(fail)
			 : "r"(&l->locked), "r"(one)
			 : "memory");
	return fail == 0;
}

void spin_unlock(spinlock_t *l)
{
	__asm__ volatile("stlr wzr, [%0]" ::"r"(&l->locked) : "memory");
}
