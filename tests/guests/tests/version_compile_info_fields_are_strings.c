// SPDX-License-Identifier: Apache-2.0
/*
 * XENVER_compile_info fills four NUL-terminated strings (64+16+32+32 bytes), each field zeroed
 * past its string, and returns 0. The texts name the build, so they are not compared.
 */
#include "rt.h"

/* 1 when field[0..size) is a string followed only by zero bytes, else 0. */
static int zero_padded_string(const char *field, size_t size)
{
	size_t n = rt_strnlen(field, size);

	if (n == size)
		return 0;
	for (size_t i = n; i < size; i++)
		if (field[i])
			return 0;
	return 1;
}

void test_main(void)
{
	struct xen_compile_info ci;

	memset(&ci, 0x55, sizeof(ci));
	CHECK_EQ(hyp_xen_version(XENVER_compile_info, &ci), 0, "XENVER_compile_info");
	CHECK(zero_padded_string(ci.compiler, sizeof(ci.compiler)), "compiler");
	CHECK(zero_padded_string(ci.compile_by, sizeof(ci.compile_by)), "by");
	CHECK(zero_padded_string(ci.compile_domain, sizeof(ci.compile_domain)), "domain");
	CHECK(zero_padded_string(ci.compile_date, sizeof(ci.compile_date)), "date");
}
