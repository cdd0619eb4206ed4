// SPDX-License-Identifier: Apache-2.0
/* A micro-guest's part in a multi-domain scenario: its arguments and messages to its peer. */
#include "rt.h"

struct rt_scenario rt_scn;
/* Whether the last event between the pair was ours (see rt_peer_send()). */
static bool sent_last;

static uint64_t need_arg(const char *key)
{
	uint64_t v;

	if (!rt_arg_u64(key, &v)) {
		rt_printf("setup failed: boot argument %s=N missing (bootargs \"%s\")\n", key,
			  rt_plat.bootargs);
		rt_error("not started as part of a scenario");
	}
	return v;
}

bool rt_wait_until_event(uint32_t port, unsigned ms)
{
	uint64_t end = rt_cntvct() + rt_cntfrq() / 1000 * ms;

	while (!rt_event_take(port)) {
		if (rt_cntvct() >= end)
			return false;
		hyp_sched_op(SCHEDOP_yield, NULL);
	}
	return true;
}

/* Forget whatever the upcall saw on a port so far. */
static void discard(uint32_t port)
{
	rt_event_take(port);
}

static bool wait_port(uint32_t port, unsigned ms)
{
	return rt_wait_until_event(port, ms);
}

/*
 * Start from a clean state on both static ports. Events may be pending from boot (binding
 * marks the binder's end pending) and the peer may start before or after us, so: each side
 * discards what it has seen on port0, then the even side, having discarded port1 too, says
 * hello on port1 until the odd side echoes one; hellos and echoes may be duplicated, so
 * the even side then sends one "done" on port0 (the odd side is listening by then) and each
 * side discards port1 once it has seen port0 from the other: every stray hello or echo was
 * sent before that event.
 *
 * The odd side keeps what it saw on port1 before it got here: when the even side started
 * first, that is its first hello, taken by the upcall as soon as rt_events_init() enabled
 * the event interrupt. Dropping it would leave both sides yielding to each other until the
 * even side's resend (docs/conformance.md, "Scenarios"); a stray from boot only costs
 * one more echo, and echoes may be duplicated anyway. Port0 must still go on the odd side:
 * a stray there would read as "done".
 */
/*
 * How long the even side waits for an echo before it says hello again. A hello is lost only
 * if the peer was not running yet and dropped it, which the runtime no longer does; the wait
 * covers a peer kept off its CPU by a loaded host (QEMU's clock is the host's), so that one
 * hello is enough (evtchn_interdomain_hello_before_peer_starts_is_answered counts them).
 */
#define HELLO_RESEND_MS 500

static void sync_with_peer(void)
{
	uint64_t end = rt_cntvct() + rt_cntfrq() / 1000 * RT_PEER_TIMEOUT_MS;

	discard(rt_scn.port[0]);
	if (rt_scn.index % 2 == 0) {
		discard(rt_scn.port[1]);
		do {
			if (rt_cntvct() >= end)
				rt_error("the peer domain did not answer hello");
			REQUIRE_EQ(rt_evtchn_send(rt_scn.port[1]), 0, "hello on a static channel");
			rt_scn.hellos++;
		} while (!wait_port(rt_scn.port[1], HELLO_RESEND_MS));
		REQUIRE_EQ(rt_evtchn_send(rt_scn.port[0]), 0, "done on a static channel");
		if (!wait_port(rt_scn.port[0], RT_PEER_TIMEOUT_MS))
			rt_error("the peer domain did not answer done");
	} else {
		while (!rt_event_take(rt_scn.port[0])) {
			if (rt_cntvct() >= end)
				rt_error("the peer domain did not say hello");
			if (rt_event_take(rt_scn.port[1]))
				REQUIRE_EQ(rt_evtchn_send(rt_scn.port[1]), 0,
					   "echo on a static channel");
			hyp_sched_op(SCHEDOP_yield, NULL);
		}
		REQUIRE_EQ(rt_evtchn_send(rt_scn.port[0]), 0, "done on a static channel");
		sent_last = true;
	}
	discard(rt_scn.port[1]);
}

