// SPDX-License-Identifier: Apache-2.0
/*
 * What event_channel.c needs from the rest of Punt for host tests, beyond
 * core_fakes.c: domains with vCPUs and shared_info, and an upcall recorder.
 */
#include "evtchn_fakes.h"

#include <punt/arch/irq.h>
#include <stdlib.h>
#include <string.h>

unsigned upcalls[MAX_DOMAINS][4];

void arch_vcpu_raise_upcall(struct vcpu *v)
{
	upcalls[v->domain->id][v->id]++;
}

struct domain *fake_domain(domid_t id, unsigned vcpus, bool privileged)
{
	struct domain *d = calloc(1, sizeof(*d));

	d->id = id;
	d->privileged = privileged;
	d->max_vcpus = vcpus;
	d->shared_info = (struct shared_info *)(uintptr_t)page_alloc_zeroed(0);
	for (unsigned i = 0; i < vcpus; i++) {
		struct vcpu *v = calloc(1, sizeof(*v));
		v->domain = d;
		v->id = i;
		/* As domain.c: vCPU 0 starts on shared_info's slot, the others have none. */
		v->vcpu_info = i == 0 ? &d->shared_info->vcpu_info[0] : NULL;
		d->vcpus[i] = v;
	}
	if (evtchn_domain_init(d))
		abort();
	domains[id] = d;
	memset(upcalls[id], 0, sizeof(upcalls[id]));
	return d;
}

void fake_domain_free(struct domain *d)
{
	evtchn_domain_destroy(d);
	domains[d->id] = NULL;
	for (unsigned i = 0; i < d->max_vcpus; i++)
		free(d->vcpus[i]);
	free(d->shared_info);
	free(d);
}
