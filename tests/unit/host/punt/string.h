// SPDX-License-Identifier: Apache-2.0
#ifndef PUNT_HOST_STRING_H
#define PUNT_HOST_STRING_H

/* Host unit tests build hypervisor code against the C library's string functions. */
#include <string.h>

/* POSIX, not C11: <string.h> declares it only for POSIX builds, the C library has it. */
size_t strnlen(const char *s, size_t max);

#endif
