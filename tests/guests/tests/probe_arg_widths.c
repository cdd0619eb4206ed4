// SPDX-License-Identifier: Apache-2.0
/*
 * Each hypercall's arguments read at the width Xen 4.17 gives them (xen/include/
 * hypercall-defs.c and the handlers' prototypes): cmd, counts and vCPU ids are 32-bit (int or
 * unsigned int) and the upper half of the register is ignored; memory_op's and hvm_op's
 * command are unsigned long (all 64 bits count), as is the hypercall number in x16. Here
 * every probe puts garbage in bit 32 and up of one argument. Every expected value is what
 * Xen 4.17 returned to this guest as dom0.
 */
#include "rt.h"

#define HIGH (1ull << 32)

static long call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return rt_hypercall(nr, a0, a1, a2, 0, 0);
}

static void int_commands(void)
{
	struct evtchn_status st = {.dom = DOMID_SELF, .port = 1};
	struct vcpu_register_runstate_memory_area area = {.addr_gva = RT_UNMAPPED_VA};
	struct gnttab_query_size q = {.dom = DOMID_SELF};

	PROBE("bad_xen_version_cmd", call(HYPERVISOR_xen_version, HIGH | XENVER_pagesize, 0, 0),
	      4096);
	PROBE("bad_event_channel_op_cmd",
	      call(HYPERVISOR_event_channel_op, 0xabcd0000ull << 32 | EVTCHNOP_status,
		   (uint64_t)&st, 0),
	      0);
	PROBE("bad_sched_op_cmd", call(HYPERVISOR_sched_op, HIGH | SCHEDOP_yield, 0, 0), 0);
	PROBE("bad_vcpu_op_cmd",
	      call(HYPERVISOR_vcpu_op, HIGH | VCPUOP_register_runstate_memory_area, 0,
		   (uint64_t)&area),
	      0);
	PROBE("bad_vcpu_op_vcpuid",
	      call(HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, ~0ull << 32,
		   (uint64_t)&area),
	      0);
	PROBE("bad_grant_table_op_cmd",
	      call(HYPERVISOR_grant_table_op, HIGH | GNTTABOP_query_size, (uint64_t)&q, 1), 0);
	PROBE("bad_grant_table_op_count",
	      call(HYPERVISOR_grant_table_op, GNTTABOP_query_size, (uint64_t)&q, HIGH | 1), 0);
	PROBE("bad_vm_assist_cmd",
	      call(HYPERVISOR_vm_assist, HIGH | VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag,
		   0),
	      0);
	PROBE("bad_vm_assist_type",
	      call(HYPERVISOR_vm_assist, VMASST_CMD_disable,
		   HIGH | VMASST_TYPE_runstate_update_flag, 0),
	      0);
}

static void console(void)
{
	static char text[] = "arg widths: [x]\n";

	/* Count 2^32 + 13 writes 13 bytes ("arg widths: ["), then the rest of the line. */
	PROBE("bad_console_io_count",
	      call(HYPERVISOR_console_io, CONSOLEIO_write, HIGH | 13, (uint64_t)text), 0);
	PROBE("bad_console_io_cmd",
	      call(HYPERVISOR_console_io, HIGH | CONSOLEIO_write, 3, (uint64_t)text + 13), 0);
	/* The whole register counts where the buffer is concerned: an unmapped one faults. */
	PROBE("bad_console_io_buffer_upper_half",
	      call(HYPERVISOR_console_io, CONSOLEIO_write, 1, HIGH | (uint64_t)text), -XEN_EFAULT);
}

static void long_commands(void)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = HVM_PARAM_STORE_PFN};

	PROBE("bad_memory_op_cmd", call(HYPERVISOR_memory_op, HIGH | XENMEM_maximum_ram_page, 0, 0),
	      -XEN_EINVAL);
	PROBE("bad_hvm_op_op", call(HYPERVISOR_hvm_op, HIGH | HVMOP_get_param, (uint64_t)&p, 0),
	      -XEN_ENOSYS);
	PROBE("bad_hypercall_number",
	      rt_hypercall(HIGH | HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0), -XEN_ENOSYS);
}

static void multicalls(void)
{
	struct multicall_entry e[2] = {
	    {.op = HYPERVISOR_xen_version, .result = 1, .args = {HIGH | XENVER_version}},
	    {.op = HIGH | HYPERVISOR_xen_version, .result = 1, .args = {XENVER_version}},
	};

	/* multicall(multicall_entry_t *call_list, unsigned int nr_calls). */
	PROBE("bad_multicall_nr", call(HYPERVISOR_multicall, (uint64_t)e, HIGH | 1, 0), 0);
	PROBE("bad_multicall_entry_argument", (long)e[0].result, 0x40011);
	PROBE("multicall_two", call(HYPERVISOR_multicall, (uint64_t)e, 2, 0), 0);
	/* An entry's op is a whole xen_ulong_t: with bit 32 set it is no hypercall. */
	PROBE("bad_multicall_entry_op", (long)e[1].result, -XEN_ENOSYS);
}

void test_main(void)
{
	int_commands();
	console();
	long_commands();
	multicalls();
}
