// SPDX-License-Identifier: Apache-2.0
/*
 * The small hypercalls through the real dispatch table (hyp/core/hypercall.c do_hypercall())
 * with domains the core built on the fake architecture: the table and its policy check,
 * multicall, xen_version, hvm_op, sched_op, vcpu_op, console_io, vm_assist, platform_op
 * (settime64 and the wallclock in shared_info) and the debug keys behind the console. The
 * answers are Xen 4.17's, as the conformance kit (tests/guests/tests/) expects them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "machine.h"
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/features.h>
#include <public/hvm_op.h>
#include <public/hvm_params.h>
#include <public/platform.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/vm_assist.h>
#include <public/xen.h>
#include <punt/arch/irq.h>
#include <punt/console.h>
#include <punt/cpu.h>
#include <punt/debug_keys.h>
#include <punt/event_channel.h>
#include <punt/hypercall.h>
#include <punt/sched.h>

#define SCHEDOP_yield		0
#define SCHEDOP_block		1
#define SCHEDOP_shutdown	2
#define SCHEDOP_poll		3
#define SCHEDOP_remote_shutdown 4
#define SCHEDOP_shutdown_code	5
#define CONSOLEIO_write		0
#define CONSOLEIO_read		1

static struct domain *dom0, *d1, *d2;

static int setup(void **state)
{
	(void)state;
	machine_boot(2);
	dom0 = machine_domain(0, 1, true);
	d1 = machine_domain(1, 2, false);
	d2 = machine_domain(2, 1, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	machine_halt();
	return 0;
}

static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* v traps with hypercall nr on its CPU, which has taken its interrupts, as on guest entry. */
static long call(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	machine_run(v);
	irq_handle_pending();
	return do_hypercall(v, nr, (const uint64_t[5]){a0, a1, a2, 0, 0});
}

/* ---- the dispatch table and its policy check ------------------------------------------ */

static void unknown_hypercall_numbers_are_enosys(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];

	assert_int_equal(call(v, 1 /* mmu_update: not on Arm */, 0, 0, 0), -XEN_ENOSYS);
	assert_int_equal(call(v, HYPERVISOR_NR_CALLS, 0, 0, 0), -XEN_ENOSYS);
	assert_int_equal(call(v, 1UL << 40, 0, 0, 0), -XEN_ENOSYS);
}

static void platform_op_is_for_the_control_domain_only(void **state)
{
	(void)state;
	struct xen_platform_op op = {.cmd = XENPF_settime64,
				     .interface_version = XENPF_INTERFACE_VERSION};

	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_platform_op, ptr(&op), 0, 0), -XEN_EPERM);
	assert_int_equal(call(dom0->vcpus[0], HYPERVISOR_platform_op, ptr(&op), 0, 0), 0);
}

/* Xen 4.17 reads and version-checks the argument before it asks XSM: so does Punt. */
static void platform_op_checks_its_argument_before_the_policy(void **state)
{
	(void)state;
	struct xen_platform_op op = {.cmd = XENPF_settime64, .interface_version = 1};

	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_platform_op, 64, 0, 0), -XEN_EFAULT);
	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_platform_op, ptr(&op), 0, 0), -XEN_EACCES);
}

static void multicall_runs_each_entry_and_writes_its_result(void **state)
{
	(void)state;
	struct multicall_entry e[3] = {
	    {.op = HYPERVISOR_xen_version, .args = {XENVER_version}},
	    {.op = HYPERVISOR_xen_version, .args = {XENVER_pagesize}},
	    {.op = 99, .result = 7},
	};

	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_multicall, ptr(e), 3, 0), 0);
	assert_int_equal(e[0].result, 0x40011);
	assert_int_equal(e[1].result, 4096);
	assert_int_equal((long)e[2].result, -XEN_ENOSYS);
}

