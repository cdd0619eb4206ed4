// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * What an unprivileged domain gets for asking too much, and GNTTABOP_cache_flush on pages
 * another domain granted it. The even domain grants two pages (one read-only) and waits;
 * the odd one maps them (a GNTMAP_device_map mapping is refused on Arm: no device mappings
 * in a translated domain) and flushes them by the machine address the map returned: a
 * granted page it maps may be flushed, a page of the granter it does not map may not
 * (-EINVAL), nor may one once unmapped. Then it asks, about the granter, for what only a
 * control domain may ask: Xen 4.17 reads and checks the arguments first (bad pointer
 * -EFAULT, unknown domain -ESRCH), then refuses (-EPERM, or GNTST_permission_denied in a
 * status). Scenarios boot Xen with xsm=dummy (docs/conformance.md). Every expected value is
 * what Xen 4.17 returned to the odd domain.
 */
#include "rt.h"

#define REF_RW	       10
#define REF_RO	       11
#define NO_SUCH_DOMAIN 77

static uint8_t pages[2][PAGE_SIZE] PAGE_ALIGNED;

static void granter(void)
{
	rt_grant(REF_RW, rt_scn.peer, pages[0], GTF_permit_access);
	rt_grant(REF_RO, rt_scn.peer, pages[1], GTF_permit_access | GTF_readonly);
	rt_peer_send(1);
	rt_peer_recv(); /* the other side is done */
	rt_peer_finish();
}

static long gnttab(unsigned cmd, void *op)
{
	return hyp_grant_table_op(cmd, op, 1);
}

static long flush(uint64_t addr, uint32_t op)
{
	struct gnttab_cache_flush f = {.offset = 64, .length = 256, .op = op};

	f.a.dev_bus_addr = addr;
	return gnttab(GNTTABOP_cache_flush, &f);
}

static struct gnttab_map_grant_ref map(grant_ref_t ref, uint64_t gpa, uint32_t flags)
{
	struct gnttab_map_grant_ref m = {
	    .host_addr = gpa, .flags = flags, .ref = ref, .dom = rt_scn.peer, .status = 99};

	REQUIRE_EQ(gnttab(GNTTABOP_map_grant_ref, &m), 0, "map_grant_ref returns");
	return m;
}

static void unmap(const struct gnttab_map_grant_ref *m)
{
	struct gnttab_unmap_grant_ref u = {.host_addr = m->host_addr, .handle = m->handle};

	REQUIRE_EQ(gnttab(GNTTABOP_unmap_grant_ref, &u), 0, "unmap_grant_ref returns");
	REQUIRE_EQ(u.status, GNTST_okay, "unmap status");
}

static void flushes(void)
{
	uint64_t area = rt_foreign_area();
	struct gnttab_map_grant_ref dev = map(REF_RW, area, GNTMAP_host_map | GNTMAP_device_map);
	PROBE("bad_map_device_map", dev.status, GNTST_general_error);
	struct gnttab_map_grant_ref rw = map(REF_RW, area, GNTMAP_host_map);
	struct gnttab_map_grant_ref ro =
	    map(REF_RO, area + PAGE_SIZE, GNTMAP_host_map | GNTMAP_readonly);
	REQUIRE_EQ(rw.status, GNTST_okay, "map the writable grant");
	REQUIRE_EQ(ro.status, GNTST_okay, "map the read-only grant");
	PROBE("flush_mapped_grant_clean", flush(rw.dev_bus_addr, GNTTAB_CACHE_CLEAN), 0);
	PROBE("flush_mapped_grant_invalidate", flush(rw.dev_bus_addr, GNTTAB_CACHE_INVAL), 0);
	PROBE("flush_read_only_grant_invalidate", flush(ro.dev_bus_addr, GNTTAB_CACHE_INVAL), 0);
	PROBE("flush_read_only_grant_clean_invalidate",
	      flush(ro.dev_bus_addr, GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL), 0);
	/* The granter's page after the writable one: its memory, not granted to us. */
	PROBE("bad_flush_granters_page_not_mapped",
	      flush(rw.dev_bus_addr + 2 * PAGE_SIZE, GNTTAB_CACHE_CLEAN), -XEN_EINVAL);
	unmap(&ro);
	PROBE("bad_flush_after_unmap", flush(ro.dev_bus_addr, GNTTAB_CACHE_CLEAN), -XEN_EINVAL);
	unmap(&rw);
}

