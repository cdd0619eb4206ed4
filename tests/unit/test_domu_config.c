// SPDX-License-Identifier: Apache-2.0
/*
 * Boot-time domain nodes (Xen's "xen,domain" binding under /chosen, with Punt's punt,sched-*
 * properties) straight through the parser, hyp/core/domu_config.c: a good node gives the
 * configuration it describes, and each malformed one in the table is refused with the
 * message that names its problem. Every device tree is written per case: the node "domU1"
 * with one change, next to a good "domU2" whose static channel points back at domU1's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <public/xen.h>
#include <punt/domu.h>
#include <punt/fdt.h>
#include <punt/grant_table.h>

#define KERNEL_BASE 0x48000000u
#define KERNEL_SIZE 0x200000u

/* What a case leaves out of, or adds to, the otherwise good node domU1. */
enum {
	NO_MEMORY = 1 << 0,
	NO_KERNEL = 1 << 1,
	NO_CHANNEL = 1 << 2, /* domU1 has no channel (domU2's then points at nothing) */
};

struct dt_case {
	const char *what;
	unsigned omit;
	void (*edit)(struct fdt_writer *w);  /* more properties of domU1 */
	const char *error;		     /* what domu_config_parse() must say */
	void (*nodes)(struct fdt_writer *w); /* more children of domU1 (after its properties) */
};

static uint8_t dtb[8192];

static void module(struct fdt_writer *w, const char *name, const char *kind, uint32_t base,
		   uint32_t size)
{
	fdtw_begin_node(w, name);
	fdtw_prop_strings(w, "compatible", (const char *const[]){kind, "multiboot,module"}, 2);
	fdtw_prop_cells(w, "reg", (const uint32_t[]){base, size}, 2);
	fdtw_end_node(w);
}

static void channel(struct fdt_writer *w, const char *name, uint32_t phandle, uint32_t port,
		    uint32_t peer)
{
	fdtw_begin_node(w, name);
	fdtw_prop_string(w, "compatible", "xen,evtchn-v1");
	fdtw_prop_cells(w, "xen,evtchn", (const uint32_t[]){port, peer}, 2);
	if (phandle)
		fdtw_prop_u32(w, "phandle", phandle);
	fdtw_end_node(w);
}

/*
 * / { chosen { domU1 { ...; ev { port 5 -> 2 } }; domU2 { ...; ev { port 6 -> 1 } } } }.
 * Returns domU1's offset.
 */
static int write_dt(const struct dt_case *c)
{
	struct fdt_writer w;
	int nodes[DOMU_MAX];

	fdtw_init(&w, dtb, sizeof(dtb), 0);
	fdtw_begin_node(&w, "");
	fdtw_prop_u32(&w, "#address-cells", 2);
	fdtw_prop_u32(&w, "#size-cells", 2);
	fdtw_begin_node(&w, "chosen");
	for (unsigned n = 1; n <= 2; n++) {
		bool first = n == 1;
		fdtw_begin_node(&w, first ? "domU1" : "domU2");
		fdtw_prop_string(&w, "compatible", "xen,domain");
		fdtw_prop_u32(&w, "#address-cells", 1);
		fdtw_prop_u32(&w, "#size-cells", 1);
		if (!first || !(c->omit & NO_MEMORY))
			fdtw_prop_u32(&w, "memory", 32 * 1024);
		if (first && c->edit)
			c->edit(&w);
		if (!first || !(c->omit & NO_KERNEL))
			module(&w, "kernel", "multiboot,kernel", KERNEL_BASE + n * 0x1000000u,
			       KERNEL_SIZE);
		if (!first || !(c->omit & NO_CHANNEL))
			channel(&w, "ev", n, first ? 5 : 6, first ? 2 : 1);
		if (first && c->nodes)
			c->nodes(&w);
		fdtw_end_node(&w);
	}
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, NULL), 0);
	assert_int_equal(domu_find_nodes(dtb, nodes, DOMU_MAX), 2);
	return nodes[0];
}

/* ---- good nodes --------------------------------------------------------------------------- */

