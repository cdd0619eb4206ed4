#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Boot every micro-guest as dom0 on Punt and on Debian's Xen 4.17 and compare the verdicts.

Each build/guests/NAME.Image is booted on both hypervisors with the shared QEMU command line
(scripts/qemu.py), a bounded time each. The guest ends with "Test result: SUCCESS|SKIP|
FAILURE|ERROR" (or CRASH from its exception vectors); no verdict at all counts as CRASH.
Differences between the two must be listed, with a reason, in docs/conformance.md; the run
fails on any unlisted difference and on any test that is not SUCCESS on Punt unless listed.
A SKIP agrees only with a SKIP for the same stated reason and is counted on its own.

The runner follows every boot past the verdict to its end (end_problems()): a hypervisor
crash report anywhere, a guest that ran twice, a domain that did not power off, or QEMU not
exiting by itself within POWEROFF_GRACE_S fails the test whatever the verdicts were.

A class guest (tests/probe_*.c) also prints one "PROBE name got=V expect=X ok|FAIL" line per
check; every probe counts as a test and is compared value by value (compare_probes()).

A test with a line "// domains: N" is a scenario: it boots without dom0 as N dom0less domains
(/chosen xen,domain nodes, see scenario_dtb()), each running the same image with boot
arguments that give its place; its verdict is the worst of the N domains' verdicts, read from
their prefixed console lines.
"""

import argparse
import concurrent.futures
import re
import selectors
import shutil
import subprocess
import sys
import time
import typing
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import qemu  # noqa: E402  (the shared command line; owned by scripts/)

IMAGES = REPO / "build" / "guests"
CONFORMANCE_DOC = REPO / "docs" / "conformance.md"
VERDICT = re.compile(r"Test result: ([A-Z]+)")
# A verdict that passes on its own; a SKIP passes only next to the same SKIP (classify()).
PASSING = {"SUCCESS"}
HYPERVISORS = ("punt", "xen")
SMP_MARK = re.compile(r"^//\s*smp:\s*(\d+)\s*$", re.MULTILINE)
DOMAINS_MARK = re.compile(r"^//\s*domains:\s*(\d+)\s*$", re.MULTILINE)
# How each hypervisor prefixes a domU's console lines (its emulated UART): Punt "(dN) ",
# Xen 4.17 "(XEN) DOMN: " (vpl011.c prints a whole line for any domain without input focus;
# with no dom0 the focus is on the absent domain 0, so every domU line is prefixed).
DOMU_LINE = {"punt": re.compile(r"^\(d(\d+)\) (.*)$"),
             "xen": re.compile(r"^\(XEN\) DOM(\d+): (.*)$")}
# Boot-time failures after which no domain will say anything: stop at once.
BOOT_FAILED = re.compile(r"Panic on CPU|\): not started: ")
SEVERITY = ("SUCCESS", "SKIP", "FAILURE", "ERROR", "CRASH")
SCENARIO_SMP = 2
# Debian's Xen boots with XSM SILO on Arm, which refuses any event channel or grant between
# two domUs (-EPERM, GNTST_permission_denied); the scenarios test the ABI itself, so Xen
# gets its default dummy policy (everything allowed between domains). Punt ignores it.
SCENARIO_HYP_ARGS = qemu.HYP_ARGS + " xsm=dummy"
SCENARIO_MEMORY_KIB = 32 * 1024
# Static event channels of a pair: local ports of the even and of the odd domain.
PAIR_PORTS = ((10, 11), (20, 21))
PHANDLE_BASE = 0x70000000
# After the verdict the guest powers off; give QEMU this long to exit by itself.
POWEROFF_GRACE_S = 5
# Xen 4.17 keeps dom0less domains that powered off and never ends the machine: after the
# scenario's verdicts the runner watches the console this long for a crash report.
XEN_SETTLE_S = 2
# QEMU closed its console: it is exiting, and has this long to finish.
EXIT_AFTER_EOF_S = 10
# After a crash report, how long to go on reading (the rest of the report).
CRASH_GRACE_S = 2
# A hypervisor crash report, in either hypervisor's words. Punt: panic() and the EL2
# exception report (hyp/core/panic.c, hyp/arch/arm64/crash.c). Xen 4.17: panic()'s banner of
# exactly 40 stars (its boot-time warning boxes have 51), the Arm trap, BUG, WARN and
# ASSERT reports and the call trace (xen/arch/arm/traps.c), and a crashed domain
# (domain_crash() in xen/include/xen/sched.h, xen/common/domain.c, xen/common/shutdown.c).
CRASH_REPORT = re.compile(
    r"Panic on CPU|Unexpected EL2 exception|all CPUs stopped"
    r"|^\(XEN\) \*{40}$|Xen call trace|Xen BUG at|Xen WARN at|Assertion '.*' failed at"
    r"|Unexpected Trap|FATAL TRAP|domain_crash called from|Domain \d+ \(vcpu#\d+\) crashed"
    r"|Domain \d+ reported crashed|Hardware Dom\d+ crashed", re.MULTILINE)
# What each hypervisor prints when dom0 powers the machine off: Punt's
# hardware_domain_stopped() (hyp/core/domain.c), Xen's hwdom_shutdown() (xen/common/shutdown.c).
DOM0_POWER_OFF = {"punt": "Powering off the machine",
                  "xen": "Hardware Dom0 halted: halting machine"}
# Punt, for each dom0less domain and at the end (hyp/core/domain.c).
PUNT_SHUT_DOWN = re.compile(r"^\(punt\) d(\d+) \([^)]*\) shut down: (\w+)$", re.MULTILINE)
PUNT_ALL_STOPPED = "All domains have stopped: powering off"
PUNT_FREE_BEFORE = re.compile(r"^\(punt\) Free memory before domains: (\d+) pages$", re.MULTILINE)
PUNT_DESTROYED = re.compile(r"^\(punt\) d\d+ destroyed: (\d+) pages free$", re.MULTILINE)
SKIPPED = re.compile(r"skipped: (.*)$", re.MULTILINE)
FAILED_CHECK = re.compile(r"FAIL [^ :]+:\d+: (.*?): expected", re.MULTILINE)


class Result(typing.NamedTuple):
    """One boot of one test on one hypervisor."""
    verdict: str        # the guest's (the worst domain's for a scenario)
    secs: float
    note: str           # how the boot went, for the failure report
    problems: list      # what went wrong after (or around) the verdicts: fails the test
    skip_reasons: list  # the guests' "skipped: why" lines
    failed_checks: list  # the "what" of each failed CHECK


class Ended(typing.NamedTuple):
    """How a QEMU run ended (run_qemu_to_end)."""
    text: str
    note: str     # "timeout Ns" when the run's bound passed before the guest was done
    killed: bool  # QEMU was still running at the end and was killed
    status: int   # QEMU's exit status (negative: the signal that killed it)


def tests_in(images, only):
    """Built images whose source still exists (a renamed test leaves a stale image)."""
    names = sorted(p.stem for p in images.glob("*.Image")
                   if (HERE / "tests" / f"{p.stem}.c").is_file())
    if only:
        names = [n for n in names if any(re.search(o, n) for o in only)]
    return names


def smp_for(name):
    """A test asks for more vCPUs with a line '// smp: N' in its source."""
    src = HERE / "tests" / f"{name}.c"
    m = SMP_MARK.search(src.read_text()) if src.is_file() else None
    return int(m.group(1)) if m else 1


def domains_for(name):
    """A test is a scenario of N domains with a line '// domains: N' in its source."""
    src = HERE / "tests" / f"{name}.c"
    m = DOMAINS_MARK.search(src.read_text()) if src.is_file() else None
    return int(m.group(1)) if m else 0


def fdtput(dtb, *args):
    subprocess.run(["fdtput", str(dtb)] + [str(a) for a in args], check=True,
                   capture_output=True, text=True, timeout=30)


def peer_of(i, n):
    """Domains pair up by index (0-1, 2-3, ...); an odd one out has no peer (None)."""
    j = i ^ 1
    return j if j < n else None


def evtchn_phandle(i, k):
    return PHANDLE_BASE + 2 * i + k


def scenario_bootargs(i, n):
    peer = peer_of(i, n)
    ports = PAIR_PORTS[i & 1]
    return (f"rt.domains={n} rt.index={i} rt.self={i + 1} "
            f"rt.peer={peer + 1 if peer is not None else 0} "
            f"rt.port0={ports[0]} rt.port1={ports[1]}")


def scenario_dtb(base_dtb, image, n, path):
    """QEMU's DTB with dom0's modules replaced by n xen,domain nodes running `image`.

    Xen 4.17 boots without dom0 ("dom0less mode") when /chosen has no dom0 kernel module,
    and then panics on xen,enhanced = "enabled" (Xenstore needs dom0): the domains get
    "no-xenstore", which still gives them the /hypervisor node, event channels and grants.
    Domain ids are 1..n in node order on both hypervisors. fdtput -c inserts a node before
    its siblings, so the nodes are created last first. Each pair is linked by two static
    event channels (Xen's "xen,evtchn-v1" binding: <local-port phandle-of-the-peer's-node>).
    Without a dom0 kernel line both hypervisors take their command line from
    xen,xen-bootargs only (plain bootargs would be ignored).
    """
    shutil.copyfile(base_dtb, path)
    fdtput(path, "-t", "s", "/chosen", "xen,xen-bootargs", SCENARIO_HYP_ARGS)
    fdtput(path, "-r", f"/chosen/module@{qemu.DOM0_KERNEL_ADDR:#x}",
           f"/chosen/module@{qemu.DOM0_INITRD_ADDR:#x}")
    size = image.stat().st_size
    for i in reversed(range(n)):
        node = f"/chosen/domU{i + 1}"
        fdtput(path, "-c", node)
        fdtput(path, "-t", "s", node, "compatible", "xen,domain")
        fdtput(path, "-t", "i", node, "#address-cells", 2)
        fdtput(path, "-t", "i", node, "#size-cells", 2)
        fdtput(path, "-t", "i", node, "memory", 0, SCENARIO_MEMORY_KIB)
        fdtput(path, "-t", "i", node, "cpus", 1)
        fdtput(path, "-t", "s", node, "vpl011", "")
        fdtput(path, "-t", "s", node, "xen,enhanced", "no-xenstore")
        peer = peer_of(i, n)
        if peer is not None:
            for k, port in enumerate(PAIR_PORTS[i & 1]):
                ec = f"{node}/evtchn@{port}"
                fdtput(path, "-c", ec)
                fdtput(path, "-t", "s", ec, "compatible", "xen,evtchn-v1")
                fdtput(path, "-t", "i", ec, "phandle", evtchn_phandle(i, k))
                fdtput(path, "-t", "i", ec, "xen,evtchn", port, evtchn_phandle(peer, k))
        module = f"{node}/module@{qemu.DOM0_KERNEL_ADDR:x}"
        fdtput(path, "-c", module)
        fdtput(path, "-t", "s", module, "compatible", "multiboot,kernel", "multiboot,module")
        fdtput(path, "-t", "x", module, "reg", 0, f"{qemu.DOM0_KERNEL_ADDR:x}", 0, f"{size:x}")
        fdtput(path, "-t", "s", module, "bootargs", scenario_bootargs(i, n))
    return path


def empty_initrd(images):
    """qemu.command() always loads an initrd module; the micro-guests ignore it."""
    path = images / "empty.initrd"
    if not path.exists():
        path.write_bytes(b"\0" * 512)
    return path


def run_qemu(argv, timeout, finished):
    """run_qemu_to_end() as (text, note, killed), for callers that need no exit status."""
    ended = run_qemu_to_end(argv, timeout, finished)
    return ended.text, ended.note, ended.killed


def run_qemu_to_end(argv, timeout, finished):
    """Run QEMU until finished(text) says how much longer to wait (seconds), or timeout.

    Every wait here has a deadline: QEMU is killed at the end of either."""
    start = time.monotonic()
    note = ""
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    buf = b""
    try:
        done_at = None
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        while True:
            now = time.monotonic()
            limit = start + timeout if done_at is None else min(start + timeout, done_at)
            if now >= limit:
                note = "" if done_at is not None and now >= done_at else f"timeout {timeout}s"
                break
            if not sel.select(timeout=min(0.5, limit - now)):
                continue
            chunk = proc.stdout.read1(65536)
            if not chunk:
                # QEMU closed its output: it is exiting; let it finish before judging.
                try:
                    proc.wait(timeout=EXIT_AFTER_EOF_S)
                except subprocess.TimeoutExpired:
                    pass
                break
            buf += chunk
            if done_at is None:
                grace = finished(buf.decode("utf-8", "replace").replace("\r", ""))
                if grace is not None:
                    done_at = time.monotonic() + grace
    finally:
        killed = proc.poll() is None
        if killed:
            proc.kill()
        try:
            status = proc.wait(timeout=EXIT_AFTER_EOF_S)
        except subprocess.TimeoutExpired:
            status = None
    text = buf.decode("utf-8", "replace").replace("\r", "")
    return Ended(text, note, killed, -1 if status is None else status)


# ---- following a boot past its verdicts ----

def crash_problems(text):
    """One problem per distinct crash report line in `text`."""
    seen = []
    for m in CRASH_REPORT.finditer(text):
        line = text[text.rfind("\n", 0, m.start()) + 1:text.find("\n", m.end())].strip()
        if line not in seen:
            seen.append(line)
    return [f"hypervisor crash report: {line!r}" for line in seen[:3]]


def exit_problems(ended, grace):
    if ended.note:
        return []  # the run's own bound passed: the verdict note says so already
    if ended.killed:
        return [f"QEMU still running {grace}s after the verdict (killed)"]
    if ended.status != 0:
        return [f"QEMU exited with status {ended.status}"]
    return []


def dom0_end_problems(hyp, ended):
    """A guest booted as dom0: one verdict, then the machine powers off and QEMU exits."""
    text = ended.text
    problems = crash_problems(text)
    found = [m.start() for m in VERDICT.finditer(text)]
    if len(found) > 1:
        problems.append(f"{len(found)} verdicts: the guest ran more than once")
    if found and DOM0_POWER_OFF[hyp] not in text[found[-1]:]:
        problems.append(f"no {DOM0_POWER_OFF[hyp]!r} after the verdict: dom0 did not power off")
    if found:
        problems += exit_problems(ended, POWEROFF_GRACE_S)
    return problems


def scenario_end_problems(hyp, ended, n):
    """A scenario: every domain gives one verdict; on Punt each then powers off and is
    destroyed and the machine powers off (Xen 4.17 keeps stopped dom0less domains: there
    only crash reports can be looked for)."""
    text = ended.text
    problems = crash_problems(text)
    for d, lines in sorted(domain_lines(hyp, text).items()):
        count = sum(1 for line in lines if VERDICT.search(line))
        if count > 1:
            problems.append(f"d{d} gave {count} verdicts: it ran more than once")
    if hyp != "punt" or not all(domain_verdicts(hyp, text, n).values()):
        return problems
    stops = {int(d): why for d, why in PUNT_SHUT_DOWN.findall(text)}
    for d in range(1, n + 1):
        if stops.get(d) != "poweroff":
            problems.append(f"d{d} shut down: {stops.get(d, 'never')} (expected poweroff)")
        elif not re.search(rf"^\(punt\) d{d} destroyed: ", text, re.MULTILINE):
            problems.append(f"d{d} was never destroyed")
    if PUNT_ALL_STOPPED not in text:
        problems.append(f"no {PUNT_ALL_STOPPED!r}: the machine did not power off")
    return problems + leak_problems(text) + exit_problems(ended, POWEROFF_GRACE_S)


def leak_problems(text):
    """Punt: once the last domain is destroyed, every page is free again."""
    before = PUNT_FREE_BEFORE.search(text)
    after = PUNT_DESTROYED.findall(text)
    if not before or not after or int(after[-1]) == int(before.group(1)):
        return []
    return [f"{int(before.group(1)) - int(after[-1])} pages leaked: {before.group(1)} free "
            f"before the domains, {after[-1]} once the last was destroyed"]


def guest_facts(text):
    """(skip reasons, failed checks) as the guests printed them."""
    return SKIPPED.findall(text), FAILED_CHECK.findall(text)


def how_it_ended(ended, secs):
    """For a note: whether QEMU was stopped by the runner or ended by itself, and its status."""
    if ended.killed:
        return f"was stopped by the runner after {secs:.1f}s"
    return f"exited by itself after {secs:.1f}s with status {ended.status}"


def dom0_finished(text):
    """How much longer to watch a dom0 boot: a crash report ends it soon, a verdict after
    the power-off grace (the guest powers off after its verdict), else keep going."""
    if CRASH_REPORT.search(text):
        return CRASH_GRACE_S
    return POWEROFF_GRACE_S if VERDICT.search(text) else None


def boot(hyp, hyp_image, image, smp, initrd, timeout, log_path):
    """Run one guest as dom0; return its Result."""
    argv = qemu.command(hyp_image, smp=smp, dom0_kernel=image, dom0_initrd=initrd)
    start = time.monotonic()
    ended = run_qemu_to_end(argv, timeout, dom0_finished)
    text = ended.text
    log_path.write_text(" ".join(argv) + "\n\n" + text)
    found = VERDICT.findall(text)
    verdict = found[-1] if found else "CRASH"
    note = ended.note
    if not found and not note:
        note = f"QEMU {how_it_ended(ended, time.monotonic() - start)} with no verdict"
    return Result(verdict, time.monotonic() - start, note, dom0_end_problems(hyp, ended),
                  *guest_facts(text))


def domain_lines(hyp, text):
    """{domid: [line, ...]} of the domUs' console output."""
    lines = {}
    for line in text.splitlines():
        m = DOMU_LINE[hyp].match(line)
        if m:
            lines.setdefault(int(m.group(1)), []).append(m.group(2))
    return lines


