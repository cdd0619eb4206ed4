# SPDX-License-Identifier: Apache-2.0
"""Debian's unmodified Xen 4.17 toolstack in dom0, on Punt and on Xen 4.17, compared.

dom0 boots with build/dom0-xl-initrd.cpio.gz (`make initramfs-xl`): its init starts xenstored
(Punt's own, tools/xenstored, under both hypervisors: the comparison is of the hypervisors),
xen-init-dom0 and xenconsoled, then runs the same script on both hypervisors: `xl info`,
`xl list`, `xl dmesg`, then `xl create` of the image's example guest (/etc/xen/debian-guest.cfg:
dom0's Debian kernel and a busybox initramfs), `xl list`, a wait for the guest's init in its
console log, the same seen through `xl console`, `xl pause` and `xl unpause` (each followed by
`xl list`), `xl destroy`, `xl list`, then a copy of the guest that powers itself off at its
init (xl destroys it: on_poweroff), `xl list` and `xl info` again, and powers off. The answers come from
the control interface (docs/control.md); what the machine is must read the same under both
hypervisors, `xl dmesg` must show each one's own log, and the guest's life must look the same.
"""

import re

import pytest

import conftest
import qemu
import xl_dom0

GUEST = "debian-guest"
GUEST_LOG = f"/var/log/xen/console/guest-{GUEST}.log"
# (name, punt.xl step): xl commands, and !PROG:ARG shell steps (scripts/mkinitramfs.sh).
STEPS = [
    ("info", "info"),
    ("list", "list"),
    ("dmesg", "dmesg"),
    ("create", f"create:/etc/xen/{GUEST}.cfg"),
    ("list-created", "list"),
    ("wait-guest-init", f"!punt-wait-log:{GUEST_LOG}:PUNT-INIT:.nproc=:90"),
    ("guest-console", f"!cat:{GUEST_LOG}"),
    ("xl-console", f"!punt-console:{GUEST}"),
    ("pause", f"pause:{GUEST}"),
    ("list-paused", "list"),
    ("unpause", f"unpause:{GUEST}"),
    ("list-unpaused", "list"),
    ("destroy", f"destroy:{GUEST}"),
    ("list-destroyed", "list"),
    # A guest that powers itself off: xl's monitor destroys it (on_poweroff's default).
    ("create-poweroff", f"create:/etc/xen/{GUEST}-poweroff.cfg"),
    ("wait-poweroff-gone", f"!punt-wait-gone:{GUEST}-poweroff:90"),
    ("poweroff-console", f"!cat:/var/log/xen/console/guest-{GUEST}-poweroff.log"),
    ("list-powered-off", "list"),
    # Freed pages come back asynchronously (Xen scrubs them when idle; Punt's teardown waits
    # for every CPU to pass its scheduler): a moment before counting them again.
    ("settle", "!sleep:3"),
    ("info-after", "info"),
]
SMP = 2
DOM0_MB = 512  # qemu.HYP_ARGS' dom0_mem
GUEST_MB = 128  # debian-guest.cfg's memory
TIMEOUT = 120


@pytest.fixture(scope="module")
def results():
    """Both runs, one after the other (one QEMU at a time)."""
    return {hyp: xl_dom0.run_steps("xl_toolstack", hyp, STEPS, SMP, TIMEOUT)
            for hyp in ("punt", "xen")}


def xl_info(results, hyp, step="info"):
    rc, lines, run = results[hyp][0][step]
    if rc != 0:
        run.fail("xl info to succeed", f"exit status {rc}")
    fields = {}
    for line in lines:
        m = re.match(r"^(\w+)\s+: (.*)$", line)
        if m:
            fields[m.group(1)] = m.group(2).strip()
    return fields, run


def test_xenstored_xen_init_dom0_and_xenconsoled_start_on_both(results):
    for hyp in ("punt", "xen"):
        daemons = results[hyp][1]
        run = results[hyp][0]["info"][2]
        conftest.check_equal(run, f"{hyp}: daemon exit statuses",
                             {"xenstored": 0, "xen-init-dom0": 0, "xenconsoled": 0}, daemons)


