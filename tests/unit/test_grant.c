// SPDX-License-Identifier: Apache-2.0
/*
 * Grant tables between domains (hyp/core/grant_*.c) against Xen 4.17's
 * rules, with domains the core built and tears down on the fake architecture: map/unmap into the
 * mapper's stage-2, read-only grants, the in-use flags in the granter's entry, copy, the status
 * codes of every refusal, and what happens to mappings when either side goes away.
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
#include <public/sched.h>
#include <punt/grant_table.h>
#include <punt/hypercall.h>
#include <punt/page_alloc.h>

#define RAM_GFN	 MACHINE_DOMAIN_GFN /* every test domain's RAM starts here */
#define HOLE_GFN 0x80000UL	    /* outside every test domain's RAM */

static struct domain *dom0, *granter, *mapper, *stranger;
static struct vcpu *mapper_vcpu, *stranger_vcpu;

/* Four domains the core's builder made on a machine of cpus CPUs; the mapper runs. */
static void build_domains(unsigned cpus)
{
	machine_boot(cpus);
	dom0 = machine_domain(0, 1, true);
	granter = machine_domain(1, 1, false);
	mapper = machine_domain(2, cpus > 1 ? 2 : 1, false);
	stranger = machine_domain(3, 1, false);
	granter->links = 1UL << 2; /* granter and mapper are linked by configuration */
	mapper->links = 1UL << 1;
	mapper_vcpu = mapper->vcpus[0];
	stranger_vcpu = stranger->vcpus[0];
	/* Batches poll for preemption on the CPU of the vCPU that called. */
	machine_run(mapper_vcpu);
}

