#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""xenstore operations per second in dom0 on Punt: Punt's xenstored against Debian's C xenstored.

Boots Punt with dom0's Xen userland image (build/dom0-xl-initrd.cpio.gz) once per daemon
(punt.xenstored=punt, then =c on dom0's command line). In dom0 the same client,
tools/xenstored/bench/xsbench.c built for aarch64, fills /bench and then runs each workload
(read, write, directory of 50 children, transaction = START + READ + WRITE + commit) with 1
and 8 client connections on libxenstore's socket, /var/run/xenstored/socket, for SECONDS each;
one request is in flight per client. Prints a Markdown table. Figures are under QEMU's TCG on
the host's clock, so they compare the two daemons on the same emulated machine, not real
hardware, and they move with the host's load: compare runs made back to back.
(Under -icount shift=0,sleep=off, as scripts/bench_guests.py uses, xsbench's timed loop did
not finish within minutes, so this benchmark keeps the host's clock.)
"""

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import console  # noqa: E402
from bench import BootFailed, check_no_crash  # noqa: E402
import qemu  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
XL_INITRD = REPO / "build" / "dom0-xl-initrd.cpio.gz"
WORKLOADS = ("read", "write", "directory", "transaction")
CLIENTS = (1, 8)
DAEMONS = (("punt", "Punt's xenstored"), ("c", "Debian's C xenstored"))
LINE = re.compile(r"^(\w+)\s+(\d+) clients\s+(\d+) ops/s\s+p50\s+([\d.]+) us\s+p99\s+([\d.]+) us"
                  r"\s+errors (\d+)")


def run_daemon(daemon, seconds):
    """One boot: {(workload, clients): (ops/s, p50 us, p99 us)} for `daemon`."""
    steps = ["!punt-xsbench:prepare"]
    steps += [f"!punt-xsbench:run:{w}:{c}:{seconds}" for w in WORKLOADS for c in CLIENTS]
    argv = qemu.command("punt", smp=2, dom0_initrd=XL_INITRD,
                        append_dom0=f"punt.xenstored={daemon} punt.xl={','.join(steps)} "
                        "punt.test=poweroff")
    log = REPO / "build" / "bench-logs" / f"xenstored-{daemon}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    figures = {}
    with console.Qemu(argv, log_path=log) as run:
        m, _ = run.expect(r"^PUNT-XL: xenstored is (\w+)$", 300, "dom0 to start xenstored")
        if m.group(1) != daemon:
            raise BootFailed(f"dom0 started xenstored {m.group(1)!r}, not {daemon!r}")
        for w in WORKLOADS:
            for c in CLIENTS:
                m, _ = run.expect(rf"^{w}\s+{c} clients .*$", 120 + 4 * seconds,
                                  f"xsbench {w} with {c} clients")
                got = LINE.match(m.group(0))
                if not got or int(got.group(6)):
                    raise BootFailed(f"{daemon}: xsbench {w}/{c}: {m.group(0)!r}")
                figures[(w, c)] = (int(got.group(3)), float(got.group(4)),
                                   float(got.group(5)))
        run.expect(r"^PUNT-INIT: poweroff$", 120, "dom0 to power off")
        check_no_crash(run.text_since(0), f"xenstored bench ({daemon})")
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=3, help="seconds per point")
    args = parser.parse_args()
    if not XL_INITRD.is_file():
        sys.exit(f"bench_xenstored: no {XL_INITRD}: run make initramfs-xl")
    results = {d: run_daemon(d, args.seconds) for d, _ in DAEMONS}
    print(f"## xenstore in dom0 on Punt (QEMU TCG, 2 vCPUs, {args.seconds} s per point, "
          "xsbench on the socket)\n")
    print("| workload | clients | Punt's xenstored ops/s (p50, p99) "
          "| Debian's C xenstored ops/s (p50, p99) | ratio |")
    print("|---|---|---|---|---|")
    for w in WORKLOADS:
        for c in CLIENTS:
            p, x = results["punt"][(w, c)], results["c"][(w, c)]
            ratio = f"{p[0] / x[0]:.2f}" if x[0] else "-"
            print(f"| {w} | {c} | {p[0]:,} ({p[1]:.0f} us, {p[2]:.0f} us) "
                  f"| {x[0]:,} ({x[1]:.0f} us, {x[2]:.0f} us) | {ratio} |")


if __name__ == "__main__":
    try:
        main()
    except BootFailed as e:
        sys.exit(f"bench_xenstored: {e}")
