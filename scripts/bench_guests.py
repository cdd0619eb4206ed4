#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Two Linux guests without dom0: Punt against Debian's Xen 4.17 on the same device tree.

Both hypervisors boot one DTB (QEMU's own, dom0's modules replaced by two xen,domain nodes
that run the Debian kernel and the test initramfs, each with 2 vCPUs and an emulated UART).
Measured, alternating between the two:
- wall time from QEMU's start until both guests have reached init (median of N);
- under -icount shift=0,sleep=off -smp 1, each guest's own clock when it runs init (the
  kernel's printk stamp for "Run /init"), which counts instructions and repeats exactly.
Prints a Markdown table.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import console  # noqa: E402
from bench import BootFailed, check_no_crash, ratio  # noqa: E402  (shared failure handling)
import dom0less  # noqa: E402
import qemu  # noqa: E402

BOOT_TIMEOUT = 600
GUEST_ARGS = "console=ttyAMA0 rdinit=/init punt.test=poweroff"
HYPERVISORS = [("punt", "Punt"), ("xen", "Xen 4.17")]
# A guest's console line as each hypervisor prints it: Punt "(d1) text", Xen "(XEN) DOM1: text".
GUEST = r"^(?:\(d|\(XEN\) DOM)(?P<dom>[12])(?:\) |: )"
RUN_INIT = re.compile(GUEST + r"\[\s*(?P<clock>\d+\.\d+)\] Run /init as init process")
REACHED = re.compile(GUEST + r"PUNT-INIT: reached")


def make_dtb(directory, smp):
    """One tree for both hypervisors: QEMU's, without dom0, with two guests."""
    base = Path(directory) / f"virt-smp{smp}.dtb"
    qemu.dump_dtb(base, smp=smp)
    dtb = dom0less.without_dom0(base, Path(directory) / f"two-guests-smp{smp}.dtb")
    for name in ("guest1", "guest2"):
        dom0less.add_domain(dtb, name, GUEST_ARGS, vcpus=2, memory_kib=262144)
    return dtb


def boot_once(image, dtb, smp, icount):
    """Boot until both guests reached init; return (wall seconds, {guest: its clock})."""
    argv = qemu.command(image, smp=smp, icount=icount, dtb=dtb)
    pattern = f"{GUEST}(?:\\[.*\\] Run /init as init process|PUNT-INIT: reached)"
    clocks, reached = {}, set()
    with console.Qemu(argv) as run:
        try:
            wall = 0.0
            while len(reached) < 2:
                match, wall = run.expect(pattern, BOOT_TIMEOUT, "both guests to reach init")
                line = match.group(0)
                init = RUN_INIT.match(line)
                if init:
                    clocks[init.group("dom")] = float(init.group("clock"))
                else:
                    reached.add(REACHED.match(line).group("dom"))
        except console.ConsoleError as err:
            raise BootFailed(f"{image} (smp {smp}, icount {icount}):\n{err}") from err
        check_no_crash(run.text_since(0), f"{image} (smp {smp}, icount {icount})")
    missing = sorted({"1", "2"} - set(clocks))
    if missing:
        raise BootFailed(f"{image} (smp {smp}, icount {icount}): no 'Run /init' clock from "
                         f"guest {', '.join(missing)}")
    return wall, clocks


def measure(images, dtbs, args):
    wall = {name: [] for name, _ in HYPERVISORS}
    for i in range(args.runs):
        for name, _ in HYPERVISORS:
            w, _ = boot_once(images[name], dtbs[args.smp], args.smp, False)
            wall[name].append(w)
            print(f"bench-guests: run {i + 1}/{args.runs} {name}: {w:.3f} s to both inits",
                  file=sys.stderr)
    clocks = {name: [] for name, _ in HYPERVISORS}
    for i in range(args.icount_runs):
        for name, _ in HYPERVISORS:
            _, c = boot_once(images[name], dtbs[1], 1, True)
            clocks[name].append(c)
            print(f"bench-guests: icount run {i + 1}/{args.icount_runs} {name}: {c}",
                  file=sys.stderr)
    return wall, clocks


def table(wall, clocks, args):
    p, x = "punt", "xen"
    rows = [("Measure", "Punt", "Xen 4.17", "Punt/Xen"), ("---", "---", "---", "---")]
    med = {n: statistics.median(wall[n]) for n in wall}
    rows.append((f"Wall time until both guests run init, median of {args.runs}, -smp {args.smp}",
                 f"{med[p]:.3f} s ({min(wall[p]):.3f}–{max(wall[p]):.3f})",
                 f"{med[x]:.3f} s ({min(wall[x]):.3f}–{max(wall[x]):.3f})",
                 ratio(med[p], med[x])))
    if args.icount_runs:
        for guest in ("1", "2"):
            values = {n: [c.get(guest) for c in clocks[n]] for n in clocks}
            exact = all(len(set(v)) == 1 for v in values.values())
            if args.icount_runs < 2:
                note = "one run each"
            else:
                note = "repeats exactly" if exact else "did NOT repeat exactly"
            pv, xv = values[p][0], values[x][0]
            rows.append((f"guest {guest}'s clock at init, icount -smp 1 ({note})",
                         f"{pv:.6f} s", f"{xv:.6f} s", ratio(pv, xv)))
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def parse(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")))
    ap.add_argument("--smp", type=int, default=2, help="CPUs for the wall-clock boots")
    ap.add_argument("--icount-runs", type=int, default=2)
    ap.add_argument("--punt", default=os.environ.get("PUNT_IMAGE", str(qemu.HYPERVISORS["punt"])))
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    return args


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    images = {"punt": Path(args.punt), "xen": qemu.HYPERVISORS["xen"]}
    missing = qemu.missing_inputs(images["punt"]) + qemu.missing_inputs("xen")
    if missing:
        for m in sorted(set(missing)):
            print(f"bench-guests: missing {m}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="punt-bench-guests-") as tmp:
        dtbs = {smp: make_dtb(tmp, smp) for smp in {1, args.smp}}
        try:
            wall, clocks = measure(images, dtbs, args)
            text = table(wall, clocks, args)
        except BootFailed as err:
            print(f"bench-guests: a boot failed: {err}", file=sys.stderr)
            return 1
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
