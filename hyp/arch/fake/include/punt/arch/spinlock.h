// SPDX-License-Identifier: Apache-2.0
/*
 * The fake architecture's spinlocks (punt/spinlock.h) are functions in hyp/arch/fake/spinlock.c,
 * which check the lock discipline of the single-threaded host tests.
 */
#ifndef PUNT_ARCH_SPINLOCK_H
#define PUNT_ARCH_SPINLOCK_H

void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
bool spin_trylock(spinlock_t *l);

#endif
