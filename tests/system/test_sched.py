# SPDX-License-Identifier: Apache-2.0
"""The scheduler shares a CPU by weight, and a guest that waits costs nothing.

Three boot-time guests are pinned to physical CPU 0 with punt,sched-affinity: two spin
(weights 512 and 256), one sits at its shell prompt. Each spinning Linux guest prints its
uptime and /proc/stat CPU line; with Xen's runstate area registered, Linux counts the time
its vCPU waited for the CPU as steal. So 1 - steal / elapsed is the share each guest got,
measured through the runstate area. Punt's 'r' debug key shows the same accounting from
the hypervisor's side, which also shows what the idle guest got.
"""

import re
import shutil
import subprocess
import time

import pytest

from conftest import BOOT_TIMEOUT, focus_on
from test_domu_boot import KERNEL_MODULE, RAMDISK_MODULE, add_domain, fdtput

SPIN_ARGS = "console=ttyAMA0 rdinit=/init punt.test=spin"
SHELL_ARGS = "console=ttyAMA0 rdinit=/init"
WINDOW_S = 30


def sched_domain(dtb, name, bootargs, weight=None, cap=None, affinity=None, raw=None):
    add_domain(dtb, name, vcpus=1, memory_kib=196608, bootargs=bootargs)
    node = f"/chosen/{name}"
    fdtput(dtb, "-t", "s", node, "xen,enhanced", "enabled")
    if weight is not None:
        fdtput(dtb, "-t", "i", node, "punt,sched-weight", weight)
    if cap is not None:
        fdtput(dtb, "-t", "i", node, "punt,sched-cap", cap)
    if affinity is not None:
        fdtput(dtb, "-t", "s", node, "punt,sched-affinity", affinity)
    for prop, kind, value in raw or []:
        fdtput(dtb, "-t", kind, node, prop, value)


@pytest.fixture
def guests_dtb(qemu_dtb, tmp_path):
    def make(domains):
        path = tmp_path / "sched.dtb"
        shutil.copyfile(qemu_dtb, path)
        subprocess.run(["fdtput", "-r", str(path), KERNEL_MODULE, RAMDISK_MODULE], check=True)
        for name, bootargs, options in domains:
            sched_domain(path, name, bootargs, **options)
        return path
    return make


def cpu_line(text):
    """(uptime s, steal s) from '<uptime> cpu <jiffies...>' (USER_HZ is 100)."""
    words = text.split()
    return float(words[0]), int(words[1:][8]) / 100


def wait_spinning(run, domid):
    run.expect(rf"^\(d{domid}\) PUNT-STAT: ", 60, f"d{domid} to print its CPU times")


def guest_share(text, domid):
    """The share of one CPU a spinning guest got over the samples in `text`."""
    samples = [cpu_line(m) for m in re.findall(
        rf"^\(d{domid}\) PUNT-STAT: ([0-9.]+ cpu .*)$", text, re.M)]
    assert len(samples) >= 2, f"expected d{domid} to print CPU times, got {samples}"
    (u0, s0), (u1, s1) = samples[0], samples[-1]
    assert u1 - u0 > WINDOW_S / 2, f"expected {WINDOW_S} s to pass in d{domid}"
    return 1 - (s1 - s0) / (u1 - u0)


def built_ids(run, count):
    ids = {}
    for _ in range(count):
        match, _ = run.expect(r"^\(punt\) d(\d) \(([\w-]+)\): (\d+ MiB.*|not started: .*)$", 60,
                              "each guest built or refused")
        ids[match.group(2)] = (int(match.group(1)), match.group(3))
    return ids


def runstate_dump(run):
    """{domid: run ms} from the 'r' debug key."""
    run.send("r")
    run.expect(r"Scheduler: ", 30, "the run queue dump")
    run.wait_quiet(1, 30)
    text = run.text_since(run.last_match_line)
    return {int(d): (int(r), int(w), int(b)) for d, r, w, b in re.findall(
        r"d(\d+)v0 .*runstate ms: run (\d+) wait (\d+) blocked (\d+)", text)}


