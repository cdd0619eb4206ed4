// SPDX-License-Identifier: Apache-2.0
/*
 * event_channel_op as dom0 with bad input (xen/common/event_channel.c, do_event_channel_op,
 * which takes the command as an int: the upper half of x0 is ignored), and
 * EVTCHNOP_bind_ipi: a port that signals a vCPU of the same domain (status
 * EVTCHNSTAT_ipi, a send raises it, it cannot be moved to another vCPU with bind_vcpu).
 * Ports past 4095 exist in neither hypervisor's 2-level space. EVTCHNOP_unmask is left to
 * evtchn_port_zero_and_bad_ports. Every expected value is what Xen 4.17 returned.
 */
#include "rt.h"

#define NO_SUCH_DOMAIN 77
#define NO_SUCH_PORT   5000
#define NO_SUCH_VCPU   5

static long ev(uint64_t cmd, void *arg)
{
	return rt_hypercall(HYPERVISOR_event_channel_op, cmd, (uint64_t)arg, 0, 0, 0);
}

static long alloc_unbound(domid_t dom, domid_t remote, uint32_t *port)
{
	struct evtchn_alloc_unbound a = {.dom = dom, .remote_dom = remote};
	long rc = ev(EVTCHNOP_alloc_unbound, &a);

	*port = a.port;
	return rc;
}

static long close_port(uint32_t port)
{
	struct evtchn_close c = {.port = port};

	return ev(EVTCHNOP_close, &c);
}

static long send(uint32_t port)
{
	struct evtchn_send s = {.port = port};

	return ev(EVTCHNOP_send, &s);
}

static long bind_vcpu(uint32_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu b = {.port = port, .vcpu = vcpu};

	return ev(EVTCHNOP_bind_vcpu, &b);
}

static long bind_virq(uint32_t virq, uint32_t vcpu, uint32_t *port)
{
	struct evtchn_bind_virq b = {.virq = virq, .vcpu = vcpu};
	long rc = ev(EVTCHNOP_bind_virq, &b);

	*port = b.port;
	return rc;
}

static void commands(void)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	struct evtchn_reset r = {.dom = NO_SUCH_DOMAIN};
	struct evtchn_expand_array x = {.array_gfn = 0};
	struct evtchn_set_priority p = {.port = NO_SUCH_PORT, .priority = 7};
	struct evtchn_bind_pirq bp = {.pirq = 0};
	uint8_t buf[32] = {0};

	PROBE("bad_cmd_upper_half", ev(EVTCHNOP_alloc_unbound | (1ull << 32), &a), 0);
	PROBE("bad_cmd_upper_half_close", close_port(a.port), 0);
	PROBE("bad_unknown_cmd", ev(99, buf), -XEN_ENOSYS);
	PROBE("bad_cmd_minus_1", ev(0xffffffffu, buf), -XEN_ENOSYS);
	PROBE("bad_reset_unknown_domain", ev(EVTCHNOP_reset, &r), -XEN_ESRCH);
	PROBE("bad_reset_cont_unknown_domain", ev(EVTCHNOP_reset_cont, &r), -XEN_ESRCH);
	PROBE("bad_reset_bad_pointer", ev(EVTCHNOP_reset, (void *)RT_UNMAPPED_VA), -XEN_EFAULT);
	/* The FIFO ABI's other operations, with the 2-level ABI in use. */
	PROBE("bad_expand_array_2_level", ev(EVTCHNOP_expand_array, &x), -XEN_EOPNOTSUPP);
	PROBE("bad_expand_array_bad_pointer", ev(EVTCHNOP_expand_array, (void *)RT_UNMAPPED_VA),
	      -XEN_EFAULT);
	PROBE("bad_set_priority_no_such_port", ev(EVTCHNOP_set_priority, &p), -XEN_EINVAL);
	REQUIRE_EQ(ev(EVTCHNOP_alloc_unbound, &a), 0, "alloc_unbound");
	p.port = a.port;
	PROBE("bad_set_priority_2_level", ev(EVTCHNOP_set_priority, &p), -XEN_ENOSYS);
	close_port(a.port);
	/* Arm binds no physical IRQs to ports: past the 1024 IRQs -EINVAL, else no memory. */
	PROBE("bad_bind_pirq", ev(EVTCHNOP_bind_pirq, &bp), -XEN_ENOMEM);
	bp.pirq = 1024;
	PROBE("bad_bind_pirq_1024", ev(EVTCHNOP_bind_pirq, &bp), -XEN_EINVAL);
}

