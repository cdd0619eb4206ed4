// SPDX-License-Identifier: Apache-2.0
/*
 * Lock-held types (punt/domain.h; docs/design/hypervisor.md, "Locks"): what
 * domain_lock() and domain_lock_pair() hand out and take back, and, with
 * CONFIG_DEBUG_LOCKS as the host tests are built, that a function given a
 * proof whose lock is not held stops the hypervisor instead of going on
 * without the lock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "machine.h"
#include <punt/grant_table.h>

static struct domain *one, *two;

static int setup(void **state)
{
	(void)state;
	machine_boot(1);
	one = machine_domain(1, 1, false);
	two = machine_domain(2, 1, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	machine_halt();
	return 0;
}

static void domain_lock_holds_the_lock_until_domain_unlock(void **state)
{
	(void)state;
	struct domain_locked l = domain_lock(one);

	assert_true(spin_is_locked(&one->lock));
	assert_ptr_equal(locked_domain(l), one);
	domain_unlock(&l);
	assert_false(spin_is_locked(&one->lock));
	assert_null(l.d); /* the proof is gone with the lock */
}

static void domain_lock_pair_takes_the_lower_domid_first(void **state)
{
	(void)state;
	struct domain_pair_locked both = domain_lock_pair(two, one);

	assert_ptr_equal(locked_domain(both.a), two);
	assert_ptr_equal(locked_domain(both.b), one);
	assert_int_equal(fake_spin_locks_held(), 2);
	domain_unlock_pair(&both);
	assert_int_equal(fake_spin_locks_held(), 0);
	assert_null(both.a.d);
	assert_null(both.b.d);
	/*
	 * The fake spinlocks stop the test when two locks are ever taken in both orders:
	 * had the pair taken d2's lock first, taking d1's and then d2's here would.
	 */
	struct domain_locked l1 = domain_lock(one);
	struct domain_locked l2 = domain_lock(two);
	domain_unlock(&l2);
	domain_unlock(&l1);
}

static void a_pair_of_one_domain_takes_its_lock_once(void **state)
{
	(void)state;
	struct domain_pair_locked both = domain_lock_pair(one, one);

	assert_int_equal(fake_spin_locks_held(), 1);
	assert_ptr_equal(locked_domain(both.a), one);
	assert_ptr_equal(locked_domain(both.b), one);
	domain_unlock_pair(&both);
	assert_int_equal(fake_spin_locks_held(), 0);
}

/*
 * A proof whose lock is not held. These tests end in a panic, after which the
 * console no longer locks: they run last, on a bare domain of their own.
 */
static struct domain bare;

static int setup_bare(void **state)
{
	(void)state;
	fake_arch_reset(1);
	fake_uart_clear();
	memset(&bare, 0, sizeof(bare));
	bare.lock = (spinlock_t)SPINLOCK_INIT;
	return 0;
}

static void look_up_entry(void *proof)
{
	(void)grant_entry(*(struct domain_locked *)proof, 0);
}

static void a_proof_made_by_hand_stops_the_hypervisor(void **state)
{
	(void)state;
	struct domain_locked forged = {&bare}; /* the lock is free */

	assert_int_equal(fake_run(look_up_entry, &forged), FAKE_CPU_HALTED);
	assert_non_null(strstr(fake_uart_output(), "BUG at"));
	assert_non_null(strstr(fake_uart_output(), "spin_is_locked"));
}

static void a_proof_kept_past_its_unlock_stops_the_hypervisor(void **state)
{
	(void)state;
	struct domain_locked l = domain_lock(&bare);
	struct domain_locked kept = l;

	domain_unlock(&l);
	assert_int_equal(fake_run(look_up_entry, &kept), FAKE_CPU_HALTED);
	assert_non_null(strstr(fake_uart_output(), "BUG at"));
}

static void an_ended_proof_stops_the_hypervisor(void **state)
{
	(void)state;
	struct domain_locked l = domain_lock(&bare);

	domain_unlock(&l);
	assert_int_equal(fake_run(look_up_entry, &l), FAKE_CPU_HALTED);
	assert_non_null(strstr(fake_uart_output(), "BUG at"));
}

int main(void)
{
	const struct CMUnitTest machine[] = {
	    cmocka_unit_test_setup_teardown(domain_lock_holds_the_lock_until_domain_unlock, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(domain_lock_pair_takes_the_lower_domid_first, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(a_pair_of_one_domain_takes_its_lock_once, setup,
					    teardown),
	};
	const struct CMUnitTest panics[] = {
	    cmocka_unit_test_setup(a_proof_made_by_hand_stops_the_hypervisor, setup_bare),
	    cmocka_unit_test_setup(a_proof_kept_past_its_unlock_stops_the_hypervisor, setup_bare),
	    cmocka_unit_test_setup(an_ended_proof_stops_the_hypervisor, setup_bare),
	};
	int failed = cmocka_run_group_tests_name("locked types", machine, NULL, NULL);

	return failed +
	       cmocka_run_group_tests_name("proofs without their lock", panics, NULL, NULL);
}
