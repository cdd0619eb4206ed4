// SPDX-License-Identifier: Apache-2.0
/*
 * The registry of a domain's emulated MMIO regions (hyp/core/mmio.c,
 * punt/mmio.h): what registration refuses (zero size, a range past the end of
 * the address space, overlap, a full table) and that a refusal leaves the
 * table as it was; lookup at the edges of a region; dispatch to the right
 * handler with the offset filled in; teardown; and, on the fake machine with
 * domains the real builder made, that each domain has its own regions and a
 * domain rebuilt with a freed one's id starts with none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "machine.h"
#include <public/errno.h>
#include <punt/mmio.h>

/* ---- helpers ----------------------------------------------------------------- */

static struct domain d1, d2;
static struct vcpu v1 = {.domain = &d1}, v2 = {.domain = &d2};

/* What the last handler call saw, and who it was. */
static struct {
	unsigned calls;
	struct vcpu *v;
	void *priv;
	uint64_t offset;
} seen;

static bool reads_back_offset(struct vcpu *v, struct mmio_access *a, void *priv)
{
	seen.calls++;
	seen.v = v;
	seen.priv = priv;
	seen.offset = a->offset;
	if (!a->write)
		a->value = a->offset;
	return true;
}

static bool refuses(struct vcpu *v, struct mmio_access *a, void *priv)
{
	(void)v, (void)a, (void)priv;
	seen.calls++;
	return false;
}

static int reset(void **state)
{
	(void)state;
	memset(&d1, 0, sizeof(d1));
	memset(&d2, 0, sizeof(d2));
	d1.id = 1;
	d2.id = 2;
	memset(&seen, 0, sizeof(seen));
	fake_uart_clear();
	return 0;
}

static int add(struct domain *d, const char *name, uint64_t base, uint64_t size)
{
	return mmio_register(d, name, base, size, reads_back_offset, d);
}

static bool read_at(struct vcpu *v, uint64_t addr, uint64_t *value)
{
	struct mmio_access a = {.addr = addr, .size = 4};
	bool done = mmio_dispatch(&v->domain->mmio, v, &a);

	*value = a.value;
	return done;
}

/* ---- registration ------------------------------------------------------------ */

static void regions_that_touch_but_do_not_overlap_are_both_accepted(void **state)
{
	(void)state;
	assert_int_equal(add(&d1, "a", 0x1000, 0x1000), 0);
	assert_int_equal(add(&d1, "b", 0x2000, 0x1000), 0);
	assert_int_equal(add(&d1, "c", 0x0, 0x1000), 0);
	assert_int_equal(d1.mmio.nr, 3);
}

static void a_zero_sized_region_is_refused(void **state)
{
	(void)state;
	assert_int_equal(add(&d1, "empty", 0x1000, 0), -XEN_EINVAL);
	assert_int_equal(d1.mmio.nr, 0);
	assert_non_null(strstr(fake_uart_output(), "empty"));
}

static void a_region_past_the_end_of_the_address_space_is_refused(void **state)
{
	(void)state;
	assert_int_equal(add(&d1, "wraps", UINT64_MAX - 0xfff, 0x2000), -XEN_EINVAL);
	assert_int_equal(d1.mmio.nr, 0);
}

static void a_region_ending_at_the_top_of_the_address_space_is_accepted(void **state)
{
	uint64_t value;

	(void)state;
	assert_int_equal(add(&d1, "top", UINT64_MAX - 0xfff, 0x1000), 0);
	assert_true(read_at(&v1, UINT64_MAX, &value));
	assert_int_equal(value, 0xfff);
	assert_false(read_at(&v1, UINT64_MAX - 0x1000, &value));
}

static void a_region_without_handler_is_refused(void **state)
{
	(void)state;
	assert_int_equal(mmio_register(&d1, "mute", 0x1000, 0x1000, NULL, NULL), -XEN_EINVAL);
	assert_int_equal(d1.mmio.nr, 0);
}