static void a_multicall_inside_a_multicall_is_einval(void **state)
{
	(void)state;
	struct multicall_entry inner = {.op = HYPERVISOR_xen_version, .args = {XENVER_version}};
	struct multicall_entry outer = {.op = HYPERVISOR_multicall, .args = {ptr(&inner), 1}};

	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_multicall, ptr(&outer), 1, 0), 0);
	assert_int_equal((long)outer.result, -XEN_EINVAL);
	assert_int_equal(inner.result, 0);
}

static void a_multicall_list_that_faults_is_efault(void **state)
{
	(void)state;
	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_multicall, 64, 1, 0), -XEN_EFAULT);
}

static void a_preempted_multicall_continues_at_the_next_entry(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];
	struct multicall_entry e[2] = {
	    {.op = HYPERVISOR_xen_version, .args = {XENVER_version}},
	    {.op = HYPERVISOR_xen_version, .args = {XENVER_pagesize}},
	};

	machine_run(v);
	irq_handle_pending();
	fake_preempt_at(1);
	do_hypercall(v, HYPERVISOR_multicall, (const uint64_t[5]){ptr(e), 2, 0, 0, 0});
	assert_int_equal(e[0].result, 0x40011);
	assert_int_equal(e[1].result, 0);
	assert_int_equal(v->arch.restarts, 1);
	assert_int_equal(v->arch.regs.x[0], ptr(&e[1]));
	assert_int_equal(v->arch.regs.x[1], 1);
}

/* ---- xen_version ---------------------------------------------------------------------- */

static void xen_version_is_4_17_punt(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];
	char extra[XEN_EXTRAVERSION_LEN];

	assert_int_equal(call(v, HYPERVISOR_xen_version, XENVER_version, 0, 0), (4 << 16) | 17);
	/* The command is an int: the register's upper half is ignored. */
	assert_int_equal(call(v, HYPERVISOR_xen_version, (1UL << 32) | XENVER_version, 0, 0),
			 (4 << 16) | 17);
	assert_int_equal(call(v, HYPERVISOR_xen_version, XENVER_extraversion, ptr(extra), 0), 0);
	assert_string_equal(extra, "-punt");
}

static void xen_version_strings_are_xens_for_arm64(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];
	char caps[XEN_CAPABILITIES_LEN], changeset[64];
	struct xen_compile_info info;
	struct xen_platform_parameters p;

	assert_int_equal(call(v, HYPERVISOR_xen_version, XENVER_capabilities, ptr(caps), 0), 0);
	assert_string_equal(caps, "xen-3.0-aarch64 ");
	assert_int_equal(call(v, HYPERVISOR_xen_version, XENVER_changeset, ptr(changeset), 0), 0);
	assert_string_equal(changeset, "punt");
	assert_int_equal(call(v, HYPERVISOR_xen_version, XENVER_compile_info, ptr(&info), 0), 0);
	assert_memory_equal(info.compiler, "gcc ", 4);
	assert_string_equal(info.compile_by, "punt");
	assert_int_equal(call(v, HYPERVISOR_xen_version, XENVER_platform_parameters, ptr(&p), 0),
			 0);
	assert_int_equal(p.virt_start, 0x200000);
}

static void xen_version_features_tell_dom0_from_a_guest(void **state)
{
	(void)state;
	struct xen_feature_info fi = {.submap_idx = 0};
	uint32_t common =
	    (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_auto_translated_physmap) |
	    (1u << XENFEAT_memory_op_vnode_supported) | (1u << XENFEAT_ARM_SMCCC_supported);

	assert_int_equal(
	    call(d1->vcpus[0], HYPERVISOR_xen_version, XENVER_get_features, ptr(&fi), 0), 0);
	assert_int_equal(fi.submap, common | (1u << XENFEAT_not_direct_mapped));
	dom0->direct_mapped = true; /* as dom0_build() makes it (test_boot.c builds the real one) */
	assert_int_equal(
	    call(dom0->vcpus[0], HYPERVISOR_xen_version, XENVER_get_features, ptr(&fi), 0), 0);
	assert_int_equal(fi.submap, common | (1u << XENFEAT_dom0) | (1u << XENFEAT_direct_mapped));
	dom0->direct_mapped = false;
	fi.submap_idx = 1;
	assert_int_equal(
	    call(d1->vcpus[0], HYPERVISOR_xen_version, XENVER_get_features, ptr(&fi), 0),
	    -XEN_EINVAL);
}

