// SPDX-License-Identifier: Apache-2.0
#ifndef PUNT_FORMAT_H
#define PUNT_FORMAT_H

/*
 * printf-style formatting for the hypervisor, with no libc underneath.
 *
 * Supported, with C99 semantics: flags "-0+ #", width (digits or *), precision (.digits or .*)
 * for integers and %s, length modifiers hh h l ll z j t, conversions d i u x X o c s p %.
 * Differences from C, chosen on purpose: %p prints "0x" followed by lowercase hex (also for
 * NULL, which prints "0x0"); %s with a NULL pointer prints "(null)" (the precision still
 * applies); an unknown conversion is printed literally, from the '%' to the offending
 * character. No floating point.
 *
 * The functions keep no state and take no lock: they are safe on any CPU at any time,
 * including in a panic path.
 */

#include <stdarg.h>
#include <stddef.h>

/* Receives successive pieces of formatted output; n bytes at s, not NUL-terminated. */
typedef void (*fmt_sink_fn)(void *ctx, const char *s, size_t n);

/*
 * Formats into buf, writing at most size bytes including the terminating NUL (always written
 * when size > 0). Returns the length the full output would have had, as C99 snprintf.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Streams the formatted output to sink with no length limit; returns the bytes produced. */
int fmt_vprint(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int fmt_print(fmt_sink_fn sink, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
