// SPDX-License-Identifier: Apache-2.0
/*
 * Debug keys: single keys typed on Punt's console while it has the input
 * focus. A subsystem registers a key with DEBUG_KEY(); the table lives in a
 * linker section, so building a subsystem out removes its key with it. The
 * section is bounded by __start_debug_keys and __stop_debug_keys, which
 * arm64's linker script defines and the GNU linker gives any other program.
 */
#ifndef PUNT_DEBUG_KEYS_H
#define PUNT_DEBUG_KEYS_H

#include <stdbool.h>

struct debug_key {
	char key;
	const char *what;
	void (*handler)(void);
};

#ifdef CONFIG_DEBUG_KEYS
/*
 * The entries are walked as an array, so each must sit exactly sizeof(struct debug_key) after
 * the last: the explicit alignment stops the compiler from raising it (GCC for x86-64 puts a
 * 24-byte global on a 32-byte boundary) and AddressSanitizer from padding each entry.
 */
#define DEBUG_KEY(name, k, desc, fn)                                                               \
	static const struct debug_key debug_key_##name __attribute__((                             \
	    used, section("debug_keys"), aligned(__alignof__(struct debug_key)))) = {k, desc, fn}
void debug_key_pressed(char c);
static inline bool debug_keys_available(void)
{
	return true;
}
#else
#define DEBUG_KEY(name, k, desc, fn)                                                               \
	static void (*const debug_key_unused_##name)(void) __attribute__((unused)) = fn
static inline void debug_key_pressed(char c)
{
	(void)c;
}
static inline bool debug_keys_available(void)
{
	return false;
}
#endif

#endif
