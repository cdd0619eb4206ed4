// SPDX-License-Identifier: Apache-2.0
/*
 * grant_table_op's command and count, read as Xen 4.17 reads them (xen/include/
 * hypercall-defs.c: grant_table_op(unsigned int cmd, void *uop, unsigned int count)): the
 * upper halves of x0 and x2 are ignored, a count of 2^31 or more is -EINVAL, and bits 12 and
 * up of the command are for continuations of cache_flush only (-EINVAL otherwise). query_size,
 * setup_table and get_status_frames take exactly one operation; set_version and get_version
 * ignore the count. Every expected value is what Xen 4.17 returned to this guest as dom0.
 */
#include "rt.h"

#define NO_SUCH_DOMAIN 77
#define HIGH	       (1ull << 32)

static long gnttab(uint64_t cmd, void *uop, uint64_t count)
{
	return rt_hypercall(HYPERVISOR_grant_table_op, cmd, (uint64_t)uop, count, 0, 0);
}

static void query_size(void)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF};

	PROBE("query_size", gnttab(GNTTABOP_query_size, &q, 1), 0);
	PROBE("query_size_status", q.status, GNTST_okay);
	PROBE("query_size_max_frames", q.max_nr_frames, 64);
	PROBE("bad_query_size_count_0", gnttab(GNTTABOP_query_size, &q, 0), -XEN_EINVAL);
	PROBE("bad_query_size_count_2", gnttab(GNTTABOP_query_size, &q, 2), -XEN_EINVAL);
	PROBE("bad_query_size_count_2_31", gnttab(GNTTABOP_query_size, &q, 1u << 31), -XEN_EINVAL);
	q.status = 99;
	PROBE("bad_query_size_count_upper_half", gnttab(GNTTABOP_query_size, &q, HIGH | 1), 0);
	PROBE("bad_query_size_count_upper_half_status", q.status, GNTST_okay);
	q.status = 99;
	PROBE("bad_query_size_cmd_upper_half", gnttab(HIGH | GNTTABOP_query_size, &q, 1), 0);
	PROBE("bad_query_size_cmd_upper_half_status", q.status, GNTST_okay);
	PROBE("bad_query_size_cmd_continuation_bits",
	      gnttab((1u << 12) | GNTTABOP_query_size, &q, 1), -XEN_EINVAL);
	q.dom = NO_SUCH_DOMAIN;
	PROBE("bad_query_size_unknown_domain", gnttab(GNTTABOP_query_size, &q, 1), 0);
	PROBE("bad_query_size_unknown_domain_status", q.status, GNTST_bad_domain);
	PROBE("bad_query_size_bad_pointer", gnttab(GNTTABOP_query_size, (void *)RT_UNMAPPED_VA, 1),
	      -XEN_EFAULT);
}

static void setup_table(void)
{
	uint64_t frames[2] = {0, 0};
	struct gnttab_setup_table s = {
	    .dom = DOMID_SELF, .nr_frames = 1, .frame_list_gva = (uint64_t)frames};

	PROBE("bad_setup_table_count_0", gnttab(GNTTABOP_setup_table, &s, 0), -XEN_EINVAL);
	PROBE("bad_setup_table_count_2", gnttab(GNTTABOP_setup_table, &s, 2), -XEN_EINVAL);
	s.status = 99;
	PROBE("setup_table", gnttab(GNTTABOP_setup_table, &s, 1), 0);
	PROBE("setup_table_status", s.status, GNTST_okay);
	s.nr_frames = 65;
	PROBE("bad_setup_table_too_many_frames", gnttab(GNTTABOP_setup_table, &s, 1), 0);
	PROBE("bad_setup_table_too_many_frames_status", s.status, GNTST_general_error);
	s.nr_frames = 1;
	s.frame_list_gva = RT_UNMAPPED_VA;
	PROBE("bad_setup_table_bad_frame_list", gnttab(GNTTABOP_setup_table, &s, 1), 0);
	PROBE("bad_setup_table_bad_frame_list_status", s.status, GNTST_bad_virt_addr);
	s.frame_list_gva = (uint64_t)frames;
	s.dom = NO_SUCH_DOMAIN;
	PROBE("bad_setup_table_unknown_domain", gnttab(GNTTABOP_setup_table, &s, 1), 0);
	PROBE("bad_setup_table_unknown_domain_status", s.status, GNTST_bad_domain);
	PROBE("bad_setup_table_bad_pointer",
	      gnttab(GNTTABOP_setup_table, (void *)RT_UNMAPPED_VA, 1), -XEN_EFAULT);
}

