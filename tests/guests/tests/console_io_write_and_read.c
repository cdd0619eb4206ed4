// SPDX-License-Identifier: Apache-2.0
/*
 * console_io for dom0: CONSOLEIO_write returns 0 (Linux reads >= 0 as "all written");
 * CONSOLEIO_read with no input pending returns 0 bytes; an unknown command is -ENOSYS.
 */
#include "rt.h"

void test_main(void)
{
	static char msg[] = "console_io: hello from the micro-guest\n";
	char in[16];

	CHECK_EQ(hyp_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg), 0, "CONSOLEIO_write");
	CHECK_EQ(hyp_console_io(CONSOLEIO_write, 0, msg), 0, "CONSOLEIO_write of 0 bytes");
	CHECK_EQ(hyp_console_io(CONSOLEIO_read, sizeof(in), in), 0, "CONSOLEIO_read, no input");
	CHECK_EQ(hyp_console_io(99, sizeof(in), in), -XEN_ENOSYS, "console_io(99)");
}