static void every_kind_of_overlap_is_refused_and_changes_nothing(void **state)
{
	static const struct {
		uint64_t base, size;
	} overlaps[] = {
	    {0x10000, 0x1000}, /* the same */
	    {0x10800, 0x100},  /* inside */
	    {0xf000, 0x3000},  /* around */
	    {0xf000, 0x1001},  /* over its first byte */
	    {0x10fff, 0x1000}, /* over its last byte */
	    {0x0, UINT64_MAX}, /* everything */
	};

	(void)state;
	assert_int_equal(add(&d1, "dist", 0x10000, 0x1000), 0);
	for (size_t i = 0; i < sizeof(overlaps) / sizeof(overlaps[0]); i++) {
		int rc = add(&d1, "other", overlaps[i].base, overlaps[i].size);
		if (rc != -XEN_EEXIST)
			fail_msg("region %#lx size %#lx: expected -EEXIST, got %d",
				 overlaps[i].base, overlaps[i].size, rc);
	}
	assert_int_equal(d1.mmio.nr, 1);
	assert_int_equal(d1.mmio.region[0].base, 0x10000);
	assert_int_equal(d1.mmio.region[0].size, 0x1000);
}

static void an_overlap_is_logged_with_both_names(void **state)
{
	(void)state;
	assert_int_equal(add(&d1, "vGIC distributor", 0x8000000, 0x10000), 0);
	assert_int_equal(add(&d1, "vpl011", 0x8008000, 0x1000), -XEN_EEXIST);
	const char *out = fake_uart_output();
	if (!strstr(out, "d1: MMIO region vpl011") || !strstr(out, "overlaps vGIC distributor"))
		fail_msg("expected a line naming d1, vpl011 and the vGIC distributor; got:\n%s",
			 out);
}

static void a_full_table_refuses_one_more_and_keeps_the_rest(void **state)
{
	(void)state;
	for (unsigned i = 0; i < MMIO_MAX_REGIONS; i++)
		assert_int_equal(add(&d1, "r", 0x1000 * (i + 1), 0x1000), 0);
	assert_int_equal(add(&d1, "one too many", 0x100000, 0x1000), -XEN_ENOSPC);
	assert_int_equal(d1.mmio.nr, MMIO_MAX_REGIONS);
	assert_non_null(strstr(fake_uart_output(), "one too many"));
	assert_null(mmio_find(&d1.mmio, 0x100000));
	assert_non_null(mmio_find(&d1.mmio, 0x1000 * MMIO_MAX_REGIONS));
}

/* ---- lookup and dispatch ----------------------------------------------------- */

static void lookup_finds_the_first_and_last_byte_and_nothing_either_side(void **state)
{
	(void)state;
	assert_int_equal(add(&d1, "low", 0x3000, 0x1000), 0);
	assert_int_equal(add(&d1, "high", 0x5000, 0x2000), 0);
	assert_null(mmio_find(&d1.mmio, 0x2fff));
	assert_string_equal(mmio_find(&d1.mmio, 0x3000)->name, "low");
	assert_string_equal(mmio_find(&d1.mmio, 0x3fff)->name, "low");
	assert_null(mmio_find(&d1.mmio, 0x4000));
	assert_null(mmio_find(&d1.mmio, 0x4fff));
	assert_string_equal(mmio_find(&d1.mmio, 0x5000)->name, "high");
	assert_string_equal(mmio_find(&d1.mmio, 0x6fff)->name, "high");
	assert_null(mmio_find(&d1.mmio, 0x7000));
	assert_null(mmio_find(&d1.mmio, 0));
}

static void dispatch_gives_the_handler_its_priv_and_the_offset_in_its_region(void **state)
{
	static int priv;
	struct mmio_access a = {.addr = 0x9018, .size = 4};

	(void)state;
	assert_int_equal(add(&d1, "low", 0x3000, 0x1000), 0);
	assert_int_equal(mmio_register(&d1, "uart", 0x9000, 0x1000, reads_back_offset, &priv), 0);
	assert_true(mmio_dispatch(&d1.mmio, &v1, &a));
	assert_int_equal(seen.calls, 1);
	assert_ptr_equal(seen.v, &v1);
	assert_ptr_equal(seen.priv, &priv);
	assert_int_equal(a.offset, 0x18);
	assert_int_equal(a.value, 0x18);
}

static void dispatch_outside_every_region_calls_nothing_and_fails(void **state)
{
	uint64_t value;

	(void)state;
	assert_int_equal(add(&d1, "low", 0x3000, 0x1000), 0);
	assert_false(read_at(&v1, 0x4000, &value));
	assert_int_equal(seen.calls, 0);
}

static void dispatch_fails_when_the_handler_refuses(void **state)
{
	struct mmio_access a = {.addr = 0x3000, .size = 8, .write = true};

	(void)state;
	assert_int_equal(mmio_register(&d1, "picky", 0x3000, 0x1000, refuses, NULL), 0);
	assert_false(mmio_dispatch(&d1.mmio, &v1, &a));
	assert_int_equal(seen.calls, 1);
}

