// SPDX-License-Identifier: MIT
#ifndef PUBLIC_SCHED_H
#define PUBLIC_SCHED_H

/* sched_op (hypercall 29): x0 = command, x1 = argument (guest VA) or 0. */

#include "xen.h"

#define SCHEDOP_yield		0
#define SCHEDOP_block		1
#define SCHEDOP_shutdown	2
#define SCHEDOP_poll		3
#define SCHEDOP_remote_shutdown 4
#define SCHEDOP_shutdown_code	5
#define SCHEDOP_watchdog	6

#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot	    1
#define SHUTDOWN_suspend    2
#define SHUTDOWN_crash	    3
#define SHUTDOWN_watchdog   4
#define SHUTDOWN_soft_reset 5

struct sched_shutdown {
	uint32_t reason; /* SHUTDOWN_* */
};
XEN_CHECK_SIZE(struct sched_shutdown, 4);

struct sched_poll {
	uint64_t ports_gva; /* evtchn_port_t[nr_ports] */
	uint32_t nr_ports;
	uint32_t pad0;
	uint64_t timeout; /* absolute system time in ns; 0: none */
};
XEN_CHECK_SIZE(struct sched_poll, 24);
XEN_CHECK_OFFSET(struct sched_poll, ports_gva, 0);
XEN_CHECK_OFFSET(struct sched_poll, nr_ports, 8);
XEN_CHECK_OFFSET(struct sched_poll, timeout, 16);

struct sched_remote_shutdown {
	domid_t domid;
	uint16_t pad0;
	uint32_t reason;
};
XEN_CHECK_SIZE(struct sched_remote_shutdown, 8);
XEN_CHECK_OFFSET(struct sched_remote_shutdown, domid, 0);
XEN_CHECK_OFFSET(struct sched_remote_shutdown, reason, 4);

struct sched_watchdog {
	uint32_t id;
	uint32_t timeout;
};
XEN_CHECK_SIZE(struct sched_watchdog, 8);
XEN_CHECK_OFFSET(struct sched_watchdog, id, 0);
XEN_CHECK_OFFSET(struct sched_watchdog, timeout, 4);

#endif
