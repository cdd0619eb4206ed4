// SPDX-License-Identifier: Apache-2.0
#ifndef PUNT_HOST_STRING_H
#define PUNT_HOST_STRING_H

/* Host unit tests build hypervisor code against the C library's string functions. */
#include <string.h>

#endif
