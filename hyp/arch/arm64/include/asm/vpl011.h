// SPDX-License-Identifier: Apache-2.0
/*
 * The emulated SBSA UART (PL011 subset) a domain started at boot can have
 * (Xen's "vpl011"): output goes to Punt's console with the domain's prefix,
 * input comes from the console when the domain has the focus
 * (arch_vuart_receive(), punt/arch/domain.h).
 */
#ifndef ASM_VPL011_H
#define ASM_VPL011_H

#include <punt/arch/domain.h>
#include <stdbool.h>

struct domain;

int vpl011_init(struct domain *d);
void vpl011_destroy(struct domain *d);

#endif
