// SPDX-License-Identifier: Apache-2.0
/*
 * Arm64's spinlocks (punt/spinlock.h), inline: a free lock costs four instructions to take and
 * one to release, with no call. Test-and-set with acquire/release ordering; Punt runs with
 * interrupts masked at EL2, so a holder is never interrupted. A CPU that finds the lock held
 * waits in WFE: the holder's release store clears this CPU's exclusive monitor, which is an
 * event (Arm ARM D1.6.2, "The Event Register" and its wake-up events).
 */
#ifndef PUNT_ARCH_SPINLOCK_H
#define PUNT_ARCH_SPINLOCK_H

static inline void spin_lock(spinlock_t *l)
{
	uint32_t tmp, one = 1;

	__asm__ volatile("	ldaxr	%w0, [%1]\n"
			 "	cbnz	%w0, 1f\n"
			 "	stxr	%w0, %w2, [%1]\n"
			 "	cbz	%w0, 3f\n"
			 "1:	sevl\n"
			 "2:	wfe\n"
			 "4:	ldaxr	%w0, [%1]\n"
			 "	cbnz	%w0, 2b\n"
			 "	stxr	%w0, %w2, [%1]\n"
			 "	cbnz	%w0, 4b\n"
			 "3:\n"
			 : "=&r"(tmp)
			 : "r"(&l->locked), "r"(one)
			 : "memory");
}

static inline bool spin_trylock(spinlock_t *l)
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

static inline void spin_unlock(spinlock_t *l)
{
	__asm__ volatile("stlr wzr, [%0]" ::"r"(&l->locked) : "memory");
}

#endif
