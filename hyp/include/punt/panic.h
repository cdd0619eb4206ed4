// SPDX-License-Identifier: Apache-2.0
/*
 * panic() is only for broken invariants of Punt itself: a guest's mistake is
 * never a reason to call it. It prints the report with a backtrace and stops
 * every CPU.
 */
#ifndef PUNT_PANIC_H
#define PUNT_PANIC_H

#include <stdint.h>

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Stop this CPU for good after telling the others to stop too. */
_Noreturn void halt_all_cpus(void);

#define BUG_ON(cond)                                                                               \
	do {                                                                                       \
		if (cond)                                                                          \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);                      \
	} while (0)

#endif
