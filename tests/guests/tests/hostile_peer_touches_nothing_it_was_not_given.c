// SPDX-License-Identifier: Apache-2.0
// domains: 2
/*
 * A hostile guest against its linked peer (the victim): it tries grants it was not given,
 * ports it does not own, operations that name the victim's domain, and floods the one
 * channel it may use. Xen 4.17's answers: mapping or copying an entry that is not granted
 * to the caller, or is read-only for a write, is GNTST_general_error; naming the victim's
 * frame by number in a copy is GNTST_permission_denied; binding a port the victim keeps for
 * itself is -EINVAL; closing or sending on a port the caller does not have is -EINVAL; an
 * unprivileged domain acting on another domain's event channels, HVM parameters (setting or
 * reading them) or physmap gets -EPERM. A flood only ever sets the victim's pending bit: the victim
 * sees at least one event and at most one per send, and afterwards its memory, grant entries and
 * ports are as before and the static channel still works.
 */
#include "rt.h"

#define REF_RO_FOR_PEER 20 /* read-only grant to the attacker */
#define REF_FOR_SELF	21 /* a grant the victim made to itself */
#define REF_NOTHING	22 /* an entry that grants nothing */
#define NOT_OURS_PORT	300
#define FLOOD_SENDS	20000

static uint8_t secret[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t shared_ro[PAGE_SIZE] PAGE_ALIGNED;

static uint16_t flags_of(grant_ref_t ref)
{
	return __atomic_load_n(&rt_gnttab()[ref].flags, __ATOMIC_SEQ_CST);
}

static bool all_bytes(const uint8_t *p, uint8_t v)
{
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (__atomic_load_n(&p[i], __ATOMIC_RELAXED) != v)
			return false;
	return true;
}

static uint32_t alloc_unbound(domid_t remote)
{
	struct evtchn_alloc_unbound op = {.dom = DOMID_SELF, .remote_dom = remote};

	REQUIRE_EQ(hyp_evtchn_op(EVTCHNOP_alloc_unbound, &op), 0, "alloc_unbound");
	return op.port;
}

static void victim(void)
{
	struct evtchn_status st = {.dom = DOMID_SELF};
	uint32_t own, flood;
	unsigned seen = 0;

	memset(secret, 0x77, sizeof(secret));
	memset(shared_ro, 0x42, sizeof(shared_ro));
	rt_grant(REF_RO_FOR_PEER, rt_scn.peer, shared_ro, GTF_permit_access | GTF_readonly);
	rt_grant(REF_FOR_SELF, rt_scn.self, secret, GTF_permit_access);
	rt_grant(REF_NOTHING, rt_scn.peer, secret, GTF_invalid);
	own = alloc_unbound(DOMID_SELF);
	flood = alloc_unbound(rt_scn.peer);
	rt_peer_send(own);
	rt_peer_send(flood);
	rt_peer_send((uint32_t)(uintptr_t)secret >> 12);

	uint32_t sent = rt_peer_recv(); /* the attacker is done */
	while (rt_event_take(flood))
		seen++;
	rt_printf("attacker sent %u events, %u upcall dispatches seen\n", sent, seen);
	CHECK_EQ(sent, FLOOD_SENDS, "sends the attacker reports");
	CHECK(seen >= 1 && seen <= sent, "the flood raised the port, at most once per send");
	CHECK(all_bytes(secret, 0x77), "the page never granted is unchanged");
	CHECK(all_bytes(shared_ro, 0x42), "the read-only granted page is unchanged");
	CHECK_EQ(flags_of(REF_RO_FOR_PEER), GTF_permit_access | GTF_readonly,
		 "the read-only entry carries no in-use flag");
	CHECK_EQ(flags_of(REF_FOR_SELF), GTF_permit_access, "our own entry is untouched");
	CHECK_EQ(flags_of(REF_NOTHING), GTF_invalid, "the empty entry is untouched");
	st.port = own;
	CHECK_EQ(rt_evtchn_status(own, &st), 0, "status of the port we keep for ourselves");
	CHECK_EQ(st.status, EVTCHNSTAT_unbound, "it is still unbound");
	CHECK_EQ(st.u.unbound.dom, rt_scn.self, "still for ourselves");
	st.port = flood;
	CHECK_EQ(rt_evtchn_status(flood, &st), 0, "status of the flooded port");
	CHECK_EQ(st.status, EVTCHNSTAT_unbound, "the attacker's close left it unbound for it");
	rt_peer_ping_pong(10);
}

static int16_t map(grant_ref_t ref, uint64_t gpa, uint32_t flags)
{
	struct gnttab_map_grant_ref op = {
	    .host_addr = gpa, .flags = flags, .ref = ref, .dom = rt_scn.peer, .status = 99};

	CHECK_EQ(hyp_grant_table_op(GNTTABOP_map_grant_ref, &op, 1), 0, "map_grant_ref returns");
	if (op.status == GNTST_okay) {
		struct gnttab_unmap_grant_ref un = {.host_addr = gpa, .handle = op.handle};
		hyp_grant_table_op(GNTTABOP_unmap_grant_ref, &un, 1);
	}
	return op.status;
}

static int16_t copy(struct gnttab_copy op)
{
	op.status = 99;
	CHECK_EQ(hyp_grant_table_op(GNTTABOP_copy, &op, 1), 0, "copy returns");
	return op.status;
}

static void try_grants(uint32_t secret_gfn)
{
	uint64_t area = rt_foreign_area();
	static uint8_t mine[PAGE_SIZE] PAGE_ALIGNED;
	struct gnttab_copy_ptr local = {.u.gmfn = (uintptr_t)mine >> 12, .domid = DOMID_SELF};

	CHECK_EQ(map(REF_RO_FOR_PEER, area, GNTMAP_host_map), GNTST_general_error,
		 "map a read-only grant writable");
	CHECK_EQ(map(REF_FOR_SELF, area, GNTMAP_host_map | GNTMAP_readonly), GNTST_general_error,
		 "map an entry the victim granted to itself");
	CHECK_EQ(map(REF_NOTHING, area, GNTMAP_host_map | GNTMAP_readonly), GNTST_general_error,
		 "map an entry that grants nothing");
	CHECK_EQ(map(REF_RO_FOR_PEER, area, GNTMAP_host_map | GNTMAP_readonly), GNTST_okay,
		 "map what we were given, as given");
	memset(mine, 0xee, sizeof(mine));
	CHECK_EQ(copy((struct gnttab_copy){.source = local,
					   .dest = {.u.ref = REF_RO_FOR_PEER, .domid = rt_scn.peer},
					   .len = 64,
					   .flags = GNTCOPY_dest_gref}),
		 GNTST_general_error, "copy into a read-only grant");
	CHECK_EQ(copy((struct gnttab_copy){.source = {.u.ref = REF_FOR_SELF, .domid = rt_scn.peer},
					   .dest = local,
					   .len = 64,
					   .flags = GNTCOPY_source_gref}),
		 GNTST_general_error, "copy out of an entry granted to someone else");
	CHECK_EQ(copy((struct gnttab_copy){.source = {.u.gmfn = secret_gfn, .domid = rt_scn.peer},
					   .dest = local,
					   .len = 64}),
		 GNTST_permission_denied, "copy the victim's frame named by number");
}

static void try_ports(uint32_t own)
{
	struct evtchn_bind_interdomain bind = {.remote_dom = rt_scn.peer, .remote_port = own};
	struct evtchn_close close = {.port = NOT_OURS_PORT};
	struct evtchn_send send = {.port = NOT_OURS_PORT};
	struct evtchn_status st = {.dom = rt_scn.peer, .port = own};
	struct evtchn_alloc_unbound alloc = {.dom = rt_scn.peer, .remote_dom = rt_scn.self};

	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_bind_interdomain, &bind), -XEN_EINVAL,
		 "bind a port the victim keeps for itself");
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_close, &close), -XEN_EINVAL, "close a port we lack");
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_send, &send), -XEN_EINVAL, "send on a port we lack");
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_status, &st), -XEN_EPERM, "status of the victim's port");
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_alloc_unbound, &alloc), -XEN_EPERM,
		 "allocate a port in the victim");
}

