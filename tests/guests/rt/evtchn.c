// SPDX-License-Identifier: Apache-2.0
/* shared_info and the 2-level event-channel ABI from the guest side (Xen public/event_channel.h,
 * public/xen.h shared_info and vcpu_info). */
#include "rt.h"

static struct shared_info *shinfo;
static uint8_t shinfo_page[PAGE_SIZE] PAGE_ALIGNED;
static volatile uint64_t seen[64];
volatile unsigned rt_upcalls;
volatile unsigned rt_events_seen;
void rt_evtchn_upcall(void);

struct shared_info *rt_shared_info(void)
{
	struct xen_add_to_physmap xatp = {
	    .domid = DOMID_SELF,
	    .space = XENMAPSPACE_shared_info,
	    .idx = 0,
	    .gpfn = (uint64_t)shinfo_page >> 12,
	};

	if (shinfo)
		return shinfo;
	REQUIRE_EQ(hyp_memory_op(XENMEM_add_to_physmap, &xatp), 0, "map shared_info");
	shinfo = (struct shared_info *)shinfo_page;
	return shinfo;
}

struct vcpu_info *rt_registered_vcpu_info;
struct vcpu_info *rt_cpu_vcpu_info[RT_MAX_CPUS];

static struct vcpu_info *my_vcpu_info(void)
{
	unsigned cpu = rt_cpu_index();

	if (cpu)
		return rt_cpu_vcpu_info[cpu];
	return rt_registered_vcpu_info ? rt_registered_vcpu_info : &shinfo->vcpu_info[0];
}

/* The upcall: the same loop Linux runs (Linux drivers/xen/events/events_2l.c). */
void rt_evtchn_upcall(void)
{
	struct vcpu_info *vi;

	rt_upcalls++;
	if (!shinfo)
		return;
	vi = my_vcpu_info();
	if (!vi)
		return; /* a second vCPU that registered none: nothing to read */
	do {
		__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
		uint64_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
		while (sel) {
			unsigned w = (unsigned)__builtin_ctzll(sel);
			sel &= sel - 1;
			uint64_t bits =
			    __atomic_load_n(&shinfo->evtchn_pending[w], __ATOMIC_SEQ_CST) &
			    ~__atomic_load_n(&shinfo->evtchn_mask[w], __ATOMIC_SEQ_CST);
			while (bits) {
				unsigned b = (unsigned)__builtin_ctzll(bits);
				bits &= bits - 1;
				__atomic_fetch_and(&shinfo->evtchn_pending[w], ~(1ull << b),
						   __ATOMIC_SEQ_CST);
				seen[w] |= 1ull << b;
				rt_events_seen++;
			}
		}
	} while (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
}

bool rt_event_seen(unsigned port)
{
	return port < 4096 && (seen[port / 64] >> (port % 64) & 1);
}

bool rt_event_take(unsigned port)
{
	uint64_t bit = 1ull << (port % 64);

	if (port >= 4096)
		return false;
	return __atomic_fetch_and(&seen[port / 64], ~bit, __ATOMIC_SEQ_CST) & bit;
}

void rt_events_reset(void)
{
	for (unsigned i = 0; i < 64; i++)
		seen[i] = 0;
	rt_events_seen = 0;
	rt_upcalls = 0;
}

long rt_evtchn_loopback(uint32_t *unbound, uint32_t *bound)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	long rc = hyp_evtchn_op(EVTCHNOP_alloc_unbound, &au);
	if (rc)
		return rc;
	struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF, .remote_port = au.port};
	rc = hyp_evtchn_op(EVTCHNOP_bind_interdomain, &bi);
	*unbound = au.port;
	*bound = bi.local_port;
	return rc;
}

long rt_evtchn_close(uint32_t port)
{
	struct evtchn_close op = {port};
	return hyp_evtchn_op(EVTCHNOP_close, &op);
}

long rt_evtchn_send(uint32_t port)
{
	struct evtchn_send op = {port};
	return hyp_evtchn_op(EVTCHNOP_send, &op);
}

long rt_evtchn_status(uint32_t port, struct evtchn_status *st)
{
	memset(st, 0, sizeof(*st));
	st->dom = DOMID_SELF;
	st->port = port;
	return hyp_evtchn_op(EVTCHNOP_status, st);
}

bool rt_port_pending(uint32_t port)
{
	return __atomic_load_n(&rt_shared_info()->evtchn_pending[port / 64], __ATOMIC_SEQ_CST) >>
		   (port % 64) &
	       1;
}

bool rt_port_masked(uint32_t port)
{
	return __atomic_load_n(&rt_shared_info()->evtchn_mask[port / 64], __ATOMIC_SEQ_CST) >>
		   (port % 64) &
	       1;
}

void rt_port_set_mask(uint32_t port, bool masked)
{
	uint64_t bit = 1ull << (port % 64);
	uint64_t *w = &rt_shared_info()->evtchn_mask[port / 64];
	if (masked)
		__atomic_fetch_or(w, bit, __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST);
}

void rt_port_clear_pending(uint32_t port)
{
	__atomic_fetch_and(&rt_shared_info()->evtchn_pending[port / 64], ~(1ull << (port % 64)),
			   __ATOMIC_SEQ_CST);
}

void rt_events_init(void)
{
	rt_shared_info();
	if (!rt_plat.evtchn_intid)
		rt_error("/hypervisor has no event-channel interrupt");
	rt_gic_init();
	rt_irq_enable_ppi(rt_plat.evtchn_intid);
	rt_irq_on();
}
