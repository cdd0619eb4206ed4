# SPDX-License-Identifier: Apache-2.0
"""What a domain leaves behind when it goes away: nothing.

Micro-guests from tests/guests/lifecycle (built by `make -C tests/guests lifecycle`) run as
dom0less domains in the same scenario layout as the conformance kit (run.py's
scenario_dtb: pairs linked by static event channels). Punt's console shows free memory
before the domains are built and after each is destroyed.
"""

import os
import re
import subprocess
import sys

import pytest

from conftest import BOOT_TIMEOUT, REPO, focus_on

sys.path.insert(0, str(REPO / "tests" / "guests"))
import run as guests  # noqa: E402  (the micro-guest runner: its scenario DTB builder)

IMAGES = REPO / "build" / "guests" / "lifecycle"


@pytest.fixture
def scenario(qemu_dtb, tmp_path):
    def make(name, domains):
        image = IMAGES / f"{name}.Image"
        if not image.is_file():
            pytest.fail(f"missing {image} (make -C tests/guests lifecycle)", pytrace=False)
        dtb = guests.scenario_dtb(qemu_dtb, image, domains, tmp_path / f"{name}.dtb")
        # The guest-loader devices put the micro-guest where the modules say (dom0's slots).
        return {"dtb": dtb, "dom0_kernel": image, "dom0_initrd": guests.empty_initrd(IMAGES)}
    return make


def assert_ends_cleanly(run, domains):
    """QEMU exits with 0 after the last domain, and the boot ends as the conformance runner
    demands: no crash report, every domain powered off and destroyed, no page leaked."""
    status = run.wait_exit(30)
    assert status == 0, "expected QEMU to exit with 0 after the last domain"
    problems = guests.scenario_end_problems(
        "punt", guests.Ended(run.text_since(0), "", False, status), domains)
    assert not problems, "; ".join(problems) + "\n" + run.tail()


def test_a_granter_that_powers_off_leaves_no_mapping_and_no_memory_behind(boot, scenario):
    run = boot.start("punt", smp=2, **scenario("granter_goes_away_while_mapped", 2))
    match, _ = run.expect(r"^\(punt\) Free memory before domains: (\d+) pages$", 60,
                          "Punt's free memory before the domains")
    before = int(match.group(1))
    for dom in (1, 2):
        match, _ = run.expect(rf"^\(d{dom}\) Test result: (\w+)$", BOOT_TIMEOUT,
                              f"d{dom}'s verdict")
        assert match.group(1) == "SUCCESS", f"d{dom}: {match.group(1)}\n{run.tail()}"
    match, _ = run.expect(r"^\(punt\) d2 destroyed: (\d+) pages free$", 60,
                          "the mapper to be destroyed last")
    after = int(match.group(1))
    assert after == before, (f"expected every page back once both domains are gone: "
                             f"{before} free before, {after} after")
    assert_ends_cleanly(run, 2)


def domain_dumps(text):
    """{domid: [lines]} from the 'd' debug key's dump in `text` (Punt's console lines)."""
    dumps, current = {}, None
    for line in text.splitlines():
        if not line.startswith("(punt) "):
            continue
        line = line[len("(punt) "):]
        match = re.match(r"Domain (\d+) ", line)
        if match:
            current = dumps.setdefault(int(match.group(1)), [])
        elif line.startswith("  ") and current is not None:
            current.append(line.strip())
        else:
            current = None
    return dumps


def test_the_domain_dump_shows_vcpus_channels_and_grants_in_use(boot, scenario):
    run = boot.start("punt", smp=2, **scenario("grants_in_use_show_in_the_debug_dump", 2))
    match, _ = run.expect(r"^\(d2\) holding handles (\d+) and (\d+) until a key is typed$",
                          BOOT_TIMEOUT, "the mapper to hold both grants")
    handles = match.groups()
    focus_on(run, "Punt")
    mark = run.line_count
    run.send("d")
    run.expect(r"^\(punt\) Domain 2 ", 30, "the domain dump")
    run.wait_quiet(1, 30)
    dumps = domain_dumps(run.text_since(mark))
    granter, mapper = dumps.get(1, []), dumps.get(2, [])
    for name, lines in (("d1", granter), ("d2", mapper)):
        text = "\n".join(lines)
        for want in (r"^vCPU 0 on CPU \d: ", r"^RAM 0x", r"^Event channels:$",
                     r"^port +\d+: interdomain +vcpu 0 remote d[12]:\d+ ",
                     r"^Grant table: version 1, 1 of \d+ frames$"):
            assert re.search(want, text, re.M), f"{name}'s dump has no /{want}/:\n{text}"
    assert "ref 10 in use: 1 mapping(s), 1 writable" in granter, granter
    assert "ref 11 in use: 1 mapping(s), 0 writable" in granter, granter
    assert "Maps 2 grant(s) of other domains:" in mapper, mapper
    assert any(re.match(rf"handle {handles[0]}: d1 ref 10 at gfn 0x[0-9a-f]+$", line)
               for line in mapper), mapper
    assert any(re.match(rf"handle {handles[1]}: d1 ref 11 at gfn 0x[0-9a-f]+ read-only$", line)
               for line in mapper), mapper
    focus_on(run, "d2")
    run.send("x")
    verdicts = {}
    for _ in range(2):  # either may finish first
        match, _ = run.expect(r"^\((d\d)\) Test result: (\w+)$", BOOT_TIMEOUT,
                              "both domains' verdicts")
        verdicts[match.group(1)] = match.group(2)
    assert verdicts == {"d1": "SUCCESS", "d2": "SUCCESS"}, f"{verdicts}\n{run.tail()}"
    assert_ends_cleanly(run, 2)


