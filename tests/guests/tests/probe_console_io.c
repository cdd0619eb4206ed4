// SPDX-License-Identifier: Apache-2.0
/*
 * console_io with bad input, as dom0 (xen/drivers/char/console.c: console_io(unsigned int
 * cmd, unsigned int count, char *buffer), so the upper halves of x0 and x1 are ignored: a
 * write of count 2^32 + 1 writes one byte). A read of more than INT_MAX bytes is -E2BIG; with
 * no input waiting a read returns 0 without touching the buffer. Every expected value is what
 * Xen 4.17 returned to this guest.
 */
#include "rt.h"

static long console(uint64_t cmd, uint64_t count, void *buf)
{
	return rt_hypercall(HYPERVISOR_console_io, cmd, count, (uint64_t)buf, 0, 0);
}

void test_main(void)
{
	static char line[] = "console_io probe: one byte follows: [";
	static char one[] = "1]\n";

	PROBE("write", console(CONSOLEIO_write, sizeof(line) - 1, line), 0);
	/* 2^32 + 1: one byte ("1"), not four gigabytes. */
	PROBE("bad_write_count_upper_half", console(CONSOLEIO_write, (1ull << 32) | 1, one), 0);
	PROBE("bad_write_cmd_upper_half", console((1ull << 32) | CONSOLEIO_write, 2, one + 1), 0);
	PROBE("write_count_0", console(CONSOLEIO_write, 0, (void *)RT_UNMAPPED_VA), 0);
	PROBE("bad_write_bad_pointer", console(CONSOLEIO_write, 1, (void *)RT_UNMAPPED_VA),
	      -XEN_EFAULT);
	PROBE("bad_write_2_31_bad_pointer",
	      console(CONSOLEIO_write, 1u << 31, (void *)RT_UNMAPPED_VA), -XEN_EFAULT);
	PROBE("read_count_0", console(CONSOLEIO_read, 0, (void *)RT_UNMAPPED_VA), 0);
	PROBE("bad_read_count_2_31", console(CONSOLEIO_read, 1u << 31, line), -XEN_E2BIG);
	PROBE("bad_read_count_minus_1", console(CONSOLEIO_read, 0xffffffffu, line), -XEN_E2BIG);
	PROBE("bad_read_count_upper_half_only", console(CONSOLEIO_read, 1ull << 32, line), 0);
	PROBE("bad_read_bad_pointer_no_input", console(CONSOLEIO_read, 16, (void *)RT_UNMAPPED_VA),
	      0);
	PROBE("bad_unknown_cmd", console(99, 1, line), -XEN_ENOSYS);
	PROBE("bad_cmd_minus_1", console(0xffffffffu, 1, line), -XEN_ENOSYS);
}