def test_weights_2_to_1_on_one_cpu_give_2_to_1_and_a_waiting_guest_nothing(boot, guests_dtb):
    dtb = guests_dtb([("heavy", SPIN_ARGS, {"weight": 512, "affinity": "0"}),
                      ("light", SPIN_ARGS, {"weight": 256, "affinity": "0"}),
                      ("idle", SHELL_ARGS, {"affinity": "0"})])
    run = boot.start("punt", smp=2, dtb=dtb)
    ids = built_ids(run, 3)
    heavy, light, idle = ids["heavy"][0], ids["light"][0], ids["idle"][0]
    for _ in range(3):
        run.expect(r"^\(d\d\) PUNT-INIT: reached$", BOOT_TIMEOUT * 2, "each guest's init")
    # Both spinners are spinning once each has printed a sample.
    wait_spinning(run, heavy)
    wait_spinning(run, light)
    focus_on(run, "Punt")
    before = runstate_dump(run)
    mark = run.line_count
    time.sleep(WINDOW_S)
    text = run.text_since(mark)
    after = runstate_dump(run)

    shares = [guest_share(text, heavy), guest_share(text, light)]
    ratio = shares[0] / shares[1]
    print(f"guest-side shares: heavy {shares[0]:.3f}, light {shares[1]:.3f}, ratio {ratio:.2f}")
    assert shares[1] < 0.6, (f"expected steal time in the light guest (runstate area), got "
                             f"a share of {shares[1]:.3f}")
    assert 1.8 <= ratio <= 2.2, (f"expected heavy:light within 10% of 2:1 through the runstate "
                                 f"area, got {ratio:.2f} (shares {shares})")

    delta = {d: [a - b for a, b in zip(after[d], before[d])] for d in (heavy, light, idle)}
    hyp_ratio = delta[heavy][0] / max(delta[light][0], 1)
    window = sum(delta[d][0] for d in delta)
    print(f"hypervisor runstate ms (run, wait, blocked): {delta}, ratio {hyp_ratio:.2f}")
    assert 1.8 <= hyp_ratio <= 2.2, f"expected 2:1 in Punt's accounting, got {hyp_ratio:.2f}"
    assert delta[idle][0] < 0.02 * window, (f"expected the waiting guest to get (almost) no "
                                            f"CPU, got {delta[idle][0]} ms of {window} ms")
    assert delta[idle][2] > 0.9 * window, f"expected the waiting guest blocked: {delta[idle]}"


def test_a_cap_holds_a_spinning_guest_to_its_percent_and_bad_values_stop_only_that_guest(
        boot, guests_dtb):
    dtb = guests_dtb([("capped", SPIN_ARGS, {"cap": 25, "affinity": "1"}),
                      ("zero-weight", SHELL_ARGS, {"weight": 0}),
                      ("cap-too-big", SHELL_ARGS, {"cap": 201}),
                      ("no-such-cpu", SHELL_ARGS, {"affinity": "0,5"}),
                      ("bad-list", SHELL_ARGS, {"affinity": "1-0"})])
    run = boot.start("punt", smp=2, dtb=dtb)
    ids = built_ids(run, 5)
    expected = {"zero-weight": "punt,sched-weight = 0: weight must be 1 to 65535",
                "cap-too-big": "cap = 201: cap must be 0 (none) to 100 times",
                "no-such-cpu": "affinity names CPU 5, but there are only 2",
                "bad-list": 'punt,sched-affinity = "1-0" is not a CPU list'}
    for name, words in expected.items():
        assert words in ids[name][1], f"expected {name} refused with {words!r}: {ids[name][1]}"
    capped = ids["capped"][0]
    assert "MiB" in ids["capped"][1], f"expected the capped guest built: {ids['capped']}"
    wait_spinning(run, capped)
    mark = run.line_count
    time.sleep(WINDOW_S)
    share = guest_share(run.text_since(mark), capped)
    print(f"capped guest's share: {share:.3f}")
    assert 0.225 <= share <= 0.275, f"expected a share within 10% of 0.25, got {share:.3f}"


def test_dom0_scheduling_boot_arguments_apply_and_a_bad_one_stops_the_boot(boot):
    run = boot.start("punt", smp=2, append_hyp="sched_slice_ms=5 dom0_sched_weight=512 "
                                                "dom0_sched_affinity=1")
    run.expect(r"Scheduler: .*, slice 5 ms$", 60, "the slice from sched_slice_ms")
    run.expect(r"PUNT-INIT: reached$", BOOT_TIMEOUT, "dom0's init")
    run.wait_quiet(2, 30)
    focus_on(run, "Punt")
    run.send("r")
    run.expect(r"^\(punt\) CPU 0: ", 30, "the run queue dump")
    run.expect(r"^\(punt\) CPU 1: ", 30, "CPU 1's queue")
    for vcpu in (0, 1):
        match, _ = run.expect(r"^\(punt\)   d0v(\d) .*weight (\d+)", 30, "dom0's vCPUs on CPU 1")
        assert match.group(2) == "512", f"expected weight 512, got {match.group(0)}"

    bad = boot.start("punt", smp=2, append_hyp="dom0_sched_cap=half")
    match, _ = bad.expect(r"boot error: (.*)$", 60, "a boot error for dom0_sched_cap=half")
    assert "dom0_sched_cap=half is not a decimal number" in match.group(1), match.group(1)
