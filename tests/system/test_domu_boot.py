# SPDX-License-Identifier: Apache-2.0
"""Domains started at boot from /chosen xen,domain nodes (Xen's dom0less binding).

The tree is QEMU's own, with dom0's module nodes replaced by xen,domain nodes that use the
same kernel and initramfs the guest-loader devices put in RAM. Each guest has an emulated
SBSA UART, a PV console (hvc0, when xen,enhanced) or both; Punt prints its lines prefixed
with (dN).
"""

import re

import pytest

import dom0less
import qemu
from conftest import BOOT_TIMEOUT, SWITCH, focus_on

GUEST_ARGS = "console=ttyAMA0 rdinit=/init punt.test=poweroff"
SHELL_ARGS = "console=ttyAMA0 rdinit=/init"
REBOOT_ARGS = "console=ttyAMA0 rdinit=/init punt.test=reboot"
# panic=1: a panicking Linux resets its machine (PSCI SYSTEM_RESET) a second later.
CRASH_ARGS = "console=ttyAMA0 rdinit=/init punt.test=crash panic=1"
REBOOT_CYCLES = 20
HVC_SHELL_ARGS = "console=hvc0 rdinit=/init"
HVC_REBOOT_ARGS = "console=hvc0 rdinit=/init punt.test=reboot"
HVC_REBOOT_CYCLES = 3

KERNEL_MODULE = dom0less.KERNEL_MODULE
RAMDISK_MODULE = dom0less.RAMDISK_MODULE
fdtput = dom0less.fdtput


def add_domain(dtb, name, bootargs=GUEST_ARGS, **options):
    dom0less.add_domain(dtb, name, bootargs, **options)


@pytest.fixture
def dom0less_dtb(qemu_dtb, tmp_path):
    def make(domains):
        path = dom0less.without_dom0(qemu_dtb, tmp_path / "dom0less.dtb")
        for name, options in domains:
            add_domain(path, name, **options)
        return path
    return make


def free_pages(run, pattern):
    match, _ = run.expect(pattern, BOOT_TIMEOUT, f"a line matching {pattern!r}")
    return int(match.group(1))


# One CPU too: nothing but the teardown itself must bring the last domain's end about.
@pytest.mark.parametrize("smp", [1, 2])
def test_two_guests_without_dom0_reach_init_and_the_last_poweroff_ends_qemu(boot, dom0less_dtb,
                                                                            smp):
    dtb = dom0less_dtb([("domU1", {}), ("domU2", {})])
    run = boot.start("punt", smp=smp, dtb=dtb)
    before = free_pages(run, r"^\(punt\) Free memory before domains: (\d+) pages$")
    seen = set()
    for _ in range(2):
        match, _ = run.expect(r"^\(d([12])\) PUNT-INIT: reached$", BOOT_TIMEOUT,
                              "each guest's init to report on its own console")
        seen.add(match.group(1))
    assert seen == {"1", "2"}, f"expected init in d1 and d2, got {sorted(seen)}"
    run.expect(r"^\(punt\) All domains have stopped: powering off$", BOOT_TIMEOUT,
               "Punt to power off after the last guest")
    status = run.wait_exit(30)
    assert status == 0, f"expected QEMU to exit with 0, got {status}"
    text = run.text_since(0)
    after = [int(n) for n in re.findall(r"d\d destroyed: (\d+) pages free", text)]
    assert len(after) == 2, f"expected two domains destroyed, got {after}"
    assert max(after) == before, (f"expected every page back after both guests stopped: "
                                  f"{before} free before, {max(after)} after")


def test_guest_cpus_online_in_each_guest(boot, dom0less_dtb):
    dtb = dom0less_dtb([("domU1", {"vcpus": 2})])
    run = boot.start("punt", smp=2, dtb=dtb)
    match, _ = run.expect(r"^\(d1\) PUNT-INIT: cpus-online=(.*)$", BOOT_TIMEOUT,
                          "the guest's cpus-online marker")
    assert match.group(1) == "0-1", f"expected vCPUs 0-1 online, got {match.group(1)}"


