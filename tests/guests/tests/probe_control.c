// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * sysctl and domctl from an unprivileged domain (docs/control.md). Both are the control
 * domain's alone, but the envelope is checked first: a version other than 0x15 is -EACCES
 * (Xen public/sysctl.h XEN_SYSCTL_INTERFACE_VERSION, public/domctl.h
 * XEN_DOMCTL_INTERFACE_VERSION), a domctl naming no domain -ESRCH, getdomaininfo of a
 * reserved id -EINVAL; only then every operation, known or not, is -EPERM. The odd domain
 * asks, about its peer and itself; Xen 4.17 runs these scenarios with xsm=dummy, its default
 * policy. Every expected value is what Xen 4.17 returned.
 */
#include "rt.h"

#define HYPERVISOR_sysctl 35
#define HYPERVISOR_domctl 36
#define CONTROL_VERSION	  0x15
#define NO_SUCH_DOMAIN	  77

/* The envelopes: cmd, interface_version, (domctl) domain, then a 128-byte payload. */
struct sysctl {
	uint32_t cmd, version;
	uint8_t u[128];
};
struct domctl {
	uint32_t cmd, version;
	uint16_t domain, pad[3];
	uint8_t u[128];
};

static long sysctl(uint32_t cmd, uint32_t version)
{
	struct sysctl op = {.cmd = cmd, .version = version};

	return rt_hypercall(HYPERVISOR_sysctl, (uint64_t)&op, 0, 0, 0, 0);
}

static long domctl(uint32_t cmd, uint32_t version, uint16_t domain)
{
	struct domctl op = {.cmd = cmd, .version = version, .domain = domain};

	return rt_hypercall(HYPERVISOR_domctl, (uint64_t)&op, 0, 0, 0, 0);
}

static void idle(void)
{
	rt_peer_recv();
	rt_peer_finish();
}

struct op {
	uint32_t cmd;
	const char *on_peer, *on_self;
};

static const struct op sysctls[] = {
    {1, "sysctl_readconsole_refused", 0},  {3, "sysctl_physinfo_refused", 0},
    {4, "sysctl_sched_id_refused", 0},	   {6, "sysctl_getdomaininfolist_refused", 0},
    {16, "sysctl_cputopoinfo_refused", 0}, {17, "sysctl_numainfo_refused", 0},
    {18, "sysctl_cpupool_op_refused", 0},  {2, "sysctl_tbuf_op_refused", 0},
    {22, "sysctl_pcitopoinfo_refused", 0}, {99, "sysctl_unknown_refused", 0},
};

static const struct op domctls[] = {
    {5, "getdomaininfo_of_peer_refused", "getdomaininfo_of_self_refused"},
    {17, "setdomainhandle_of_peer_refused", "setdomainhandle_of_self_refused"},
    {1, "createdomain_refused", "createdomain_self_refused"},
    {2, "destroydomain_of_peer_refused", "destroydomain_of_self_refused"},
    {3, "pausedomain_of_peer_refused", "pausedomain_of_self_refused"},
    {4, "unpausedomain_of_peer_refused", "unpausedomain_of_self_refused"},
    {9, "setvcpuaffinity_of_peer_refused", "setvcpuaffinity_of_self_refused"},
    {11, "max_mem_of_peer_refused", "max_mem_of_self_refused"},
    {12, "setvcpucontext_of_peer_refused", "setvcpucontext_of_self_refused"},
    {14, "getvcpuinfo_of_peer_refused", "getvcpuinfo_of_self_refused"},
    {15, "max_vcpus_of_peer_refused", "max_vcpus_of_self_refused"},
    {16, "scheduler_op_of_peer_refused", "scheduler_op_of_self_refused"},
    {35, "set_address_size_of_peer_refused", "set_address_size_of_self_refused"},
    {68, "setnodeaffinity_of_peer_refused", "setnodeaffinity_of_self_refused"},
    {69, "getnodeaffinity_of_peer_refused", "getnodeaffinity_of_self_refused"},
    {71, "cacheflush_of_peer_refused", "cacheflush_of_self_refused"},
    {81, "vuart_op_of_peer_refused", "vuart_op_of_self_refused"},
    {85, "get_paging_mempool_of_peer_refused", "get_paging_mempool_of_self_refused"},
    {86, "set_paging_mempool_of_peer_refused", "set_paging_mempool_of_self_refused"},
    {999, "unknown_domctl_on_peer_refused", "unknown_domctl_on_self_refused"},
};

static void asker(void)
{
	uint16_t peer = rt_scn.peer, self = rt_scn.self;

	PROBE("sysctl_bad_pointer", rt_hypercall(HYPERVISOR_sysctl, RT_UNMAPPED_VA, 0, 0, 0, 0),
	      -XEN_EFAULT);
	PROBE("sysctl_version_0x14", sysctl(3, 0x14), -XEN_EACCES);
	PROBE("sysctl_version_0x16", sysctl(3, 0x16), -XEN_EACCES);
	for (unsigned i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++)
		PROBE(sysctls[i].on_peer, sysctl(sysctls[i].cmd, CONTROL_VERSION), -XEN_EPERM);

	PROBE("domctl_bad_pointer", rt_hypercall(HYPERVISOR_domctl, RT_UNMAPPED_VA, 0, 0, 0, 0),
	      -XEN_EFAULT);
	PROBE("domctl_version_0x14", domctl(5, 0x14, peer), -XEN_EACCES);
	PROBE("domctl_unknown_domain", domctl(3, CONTROL_VERSION, NO_SUCH_DOMAIN), -XEN_ESRCH);
	PROBE("domctl_self_is_no_domain", domctl(3, CONTROL_VERSION, DOMID_SELF), -XEN_ESRCH);
	PROBE("getdomaininfo_reserved_id", domctl(5, CONTROL_VERSION, DOMID_SELF), -XEN_EINVAL);
	PROBE("getdomaininfo_past_the_last", domctl(5, CONTROL_VERSION, NO_SUCH_DOMAIN),
	      -XEN_ESRCH);
	PROBE("getdomaininfo_from_0", domctl(5, CONTROL_VERSION, 0), -XEN_EPERM);
	for (unsigned i = 0; i < sizeof(domctls) / sizeof(domctls[0]); i++) {
		PROBE(domctls[i].on_peer, domctl(domctls[i].cmd, CONTROL_VERSION, peer),
		      -XEN_EPERM);
		PROBE(domctls[i].on_self, domctl(domctls[i].cmd, CONTROL_VERSION, self),
		      -XEN_EPERM);
	}
	rt_peer_send(1);
	rt_peer_finish();
}

void test_main(void)
{
	rt_scenario_run(idle, asker);
}