/* ---- teardown and domains ---------------------------------------------------- */

static void remove_all_forgets_every_region_and_frees_the_space(void **state)
{
	(void)state;
	for (unsigned i = 0; i < MMIO_MAX_REGIONS; i++)
		assert_int_equal(add(&d1, "r", 0x1000 * (i + 1), 0x1000), 0);
	mmio_remove_all(&d1);
	assert_int_equal(d1.mmio.nr, 0);
	assert_null(mmio_find(&d1.mmio, 0x1000));
	assert_int_equal(add(&d1, "again", 0x1000, 0x1000), 0);
}

static void two_domains_keep_their_own_regions_at_the_same_address(void **state)
{
	uint64_t value;

	(void)state;
	assert_int_equal(add(&d1, "d1's", 0x9000, 0x1000), 0);
	assert_int_equal(add(&d2, "d2's", 0x9000, 0x1000), 0);
	assert_true(read_at(&v2, 0x9004, &value));
	assert_ptr_equal(seen.priv, &d2);
	assert_true(read_at(&v1, 0x9004, &value));
	assert_ptr_equal(seen.priv, &d1);
	mmio_remove_all(&d1);
	assert_false(read_at(&v1, 0x9004, &value));
	assert_true(read_at(&v2, 0x9004, &value));
	assert_ptr_equal(seen.priv, &d2);
}

/* ---- on the machine: domains the real builder made ------------------------------ */

static int boot(void **state)
{
	reset(state);
	machine_boot(1);
	return 0;
}

static int halt(void **state)
{
	(void)state;
	machine_halt();
	return 0;
}

static void a_domain_rebuilt_with_a_freed_ones_id_starts_with_no_regions(void **state)
{
	struct domain *d = machine_domain(1, 1, false);

	(void)state;
	assert_int_equal(add(d, "old", 0x9000, 0x1000), 0);
	machine_destroy(d);
	d = machine_domain(1, 1, false);
	assert_int_equal(d->mmio.nr, 0);
	assert_null(mmio_find(&d->mmio, 0x9000));
	assert_int_equal(add(d, "new", 0x9000, 0x1000), 0);
}

static void the_builders_device_config_reaches_the_architecture(void **state)
{
	struct domu_config c = machine_config(1, 1);

	(void)state;
	c.vpl011 = true;
	c.nr_spis = 64;
	struct domain *d = machine_build(&c, 1);
	assert_true(d->arch.initialised);
	assert_false(d->arch.hardware);
	assert_int_equal(d->arch.nr_spis, 64);
	assert_true(d->arch.vuart);
}

static void a_domain_whose_devices_fail_is_not_built_and_leaves_nothing(void **state)
{
	struct domu_config c = machine_config(1, 1);
	char err[128];

	(void)state;
	fake_fail_at(FAKE_FAIL_DOMAIN_INIT, 1);
	assert_int_equal(domu_build(&c, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "virtual devices"));
	assert_null(domain_lookup(1));
	/* halt() checks that every page came back. */
}

#define T(f)	   cmocka_unit_test_setup(f, reset)
#define MACHINE(f) cmocka_unit_test_setup_teardown(f, boot, halt)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(regions_that_touch_but_do_not_overlap_are_both_accepted),
	    T(a_zero_sized_region_is_refused),
	    T(a_region_past_the_end_of_the_address_space_is_refused),
	    T(a_region_ending_at_the_top_of_the_address_space_is_accepted),
	    T(a_region_without_handler_is_refused),
	    T(every_kind_of_overlap_is_refused_and_changes_nothing),
	    T(an_overlap_is_logged_with_both_names),
	    T(a_full_table_refuses_one_more_and_keeps_the_rest),
	    T(lookup_finds_the_first_and_last_byte_and_nothing_either_side),
	    T(dispatch_gives_the_handler_its_priv_and_the_offset_in_its_region),
	    T(dispatch_outside_every_region_calls_nothing_and_fails),
	    T(dispatch_fails_when_the_handler_refuses),
	    T(remove_all_forgets_every_region_and_frees_the_space),
	    T(two_domains_keep_their_own_regions_at_the_same_address),
	    MACHINE(a_domain_rebuilt_with_a_freed_ones_id_starts_with_no_regions),
	    MACHINE(the_builders_device_config_reaches_the_architecture),
	    MACHINE(a_domain_whose_devices_fail_is_not_built_and_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