static void xen_version_pagesize_takes_no_argument(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];

	assert_int_equal(call(v, HYPERVISOR_xen_version, XENVER_pagesize, 0, 0), 4096);
	assert_int_equal(call(v, HYPERVISOR_xen_version, XENVER_pagesize, 8, 0), -XEN_EINVAL);
}

static void xen_version_guest_handle_is_zero(void **state)
{
	(void)state;
	uint8_t handle[16];

	memset(handle, 0xff, sizeof(handle));
	assert_int_equal(
	    call(d1->vcpus[0], HYPERVISOR_xen_version, XENVER_guest_handle, ptr(handle), 0), 0);
	for (unsigned i = 0; i < sizeof(handle); i++)
		assert_int_equal(handle[i], 0);
}

static void xen_version_command_line_is_denied_to_a_guest(void **state)
{
	(void)state;
	char line[1024];

	assert_int_equal(
	    call(d1->vcpus[0], HYPERVISOR_xen_version, XENVER_commandline, ptr(line), 0), 0);
	assert_string_equal(line, "<denied>");
	memset(line, 'x', sizeof(line));
	assert_int_equal(
	    call(dom0->vcpus[0], HYPERVISOR_xen_version, XENVER_commandline, ptr(line), 0), 0);
	/* This machine was not booted through start_punt(): its command line is empty. */
	assert_string_equal(line, "");
}

static void xen_version_build_id_follows_xens_rules(void **state)
{
	(void)state;
	struct {
		struct xen_build_id head;
		uint8_t id[8];
	} b = {.head = {.len = 8}};

	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_xen_version, XENVER_build_id, ptr(&b), 0),
			 -XEN_EPERM);
	assert_int_equal(call(dom0->vcpus[0], HYPERVISOR_xen_version, XENVER_build_id, 0, 0), 8);
	assert_int_equal(call(dom0->vcpus[0], HYPERVISOR_xen_version, XENVER_build_id, ptr(&b), 0),
			 8);
	/* The fake image's note (hyp/arch/fake/memory.c). */
	assert_memory_equal(b.id, "punt", 4);
	b.head.len = 4;
	assert_int_equal(call(dom0->vcpus[0], HYPERVISOR_xen_version, XENVER_build_id, ptr(&b), 0),
			 -XEN_ENOBUFS);
	b.head.len = 0;
	assert_int_equal(call(dom0->vcpus[0], HYPERVISOR_xen_version, XENVER_build_id, ptr(&b), 0),
			 -XEN_EINVAL);
}

static void xen_version_unknown_commands_and_bad_buffers(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];

	assert_int_equal(call(v, HYPERVISOR_xen_version, 11, 0, 0), -XEN_ENOSYS);
	assert_int_equal(call(v, HYPERVISOR_xen_version, XENVER_extraversion, 64, 0), -XEN_EFAULT);
	assert_int_equal(call(v, HYPERVISOR_xen_version, XENVER_get_features, 64, 0), -XEN_EFAULT);
	assert_int_equal(call(v, HYPERVISOR_xen_version, XENVER_compile_info, 64, 0), -XEN_EFAULT);
}

/* ---- hvm_op --------------------------------------------------------------------------- */

static long hvm_param(struct vcpu *v, uint64_t op, domid_t dom, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = {.domid = dom, .index = index, .value = value ? *value : 0};
	long rc = call(v, HYPERVISOR_hvm_op, op, ptr(&p), 0);

	if (value)
		*value = p.value;
	return rc;
}

