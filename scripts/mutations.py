# SPDX-License-Identifier: Apache-2.0
"""The deliberate breakages `make mutate` applies to the hypervisor, one at a time.

Each mutation is (file, exact original text, replacement, tests): scripts/mutate.py copies
the tree, replaces the original text (which must occur exactly once in the file, or the
mutation is stale), rebuilds Punt in the copy and runs the tests, which must notice. The
tests are the narrowest that should catch the breakage; a miss means a test is too weak.
See docs/testing.md.
"""

from collections import namedtuple

Mutation = namedtuple("Mutation", "name file original replacement tests what")


def guests(*names):
    """Conformance micro-guests on Punt alone (tests/guests/run.py --hyp punt), by exact name."""
    return ("guests",) + names


def unit(*suites):
    """Host unit suites (tests/unit), by name."""
    return ("unit",) + suites


def pytest(path, select):
    """System tests (tests/system): one file, a -k expression."""
    return ("pytest", path, select)


def soak(boots):
    """tests/guests/soak.py: boots of the two-domain scenario, three QEMUs at once."""
    return ("soak", str(boots))


LIFECYCLE = pytest("tests/system/test_domain_lifecycle.py", "granter_that_powers_off")

MUTATIONS = [
    # ---- event channels ----
    Mutation("evtchn-unmask-no-upcall", "hyp/core/event_channel.c",
             "\t    !test_and_set_bit64(&v->vcpu_info->evtchn_pending_sel, word))\n"
             "\t\tmark_pending(v);\n\tdomain_unlock(&l);",
             "\t    !test_and_set_bit64(&v->vcpu_info->evtchn_pending_sel, word))\n"
             "\t\t(void)v;\n\tdomain_unlock(&l);",
             [guests("evtchn_masked_port_raises_on_unmask"), unit("test_evtchn")],
             "EVTCHNOP_unmask clears the mask of a pending port but raises no upcall"),
    Mutation("cpu-on-drops-pending-upcall", "hyp/core/sched.c",
             "\t\tevtchn_vcpu_restarted(next);\n",
             "",
             [guests("psci_cpu_on_delivers_upcall_left_pending_at_cpu_off"), unit("test_evtchn")],
             "a vCPU that went off with an upcall pending never takes it after CPU_ON"),
    Mutation("evtchn-alloc-unbound-no-permission-check", "hyp/core/event_channel.c",
             "\t\tif (td != d && !d->privileged)\n\t\t\treturn -XEN_EPERM;\n"
             "\t\trc = evtchn_alloc_unbound(",
             "\t\trc = evtchn_alloc_unbound(",
             [guests("hostile_peer_touches_nothing_it_was_not_given"), unit("test_evtchn")],
             "an unprivileged domain may allocate ports in another domain"),
    Mutation("evtchn-hyp-end-closed-by-guest", "hyp/core/event_channel.c",
             "chn->state == ECS_FREE || (by_guest && hyp_owned(chn)) ||",
             "chn->state == ECS_FREE ||",
             [unit("test_domctl")],
             "a guest closes the port the hypervisor holds for its UART's ring"),
    Mutation("evtchn-send-to-hyp-end-raises-guest-port", "hyp/core/event_channel.c",
             "\t\t\tif (hyp_owned(rchn))\n\t\t\t\tfn = hyp_consumers[rchn->consumer - 1];",
             "\t\t\tif (hyp_owned(rchn) && !rchn)\n\t\t\t\tfn = hyp_consumers[rchn->consumer - 1];",
             [unit("test_domctl")],
             "the backend's send on the UART's ring port raises it in the guest, not the UART"),
    Mutation("evtchn-port-bound-off-by-one", "hyp/core/event_channel.c",
             "\tif (port == 0 || port >= d->max_evtchns)\n\t\treturn NULL;",
             "\tif (port == 0 || port > d->max_evtchns)\n\t\treturn NULL;",
             [guests("evtchn_port_zero_and_bad_ports"), unit("test_evtchn")],
             "port 4096, one past the 2-level table, is taken for a port of the table"),
    Mutation("evtchn-close-leaves-peer-bound", "hyp/core/event_channel.c",
             "\t\t\trchn->state = ECS_UNBOUND;\n\t\t\trchn->remote_dom = d->id;",
             "\t\t\trchn->remote_dom = d->id;",
             [guests("evtchn_close_reverts_peer_to_unbound"), unit("test_evtchn")],
             "closing one end of a channel leaves the other end interdomain"),
    Mutation("evtchn-bind-virq-twice", "hyp/core/event_channel.c",
             "\tif (v->virq_to_port[virq]) {\n\t\trc = -XEN_EEXIST;",
             "\tif (false) {\n\t\trc = -XEN_EEXIST;",
             [guests("evtchn_bind_virq_rules"), unit("test_evtchn")],
             "a VIRQ can be bound a second time (no -EEXIST)"),
    # ---- grant tables ----
    Mutation("gnttab-readonly-mapped-writable", "hyp/core/grant_table.c",
             "\t\tif (!readonly && (flags & GTF_readonly))\n\t\t\treturn GNTST_general_error;\n",
             "",
             [guests("gnttab_interdomain_map_flags_and_errors"), unit("test_grant")],
             "a read-only grant can be mapped (or copied into) writable"),
    Mutation("gnttab-ref-bound-uses-max-frames", "hyp/core/grant_table.c",
             "\tif (ref >= gt->nr_frames * GRANT_ENTRIES_V1_PER_FRAME)",
             "\tif (ref >= gt->max_frames * GRANT_ENTRIES_V1_PER_FRAME)",
             [guests("gnttab_interdomain_map_flags_and_errors"), unit("test_grant")],
             "a grant ref past the table's frames but below its maximum is looked up"),
    Mutation("gnttab-copy-length-check-off-by-one", "hyp/core/grant_copy.c",
             "(uint32_t)op->source.offset + op->len > 4096 ||",
             "(uint32_t)op->source.offset + op->len > 4097 ||",
             [guests("gnttab_interdomain_copy_and_errors"), unit("test_grant")],
             "a copy may read one byte past the end of the source page"),
    Mutation("gnttab-teardown-leaks-frames", "hyp/core/grant_table.c",
             "\t\tpage_free(gt->frame_pa[i], 0);\n"
             "\t\tpage_free((uint64_t)gt->active[i], GRANT_ACTIVE_ORDER);",
             "\t\tpage_free((uint64_t)gt->active[i], GRANT_ACTIVE_ORDER);",
             [guests("evtchn_interdomain_ping_pong"), LIFECYCLE],
             "a destroyed domain's grant frames are never freed (a leaked page on teardown)"),
    # ---- memory_op ----
    Mutation("memory-shared-info-idx-checked-after-mapping", "hyp/core/memory_op.c",
             "\tif (idx != 0)\n\t\treturn -XEN_EINVAL;\n\tstruct domain_locked l = domain_lock(d);\n"
             "\tenum p2m_type there = p2m_lookup(d, gfn, NULL);",
             "\tstruct domain_locked l = domain_lock(d);\n"
             "\tenum p2m_type there = p2m_lookup(d, gfn, NULL);\n"
             "\tif (idx != 0)\n\t\trc = -XEN_EINVAL;",
             [guests("memory_shared_info_idx_nonzero_einval")],
             "add_to_physmap(shared_info, idx 1) maps shared_info (its -EINVAL comes below)"),
    Mutation("memory-remove-keeps-shared-info-gfn", "hyp/core/memory_op.c",
             "\tif (d->shared_info_gfn == op.gpfn)\n\t\td->shared_info_gfn = ~0UL;\n",
             "",
             [guests("memory_shared_info_remap_then_remove")],
             "remove_from_physmap of shared_info's GFN leaves it recorded: remapping is -EBUSY"),
    Mutation("domain-target-no-permission-check", "hyp/core/domain.c",
             "\tif (d != caller && !caller->privileged)\n\t\treturn -XEN_EPERM;\n\t*out = d;",
             "\t*out = d;",
             [guests("hostile_peer_touches_nothing_it_was_not_given")],
             "an unprivileged domain may act on another domain's physmap and channels"),
    # ---- vcpu_op ----
    Mutation("vcpu-info-bound-off-by-one", "hyp/core/vcpu_op.c",
             "info.offset > 4096 - sizeof(struct vcpu_info))",
             "info.offset >= 4096 - sizeof(struct vcpu_info))",
             [guests("vcpu_register_vcpu_info_crossing_page_enxio")],
             "a vcpu_info that exactly fits the page's end is refused"),
    Mutation("vcpu-op-unknown-enosys", "hyp/core/vcpu_op.c",
             "\tdefault:\n\t\treturn -XEN_EINVAL;\n\t}\n}",
             "\tdefault:\n\t\treturn -XEN_ENOSYS;\n\t}\n}",
             [guests("vcpu_op_unknown_subop_einval")],
             "an unknown vcpu_op returns -ENOSYS instead of Xen's -EINVAL"),
    # ---- sched_op ----
    Mutation("sched-poweroff-becomes-reboot", "hyp/core/sched_op.c",
             "\t\tdomain_shutdown(v->domain, (int)s.reason);",
             "\t\tdomain_shutdown(v->domain, s.reason == SHUTDOWN_poweroff ? SHUTDOWN_reboot\n"
             "\t\t\t\t\t\t\t\t       : (int)s.reason);",
             [guests("version_returns_4_17")],
             "SCHEDOP_shutdown(poweroff) reboots: dom0's machine restarts instead of ending"),
    Mutation("sched-poweroff-becomes-crash", "hyp/core/sched_op.c",
             "\t\tdomain_shutdown(v->domain, (int)s.reason);",
             "\t\tdomain_shutdown(v->domain, s.reason == SHUTDOWN_poweroff ? SHUTDOWN_crash\n"
             "\t\t\t\t\t\t\t\t       : (int)s.reason);",
             [guests("evtchn_interdomain_ping_pong"), LIFECYCLE],
             "SCHEDOP_shutdown(poweroff) is taken for a crash: dom0less domains end crashed"),
    Mutation("sched-yield-returns-1", "hyp/core/sched_op.c",
             "\t\tsched_yield_current();\n\t\treturn 0;",
             "\t\tsched_yield_current();\n\t\treturn 1;",
             [guests("sched_yield_returns_0")],
             "SCHEDOP_yield returns 1"),
    # ---- console ----
    Mutation("console-read-returns-count", "hyp/core/console_io.c",
             "\treturn (long)n;\n}",
             "\treturn (long)count;\n}",
             [guests("console_io_write_and_read")],
             "CONSOLEIO_read with no input returns the buffer size, not 0"),
    # ---- xen_version ----
    Mutation("version-minor-16", "hyp/core/xen_version.c",
             "#define PUNT_XEN_MINOR 17",
             "#define PUNT_XEN_MINOR 16",
             [guests("version_returns_4_17", "multicall_runs_each_entry")],
             "XENVER_version says 4.16"),
    Mutation("version-build-id-short-buffer-accepted", "hyp/core/xen_version.c",
             "\tif (len > head.len)\n\t\treturn -XEN_ENOBUFS;",
             "\tif (len > head.len + 1)\n\t\treturn -XEN_ENOBUFS;",
             [guests("version_build_id_returns_length")],
             "XENVER_build_id writes a 20-byte id into a 19-byte buffer"),
    # ---- hvm_op ----
    Mutation("hvm-param-of-another-domain", "hyp/core/hvm_op.c",
             "\trc = domain_target(v->domain, p.domid, &d);\n",
             "\td = domain_from_guest_id(v->domain, p.domid);\n\trc = d ? 0 : -XEN_ESRCH;\n",
             [guests("hostile_peer_touches_nothing_it_was_not_given")],
             "an unprivileged domain may read another domain's HVM parameters"),
    # ---- policy ----
    Mutation("policy-everyone-linked", "hyp/core/policy.c",
             "\treturn b->id < MAX_DOMAINS && a->id < MAX_DOMAINS && linked(a, b);",
             "\treturn b->id < MAX_DOMAINS && a->id < MAX_DOMAINS && (linked(a, b) || true);",
             [unit("test_evtchn", "test_grant")],
             "two guests that the configuration does not link may talk to each other"),
    Mutation("policy-control-open", "hyp/core/policy.c",
             "\treturn caller->privileged ? 0 : -XEN_EPERM;",
             "\treturn caller ? 0 : -XEN_EPERM;",
             [unit("test_control"), guests("probe_control")],
             "a domU may use sysctl and domctl"),
    Mutation("pause-ignored", "hyp/core/sched.c",
             "\tif (s == VCPU_RUNNABLE && domain_paused(v->domain))",
             "\tif (false && domain_paused(v->domain))",
             [unit("test_domctl")],
             "a domain the toolstack created, or paused, runs anyway"),
    Mutation("toolstack-domain-reaped-at-shutdown", "hyp/core/domain.c",
             "\tif (!d->toolstack)\n\t\tqueue_reap(d);",
             "\tqueue_reap(d);",
             [unit("test_domctl")],
             "a created domain that shuts down is gone before xl can see why"),
    Mutation("foreign-mapping-does-not-hold", "hyp/core/domain.c",
             "\t    __atomic_load_n(&e->d->foreign_refs, __ATOMIC_SEQ_CST)) {",
             "\t    false) {",
             [unit("test_foreign")],
             "a destroyed domain's pages are freed while dom0 still maps them"),
    Mutation("readconsole-index-ignored", "hyp/core/sysctl.c",
             "\tif (rc->incremental &&",
             "\tif (false && rc->incremental &&",
             [unit("test_control")],
             "xl dmesg reads the whole log again on every call and never ends"),
    # ---- hypercall dispatch ----
    Mutation("hypercall-number-bound-off-by-one", "hyp/core/hypercall.c",
             "\tif (nr >= HYPERVISOR_NR_CALLS || !hypercall_table[nr])",
             "\tif (nr > HYPERVISOR_NR_CALLS || !hypercall_table[nr])",
             [guests("hypercall_unknown_numbers_enosys")],
             "hypercall 64 indexes one past the hypercall table"),
    # ---- vGIC ----
    Mutation("vgic-enable-writes-ignored", "hyp/arch/arm64/vgic-v3.c",
             "\tif (set)\n\t\t*map |= val;\n\telse\n\t\t*map &= ~val;",
             "\tif (set && f != FAM_ENABLE)\n\t\t*map |= val;\n\telse if (!set)\n"
             "\t\t*map &= ~val;",
             [guests("timer_virtual_fires_ppi27", "evtchn_loopback_send_raises_upcall")],
             "GICD/GICR ISENABLER writes enable nothing"),
    # ---- vtimer ----
    Mutation("vtimer-interrupt-dropped", "hyp/arch/arm64/vtimer.c",
             "\tisb();\n\tvgic_inject(v, intid);",
             "\tisb();\n\t(void)intid;",
             [guests("timer_virtual_fires_ppi27")],
             "the virtual timer's interrupt is never injected"),
    # ---- vPSCI ----
    Mutation("vpsci-affinity-info-inverted", "hyp/arch/arm64/vpsci.c",
             "\treturn v->state == VCPU_OFFLINE ? AFFINITY_OFF : AFFINITY_ON;",
             "\treturn v->state == VCPU_OFFLINE ? AFFINITY_ON : AFFINITY_OFF;",
             [guests("psci_cpu_on_starts_vcpu1")],
             "AFFINITY_INFO reports on for off and off for on"),
    Mutation("vpsci-system-reset-not-listed", "hyp/arch/arm64/vpsci.c",
             "\tcase PSCI_0_2_FN_SYSTEM_RESET:\n\tcase PSCI_1_0_FN_PSCI_FEATURES:\n\tcase SMCCC_VERSION:",
             "\tcase PSCI_1_0_FN_PSCI_FEATURES:\n\tcase SMCCC_VERSION:",
             [guests("psci_features_known_and_unknown")],
             "PSCI_FEATURES says SYSTEM_RESET is not supported"),
    # ---- vpl011 ----
    Mutation("vpl011-transmit-always-full", "hyp/arch/arm64/vpl011.c",
             "\tfr = FR_TXFE;",
             "\tfr = FR_TXFF;",
             [guests("evtchn_interdomain_ping_pong")],
             "the emulated UART's transmit FIFO always reads full: a domU's output hangs"),
    Mutation("vpl011-teardown-leaks-its-page", "hyp/arch/arm64/vpl011.c",
             "\tif (d->arch.vuart)\n\t\tpage_free((uint64_t)d->arch.vuart, 0);\n",
             "",
             [guests("evtchn_interdomain_ping_pong")],
             "a destroyed domain's UART page is never freed (a leaked page on teardown)"),
    # ---- domain lifecycle ----
    Mutation("dom0-poweroff-faults-at-el2", "hyp/core/domain.c",
             "\t\tprintk(\"Powering off the machine\\n\");\n\t\tarch_system_off();",
             "\t\tprintk(\"Powering off the machine\\n\");\n"
             "\t\tstatic volatile uint64_t unmapped = 8;\n"
             "\t\t*(volatile uint64_t *)unmapped = 0;\n\t\tarch_system_off();",
             [guests("version_returns_4_17")],
             "an EL2 data abort while dom0 powers the machine off"),
    Mutation("dom0-poweroff-hangs", "hyp/core/domain.c",
             "\t\tprintk(\"Powering off the machine\\n\");\n\t\tarch_system_off();",
             "\t\tprintk(\"Powering off the machine\\n\");\n"
             "\t\tfor (;;)\n\t\t\t__asm__ volatile(\"wfi\");",
             [guests("version_returns_4_17")],
             "dom0 powers off and the machine hangs instead of ending"),
    Mutation("last-domain-does-not-end-the-machine", "hyp/core/domain.c",
             "\t\tprintk(\"All domains have stopped: powering off\\n\");\n\t\tarch_system_off();",
             "\t\tprintk(\"All domains have stopped: powering off\\n\");",
             [guests("evtchn_interdomain_ping_pong"), soak(6)],
             "the last dom0less domain powers off and the machine keeps running"),
    Mutation("domain-teardown-leaks-shared-info", "hyp/core/domain.c",
             "\tif (d->shared_info)\n\t\tpage_free((uint64_t)d->shared_info, 0);\n",
             "",
             [guests("evtchn_interdomain_ping_pong"), LIFECYCLE],
             "a destroyed domain's shared_info page is never freed (a leaked page on teardown)"),
    # ---- page allocator ----
    Mutation("page-alloc-double-free-unnoticed", "hyp/core/page_alloc.c",
             "\tif (overlaps_free(r, pa, order))\n"
             "\t\treturn \"page_free: double free (block overlaps free memory)\";",
             "\tif (overlaps_free(r, pa, order) && false)\n"
             "\t\treturn \"page_free: double free (block overlaps free memory)\";",
             [unit("test_page_alloc")],
             "freeing a free block goes unnoticed"),
    Mutation("page-alloc-split-loses-a-half", "hyp/core/page_alloc.c",
             "\t\tk--;\n\t\tinsert_free(best, page + (1u << k), k);",
             "\t\tk--;\n\t\tif (k)\n\t\t\tinsert_free(best, page + (1u << k), k);",
             [unit("test_page_alloc")],
             "splitting a block down to one page loses the buddy page"),
    # ---- scheduler ----
    Mutation("sched-weights-ignored", "hyp/core/sched_vtime.c",
             "\treturn ns * SCHED_DEFAULT_WEIGHT / u->dom->weight;",
             "\t(void)u;\n\treturn ns;",
             [unit("test_sched")],
             "virtual time ignores the domain's weight: every domain gets an equal share"),
    Mutation("sched-wake-ratelimit-ignored", "hyp/core/sched_vtime.c",
             "\tif (now < c->on_cpu_since + WAKE_RATELIMIT_NS)\n\t\treturn false;\n",
             "",
             [unit("test_sched")],
             "a waking vCPU preempts one that has just been given the CPU (no 1 ms rate limit)"),
    Mutation("vuart-ring-page-given-back", "hyp/core/memory_op.c",
             "holds_vcpu_info(d, mfn) || arch_domain_uses_page(d, mfn) ||",
             "holds_vcpu_info(d, mfn) ||",
             [unit("test_domctl")],
             "decrease_reservation frees the page the emulated UART's ring is in"),
    Mutation("p2m-transient-fault-injected", "hyp/arch/arm64/traps.c",
             "if (mmio_handle_abort(v, esr, ipa) || p2m_fault_was_transient(v->domain, esr, ipa))",
             "if (mmio_handle_abort(v, esr, ipa))",
             [guests("stage2_split_is_never_seen_by_another_vcpu")],
             "a vCPU that touches a block while another splits it gets an abort"),
    Mutation("guest-access-no-retry-after-split", "hyp/arch/arm64/guest_access.c",
             "\t\tp2m_wait_for_changes(current_domain());\n\t\tif (translate(gva, write, pa))\n",
             "\t\tif (true)\n",
             [guests("stage2_split_is_never_seen_by_another_vcpu")],
             "a hypercall whose buffer is in a block another vCPU splits fails with -EFAULT"),
    # ---- boot configuration ----
    Mutation("bootargs-megabytes-are-kilobytes", "hyp/lib/bootargs.c",
             "\tcase 'm':\n\t\treturn 20;",
             "\tcase 'm':\n\t\treturn 10;",
             [unit("test_bootargs")],
             "a size with an M suffix (dom0_mem=512M) is read as KiB"),
]