static int setup(void **state)
{
	(void)state;
	build_domains(1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	machine_halt();
	return 0;
}

/* Punt's pointer to page i of d's RAM. */
static uint8_t *ram_page(struct domain *d, unsigned i)
{
	return machine_ram(d, RAM_GFN + i);
}

/* Frames of d's stage-2 that map another domain's page through a grant. */
static uint64_t grant_frames_mapped(struct domain *d)
{
	return fake_p2m_frames(d, P2M_GRANT_RW) + fake_p2m_frames(d, P2M_GRANT_RO);
}

/*
 * Entry ref of d's table, where its guest writes it (without any lock, as a guest does);
 * the core finds it only with d's lock held.
 */
static struct grant_entry_v1 *entry_of(struct domain *d, grant_ref_t ref)
{
	struct domain_locked l = domain_lock(d);
	struct grant_entry_v1 *e = grant_entry(l, ref);

	domain_unlock(&l);
	return e;
}

static void grant(struct domain *d, grant_ref_t ref, domid_t to, unsigned page, uint16_t flags)
{
	struct grant_entry_v1 *e = entry_of(d, ref);

	e->domid = to;
	e->frame = (uint32_t)(RAM_GFN + page);
	__atomic_store_n(&e->flags, flags, __ATOMIC_RELEASE);
}

static uint16_t flags_of(struct domain *d, grant_ref_t ref)
{
	return entry_of(d, ref)->flags;
}

static struct gnttab_map_grant_ref map(struct vcpu *v, domid_t dom, grant_ref_t ref, uint64_t gfn,
				       uint32_t flags)
{
	struct gnttab_map_grant_ref op = {
	    .host_addr = gfn << 12, .flags = flags, .ref = ref, .dom = dom};

	assert_int_equal(do_grant_table_op(v, GNTTABOP_map_grant_ref, (uint64_t)&op, 1, 0, 0), 0);
	return op;
}

static int16_t unmap(struct vcpu *v, uint64_t gfn, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = {.host_addr = gfn << 12, .handle = handle};

	assert_int_equal(do_grant_table_op(v, GNTTABOP_unmap_grant_ref, (uint64_t)&op, 1, 0, 0), 0);
	return op.status;
}

static void a_writable_mapping_shares_the_page_and_marks_the_entry(void **state)
{
	uint64_t mfn;

	(void)state;
	grant(granter, 8, 2, 3, GTF_permit_access);
	struct gnttab_map_grant_ref op = map(mapper_vcpu, 1, 8, HOLE_GFN, GNTMAP_host_map);
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(p2m_lookup(mapper, HOLE_GFN, &mfn), P2M_GRANT_RW);
	assert_int_equal(mfn << 12, (uint64_t)(uintptr_t)ram_page(granter, 3));
	assert_int_equal(op.dev_bus_addr, mfn << 12);
	assert_int_equal(flags_of(granter, 8), GTF_permit_access | GTF_reading | GTF_writing);

	assert_int_equal(unmap(mapper_vcpu, HOLE_GFN, op.handle), GNTST_okay);
	assert_int_equal(p2m_lookup(mapper, HOLE_GFN, NULL), P2M_INVALID);
	assert_int_equal(flags_of(granter, 8), GTF_permit_access);
	/* The handle is gone: a second unmap is refused. */
	assert_int_equal(unmap(mapper_vcpu, HOLE_GFN, op.handle), GNTST_bad_handle);
}

static void a_read_only_grant_maps_only_read_only(void **state)
{
	(void)state;
	grant(granter, 9, 2, 1, GTF_permit_access | GTF_readonly);
	struct gnttab_map_grant_ref op = map(mapper_vcpu, 1, 9, HOLE_GFN, GNTMAP_host_map);
	assert_int_equal(op.status, GNTST_general_error);
	assert_int_equal(flags_of(granter, 9), GTF_permit_access | GTF_readonly);
	assert_int_equal(grant_frames_mapped(mapper), 0);

	op = map(mapper_vcpu, 1, 9, HOLE_GFN, GNTMAP_host_map | GNTMAP_readonly);
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(p2m_lookup(mapper, HOLE_GFN, NULL), P2M_GRANT_RO);
	assert_int_equal(flags_of(granter, 9), GTF_permit_access | GTF_readonly | GTF_reading);
	assert_int_equal(unmap(mapper_vcpu, HOLE_GFN, op.handle), GNTST_okay);
	assert_int_equal(flags_of(granter, 9), GTF_permit_access | GTF_readonly);
}

static void in_use_flags_follow_the_last_mapping(void **state)
{
	(void)state;
	grant(granter, 10, 2, 0, GTF_permit_access);
	struct gnttab_map_grant_ref rw = map(mapper_vcpu, 1, 10, HOLE_GFN, GNTMAP_host_map);
	struct gnttab_map_grant_ref ro =
	    map(mapper_vcpu, 1, 10, HOLE_GFN + 1, GNTMAP_host_map | GNTMAP_readonly);
	assert_int_equal(rw.status, GNTST_okay);
	assert_int_equal(ro.status, GNTST_okay);
	assert_int_not_equal(rw.handle, ro.handle);
	assert_int_equal(unmap(mapper_vcpu, HOLE_GFN, rw.handle), GNTST_okay);
	assert_int_equal(flags_of(granter, 10), GTF_permit_access | GTF_reading);
	assert_int_equal(unmap(mapper_vcpu, HOLE_GFN + 1, ro.handle), GNTST_okay);
	assert_int_equal(flags_of(granter, 10), GTF_permit_access);
}

static void refusals_carry_xens_status_codes(void **state)
{
	(void)state;
	grant(granter, 11, 2, 2, GTF_permit_access);
	grant(granter, 12, 3, 2, GTF_permit_access); /* for someone else */
	grant(granter, 13, 2, 2, GTF_invalid);
	assert_int_equal(map(mapper_vcpu, 1, 11, HOLE_GFN, 0).status, GNTST_bad_gntref);
	assert_int_equal(map(mapper_vcpu, 42, 11, HOLE_GFN, GNTMAP_host_map).status,
			 GNTST_bad_domain);
	assert_int_equal(map(mapper_vcpu, DOMID_SELF, 11, HOLE_GFN, GNTMAP_host_map).status,
			 GNTST_bad_domain);
	assert_int_equal(map(stranger_vcpu, 1, 12, HOLE_GFN, GNTMAP_host_map).status,
			 GNTST_permission_denied);
	assert_int_equal(map(mapper_vcpu, 1, 512, HOLE_GFN, GNTMAP_host_map).status,
			 GNTST_bad_gntref);
	assert_int_equal(map(mapper_vcpu, 1, 12, HOLE_GFN, GNTMAP_host_map).status,
			 GNTST_general_error);
	assert_int_equal(map(mapper_vcpu, 1, 13, HOLE_GFN, GNTMAP_host_map).status,
			 GNTST_general_error);
	/* Over the mapper's own RAM: refused, and the entry is left as it was. */
	assert_int_equal(map(mapper_vcpu, 1, 11, RAM_GFN, GNTMAP_host_map).status,
			 GNTST_general_error);
	assert_int_equal(flags_of(granter, 11), GTF_permit_access);
	/* Beyond the mapper's address space. */
	assert_int_equal(map(mapper_vcpu, 1, 11, 1UL << 40, GNTMAP_host_map).status,
			 GNTST_general_error);
	assert_int_equal(grant_frames_mapped(mapper), 0);
	/* Unmapping what was never mapped, or at the wrong address. */
	assert_int_equal(unmap(mapper_vcpu, HOLE_GFN, 0), GNTST_bad_handle);
	assert_int_equal(unmap(mapper_vcpu, HOLE_GFN, 0xffffffffu), GNTST_bad_handle);
	struct gnttab_map_grant_ref op = map(mapper_vcpu, 1, 11, HOLE_GFN, GNTMAP_host_map);
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(unmap(mapper_vcpu, HOLE_GFN + 5, op.handle), GNTST_general_error);
	assert_int_equal(unmap(stranger_vcpu, HOLE_GFN, op.handle), GNTST_bad_handle);
	assert_int_equal(unmap(mapper_vcpu, HOLE_GFN, op.handle), GNTST_okay);
}

static void the_granters_own_frames_cannot_be_granted(void **state)
{
	struct grant_entry_v1 *e = entry_of(granter, 14);

	(void)state;
	/* A gfn outside its RAM (say, where it mapped its grant table) is not grantable. */
	e->domid = 2;
	e->frame = 0x38000;
	e->flags = GTF_permit_access;
	assert_int_equal(map(mapper_vcpu, 1, 14, HOLE_GFN, GNTMAP_host_map).status,
			 GNTST_general_error);
	assert_int_equal(flags_of(granter, 14), GTF_permit_access);
}

static struct gnttab_copy copy(struct vcpu *v, struct gnttab_copy op)
{
	assert_int_equal(do_grant_table_op(v, GNTTABOP_copy, (uint64_t)&op, 1, 0, 0), 0);
	return op;
}

static void copy_moves_bytes_both_ways_and_leaves_no_flags(void **state)
{
	(void)state;
	grant(granter, 20, 2, 4, GTF_permit_access);
	memcpy(ram_page(granter, 4) + 100, "from granter", 13);
	struct gnttab_copy op = copy(
	    mapper_vcpu,
	    (struct gnttab_copy){.source = {.u.ref = 20, .domid = 1, .offset = 100},
				 .dest = {.u.gmfn = RAM_GFN + 6, .domid = DOMID_SELF, .offset = 8},
				 .len = 13,
				 .flags = GNTCOPY_source_gref});
	assert_int_equal(op.status, GNTST_okay);
	assert_string_equal((char *)ram_page(mapper, 6) + 8, "from granter");
	assert_int_equal(flags_of(granter, 20), GTF_permit_access);

	memcpy(ram_page(mapper, 5), "from mapper", 12);
	op = copy(mapper_vcpu,
		  (struct gnttab_copy){.source = {.u.gmfn = RAM_GFN + 5, .domid = DOMID_SELF},
				       .dest = {.u.ref = 20, .domid = 1, .offset = 4084},
				       .len = 12,
				       .flags = GNTCOPY_dest_gref});
	assert_int_equal(op.status, GNTST_okay);
	assert_string_equal((char *)ram_page(granter, 4) + 4084, "from mapper");
	assert_int_equal(flags_of(granter, 20), GTF_permit_access);
}

static void copy_refusals_carry_xens_status_codes(void **state)
{
	(void)state;
	grant(granter, 21, 2, 4, GTF_permit_access | GTF_readonly);
	grant(granter, 22, 2, 4, GTF_permit_access);
	struct gnttab_copy_ptr own = {.u.gmfn = RAM_GFN, .domid = DOMID_SELF};
	struct gnttab_copy_ptr ro = {.u.ref = 21, .domid = 1};
	struct gnttab_copy_ptr rw = {.u.ref = 22, .domid = 1};

	/* Writing into a read-only grant. */
	assert_int_equal(copy(mapper_vcpu,
			      (struct gnttab_copy){
				  .source = own, .dest = ro, .len = 1, .flags = GNTCOPY_dest_gref})
			     .status,
			 GNTST_general_error);
	/* Past the end of a page: nothing copied, nothing left marked. */
	assert_int_equal(
	    copy(mapper_vcpu,
		 (struct gnttab_copy){.source = own,
				      .dest = {.u.ref = 22, .domid = 1, .offset = 4000},
				      .len = 97,
				      .flags = GNTCOPY_dest_gref})
		.status,
	    GNTST_bad_copy_arg);
	assert_int_equal(flags_of(granter, 22), GTF_permit_access);
	/* A frame of another domain by number: only DOMID_SELF may be named that way. */
	assert_int_equal(copy(mapper_vcpu,
			      (struct gnttab_copy){
				  .source = {.u.gmfn = RAM_GFN, .domid = 1}, .dest = own, .len = 1})
			     .status,
			 GNTST_permission_denied);
	/* Not RAM of the caller. */
	assert_int_equal(
	    copy(mapper_vcpu,
		 (struct gnttab_copy){
		     .source = {.u.gmfn = HOLE_GFN, .domid = DOMID_SELF}, .dest = own, .len = 1})
		.status,
	    GNTST_bad_page);
	/* Unknown granter, ref past the end, and a domain the policy keeps apart. */
	assert_int_equal(copy(mapper_vcpu, (struct gnttab_copy){.source = {.u.ref = 22, .domid = 9},
								.dest = own,
								.len = 1,
								.flags = GNTCOPY_source_gref})
			     .status,
			 GNTST_bad_domain);
	assert_int_equal(
	    copy(mapper_vcpu, (struct gnttab_copy){.source = {.u.ref = 5000, .domid = 1},
						   .dest = own,
						   .len = 1,
						   .flags = GNTCOPY_source_gref})
		.status,
	    GNTST_bad_gntref);
	assert_int_equal(copy(stranger_vcpu, (struct gnttab_copy){.source = rw,
								  .dest = own,
								  .len = 1,
								  .flags = GNTCOPY_source_gref})
			     .status,
			 GNTST_permission_denied);
	assert_int_equal(flags_of(granter, 21), GTF_permit_access | GTF_readonly);
	assert_int_equal(flags_of(granter, 22), GTF_permit_access);
}

static void a_granter_that_goes_away_takes_its_pages_out_of_the_mapper(void **state)
{
	(void)state;
	grant(granter, 30, 2, 1, GTF_permit_access);
	struct gnttab_map_grant_ref op = map(mapper_vcpu, 1, 30, HOLE_GFN, GNTMAP_host_map);
	assert_int_equal(op.status, GNTST_okay);
	machine_destroy(granter);
	granter = NULL;
	/* The page is no longer reachable from the mapper; its handle still unmaps cleanly. */
	assert_int_equal(p2m_lookup(mapper, HOLE_GFN, NULL), P2M_INVALID);
	assert_int_equal(mapper->grant->mappings, 1);
	assert_int_equal(unmap(mapper_vcpu, HOLE_GFN, op.handle), GNTST_okay);
	assert_int_equal(mapper->grant->mappings, 0);
	/* A new domain with the old id is not confused with the one that went away. */
	granter = machine_domain(1, 1, false);
	granter->links = 1UL << 2;
	grant(granter, 30, 2, 1, GTF_permit_access);
	assert_int_equal(unmap(mapper_vcpu, HOLE_GFN, op.handle), GNTST_bad_handle);
	assert_int_equal(flags_of(granter, 30), GTF_permit_access);
}

static void a_mapper_that_goes_away_gives_its_pins_back(void **state)
{
	(void)state;
	grant(granter, 31, 2, 1, GTF_permit_access);
	assert_int_equal(map(mapper_vcpu, 1, 31, HOLE_GFN, GNTMAP_host_map).status, GNTST_okay);
	assert_int_equal(map(mapper_vcpu, 1, 31, HOLE_GFN + 1, GNTMAP_host_map).status, GNTST_okay);
	assert_int_equal(flags_of(granter, 31), GTF_permit_access | GTF_reading | GTF_writing);
	machine_destroy(mapper);
	mapper = NULL;
	assert_int_equal(flags_of(granter, 31), GTF_permit_access);
}

static void reap_on(unsigned cpu)
{
	fake_cpu_switch(cpu);
	domain_reaper_poll(cpu);
}

/*
 * Meanwhile, on the stranger's CPU: the rebuilt granter grants its ref 32 to the stranger,
 * which maps it. Called as the mapper's last vCPU is dropped, after the old granter was freed
 * and built again and before the mapper's own teardown gives back its pins.
 */
static void stranger_maps_the_new_granter(struct vcpu *dropped, void *arg)
{
	(void)dropped;
	(void)arg;
	granter = domain_lookup(1);
	assert_non_null(granter);
	granter->links = (1UL << 2) | (1UL << 3);
	stranger->links = 1UL << 1;
	grant(granter, 32, 3, 1, GTF_permit_access);
	assert_int_equal(map(stranger_vcpu, 1, 32, HOLE_GFN, GNTMAP_host_map).status, GNTST_okay);
}

/*
 * Two domains going away at once, on three CPUs: the mapper is dying, its two vCPUs still
 * loaded on two CPUs, when the granter's teardown runs on the third. Its mapping of the
 * granter's page must be revoked all the same; and when the granter is rebuilt (a reboot)
 * before the mapper's teardown ends, the mapper's teardown must not give back a pin of the
 * new domain with the old id.
 */
static void a_dying_mapper_loses_its_mappings_and_leaves_a_new_granter_alone(void **state)
{
	(void)state;
	machine_halt();
	build_domains(3);
	machine_run(mapper->vcpus[1]);
	unsigned on0 = mapper->vcpus[0]->arch.loaded_on, on1 = mapper->vcpus[1]->arch.loaded_on;
	assert_true(mapper->vcpus[0]->arch.loaded && mapper->vcpus[1]->arch.loaded);
	assert_int_not_equal(on0, on1);
	unsigned other = 3 - on0 - on1; /* the CPU with none of the mapper's vCPUs */
	grant(granter, 32, 2, 1, GTF_permit_access);
	assert_int_equal(map(mapper_vcpu, 1, 32, HOLE_GFN, GNTMAP_host_map).status, GNTST_okay);

	domain_shutdown(granter, SHUTDOWN_reboot);
	domain_shutdown(mapper, SHUTDOWN_poweroff);
	/* The granter is unpublished and relinquished; the mapper waits for its vCPUs. */
	reap_on(other);
	assert_null(domain_lookup(1));
	assert_non_null(domain_lookup(2));
	assert_int_equal(p2m_lookup(mapper, HOLE_GFN, NULL), P2M_INVALID);

	/* One CPU drops the mapper's vCPU 0, then waits for the other to pass. */
	assert_int_equal(machine_pass(on0), FAKE_CPU_WAITS);
	assert_ptr_equal(domain_lookup_existing(1), granter);
	/* The other frees the granter and builds it again, then drops the mapper's vCPU 1. */
	fake_on_vcpu_drop(stranger_maps_the_new_granter, NULL);
	machine_pass(on1);
	assert_ptr_equal(granter, domain_lookup(1));
	assert_null(domain_lookup(2)); /* the mapper is unpublished, not yet freed */
	assert_ptr_equal(domain_lookup_existing(2), mapper);
	assert_int_equal(flags_of(granter, 32), GTF_permit_access | GTF_reading | GTF_writing);
	reap_on(other);
	reap_on(on0); /* the mapper's grace period ends: it is freed */
	assert_null(domain_lookup_existing(2));
	mapper = NULL;
	fake_cpu_switch(0);
	assert_int_equal(flags_of(granter, 32), GTF_permit_access | GTF_reading | GTF_writing);
}

/* A mapping made once the granter is dying would escape its teardown: refused. */
static void a_dying_granter_cannot_be_mapped(void **state)
{
	(void)state;
	grant(granter, 33, 2, 1, GTF_permit_access);
	domain_shutdown(granter, SHUTDOWN_poweroff);
	assert_int_equal(map(mapper_vcpu, 1, 33, HOLE_GFN, GNTMAP_host_map).status,
			 GNTST_bad_domain);
	assert_int_equal(flags_of(granter, 33), GTF_permit_access);
}

static void many_mappings_get_distinct_handles_until_the_table_is_full(void **state)
{
	grant_handle_t seen[40];

	(void)state;
	grant(granter, 40, 2, 2, GTF_permit_access | GTF_readonly);
	for (unsigned i = 0; i < 40; i++) {
		struct gnttab_map_grant_ref op =
		    map(mapper_vcpu, 1, 40, HOLE_GFN + i, GNTMAP_host_map | GNTMAP_readonly);
		assert_int_equal(op.status, GNTST_okay);
		for (unsigned k = 0; k < i; k++)
			assert_int_not_equal(seen[k], op.handle);
		seen[i] = op.handle;
	}
	for (unsigned i = 0; i < 40; i++)
		assert_int_equal(unmap(mapper_vcpu, HOLE_GFN + i, seen[i]), GNTST_okay);
	assert_int_equal(flags_of(granter, 40), GTF_permit_access | GTF_readonly);
	assert_int_equal(grant_frames_mapped(mapper), 0);
}

static void counts_are_32_bit_and_unknown_commands_refused(void **state)
{
	struct gnttab_map_grant_ref op = {0};

	(void)state;
	fake_preempt_at(0);
	/* Xen's count is an unsigned int that must be non-negative as an int. */
	assert_int_equal(do_grant_table_op(mapper_vcpu, GNTTABOP_map_grant_ref, (uint64_t)&op,
					   0x80000000u, 0, 0),
			 -XEN_EINVAL);
	/* The upper half of the register is not part of the count: this is a batch of 1. */
	assert_int_equal(do_grant_table_op(mapper_vcpu, GNTTABOP_map_grant_ref, (uint64_t)&op,
					   (1UL << 32) | 1, 0, 0),
			 0);
	assert_int_equal(op.status, GNTST_bad_gntref);
	assert_int_equal(do_grant_table_op(mapper_vcpu, GNTTABOP_map_grant_ref, 0, 1, 0, 0),
			 -XEN_EFAULT);
	assert_int_equal(do_grant_table_op(mapper_vcpu, 99, (uint64_t)&op, 1, 0, 0), -XEN_ENOSYS);
}

#define BIG_BATCH 1000u

/* Argument register i as the restarted hypercall will find it (the caller is the mapper). */
static uint64_t continued(unsigned i)
{
	return mapper_vcpu->arch.regs.x[i];
}

/*
 * A batch longer than Punt ever allowed (512) is stopped when preemption is due and the
 * hypercall is issued again for the rest: Xen's "ihi" continuation (cmd, handle moved past
 * the done elements, count left). Elements past the stop are untouched.
 */
static void a_preempted_copy_batch_continues_where_it_stopped(void **state)
{
	static struct gnttab_copy ops[BIG_BATCH];
	const unsigned stop = 700; /* the check before element 700 says yes */

	(void)state;
	grant(granter, 30, 2, 5, GTF_permit_access);
	memcpy(ram_page(granter, 5), "preempted copy", 15);
	for (unsigned i = 0; i < BIG_BATCH; i++) {
		ops[i] = (struct gnttab_copy){
		    .source = {.u.ref = 30, .domid = 1, .offset = 0},
		    .dest = {.u.gmfn = RAM_GFN + 6, .domid = DOMID_SELF, .offset = 16},
		    .len = 15,
		    .flags = GNTCOPY_source_gref,
		    .status = 99,
		};
	}
	ops[3].source.u.ref = 9999; /* one bad element: its status says so, the batch goes on */
	fake_preempt_at(stop);
	long rc = do_grant_table_op(mapper_vcpu, GNTTABOP_copy, (uint64_t)ops, BIG_BATCH, 0, 0);
	assert_int_equal(mapper_vcpu->arch.restarts, 1);
	assert_int_equal(continued(0), GNTTABOP_copy);
	assert_int_equal(continued(1), (uint64_t)&ops[stop]);
	assert_int_equal(continued(2), BIG_BATCH - stop);
	assert_int_equal(continued(3), 0);   /* three arguments, no more */
	assert_int_equal(rc, GNTTABOP_copy); /* x0 holds the first argument again */
	assert_int_equal(ops[3].status, GNTST_bad_gntref);
	assert_int_equal(ops[stop - 1].status, GNTST_okay);
	assert_int_equal(ops[stop].status, 99);
	assert_int_equal(ops[BIG_BATCH - 1].status, 99);
	/* The guest's re-issue finishes the batch. */
	fake_preempt_at(0);
	assert_int_equal(do_grant_table_op(mapper_vcpu, (uint32_t)continued(0), continued(1),
					   continued(2), 0, 0),
			 0);
	for (unsigned i = 0; i < BIG_BATCH; i++)
		assert_int_equal(ops[i].status, i == 3 ? GNTST_bad_gntref : GNTST_okay);
	assert_memory_equal(ram_page(mapper, 6) + 16, "preempted copy", 15);
	assert_int_equal(flags_of(granter, 30), GTF_permit_access);
}

/* The first element of a call is never preceded by a check: every call makes progress. */
static void a_continued_batch_always_does_its_first_element(void **state)
{
	static struct gnttab_copy ops[3];

	(void)state;
	for (unsigned i = 0; i < 3; i++)
		ops[i] = (struct gnttab_copy){.source = {.u.ref = 9999, .domid = 1},
					      .dest = {.u.gmfn = RAM_GFN, .domid = DOMID_SELF},
					      .len = 1,
					      .flags = GNTCOPY_source_gref,
					      .status = 99};
	fake_preempt_at(1);
	do_grant_table_op(mapper_vcpu, GNTTABOP_copy, (uint64_t)ops, 3, 0, 0);
	assert_int_equal(mapper_vcpu->arch.restarts, 1);
	assert_int_equal(ops[0].status, GNTST_bad_gntref);
	assert_int_equal(ops[1].status, 99);
	assert_int_equal(continued(1), (uint64_t)&ops[1]);
	assert_int_equal(continued(2), 2);
}

static void preempted_map_and_unmap_batches_continue_with_the_rest(void **state)
{
	static struct gnttab_map_grant_ref maps[50];
	static struct gnttab_unmap_grant_ref unmaps[50];
	const unsigned n = 50;

	(void)state;
	grant(granter, 31, 2, 7, GTF_permit_access | GTF_readonly);
	for (unsigned i = 0; i < n; i++)
		maps[i] = (struct gnttab_map_grant_ref){.host_addr = (HOLE_GFN + i) << 12,
							.flags = GNTMAP_host_map | GNTMAP_readonly,
							.ref = 31,
							.dom = 1};
	fake_preempt_at(33);
	do_grant_table_op(mapper_vcpu, GNTTABOP_map_grant_ref, (uint64_t)maps, n, 0, 0);
	assert_int_equal(mapper_vcpu->arch.restarts, 1);
	assert_int_equal(continued(0), GNTTABOP_map_grant_ref);
	assert_int_equal(continued(1), (uint64_t)&maps[33]);
	assert_int_equal(continued(2), n - 33);
	assert_int_equal(p2m_lookup(mapper, HOLE_GFN + 32, NULL), P2M_GRANT_RO);
	assert_int_equal(p2m_lookup(mapper, HOLE_GFN + 33, NULL), P2M_INVALID);
	fake_preempt_at(0);
	assert_int_equal(do_grant_table_op(mapper_vcpu, GNTTABOP_map_grant_ref, continued(1),
					   continued(2), 0, 0),
			 0);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(maps[i].status, GNTST_okay);
		unmaps[i] = (struct gnttab_unmap_grant_ref){.host_addr = maps[i].host_addr,
							    .handle = maps[i].handle};
	}
	fake_preempt_at(10);
	do_grant_table_op(mapper_vcpu, GNTTABOP_unmap_grant_ref, (uint64_t)unmaps, n, 0, 0);
	assert_int_equal(continued(0), GNTTABOP_unmap_grant_ref);
	assert_int_equal(continued(1), (uint64_t)&unmaps[10]);
	assert_int_equal(continued(2), n - 10);
	assert_int_equal(p2m_lookup(mapper, HOLE_GFN + 9, NULL), P2M_INVALID);
	assert_int_equal(p2m_lookup(mapper, HOLE_GFN + 10, NULL), P2M_GRANT_RO);
	fake_preempt_at(0);
	assert_int_equal(do_grant_table_op(mapper_vcpu, GNTTABOP_unmap_grant_ref, continued(1),
					   continued(2), 0, 0),
			 0);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(unmaps[i].status, GNTST_okay);
	assert_int_equal(flags_of(granter, 31), GTF_permit_access | GTF_readonly);
	assert_int_equal(grant_frames_mapped(mapper), 0);
}