void rt_scenario_init(void)
{
	rt_scn.domains = (unsigned)need_arg("rt.domains");
	rt_scn.index = (unsigned)need_arg("rt.index");
	rt_scn.self = (domid_t)need_arg("rt.self");
	rt_scn.peer = (domid_t)need_arg("rt.peer");
	rt_scn.port[0] = (uint32_t)need_arg("rt.port0");
	rt_scn.port[1] = (uint32_t)need_arg("rt.port1");
	rt_printf("scenario: domain %u of %u, domid %u, peer %u, static ports %u/%u\n",
		  rt_scn.index, rt_scn.domains, rt_scn.self, rt_scn.peer, rt_scn.port[0],
		  rt_scn.port[1]);
	rt_events_init();
	if (rt_scn.peer)
		sync_with_peer();
}

void rt_scenario_run(void (*even)(void), void (*odd)(void))
{
	rt_scenario_init();
	if (rt_scn.index % 2 == 0)
		even();
	else
		odd();
}

/*
 * Messages over the static pair. An event only sets a pending bit, so two events on one
 * channel before the peer looks at it count as one: the two sides must take turns, never
 * sending twice in a row. Both track who sent the last event; a transfer is started by the
 * side that did not (the sender pushes each bit and the receiver echoes it, or the receiver
 * asks for each bit on port0 and the sender answers on the bit's port).
 */
static void send_event(uint32_t port)
{
	REQUIRE_EQ(rt_evtchn_send(port), 0, "send on a static channel");
	sent_last = true;
}

/* Wait for an upcall on one of the two ports; which one (0/1). Gives the CPU away meanwhile. */
static unsigned wait_either(bool want0, bool want1)
{
	uint64_t end = rt_cntvct() + rt_cntfrq() / 1000 * RT_PEER_TIMEOUT_MS;

	for (;;) {
		if (want0 && rt_event_take(rt_scn.port[0]))
			break;
		if (want1 && rt_event_take(rt_scn.port[1])) {
			sent_last = false;
			return 1;
		}
		if (rt_cntvct() >= end) {
			rt_printf(
			    "waiting for port %u%s%u: pending %d/%d masked %d/%d, %u upcalls\n",
			    want0 ? rt_scn.port[0] : 0, want1 ? " or " : "",
			    want1 ? rt_scn.port[1] : 0, rt_port_pending(rt_scn.port[0]),
			    rt_port_pending(rt_scn.port[1]), rt_port_masked(rt_scn.port[0]),
			    rt_port_masked(rt_scn.port[1]), rt_upcalls);
			rt_error("the peer domain did not answer");
		}
		hyp_sched_op(SCHEDOP_yield, NULL);
	}
	sent_last = false;
	return 0;
}

void rt_peer_send(uint32_t v)
{
	bool push = !sent_last;

	for (int i = 31; i >= 0; i--) {
		unsigned bit = v >> i & 1;
		if (push) {
			send_event(rt_scn.port[bit]);
			wait_either(bit == 0, bit == 1);
		} else {
			wait_either(true, false);
			send_event(rt_scn.port[bit]);
		}
	}
}

uint32_t rt_peer_recv(void)
{
	bool pull = !sent_last;
	uint32_t v = 0;

	for (int i = 0; i < 32; i++) {
		unsigned bit;
		if (pull) {
			send_event(rt_scn.port[0]);
			bit = wait_either(true, true);
		} else {
			bit = wait_either(true, true);
			send_event(rt_scn.port[bit]);
		}
		v = v << 1 | bit;
	}
	return v;
}

void rt_peer_finish(void)
{
	const uint32_t finished = 0xf1d0;
	uint32_t got;

	if (rt_scn.index % 2 == 0) {
		rt_peer_send(finished);
		got = rt_peer_recv();
	} else {
		got = rt_peer_recv();
		rt_peer_send(finished);
	}
	CHECK_EQ(got, finished, "the peer's last message says it has finished");
}

void rt_peer_ping_pong(unsigned rounds)
{
	bool ping = !sent_last;

	for (unsigned i = 0; i < rounds; i++) {
		if (ping)
			send_event(rt_scn.port[0]);
		wait_either(true, false);
		if (!ping)
			send_event(rt_scn.port[0]);
	}
}