static void a_full_node(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "cpus", 3);
	fdtw_prop(w, "vpl011", NULL, 0);
	fdtw_prop_string(w, "xen,enhanced", "disabled");
	fdtw_prop_u32(w, "nr_spis", 100);
	fdtw_prop_u32(w, "punt,sched-weight", 512);
	fdtw_prop_u32(w, "punt,sched-cap", 150);
	fdtw_prop_string(w, "punt,sched-affinity", "1-2");
	fdtw_prop_u32(w, "max_grant_frames", 4);
	fdtw_prop_u32(w, "capabilities", 0);
	fdtw_prop_u32(w, "trap-unmapped-accesses", 1);
	fdtw_prop_u32(w, "max_grant_version", 1);
	fdtw_prop_string(w, "passthrough", "disabled");
}

static void a_ramdisk_and_a_channel_without_a_phandle(struct fdt_writer *w)
{
	module(w, "ramdisk", "multiboot,ramdisk", 0x49000000u, 0x3000);
	channel(w, "ev7", 0, 7, 2);
}

/* domU2's channel comes back to domU1's "ev", not to "ev7", which has no phandle at all. */
static void a_channel_nothing_points_back_at_is_refused(void **state)
{
	(void)state;
	const struct dt_case c = {.what = "full",
				  .edit = a_full_node,
				  .nodes = a_ramdisk_and_a_channel_without_a_phandle};
	struct domu_config cfg;
	char err[160] = "";
	int node = write_dt(&c);

	assert_int_equal(domu_config_parse(dtb, node, &cfg, err, sizeof(err)), -1);
	assert_string_equal(err, "ev7: the other end (ev) is not a domain's channel back to it");
}

