// SPDX-License-Identifier: Apache-2.0
/*
 * Fake domain state (punt/arch/domain.h): the stage-2 list (p2m.c), the
 * virtual devices the builder asked for, recorded, and an emulated UART that
 * keeps what it receives. It has no MMIO regions of its own; destroy empties
 * the registry (punt/mmio.h) as arm64's does, for the regions a test adds.
 */
#include "fake.h"

#include <punt/arch/domain.h>
#include <punt/arch/timer.h>
#include <punt/domain.h>
#include <punt/mmio.h>
#include <stdlib.h>

int arch_domain_init(struct domain *d, const struct arch_domain_config *c)
{
	if (fake_failure_due(FAKE_FAIL_DOMAIN_INIT))
		return -1;
	d->arch.initialised = true;
	d->arch.counter_offset = arch_timer_count();
	d->arch.hardware = c->hardware;
	d->arch.nr_spis = c->nr_spis;
	d->arch.vuart = c->vuart && !c->hardware;
	return 0;
}

void arch_domain_destroy(struct domain *d)
{
	free(d->arch.p2m);
	d->arch.p2m = NULL;
	d->arch.p2m_nr = d->arch.p2m_cap = 0;
	d->arch.initialised = false;
	d->arch.vuart = false;
	mmio_remove_all(d);
}

bool arch_domain_has_vuart(const struct domain *d)
{
	return d->arch.vuart;
}

bool arch_vuart_receive(struct domain *d, char c)
{
	if (!d->arch.vuart || d->arch.vuart_rx_len == FAKE_VUART_RX)
		return false;
	d->arch.vuart_rx[d->arch.vuart_rx_len++] = c;
	fake_vcpu_inject(d->vcpus[0], FAKE_VIRQ_UART);
	return true;
}
