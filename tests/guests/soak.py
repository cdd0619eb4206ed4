#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Boot one two-domain scenario many times, several QEMUs at once, and catch boots that stall.

Races between CPUs show up rarely and only under load: the first one this found hung about
one boot in 300 with three QEMUs on two host cores (an idle secondary CPU locked its own
run queue twice while the boot CPU was building guests). Each boot must show both domains'
verdicts (SUCCESS) within --stall seconds of Punt's "Free memory before domains" line, both
domains' teardown before Punt powers the machine off, and then end as run.py's
scenario_end_problems() demands: no crash report, every page free again, QEMU exiting by
itself with status 0 within run.POWEROFF_GRACE_S. Every wait has a deadline. On a stall
(before or after the verdicts) the QEMU is kept running, gdb is attached to its gdbstub and
prints every CPU's backtrace with Punt's symbols; any failed boot ends the run with status 1,
its reasons and its console. `make soak` runs SOAK_BOOTS boots; `make test` runs a short
one (`make -C tests/guests soak-short`, 36 boots).
"""

import argparse
import re
import concurrent.futures
import selectors
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run  # noqa: E402  (scenario DTBs and console prefixes are the runner's)

REPO = run.REPO
READY = "Free memory before domains"
ALL_STOPPED = "All domains have stopped"
# Punt is linked at 0 and runs where QEMU's -kernel loader puts an arm64 Image.
PUNT_LOAD_ADDR = 0x40200000
GDB_PORT_BASE = 1300


def boot_once(argv, n, stall_s, limit_s):
    """Run one boot; return (outcome, text, proc, reasons): outcome ok | stall | crash.

    proc is the QEMU of a stall, still running for gdb; None otherwise."""
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    start = time.monotonic()
    ready_at = None
    buf = b""
    while True:
        if sel.select(timeout=0.2):
            chunk = proc.stdout.read1(65536)
            if not chunk:
                break
            buf += chunk
        text = buf.decode("utf-8", "replace").replace("\r", "")
        verdicts = run.domain_verdicts("punt", text, n)
        if all(verdicts.values()) and ALL_STOPPED in text:
            break
        now = time.monotonic()
        if ready_at is None and READY in text:
            ready_at = now
        if ready_at is not None and now - ready_at > stall_s:
            return "stall", text, proc, [f"no verdicts {stall_s:.0f}s after {READY!r}"]
        if now - start > limit_s:
            return "stall", text, proc, [f"the boot took more than {limit_s:.0f}s"]
    # The machine powers off after its last domain: QEMU must exit by itself, promptly.
    try:
        status = proc.wait(timeout=run.POWEROFF_GRACE_S)
    except subprocess.TimeoutExpired:
        text = buf.decode("utf-8", "replace").replace("\r", "")
        return "stall", text, proc, [f"QEMU still running {run.POWEROFF_GRACE_S}s after "
                                     f"{ALL_STOPPED!r}"]
    buf += proc.stdout.read()
    text = buf.decode("utf-8", "replace").replace("\r", "")
    reasons = run.scenario_end_problems("punt", run.Ended(text, "", False, status), n)
    verdicts = run.domain_verdicts("punt", text, n)
    reasons += [f"d{d} verdict {v}" for d, v in verdicts.items() if v != "SUCCESS"]
    if not all_destroyed_first(text, n):
        reasons.append("a domain's teardown was not reported before the machine powered off")
    return ("crash" if reasons else "ok"), text, None, reasons


def all_destroyed_first(text, n):
    """Every domain's teardown is reported before the machine powers off."""
    before = text.split(ALL_STOPPED)[0]
    return all(re.search(rf"^\(punt\) d{d} destroyed: ", before, re.MULTILINE)
               for d in range(1, n + 1))


def backtraces(elf, port):
    """Every CPU's backtrace from the stalled QEMU's gdbstub."""
    argv = ["gdb-multiarch", "-batch", "-nx",
            "-ex", f"add-symbol-file {elf} -o {PUNT_LOAD_ADDR:#x}",
            "-ex", f"target remote 127.0.0.1:{port}",
            "-ex", "info threads",
            "-ex", "thread apply all bt 12"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
        return done.stdout + done.stderr
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"gdb failed: {e}"


def worker(slot, args, dtb, stop, results):
    port = GDB_PORT_BASE + slot
    argv = run.qemu.command(args.hyp_image, smp=run.SCENARIO_SMP, dtb=dtb,
                            dom0_kernel=args.image, dom0_initrd=run.empty_initrd(args.image.parent))
    argv += ["-gdb", f"tcp:127.0.0.1:{port}"]
    while not stop.is_set():
        with results["lock"]:
            if results["started"] >= args.boots:
                return
            results["started"] += 1
        outcome, text, proc, reasons = boot_once(argv, args.domains, args.stall, args.limit)
        with results["lock"]:
            results[outcome] += 1
        if outcome == "ok":
            continue
        stop.set()
        report = text[-3000:]
        if proc is not None:
            report += "\n--- gdb ---\n" + backtraces(args.elf, port)
            proc.kill()
            proc.wait(timeout=30)
        results["reports"].append(f"--- boot {outcome}: {'; '.join(reasons)} ---\n{report}")
        return


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--boots", type=int, default=300)
    p.add_argument("--jobs", type=int, default=3, help="QEMUs at once (load helps races)")
    p.add_argument("--test", default="hostile_peer_touches_nothing_it_was_not_given",
                   help="a scenario micro-guest in build/guests")
    p.add_argument("--images", type=Path, default=run.IMAGES)
    p.add_argument("--hyp-image", type=Path, default=REPO / "build" / "punt.Image")
    p.add_argument("--elf", type=Path, default=REPO / "build" / "hyp" / "punt.elf")
    # A boot takes about 10 s with three QEMUs on two host cores (the scenario sends 20,000
    # events); the races this looks for hang for ever, so the bounds leave room for load.
    p.add_argument("--stall", type=float, default=40.0,
                   help="seconds after Punt's ready line without both verdicts")
    p.add_argument("--limit", type=float, default=150.0, help="seconds for a whole boot")
    args = p.parse_args(argv)

    args.image = args.images / f"{args.test}.Image"
    source = HERE / "tests" / f"{args.test}.c"
    if not args.image.is_file() or not source.is_file():
        sys.exit(f"soak: no scenario {args.test} (build it with make -C tests/guests)")
    args.domains = run.domains_for(args.test)
    if args.domains < 2:
        sys.exit(f"soak: {args.test} is not a scenario of several domains")
    logs = args.images / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    base = logs / "soak-base.dtb"
    initrd = run.empty_initrd(args.images)
    run.qemu.dump_dtb(base, smp=run.SCENARIO_SMP, dom0_kernel=initrd, dom0_initrd=initrd)
    dtb = run.scenario_dtb(base, args.image, args.domains, logs / "soak.dtb")

    stop = threading.Event()
    results = {"lock": threading.Lock(), "started": 0, "ok": 0, "stall": 0, "crash": 0,
               "reports": []}
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for f in [pool.submit(worker, i, args, dtb, stop, results) for i in range(args.jobs)]:
            f.result()
    for r in results["reports"]:
        print(r)
    print(f"soak: {results['ok']} boots passed, {results['stall']} stalled, "
          f"{results['crash']} failed, {args.jobs} at once, {time.monotonic() - start:.0f} s")
    return 0 if results["ok"] == results["started"] else 1


if __name__ == "__main__":
    sys.exit(main())