def domain_verdicts(hyp, text, n):
    """{domid: verdict or None} for domains 1..n."""
    lines = domain_lines(hyp, text)
    verdicts = {}
    for d in range(1, n + 1):
        found = [m.group(1) for m in map(VERDICT.search, lines.get(d, [])) if m]
        verdicts[d] = found[-1] if found else None
    return verdicts


def wrong_domids(hyp, text):
    """Domains whose console prefix differs from the domid their boot arguments gave."""
    wrong = []
    for d, lines in domain_lines(hyp, text).items():
        for line in lines:
            m = re.search(r"^scenario: domain \d+ of \d+, domid (\d+),", line)
            if m and int(m.group(1)) != d:
                wrong.append(f"d{d} was told it is d{m.group(1)}")
    return wrong


def boot_scenario(hyp, hyp_image, image, n, base_dtb, timeout, log_path):
    """Run n domains of one scenario; return its Result (the worst domain's verdict)."""
    dtb = scenario_dtb(base_dtb, image, n, log_path.with_suffix(".dtb"))
    argv = qemu.command(hyp_image, smp=SCENARIO_SMP, dtb=dtb, dom0_kernel=image,
                        dom0_initrd=empty_initrd(image.parent))
    start = time.monotonic()

    def finished(text):
        if BOOT_FAILED.search(text) or CRASH_REPORT.search(text):
            return CRASH_GRACE_S
        got = domain_verdicts(hyp, text, n)
        if not all(got.values()):
            return None
        # Punt powers the machine off after the last domain; Xen keeps running.
        return POWEROFF_GRACE_S if hyp == "punt" else XEN_SETTLE_S

    ended = run_qemu_to_end(argv, timeout, finished)
    text, note = ended.text, ended.note
    log_path.write_text(" ".join(argv) + "\n\n" + text)
    got = domain_verdicts(hyp, text, n)
    missing = [f"d{d}" for d, v in got.items() if v is None]
    verdicts = [v or "CRASH" for v in got.values()]
    verdict = max(verdicts, key=SEVERITY.index) if all(v in SEVERITY for v in verdicts) \
        else "CRASH"
    wrong = wrong_domids(hyp, text)
    if wrong:
        verdict = "ERROR"
    notes = [note] if note else []
    notes += [f"no verdict from {', '.join(missing)}"] if missing else []
    if missing and not note:
        notes.append(f"QEMU {how_it_ended(ended, time.monotonic() - start)}")
    notes += wrong
    if BOOT_FAILED.search(text):
        notes.append("boot failed: " + BOOT_FAILED.search(text).group(0).strip())
    per_domain = " ".join(f"d{d}={v or 'none'}" for d, v in got.items())
    guest_text = "\n".join(line for lines in domain_lines(hyp, text).values() for line in lines)
    return Result(verdict, time.monotonic() - start, "; ".join([per_domain] + notes),
                  scenario_end_problems(hyp, ended, n), *guest_facts(guest_text))


