// SPDX-License-Identifier: Apache-2.0
#ifndef PUNT_SPINLOCK_HOST_H
#define PUNT_SPINLOCK_HOST_H

/* Test-only view of the host spinlock stand-in: how many locks are held right now. */
unsigned spin_host_locks_held(void);

#endif
