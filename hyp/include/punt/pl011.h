// SPDX-License-Identifier: Apache-2.0
/* The PL011 / SBSA UART that Punt owns for its console. Polled output, interrupt-driven input. */
#ifndef PUNT_PL011_H
#define PUNT_PL011_H

#include <stdbool.h>
#include <stdint.h>

void pl011_init(uint64_t base);
bool pl011_ready(void);
void pl011_putc(char c);
/* Next received byte, or -1 when the receive FIFO is empty. */
int pl011_getc(void);
void pl011_enable_rx_irq(void);
void pl011_ack_irq(void);

#endif
