// SPDX-License-Identifier: Apache-2.0
#include <punt/console.h>
#include <punt/debug_keys.h>

extern const struct debug_key __debug_keys_start[], __debug_keys_end[];

static void show_help(void)
{
	printk("Debug keys:\n");
	for (const struct debug_key *k = __debug_keys_start; k < __debug_keys_end; k++)
		printk("  '%c'  %s\n", k->key, k->what);
}
DEBUG_KEY(help, 'h', "this list", show_help);

void debug_key_pressed(char c)
{
	for (const struct debug_key *k = __debug_keys_start; k < __debug_keys_end; k++) {
		if (k->key == c) {
			k->handler();
			return;
		}
	}
	printk("No debug key '%c' ('h' lists them)\n", c >= 0x20 && c < 0x7f ? c : '?');
}