static void a_configured_frame_limit_caps_the_table(void **state)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF};
	struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 3};
	uint64_t frames[3];

	(void)state;
	grant_table_set_max_frames(mapper, 2);
	assert_int_equal(do_grant_table_op(mapper_vcpu, GNTTABOP_query_size, (uint64_t)&q, 1, 0, 0),
			 0);
	assert_int_equal(q.max_nr_frames, 2);
	st.frame_list_gva = (uint64_t)frames;
	assert_int_equal(
	    do_grant_table_op(mapper_vcpu, GNTTABOP_setup_table, (uint64_t)&st, 1, 0, 0), 0);
	assert_int_equal(st.status, GNTST_general_error);
	st.nr_frames = 2;
	assert_int_equal(
	    do_grant_table_op(mapper_vcpu, GNTTABOP_setup_table, (uint64_t)&st, 1, 0, 0), 0);
	assert_int_equal(st.status, GNTST_okay);
	/* Refs of the second frame exist now; the third frame's never will. */
	assert_non_null(entry_of(mapper, 600));
	assert_null(entry_of(mapper, 1100));
}

static long op1(struct vcpu *v, uint64_t cmd, void *uop, uint64_t count)
{
	return do_grant_table_op(v, cmd, (uint64_t)uop, count, 0, 0);
}

