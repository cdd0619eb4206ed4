// SPDX-License-Identifier: Apache-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "machine.h"

#include <public/sched.h>
#include <punt/bootinfo.h>
#include <punt/cpu.h>
#include <punt/fdt.h>
#include <punt/memory.h>
#include <punt/page_alloc.h>
#include <punt/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMAGE_MAGIC 0x644d5241u /* "ARM\x64" at offset 56 of an arm64 Image */

static uint8_t *ram;
static uint8_t dtb[4096];
static struct boot_info boot;
static uint64_t free_at_boot;
/* An arm64 Image header and nothing else: enough for domu_build() to place it. */
static uint8_t kernel[4096] __attribute__((aligned(8)));

/* The smallest device tree memory_init() reads: a root and an empty /chosen. */
static size_t write_dtb(void)
{
	struct fdt_writer w;
	size_t size;

	fdtw_init(&w, dtb, sizeof(dtb), 0);
	fdtw_begin_node(&w, "");
	fdtw_prop_u32(&w, "#address-cells", 2);
	fdtw_prop_u32(&w, "#size-cells", 2);
	fdtw_begin_node(&w, "chosen");
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, &size), 0);
	return size;
}

static void write_kernel(void)
{
	uint64_t image_size = sizeof(kernel);
	uint32_t magic = IMAGE_MAGIC;

	memset(kernel, 0, sizeof(kernel));
	memcpy(kernel + 16, &image_size, sizeof(image_size));
	memcpy(kernel + 56, &magic, sizeof(magic));
}

void machine_boot(unsigned cpus)
{
	char err[160];

	if (!ram) {
		ram = aligned_alloc(2UL << 20, MACHINE_RAM_BYTES);
		assert_non_null(ram);
	}
	fake_arch_reset(cpus);
	boot = (struct boot_info){
	    .fdt = dtb,
	    .fdt_size = write_dtb(),
	    .mem = {{(uint64_t)(uintptr_t)ram, MACHINE_RAM_BYTES}},
	    .nr_mem = 1,
	    .nr_cpus = cpus,
	    .hyp_bootargs = "",
	};
	boot.psci_node = boot.gic.node = boot.timer.node = boot.uart.node = -1;
	if (memory_init(&boot, err, sizeof(err)))
		fail_msg("memory_init: %s", err);
	for (unsigned c = 0; c < cpus; c++) {
		fake_cpu_switch(c);
		sched_init_cpu();
	}
	fake_cpu_switch(0);
	sched_configure("");
	write_kernel();
	free_at_boot = page_alloc_free_pages();
}

struct domu_config machine_config(domid_t id, unsigned vcpus)
{
	struct domu_config c = {
	    .mem_bytes = MACHINE_DOMAIN_RAM,
	    .vcpus = vcpus,
	    .kernel = {(uint64_t)(uintptr_t)kernel, sizeof(kernel)},
	    .sched_weight = SCHED_DEFAULT_WEIGHT,
	};

	snprintf(c.name, sizeof(c.name), "d%u", id);
	return c;
}

struct domain *machine_build(const struct domu_config *c, domid_t id)
{
	char err[160];

	if (domu_build(c, id, err, sizeof(err)))
		fail_msg("domu_build of d%u: %s", id, err);
	struct domain *d = domain_lookup(id);
	assert_non_null(d);
	return d;
}

struct domain *machine_domain(domid_t id, unsigned vcpus, bool privileged)
{
	struct domu_config c = machine_config(id, vcpus);
	struct domain *d = machine_build(&c, id);

	d->privileged = privileged;
	return d;
}

static void pass(void *arg)
{
	(void)arg;
	guest_prepare_entry(NULL);
}

enum fake_stop machine_pass(unsigned cpu)
{
	fake_cpu_switch(cpu);
	return fake_run(pass, NULL);
}

void machine_all_cpus_pass(unsigned rounds, struct vcpu *v)
{
	for (unsigned r = 0; r < rounds; r++)
		for (unsigned c = 0; c < nr_pcpus; c++)
			machine_pass(c);
	machine_run(v);
}

static void reap(void *arg)
{
	(void)arg;
	domain_reaper_poll(this_cpu_id());
}

/* Every CPU passes until d's teardown has ended (or the machine went off with it). */
static void run_teardown(struct domain *d, domid_t id)
{
	for (unsigned round = 0; round < 16; round++) {
		for (unsigned c = 0; c < nr_pcpus; c++) {
			struct vcpu *loaded = pcpus[c].current;
			enum fake_stop how;
			fake_cpu_switch(c);
			if (loaded && loaded->domain->dying)
				how = fake_run(pass, NULL);
			else
				how = fake_run(reap, NULL);
			if (how == FAKE_SYSTEM_OFF)
				break;
		}
		if (domain_lookup_existing(id) != d && !domain_reap_pending())
			break;
	}
	fake_cpu_switch(0);
	if (domain_lookup_existing(id) == d)
		fail_msg("d%u: teardown did not end", id);
}

void machine_destroy(struct domain *d)
{
	domid_t id = d->id;

	/* The hardware domain's end is the machine's: end it as an ordinary domain. */
	d->privileged = false;
	domain_shutdown(d, SHUTDOWN_poweroff);
	/* A domain the toolstack made waits for its destroydomain, as xl's on_poweroff gives. */
	if (d->toolstack)
		domain_kill(d);
	run_teardown(d, id);
}

void machine_halt(void)
{
	for (domid_t id = 0; id < MAX_DOMAINS; id++) {
		struct domain *d = domain_lookup_existing(id);
		if (d)
			machine_destroy(d);
	}
	if (page_alloc_free_pages() != free_at_boot)
		fail_msg("the machine lost %ld pages",
			 (long)(free_at_boot - page_alloc_free_pages()));
	assert_int_equal(fake_spin_locks_held(), 0);
}

void machine_run(struct vcpu *v)
{
	if (v->state == VCPU_OFFLINE)
		vcpu_set_online(v, true);
	for (unsigned tries = 0; tries < 8; tries++) {
		enum fake_stop how = machine_pass(v->pcpu);
		if (how == FAKE_RETURNED && current_vcpu() == v)
			return;
		if (how == FAKE_RETURNED && current_vcpu())
			sched_yield_current();
	}
	fail_msg("d%uv%u did not get its CPU", v->domain->id, v->id);
}

uint8_t *machine_ram(struct domain *d, uint64_t gfn)
{
	uint64_t mfn;

	if (p2m_lookup(d, gfn, &mfn) != P2M_RAM_RW)
		return NULL;
	return (uint8_t *)(uintptr_t)(mfn << 12);
}