# Xen 4.17 now and then stops running both dom0less guests of a scenario: no verdict, no
# crash report, the guests silent until the runner's bound (under -icount, QEMU even warns
# that every CPU is idle with no timer armed: Xen has no runnable vCPU left although the
# guests only ever yield). Seen about once in 15 to 20 boots of a two-domain scenario on a
# loaded host; never on Punt. The reference side of a scenario that ends so is booted again,
# up to this many more times, and the note says so (docs/conformance.md, "Scenarios").
XEN_HANG_RETRIES = 2


def xen_stopped_its_guests(result):
    return (result.verdict == "CRASH" and "timeout" in result.note and
            "no verdict from" in result.note and not result.problems)


def boot_scenario_checked(hyp, hyp_image, image, n, base_dtb, timeout, log_path):
    """boot_scenario(), with the reference's intermittent stop retried (XEN_HANG_RETRIES)."""
    result = boot_scenario(hyp, hyp_image, image, n, base_dtb, timeout, log_path)
    for attempt in range(1, XEN_HANG_RETRIES + 1):
        if hyp != "xen" or not xen_stopped_its_guests(result):
            break
        log_path.rename(log_path.with_suffix(f".stopped{attempt}.log"))
        result = boot_scenario(hyp, hyp_image, image, n, base_dtb, timeout, log_path)
        result = result._replace(note=f"{result.note}; Xen stopped running the guests "
                                 f"{attempt} time(s) before (XEN_HANG_RETRIES), booted again")
    return result


