// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * console_io writes: one CONSOLEIO_write of 4 MiB of printable text without a newline. The
 * canary's longest stall beside it (rt/bench.h). Xen 4.17 lets dom0less domUs write (and
 * prints their text only at guest log level debug, i.e. never on its release build); Punt
 * gives console_io to the control domain only (-EPERM): n/a there.
 */
#include "bench.h"

#define BYTES (4u << 20)

static char text[BYTES];

static const char *write_storm(void)
{
	memset(text, 'x', sizeof(text));
	long rc = hyp_console_io(CONSOLEIO_write, BYTES, text);
	if (rc < 0) {
		static char why[64];
		rt_snprintf(why, sizeof(why), "(console_io write from a domU: %ld)", rc);
		return why;
	}
	REQUIRE_EQ(rc, 0, "console_io write");
	return NULL;
}

void test_main(void)
{
	bench_stall("stall_console_io_write", write_storm);
}
