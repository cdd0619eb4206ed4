// SPDX-License-Identifier: Apache-2.0
/*
 * One image, three roles (fuzz.h): rt.index 0 and 1 are the hostile domains, rt.index 2 the
 * canary. The hostile domains do not say hello to each other (rt_scenario_init): after a
 * reboot the peer is busy fuzzing and would never answer.
 */
#include "fuzz.h"

void test_main(void)
{
	uint64_t domains = 0, index = 0;

	if (!rt_arg_u64("rt.domains", &domains) || !rt_arg_u64("rt.index", &index) ||
	    domains != 3 || index > 2)
		rt_error("the fuzzer runs as three dom0less domains (tests/guests/fuzz.py)");
	if (index < 2)
		fuzzer_main();
	else
		canary_main();
}
