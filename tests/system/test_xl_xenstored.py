# SPDX-License-Identifier: Apache-2.0
"""Punt's xenstored in dom0 restarts without loss under running guests, on Punt and Xen 4.17.

dom0 boots with build/dom0-xl-initrd.cpio.gz, whose init starts Punt's xenstored (the default;
tools/xenstored, `--ring xen`), xen-init-dom0 and xenconsoled (which reaches xenstore through
dom0's kernel, /dev/xen/xenbus), then runs one script, the same on both hypervisors:
two guests are created with xl and reach their init; dom0 writes nodes with xenstore-write
(two, then a burst of 50, each acknowledged); xenstored is killed with -9 and started again.
Then: every committed write reads back (and the guests' own writes, control/feature-poweroff,
and /tool/xenstored); both guests answer a command typed on their console pty while `xl
console` is attached; a third `xl create` works and xenconsoled, whose watches lived through
the restart, picks up its console; `xl shutdown` of the second guest reaches it through the
watch its kernel registered before the restart (it acknowledges by clearing control/shutdown
and powers off); `xl destroy` of all three leaves dom0 alone in `xl list` and in
/local/domain, and @releaseDomain fires.
"""

import re

import pytest

import conftest
import qemu
import xl_dom0

XL_INITRD = conftest.REPO / "build" / "dom0-xl-initrd.cpio.gz"
GUESTS = ("debian-guest", "debian-guest-b", "debian-guest-c")
BURST = 50
RELEASE_LOG = "/tmp/rel"


def wait_init(name):
    return f"!punt-wait-guest:{name}:PUNT-INIT:.nproc="


# (name, punt.xl step): xl commands, and !PROG:ARG shell steps (scripts/mkinitramfs.sh).
STEPS = [
    ("create-a", f"create:/etc/xen/{GUESTS[0]}.cfg"),
    ("create-b", f"create:/etc/xen/{GUESTS[1]}.cfg"),
    ("wait-a", wait_init(GUESTS[0])),
    ("wait-b", wait_init(GUESTS[1])),
    ("list-2", "list"),
    ("write", "!xenstore-write:/pt/dom0:by-dom0:/local/domain/1/data/pt:for-guest-a"),
    ("burst", f"!punt-xs-burst:{BURST}"),
    ("kill", "!punt-kill-xenstored"),
    ("start", "!punt-start-xenstored"),
    ("read", "!xenstore-read:/pt/dom0:/local/domain/1/data/pt:"
     "/local/domain/1/control/feature-poweroff:/local/domain/2/control/feature-poweroff"),
    ("check-burst", f"!punt-xs-check-burst:{BURST}"),
    ("tool-node", "!xenstore-exists:/tool/xenstored"),
    ("ask-a", f"!punt-console-ask:{GUESTS[0]}"),
    ("ask-b", f"!punt-console-ask:{GUESTS[1]}"),
    ("watch-release", f"!punt-watch-bg:@releaseDomain:{RELEASE_LOG}"),
    ("create-c", f"create:/etc/xen/{GUESTS[2]}.cfg"),
    ("wait-c", wait_init(GUESTS[2])),
    ("list-3", "list"),
    ("shutdown-b", f"shutdown:{GUESTS[1]}"),
    ("wait-b-off", f"!punt-wait-guest:{GUESTS[1]}:PUNT-INIT:.poweroff"),
    ("shutdown-acked", "!xenstore-read:/local/domain/2/control/shutdown"),
    ("destroy-a", f"destroy:{GUESTS[0]}"),
    ("destroy-b", f"destroy:{GUESTS[1]}"),
    ("destroy-c", f"destroy:{GUESTS[2]}"),
    ("list-0", "list"),
    ("domains-left", "!xenstore-list:/local/domain"),
    ("release-events", f"!cat:{RELEASE_LOG}"),
]
SMP = 2
TIMEOUT = 150
# Xen 4.17 copies a boot module's command line into 1024 bytes and stops before its console
# is up if it is longer: dom0's whole kernel command line must fit.
MAX_CMDLINE = 1023


def run_restart(hyp):
    """Boot `hyp`, run STEPS in dom0; return (outputs by step, daemon rcs, the run)."""
    if not XL_INITRD.is_file():
        pytest.fail(f"expected dom0's Xen userland image at {XL_INITRD}: build it with "
                    "make initramfs-xl", pytrace=False)
    steps = ",".join(step for _, step in STEPS)
    append = f"punt.xl={steps} punt.test=poweroff"
    cmdline = f"{qemu.DOM0_ARGS} {append}"
    assert len(cmdline) <= MAX_CMDLINE, f"dom0's command line is {len(cmdline)} bytes"
    b = conftest.Boot(f"xl_xenstored_{hyp}")
    try:
        run = b.start(hyp, smp=SMP, dom0_initrd=XL_INITRD, append_dom0=append)
        which, _ = run.expect(r"^PUNT-XL: xenstored is (\w+)$", TIMEOUT,
                              "dom0's init to say which xenstored it starts")
        daemons = {"which": which.group(1)}
        for name in ("xenstored", "xen-init-dom0", "xenconsoled"):
            match, _ = run.expect(rf"^PUNT-XL: {name} rc=(\d+)$", TIMEOUT,
                                  f"dom0's init to start {name}")
            daemons[name] = int(match.group(1))
        outputs = {}
        for name, step in STEPS:
            run.expect(xl_dom0.begin_marker(step), TIMEOUT, f"{name} to start")
            first = run.last_match_line + 1
            match, _ = run.expect(xl_dom0.end_marker(step), TIMEOUT,
                                  f"{name} to end")
            text = run.text_since(first).split("\n")[:run.last_match_line - first]
            outputs[name] = (int(match.group(1)), text)
        run.expect(r"^PUNT-INIT: poweroff$", TIMEOUT, "dom0 to power off")
        run.wait_exit(60)
        return outputs, daemons, run
    finally:
        b.kill_all()


