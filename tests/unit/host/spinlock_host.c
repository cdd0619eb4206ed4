// SPDX-License-Identifier: Apache-2.0
#include <stdio.h>
#include <stdlib.h>

#include "punt/spinlock.h"
#include "spinlock_host.h"

/*
 * Host unit tests run one thread, so a lock that is already held when taken can never be
 * released: that is a deadlock on real hardware, and here it aborts with a message.
 */

static unsigned held;

void spin_lock(spinlock_t *l)
{
	if (l->locked) {
		fprintf(stderr, "spin_lock: lock %p already held (deadlock)\n", (void *)l);
		abort();
	}
	l->locked = 1;
	held++;
}

void spin_unlock(spinlock_t *l)
{
	if (!l->locked) {
		fprintf(stderr, "spin_unlock: lock %p is not held\n", (void *)l);
		abort();
	}
	l->locked = 0;
	held--;
}

bool spin_trylock(spinlock_t *l)
{
	if (l->locked)
		return false;
	l->locked = 1;
	held++;
	return true;
}

unsigned spin_host_locks_held(void)
{
	return held;
}
