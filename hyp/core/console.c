// SPDX-License-Identifier: Apache-2.0
#include <punt/console.h>
#include <punt/debug_keys.h>
#include <punt/pl011.h>
#include <punt/spinlock.h>
#include <stdbool.h>

#define INPUT_RING_SIZE 1024
#define CTRL_A		0x01
#define SWITCH_PRESSES	3

enum console_focus { FOCUS_DOM0, FOCUS_PUNT, FOCUS_COUNT };

static spinlock_t out_lock = SPINLOCK_INIT;
static bool lock_busted;
static bool at_line_start = true;

static char log_ring[CONFIG_LOG_RING_SIZE];
static size_t log_head; /* total bytes ever logged */

static char input_ring[INPUT_RING_SIZE];
static size_t input_prod, input_cons;
static spinlock_t input_lock = SPINLOCK_INIT;
static enum console_focus focus = FOCUS_DOM0;
static unsigned ctrl_a_count;

void console_init(uint64_t uart_base)
{
	pl011_init(uart_base);
}

static void out_lock_take(void)
{
	if (!lock_busted)
		spin_lock(&out_lock);
}

static void out_lock_drop(void)
{
	if (!lock_busted)
		spin_unlock(&out_lock);
}

void console_force_unlock(void)
{
	lock_busted = true;
}

static void put_raw(char c)
{
	if (c == '\n')
		pl011_putc('\r');
	pl011_putc(c);
}

static void log_char(char c)
{
	log_ring[log_head % sizeof(log_ring)] = c;
	log_head++;
}

static void sink_punt(void *ctx, const char *s, size_t n)
{
	static const char prefix[] = "(punt) ";

	(void)ctx;
	for (size_t i = 0; i < n; i++) {
		if (at_line_start) {
			for (const char *p = prefix; *p; p++) {
				log_char(*p);
				put_raw(*p);
			}
			at_line_start = false;
		}
		log_char(s[i]);
		put_raw(s[i]);
		if (s[i] == '\n')
			at_line_start = true;
	}
}

void vprintk(const char *fmt, va_list ap)
{
	out_lock_take();
	fmt_vprint(sink_punt, NULL, fmt, ap);
	out_lock_drop();
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void console_write_guest(const char *s, size_t n)
{
	out_lock_take();
	for (size_t i = 0; i < n; i++) {
		put_raw(s[i]);
		at_line_start = s[i] == '\n';
	}
	out_lock_drop();
}

void console_dump_log(fmt_sink_fn sink, void *ctx)
{
	size_t size = sizeof(log_ring);
	size_t start = log_head > size ? log_head - size : 0;

	for (size_t i = start; i < log_head; i++) {
		char c = log_ring[i % size];
		sink(ctx, &c, 1);
	}
}

static void switch_focus(void)
{
	focus = (focus + 1) % FOCUS_COUNT;
	if (focus == FOCUS_PUNT)
		printk("*** Input to Punt (type Ctrl-a three times to switch to dom0, 'h' for "
		       "help)\n");
	else
		printk("*** Input to dom0 (type Ctrl-a three times to switch to Punt)\n");
}

static void queue_for_dom0(char c)
{
	spin_lock(&input_lock);
	if (input_prod - input_cons < INPUT_RING_SIZE)
		input_ring[input_prod++ % INPUT_RING_SIZE] = c;
	spin_unlock(&input_lock);
}

static void deliver(char c)
{
	if (focus == FOCUS_PUNT)
		debug_key_pressed(c);
	else
		queue_for_dom0(c);
}

static void handle_input_char(char c)
{
	if (c == CTRL_A) {
		if (++ctrl_a_count == SWITCH_PRESSES) {
			ctrl_a_count = 0;
			switch_focus();
		}
		return;
	}
	/* Fewer than three Ctrl-a are ordinary input. */
	for (; ctrl_a_count; ctrl_a_count--)
		deliver(CTRL_A);
	deliver(c);
}

void console_rx_interrupt(void)
{
	bool got_dom0_input = false;
	int c;

	pl011_ack_irq();
	while ((c = pl011_getc()) >= 0) {
		handle_input_char((char)c);
		got_dom0_input |= focus == FOCUS_DOM0;
	}
	if (got_dom0_input)
		console_input_notify();
}

size_t console_take_input(char *buf, size_t n)
{
	size_t got = 0;

	spin_lock(&input_lock);
	while (got < n && input_cons != input_prod)
		buf[got++] = input_ring[input_cons++ % INPUT_RING_SIZE];
	spin_unlock(&input_lock);
	return got;
}