static void command_and_count_are_read_as_32_bit_values(void **state)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF, .status = 99};

	(void)state;
	/* Upper halves of the registers are ignored, as Xen's unsigned int parameters do. */
	assert_int_equal(op1(mapper_vcpu, GNTTABOP_query_size | 1ULL << 32, &q, 1ULL << 32 | 1), 0);
	assert_int_equal(q.status, GNTST_okay);
	/* One operation exactly for query_size; a count negative as an int is refused. */
	assert_int_equal(op1(mapper_vcpu, GNTTABOP_query_size, &q, 2), -XEN_EINVAL);
	assert_int_equal(op1(mapper_vcpu, GNTTABOP_query_size, &q, 0), -XEN_EINVAL);
	assert_int_equal(op1(mapper_vcpu, 99, &q, 1U << 31), -XEN_EINVAL);
	/* Continuation bits are for cache_flush only. */
	assert_int_equal(op1(mapper_vcpu, GNTTABOP_query_size | 1U << 12, &q, 1), -XEN_EINVAL);
	assert_int_equal(op1(mapper_vcpu, GNTTABOP_transfer, &q, 1), -XEN_EOPNOTSUPP);
}

static int16_t swap(struct vcpu *v, grant_ref_t a, grant_ref_t b)
{
	struct gnttab_swap_grant_ref op = {.ref_a = a, .ref_b = b, .status = 99};

	assert_int_equal(op1(v, GNTTABOP_swap_grant_ref, &op, 1), 0);
	return op.status;
}

