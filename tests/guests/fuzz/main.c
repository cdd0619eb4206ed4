// SPDX-License-Identifier: Apache-2.0
/* One image, two roles: rt.index=0 is the fuzzer, rt.index=1 its canary (fuzz.h). */
#include "fuzz.h"

void test_main(void)
{
	rt_scenario_init();
	if (rt_scn.domains != 2 || !rt_scn.peer)
		rt_error("the fuzzer runs as a pair of linked domains (tests/guests/fuzz.py)");
	if (rt_scn.index == 0)
		fuzzer_main();
	else
		canary_main();
}
