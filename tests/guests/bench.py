#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Hypercall micro-benchmarks: instructions per operation on Punt and on Xen 4.17.

Each build/guests/bench/NAME.Image (from tests/guests/bench/NAME.c) boots as dom0 on both
hypervisors under -icount shift=0,sleep=off -smp 1 (scripts/qemu.py). There one instruction
is one nanosecond of guest time and the generic counter follows it, so the guest's counter
ticks convert exactly to instructions: instructions = ticks * 1e9 / CNTFRQ. The guest prints
"BENCH name ops=N ticks=T hz=F" (loop cost minus the empty loop) or "BENCH name n/a why",
then its verdict. Every image boots --runs times per hypervisor; the figures must repeat
exactly, which the table says. Output: a Markdown table, Punt/Xen ratio last.

A benchmark whose source has a line "// domains: N" runs as N dom0less domains without dom0,
built by run.py's scenario_dtb() (static event channels pair them), all on the one pCPU;
its figures come from the domains' prefixed console lines and every domain must succeed.

The stall benchmarks (bench/stall_*.c, rt/bench.h bench_stall) are such two-domain scenarios:
one domain runs a hostile operation, the other (the canary) prints "STALL name ticks=T hz=F",
its longest gap in execution. They make a second table, in milliseconds of guest time, and
Punt's figure must stay within one scheduler slice (SLICE_MS, the default sched_slice_ms).
A benchmark that cannot run fails the whole run (exit status 1, the reason on stderr): a
hypervisor that does not start the guest, a verdict other than SUCCESS, a missing figure, an
"n/a" (only XEN_LACKS may be n/a, and only on Xen; only PUNT_REFUSES, and only on Punt), or a boot that does not end as run.py's
end checks demand (a crash report, no power-off, QEMU not exiting by itself).
"""

import argparse
import concurrent.futures
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import console  # noqa: E402  (QEMU console driver, shared with the system tests)
import qemu  # noqa: E402  (the shared command line)

IMAGES = REPO / "build" / "guests" / "bench"
HYPERVISORS = (("punt", "Punt"), ("xen", "Xen 4.17"))
# Table rows in this order, with what each measures; a name not listed goes last.
LABELS = {
    "null_hypercall": "null hypercall: xen_version(XENVER_version)",
    "null_hypercall_gicd_on": "null hypercall, guest's GIC distributor enabled (as Linux)",
    "null_hypercall_spis_on": "null hypercall, distributor on and every SPI configured, none pending",
    "psci_version": "SMCCC call: PSCI_VERSION through HVC #0",
    "psci_version_gicd_on": "SMCCC call: PSCI_VERSION, guest's GIC distributor enabled",
    "mmio_gicd_read": "emulated MMIO read: GICD_TYPER of the virtual distributor",
    "evtchn_send_masked": "event channel send to self, port masked (send path)",
    "evtchn_send_masked_gicd_on": "event channel send to self, port masked, distributor on",
    "evtchn_send_upcall": "event channel send to self + upcall IRQ taken and acked",
    "vtimer_irq_latency": "virtual timer: deadline to guest IRQ vector, WFI, 1 ms ahead",
    "vtimer_irq_latency_20us": "virtual timer: deadline to guest IRQ vector, WFI, 20 us ahead",
    "irq_inject_latency": "device interrupt to dom0 (PL031 alarm, SPI 34): MMIO write to IRQ vector",
    "evtchn_ping_pong": "event channel round trip between two domains",
    "sched_yield_switch": "vCPU switch between two domains (SCHEDOP_yield)",
    "gnttab_copy_page": "grant copy of a 4 KiB page (own gref to local frame)",
}
BENCH_LINE = re.compile(r"\bBENCH (\S+) (?:ops=(\d+) ticks=(\d+) hz=(\d+)|n/a ?(.*))$")
STALL_LINE = re.compile(r"\bSTALL (\S+) (?:ticks=(\d+) hz=(\d+)|n/a ?(.*))$")
STALL_LABELS = {
    "stall_guest_loop": "none: the other domain spins in its own code (reference)",
    "stall_multicall_grant_copy": "multicall of 512 GNTTABOP_copy batches of 512 page copies",
    "stall_grant_map_unmap": "grant map and unmap batches of 65,536 refused elements each, then real ones",
    "stall_memory_op_extents": "multicall of 64 memory_op calls of 2048 extents each",
    "stall_console_io_write": "console_io write of 4 MiB",
    "stall_evtchn_reset": "EVTCHNOP_reset of all bound ports (Punt 4,000, Xen 1,020), 8 times",
}
# Punt's default sched_slice_ms: a canary may wait one turn of the other domain, no longer.
SLICE_MS = 10
VERDICT = re.compile(r"Test result: ([A-Z]+)")
# The hypervisor refused to start a domain: the benchmark cannot run, which fails the run.
NOT_STARTED = re.compile(r"not started: (.*)$|boot error: (.*)$")
DOMAINS_MARK = re.compile(r"^//\s*domains:\s*(\d+)\s*$", re.MULTILINE)
# Benchmarks of an operation Xen 4.17 lacks, which may show n/a for Xen (and only for Xen),
# each with the reason; docs/conformance.md lists them too. None today.
XEN_LACKS = {}
# Stall benchmarks of an operation Punt refuses to a domU, which may show n/a for Punt (and
# only for Punt): the hostile domain's call fails at once, so there is nothing to stall.
PUNT_REFUSES = {
    "stall_memory_op_extents": "a domU's reservation is fixed on Punt (memory_op -ENOSYS)",
    "stall_console_io_write": "only the control domain may use console_io on Punt (-EPERM)",
}


class BenchFailed(Exception):
    pass


def empty_initrd(images):
    """qemu.command() always loads an initrd module; the benchmarks ignore it."""
    path = images / "empty.initrd"
    if not path.exists():
        path.write_bytes(b"\0" * 512)
    return path


def parse_stall_lines(text):
    """{name: longest stall in ms of guest time (float) or 'n/a: why'} from the consoles."""
    found = {}
    for line in text.splitlines():
        m = STALL_LINE.search(line.strip())
        if not m:
            continue
        name, ticks, hz, why = m.groups()
        if ticks is None:
            found[name] = f"n/a: {why.strip('() ')}" if why else "n/a"
        elif not isinstance(found.get(name), str):
            found[name] = int(ticks) * 1e3 / int(hz)
    return found


def parse_bench_lines(text):
    """{name: instructions per op (float) or 'n/a: why'} from a guest's console."""
    found = parse_stall_lines(text)
    for line in text.splitlines():
        m = BENCH_LINE.search(line.strip())
        if not m:
            continue
        name, ops, ticks, hz, why = m.groups()
        if ops is None:
            found[name] = f"n/a: {why.strip('() ')}" if why else "n/a"
            continue
        # icount shift=0: 1 instruction per ns of guest time; a tick is 1e9/hz ns.
        found[name] = int(ticks) * 1e9 / int(hz) / int(ops)
    return found