static void versions(void)
{
	struct gnttab_get_version g = {.dom = DOMID_SELF, .version = 99};
	struct gnttab_set_version v = {.version = 1};

	PROBE("bad_get_version_count_0", gnttab(GNTTABOP_get_version, &g, 0), 0);
	PROBE("bad_get_version_count_0_version", g.version, 1);
	PROBE("bad_get_version_count_2", gnttab(GNTTABOP_get_version, &g, 2), 0);
	g.dom = NO_SUCH_DOMAIN;
	PROBE("bad_get_version_unknown_domain", gnttab(GNTTABOP_get_version, &g, 1), -XEN_ESRCH);
	PROBE("bad_set_version_count_0", gnttab(GNTTABOP_set_version, &v, 0), 0);
	v.version = 3;
	PROBE("bad_set_version_3", gnttab(GNTTABOP_set_version, &v, 1), -XEN_EINVAL);
	PROBE("bad_set_version_3_reports", v.version, 1);
}

static void other_ops(void)
{
	uint8_t buf[64] = {0};
	struct gnttab_get_status_frames sf = {.nr_frames = 1, .dom = DOMID_SELF, .status = 99};
	struct gnttab_unmap_and_replace ur = {.handle = 0x12345, .status = 99};

	PROBE("bad_unknown_op", gnttab(99, buf, 1), -XEN_ENOSYS);
	PROBE("bad_unknown_op_count_2_31", gnttab(99, buf, 1u << 31), -XEN_EINVAL);
	PROBE("bad_dump_table", gnttab(GNTTABOP_dump_table, buf, 1), -XEN_ENOSYS);
	/* Grant transfer exists for PV guests only: Xen on Arm is built without it. */
	PROBE("bad_transfer", gnttab(GNTTABOP_transfer, buf, 1), -XEN_EOPNOTSUPP);
	/* Version 1 has no status frames: asking for one is an error in the status. */
	PROBE("bad_get_status_frames", gnttab(GNTTABOP_get_status_frames, &sf, 1), 0);
	PROBE("bad_get_status_frames_status", sf.status, GNTST_general_error);
	PROBE("bad_get_status_frames_count_0", gnttab(GNTTABOP_get_status_frames, &sf, 0),
	      -XEN_EINVAL);
	PROBE("bad_unmap_and_replace_bad_handle", gnttab(GNTTABOP_unmap_and_replace, &ur, 1), 0);
	PROBE("bad_unmap_and_replace_bad_handle_status", ur.status, GNTST_bad_handle);
	PROBE("map_count_0", gnttab(GNTTABOP_map_grant_ref, (void *)RT_UNMAPPED_VA, 0), 0);
	PROBE("bad_map_count_upper_half_only",
	      gnttab(GNTTABOP_map_grant_ref, (void *)RT_UNMAPPED_VA, HIGH), 0);
	PROBE("bad_map_count_2_31", gnttab(GNTTABOP_map_grant_ref, buf, 1u << 31), -XEN_EINVAL);
	/* A long batch is taken as such: its first entry is read (and faults) first. */
	PROBE("bad_map_count_513_bad_pointer",
	      gnttab(GNTTABOP_map_grant_ref, (void *)RT_UNMAPPED_VA, 513), -XEN_EFAULT);
	PROBE("bad_unmap_count_2_31", gnttab(GNTTABOP_unmap_grant_ref, buf, 1u << 31), -XEN_EINVAL);
	PROBE("bad_copy_count_2_31", gnttab(GNTTABOP_copy, buf, 1u << 31), -XEN_EINVAL);
}

void test_main(void)
{
	query_size();
	setup_table();
	versions();
	other_ops();
}
