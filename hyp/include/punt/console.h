// SPDX-License-Identifier: Apache-2.0
/*
 * Punt's console: it owns the UART. Its own messages go through printk into
 * a log ring and out, one "(punt) " prefix per line; dom0's console_io output
 * goes out unchanged. Input goes to the domain that has the focus, or to the
 * debug keys when Punt has it; Ctrl-a three times moves the focus on.
 * One lock serialises output so lines from different CPUs do not interleave,
 * and a half line left by Punt or dom0 is ended before anyone else writes, so
 * each line on the UART belongs to one writer (dom0 writes in 16-byte pieces).
 */
#ifndef PUNT_CONSOLE_H
#define PUNT_CONSOLE_H

#include <punt/format.h>
#include <stddef.h>
#include <stdint.h>

void console_init(uint64_t uart_base);
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* dom0's output (console_io), written as it is. */
void console_write_guest(const char *s, size_t n);
struct domain;

/*
 * The devices a guest may print on: its PV console (hvc0) and its emulated
 * UART. Each keeps its own partial line, and the one that printed last is the
 * one that receives the guest's input (Linux uses the one named by console=).
 */
enum console_dev { CONSOLE_DEV_PV, CONSOLE_DEV_VUART, CONSOLE_NR_DEVS };
/* A domain's output waiting for its end of line. */
struct console_line {
	char buf[160];
	unsigned len;
};
/* Another domain's output: whole lines, each prefixed with "(dN) ". */
void console_write_domain(struct domain *d, enum console_dev dev, const char *s, size_t n);
/* Called from the UART interrupt: drains the receive FIFO. */
void console_rx_interrupt(void);
/* Give the input to the first domain that takes it (after the domains are built). */
void console_focus_first(void);
/* Input queued for dom0 (console_io read); returns bytes copied. */
size_t console_take_input(char *buf, size_t n);
/* After a panic: no more locking, so a CPU stuck holding the lock cannot mute the report. */
void console_force_unlock(void);
/* The whole log ring, oldest first. */
void console_dump_log(fmt_sink_fn sink, void *ctx);
/*
 * The log ring as the toolstack reads it (sysctl readconsole, `xl dmesg`): positions are
 * free-running 32-bit byte counts, as Xen's conringc/conringp (Xen drivers/char/console.c).
 * prod is where the next byte goes; cons the oldest byte still readable, which moves up when
 * the ring overwrites it or a reader clears what it read.
 */
struct console_log_pos {
	uint32_t cons, prod;
};
struct console_log_pos console_log_position(void);
/* n bytes of the ring from position `from` on (the caller keeps from + n within prod). */
void console_log_copy(uint32_t from, char *buf, size_t n);
/* Forget the log before `upto` (a position between cons and prod). */
void console_log_clear(uint32_t upto);
/* Set by whoever forwards input to dom0 (console_io.c): called when input arrives. */
void console_input_notify(void);

#endif