static void bad_ports(void)
{
	struct evtchn_status st = {.dom = DOMID_SELF, .port = NO_SUCH_PORT};
	uint32_t port, virq_port;

	PROBE("bad_close_no_such_port", close_port(NO_SUCH_PORT), -XEN_EINVAL);
	PROBE("bad_send_no_such_port", send(NO_SUCH_PORT), -XEN_EINVAL);
	PROBE("bad_status_no_such_port", ev(EVTCHNOP_status, &st), -XEN_EINVAL);
	st.dom = NO_SUCH_DOMAIN;
	st.port = 1;
	PROBE("bad_status_unknown_domain", ev(EVTCHNOP_status, &st), -XEN_ESRCH);
	PROBE("bad_bind_vcpu_no_such_port", bind_vcpu(NO_SUCH_PORT, 0), -XEN_EINVAL);
	PROBE("bad_bind_vcpu_no_such_vcpu", bind_vcpu(1, NO_SUCH_VCPU), -XEN_ENOENT);

	PROBE("bad_alloc_unbound_unknown_domain", alloc_unbound(NO_SUCH_DOMAIN, 0, &port),
	      -XEN_ESRCH);
	PROBE("bad_alloc_unbound_bad_pointer", ev(EVTCHNOP_alloc_unbound, (void *)RT_UNMAPPED_VA),
	      -XEN_EFAULT);
	/* The remote domain must exist (Xen's default XSM policy on Arm, SILO, looks it up). */
	PROBE("bad_alloc_unbound_unknown_remote", alloc_unbound(DOMID_SELF, NO_SUCH_DOMAIN, &port),
	      -XEN_ESRCH);
	PROBE("alloc_unbound_own_id", alloc_unbound(DOMID_SELF, 0, &port), 0);
	PROBE("bad_send_on_unbound_port", send(port), 0);
	PROBE("bad_close_twice_first", close_port(port), 0);
	PROBE("bad_close_twice_second", close_port(port), -XEN_EINVAL);
	PROBE("bad_send_on_closed_port", send(port), -XEN_EINVAL);

	PROBE("bad_bind_virq_24", bind_virq(NR_VIRQS, 0, &virq_port), -XEN_EINVAL);
	PROBE("bad_bind_virq_minus_1", bind_virq(0xffffffffu, 0, &virq_port), -XEN_EINVAL);
	PROBE("bad_bind_global_virq_on_vcpu_1", bind_virq(VIRQ_DOM_EXC, 1, &virq_port),
	      -XEN_EINVAL);
	PROBE("bad_bind_timer_virq_no_such_vcpu", bind_virq(VIRQ_TIMER, NO_SUCH_VCPU, &virq_port),
	      -XEN_ENOENT);
	PROBE("bind_virq_debug", bind_virq(VIRQ_DEBUG, 0, &virq_port), 0);
	PROBE("bad_bind_virq_debug_twice", bind_virq(VIRQ_DEBUG, 0, &port), -XEN_EEXIST);
	PROBE("bad_send_on_virq_port", send(virq_port), -XEN_EINVAL);
	PROBE("bad_bind_vcpu_per_vcpu_virq", bind_vcpu(virq_port, 0), -XEN_EINVAL);
	PROBE("close_virq_port", close_port(virq_port), 0);

	struct evtchn_bind_interdomain bi = {.remote_dom = NO_SUCH_DOMAIN, .remote_port = 1};
	PROBE("bad_bind_interdomain_unknown_domain", ev(EVTCHNOP_bind_interdomain, &bi),
	      -XEN_ESRCH);
	bi.remote_dom = DOMID_SELF;
	bi.remote_port = NO_SUCH_PORT;
	PROBE("bad_bind_interdomain_no_such_port", ev(EVTCHNOP_bind_interdomain, &bi), -XEN_EINVAL);
	REQUIRE_EQ(alloc_unbound(DOMID_SELF, 0, &port), 0, "alloc_unbound");
	close_port(port);
	bi.remote_port = port;
	PROBE("bad_bind_interdomain_closed_port", ev(EVTCHNOP_bind_interdomain, &bi), -XEN_EINVAL);
}

static long bind_ipi(uint32_t vcpu, uint32_t *port)
{
	struct evtchn_bind_ipi b = {.vcpu = vcpu, .port = 0};
	long rc = ev(EVTCHNOP_bind_ipi, &b);

	*port = b.port;
	return rc;
}

static void ipis(void)
{
	struct evtchn_status st = {.dom = DOMID_SELF};
	uint32_t port, bad;

	rt_shared_info();
	PROBE("bad_bind_ipi_no_such_vcpu", bind_ipi(NO_SUCH_VCPU, &bad), -XEN_ENOENT);
	PROBE("bad_bind_ipi_vcpu_minus_1", bind_ipi(0xffffffffu, &bad), -XEN_ENOENT);
	PROBE("bad_bind_ipi_bad_pointer", ev(EVTCHNOP_bind_ipi, (void *)RT_UNMAPPED_VA),
	      -XEN_EFAULT);
	PROBE("bind_ipi", bind_ipi(0, &port), 0);
	PROBE("bind_ipi_port_nonzero", port != 0, 1);
	st.port = port;
	PROBE("bind_ipi_status", ev(EVTCHNOP_status, &st), 0);
	PROBE("bind_ipi_status_is_ipi", st.status, EVTCHNSTAT_ipi);
	PROBE("bind_ipi_status_vcpu", st.vcpu, 0);
	rt_port_set_mask(port, true);
	rt_port_clear_pending(port);
	PROBE("bind_ipi_send", send(port), 0);
	PROBE("bind_ipi_send_sets_pending", rt_port_pending(port), 1);
	PROBE("bad_bind_vcpu_of_ipi_port", bind_vcpu(port, 0), -XEN_EINVAL);
	PROBE("bind_ipi_close", close_port(port), 0);
	st.port = port;
	ev(EVTCHNOP_status, &st);
	PROBE("bind_ipi_closed_status", st.status, EVTCHNSTAT_closed);
	PROBE("bind_ipi_close_cleared_pending", rt_port_pending(port), 0);
}

void test_main(void)
{
	commands();
	bad_ports();
	ipis();
}