static void swap_exchanges_entries_not_in_use(void **state)
{
	struct vcpu *granter_vcpu = granter->vcpus[0];

	(void)state;
	grant(granter, 30, 2, 1, GTF_permit_access);
	grant(granter, 31, 3, 2, GTF_permit_access | GTF_readonly);
	assert_int_equal(swap(granter_vcpu, 30, 31), GNTST_okay);
	assert_int_equal(entry_of(granter, 30)->domid, 3);
	assert_int_equal(entry_of(granter, 30)->flags, GTF_permit_access | GTF_readonly);
	assert_int_equal(entry_of(granter, 31)->domid, 2);
	assert_int_equal(entry_of(granter, 31)->frame, RAM_GFN + 1);
	assert_int_equal(swap(granter_vcpu, 30, 30), GNTST_okay);
	assert_int_equal(swap(granter_vcpu, 30, 100000), GNTST_bad_gntref);
	/* Mapped by the mapper: it stays where the mapping expects it. */
	struct gnttab_map_grant_ref m = map(mapper_vcpu, 1, 31, HOLE_GFN, GNTMAP_host_map);
	assert_int_equal(m.status, GNTST_okay);
	assert_int_equal(swap(granter_vcpu, 30, 31), GNTST_eagain);
	assert_int_equal(entry_of(granter, 31)->domid, 2);
	assert_int_equal(unmap(mapper_vcpu, HOLE_GFN, m.handle), GNTST_okay);
	assert_int_equal(swap(granter_vcpu, 30, 31), GNTST_okay);
}