def test_a_wrong_domain_node_stops_that_domain_only(boot, dom0less_dtb):
    dtb = dom0less_dtb([("broken", {"with_memory": False}), ("domU2", {})])
    run = boot.start("punt", smp=2, dtb=dtb)
    match, _ = run.expect(r"^\(punt\) d\d \(broken\): not started: (.*)$", BOOT_TIMEOUT,
                          "a message that the broken domain was not started")
    assert "memory" in match.group(1), f"expected the message to name 'memory': {match.group(1)}"
    run.expect(r"^\(d\d\) PUNT-INIT: reached$", BOOT_TIMEOUT, "the good guest to reach init")


@pytest.mark.parametrize("smp", [2, 4])
def test_dom0_and_two_guests_each_get_their_own_input(boot, tmp_path, smp):
    dtb = tmp_path / "dom0-and-guests.dtb"
    qemu.dump_dtb(dtb, smp=smp)
    add_domain(dtb, "domU1", bootargs=SHELL_ARGS)
    add_domain(dtb, "domU2", bootargs=SHELL_ARGS)
    run = boot.start("punt", smp=smp, dtb=dtb)
    before_start = []
    while not before_start or "Serial input to d0" not in before_start[-1]:
        before_start.append(run.expect(r"^.*$", 60, "the boot to hand input to dom0")[0].group(0))
    # As on Xen, nothing runs until every boot-time domain is built.
    assert all(line.startswith("(punt) ") for line in before_start), before_start
    built = {line.split()[1] for line in before_start if re.match(r"\(punt\) d\d \(domU", line)}
    assert built == {"d1", "d2"}, before_start
    reached = set()
    for _ in range(3):
        match, _ = run.expect(r"^(?:\((d\d)\) )?PUNT-INIT: reached$", BOOT_TIMEOUT,
                              "init in dom0, d1 and d2")
        reached.add(match.group(1) or "d0")
    assert reached == {"d0", "d1", "d2"}, f"expected init in d0, d1 and d2, got {reached}"
    run.wait_quiet(2, 30)
    run.send("echo dom0-$((6*7))\r")
    run.expect(r"^dom0-42$", 30, "dom0 to answer its input")
    for target in ("d1", "d2"):
        run.send(SWITCH)
        run.expect(rf"Serial input to {target} ", 30, f"the input focus to move to {target}")
        run.send(f"echo {target}-$((40+2))\r")
        run.expect(rf"^\({target}\) {target}-42$", 30, f"{target} to answer on its own console")


def test_guest_reboot_loop_leaves_the_other_guest_and_memory_alone(boot, dom0less_dtb):
    dtb = dom0less_dtb([("rebooter", {"vcpus": 1, "bootargs": REBOOT_ARGS}),
                        ("steady", {"vcpus": 1, "bootargs": SHELL_ARGS})])
    run = boot.start("punt", smp=2, dtb=dtb)
    free_after = []
    for cycle in range(REBOOT_CYCLES):
        match, _ = run.expect(r"^\(punt\) d(\d) destroyed: (\d+) pages free$", BOOT_TIMEOUT,
                              f"the rebooting guest to go down (cycle {cycle + 1})")
        free_after.append(int(match.group(2)))
        rebooter = match.group(1)
        run.expect(rf"^\(punt\) d{rebooter} \(rebooter\): 256 MiB", 60,
                   f"the guest to be built again (cycle {cycle + 1})")
    assert len(set(free_after)) == 1, (f"expected the same free memory after every reboot, "
                                       f"got {free_after}")
    steady = "2" if rebooter == "1" else "1"
    focus_on(run, f"d{steady}")
    run.send("echo steady-$((40+2))\r")
    run.expect(rf"^\(d{steady}\) steady-42$", 30, "the other guest to still answer")


def test_a_guest_on_hvc0_without_dom0_prints_takes_input_and_gives_its_memory_back(
        boot, dom0less_dtb):
    dtb = dom0less_dtb([("hvc", {"vpl011": False, "enhanced": True,
                                 "bootargs": HVC_SHELL_ARGS})])
    run = boot.start("punt", smp=2, dtb=dtb)
    before = free_pages(run, r"^\(punt\) Free memory before domains: (\d+) pages$")
    run.expect(r"^\(punt\) d1 \(hvc\): 256 MiB, 2 vCPUs, PV console, ", 60,
               "the guest to be built with a PV console")
    run.expect(r"^\(d1\) PUNT-INIT: reached$", BOOT_TIMEOUT, "init to report through hvc0")
    match, _ = run.expect(r"^\(d1\) PUNT-INIT: hypervisor=(.*)$", 30, "the hypervisor marker")
    assert match.group(1) == "xen", f"expected the guest to see Xen, got {match.group(1)!r}"
    run.wait_quiet(2, 30)
    # The only domain has the input from the start.
    run.send("echo hvc-$((40+2)) $(tty)\r")
    run.expect(r"^\(d1\) hvc-42 /dev/hvc0$", 30, "the shell on hvc0 to answer")
    run.send("poweroff -f\r")
    after = free_pages(run, r"^\(punt\) d1 destroyed: (\d+) pages free$")
    assert after == before, (f"expected the ring page and everything else back: {before} "
                             f"pages free before the guest, {after} after")
    assert run.wait_exit(30) == 0, "expected QEMU to exit with 0 after the last guest"