static void the_toolstack_sets_a_guests_store_and_the_guest_reads_it(void **state)
{
	(void)state;
	uint64_t pfn = 0x40123, got = 0;

	assert_int_equal(hvm_param(dom0->vcpus[0], HVMOP_set_param, 1, HVM_PARAM_STORE_PFN, &pfn),
			 0);
	assert_int_equal(
	    hvm_param(d1->vcpus[0], HVMOP_get_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &got), 0);
	assert_int_equal(got, 0x40123);
}

static void a_guest_cannot_set_its_own_toolstack_parameters(void **state)
{
	(void)state;
	uint64_t pfn = 5;

	assert_int_equal(
	    hvm_param(d1->vcpus[0], HVMOP_set_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &pfn),
	    -XEN_EPERM);
	assert_int_equal(
	    hvm_param(d1->vcpus[0], HVMOP_get_param, DOMID_SELF, HVM_PARAM_MONITOR_RING_PFN, NULL),
	    -XEN_EPERM);
	assert_int_equal(
	    hvm_param(dom0->vcpus[0], HVMOP_get_param, 1, HVM_PARAM_MONITOR_RING_PFN, NULL), 0);
}

static void a_guest_cannot_reach_another_guests_parameters(void **state)
{
	(void)state;
	assert_int_equal(hvm_param(d1->vcpus[0], HVMOP_get_param, 2, HVM_PARAM_STORE_PFN, NULL),
			 -XEN_EPERM);
	assert_int_equal(hvm_param(dom0->vcpus[0], HVMOP_get_param, 77, HVM_PARAM_STORE_PFN, NULL),
			 -XEN_ESRCH);
}

static void unknown_hvm_parameters_and_ops_are_refused(void **state)
{
	(void)state;
	uint64_t v = 1;

	assert_int_equal(hvm_param(dom0->vcpus[0], HVMOP_set_param, 1, NR_HVM_PARAMS - 1, &v),
			 -XEN_EINVAL);
	assert_int_equal(hvm_param(dom0->vcpus[0], HVMOP_get_param, 1, NR_HVM_PARAMS, NULL),
			 -XEN_EINVAL);
	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_hvm_op, 99, 0, 0), -XEN_ENOSYS);
	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_hvm_op, HVMOP_get_param, 64, 0),
			 -XEN_EFAULT);
}

static void guest_request_vm_event_takes_no_argument(void **state)
{
	(void)state;
	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_hvm_op, HVMOP_guest_request_vm_event, 0, 0),
			 0);
	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_hvm_op, HVMOP_guest_request_vm_event, 8, 0),
			 -XEN_EINVAL);
}

/* ---- sched_op ------------------------------------------------------------------------- */

static void block_takes_the_vcpu_off_its_cpu_until_woken(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];

	assert_int_equal(call(v, HYPERVISOR_sched_op, SCHEDOP_block, 0, 0), 0);
	assert_int_equal(v->state, VCPU_BLOCKED);
	vcpu_wake(v);
	assert_int_equal(v->state, VCPU_RUNNABLE);
}

static void yield_keeps_the_vcpu_runnable(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];

	assert_int_equal(call(v, HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0), 0);
	assert_int_equal(v->state, VCPU_RUNNABLE);
}

static void shutdown_records_the_reason_and_the_domain_goes(void **state)
{
	(void)state;
	struct sched_shutdown s = {.reason = SHUTDOWN_crash + 10};

	assert_int_equal(call(d2->vcpus[0], HYPERVISOR_sched_op, SCHEDOP_shutdown, ptr(&s), 0),
			 -XEN_EINVAL);
	assert_false(d2->dying);
	s.reason = 7;
	assert_int_equal(call(d2->vcpus[0], HYPERVISOR_sched_op, SCHEDOP_shutdown_code, ptr(&s), 0),
			 0);
	assert_int_equal(d2->shutdown_code, 7);
	s.reason = SHUTDOWN_crash;
	assert_int_equal(call(d2->vcpus[0], HYPERVISOR_sched_op, SCHEDOP_shutdown, ptr(&s), 0), 0);
	assert_true(d2->dying);
	assert_int_equal(d2->shutdown_reason, SHUTDOWN_crash);
	assert_int_equal(d2->vcpus[0]->state, VCPU_OFFLINE);
}

