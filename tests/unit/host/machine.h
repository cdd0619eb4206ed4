// SPDX-License-Identifier: Apache-2.0
/*
 * A machine for host tests of the real core: the fake architecture
 * (hyp/arch/fake, fake/arch.h) with RAM from a host buffer, booted through
 * the core's own memory_init() and scheduler, and domains built by the core's
 * own domain builder and torn down by its own teardown. Tests call the core
 * as the hypervisor does and check what it did; the fake architecture records
 * what the core asked of the hardware. Include after <cmocka.h>.
 */
#ifndef MACHINE_H
#define MACHINE_H

#include <fake/arch.h>
#include <punt/domain.h>
#include <punt/domu.h>
#include <stdbool.h>
#include <stdint.h>

#define MACHINE_RAM_BYTES (64UL << 20)
/* RAM of a domain machine_domain() builds: 4 MiB at Xen's guest RAM base (public/arch-arm.h). */
#define MACHINE_DOMAIN_RAM   (4UL << 20)
#define MACHINE_DOMAIN_GFN   0x40000UL /* GUEST_RAM0_BASE >> 12 */
#define MACHINE_DOMAIN_PAGES (MACHINE_DOMAIN_RAM >> 12)

/* A machine with cpus CPUs and MACHINE_RAM_BYTES of RAM, no domain yet; CPU 0 runs. */
void machine_boot(unsigned cpus);
/*
 * Tear down every domain left, through the core's teardown, and check that
 * the machine got every page back and no lock is held (a leak fails the test).
 */
void machine_halt(void);

/*
 * The configuration machine_domain() builds from: name "dN", vcpus vCPUs,
 * MACHINE_DOMAIN_RAM, a minimal arm64 Image as its kernel, default scheduling.
 * A test may change it before machine_build().
 */
struct domu_config machine_config(domid_t id, unsigned vcpus);
/* Build domain id from c with domu_build(), as at boot; not started. Fails the test if refused. */
struct domain *machine_build(const struct domu_config *c, domid_t id);
/*
 * machine_build(machine_config(id, vcpus)), made the control domain if privileged
 * (dom0_build builds the real one from the machine's device tree; these tests
 * need only its privilege).
 */
struct domain *machine_domain(domid_t id, unsigned vcpus, bool privileged);
/*
 * Shut d down (poweroff) and run its teardown to the end: d is freed when this returns. A
 * domain made by createdomain is destroyed too (destroydomain), as xl does after a poweroff.
 */
void machine_destroy(struct domain *d);

/*
 * v runs: online and chosen by the scheduler on its CPU, which runs now
 * (current_vcpu() is v), as when it traps into the hypervisor.
 */
void machine_run(struct vcpu *v);
/* One pass of CPU cpu through the scheduler (guest_prepare_entry()); how it ended. */
enum fake_stop machine_pass(unsigned cpu);
/* Every CPU passes `rounds` times, then v runs (grace periods: teardown, pages given back). */
void machine_all_cpus_pass(unsigned rounds, struct vcpu *v);

/* Punt's pointer to guest frame gfn of d's RAM (its machine address), NULL if not RAM. */
uint8_t *machine_ram(struct domain *d, uint64_t gfn);

#endif