static void a_node_without_optional_properties_gets_the_defaults(void **state)
{
	(void)state;
	const struct dt_case c = {.what = "full",
				  .edit = a_full_node,
				  .nodes = a_ramdisk_and_a_channel_without_a_phandle};
	struct domu_config cfg;
	char err[160] = "";
	int nodes[DOMU_MAX];

	write_dt(&c);
	domu_find_nodes(dtb, nodes, DOMU_MAX);
	/* domU2: the defaults, and its channel back to domU1's port 5. */
	assert_int_equal(domu_config_parse(dtb, nodes[1], &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.name, "domU2");
	assert_int_equal(cfg.mem_bytes, 32UL << 20);
	assert_int_equal(cfg.vcpus, 1);
	assert_false(cfg.vpl011);
	assert_int_equal(cfg.sched_weight, 256);
	assert_int_equal(cfg.sched_cap, 0);
	assert_int_equal(cpumask_weight(&cfg.sched_affinity, 8), 0);
	assert_int_equal(cfg.max_grant_frames, 0);
	assert_int_equal(cfg.kernel.base, KERNEL_BASE + 0x2000000u);
	assert_int_equal(cfg.kernel.size, KERNEL_SIZE);
	assert_int_equal(cfg.ramdisk.size, 0);
	assert_int_equal(cfg.nr_evtchns, 1);
	assert_int_equal(cfg.evtchn[0].port, 6);
	assert_int_equal(cfg.evtchn[0].peer, 1);
	assert_int_equal(cfg.evtchn[0].peer_port, 5);
}

static void a_ramdisk(struct fdt_writer *w)
{
	module(w, "ramdisk", "multiboot,ramdisk", 0x49000000u, 0x3000);
}

static void the_optional_properties_of_a_node_are_taken(void **state)
{
	(void)state;
	const struct dt_case c = {.what = "full", .edit = a_full_node, .nodes = a_ramdisk};
	struct domu_config cfg;
	char err[160] = "";
	int node = write_dt(&c);

	assert_int_equal(domu_config_parse(dtb, node, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.vcpus, 3);
	assert_true(cfg.vpl011);
	assert_int_equal(cfg.enhanced, DOMU_PLAIN);
	assert_int_equal(cfg.nr_spis, 100);
	assert_int_equal(cfg.sched_weight, 512);
	assert_int_equal(cfg.sched_cap, 150);
	assert_true(cpumask_test(&cfg.sched_affinity, 1) && cpumask_test(&cfg.sched_affinity, 2));
	assert_int_equal(cpumask_weight(&cfg.sched_affinity, 8), 2);
	assert_int_equal(cfg.max_grant_frames, 4);
	assert_int_equal(cfg.ramdisk.base, 0x49000000u);
	assert_int_equal(cfg.ramdisk.size, 0x3000);
	assert_int_equal(cfg.evtchn[0].peer, 2);
	assert_int_equal(cfg.evtchn[0].peer_port, 6);
}

/* ---- malformed nodes ------------------------------------------------------------------------- */

static void memory_three_cells(struct fdt_writer *w)
{
	fdtw_prop_cells(w, "memory", (const uint32_t[]){0, 0, 1}, 3);
}
static void memory_8_mib(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "memory", 8 * 1024);
}
static void memory_128_gib(struct fdt_writer *w)
{
	fdtw_prop_cells(w, "memory", (const uint32_t[]){0, 128u << 20}, 2);
}
static void cpus_two_cells(struct fdt_writer *w)
{
	fdtw_prop_cells(w, "cpus", (const uint32_t[]){0, 1}, 2);
}
static void cpus_0(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "cpus", 0);
}
static void cpus_9(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "cpus", 9);
}
static void enhanced_maybe(struct fdt_writer *w)
{
	fdtw_prop_string(w, "xen,enhanced", "maybe");
}
static void spis_961(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "nr_spis", 961);
}
static void weight_two_cells(struct fdt_writer *w)
{
	fdtw_prop_cells(w, "punt,sched-weight", (const uint32_t[]){0, 256}, 2);
}
static void weight_0(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "punt,sched-weight", 0);
}
static void cap_too_big(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "punt,sched-cap", 100 * CONFIG_NR_CPUS + 1);
}
static void affinity_words(struct fdt_writer *w)
{
	fdtw_prop_string(w, "punt,sched-affinity", "all");
}
static void affinity_not_a_string(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "punt,sched-affinity", 0x312d3200u + 0x33); /* "1-23" with no NUL */
}
static void direct_map(struct fdt_writer *w)
{
	fdtw_prop(w, "direct-map", NULL, 0);
}
static void static_mem(struct fdt_writer *w)
{
	fdtw_prop_cells(w, "xen,static-mem", (const uint32_t[]){0x50000000, 0x1000000}, 2);
}
static void cpupool(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "domain-cpupool", 1);
}
static void p2m_mem(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "xen,domain-p2m-mem-mb", 2);
}
static void capabilities_control(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "capabilities", 1);
}
static void no_trap(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "trap-unmapped-accesses", 0);
}
static void grant_v2(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "max_grant_version", 2);
}
static void passthrough_on(struct fdt_writer *w)
{
	fdtw_prop_string(w, "passthrough", "enabled");
}
static void grant_frames_0(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "max_grant_frames", 0);
}
static void grant_frames_too_many(struct fdt_writer *w)
{
	fdtw_prop_u32(w, "max_grant_frames", GNTTAB_MAX_FRAMES + 1);
}
static void kernel_bad_reg(struct fdt_writer *w)
{
	fdtw_begin_node(w, "kernel");
	fdtw_prop_strings(w, "compatible",
			  (const char *const[]){"multiboot,kernel", "multiboot,module"}, 2);
	fdtw_prop_cells(w, "reg", (const uint32_t[]){KERNEL_BASE}, 1);
	fdtw_end_node(w);
}
static void partial_dt(struct fdt_writer *w)
{
	module(w, "dtb", "multiboot,device-tree", 0x4a000000u, 0x1000);
}
static void evtchn_one_cell(struct fdt_writer *w)
{
	fdtw_begin_node(w, "bad");
	fdtw_prop_string(w, "compatible", "xen,evtchn-v1");
	fdtw_prop_u32(w, "xen,evtchn", 7);
	fdtw_end_node(w);
}
static void evtchn_port_0(struct fdt_writer *w)
{
	channel(w, "bad", 9, 0, 2);
}
static void evtchn_port_4096(struct fdt_writer *w)
{
	channel(w, "bad", 9, EVTCHN_2L_NR_CHANNELS, 2);
}
static void evtchn_to_nothing(struct fdt_writer *w)
{
	channel(w, "bad", 9, 7, 0x77);
}
static void evtchn_to_a_module(struct fdt_writer *w)
{
	fdtw_begin_node(w, "notachannel");
	fdtw_prop_string(w, "compatible", "multiboot,module");
	fdtw_prop_cells(w, "xen,evtchn", (const uint32_t[]){7, 9}, 2);
	fdtw_prop_u32(w, "phandle", 0x55);
	fdtw_end_node(w);
	channel(w, "bad", 9, 7, 0x55);
}
/* To domU2's channel, which goes back to domU1's "ev", not to this one. */
static void evtchn_not_pointed_back_at(struct fdt_writer *w)
{
	channel(w, "bad", 9, 7, 2);
}
/* A second channel on "ev"'s port 5, one that comes back to itself (the parser lets that be). */
static void evtchn_same_port_twice(struct fdt_writer *w)
{
	channel(w, "again", 9, 5, 9);
}
static void evtchn_too_many(struct fdt_writer *w)
{
	char name[8];

	for (unsigned i = 0; i < DOMU_MAX_STATIC_EVTCHNS; i++) {
		snprintf(name, sizeof(name), "ev%u", i + 10);
		channel(w, name, i + 10, i + 10, i + 10); /* each its own other end */
	}
}