static void remote_shutdown_is_the_control_domains(void **state)
{
	(void)state;
	struct sched_remote_shutdown s = {.domid = 2, .reason = SHUTDOWN_poweroff};

	assert_int_equal(
	    call(d1->vcpus[0], HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, ptr(&s), 0),
	    -XEN_EPERM);
	s.domid = 55;
	assert_int_equal(
	    call(dom0->vcpus[0], HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, ptr(&s), 0),
	    -XEN_ESRCH);
	s.domid = 2;
	s.reason = 99;
	assert_int_equal(
	    call(dom0->vcpus[0], HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, ptr(&s), 0),
	    -XEN_EINVAL);
	s.reason = SHUTDOWN_poweroff;
	assert_int_equal(
	    call(dom0->vcpus[0], HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, ptr(&s), 0), 0);
	assert_true(d2->dying);
}

static void poll_returns_at_once_for_a_pending_port(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];
	uint32_t port = 5;
	struct sched_poll p = {.ports_gva = ptr(&port), .nr_ports = 1};

	d1->shared_info->evtchn_pending[0] |= 1UL << 5;
	assert_int_equal(call(v, HYPERVISOR_sched_op, SCHEDOP_poll, ptr(&p), 0), 0);
	assert_int_equal(v->state, VCPU_RUNNABLE);
}

static void poll_blocks_until_its_timeout(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];
	uint32_t port = 5;
	struct sched_poll p = {.ports_gva = ptr(&port), .nr_ports = 1, .timeout = 1000000};

	assert_int_equal(call(v, HYPERVISOR_sched_op, SCHEDOP_poll, ptr(&p), 0), 0);
	assert_int_equal(v->state, VCPU_BLOCKED);
	assert_int_not_equal(v->wake_deadline, 0);
}

static void poll_refuses_bad_ports(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];
	uint32_t port = 1u << 20;
	struct sched_poll p = {.ports_gva = ptr(&port), .nr_ports = 1};

	assert_int_equal(call(v, HYPERVISOR_sched_op, SCHEDOP_poll, ptr(&p), 0), -XEN_EINVAL);
	p.nr_ports = 129;
	assert_int_equal(call(v, HYPERVISOR_sched_op, SCHEDOP_poll, ptr(&p), 0), -XEN_EINVAL);
	p.nr_ports = 1;
	p.ports_gva = 64;
	assert_int_equal(call(v, HYPERVISOR_sched_op, SCHEDOP_poll, ptr(&p), 0), -XEN_EFAULT);
	assert_int_equal(v->state, VCPU_RUNNABLE);
}

static void unknown_sched_ops_are_enosys(void **state)
{
	(void)state;
	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_sched_op, 6, 0, 0), -XEN_ENOSYS);
	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_sched_op, SCHEDOP_shutdown, 64, 0),
			 -XEN_EFAULT);
}

/* ---- vcpu_op -------------------------------------------------------------------------- */

static void vcpu_info_moves_to_the_page_the_guest_names(void **state)
{
	(void)state;
	struct vcpu_register_vcpu_info info = {.mfn = MACHINE_DOMAIN_GFN + 3, .offset = 64};
	struct vcpu *v = d1->vcpus[0];

	assert_int_equal(call(v, HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, ptr(&info)), 0);
	assert_ptr_equal(v->vcpu_info, machine_ram(d1, MACHINE_DOMAIN_GFN + 3) + 64);
	/* Once only, as on Xen. */
	assert_int_equal(call(v, HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, ptr(&info)),
			 -XEN_EINVAL);
}