def load_known(doc):
    """Rows of the known-differences table: | test | punt | xen | reason |.

    A verdict cell is a verdict (or *), optionally followed by the checks allowed to fail in
    backquotes, e.g. FAILURE `init_control`: then the row matches only when every failed
    check of that side is one of them."""
    known = {}
    if not doc.is_file():
        return known
    in_table = False
    for line in doc.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") \
            else None
        if cells is None:
            in_table = False
            continue
        if cells[:3] == ["test", "punt", "xen"]:
            in_table = True
            continue
        if not in_table or set(cells[0]) <= set("-: "):
            continue
        if len(cells) >= 4:
            known[cells[0].strip("`")] = (known_cell(cells[1]), known_cell(cells[2]), cells[3])
    return known


def known_cell(cell):
    """(verdict, [pinned check names]) of one verdict cell of the table."""
    return cell.split()[0] if cell.split() else "", re.findall(r"`([^`]+)`", cell)


def matches_known(cell, result):
    verdict, pinned = cell
    if verdict not in (result.verdict, "*"):
        return False
    return not pinned or bool(result.failed_checks) and set(result.failed_checks) <= set(pinned)


def classify(name, results, known):
    """agree | skip | known | FAIL for one test's {hyp: Result} (one or both hypervisors)."""
    if any(r.problems for r in results.values()):
        return "FAIL"  # a crash or a bad ending is never a known difference
    verdicts = {r.verdict for r in results.values()}
    if verdicts == {"SUCCESS"}:
        return "agree"
    reasons = [tuple(r.skip_reasons) for r in results.values()]
    if verdicts == {"SKIP"} and all(reasons) and len(set(reasons)) == 1:
        return "skip"
    entry = known.get(name)
    if entry and all(matches_known(entry[HYPERVISORS.index(h)], r) for h, r in results.items()):
        return "known"
    return "FAIL"