def test_xl_info_describes_the_same_machine_on_punt_as_on_xen(results):
    punt, run = xl_info(results, "punt")
    xen, _ = xl_info(results, "xen")
    for key in ("nr_cpus", "max_cpu_id", "nr_nodes", "cores_per_socket", "threads_per_core",
                "cpu_mhz", "total_memory", "xen_major", "xen_minor", "xen_scheduler",
                "xen_pagesize", "platform_params", "xen_commandline", "free_cpus"):
        conftest.check_equal(run, f"xl info {key} (Xen says {xen.get(key)!r})", xen.get(key),
                             punt.get(key))
    conftest.check_equal(run, "xl info nr_cpus", str(SMP), punt["nr_cpus"])
    conftest.check_equal(run, "xl info xen_version", "4.17", punt["xen_version"][:4])


def test_xl_info_total_memory_is_the_device_trees_and_free_memory_plausible(results):
    punt, run = xl_info(results, "punt")
    total, free = int(punt["total_memory"]), int(punt["free_memory"])
    conftest.check_equal(run, "xl info total_memory (MiB, QEMU's -m)", qemu.MEMORY_MB, total)
    if not 0 < free <= total - DOM0_MB:
        run.fail(f"free_memory in (0, {total - DOM0_MB}] MiB (dom0 has {DOM0_MB})", free)


def test_xl_info_caps_are_aarch64_hvm_hap_and_grant_tables_v1(results):
    punt, run = xl_info(results, "punt")
    xen, _ = xl_info(results, "xen")
    # libxc builds only guests whose type xen_caps lists; Punt runs AArch64 guests only.
    conftest.check_equal(run, "xl info xen_caps", "xen-3.0-aarch64", punt["xen_caps"])
    if "xen-3.0-aarch64" not in xen["xen_caps"].split():
        run.fail("Xen's xen_caps to list xen-3.0-aarch64", xen["xen_caps"])
    # Xen adds vpmu when the CPU has a PMU; Punt offers none to guests.
    conftest.check_equal(run, "xl info virt_caps", "hvm hap gnttab-v1", punt["virt_caps"])
    conftest.check_equal(run, "Xen's virt_caps without vpmu", "hvm hap gnttab-v1",
                         " ".join(w for w in xen["virt_caps"].split() if w != "vpmu"))


def domain_rows(results, hyp, name="list"):
    return xl_dom0.domain_rows(results[hyp][0], hyp, name)


def test_xl_list_shows_domain_0_as_on_xen(results):
    punt, run = domain_rows(results, "punt")
    xen, _ = domain_rows(results, "xen")
    # Name, ID, Mem, VCPUs and the state letters; the CPU time differs from run to run.
    conftest.check_equal(run, "xl list on Punt (on Xen: %r)" % xen, [r[:5] for r in xen],
                         [r[:5] for r in punt])
    conftest.check_equal(run, "xl list's only domain", ["Domain-0", "0", str(DOM0_MB), str(SMP)],
                         punt[0][:4])
    if not punt[0][4].startswith("r"):
        run.fail("dom0 running ('r' in xl list's state)", punt[0][4])


def test_xl_dmesg_shows_each_hypervisors_own_log(results):
    for hyp, line in (("punt", "(punt) Brought up 2 CPUs"),
                      ("xen", "(XEN) Brought up 2 CPUs")):
        rc, lines, run = results[hyp][0]["dmesg"]
        conftest.check_equal(run, f"xl dmesg exit status on {hyp}", 0, rc)
        if line not in lines:
            run.fail(f"xl dmesg on {hyp} to show {line!r}", "\n".join(lines[-20:]))
    rc, lines, run = results["punt"][0]["dmesg"]
    if not any(line.startswith("(punt) Punt hypervisor starting") for line in lines):
        run.fail("xl dmesg on Punt to start with Punt's boot lines", "\n".join(lines[:10]))


# ---- the example guest: xl create, its console, xl destroy ----------------------------------


def step(results, hyp, name):
    return xl_dom0.step(results[hyp][0], hyp, name)


