#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Boot the hostile-guest fuzzer next to its canary, one seed per boot, and judge each run.

Each seed boots build/guests/fuzz/fuzz.Image twice as a two-domain dom0less scenario (run.py's
scenario DTB): d1 fuzzes (rt.index=0), d2 is the canary. Boot arguments `seed=`,
`iterations=`, `fuzz_ms=`, `canary_ms=` (and `trace=` to print every operation from an
iteration on) go to both. A run passes when the hypervisor printed no crash report, the
fuzzer printed "FUZZ done" and its verdict, and the canary printed "CANARY done ok" and
"Test result: SUCCESS". Anything else prints the seed, the tail of both domains' output and
the command that replays it, and the script exits non-zero. See docs/fuzzing.md.
"""

import argparse
import sys
import time
from pathlib import Path

import run  # tests/guests/run.py: scenario DTB, QEMU runner, console parsing

qemu = run.qemu
HERE = run.HERE
REPO = run.REPO
IMAGE = REPO / "build" / "guests" / "fuzz" / "fuzz.Image"
FUZZER, CANARY = 1, 2  # domain ids: rt.index 0 and 1
# What the hypervisor prints when it, not a guest, fails.
CRASH_MARKS = {"punt": ("Panic on CPU", "Unexpected EL2 exception", "all CPUs stopped"),
               "xen": ("Panic on CPU", "Xen call trace", "FATAL TRAP", "Assertion '")}
DOMAIN_CRASH = {"punt": ("shut down: crash", "crashed"), "xen": ("crashed", "Domain crash")}
# Seconds on top of the fuzzing time: boot, the canary's last checks, power-off.
CANARY_EXTRA_S = 4
BOOT_SLACK_S = 40


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        seeds += list(range(int(lo), int(hi) + 1)) if hi else [int(lo)]
    return seeds


def fuzz_dtb(base_dtb, image, path, extra):
    run.scenario_dtb(base_dtb, image, 2, path)
    for i in range(2):
        module = f"/chosen/domU{i + 1}/module@{qemu.DOM0_KERNEL_ADDR:x}"
        run.fdtput(path, "-t", "s", module, "bootargs", run.scenario_bootargs(i, 2) + " " + extra)
    return path


def verdict_of(lines):
    found = [m.group(1) for m in map(run.VERDICT.search, lines) if m]
    return found[-1] if found else None


def judge(hyp, text):
    """(ok, reasons) of one run's console text."""
    reasons = []
    for mark in CRASH_MARKS[hyp]:
        if mark in text:
            reasons.append(f"hypervisor crash report: {mark!r}")
    lines = run.domain_lines(hyp, text)
    fz, cn = lines.get(FUZZER, []), lines.get(CANARY, [])
    if not any(l.startswith("FUZZ done") for l in fz):
        reasons.append("the fuzzer did not finish (no 'FUZZ done')")
    if verdict_of(fz) != "SUCCESS":
        reasons.append(f"fuzzer verdict {verdict_of(fz)}")
    if not any(l.startswith("CANARY done ok") for l in cn):
        reasons.append("the canary did not report 'CANARY done ok'")
    if verdict_of(cn) != "SUCCESS":
        reasons.append(f"canary verdict {verdict_of(cn)}")
    for line in text.splitlines():
        if any(m in line for m in DOMAIN_CRASH[hyp]):
            reasons.append(f"domain crashed: {line.strip()}")
    return not reasons, reasons


def one_seed(args, hyp_image, base_dtb, seed, logs):
    ms = args.time * 1000
    extra = (f"seed={seed} iterations={args.iterations} fuzz_ms={ms} "
             f"canary_ms={ms + CANARY_EXTRA_S * 1000} progress={args.progress}")
    if args.trace is not None:
        extra += f" trace={args.trace}"
    if args.hyp == "xen":
        extra += " odd_hvc=0"  # Xen 4.17 crashes a domain on HVC #imm other than 0/0xEA1
    log = logs / f"fuzz-{args.hyp}-{seed}.log"
    dtb = fuzz_dtb(base_dtb, args.image, log.with_suffix(".dtb"), extra)
    argv = qemu.command(hyp_image, smp=run.SCENARIO_SMP, dtb=dtb, dom0_kernel=args.image,
                        dom0_initrd=run.empty_initrd(args.image.parent))

    def finished(text):
        if any(m in text for m in CRASH_MARKS[args.hyp]) or run.BOOT_FAILED.search(text):
            return 2
        got = run.domain_verdicts(args.hyp, text, 2)
        return 1 if all(got.values()) else None

    start = time.monotonic()
    text, note, _ = run.run_qemu(argv, args.time + CANARY_EXTRA_S + BOOT_SLACK_S, finished)
    log.write_text(" ".join(argv) + "\n\n" + text)
    ok, reasons = judge(args.hyp, text)
    if note:
        reasons.append(note)
    return ok and not note, reasons, text, log, time.monotonic() - start


