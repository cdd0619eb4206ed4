// SPDX-License-Identifier: Apache-2.0
#include <punt/console.h>
#include <punt/debug_keys.h>
#include <stdint.h>

/* The table the linker gathers from every DEBUG_KEY() (linker.ld). */
extern const struct debug_key __debug_keys_start[], __debug_keys_end[];

static size_t nr_keys(void)
{
	return ((uintptr_t)__debug_keys_end - (uintptr_t)__debug_keys_start) /
	       sizeof(struct debug_key);
}

static void show_help(void)
{
	printk("Debug keys:\n");
	for (size_t i = 0; i < nr_keys(); i++)
		printk("  '%c'  %s\n", __debug_keys_start[i].key, __debug_keys_start[i].what);
}
DEBUG_KEY(help, 'h', "this list", show_help);

void debug_key_pressed(char c)
{
	for (size_t i = 0; i < nr_keys(); i++) {
		if (__debug_keys_start[i].key == c) {
			__debug_keys_start[i].handler();
			return;
		}
	}
	printk("No debug key '%c' ('h' lists them)\n", c >= 0x20 && c < 0x7f ? c : '?');
}