static void try_domain_ops(void)
{
	struct xen_hvm_param param = {
	    .domid = rt_scn.peer, .index = HVM_PARAM_CALLBACK_IRQ, .value = 0};
	struct xen_add_to_physmap xatp = {
	    .domid = rt_scn.peer, .space = XENMAPSPACE_shared_info, .idx = 0, .gpfn = 0x40000};

	CHECK_EQ(hyp_hvm_op(HVMOP_set_param, &param), -XEN_EPERM,
		 "set the victim's callback parameter");
	param.value = 0x5555;
	CHECK_EQ(hyp_hvm_op(HVMOP_get_param, &param), -XEN_EPERM,
		 "read the victim's callback parameter");
	CHECK_EQ(param.value, 0x5555, "nothing read back of the victim's parameter");
	CHECK_EQ(hyp_memory_op(XENMEM_add_to_physmap, &xatp), -XEN_EPERM,
		 "map a page into the victim's physmap");
}

static void attacker(void)
{
	uint32_t own = rt_peer_recv(), flood = rt_peer_recv(), secret_gfn = rt_peer_recv();
	struct evtchn_bind_interdomain bind = {.remote_dom = rt_scn.peer, .remote_port = flood};
	struct evtchn_close close;

	try_grants(secret_gfn);
	try_ports(own);
	try_domain_ops();
	REQUIRE_EQ(hyp_evtchn_op(EVTCHNOP_bind_interdomain, &bind), 0,
		   "bind the port the victim gave us");
	for (unsigned i = 0; i < FLOOD_SENDS; i++)
		if (rt_evtchn_send(bind.local_port))
			rt_error("a send on our own channel failed");
	close.port = bind.local_port;
	CHECK_EQ(hyp_evtchn_op(EVTCHNOP_close, &close), 0, "close our end");
	rt_peer_send(FLOOD_SENDS);
	rt_peer_ping_pong(10);
}

void test_main(void)
{
	rt_scenario_run(victim, attacker);
}