static void vcpu_info_refusals(void **state)
{
	(void)state;
	struct vcpu_register_vcpu_info info = {.mfn = MACHINE_DOMAIN_GFN, .offset = 4};
	struct vcpu *v = d1->vcpus[0];

	assert_int_equal(call(v, HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, ptr(&info)),
			 -XEN_ENXIO);
	info.offset = 0;
	info.mfn = 0x10;
	assert_int_equal(call(v, HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, ptr(&info)),
			 -XEN_EINVAL);
	assert_int_equal(call(v, HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 2, ptr(&info)),
			 -XEN_ENOENT);
	assert_int_equal(call(v, HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, 64),
			 -XEN_EFAULT);
	/* A sibling that runs cannot have its vcpu_info moved under it. */
	info.mfn = MACHINE_DOMAIN_GFN;
	vcpu_set_online(d1->vcpus[1], true);
	assert_int_equal(call(v, HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1, ptr(&info)),
			 -XEN_EINVAL);
	assert_int_equal(call(v, HYPERVISOR_vcpu_op, 99, 0, 0), -XEN_EINVAL);
}

static void runstate_area_is_registered(void **state)
{
	(void)state;
	struct vcpu_runstate_info rs;
	struct vcpu_register_runstate_memory_area a = {.addr_gva = ptr(&rs)};
	struct vcpu *v = d1->vcpus[0];

	assert_int_equal(
	    call(v, HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, ptr(&a)), 0);
	assert_int_equal(v->runstate_gva, ptr(&rs));
	assert_int_equal(call(v, HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, 64),
			 -XEN_EFAULT);
}

/* ---- console_io ----------------------------------------------------------------------- */

static void console_io_is_the_control_domains(void **state)
{
	(void)state;
	assert_int_equal(call(d1->vcpus[0], HYPERVISOR_console_io, CONSOLEIO_write, 2, ptr("hi")),
			 -XEN_EPERM);
}

static void dom0_writes_reach_the_uart_as_they_are(void **state)
{
	(void)state;
	fake_uart_clear();
	assert_int_equal(
	    call(dom0->vcpus[0], HYPERVISOR_console_io, CONSOLEIO_write, 6, ptr("hello\n")), 0);
	assert_string_equal(fake_uart_output(), "hello\n");
	/* The count is an unsigned int: its upper half is ignored. */
	assert_int_equal(call(dom0->vcpus[0], HYPERVISOR_console_io, CONSOLEIO_write,
			      (1UL << 32) | 3, ptr("abc")),
			 0);
	assert_string_equal(fake_uart_output(), "hello\nabc");
	assert_int_equal(call(dom0->vcpus[0], HYPERVISOR_console_io, CONSOLEIO_write, 3, 64),
			 -XEN_EFAULT);
}

static void a_preempted_console_write_continues_with_the_rest(void **state)
{
	(void)state;
	static char text[600];
	struct vcpu *v = dom0->vcpus[0];

	memset(text, 'x', sizeof(text));
	machine_run(v);
	irq_handle_pending();
	fake_preempt_at(1);
	do_hypercall(v, HYPERVISOR_console_io,
		     (const uint64_t[5]){CONSOLEIO_write, sizeof(text), ptr(text), 0, 0});
	/* One chunk of 256 written; the rest is issued again. */
	assert_int_equal(v->arch.restarts, 1);
	assert_int_equal(v->arch.regs.x[1], sizeof(text) - 256);
	assert_int_equal(v->arch.regs.x[2], ptr(text + 256));
}

static void dom0_reads_what_was_typed_for_it(void **state)
{
	(void)state;
	char buf[16] = {0};

	console_focus_first();
	fake_uart_input("ls\n", 3);
	console_rx_interrupt();
	assert_int_equal(
	    call(dom0->vcpus[0], HYPERVISOR_console_io, CONSOLEIO_read, sizeof(buf), ptr(buf)), 3);
	assert_string_equal(buf, "ls\n");
	assert_int_equal(
	    call(dom0->vcpus[0], HYPERVISOR_console_io, CONSOLEIO_read, sizeof(buf), ptr(buf)), 0);
	assert_int_equal(
	    call(dom0->vcpus[0], HYPERVISOR_console_io, CONSOLEIO_read, 0x80000000u, ptr(buf)),
	    -XEN_E2BIG);
	assert_int_equal(call(dom0->vcpus[0], HYPERVISOR_console_io, 9, 0, 0), -XEN_ENOSYS);
}

