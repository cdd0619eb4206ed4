// SPDX-License-Identifier: Apache-2.0
/* Building dom0 from the boot modules: 1:1 RAM, kernel, initrd, device tree, devices. */
#ifndef PUNT_DOM0_BUILD_H
#define PUNT_DOM0_BUILD_H

#include <stddef.h>

struct boot_info;

/* 0 when dom0 is built, ready to start; -1 with a message naming what is wrong. */
int dom0_build(const struct boot_info *bi, char *err, size_t errlen);

#endif
