// SPDX-License-Identifier: Apache-2.0
#include <punt/console.h>
#include <punt/arch/domain.h>
#include <punt/debug_keys.h>
#include <punt/domain.h>
#include <punt/pl011.h>
#include <punt/pv_console.h>
#include <punt/spinlock.h>
#include <stdbool.h>

#define INPUT_RING_SIZE 1024
#define CTRL_A		0x01
#define SWITCH_PRESSES	3

/* Input goes to Punt (FOCUS_PUNT) or to the domain with this id. */
#define FOCUS_PUNT (-1)

static spinlock_t out_lock = SPINLOCK_INIT;
static bool lock_busted;

/*
 * Who has the UART's current line: nobody (the cursor is at the start of a line), Punt or dom0.
 * Punt and dom0 write as they go, so either may have half a line out when the other, or a
 * guest's finished line, needs the UART: that half line is ended first, so every line starts
 * with its writer's prefix (none for dom0) and never carries another writer's text.
 */
enum line_owner { LINE_NOBODY, LINE_PUNT, LINE_DOM0 };
static enum line_owner line_owner = LINE_NOBODY;

static char log_ring[CONFIG_LOG_RING_SIZE];
static size_t log_head;	   /* total bytes ever logged */
static bool log_line_open; /* the log's last line has no newline yet */
/* Where readconsole's clear left the reader (Xen's conringc): the low 32 bits of log_head then. */
static uint32_t log_cleared;
/* readconsole's 32-bit positions wrap as the ring's index does only if its size divides 2^32. */
_Static_assert((CONFIG_LOG_RING_SIZE & (CONFIG_LOG_RING_SIZE - 1)) == 0,
	       "LOG_RING_SIZE is a power of two");

static char input_ring[INPUT_RING_SIZE];
static size_t input_prod, input_cons;
static spinlock_t input_lock = SPINLOCK_INIT;
static int focus = 0;
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

/* Ends another writer's half line before `who` writes on the UART. */
static void take_line(enum line_owner who)
{
	if (line_owner != LINE_NOBODY && line_owner != who)
		put_raw('\n');
	line_owner = who;
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
		if (line_owner != LINE_PUNT) {
			take_line(LINE_PUNT);
			for (const char *p = prefix; *p; p++)
				put_raw(*p);
		}
		/* The log has Punt's text only, so a line broken on the UART is whole there. */
		if (!log_line_open)
			for (const char *p = prefix; *p; p++)
				log_char(*p);
		log_char(s[i]);
		log_line_open = s[i] != '\n';
		put_raw(s[i]);
		if (s[i] == '\n')
			line_owner = LINE_NOBODY;
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
		take_line(LINE_DOM0);
		put_raw(s[i]);
		if (s[i] == '\n')
			line_owner = LINE_NOBODY;
	}
	out_lock_drop();
}

/* The oldest byte still readable: nothing cleared past it, and not yet overwritten. */
static uint32_t log_oldest(uint32_t prod)
{
	return prod - log_cleared > sizeof(log_ring) ? prod - (uint32_t)sizeof(log_ring)
						     : log_cleared;
}

struct console_log_pos console_log_position(void)
{
	struct console_log_pos pos;

	out_lock_take();
	pos.prod = (uint32_t)log_head;
	pos.cons = log_oldest(pos.prod);
	out_lock_drop();
	return pos;
}

void console_log_copy(uint32_t from, char *buf, size_t n)
{
	out_lock_take();
	for (size_t i = 0; i < n; i++)
		buf[i] = log_ring[(from + i) % sizeof(log_ring)];
	out_lock_drop();
}

void console_log_clear(uint32_t upto)
{
	out_lock_take();
	log_cleared = upto;
	log_cleared = log_oldest((uint32_t)log_head);
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

/* A domain that can take console input: dom0 (console_io), or one with a UART or PV console. */
static bool takes_input(int id)
{
	struct domain *d = domain_lookup((domid_t)id);

	if (!d)
		return false;
	return d->id == 0 ? d->privileged : arch_domain_has_vuart(d) || d->pvcons;
}

static void switch_focus(void)
{
	int next = FOCUS_PUNT;

	for (int id = focus + 1; id < MAX_DOMAINS; id++) {
		if (takes_input(id)) {
			next = id;
			break;
		}
	}
	focus = next;
	if (focus == FOCUS_PUNT)
		printk("*** Serial input to Punt (type Ctrl-a three times to switch input on, "
		       "'h' for help)\n");
	else
		printk("*** Serial input to d%d (type Ctrl-a three times to switch input on)\n",
		       focus);
}

void console_focus_first(void)
{
	focus = FOCUS_PUNT;
	switch_focus();
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
	struct domain *d;

	if (focus == FOCUS_PUNT) {
		debug_key_pressed(c);
		return;
	}
	d = domain_lookup((domid_t)focus);
	if (!d)
		return;
	/* With both devices, input follows the one the guest printed on last. */
	if (d->pvcons && (!arch_domain_has_vuart(d) || d->console_last == CONSOLE_DEV_PV))
		pvcons_receive(d, &c, 1);
	else if (arch_domain_has_vuart(d))
		arch_vuart_receive(d, c);
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
		got_dom0_input |= focus == 0;
	}
	if (got_dom0_input)
		console_input_notify();
}

void console_write_domain(struct domain *d, enum console_dev dev, const char *s, size_t n)
{
	struct console_line *l = &d->console_lines[dev];

	if (n)
		d->console_last = dev;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n' && s[i] != '\r' && l->len < sizeof(l->buf))
			l->buf[l->len++] = s[i];
		if (s[i] != '\n' && l->len < sizeof(l->buf))
			continue;
		out_lock_take();
		take_line(LINE_NOBODY);
		char prefix[16];
		fmt_snprintf(prefix, sizeof(prefix), "(d%u) ", d->id);
		for (const char *p = prefix; *p; p++)
			put_raw(*p);
		for (size_t k = 0; k < l->len; k++)
			put_raw(l->buf[k]);
		put_raw('\n');
		out_lock_drop();
		l->len = 0;
	}
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