def test_dom0_and_guests_with_both_consoles_get_input_on_the_one_they_use(boot, tmp_path):
    dtb = tmp_path / "dom0-and-hvc-guests.dtb"
    qemu.dump_dtb(dtb, smp=2)
    add_domain(dtb, "on-hvc", bootargs=HVC_SHELL_ARGS, enhanced=True)
    add_domain(dtb, "on-uart", bootargs=SHELL_ARGS, enhanced=True)
    run = boot.start("punt", smp=2, dtb=dtb)
    ids = {}
    for _ in range(2):
        match, _ = run.expect(r"^\(punt\) (d\d) \((on-\w+)\): .*vpl011, PV console, ", 60,
                              "both guests to be built with a UART and a PV console")
        ids[match.group(2)] = match.group(1)
    reached = set()
    for _ in range(3):
        match, _ = run.expect(r"^(?:\((d\d)\) )?PUNT-INIT: reached$", BOOT_TIMEOUT,
                              "init in dom0 and both guests")
        reached.add(match.group(1) or "d0")
    assert reached == {"d0", *ids.values()}, f"expected init in d0 and {ids}, got {reached}"
    run.wait_quiet(2, 30)
    run.send("echo dom0-$((6*7))\r")
    run.expect(r"^dom0-42$", 30, "dom0 to answer its input")
    for name, tty in (("on-hvc", "/dev/hvc0"), ("on-uart", "/dev/ttyAMA0")):
        target = ids[name]
        focus_on(run, target)
        run.send(f"echo {name}-$((40+2)) $(tty)\r")
        run.expect(rf"^\({target}\) {name}-42 {tty}$", 30,
                   f"{name} ({target}) to answer on {tty}")


def test_a_guest_on_hvc0_reboots_with_a_fresh_console_and_the_same_memory(boot, dom0less_dtb):
    dtb = dom0less_dtb([("rebooter", {"vcpus": 1, "vpl011": False, "enhanced": True,
                                      "bootargs": HVC_REBOOT_ARGS})])
    run = boot.start("punt", smp=2, dtb=dtb)
    free_after = []
    for cycle in range(HVC_REBOOT_CYCLES):
        run.expect(r"^\(d1\) PUNT-INIT: reboot$", BOOT_TIMEOUT,
                   f"init to report through hvc0 (boot {cycle + 1})")
        free_after.append(free_pages(run, r"^\(punt\) d1 destroyed: (\d+) pages free$"))
        run.expect(r"^\(punt\) d1 \(rebooter\): 256 MiB, 1 vCPU, PV console", 60,
                   f"the guest to be built again (cycle {cycle + 1})")
    assert len(set(free_after)) == 1, (f"expected the same free memory after every reboot, "
                                       f"got {free_after}")


def test_a_guest_that_corrupts_its_console_ring_is_dropped_once_and_the_rest_carries_on(
        boot, tmp_path):
    dtb = tmp_path / "dom0-and-hostile-guest.dtb"
    qemu.dump_dtb(dtb, smp=2)
    add_domain(dtb, "hostile", vcpus=1, bootargs=HVC_SHELL_ARGS, vpl011=False, enhanced=True)
    run = boot.start("punt", smp=2, dtb=dtb)
    for _ in range(2):
        run.expect(r"^(?:\(d1\) )?PUNT-INIT: reached$", BOOT_TIMEOUT, "init in dom0 and d1")
    run.wait_quiet(2, 30)
    focus_on(run, "d1")
    # in_cons is at 0x39000000 + 3072: far ahead of anything Punt has produced.
    run.send("devmem 0x39000c00 32 0x7fff0000; sleep 30\r")
    run.wait_quiet(2, 30)
    run.send("x")
    run.expect(r"^\(punt\) d1: PV console input ring indices make no sense \(prod 0x[0-9a-f]+, "
               r"cons 0x7fff0000\): console no longer served$", 30,
               "Punt to stop serving the corrupt ring with one message")
    mark = run.line_count
    run.send("more keys\r")
    run.wait_quiet(2, 30)
    later = run.text_since(mark)
    assert "no longer served" not in later, f"expected a single message, then got:\n{later}"
    focus_on(run, "d0")
    run.send("echo dom0-$((6*7))\r")
    run.expect(r"^dom0-42$", 30, "dom0 to carry on")


