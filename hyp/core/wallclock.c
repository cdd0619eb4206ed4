// SPDX-License-Identifier: Apache-2.0
#include <punt/domain.h>
#include <punt/spinlock.h>
#include <punt/wallclock.h>

static spinlock_t wc_lock = SPINLOCK_INIT;
static uint64_t wc_base_ns; /* wall time at system time 0 */

void wallclock_publish(struct domain *d)
{
	struct shared_info *si = d->shared_info;
	uint64_t sec = wc_base_ns / 1000000000u;

	__atomic_store_n(&si->wc_version, si->wc_version + 1, __ATOMIC_SEQ_CST);
	si->wc_sec = (uint32_t)sec;
	si->wc_sec_hi = (uint32_t)(sec >> 32);
	si->wc_nsec = (uint32_t)(wc_base_ns % 1000000000u);
	__atomic_store_n(&si->wc_version, si->wc_version + 1, __ATOMIC_SEQ_CST);
}

void wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time_ns)
{
	uint64_t now = secs * 1000000000u + nsecs;

	spin_lock(&wc_lock);
	wc_base_ns = now > system_time_ns ? now - system_time_ns : 0;
	for (unsigned i = 0; i < MAX_DOMAINS; i++) {
		if (domains[i])
			wallclock_publish(domains[i]);
	}
	spin_unlock(&wc_lock);
}