/* ---- debug keys, reached by switching the console's input to Punt --------------------- */

static void type_to_punt(const char *keys)
{
	console_focus_first(); /* input to dom0 */
	fake_uart_input("\x01\x01\x01", 3);
	console_rx_interrupt();
	fake_uart_clear();
	fake_uart_input(keys, strlen(keys));
	console_rx_interrupt();
}

static void three_ctrl_a_switch_input_to_punt(void **state)
{
	(void)state;
	console_focus_first();
	fake_uart_input("\x01\x01\x01", 3);
	console_rx_interrupt();
	assert_non_null(strstr(fake_uart_output(), "*** Serial input to Punt"));
}

static void debug_key_h_lists_the_keys(void **state)
{
	(void)state;
	type_to_punt("h");
	assert_non_null(strstr(fake_uart_output(), "Debug keys:"));
	assert_non_null(strstr(fake_uart_output(), "'d'  dump domains and vCPUs"));
	assert_non_null(strstr(fake_uart_output(), "'m'  dump memory and the page allocator"));
}

static void debug_key_d_dumps_every_domain(void **state)
{
	(void)state;
	type_to_punt("d");
	assert_non_null(strstr(fake_uart_output(), "Domain 0 (d0) [control, hardware]: 1 vCPUs"));
	assert_non_null(strstr(fake_uart_output(), "Domain 2 (d2): 1 vCPUs"));
	assert_non_null(strstr(fake_uart_output(), "vCPU 1 on CPU"));
}

static void debug_key_m_dumps_memory(void **state)
{
	(void)state;
	type_to_punt("m");
	assert_non_null(strstr(fake_uart_output(), "pages free"));
	assert_non_null(strstr(fake_uart_output(), "RAM bank"));
}

static void an_unknown_debug_key_says_so(void **state)
{
	(void)state;
	type_to_punt("~\x7f");
	assert_non_null(strstr(fake_uart_output(), "No debug key '~' ('h' lists them)"));
	assert_non_null(strstr(fake_uart_output(), "No debug key '?'"));
}

/* ---- vm_assist, platform_op and the wallclock ----------------------------------------- */

static void vm_assist_turns_the_runstate_update_flag_on_and_off(void **state)
{
	(void)state;
	struct vcpu *v = d1->vcpus[0];
	uint32_t flag = 1u << VMASST_TYPE_runstate_update_flag;

	assert_int_equal(
	    call(v, HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag, 0),
	    0);
	assert_int_equal(d1->vm_assist & flag, flag);
	assert_int_equal(
	    call(v, HYPERVISOR_vm_assist, VMASST_CMD_disable, VMASST_TYPE_runstate_update_flag, 0),
	    0);
	assert_int_equal(d1->vm_assist & flag, 0);
	assert_int_equal(call(v, HYPERVISOR_vm_assist, VMASST_CMD_enable, 0, 0), -XEN_EINVAL);
	assert_int_equal(call(v, HYPERVISOR_vm_assist, 7, VMASST_TYPE_runstate_update_flag, 0),
			 -XEN_ENOSYS);
}

static long settime(uint64_t secs, uint32_t nsecs, uint64_t system_time, uint32_t mbz)
{
	struct xen_platform_op op = {.cmd = XENPF_settime64,
				     .interface_version = XENPF_INTERFACE_VERSION};

	op.u.settime64.secs = secs;
	op.u.settime64.nsecs = nsecs;
	op.u.settime64.system_time = system_time;
	op.u.settime64.mbz = mbz;
	return call(dom0->vcpus[0], HYPERVISOR_platform_op, ptr(&op), 0, 0);
}

