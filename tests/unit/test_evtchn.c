// SPDX-License-Identifier: Apache-2.0
/*
 * Event channel bookkeeping (hyp/core/event_channel.c) against the 2-level
 * rules of Xen public/event_channel.h: port allocation, binding, delivery (pending,
 * mask, selector, upcall edge), close, VIRQs, status, bind_vcpu and the
 * hypercall's argument handling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "machine.h"
#include <public/errno.h>
#include <punt/event_channel.h>
#include <punt/policy.h>
#include <punt/sched.h>

static struct domain *dom0, *d1, *d2;
static struct vcpu_info registered[2];

/* Three domains on a one-CPU machine, built by the core's domain builder; none running. */
static int setup(void **state)
{
	(void)state;
	memset(registered, 0, sizeof(registered));
	machine_boot(1);
	dom0 = machine_domain(0, 2, true);
	d1 = machine_domain(1, 2, false);
	d2 = machine_domain(2, 1, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	machine_halt();
	return 0;
}

/* How many times the architecture was asked to raise the event upcall of d's vCPU v. */
static unsigned upcalls(struct domain *d, unsigned v)
{
	return d->vcpus[v]->arch.upcalls;
}

static bool pending(struct domain *d, evtchn_port_t p)
{
	return d->shared_info->evtchn_pending[p / 64] & (1UL << (p % 64));
}

static void mask(struct domain *d, evtchn_port_t p)
{
	d->shared_info->evtchn_mask[p / 64] |= 1UL << (p % 64);
}

/* An interdomain channel: d1's port `local` bound to dom0's unbound port `remote`. */
static void connect(struct domain *a, struct domain *b, evtchn_port_t *pa, evtchn_port_t *pb)
{
	assert_int_equal(evtchn_alloc_unbound(b, a->id, pb), 0);
	assert_int_equal(evtchn_bind_interdomain(a, b->id, *pb, pa), 0);
}

static void port_zero_is_never_allocated(void **state)
{
	evtchn_port_t p = 0;

	(void)state;
	assert_int_equal(evtchn_alloc_unbound(d1, 0, &p), 0);
	assert_int_equal(p, 1);
	assert_int_equal(evtchn_send(d1, 0), -XEN_EINVAL);
	assert_int_equal(evtchn_close(d1, 0), -XEN_EINVAL);
}

static void alloc_unbound_takes_the_lowest_free_port(void **state)
{
	evtchn_port_t a, b, c;

	(void)state;
	assert_int_equal(evtchn_alloc_unbound(d1, 0, &a), 0);
	assert_int_equal(evtchn_alloc_unbound(d1, 0, &b), 0);
	assert_int_equal(evtchn_close(d1, a), 0);
	assert_int_equal(evtchn_alloc_unbound(d1, 0, &c), 0);
	assert_int_equal(c, a);
	assert_true(b > a);
}

static void alloc_unbound_with_domid_self_names_the_caller(void **state)
{
	struct evtchn_status st = {.port = 0};
	evtchn_port_t p;

	(void)state;
	assert_int_equal(evtchn_alloc_unbound(d1, DOMID_SELF, &p), 0);
	st.port = p;
	assert_int_equal(evtchn_status(d1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
}

static void bind_interdomain_connects_both_ends_and_marks_the_new_port_pending(void **state)
{
	evtchn_port_t local, remote;
	struct evtchn_status st;

	(void)state;
	connect(d1, dom0, &local, &remote);
	assert_true(pending(d1, local));
	assert_false(pending(dom0, remote));
	st = (struct evtchn_status){.port = remote};
	assert_int_equal(evtchn_status(dom0, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 1);
	assert_int_equal(st.u.interdomain.port, local);
}

static void bind_interdomain_needs_a_port_reserved_for_the_caller(void **state)
{
	evtchn_port_t for_d2, local;

	(void)state;
	assert_int_equal(evtchn_alloc_unbound(dom0, 2, &for_d2), 0);
	assert_int_equal(evtchn_bind_interdomain(d1, 0, for_d2, &local), -XEN_EINVAL);
	assert_int_equal(evtchn_bind_interdomain(d1, 0, 4000, &local), -XEN_EINVAL);
	assert_int_equal(evtchn_bind_interdomain(d1, 77, for_d2, &local), -XEN_ESRCH);
}

static void two_guests_may_not_talk_unless_linked(void **state)
{
	evtchn_port_t p, local;

	(void)state;
	assert_int_equal(evtchn_alloc_unbound(d1, 2, &p), -XEN_EPERM);
	/* A port the control domain reserved in d1 for d2 still cannot be bound by d2. */
	assert_int_equal(evtchn_alloc_unbound(d1, 0, &p), 0);
	assert_int_equal(evtchn_bind_interdomain(d2, 1, p, &local), -XEN_EPERM);
	assert_false(policy_may_communicate(d1, d2));
	assert_true(policy_may_communicate(d1, dom0));
	assert_true(policy_may_communicate(dom0, d2));
}

static void a_configuration_link_lets_two_guests_talk(void **state)
{
	evtchn_port_t p, local;

	(void)state;
	d2->links = 1UL << 1; /* one side is enough */
	assert_true(policy_may_communicate(d1, d2));
	assert_true(policy_may_communicate(d2, d1));
	assert_int_equal(evtchn_alloc_unbound(d1, 2, &p), 0);
	assert_int_equal(evtchn_bind_interdomain(d2, 1, p, &local), 0);
	assert_int_equal(evtchn_send(d2, local), 0);
	assert_true(pending(d1, p));
}

static void a_static_channel_binds_both_ends_and_survives_a_peer_rebuild(void **state)
{
	struct evtchn_status st = {.dom = DOMID_SELF, .port = 10};

	(void)state;
	assert_int_equal(evtchn_bind_static(d1, 10, d2, 11), 0);
	assert_int_equal(evtchn_status(d1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 2);
	assert_int_equal(st.u.interdomain.port, 11);
	/* Taken ports are refused, and so is binding a port to itself. */
	assert_int_equal(evtchn_bind_static(d1, 10, d2, 12), -XEN_EBUSY);
	assert_int_equal(evtchn_bind_static(d1, 12, d2, 11), -XEN_EBUSY);
	assert_int_equal(evtchn_bind_static(d1, 5, d1, 5), -XEN_EINVAL);
	assert_int_equal(evtchn_bind_static(d1, 0, d2, 5), -XEN_EINVAL);
	/* d1 goes away (its ports closed); the rebuilt d1 finds d2's end waiting for it. */
	assert_int_equal(evtchn_close(d1, 10), 0);
	st = (struct evtchn_status){.dom = DOMID_SELF, .port = 11};
	assert_int_equal(evtchn_status(d2, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(evtchn_bind_static(d1, 10, d2, 11), 0);
	assert_int_equal(evtchn_send(d1, 10), 0);
	assert_true(pending(d2, 11));
}

static void a_reserved_static_port_is_skipped_by_allocation_and_bound_later(void **state)
{
	evtchn_port_t p;

	(void)state;
	assert_int_equal(evtchn_reserve(d1, 1, 2), 0);
	assert_int_equal(evtchn_reserve(d1, 1, 2), -XEN_EBUSY);
	assert_int_equal(evtchn_reserve(d1, 0, 2), -XEN_EINVAL);
	/* One past the 2-level table is no port either (on Arm it would be past the array). */
	assert_int_equal(evtchn_reserve(d1, EVTCHN_MAX_PORTS, 2), -XEN_EINVAL);
	assert_int_equal(evtchn_bind_static(d1, 2, d2, EVTCHN_MAX_PORTS), -XEN_EINVAL);
	assert_int_equal(evtchn_alloc_unbound(d1, 0, &p), 0);
	assert_int_not_equal(p, 1);
	/* Only the domain it was reserved for may take it. */
	assert_int_equal(evtchn_bind_static(d1, 1, dom0, 3), -XEN_EBUSY);
	assert_int_equal(evtchn_reserve(d2, 4, 1), 0);
	assert_int_equal(evtchn_bind_static(d1, 1, d2, 4), 0);
	assert_int_equal(evtchn_send(d2, 4), 0);
	assert_true(pending(d1, 1));
}

static void bind_interdomain_loopback_works(void **state)
{
	evtchn_port_t a, b;

	(void)state;
	assert_int_equal(evtchn_alloc_unbound(dom0, DOMID_SELF, &a), 0);
	assert_int_equal(evtchn_bind_interdomain(dom0, DOMID_SELF, a, &b), 0);
	assert_int_not_equal(a, b);
	assert_int_equal(evtchn_send(dom0, b), 0);
	assert_true(pending(dom0, a));
}

static void send_raises_the_peer_upcall_only_on_the_first_edge(void **state)
{
	evtchn_port_t local, remote;

	(void)state;
	connect(d1, dom0, &local, &remote);
	assert_int_equal(evtchn_send(d1, local), 0);
	assert_true(pending(dom0, remote));
	assert_int_equal(upcalls(dom0, 0), 1);
	assert_true(dom0->shared_info->vcpu_info[0].evtchn_pending_sel & (1UL << (remote / 64)));
	/* Already pending, upcall already due: nothing more to raise. */
	assert_int_equal(evtchn_send(d1, local), 0);
	assert_int_equal(upcalls(dom0, 0), 1);
}

static void send_on_an_unbound_port_is_dropped_and_on_a_free_port_fails(void **state)
{
	evtchn_port_t p;

	(void)state;
	assert_int_equal(evtchn_alloc_unbound(d1, 0, &p), 0);
	assert_int_equal(evtchn_send(d1, p), 0);
	assert_false(pending(d1, p));
	assert_int_equal(evtchn_send(d1, p + 1), -XEN_EINVAL);
	assert_int_equal(evtchn_send(d1, EVTCHN_MAX_PORTS), -XEN_EINVAL);
}

static void a_masked_port_is_recorded_and_raised_on_unmask(void **state)
{
	evtchn_port_t local, remote;

	(void)state;
	connect(d1, dom0, &local, &remote);
	mask(dom0, remote);
	assert_int_equal(evtchn_send(d1, local), 0);
	assert_true(pending(dom0, remote));
	assert_int_equal(upcalls(dom0, 0), 0);
	assert_int_equal(evtchn_unmask(dom0, remote), 0);
	assert_int_equal(upcalls(dom0, 0), 1);
}

static void unmask_of_a_port_that_is_not_pending_raises_nothing(void **state)
{
	evtchn_port_t local, remote;

	(void)state;
	connect(d1, dom0, &local, &remote);
	mask(dom0, remote);
	assert_int_equal(evtchn_unmask(dom0, remote), 0);
	assert_int_equal(upcalls(dom0, 0), 0);
}

static void close_reverts_the_peer_to_unbound_for_the_closer(void **state)
{
	evtchn_port_t local, remote;
	struct evtchn_status st;

	(void)state;
	connect(d1, dom0, &local, &remote);
	assert_int_equal(evtchn_close(d1, local), 0);
	st = (struct evtchn_status){.port = remote};
	assert_int_equal(evtchn_status(dom0, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
	assert_int_equal(evtchn_close(d1, local), -XEN_EINVAL);
	/* The freed local port is free again. */
	st = (struct evtchn_status){.port = local};
	assert_int_equal(evtchn_status(d1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
}

static void bind_virq_follows_xens_rules(void **state)
{
	evtchn_port_t p;

	(void)state;
	assert_int_equal(evtchn_bind_virq(dom0, NR_VIRQS, 0, &p), -XEN_EINVAL);
	assert_int_equal(evtchn_bind_virq(dom0, VIRQ_CONSOLE, 1, &p), -XEN_EINVAL);
	assert_int_equal(evtchn_bind_virq(dom0, VIRQ_TIMER, 5, &p), -XEN_ENOENT);
	/* A guest may bind a global VIRQ (Xen 4.17); only dom0's binding is ever raised. */
	assert_int_equal(evtchn_bind_virq(d1, VIRQ_CONSOLE, 0, &p), 0);
	assert_int_equal(evtchn_bind_virq(dom0, VIRQ_CONSOLE, 0, &p), 0);
	assert_int_equal(evtchn_bind_virq(dom0, VIRQ_CONSOLE, 0, &p), -XEN_EEXIST);
	assert_int_equal(evtchn_bind_virq(d1, VIRQ_TIMER, 1, &p), 0);
}

static void a_global_virq_reaches_its_bound_port(void **state)
{
	evtchn_port_t p;
	struct evtchn_status st;

	(void)state;
	assert_int_equal(evtchn_bind_virq(dom0, VIRQ_CONSOLE, 0, &p), 0);
	evtchn_send_global_virq(dom0, VIRQ_CONSOLE);
	assert_true(pending(dom0, p));
	assert_int_equal(upcalls(dom0, 0), 1);
	st = (struct evtchn_status){.port = p};
	assert_int_equal(evtchn_status(dom0, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_virq);
	assert_int_equal(st.u.virq, VIRQ_CONSOLE);
}

static void bind_vcpu_moves_delivery(void **state)
{
	evtchn_port_t local, remote, timer;

	(void)state;
	dom0->vcpus[1]->vcpu_info = &registered[1];
	connect(d1, dom0, &local, &remote);
	assert_int_equal(evtchn_bind_vcpu(dom0, remote, 1), 0);
	assert_int_equal(evtchn_send(d1, local), 0);
	assert_int_equal(upcalls(dom0, 1), 1);
	assert_int_equal(upcalls(dom0, 0), 0);
	assert_int_equal(evtchn_bind_vcpu(dom0, remote, 7), -XEN_ENOENT);
	assert_int_equal(evtchn_bind_virq(dom0, VIRQ_TIMER, 0, &timer), 0);
	assert_int_equal(evtchn_bind_vcpu(dom0, timer, 1), -XEN_EINVAL);
	dom0->vcpus[1]->vcpu_info = NULL;
}

static void events_for_a_vcpu_without_vcpu_info_are_only_recorded(void **state)
{
	evtchn_port_t local, remote;

	(void)state;
	/* As a vCPU past the 32 that shared_info holds: none until it registers one. */
	dom0->vcpus[1]->vcpu_info = NULL;
	connect(d1, dom0, &local, &remote);
	assert_int_equal(evtchn_bind_vcpu(dom0, remote, 1), 0);
	assert_int_equal(evtchn_send(d1, local), 0);
	assert_true(pending(dom0, remote));
	assert_int_equal(upcalls(dom0, 1), 0);
	/* Registration makes the vCPU rescan everything once. */
	dom0->vcpus[1]->vcpu_info = &registered[1];
	evtchn_vcpu_info_registered(dom0->vcpus[1]);
	assert_int_equal(registered[1].evtchn_pending_sel, ~0UL);
	assert_int_equal(registered[1].evtchn_upcall_pending, 1);
	assert_int_equal(upcalls(dom0, 1), 1);
	dom0->vcpus[1]->vcpu_info = NULL;
}

/*
 * vcpu_info outlives PSCI CPU_OFF and CPU_ON but the reset drops the upcall interrupt
 * (arch_vcpu_reset()): a vCPU that went off with an upcall pending gets it raised again when
 * it starts, or no later event on the port's word would raise one (no new edge).
 */
static void an_upcall_left_pending_at_cpu_off_is_raised_again_at_cpu_on(void **state)
{
	struct vcpu *v1 = dom0->vcpus[1];
	evtchn_port_t local, remote;

	(void)state;
	v1->vcpu_info = &registered[1];
	connect(d1, dom0, &local, &remote);
	assert_int_equal(evtchn_bind_vcpu(dom0, remote, 1), 0);
	assert_int_equal(vcpu_power_on(v1, 0x40000000, 0), 0);
	machine_run(v1);
	assert_int_equal(evtchn_send(d1, local), 0);
	assert_true(v1->arch.pending & FAKE_VIRQ_UPCALL);
	/* Its guest has interrupts masked and turns the vCPU off without taking it. */
	vcpu_set_online(v1, false);
	machine_run(d2->vcpus[0]); /* another vCPU takes the CPU: v1's state is saved */
	assert_int_equal(v1->state, VCPU_OFFLINE);
	assert_false(v1->arch.loaded);
	unsigned resets = v1->arch.resets, raised = upcalls(dom0, 1);

	assert_int_equal(vcpu_power_on(v1, 0x40001000, 7), 0);
	machine_run(v1);
	assert_int_equal(v1->arch.resets, resets + 1);
	assert_int_equal(v1->arch.regs.pc, 0x40001000);
	assert_int_equal(upcalls(dom0, 1), raised + 1);
	assert_true(v1->arch.pending & FAKE_VIRQ_UPCALL);

	/* Its guest takes it and clears everything: the next send raises a new one. */
	fake_vcpu_take_irqs(v1);
	registered[1].evtchn_upcall_pending = 0;
	registered[1].evtchn_pending_sel = 0;
	dom0->shared_info->evtchn_pending[remote / 64] &= ~(1UL << (remote % 64));
	assert_int_equal(evtchn_send(d1, local), 0);
	assert_int_equal(upcalls(dom0, 1), raised + 2);
	v1->vcpu_info = NULL;
}

/* A vCPU whose vcpu_info has no upcall pending starts with none. */
static void cpu_on_with_no_upcall_pending_raises_none(void **state)
{
	struct vcpu *v1 = dom0->vcpus[1];

	(void)state;
	v1->vcpu_info = &registered[1];
	assert_int_equal(vcpu_power_on(v1, 0x40000000, 0), 0);
	machine_run(v1);
	assert_int_equal(v1->arch.resets, 1);
	assert_int_equal(upcalls(dom0, 1), 0);
	assert_false(v1->arch.pending & FAKE_VIRQ_UPCALL);
	v1->vcpu_info = NULL;
}

static void reset_closes_every_port(void **state)
{
	evtchn_port_t local, remote;
	struct evtchn_status st;

	(void)state;
	connect(d1, dom0, &local, &remote);
	assert_int_equal(evtchn_reset(d1), 0);
	st = (struct evtchn_status){.port = local};
	assert_int_equal(evtchn_status(d1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	st = (struct evtchn_status){.port = remote};
	assert_int_equal(evtchn_status(dom0, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
}

static unsigned open_ports(struct domain *d)
{
	unsigned n = 0;

	for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++) {
		struct evtchn_status st = {.dom = DOMID_SELF, .port = p};
		n += evtchn_status(d, &st) == 0 && st.status != EVTCHNSTAT_closed;
	}
	return n;
}

/*
 * EVTCHNOP_reset checks for preemption every 64 ports and continues as
 * EVTCHNOP_reset_cont with the same argument (Xen 4.17 event_channel.c).
 */
static void a_preempted_reset_continues_as_reset_cont(void **state)
{
	struct vcpu *v2 = d2->vcpus[0];
	struct evtchn_reset op = {.dom = DOMID_SELF};
	evtchn_port_t p;

	(void)state;
	machine_run(v2); /* its hypercall, on its CPU */
	for (unsigned i = 0; i < 1000; i++)
		assert_int_equal(evtchn_alloc_unbound(d2, 0, &p), 0);
	fake_preempt_at(3); /* the third check: after port 192 */
	long rc = do_event_channel_op(v2, EVTCHNOP_reset, (uintptr_t)&op);
	/* Issued again with x0 = reset_cont, x1 = the same argument; x2 is not touched. */
	assert_int_equal(v2->arch.restarts, 1);
	assert_int_equal(v2->arch.regs.x[0], EVTCHNOP_reset_cont);
	assert_int_equal(v2->arch.regs.x[1], (uintptr_t)&op);
	assert_int_equal(v2->arch.regs.x[2], 0);
	assert_int_equal(rc, EVTCHNOP_reset_cont);
	assert_int_equal(open_ports(d2), 1000 - 192);
	/* A second reset while this one is under way is refused. */
	fake_preempt_at(0);
	assert_int_equal(do_event_channel_op(v2, EVTCHNOP_reset, (uintptr_t)&op), -XEN_EBUSY);
	assert_int_equal(do_event_channel_op(v2, EVTCHNOP_reset_cont, (uintptr_t)&op), 0);
	assert_int_equal(open_ports(d2), 0);
	/* With no reset under way there is nothing to continue. */
	assert_int_equal(do_event_channel_op(v2, EVTCHNOP_reset_cont, (uintptr_t)&op), -XEN_EBUSY);
	assert_int_equal(do_event_channel_op(v2, EVTCHNOP_reset, (uintptr_t)&op), 0);
}

static void the_4095th_port_is_the_last(void **state)
{
	evtchn_port_t p;

	(void)state;
	for (unsigned i = 1; i < EVTCHN_MAX_PORTS; i++)
		assert_int_equal(evtchn_alloc_unbound(d2, 0, &p), 0);
	assert_int_equal(p, EVTCHN_MAX_PORTS - 1);
	assert_int_equal(evtchn_alloc_unbound(d2, 0, &p), -XEN_ENOSPC);
}

static void the_hypercall_checks_its_arguments(void **state)
{
	struct vcpu *v1 = d1->vcpus[0];
	struct evtchn_alloc_unbound op = {.dom = 0, .remote_dom = DOMID_SELF};

	(void)state;
	assert_int_equal(do_event_channel_op(v1, EVTCHNOP_send, 0), -XEN_EFAULT);
	assert_int_equal(do_event_channel_op(v1, EVTCHNOP_init_control, (uintptr_t)&op),
			 -XEN_ENOSYS);
	assert_int_equal(do_event_channel_op(v1, EVTCHNOP_expand_array, (uintptr_t)&op),
			 -XEN_EOPNOTSUPP);
	assert_int_equal(do_event_channel_op(v1, 99, (uintptr_t)&op), -XEN_ENOSYS);
	/* An unprivileged domain may not allocate in another domain; unknown ones do not exist. */
	assert_int_equal(do_event_channel_op(v1, EVTCHNOP_alloc_unbound, (uintptr_t)&op),
			 -XEN_EPERM);
	op.dom = 99;
	assert_int_equal(do_event_channel_op(v1, EVTCHNOP_alloc_unbound, (uintptr_t)&op),
			 -XEN_ESRCH);
	/* The control domain may. */
	op = (struct evtchn_alloc_unbound){.dom = 1, .remote_dom = 0};
	assert_int_equal(
	    do_event_channel_op(dom0->vcpus[0], EVTCHNOP_alloc_unbound, (uintptr_t)&op), 0);
	assert_true(op.port >= 1);
	/* The command is an int: the register's upper half is not looked at. */
	op = (struct evtchn_alloc_unbound){.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	assert_int_equal(
	    do_event_channel_op(v1, EVTCHNOP_alloc_unbound | 1ULL << 32, (uintptr_t)&op), 0);
	/* The remote must exist. */
	op.remote_dom = 99;
	assert_int_equal(do_event_channel_op(v1, EVTCHNOP_alloc_unbound, (uintptr_t)&op),
			 -XEN_ESRCH);
}

static void an_ipi_port_signals_its_own_vcpu(void **state)
{
	struct evtchn_bind_ipi op = {.vcpu = 0};
	struct evtchn_status st = {.dom = DOMID_SELF};
	struct vcpu *v1 = d1->vcpus[0];

	(void)state;
	op.vcpu = 7;
	assert_int_equal(do_event_channel_op(v1, EVTCHNOP_bind_ipi, (uintptr_t)&op), -XEN_ENOENT);
	op.vcpu = 0;
	assert_int_equal(do_event_channel_op(v1, EVTCHNOP_bind_ipi, (uintptr_t)&op), 0);
	st.port = op.port;
	assert_int_equal(evtchn_status(d1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_ipi);
	assert_int_equal(st.vcpu, 0);
	assert_false(pending(d1, op.port));
	assert_int_equal(evtchn_send(d1, op.port), 0);
	assert_true(pending(d1, op.port));
	/* It stays on the vCPU it was bound for. */
	assert_int_equal(evtchn_bind_vcpu(d1, op.port, 0), -XEN_EINVAL);
	assert_int_equal(evtchn_close(d1, op.port), 0);
	assert_false(pending(d1, op.port));
	assert_int_equal(evtchn_send(d1, op.port), -XEN_EINVAL);
}

/* ---- ports bound to the hypervisor ---------------------------------------------- */

static unsigned hyp_calls;
static struct domain *hyp_last_domain;
static evtchn_port_t hyp_last_port;

static void record_hyp_event(struct domain *d, evtchn_port_t port)
{
	hyp_calls++;
	hyp_last_domain = d;
	hyp_last_port = port;
}

static void other_hyp_consumer(struct domain *d, evtchn_port_t port)
{
	(void)d;
	(void)port;
}

static void a_send_on_a_hypervisor_port_calls_its_consumer_not_the_guest(void **state)
{
	evtchn_port_t p;

	(void)state;
	hyp_calls = 0;
	assert_int_equal(evtchn_alloc_hyp(d1, record_hyp_event, &p), 0);
	assert_int_equal(evtchn_send(d1, p), 0);
	assert_int_equal(hyp_calls, 1);
	assert_ptr_equal(hyp_last_domain, d1);
	assert_int_equal(hyp_last_port, p);
	assert_false(pending(d1, p));
	assert_int_equal(upcalls(d1, 0), 0);
}

static void the_hypervisor_end_raises_the_guest_port(void **state)
{
	evtchn_port_t p;

	(void)state;
	assert_int_equal(evtchn_alloc_hyp(d1, record_hyp_event, &p), 0);
	assert_int_equal(evtchn_hyp_notify(d1, p, record_hyp_event), 0);
	assert_true(pending(d1, p));
	assert_int_equal(upcalls(d1, 0), 1);
}

static void a_closed_or_reused_hypervisor_port_cannot_be_raised(void **state)
{
	evtchn_port_t p, again;

	(void)state;
	assert_int_equal(evtchn_alloc_hyp(d1, record_hyp_event, &p), 0);
	/* Another consumer may not raise it. */
	assert_int_equal(evtchn_hyp_notify(d1, p, other_hyp_consumer), -XEN_EINVAL);
	assert_int_equal(evtchn_close(d1, p), 0);
	assert_int_equal(evtchn_hyp_notify(d1, p, record_hyp_event), -XEN_EINVAL);
	/* The guest reuses the number for something else: still refused. */
	assert_int_equal(evtchn_alloc_unbound(d1, 0, &again), 0);
	assert_int_equal(again, p);
	assert_int_equal(evtchn_hyp_notify(d1, p, record_hyp_event), -XEN_EINVAL);
	assert_false(pending(d1, p));
}

static void a_hypervisor_port_reports_xen_as_its_peer(void **state)
{
	struct evtchn_status st = {0};
	evtchn_port_t p;

	(void)state;
	assert_int_equal(evtchn_alloc_hyp(d1, record_hyp_event, &p), 0);
	st.port = p;
	assert_int_equal(evtchn_status(d1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, DOMID_XEN);
}

static void a_hypervisor_port_can_move_to_another_vcpu(void **state)
{
	evtchn_port_t p;

	(void)state;
	assert_int_equal(evtchn_alloc_hyp(d1, record_hyp_event, &p), 0);
	d1->vcpus[1]->vcpu_info = &registered[1];
	assert_int_equal(evtchn_bind_vcpu(d1, p, 1), 0);
	assert_int_equal(evtchn_hyp_notify(d1, p, record_hyp_event), 0);
	assert_int_equal(upcalls(d1, 1), 1);
	assert_int_equal(upcalls(d1, 0), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(port_zero_is_never_allocated),
	    T(alloc_unbound_takes_the_lowest_free_port),
	    T(alloc_unbound_with_domid_self_names_the_caller),
	    T(bind_interdomain_connects_both_ends_and_marks_the_new_port_pending),
	    T(bind_interdomain_needs_a_port_reserved_for_the_caller),
	    T(two_guests_may_not_talk_unless_linked),
	    T(a_configuration_link_lets_two_guests_talk),
	    T(a_static_channel_binds_both_ends_and_survives_a_peer_rebuild),
	    T(a_reserved_static_port_is_skipped_by_allocation_and_bound_later),
	    T(bind_interdomain_loopback_works),
	    T(send_raises_the_peer_upcall_only_on_the_first_edge),
	    T(send_on_an_unbound_port_is_dropped_and_on_a_free_port_fails),
	    T(a_masked_port_is_recorded_and_raised_on_unmask),
	    T(unmask_of_a_port_that_is_not_pending_raises_nothing),
	    T(close_reverts_the_peer_to_unbound_for_the_closer),
	    T(bind_virq_follows_xens_rules),
	    T(a_global_virq_reaches_its_bound_port),
	    T(bind_vcpu_moves_delivery),
	    T(events_for_a_vcpu_without_vcpu_info_are_only_recorded),
	    T(an_upcall_left_pending_at_cpu_off_is_raised_again_at_cpu_on),
	    T(cpu_on_with_no_upcall_pending_raises_none),
	    T(reset_closes_every_port),
	    T(the_4095th_port_is_the_last),
	    T(the_hypercall_checks_its_arguments),
	    T(an_ipi_port_signals_its_own_vcpu),
	    T(a_preempted_reset_continues_as_reset_cont),
	    T(a_send_on_a_hypervisor_port_calls_its_consumer_not_the_guest),
	    T(the_hypervisor_end_raises_the_guest_port),
	    T(a_closed_or_reused_hypervisor_port_cannot_be_raised),
	    T(a_hypervisor_port_reports_xen_as_its_peer),
	    T(a_hypervisor_port_can_move_to_another_vcpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
