// SPDX-License-Identifier: Apache-2.0
#ifndef PUNT_SPINLOCK_H
#define PUNT_SPINLOCK_H

/*
 * Spinlocks for data shared between physical CPUs. The architecture implements the three
 * functions (with acquire/release ordering); host unit tests link a single-threaded stand-in
 * that checks the lock is never taken twice or released while free.
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

void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
/* Takes the lock if it is free; returns whether it did. */
bool spin_trylock(spinlock_t *l);

/*
 * Whether some CPU holds l: for assertions only (it cannot say which CPU, and the answer
 * may be stale unless the caller holds l itself).
 */
static inline bool spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

#endif
