#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Compare Punt with Debian's Xen 4.17 on the same QEMU command line.

Boots dom0 to init under each hypervisor, alternating, and reports as a Markdown table:
wall time to dom0's init (median, min, max), the guest-visible time to init under
-icount shift=0,sleep=off -smp 1 (dom0's own clock, which repeats exactly), and image sizes.
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent / "tests" / "guests"))

import console  # noqa: E402
import qemu  # noqa: E402
from run import CRASH_REPORT  # noqa: E402  (both hypervisors' crash reports, tests/guests/run.py)

BOOT_TIMEOUT = 120
HYPERVISORS = [("punt", "Punt"), ("xen", "Xen 4.17")]
# dom0's printk stamp for this line has microseconds; its /proc/uptime only 10 ms.
RUN_INIT = r"^\[\s*(\d+\.\d+)\] Run /init as init process"


class BootFailed(Exception):
    pass


def boot_once(image, smp, icount):
    """Boot to dom0's init; return (wall seconds to the marker, dom0 seconds at init)."""
    argv = qemu.command(image, smp=smp, icount=icount, append_dom0="punt.test=poweroff")
    reached = r"^PUNT-INIT: reached$"
    with console.Qemu(argv) as run:
        try:
            first, wall = run.expect(f"{RUN_INIT}|{reached}", BOOT_TIMEOUT)
            printk_stamp = first.group(1)
            if printk_stamp is not None:
                _, wall = run.expect(reached, BOOT_TIMEOUT)
            uptime, _ = run.expect(r"^PUNT-INIT: uptime=(\S+)$", 30)
        except console.ConsoleError as err:
            raise BootFailed(f"{image} (smp {smp}, icount {icount}):\n{err}") from err
        check_no_crash(run.text_since(0), f"{image} (smp {smp}, icount {icount})")
    return wall, float(printk_stamp if printk_stamp is not None else uptime.group(1))


def check_no_crash(text, what):
    """A figure from a boot whose hypervisor printed a crash report is no figure."""
    m = CRASH_REPORT.search(text)
    if m:
        line = text[text.rfind("\n", 0, m.start()) + 1:text.find("\n", m.end())]
        raise BootFailed(f"{what}: hypervisor crash report: {line.strip()}")


def ratio(punt, xen):
    if not xen:
        raise BootFailed(f"a Xen 4.17 figure of 0 (Punt's {punt}): the measurement is broken")
    return f"{punt / xen:.2f}"


def seconds(value):
    return f"{value:.3f} s"


def wall_cell(samples):
    return (f"{seconds(statistics.median(samples))} "
            f"({min(samples):.3f}–{max(samples):.3f})")


def measure(images, args):
    wall = {name: [] for name, _ in HYPERVISORS}
    for i in range(args.runs):
        for name, _ in HYPERVISORS:
            w, _g = boot_once(images[name], args.smp, False)
            wall[name].append(w)
            print(f"bench: run {i + 1}/{args.runs} {name}: {w:.3f} s to init",
                  file=sys.stderr)
    guest = {name: [] for name, _ in HYPERVISORS}
    for i in range(args.icount_runs):
        for name, _ in HYPERVISORS:
            _w, g = boot_once(images[name], 1, True)
            guest[name].append(g)
            print(f"bench: icount run {i + 1}/{args.icount_runs} {name}: "
                  f"dom0 clock {g:.6f} s at init", file=sys.stderr)
    return wall, guest


def table(images, wall, guest, args):
    p, x = "punt", "xen"
    rows = [
        ("Measure", "Punt", "Xen 4.17", "Punt/Xen"),
        ("---", "---", "---", "---"),
        (f"Wall time to dom0 init, median (min–max), {args.runs} runs, -smp {args.smp}",
         wall_cell(wall[p]), wall_cell(wall[x]),
         ratio(statistics.median(wall[p]), statistics.median(wall[x]))),
    ]
    if args.icount_runs:
        exact = all(len(set(guest[n])) == 1 for n in guest)
        note = "repeats exactly" if exact else "DID NOT repeat exactly"
        rows.append((f"dom0 clock at init, -icount shift=0,sleep=off -smp 1 ({note})",
                     seconds(guest[p][0]), seconds(guest[x][0]),
                     ratio(guest[p][0], guest[x][0])))
    size = {n: os.path.getsize(images[n]) for n in images}
    rows.append(("Hypervisor image size", f"{size[p]:,} B", f"{size[x]:,} B",
                 ratio(size[p], size[x])))
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def parse(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")),
                    help="wall-clock boots per hypervisor (default 5, or $BENCH_RUNS)")
    ap.add_argument("--smp", type=int, default=1, help="CPUs for the wall-clock boots")
    ap.add_argument("--icount-runs", type=int, default=2,
                    help="icount boots per hypervisor (default 2: shows they repeat)")
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
            print(f"bench: missing {m}", file=sys.stderr)
        return 2
    try:
        wall, guest = measure(images, args)
        text = table(images, wall, guest, args)
    except BootFailed as err:
        print(f"bench: a boot failed: {err}", file=sys.stderr)
        return 1
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