# The reboot storm's length in seconds of machine time: short in `make test`, long in
# `make soak` (PUNT_STORM_S=600).
STORM_S = int(os.environ.get("PUNT_STORM_S", "30"))
CANARY_EXTRA_S = 3
# Under icount the canary's stalls count instructions (1 ns each), whatever the host's load.
STORM_ICOUNT = os.environ.get("PUNT_STORM_ICOUNT", "") == "1"
CRASH = re.compile(r"Panic on CPU|Unexpected EL2 exception|all CPUs stopped|BUG at")


def storm_dtb(scenario, seconds):
    """The storm scenario with the rebooting domain (d1) on 2 vCPUs and the storm's end."""
    inputs = scenario("reboot_storm_next_to_a_canary", 2)
    dtb = inputs["dtb"]
    guests.fdtput(dtb, "-t", "i", "/chosen/domU1", "cpus", 2)
    extra = f" storm_until_ms={seconds * 1000} canary_extra_ms={CANARY_EXTRA_S * 1000}"
    for node in ("/chosen/domU1", "/chosen/domU2"):
        module = f"{node}/module@{guests.qemu.DOM0_KERNEL_ADDR:x}"
        args = subprocess.run(["fdtget", str(dtb), module, "bootargs"], check=True,
                              capture_output=True, text=True).stdout.strip()
        guests.fdtput(dtb, "-t", "s", module, "bootargs", args + extra)
    return inputs


def test_a_domain_rebooting_while_its_other_vcpu_traps_crashes_nothing_and_leaks_nothing(
        boot, scenario):
    run = boot.start("punt", smp=int(os.environ.get("PUNT_STORM_SMP", "2")), icount=STORM_ICOUNT, **storm_dtb(scenario, STORM_S))
    match, _ = run.expect(r"^\(punt\) Free memory before domains: (\d+) pages$", 60,
                          "Punt's free memory before the domains")
    before = int(match.group(1))
    match, _ = run.expect(r"^\(d2\) CANARY done checks=(\d+) worst_stall_us=(\d+) "
                          r"grant_ok=(\d+) grant_refused=(\d+)$",
                          STORM_S + CANARY_EXTRA_S + BOOT_TIMEOUT, "the canary's report")
    worst_us = int(match.group(2))
    run.expect(r"^\(punt\) d2 destroyed: (\d+) pages free$", 60, "the canary to be destroyed")
    exit_code = run.wait_exit(30)
    text = run.text_since(0)
    crash = CRASH.search(text)
    assert not crash, f"Punt crashed: {crash.group(0)}\n{run.tail()}"
    verdicts = dict(re.findall(r"^\(d(\d)\) Test result: (\w+)$", text, re.MULTILINE))
    assert verdicts == {"1": "SUCCESS", "2": "SUCCESS"}, f"{verdicts}\n{run.tail()}"
    free = [int(n) for n in re.findall(r"^\(punt\) d1 destroyed: (\d+) pages free$", text,
                                       re.MULTILINE)]
    reboots = len(free) - 1
    print(f"reboot storm: {reboots} reboots in {STORM_S} s, canary's worst stall "
          f"{worst_us} us, grant uses {match.group(3)} ok / {match.group(4)} refused")
    assert reboots >= STORM_S, f"expected at least one reboot a second, got {reboots}"
    # The canary is there all along: once its own first grant mapping has taken its maptrack
    # and stage-2 table pages, the same pages are free every time d1 is gone.
    steady = free[len(free) // 2:]
    assert len(set(steady)) == 1, (f"free pages after d1's later destructions differ: "
                                   f"{sorted(set(steady))}")
    final = int(re.findall(r"^\(punt\) d2 destroyed: (\d+) pages free$", text, re.MULTILINE)[-1])
    assert final == before, f"expected all {before} pages back at the end, got {final}"
    assert exit_code == 0, "expected QEMU to exit with 0 after the last domain"
    problems = guests.scenario_end_problems("punt", guests.Ended(text, "", False, exit_code), 2)
    assert not problems, "; ".join(problems) + "\n" + run.tail()