static const struct dt_case malformed[] = {
    {"no memory", NO_MEMORY, NULL, "missing or malformed \"memory\" (KiB, 1 or 2 cells)", NULL},
    {"memory in 3 cells", NO_MEMORY, memory_three_cells, "missing or malformed \"memory\"", NULL},
    {"8 MiB", NO_MEMORY, memory_8_mib, "memory of 8192 KiB is out of range (16 MiB to 64 GiB)",
     NULL},
    {"128 GiB", NO_MEMORY, memory_128_gib,
     "memory of 134217728 KiB is out of range (16 MiB to 64 GiB)", NULL},
    {"cpus in 2 cells", 0, cpus_two_cells, "malformed \"cpus\"", NULL},
    {"0 cpus", 0, cpus_0, "cpus = 0 is out of range (1 to 8)", NULL},
    {"9 cpus", 0, cpus_9, "cpus = 9 is out of range (1 to 8)", NULL},
    {"xen,enhanced", 0, enhanced_maybe,
     "xen,enhanced = \"maybe\" is not supported (use \"enabled\", \"no-xenstore\" or "
     "\"disabled\")",
     NULL},
    {"961 SPIs", 0, spis_961, "nr_spis = 961 is more than 960", NULL},
    {"weight in 2 cells", 0, weight_two_cells, "malformed \"punt,sched-weight\" (one cell)", NULL},
    {"weight 0", 0, weight_0, "punt,sched-weight = 0: ", NULL},
    {"cap", 0, cap_too_big, "punt,sched-cap = 801: ", NULL},
    {"affinity words", 0, affinity_words,
     "punt,sched-affinity = \"all\" is not a CPU list like \"0-1,3\"", NULL},
    {"affinity cells", 0, affinity_not_a_string,
     "punt,sched-affinity = \"\" is not a CPU list like \"0-1,3\"", NULL},
    {"direct-map", 0, direct_map, "\"direct-map\" is not supported", NULL},
    {"static memory", 0, static_mem, "\"xen,static-mem\" is not supported", NULL},
    {"cpupool", 0, cpupool, "\"domain-cpupool\" is not supported", NULL},
    {"p2m pool", 0, p2m_mem, "\"xen,domain-p2m-mem-mb\" is not supported", NULL},
    {"control domain", 0, capabilities_control,
     "capabilities = 1: a boot-time guest cannot be the control, hardware or xenstore domain",
     NULL},
    {"no trapping", 0, no_trap, "trap-unmapped-accesses = 0: unmapped accesses always fault here",
     NULL},
    {"grant v2", 0, grant_v2, "max_grant_version = 2: only version 1 is offered", NULL},
    {"passthrough", 0, passthrough_on, "passthrough = \"enabled\" is not supported", NULL},
    {"0 grant frames", 0, grant_frames_0, "max_grant_frames must be 1 to 64", NULL},
    {"65 grant frames", 0, grant_frames_too_many, "max_grant_frames must be 1 to 64", NULL},
    {"kernel reg", NO_KERNEL, NULL, "a module has a malformed reg", kernel_bad_reg},
    {"no kernel", NO_KERNEL, NULL, "no multiboot,kernel module", NULL},
    {"partial DT", 0, NULL, "partial device trees (passthrough) are not supported", partial_dt},
    {"evtchn cells", 0, NULL, "bad: \"xen,evtchn\" must be <port phandle>", evtchn_one_cell},
    {"evtchn port 0", 0, NULL, "bad: port 0 is out of range (1 to 4095)", evtchn_port_0},
    {"evtchn port 4096", 0, NULL, "bad: port 4096 is out of range (1 to 4095)", evtchn_port_4096},
    {"evtchn to nothing", 0, NULL, "bad: phandle 0x77 is not a xen,evtchn-v1 node",
     evtchn_to_nothing},
    {"evtchn to a module", 0, NULL, "bad: phandle 0x55 is not a xen,evtchn-v1 node",
     evtchn_to_a_module},
    {"evtchn one way", 0, NULL, "bad: the other end (ev) is not a domain's channel back to it",
     evtchn_not_pointed_back_at},
    {"evtchn port twice", 0, NULL, "port 5 is used by two static channels", evtchn_same_port_twice},
    {"17 channels", 0, NULL, "more than 16 static event channels", evtchn_too_many},
};