def domains_for(image):
    src = HERE / "bench" / f"{image.stem}.c"
    m = DOMAINS_MARK.search(src.read_text()) if src.is_file() else None
    return int(m.group(1)) if m else 0


def scenario_base_dtb(initrd, logs):
    """QEMU's own DTB for one CPU, which scenario_dtb() turns into the domains' DTB."""
    base = logs / "scenario-base-smp1.dtb"
    qemu.dump_dtb(base, smp=1, dom0_kernel=initrd, dom0_initrd=initrd)
    return base


def scenario_argv(hyp_image, image, n, initrd, log_path):
    """QEMU argv booting n domains of `image` without dom0, one pCPU, under icount."""
    import run  # noqa: E402  (run.py, next to this file, owns the scenario DTB)
    base = log_path.parent / "scenario-base-smp1.dtb"
    dtb = run.scenario_dtb(base, image, n, log_path.with_suffix(".dtb"))
    return qemu.command(hyp_image, smp=1, icount=True, dtb=dtb, dom0_kernel=image,
                        dom0_initrd=initrd)


# QEMU's words when, under -icount sleep=off, every CPU waits with no timer armed: the
# machine can never run again. Xen 4.17 ends up so now and then in a two-domain scenario
# (docs/conformance.md, "Scenarios"); its side is then booted again, as tests/guests/run.py
# does with XEN_HANG_RETRIES.
ALL_IDLE_NO_TIMER = "icount sleep disabled and no active timers"


class XenStopped(BenchFailed):
    pass


def boot_checked(hyp, hyp_image, image, initrd, timeout, log_path):
    """boot(), with Xen's intermittent stop retried up to run.XEN_HANG_RETRIES times."""
    import run  # noqa: E402
    for attempt in range(run.XEN_HANG_RETRIES):
        try:
            return boot(hyp, hyp_image, image, initrd, timeout, log_path)
        except XenStopped as err:
            print(f"bench.py: {err}: Xen stopped running the guests, booting it again "
                  f"({attempt + 1} of {run.XEN_HANG_RETRIES})", file=sys.stderr)
            log_path.rename(log_path.with_suffix(f".stopped{attempt + 1}.log"))
    return boot(hyp, hyp_image, image, initrd, timeout, log_path)