def test_a_crashing_guest_leaves_the_other_guest_and_memory_alone(boot, dom0less_dtb):
    # Linux on Arm reports a panic by resetting (panic=1): Punt rebuilds the guest, which
    # crashes again, while the other guest carries on and no memory is lost per crash.
    dtb = dom0less_dtb([("crasher", {"vcpus": 2, "bootargs": CRASH_ARGS}),
                        ("steady", {"vcpus": 1, "bootargs": SHELL_ARGS})])
    run = boot.start("punt", smp=2, dtb=dtb)
    ids = {}
    for _ in range(2):
        match, _ = run.expect(r"^\(punt\) d(\d) \((crasher|steady)\): \d+ MiB", 60,
                              "both guests to be built")
        ids[match.group(2)] = match.group(1)
    crasher, steady = ids["crasher"], ids["steady"]
    free_after = []
    for crash in range(3):
        run.expect(rf"^\(d{crasher}\) \[.*\] Kernel panic - not syncing: sysrq triggered crash",
                   BOOT_TIMEOUT, f"the guest to panic (crash {crash + 1})")
        run.expect(rf"^\(punt\) d{crasher} \(crasher\) shut down: reboot$", 60,
                   f"Punt to see the panicked guest reset (crash {crash + 1})")
        free_after.append(free_pages(run, rf"^\(punt\) d{crasher} destroyed: (\d+) pages free$"))
    assert len(set(free_after)) == 1, f"expected the same free memory after every crash: {free_after}"
    focus_on(run, f"d{steady}")
    run.send("echo steady-$((40+2))\r")
    run.expect(rf"^\(d{steady}\) steady-42$", 30, "the other guest to still answer")


def test_each_unsupported_or_broken_property_stops_only_its_guest_with_a_message(
        boot, dom0less_dtb):
    broken = {
        "caps": ([("capabilities", "i", 1)], "cannot be the control"),
        "directmap": ([("direct-map", "s", "")], '"direct-map" is not supported'),
        "grantv2": ([("max_grant_version", "i", 2)], "only version 1"),
        "frames": ([("max_grant_frames", "i", 0)], "max_grant_frames must be 1 to 64"),
        "weight": ([("punt,sched-weight", "i", 0)], "weight must be 1 to 65535"),
    }
    domains = [(name, {"vcpus": 1, "extra": extra}) for name, (extra, _) in broken.items()]
    dtb = dom0less_dtb(domains + [("good", {"vcpus": 1})])
    # A static event channel that names a node which is not a channel back to it.
    dom0less.fdtput(dtb, "-c", "/chosen/good/evtchn@5")
    dom0less.fdtput(dtb, "-t", "s", "/chosen/good/evtchn@5", "compatible", "xen,evtchn-v1")
    dom0less.fdtput(dtb, "-t", "i", "/chosen/good/evtchn@5", "xen,evtchn", 5, 0x4321)
    dom0less.add_domain(dtb, "fine", GUEST_ARGS, vcpus=1)
    run = boot.start("punt", smp=2, dtb=dtb)
    expected = dict(broken)
    expected["good"] = ([], "phandle 0x4321 is not a xen,evtchn-v1 node")
    seen = {}
    for _ in expected:
        match, _ = run.expect(r"^\(punt\) d\d+ \((\w+)\): not started: (.*)$", BOOT_TIMEOUT,
                              "a message for each guest that cannot start")
        seen[match.group(1)] = match.group(2)
    for name, (_, words) in expected.items():
        assert words in seen.get(name, ""), f"{name}: expected {words!r} in {seen.get(name)!r}"
    run.expect(r"^\(d\d+\) PUNT-INIT: reached$", BOOT_TIMEOUT, "the one good guest to run")
