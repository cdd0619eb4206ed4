// SPDX-License-Identifier: Apache-2.0
#ifndef TEST_FIXTURE_H
#define TEST_FIXTURE_H

#include <stddef.h>

/* Reads FIXTURE_DIR/<name>.dtb into a malloc'ed buffer (aborts the test run on failure). */
void *load_dtb(const char *name, size_t *size);
/* Writes len bytes to a temporary file and runs `dtc -I dtb -O dts` on it; returns dtc's exit
 * status, and its output (malloc'ed, NUL-terminated) in *out if out is not NULL. */
int run_dtc(const void *blob, size_t len, char **out);

#endif
