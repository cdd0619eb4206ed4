// SPDX-License-Identifier: Apache-2.0
/*
 * Probes: one line per small check in a class guest, which run.py compares between Punt and
 * Xen 4.17 value by value (docs/conformance.md, "Probes").
 */
#include "rt.h"

void rt_probe(const char *file, int line, const char *name, long long got, long long xen)
{
	bool ok = got == xen;

	rt_printf("PROBE %s got=%lld expect=%lld %s\n", name, got, xen, ok ? "ok" : "FAIL");
	if (!ok)
		rt_fail(file, line, "probe %s: Xen 4.17 gives %lld, got %lld", name, xen, got);
}
