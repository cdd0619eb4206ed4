// SPDX-License-Identifier: Apache-2.0
#ifndef PUNT_SPINLOCK_H
#define PUNT_SPINLOCK_H

/*
 * Spinlocks for data shared between physical CPUs. The architecture implements the three
 * functions (with acquire/release ordering) in its punt/arch/spinlock.h, found through the
 * include path as punt/arch/types.h is: arm64's are inline (they are on every hot path), the
 * host unit tests' a single-threaded stand-in that checks the lock is never taken twice or
 * released while free.
 */

#include <stdbool.h>
#include <stdint.h>

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

#define SPINLOCK_INIT                                                                              \
	{                                                                                          \
		0                                                                                  \
	}

/*
 * spin_lock(l), spin_unlock(l), and spin_trylock(l), which takes the lock if it is free and
 * returns whether it did.
 */
#include <punt/arch/spinlock.h>

/*
 * Whether some CPU holds l: for assertions only (it cannot say which CPU, and the answer
 * may be stale unless the caller holds l itself).
 */
static inline bool spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

#endif