def boot(hyp, hyp_image, image, initrd, timeout, log_path):
    """Boot one benchmark under icount; return its BENCH figures or raise BenchFailed."""
    import run  # noqa: E402  (run.py, next to this file, owns the end-of-boot checks)
    n = domains_for(image)
    if n:
        argv = scenario_argv(hyp_image, image, n, initrd, log_path)
    else:
        argv = qemu.command(hyp_image, smp=1, icount=True, dom0_kernel=image,
                            dom0_initrd=initrd)
    where = f"{image.stem} on {hyp}"
    verdicts = []
    with console.Qemu(argv, log_path=log_path) as vm:
        try:
            for i in range(max(n, 1)):
                m, _ = vm.expect(f"{VERDICT.pattern}|{NOT_STARTED.pattern}", timeout,
                                 f"verdict {i + 1} of {max(n, 1)}")
                if m.group(1) is None:
                    why = (m.group(2) or m.group(3)).strip()
                    raise BenchFailed(f"{where}: the hypervisor did not start it: {why}; "
                                      f"log {log_path}")
                verdicts.append(m.group(1))
        except console.ConsoleError as err:
            if hyp == "xen" and ALL_IDLE_NO_TIMER in vm.text_since(0):
                raise XenStopped(f"{where}: {err}") from err
            raise BenchFailed(f"{where}: {err}") from err
        ended = follow_to_end(vm, hyp == "punt" or not n)
    problems = (run.scenario_end_problems(hyp, ended, n) if n else
                run.dom0_end_problems(hyp, ended))
    if problems:
        raise BenchFailed(f"{where}: after the verdict: {'; '.join(problems)}; log {log_path}")
    text = ended.text
    if any(v != "SUCCESS" for v in verdicts):
        raise BenchFailed(f"{where}: Test result {', '.join(verdicts)}; "
                          f"log {log_path}:\n" + "\n".join(text.splitlines()[-8:]))
    figures = parse_bench_lines(text)
    if not figures:
        raise BenchFailed(f"{where}: no BENCH line; log {log_path}")
    for name, figure in figures.items():
        allowed = XEN_LACKS if hyp == "xen" else PUNT_REFUSES
        if isinstance(figure, str) and name not in allowed:
            raise BenchFailed(f"{where}: {name} {figure}; log {log_path}")
    return figures


def is_stall(name):
    return name.startswith("stall_")


def follow_to_end(vm, exits):
    """After the verdicts: let QEMU exit by itself (Punt, or any dom0 guest), or watch Xen's
    console a while (Xen keeps dom0less domains and the machine running); the run's Ended."""
    import run  # noqa: E402
    if exits:
        try:
            status, killed = vm.wait_exit(run.POWEROFF_GRACE_S), False
        except console.ConsoleError:
            status, killed = -1, True
    else:
        time.sleep(run.XEN_SETTLE_S)
        status, killed = -1, True
    return run.Ended(vm.text_since(0), "", killed, status)


def missing_figures(results, runs):
    """Every benchmark named on one side has a figure on both, in every run."""
    names = {n for per_run in results.values() for r in per_run for n in r}
    return [f"{name} on {hyp}, run {i + 1}: no figure" for name in sorted(names)
            for hyp, _ in HYPERVISORS for i in range(runs) if name not in results[hyp][i]]


def order(names):
    names = [n for n in names if not is_stall(n)]
    listed = [n for n in LABELS if n in names]
    return listed + sorted(set(names) - set(listed))


def stall_order(names):
    names = [n for n in names if is_stall(n)]
    listed = [n for n in STALL_LABELS if n in names]
    return listed + sorted(set(names) - set(listed))


def ms_cell(value):
    return value if isinstance(value, str) else f"{value:,.2f} ms"


def stall_table(results, runs):
    """The canary's longest stall per hostile operation (first run; all runs must agree)."""
    names = stall_order({n for per_run in results.values() for r in per_run for n in r})
    if not names:
        return "", []
    rows = [("Hostile operation beside the canary (longest stall, guest time)", "Punt",
             "Xen 4.17", "Punt/Xen"), ("---", "---", "---", "---")]
    too_long = []  # and other reasons to fail the run
    for name in names:
        first = {hyp: results[hyp][0].get(name, "missing") for hyp, _ in HYPERVISORS}
        for hyp, _ in HYPERVISORS:
            seen = [r.get(name, "missing") for r in results[hyp]]
            if any(x != seen[0] for x in seen):
                too_long.append(f"{name} on {hyp} did not repeat exactly: {seen}")
        punt = first["punt"]
        if not isinstance(punt, str) and punt > SLICE_MS:
            too_long.append(f"{name}: Punt's canary stalled {punt:.2f} ms, more than one "
                            f"scheduler slice ({SLICE_MS} ms)")
        rows.append((STALL_LABELS.get(name, name), ms_cell(punt), ms_cell(first["xen"]),
                     ratio(punt, first["xen"])))
    text = "\n".join("| " + " | ".join(r) + " |" for r in rows)
    if runs > 1 and not any("did not repeat" in t for t in too_long):
        text += f"\n\nEvery stall repeated exactly over {runs} runs."
    return text, too_long