static void privileged_only(void)
{
	domid_t peer = rt_scn.peer;
	void *bad = (void *)RT_UNMAPPED_VA;
	struct xen_memory_domain md = {.domid = peer};
	struct xen_remove_from_physmap rf = {.domid = peer, .gpfn = (uint64_t)pages[0] >> 12};
	struct sched_remote_shutdown rs = {.domid = NO_SUCH_DOMAIN, .reason = SHUTDOWN_poweroff};
	struct xen_hvm_param hp = {.domid = peer, .index = HVM_PARAM_STORE_PFN};
	struct gnttab_query_size qs = {.dom = peer};
	struct gnttab_setup_table st = {.dom = peer, .nr_frames = 1};
	struct gnttab_get_version gv = {.dom = peer};
	struct evtchn_alloc_unbound au = {.dom = peer, .remote_dom = DOMID_SELF};
	struct evtchn_status es = {.dom = peer, .port = 1};
	struct evtchn_reset er = {.dom = peer};
	struct xen_platform_op pf = {.cmd = XENPF_settime64,
				     .interface_version = XENPF_INTERFACE_VERSION};
	char line[1024];

	PROBE("bad_current_reservation_of_peer", hyp_memory_op(XENMEM_current_reservation, &md),
	      -XEN_EPERM);
	md.domid = NO_SUCH_DOMAIN;
	PROBE("bad_current_reservation_unknown_domain",
	      hyp_memory_op(XENMEM_current_reservation, &md), -XEN_ESRCH);
	PROBE("bad_remove_from_physmap_of_peer", hyp_memory_op(XENMEM_remove_from_physmap, &rf),
	      -XEN_EPERM);
	PROBE("bad_remote_shutdown_bad_pointer", hyp_sched_op(SCHEDOP_remote_shutdown, bad),
	      -XEN_EFAULT);
	PROBE("bad_remote_shutdown_unknown_domain", hyp_sched_op(SCHEDOP_remote_shutdown, &rs),
	      -XEN_ESRCH);
	rs.domid = peer;
	PROBE("bad_remote_shutdown_of_peer", hyp_sched_op(SCHEDOP_remote_shutdown, &rs),
	      -XEN_EPERM);
	PROBE("bad_get_param_of_peer", hyp_hvm_op(HVMOP_get_param, &hp), -XEN_EPERM);
	PROBE("bad_set_param_of_peer", hyp_hvm_op(HVMOP_set_param, &hp), -XEN_EPERM);
	PROBE("bad_query_size_of_peer", gnttab(GNTTABOP_query_size, &qs), 0);
	PROBE("bad_query_size_of_peer_status", qs.status, GNTST_permission_denied);
	PROBE("bad_setup_table_of_peer", gnttab(GNTTABOP_setup_table, &st), 0);
	PROBE("bad_setup_table_of_peer_status", st.status, GNTST_permission_denied);
	PROBE("bad_get_version_of_peer", gnttab(GNTTABOP_get_version, &gv), -XEN_EPERM);
	PROBE("bad_alloc_unbound_in_peer", hyp_evtchn_op(EVTCHNOP_alloc_unbound, &au), -XEN_EPERM);
	PROBE("bad_evtchn_status_of_peer", hyp_evtchn_op(EVTCHNOP_status, &es), -XEN_EPERM);
	PROBE("bad_evtchn_reset_of_peer", hyp_evtchn_op(EVTCHNOP_reset, &er), -XEN_EPERM);
	PROBE("bad_platform_op_bad_pointer",
	      rt_hypercall(HYPERVISOR_platform_op, RT_UNMAPPED_VA, 0, 0, 0, 0), -XEN_EFAULT);
	PROBE("bad_platform_op", rt_hypercall(HYPERVISOR_platform_op, (uint64_t)&pf, 0, 0, 0, 0),
	      -XEN_EPERM);
	/* The hypervisor's command line is the control domain's to read: others get "<denied>". */
	memset(line, 0x55, sizeof(line));
	PROBE("commandline_denied", hyp_xen_version(XENVER_commandline, line), 0);
	PROBE("commandline_denied_text", rt_strncmp(line, "<denied>", 9), 0);
	/* A global VIRQ goes to the hardware domain; binding one elsewhere is allowed (4.17). */
	{
		struct evtchn_bind_virq bv = {.virq = VIRQ_DOM_EXC, .vcpu = 0};
		PROBE("bind_global_virq", hyp_evtchn_op(EVTCHNOP_bind_virq, &bv), 0);
	}
	/* dom0less domains count as console domains on Xen, which keeps their text (debug). */
	PROBE("console_io_write", hyp_console_io(CONSOLEIO_write, 3, "x\n"), 0);
}

static void mapper(void)
{
	rt_peer_recv(); /* granted */
	flushes();
	privileged_only();
	rt_peer_send(2);
	rt_peer_finish();
}

void test_main(void)
{
	rt_scenario_run(granter, mapper);
}