static void each_malformed_node_is_refused_with_its_reason(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		const struct dt_case *c = &malformed[i];
		struct domu_config cfg;
		char err[200] = "";
		int node = write_dt(c);
		if (domu_config_parse(dtb, node, &cfg, err, sizeof(err)) != -1)
			fail_msg("%s: accepted", c->what);
		if (!strstr(err, c->error))
			fail_msg("%s: said \"%s\", not \"%s\"", c->what, err, c->error);
	}
}

/* domU1's channel points at domU2's port 0: the other end's port is checked too. */
static void a_channel_whose_other_end_has_port_0_is_refused(void **state)
{
	(void)state;
	struct fdt_writer w;
	struct domu_config cfg;
	char err[200] = "";
	int nodes[DOMU_MAX];

	fdtw_init(&w, dtb, sizeof(dtb), 0);
	fdtw_begin_node(&w, "");
	fdtw_begin_node(&w, "chosen");
	for (unsigned n = 1; n <= 2; n++) {
		fdtw_begin_node(&w, n == 1 ? "domU1" : "domU2");
		fdtw_prop_string(&w, "compatible", "xen,domain");
		fdtw_prop_u32(&w, "#address-cells", 1);
		fdtw_prop_u32(&w, "#size-cells", 1);
		fdtw_prop_u32(&w, "memory", 32 * 1024);
		module(&w, "kernel", "multiboot,kernel", KERNEL_BASE, KERNEL_SIZE);
		channel(&w, "ev", n, n == 1 ? 5 : 0, n == 1 ? 2 : 1);
		fdtw_end_node(&w);
	}
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w, NULL), 0);
	assert_int_equal(domu_find_nodes(dtb, nodes, DOMU_MAX), 2);
	assert_int_equal(domu_config_parse(dtb, nodes[0], &cfg, err, sizeof(err)), -1);
	assert_string_equal(err, "ev: the other end's port 0 is out of range");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_channel_nothing_points_back_at_is_refused),
	    cmocka_unit_test(a_node_without_optional_properties_gets_the_defaults),
	    cmocka_unit_test(the_optional_properties_of_a_node_are_taken),
	    cmocka_unit_test(each_malformed_node_is_refused_with_its_reason),
	    cmocka_unit_test(a_channel_whose_other_end_has_port_0_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