def report_failure(args, seed, reasons, text, log):
    print(f"\nFAIL seed {seed} on {args.hyp}: " + "; ".join(reasons))
    lines = run.domain_lines(args.hyp, text)
    progress = [l for l in lines.get(FUZZER, []) if l.startswith("FUZZ ")]
    print("  fuzzer:  " + ("\n           ".join(progress[-12:]) or "(nothing)"))
    print("  canary:  " + ("\n           ".join(lines.get(CANARY, [])[-6:]) or "(nothing)"))
    hyp_lines = [l for l in text.splitlines() if not run.DOMU_LINE[args.hyp].match(l)]
    print("  hypervisor (last lines):\n    " + "\n    ".join(hyp_lines[-25:]))
    last = [l for l in progress if l.startswith("FUZZ progress")]
    near = last[-1].split("iter=")[1].split()[0] if last else "0"
    print(f"  log: {log}")
    print(f"  replay: {sys.executable} {__file__}"
          f" --hyp {args.hyp} --seeds {seed} --iterations {args.iterations} --time {args.time}"
          f" --trace {near}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--image", type=Path, default=IMAGE)
    p.add_argument("--hyp", choices=run.HYPERVISORS, default="punt")
    p.add_argument("--punt", default=str(qemu.HYPERVISORS["punt"]), help="Punt image")
    p.add_argument("--xen", default=str(qemu.HYPERVISORS["xen"]), help="Xen 4.17 image")
    p.add_argument("--seeds", default="1", help="e.g. 1,2,3 or 1-100")
    p.add_argument("--iterations", type=int, default=20000, help="per seed")
    p.add_argument("--time", type=int, default=20, help="seconds of fuzzing per seed (cap)")
    p.add_argument("--budget", type=int, default=0,
                   help="start no new seed after this many seconds (0: run all seeds)")
    p.add_argument("--progress", type=int, default=2000, help="progress line every N")
    p.add_argument("--trace", type=int, help="print every operation from this iteration on")
    args = p.parse_args(argv)

    hyp_image = Path(args.punt if args.hyp == "punt" else args.xen)
    for need, how in ((hyp_image, "make hyp / make fetch"), (args.image, "make -C tests/guests fuzz-image")):
        if not need.is_file():
            print(f"fuzz.py: missing {need} ({how})", file=sys.stderr)
            return 2
    logs = args.image.parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    initrd = run.empty_initrd(args.image.parent)
    base_dtb = logs / "fuzz-base.dtb"
    qemu.dump_dtb(base_dtb, smp=run.SCENARIO_SMP, dom0_kernel=initrd, dom0_initrd=initrd)

    started = time.monotonic()
    seeds = parse_seeds(args.seeds)
    done, failed = 0, []
    for seed in seeds:
        if args.budget and time.monotonic() - started >= args.budget:
            break
        ok, reasons, text, log, secs = one_seed(args, hyp_image, base_dtb, seed, logs)
        done += 1
        fz = run.domain_lines(args.hyp, text).get(FUZZER, [])
        last = next((l for l in reversed(fz) if l.startswith("FUZZ done")), "no 'FUZZ done'")
        print(f"seed {seed}: {'ok' if ok else 'FAIL'} in {secs:.0f}s ({last})", flush=True)
        if not ok:
            failed.append(seed)
            report_failure(args, seed, reasons, text, log)
    print(f"\nfuzz: {done} seeds on {args.hyp} in {time.monotonic() - started:.0f}s, "
          f"{len(failed)} failed{': ' + ','.join(map(str, failed)) if failed else ''}")
    return 1 if failed or not done else 0


if __name__ == "__main__":
    sys.exit(main())
