// SPDX-License-Identifier: Apache-2.0
/*
 * Fake spinlocks (punt/spinlock.h). The host tests run on one thread, so a
 * lock that is already held when taken could never be released: on hardware
 * that is a deadlock, here it stops the test with a message. So is releasing
 * a lock that is free. And since two CPUs that take the same two locks in
 * opposite orders can deadlock even when one thread never does, every order
 * in which two locks were taken (one held while spin_lock() waits for the
 * other) is remembered from fake_arch_reset() on: the opposite order stops
 * the test too. spin_trylock() never waits, so it records no order.
 */
#include "fake.h"

#include <punt/spinlock.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_HELD 16u

struct order {
	const spinlock_t *first, *then;
};

static const spinlock_t *held[MAX_HELD];
static unsigned nr_held;
static struct order *orders;
static size_t nr_orders, orders_cap;

void fake_lock_orders_reset(void)
{
	nr_orders = 0;
}

static bool seen(const spinlock_t *first, const spinlock_t *then)
{
	for (size_t i = 0; i < nr_orders; i++)
		if (orders[i].first == first && orders[i].then == then)
			return true;
	return false;
}

static void remember(const spinlock_t *first, const spinlock_t *then)
{
	if (seen(first, then))
		return;
	if (nr_orders == orders_cap) {
		orders_cap = orders_cap ? 2 * orders_cap : 256;
		orders = realloc(orders, orders_cap * sizeof(*orders));
		if (!orders)
			abort();
	}
	orders[nr_orders++] = (struct order){first, then};
}

static void check_order(const spinlock_t *l)
{
	for (unsigned i = 0; i < nr_held; i++) {
		if (seen(l, held[i])) {
			fprintf(stderr,
				"spin_lock: lock %p taken while holding %p, which was taken while "
				"holding it before (two CPUs doing this deadlock)\n",
				(const void *)l, (const void *)held[i]);
			abort();
		}
		remember(held[i], l);
	}
}

static void take(spinlock_t *l)
{
	if (nr_held == MAX_HELD) {
		fprintf(stderr, "spin_lock: more than %u locks held\n", MAX_HELD);
		abort();
	}
	l->locked = 1;
	held[nr_held++] = l;
}

void spin_lock(spinlock_t *l)
{
	if (l->locked) {
		fprintf(stderr, "spin_lock: lock %p already held (deadlock)\n", (void *)l);
		abort();
	}
	check_order(l);
	take(l);
}

void spin_unlock(spinlock_t *l)
{
	unsigned i = 0;

	while (i < nr_held && held[i] != l)
		i++;
	if (!l->locked || i == nr_held) {
		fprintf(stderr, "spin_unlock: lock %p is not held\n", (void *)l);
		abort();
	}
	l->locked = 0;
	for (; i + 1 < nr_held; i++)
		held[i] = held[i + 1];
	nr_held--;
}

bool spin_trylock(spinlock_t *l)
{
	if (l->locked)
		return false;
	take(l);
	return true;
}

unsigned fake_spin_locks_held(void)
{
	return nr_held;
}