static void settime_publishes_the_wallclock_to_every_domain(void **state)
{
	(void)state;
	uint32_t version = d2->shared_info->wc_version;

	/* 1000.25 s of wall time when the system had run 0.5 s: it started at 999.75 s. */
	assert_int_equal(settime(1000, 250000000, 500000000, 0), 0);
	assert_int_equal(d2->shared_info->wc_version, version + 2);
	assert_int_equal(d2->shared_info->wc_sec, 999);
	assert_int_equal(d2->shared_info->wc_nsec, 750000000);
	assert_int_equal(d1->shared_info->wc_sec, 999);
	assert_int_equal(d2->shared_info->wc_sec_hi, 0);
}

static void settime_refusals(void **state)
{
	(void)state;
	struct xen_platform_op op = {.cmd = 63, .interface_version = XENPF_INTERFACE_VERSION};

	assert_int_equal(settime(1, 0, 0, 1), -XEN_EINVAL);
	assert_int_equal(call(dom0->vcpus[0], HYPERVISOR_platform_op, ptr(&op), 0, 0), -XEN_ENOSYS);
	op.interface_version = 1;
	assert_int_equal(call(dom0->vcpus[0], HYPERVISOR_platform_op, ptr(&op), 0, 0), -XEN_EACCES);
	assert_int_equal(call(dom0->vcpus[0], HYPERVISOR_platform_op, 64, 0, 0), -XEN_EFAULT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(unknown_hypercall_numbers_are_enosys),
	    T(platform_op_is_for_the_control_domain_only),
	    T(platform_op_checks_its_argument_before_the_policy),
	    T(multicall_runs_each_entry_and_writes_its_result),
	    T(a_multicall_inside_a_multicall_is_einval),
	    T(a_multicall_list_that_faults_is_efault),
	    T(a_preempted_multicall_continues_at_the_next_entry),
	    T(xen_version_is_4_17_punt),
	    T(xen_version_strings_are_xens_for_arm64),
	    T(xen_version_features_tell_dom0_from_a_guest),
	    T(xen_version_pagesize_takes_no_argument),
	    T(xen_version_guest_handle_is_zero),
	    T(xen_version_command_line_is_denied_to_a_guest),
	    T(xen_version_build_id_follows_xens_rules),
	    T(xen_version_unknown_commands_and_bad_buffers),
	    T(the_toolstack_sets_a_guests_store_and_the_guest_reads_it),
	    T(a_guest_cannot_set_its_own_toolstack_parameters),
	    T(a_guest_cannot_reach_another_guests_parameters),
	    T(unknown_hvm_parameters_and_ops_are_refused),
	    T(guest_request_vm_event_takes_no_argument),
	    T(block_takes_the_vcpu_off_its_cpu_until_woken),
	    T(yield_keeps_the_vcpu_runnable),
	    T(shutdown_records_the_reason_and_the_domain_goes),
	    T(remote_shutdown_is_the_control_domains),
	    T(poll_returns_at_once_for_a_pending_port),
	    T(poll_blocks_until_its_timeout),
	    T(poll_refuses_bad_ports),
	    T(unknown_sched_ops_are_enosys),
	    T(vcpu_info_moves_to_the_page_the_guest_names),
	    T(vcpu_info_refusals),
	    T(runstate_area_is_registered),
	    T(console_io_is_the_control_domains),
	    T(dom0_writes_reach_the_uart_as_they_are),
	    T(a_preempted_console_write_continues_with_the_rest),
	    T(dom0_reads_what_was_typed_for_it),
	    T(three_ctrl_a_switch_input_to_punt),
	    T(debug_key_h_lists_the_keys),
	    T(debug_key_d_dumps_every_domain),
	    T(debug_key_m_dumps_memory),
	    T(an_unknown_debug_key_says_so),
	    T(vm_assist_turns_the_runstate_update_flag_on_and_off),
	    T(settime_publishes_the_wallclock_to_every_domain),
	    T(settime_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
