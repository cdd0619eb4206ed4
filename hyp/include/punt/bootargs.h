// SPDX-License-Identifier: Apache-2.0
#ifndef PUNT_BOOTARGS_H
#define PUNT_BOOTARGS_H

/*
 * Command-line parsing with Xen's conventions: space-separated words, "key=value" or a bare
 * "key", and the last occurrence of a key wins. Values point into the command line (no
 * copies, no state).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if key occurs; *val points at its value in cmdline (NULL for a bare "key"). */
bool bootargs_get(const char *cmdline, const char *key, const char **val, size_t *val_len);
/* "key", "key=1|yes|on|true|enable" → true; "key=0|no|off|false|disable", "no-key" → false;
 * absent or an unrecognised value → dflt. */
bool bootargs_bool(const char *cmdline, const char *key, bool dflt);
/* Decimal or 0x hex, optional suffix B, K, M, G, T (either case, binary multiples).
 * 0 ok; -1 on junk or overflow. */
int parse_size(const char *s, size_t len, uint64_t *out);
/* Plain decimal digits only (no sign, suffix or hex): 0 ok; -1 on junk or overflow. */
int parse_decimal(const char *s, size_t len, uint64_t *out);
/* Xen's dom0_mem: "512M", "1G,max:1G", "min:256M,max:1G": the plain size, else max.
 * Negative ("-512M") and percentage forms are not supported. 0 ok; -1 on junk. */
int parse_dom0_mem(const char *val, size_t len, uint64_t *bytes);

#endif