# ---- probes: value-by-value comparison inside class guests (docs/conformance.md, "Probes") ----
PROBE_LINE = re.compile(r"PROBE (\S+) got=(-?\d+) expect=(-?\d+) (ok|FAIL)")
# What rt_fail() prints: "FAIL file:line: what"; rt_probe()'s own failure says "probe NAME:".
CHECK_FAIL = re.compile(r"^FAIL \S+:\d+: (?:probe (\S+):)?")
DOMU_PREFIX = re.compile(r"^(?:\(d\d+\) |\(XEN\) DOM\d+: )")
INVALID_INPUT = "bad_"


def probe_log(log_path):
    """(probes, failed_checks): {name: value got} and the names of the failed checks in a
    boot log, a failed CHECK that is not a probe counted under "" (console prefixes of
    scenario domains are dropped)."""
    probes, failed = {}, []
    if not log_path.is_file():
        return probes, failed
    for line in log_path.read_text(errors="replace").splitlines():
        line = DOMU_PREFIX.sub("", line)
        m = PROBE_LINE.search(line)
        if m:
            probes[m.group(1)] = int(m.group(2))
            continue
        m = CHECK_FAIL.match(line)
        if m:
            failed.append(m.group(1) or "")
    return probes, failed


def classify_probe(key, got, known):
    """agree / known / FAIL for one probe from {hypervisor: value or None}."""
    if len(got) == 1:
        return "agree" if None not in got.values() else "FAIL"
    punt, xen = got["punt"], got["xen"]
    if punt is not None and punt == xen:
        return "agree"
    entry = known.get(key)
    if entry and entry[0][0] in (str(punt), "*") and entry[1][0] in (str(xen), "*"):
        return "known"
    return "FAIL"