static long flush(struct vcpu *v, uint64_t cmd_extra, uint64_t addr, uint16_t off, uint16_t len,
		  uint32_t op)
{
	struct gnttab_cache_flush f = {
	    .a.dev_bus_addr = addr, .offset = off, .length = len, .op = op};

	fake_cache_clear();
	return op1(v, GNTTABOP_cache_flush | cmd_extra, &f, 1);
}

static void cache_flush_acts_on_own_and_mapped_frames_only(void **state)
{
	uint64_t own = (uint64_t)(uintptr_t)ram_page(mapper, 2);
	uint64_t granted = (uint64_t)(uintptr_t)ram_page(granter, 3);
	uint64_t nobodys = (uint64_t)(uintptr_t)page_alloc_zeroed(0);

	(void)state;
	assert_int_equal(flush(mapper_vcpu, 0, own, 8, 100, GNTTAB_CACHE_CLEAN), 0);
	assert_int_equal(fake_cache_last().kind, FAKE_CACHE_CLEAN);
	assert_int_equal(fake_cache_last().start, own + 8);
	assert_int_equal(fake_cache_last().size, 100);
	assert_int_equal(flush(mapper_vcpu, 0, own, 0, 64, GNTTAB_CACHE_INVAL), 0);
	assert_int_equal(fake_cache_last().kind, FAKE_CACHE_INVAL);
	/* Range and op checks, then the empty range does nothing. */
	assert_int_equal(flush(mapper_vcpu, 0, own, 4000, 97, GNTTAB_CACHE_CLEAN), -XEN_EINVAL);
	assert_int_equal(flush(mapper_vcpu, 0, own, 0, 64, GNTTAB_CACHE_SOURCE_GREF), -XEN_EINVAL);
	assert_int_equal(flush(mapper_vcpu, 0, own, 0, 0, GNTTAB_CACHE_CLEAN), 0);
	assert_int_equal(flush(mapper_vcpu, 1 << 12, own, 0, 0, GNTTAB_CACHE_CLEAN), -XEN_EILSEQ);
	assert_int_equal(fake_cache_last().kind, FAKE_CACHE_NONE);
	/* Not RAM; RAM of no domain; another domain's page it does not map. */
	assert_int_equal(flush(mapper_vcpu, 0, 0x1000, 0, 64, GNTTAB_CACHE_CLEAN), -XEN_EINVAL);
	assert_int_equal(flush(mapper_vcpu, 0, nobodys, 0, 64, GNTTAB_CACHE_CLEAN), -XEN_EPERM);
	assert_int_equal(flush(mapper_vcpu, 0, granted, 0, 64, GNTTAB_CACHE_CLEAN), -XEN_EINVAL);
	/* Mapped read-only: an invalidate keeps the granter's data (clean first). */
	grant(granter, 40, 2, 3, GTF_permit_access | GTF_readonly);
	struct gnttab_map_grant_ref m =
	    map(mapper_vcpu, 1, 40, HOLE_GFN, GNTMAP_host_map | GNTMAP_readonly);
	assert_int_equal(m.status, GNTST_okay);
	assert_int_equal(flush(mapper_vcpu, 0, granted, 0, 64, GNTTAB_CACHE_INVAL), 0);
	assert_int_equal(fake_cache_last().kind, FAKE_CACHE_CLEAN_INVAL);
	assert_int_equal(fake_cache_last().start, granted);
	/* A continuation past the mapping's ref finds nothing. */
	assert_int_equal(flush(mapper_vcpu, 4096ULL * 16, granted, 0, 64, GNTTAB_CACHE_CLEAN),
			 -XEN_EINVAL);
	assert_int_equal(unmap(mapper_vcpu, HOLE_GFN, m.handle), GNTST_okay);
	assert_int_equal(flush(mapper_vcpu, 0, granted, 0, 64, GNTTAB_CACHE_CLEAN), -XEN_EINVAL);
	page_free(nobodys, 0);
}

