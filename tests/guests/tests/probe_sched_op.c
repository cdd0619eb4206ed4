// SPDX-License-Identifier: Apache-2.0
/*
 * sched_op with bad input, as dom0 (xen/common/sched/core.c, do_sched_op(int cmd, ...): the
 * upper half of x0 is ignored). Nothing here shuts the machine down or blocks for long: poll
 * is only asked with a timeout already past or a port already pending. Every expected value
 * is what Xen 4.17 returned to this guest.
 */
#include "rt.h"

#define NO_SUCH_DOMAIN 77

static long sched(uint64_t cmd, void *arg)
{
	return rt_hypercall(HYPERVISOR_sched_op, cmd, (uint64_t)arg, 0, 0, 0);
}

static long poll(uint32_t *ports, uint32_t nr, uint64_t timeout)
{
	struct sched_poll p = {.ports_gva = (uint64_t)ports, .nr_ports = nr, .timeout = timeout};

	return sched(SCHEDOP_poll, &p);
}

static void commands(void)
{
	uint8_t buf[32] = {0};

	PROBE("yield", sched(SCHEDOP_yield, NULL), 0);
	PROBE("bad_cmd_upper_half", sched((1ull << 32) | SCHEDOP_yield, NULL), 0);
	PROBE("bad_unknown_cmd", sched(99, buf), -XEN_ENOSYS);
	PROBE("bad_cmd_minus_1", sched(0xffffffffu, buf), -XEN_ENOSYS);
	PROBE("bad_shutdown_bad_pointer", sched(SCHEDOP_shutdown, (void *)RT_UNMAPPED_VA),
	      -XEN_EFAULT);
	PROBE("bad_shutdown_code_bad_pointer", sched(SCHEDOP_shutdown_code, (void *)RT_UNMAPPED_VA),
	      -XEN_EFAULT);
	/* The code a later shutdown reports; poweroff is what this guest does at the end anyway. */
	struct sched_shutdown code = {.reason = SHUTDOWN_poweroff};
	PROBE("shutdown_code_poweroff", sched(SCHEDOP_shutdown_code, &code), 0);

	struct sched_remote_shutdown rs = {.domid = NO_SUCH_DOMAIN, .reason = SHUTDOWN_poweroff};
	PROBE("bad_remote_shutdown_unknown_domain", sched(SCHEDOP_remote_shutdown, &rs),
	      -XEN_ESRCH);
	/* Looked up by id only: DOMID_SELF names no domain here. */
	rs.domid = DOMID_SELF;
	PROBE("bad_remote_shutdown_domid_self", sched(SCHEDOP_remote_shutdown, &rs), -XEN_ESRCH);
	PROBE("bad_remote_shutdown_bad_pointer",
	      sched(SCHEDOP_remote_shutdown, (void *)RT_UNMAPPED_VA), -XEN_EFAULT);
}

static void polls(void)
{
	uint32_t ports[2] = {0, 0};
	uint32_t unbound, bound;

	PROBE("bad_poll_bad_pointer", sched(SCHEDOP_poll, (void *)RT_UNMAPPED_VA), -XEN_EFAULT);
	PROBE("bad_poll_129_ports", poll(ports, 129, 1), -XEN_EINVAL);
	PROBE("bad_poll_bad_ports_pointer", poll((uint32_t *)RT_UNMAPPED_VA, 1, 1), -XEN_EFAULT);
	ports[0] = 5000;
	PROBE("bad_poll_no_such_port", poll(ports, 1, 1), -XEN_EINVAL);
	PROBE("poll_nothing_timeout_past", poll(ports, 0, 1), 0);
	rt_shared_info();
	REQUIRE_EQ(rt_evtchn_loopback(&unbound, &bound), 0, "loopback pair");
	rt_port_set_mask(unbound, true);
	rt_port_clear_pending(unbound);
	REQUIRE_EQ(rt_evtchn_send(bound), 0, "send");
	/* A port that is pending ends the poll before a later bad one is looked at. */
	ports[0] = unbound;
	ports[1] = 5000;
	PROBE("poll_pending_port", poll(ports, 2, 0), 0);
}

static void watchdogs(void)
{
	struct sched_watchdog w = {.id = 3, .timeout = 100};

	PROBE("bad_watchdog_bad_pointer", sched(SCHEDOP_watchdog, (void *)RT_UNMAPPED_VA),
	      -XEN_EFAULT);
	/* Two watchdogs per domain: ids 1 and 2. */
	PROBE("bad_watchdog_id_3", sched(SCHEDOP_watchdog, &w), -XEN_EINVAL);
	w.id = 1;
	PROBE("bad_watchdog_id_1_not_set", sched(SCHEDOP_watchdog, &w), -XEN_EINVAL);
}

void test_main(void)
{
	commands();
	polls();
	watchdogs();
}