def compare_probes(names, wanted, logs, known, results):
    """Compare every probe of every guest between the hypervisors.

    A probe is listed in docs/conformance.md as "guest:probe" with the two values. With one
    hypervisor only, a probe agrees when it gave what Xen 4.17 gave (its "ok"). A guest whose
    only failed checks are probes that are known differences counts as SUCCESS on that
    hypervisor (results is updated in place): the probe rows account for the difference.
    Returns (counts, invalid_input_probes, lines to print)."""
    counts = {"agree": 0, "known": 0, "FAIL": 0}
    invalid, out = 0, []
    for name in names:
        logged = {h: probe_log(logs / f"{name}.{h}.log") for h in wanted}
        probes = sorted(set().union(*(p for p, _ in logged.values())))
        cls_of = {}
        for probe in probes:
            key = f"{name}:{probe}"
            if len(wanted) == 1:
                got = {wanted[0]: logged[wanted[0]][0].get(probe)}
                ok = probe not in logged[wanted[0]][1] and None not in got.values()
                cls = "agree" if ok else "FAIL"
            else:
                got = {h: logged[h][0].get(probe) for h in wanted}
                cls = classify_probe(key, got, known)
            cls_of[probe] = cls
            counts[cls] += 1
            invalid += probe.startswith(INVALID_INPUT)
            if cls != "agree":
                values = "  ".join(f"{h}={got[h]}" for h in wanted)
                label = "known difference" if cls == "known" else "FAIL"
                out.append(f"  {key}: {values}  {label}")
        for h in wanted:
            r = results[(name, h)]
            failed = logged[h][1]
            if r.verdict == "FAILURE" and failed and \
                    all(f and cls_of.get(f) == "known" for f in failed):
                note = "; ".join(filter(None, [r.note, "failed only known probes"]))
                results[(name, h)] = r._replace(verdict="SUCCESS", note=note)
        if len(wanted) == 2:
            for probe in probes:
                if cls_of[probe] == "agree" and f"{name}:{probe}" in known:
                    out.append(f"  note: docs/conformance.md lists {name}:{probe} as a "
                               f"difference, but both hypervisors now agree: remove the row")
    return counts, invalid, out