static void unmap_and_replace_cannot_replace_on_arm(void **state)
{
	struct gnttab_unmap_and_replace r = {.host_addr = HOLE_GFN << 12, .handle = 12345};

	(void)state;
	assert_int_equal(op1(mapper_vcpu, GNTTABOP_unmap_and_replace, &r, 1), 0);
	assert_int_equal(r.status, GNTST_bad_handle);
	grant(granter, 41, 2, 3, GTF_permit_access);
	struct gnttab_map_grant_ref m = map(mapper_vcpu, 1, 41, HOLE_GFN, GNTMAP_host_map);
	r.handle = m.handle;
	r.new_addr = (HOLE_GFN + 1) << 12;
	assert_int_equal(op1(mapper_vcpu, GNTTABOP_unmap_and_replace, &r, 1), 0);
	assert_int_equal(r.status, GNTST_general_error);
	assert_int_equal(p2m_lookup(mapper, HOLE_GFN, NULL), P2M_GRANT_RW);
	r.new_addr = 0;
	assert_int_equal(op1(mapper_vcpu, GNTTABOP_unmap_and_replace, &r, 1), 0);
	assert_int_equal(r.status, GNTST_okay);
	assert_int_equal(p2m_lookup(mapper, HOLE_GFN, NULL), P2M_INVALID);
	assert_int_equal(flags_of(granter, 41), GTF_permit_access);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(a_writable_mapping_shares_the_page_and_marks_the_entry),
	    T(a_read_only_grant_maps_only_read_only),
	    T(in_use_flags_follow_the_last_mapping),
	    T(refusals_carry_xens_status_codes),
	    T(the_granters_own_frames_cannot_be_granted),
	    T(copy_moves_bytes_both_ways_and_leaves_no_flags),
	    T(copy_refusals_carry_xens_status_codes),
	    T(a_granter_that_goes_away_takes_its_pages_out_of_the_mapper),
	    T(a_mapper_that_goes_away_gives_its_pins_back),
	    T(a_dying_mapper_loses_its_mappings_and_leaves_a_new_granter_alone),
	    T(a_dying_granter_cannot_be_mapped),
	    T(many_mappings_get_distinct_handles_until_the_table_is_full),
	    T(counts_are_32_bit_and_unknown_commands_refused),
	    T(a_preempted_copy_batch_continues_where_it_stopped),
	    T(a_continued_batch_always_does_its_first_element),
	    T(preempted_map_and_unmap_batches_continue_with_the_rest),
	    T(a_configured_frame_limit_caps_the_table),
	    T(command_and_count_are_read_as_32_bit_values),
	    T(swap_exchanges_entries_not_in_use),
	    T(cache_flush_acts_on_own_and_mapped_frames_only),
	    T(unmap_and_replace_cannot_replace_on_arm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
