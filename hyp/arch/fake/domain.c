// SPDX-License-Identifier: Apache-2.0
/*
 * Fake domain state (punt/arch/domain.h): the stage-2 list (p2m.c), the
 * virtual devices the builder asked for, recorded, and an emulated UART that
 * keeps what it receives. It has no MMIO regions of its own; destroy empties
 * the registry (punt/mmio.h) as arm64's does, for the regions a test adds.
 */
#include "fake.h"

#include <public/errno.h>
#include <punt/arch/domain.h>
#include <punt/arch/p2m.h>
#include <punt/arch/timer.h>
#include <punt/event_channel.h>
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
	d->arch.vuart_ring = false;
	mmio_remove_all(d);
}

bool arch_domain_has_vuart(const struct domain *d)
{
	return d->arch.vuart;
}

static void fake_vuart_backend_sent(struct domain *d, evtchn_port_t port)
{
	if (d->arch.vuart_ring && port == d->arch.vuart_port)
		d->arch.vuart_backend_sends++;
}

int arch_vuart_connect(struct domain *d, uint64_t gfn, domid_t backend, evtchn_port_t *port)
{
	uint64_t mfn;
	int rc;

	if (d->arch.nr_spis < 1)
		return -XEN_EINVAL;
	struct domain_locked l = domain_lock(d);
	rc = d->arch.vuart || d->arch.vuart_ring || p2m_lookup(d, gfn, &mfn) != P2M_RAM_RW
		 ? -XEN_EINVAL
		 : 0;
	if (!rc) {
		d->arch.vuart_ring = true;
		d->arch.vuart_ring_mfn = mfn;
	}
	domain_unlock(&l);
	if (rc)
		return rc;
	rc = evtchn_alloc_hyp_unbound(d, backend, fake_vuart_backend_sent, &d->arch.vuart_port);
	if (rc) {
		d->arch.vuart_ring = false;
		return rc;
	}
	*port = d->arch.vuart_port;
	return 0;
}

int fake_vuart_send(struct domain *d)
{
	return evtchn_hyp_send(d, d->arch.vuart_port, fake_vuart_backend_sent);
}

bool arch_domain_uses_page(const struct domain *d, uint64_t mfn)
{
	return d->arch.vuart_ring && d->arch.vuart_ring_mfn == mfn;
}

bool arch_vuart_receive(struct domain *d, char c)
{
	if (!d->arch.vuart || d->arch.vuart_rx_len == FAKE_VUART_RX)
		return false;
	d->arch.vuart_rx[d->arch.vuart_rx_len++] = c;
	fake_vcpu_inject(d->vcpus[0], FAKE_VIRQ_UART);
	return true;
}
