// SPDX-License-Identifier: Apache-2.0
#include <punt/console.h>
#include <punt/debug_keys.h>
#include <stdint.h>

/* The table the linker gathers from every DEBUG_KEY() (punt/debug_keys.h). */
extern const struct debug_key __start_debug_keys[], __stop_debug_keys[];

static size_t nr_keys(void)
{
	return ((uintptr_t)__stop_debug_keys - (uintptr_t)__start_debug_keys) /
	       sizeof(struct debug_key);
}

static void show_help(void)
{
	printk("Debug keys:\n");
	for (size_t i = 0; i < nr_keys(); i++)
		printk("  '%c'  %s\n", __start_debug_keys[i].key, __start_debug_keys[i].what);
}
DEBUG_KEY(help, 'h', "this list", show_help);

void debug_key_pressed(char c)
{
	for (size_t i = 0; i < nr_keys(); i++) {
		if (__start_debug_keys[i].key == c) {
			__start_debug_keys[i].handler();
			return;
		}
	}
	printk("No debug key '%c' ('h' lists them)\n", c >= 0x20 && c < 0x7f ? c : '?');
}
