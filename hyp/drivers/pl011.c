// SPDX-License-Identifier: Apache-2.0
#include <punt/pl011.h>

/* Register offsets and bits (PL011 TRM, SBSA generic UART subset). */
#define UART_DR	  0x00
#define UART_FR	  0x18
#define UART_IMSC 0x38
#define UART_ICR  0x44
#define FR_TXFF	  (1u << 5)
#define FR_RXFE	  (1u << 4)
#define INT_RX	  (1u << 4)
#define INT_RT	  (1u << 6)

static volatile uint8_t *uart;

static uint32_t reg_read(unsigned off)
{
	return *(volatile uint32_t *)(uart + off);
}

static void reg_write(unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(uart + off) = v;
}

void pl011_init(uint64_t base)
{
	uart = (volatile uint8_t *)base;
}

bool pl011_ready(void)
{
	return uart != 0;
}

void pl011_putc(char c)
{
	if (!uart)
		return;
	while (reg_read(UART_FR) & FR_TXFF)
		;
	reg_write(UART_DR, (uint8_t)c);
}

int pl011_getc(void)
{
	if (!uart || (reg_read(UART_FR) & FR_RXFE))
		return -1;
	return reg_read(UART_DR) & 0xff;
}

void pl011_enable_rx_irq(void)
{
	reg_write(UART_ICR, 0x7ff);
	reg_write(UART_IMSC, INT_RX | INT_RT);
}

void pl011_ack_irq(void)
{
	reg_write(UART_ICR, INT_RX | INT_RT);
}
