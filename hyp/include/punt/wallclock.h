// SPDX-License-Identifier: Apache-2.0
/*
 * Wall-clock time as Xen publishes it: the time of day at system time zero,
 * written into every domain's shared_info with the version protocol (odd
 * while updating).
 */
#ifndef PUNT_WALLCLOCK_H
#define PUNT_WALLCLOCK_H

#include <stdint.h>

struct domain;

void wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time_ns);
void wallclock_publish(struct domain *d);

#endif