def failure_lines(log_path, limit=6):
    lines = log_path.read_text(errors="replace").splitlines()
    marks = ("FAIL ", "error:", "skipped:", "setup failed", "unexpected exception", "Panic",
             "not started:")
    picked = [l for l in lines if any(m in l for m in marks) or CRASH_REPORT.search(l)]
    return (picked or lines[-limit:])[:limit]


LABELS = {"agree": "ok", "skip": "skipped (same reason)", "known": "known difference",
          "FAIL": "FAIL"}


def report(names, wanted, results, known, logs, only):
    """Print the table, the failures and the summary line; return the counts."""
    width = max(len(n) for n in names)
    print(f"{'test':<{width}}  " + "  ".join(f"{h:<8}" for h in wanted) + "  result")
    counts = dict.fromkeys(LABELS, 0)
    failed = []
    for name in names:
        per_hyp = {h: results[(name, h)] for h in wanted}
        cls = classify(name, per_hyp, known)
        counts[cls] += 1
        row = "  ".join(f"{per_hyp[h].verdict:<8}" for h in wanted)
        label = LABELS[cls]
        if cls == "FAIL" and any(r.problems for r in per_hyp.values()):
            label += " (after the verdict)"
        print(f"{name:<{width}}  {row}  {label}")
        if cls == "FAIL":
            failed.append(name)
    for name in failed:
        print_failure(name, wanted, results, logs)
    stale = [] if only else sorted(n for n in set(known) - set(names) if ":" not in n)
    for name in stale:
        print(f"note: docs/conformance.md lists {name}, which is not built")
    for name in names:
        per_hyp = {h: results[(name, h)] for h in wanted}
        if name in known and len(wanted) == 2 and classify(name, per_hyp, {}) != "FAIL":
            print(f"note: docs/conformance.md lists {name} as a difference, but both "
                  f"hypervisors now agree: remove the row")
    return counts


