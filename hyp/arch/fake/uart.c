// SPDX-License-Identifier: Apache-2.0
/*
 * A fake console UART behind the PL011 driver's interface (punt/pl011.h):
 * what Punt writes is kept for the test (fake_uart_output()), what the test
 * types is read back by console_rx_interrupt().
 */
#include "fake.h"

#include <punt/pl011.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUTPUT_MAX (1u << 20)
#define INPUT_MAX  4096

static char *output;
static size_t output_len;
static char input[INPUT_MAX];
static size_t input_prod, input_cons;
static bool ready;

void fake_uart_clear(void)
{
	if (!output) {
		output = malloc(OUTPUT_MAX + 1);
		if (!output)
			abort();
	}
	output_len = 0;
	output[0] = '\0';
	input_prod = input_cons = 0;
}

const char *fake_uart_output(void)
{
	if (!output)
		fake_uart_clear();
	return output;
}

void fake_uart_input(const char *s, size_t n)
{
	for (size_t i = 0; i < n && input_prod - input_cons < INPUT_MAX; i++)
		input[input_prod++ % INPUT_MAX] = s[i];
}

void pl011_init(uint64_t base)
{
	(void)base;
	ready = true;
}

bool pl011_ready(void)
{
	return ready;
}

void pl011_putc(char c)
{
	if (!output)
		fake_uart_clear();
	if (c == '\r')
		return;
	if (output_len == OUTPUT_MAX) {
		/* Keep the newer half: tests look at what was printed last. */
		memmove(output, output + OUTPUT_MAX / 2, OUTPUT_MAX / 2);
		output_len = OUTPUT_MAX / 2;
	}
	output[output_len++] = c;
	output[output_len] = '\0';
}

int pl011_getc(void)
{
	if (input_cons == input_prod)
		return -1;
	return (unsigned char)input[input_cons++ % INPUT_MAX];
}

void pl011_enable_rx_irq(void)
{
}

void pl011_ack_irq(void)
{
}