@pytest.fixture(scope="module")
def results():
    """Both runs, one after the other (one QEMU at a time)."""
    return {hyp: run_restart(hyp) for hyp in ("punt", "xen")}


HYPS = ("punt", "xen")


def values(lines):
    """A step's own output: without blank lines and the hypervisors' and kernels' messages."""
    return [line.strip() for line in lines
            if line.strip() and not re.match(r"^(\(punt\)|\(XEN\)|\[\s*\d+\.\d+\])", line)]


def step(results, hyp, name):
    outputs, _, run = results[hyp]
    rc, lines = outputs[name]
    if rc != 0:
        run.fail(f"{name} on {hyp} to succeed", f"exit status {rc}\n" + "\n".join(lines[-20:]))
    return lines, run


@pytest.mark.parametrize("hyp", HYPS)
def test_punts_xenstored_serves_dom0_and_two_guests(results, hyp):
    _, daemons, run = results[hyp]
    conftest.check_equal(run, f"{hyp}: daemons", {"which": "punt", "xenstored": 0,
                                                  "xen-init-dom0": 0, "xenconsoled": 0},
                         daemons)
    for name in ("create-a", "create-b", "wait-a", "wait-b"):
        step(results, hyp, name)
    lines, run = step(results, hyp, "list-2")
    names = [line.split()[0] for line in lines if re.match(r"^\S+\s+\d+\s+\d+\s+\d+\s", line)]
    conftest.check_equal(run, f"xl list on {hyp}", ["Domain-0", *GUESTS[:2]], names)


@pytest.mark.parametrize("hyp", HYPS)
def test_every_committed_write_survives_kill_9(results, hyp):
    for name in ("write", "burst", "kill", "start"):
        step(results, hyp, name)
    lines, run = step(results, hyp, "read")
    # dom0's two writes, and each guest kernel's own (Linux's shutdown watcher).
    conftest.check_equal(run, f"values read after the restart on {hyp}",
                         ["by-dom0", "for-guest-a", "1", "1"], values(lines))
    lines, run = step(results, hyp, "check-burst")
    conftest.check_equal(run, f"burst check on {hyp}", [f"burst of {BURST}: lost=0"],
                         values(lines))
    # What Xen's C xenstored makes at its first start in dom0, kept across the restart.
    step(results, hyp, "tool-node")


@pytest.mark.parametrize("hyp", HYPS)
def test_guests_answer_on_their_console_after_the_restart(results, hyp):
    # The answer is read from xenconsoled's log of the guest (xl console replays the whole
    # boot first, which under load takes longer than it stays attached); xl console must
    # have shown something.
    for name in ("ask-a", "ask-b"):
        lines, run = step(results, hyp, name)
        got = values(lines)
        shown = [int(line.split()[1]) for line in got if line.startswith("xl-console-lines:")]
        if "console-answer: ANSWER-42" not in got or not shown or shown[0] == 0:
            run.fail(f"{name} on {hyp}: the guest's answer ANSWER-42, xl console attached",
                     "\n".join(lines[-20:]))


@pytest.mark.parametrize("hyp", HYPS)
def test_a_third_guest_is_created_and_its_console_served_after_the_restart(results, hyp):
    for name in ("create-c", "wait-c"):
        step(results, hyp, name)
    lines, run = step(results, hyp, "list-3")
    names = [line.split()[0] for line in lines if re.match(r"^\S+\s+\d+\s+\d+\s+\d+\s", line)]
    conftest.check_equal(run, f"xl list on {hyp}", ["Domain-0", *GUESTS], names)


@pytest.mark.parametrize("hyp", HYPS)
def test_a_guests_watch_from_before_the_restart_still_fires(results, hyp):
    # xl shutdown writes control/shutdown; only the watch the guest's kernel registered at
    # boot, before the restart, tells it: it clears the node and powers off.
    for name in ("shutdown-b", "wait-b-off"):
        step(results, hyp, name)
    lines, run = step(results, hyp, "shutdown-acked")
    # xenstore-read prints the empty value as an empty line.
    conftest.check_equal(run, f"control/shutdown after the guest's acknowledgement on {hyp}",
                         [], values(lines))


@pytest.mark.parametrize("hyp", HYPS)
def test_xl_destroy_releases_every_guest(results, hyp):
    for name in ("destroy-a", "destroy-b", "destroy-c"):
        step(results, hyp, name)
    lines, run = step(results, hyp, "list-0")
    names = [line.split()[0] for line in lines if re.match(r"^\S+\s+\d+\s+\d+\s+\d+\s", line)]
    conftest.check_equal(run, f"xl list after xl destroy on {hyp}", ["Domain-0"], names)
    lines, run = step(results, hyp, "domains-left")
    conftest.check_equal(run, f"/local/domain after xl destroy on {hyp}", ["0"], values(lines))
    lines, run = step(results, hyp, "release-events")
    events = [line for line in lines if line.startswith("@releaseDomain")]
    # The registration's own event, then at least one per destroyed guest (the one shut down
    # fired at its shutdown too).
    if len(events) < 1 + len(GUESTS):
        run.fail(f"@releaseDomain to fire for each of {len(GUESTS)} guests on {hyp}",
                 "\n".join(lines[-20:]))