def cell(value):
    if isinstance(value, str):
        return value
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def ratio(punt, xen):
    if isinstance(punt, str) or isinstance(xen, str) or not xen:
        return "n/a"
    return f"{punt / xen:.2f}"


def table(results, runs):
    """results[hyp] is a list (one per run) of {name: figure}."""
    names = order({n for per_run in results.values() for r in per_run for n in r})
    rows = [("Operation (instructions per op)", "Punt", "Xen 4.17", "Punt/Xen"),
            ("---", "---", "---", "---")]
    unstable = []
    for name in names:
        first = {}
        for hyp, _ in HYPERVISORS:
            seen = [r.get(name, "missing") for r in results[hyp]]
            first[hyp] = seen[0]
            if any(s != seen[0] for s in seen):
                unstable.append(f"{name} on {hyp}: {seen}")
        rows.append((LABELS.get(name, name), cell(first["punt"]), cell(first["xen"]),
                     ratio(first["punt"], first["xen"])))
    text = "\n".join("| " + " | ".join(r) + " |" for r in rows)
    if runs > 1:
        text += ("\n\nEvery figure repeated exactly over " f"{runs} runs." if not unstable else
                 "\n\nFigures that did NOT repeat exactly:\n" + "\n".join(unstable))
    return text


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--images", type=Path, default=IMAGES)
    p.add_argument("--punt", default=str(qemu.HYPERVISORS["punt"]), help="Punt image")
    p.add_argument("--xen", default=str(qemu.HYPERVISORS["xen"]), help="Xen 4.17 image")
    p.add_argument("--runs", type=int, default=2,
                   help="boots per benchmark and hypervisor (default 2: shows they repeat)")
    p.add_argument("--jobs", type=int, default=2, help="QEMUs at once (icount figures do not "
                   "depend on host load)")
    p.add_argument("--timeout", type=int, default=180,
                   help="seconds per verdict (Xen takes about 45 s for a two-domain scenario "
                   "at host load 7)")
    p.add_argument("--only", action="append", help="regex of benchmark names (repeatable)")
    args = p.parse_args(argv)

    hyps = {"punt": Path(args.punt), "xen": Path(args.xen)}
    missing = [f"{h}: {path}" for h, path in hyps.items() if not path.is_file()]
    if missing:
        print("bench.py: missing hypervisor image(s): " + ", ".join(missing) +
              " (make hyp / make fetch)", file=sys.stderr)
        return 2
    images = sorted(p for p in args.images.glob("*.Image")
                    if (HERE / "bench" / f"{p.stem}.c").is_file())
    if args.only:
        images = [i for i in images if any(re.search(o, i.stem) for o in args.only)]
    if not images:
        print(f"bench.py: no benchmark images in {args.images} (make -C tests/guests benches)",
              file=sys.stderr)
        return 2
    logs = args.images / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    initrd = empty_initrd(args.images)
    if any(domains_for(i) for i in images):
        scenario_base_dtb(initrd, logs)

    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for run in range(args.runs):
            for image in images:
                for hyp, _ in HYPERVISORS:
                    log = logs / f"{image.stem}.{hyp}.{run}.log"
                    jobs[(hyp, run, image.stem)] = pool.submit(boot_checked, hyp, hyps[hyp], image,
                                                               initrd, args.timeout, log)
    results = {hyp: [{} for _ in range(args.runs)] for hyp, _ in HYPERVISORS}
    failures = []
    for (hyp, run, stem), job in jobs.items():
        try:
            results[hyp][run].update(job.result())
        except BenchFailed as err:
            failures.append(str(err))
    if not failures:
        failures = missing_figures(results, args.runs)
    stalls, too_long = stall_table(results, args.runs)
    failures += too_long
    if failures:
        for f in failures:
            print(f"bench.py: {f}", file=sys.stderr)
        print(f"bench.py: {len(failures)} benchmark run(s) failed: no table", file=sys.stderr)
        return 1
    print(table(results, args.runs))
    if stalls:
        print("\n" + stalls)
    return 0


if __name__ == "__main__":
    sys.exit(main())