def print_failure(name, wanted, results, logs):
    print(f"\n--- {name}")
    for h in wanted:
        r = results[(name, h)]
        log = logs / f"{name}.{h}.log"
        print(f"  {h}: {r.verdict} in {r.secs:.1f}s{' (' + r.note + ')' if r.note else ''}; "
              f"log {log}")
        for problem in r.problems:
            print(f"    after the verdict: {problem}")
        for line in failure_lines(log):
            print(f"    {line}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--images", type=Path, default=IMAGES)
    p.add_argument("--logs", type=Path, help="where the per-boot logs go (default IMAGES/logs)")
    p.add_argument("--punt", default=str(qemu.HYPERVISORS["punt"]), help="Punt image")
    p.add_argument("--xen", default=str(qemu.HYPERVISORS["xen"]), help="Xen 4.17 image")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=int, default=30, help="seconds per boot")
    p.add_argument("--only", action="append", help="regex of test names (repeatable)")
    p.add_argument("--hyp", choices=HYPERVISORS, action="append",
                   help="boot only on this hypervisor (no comparison)")
    args = p.parse_args(argv)

    hyps = {"punt": Path(args.punt), "xen": Path(args.xen)}
    wanted = args.hyp or list(HYPERVISORS)
    missing = [f"{h}: {hyps[h]}" for h in wanted if not hyps[h].is_file()]
    if missing:
        print("run.py: missing hypervisor image(s): " + ", ".join(missing) +
              " (make hyp / make fetch)", file=sys.stderr)
        return 2
    names = tests_in(args.images, args.only)
    if not names:
        print(f"run.py: no *.Image in {args.images} matching {args.only or 'anything'} "
              f"(make -C tests/guests)", file=sys.stderr)
        return 2
    logs = args.logs or args.images / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    initrd = empty_initrd(args.images)

    base_dtb = None
    if any(domains_for(n) for n in names):
        base_dtb = logs / "scenario-base.dtb"
        qemu.dump_dtb(base_dtb, smp=SCENARIO_SMP, dom0_kernel=initrd, dom0_initrd=initrd)

    jobs = {}
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for name in names:
            for h in wanted:
                log = logs / f"{name}.{h}.log"
                image = args.images / f"{name}.Image"
                n = domains_for(name)
                if n:
                    jobs[(name, h)] = pool.submit(boot_scenario_checked, h, hyps[h], image,
                                                  n, base_dtb, args.timeout * 2, log)
                else:
                    jobs[(name, h)] = pool.submit(boot, h, hyps[h], image, smp_for(name),
                                                  initrd, args.timeout, log)
    results = {k: f.result() for k, f in jobs.items()}

    known = load_known(CONFORMANCE_DOC)
    probe_counts, invalid_probes, probe_lines = compare_probes(names, wanted, logs, known,
                                                               results)
    counts = report(names, wanted, results, known, logs, args.only)
    if probe_lines:
        print("\nprobes that differ:")
        print("\n".join(probe_lines))
    nr_probes = sum(probe_counts.values())
    for k in probe_counts:
        counts[k] += probe_counts[k]
    print(f"\n{len(names)} tests on {', '.join(wanted)} in {time.monotonic() - started:.0f}s")
    print(f"conformance: {len(names) + nr_probes} tests ({len(names)} guests, {nr_probes} probes), "
          f"{counts['agree']} agree, {counts['known']} known differences, {counts['skip']} "
          f"skipped, {counts['FAIL']} failures; {invalid_probes} invalid-input probes")
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