def test_xl_create_starts_the_example_guest_on_both(results):
    for hyp in ("punt", "xen"):
        step(results, hyp, "create")
        rows, run = domain_rows(results, hyp, "list-created")
        # Name, ID, Mem, VCPUs; the state and CPU time depend on the moment.
        conftest.check_equal(run, f"xl list after xl create on {hyp}",
                             [["Domain-0", "0", str(DOM0_MB), str(SMP)],
                              [GUEST, "1", str(GUEST_MB), "1"]],
                             [r[:4] for r in rows])


def test_the_guest_reaches_its_init_and_its_console_shows_it_on_both(results):
    for hyp in ("punt", "xen"):
        step(results, hyp, "wait-guest-init")
        # xenconsoled's log of the guest's PV console, and `xl console` on its pty.
        for name in ("guest-console", "xl-console"):
            lines, run = step(results, hyp, name)
            for want in ("PUNT-INIT: reached", "PUNT-INIT: hypervisor=xen",
                         "PUNT-INIT: cpus-online=0", "PUNT-INIT: nproc=1"):
                if want not in lines:
                    run.fail(f"{name} on {hyp} to show {want!r}", "\n".join(lines[-20:]))


def test_xl_pause_and_unpause_show_in_the_guests_state_on_both(results):
    for hyp in ("punt", "xen"):
        states = {}
        for name in ("pause", "unpause"):
            step(results, hyp, name)
            rows, run = domain_rows(results, hyp, f"list-{name}d")
            guest = [r for r in rows if r[0] == GUEST]
            if len(guest) != 1:
                run.fail(f"{GUEST} in xl list after xl {name} on {hyp}", rows)
            states[name] = guest[0][4]
        if "p" not in states["pause"] or "p" in states["unpause"]:
            run.fail(f"on {hyp}: 'p' in the state after xl pause, not after xl unpause",
                     states)


def test_xl_destroy_removes_the_guest_and_gives_every_page_back_on_both(results):
    for hyp in ("punt", "xen"):
        step(results, hyp, "destroy")
        rows, run = domain_rows(results, hyp, "list-destroyed")
        conftest.check_equal(run, f"xl list after xl destroy on {hyp}", [["Domain-0", "0"]],
                             [r[:2] for r in rows])
        before, _ = xl_info(results, hyp)
        after, _ = xl_info(results, hyp, "info-after")
        conftest.check_equal(run, f"xl info free_memory on {hyp} after xl destroy (MiB)",
                             before["free_memory"], after["free_memory"])


def test_a_guest_that_powers_itself_off_is_destroyed_by_xl_on_both(results):
    for hyp in ("punt", "xen"):
        step(results, hyp, "create-poweroff")
        step(results, hyp, "wait-poweroff-gone")
        lines, run = step(results, hyp, "poweroff-console")
        if "PUNT-INIT: poweroff" not in lines:
            run.fail(f"the guest's console on {hyp} to show its init powering off",
                     "\n".join(lines[-20:]))
        rows, run = domain_rows(results, hyp, "list-powered-off")
        conftest.check_equal(run, f"xl list after the guest powered off on {hyp}",
                             [["Domain-0", "0"]], [r[:2] for r in rows])


def test_make_run_gives_a_dom0_shell_where_xl_answers(boot):
    """`make run`'s image and command line (SMP 2, no test action): the line saying how to
    start the example guest, then `xl list` typed at the shell, then `poweroff` ends QEMU."""
    run = boot.start("punt", smp=SMP, dom0_initrd=xl_dom0.XL_INITRD)
    run.expect(r"^Xen 4\.17 toolstack ready: 'xl create -c /etc/xen/debian-guest\.cfg' ",
               TIMEOUT, "the line saying how to start the example guest")
    # The prompt has no newline to wait for: type until the answer comes back.
    for _ in range(10):
        run.send("xl list\n")
        try:
            run.expect(r"^Domain-0\s+0\s+512\s+2\s", 5, "xl list typed at dom0's shell")
            break
        except conftest.console.ConsoleError:
            continue
    else:
        run.fail("xl list at dom0's shell to show Domain-0 within 50 s", "no answer")
    run.send("poweroff\n")
    run.expect(r"^PUNT-INIT: poweroff$", 30, "init to act on poweroff typed at the shell")
    conftest.check_equal(run, "QEMU exit status after poweroff", 0,
                         run.wait_exit(conftest.BOOT_TIMEOUT))
