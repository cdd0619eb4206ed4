#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Instructions per step of one benchmark operation, from QEMU's execution trace.

Builds the micro-benchmark tests/guests/bench/NAME.c with few operations (BENCH_OPS=200, into
build/trace/), boots it as `make bench` does (scripts/qemu.py, -icount, one CPU; dom0less
domains for a "// domains: N" benchmark) under QEMU's `-d exec,nochain,in_asm` log, and
splits the log at each entry of the guest function MARKER (default: the benchmark's own
operation, e.g. round_trip). For the operations in the middle of the run it prints the
instructions per operation (guest and hypervisor, as the benchmark counts them), the total
per function, and with --steps the sequence of functions of one operation with the
instructions spent in each before the next. Hypervisor functions are named from
build/hyp/punt.elf, guest ones from the benchmark's ELF.

Counts are per translation block as QEMU logs them (nochain: every block executed is
logged), so an exception taken in the middle of a block counts the whole block; the total
matches the benchmark's figure within a few instructions.

    scripts/trace_bench.py evtchn_ping_pong --marker round_trip --steps
"""

import argparse
import bisect
import collections
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "tests" / "guests"))
import bench  # noqa: E402  (tests/guests/bench.py: the same boot as make bench)
import qemu  # noqa: E402

OUT = REPO / "build" / "trace"
HYP_ELF = REPO / "build" / "hyp" / "punt.elf"
# Where QEMU places the hypervisor's Image (RAM base + 2 MiB) and a guest's kernel in its RAM.
HYP_BASE = 0x40200000
GUEST_BASE = 0x40000000
# The TB flags QEMU 7.2 logs for code running at EL2 (the hypervisor) on this machine.
EL2_FLAGS = "00000061"
TRACE = re.compile(r"^Trace \d+: (0x[0-9a-f]+) \[[0-9a-f]+/([0-9a-f]+)/([0-9a-f]+)/")
INSN = re.compile(r"^(0x[0-9a-f]+):\s")


def build(name, ops):
    subprocess.run(["make", "-s", "-C", str(REPO / "tests" / "guests"), f"O={OUT}",
                    f"EXTRA_CFLAGS=-DBENCH_OPS={ops}u", str(OUT / "bench" / f"{name}.Image")],
                   check=True)
    return OUT / "bench" / f"{name}.Image"


def run(image, hyp, log, timeout):
    initrd = bench.empty_initrd(image.parent)
    n = bench.domains_for(image)
    if n:
        bench.scenario_base_dtb(initrd, image.parent)
        argv = bench.scenario_argv(hyp, image, n, initrd, image.parent / f"{image.stem}.x")
    else:
        argv = qemu.command(hyp, smp=1, icount=True, dom0_kernel=image, dom0_initrd=initrd)
    argv += ["-d", "exec,nochain,in_asm", "-D", str(log)]
    with open(log.with_suffix(".console"), "w") as out:
        try:
            subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=out, timeout=timeout,
                           check=False)
        except subprocess.TimeoutExpired:
            print(f"trace_bench: QEMU stopped after {timeout} s", file=sys.stderr)


def symbols(elf):
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", str(elf)], capture_output=True,
                         text=True, check=True).stdout
    syms = [(int(a, 16), n) for a, t, n in (line.split() for line in out.splitlines()
                                            if len(line.split()) == 3) if t in "tTwW"]
    return [a for a, _ in syms], [n for _, n in syms]


def blocks(log):
    """(pc, at EL2, instructions) for every block executed, in order."""
    size, pending, cur, seq = {}, None, None, []
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("IN:"):
                cur = [None, 0]
                continue
            if cur is not None:
                m = INSN.match(line)
                if m:
                    cur[0] = cur[0] if cur[0] is not None else int(m.group(1), 16)
                    cur[1] += 1
                    continue
                pending, cur = (tuple(cur) if cur[0] is not None else pending), None
            m = TRACE.match(line)
            if not m:
                continue
            ptr, pc = m.group(1), int(m.group(2), 16)
            if pending and pending[0] == pc:
                size[ptr], pending = pending[1], None
            seq.append((pc, m.group(3) == EL2_FLAGS, size.get(ptr, 1)))
    return seq


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("name", help="benchmark (tests/guests/bench/NAME.c)")
    p.add_argument("--marker", help="guest function entered once per operation")
    p.add_argument("--hyp", default=str(qemu.HYPERVISORS["punt"]))
    p.add_argument("--ops", type=int, default=200)
    p.add_argument("--sample", type=int, default=20, help="operations to average")
    p.add_argument("--steps", action="store_true", help="print one operation step by step")
    p.add_argument("--timeout", type=int, default=300)
    args = p.parse_args()

    image = build(args.name, args.ops)
    log = OUT / f"{args.name}.trace"
    run(image, args.hyp, log, args.timeout)
    hk, hn = symbols(HYP_ELF)
    gk, gn = symbols(image.with_suffix(".elf"))

    def name(pc, el2):
        keys, names, base, tag = (hk, hn, HYP_BASE, "hyp") if el2 else (gk, gn, GUEST_BASE, "guest")
        i = bisect.bisect_right(keys, pc - base) - 1
        return f"{tag} {names[i] if i >= 0 else '?'}"

    marker = args.marker or args.name
    if marker not in gn:
        sys.exit(f"trace_bench: no guest function {marker} in {image.with_suffix('.elf')}")
    at = GUEST_BASE + gk[gn.index(marker)]
    seq = blocks(log)
    starts = [i for i, (pc, el2, _) in enumerate(seq) if not el2 and pc == at]
    if len(starts) < 3:
        sys.exit(f"trace_bench: {marker} entered {len(starts)} times in {log}")
    ops = list(zip(starts, starts[1:]))
    ops = ops[len(ops) // 2:len(ops) // 2 + args.sample]
    per_fn, totals = collections.Counter(), []
    for a, b in ops:
        totals.append(sum(n for _, _, n in seq[a:b]))
        for pc, el2, n in seq[a:b]:
            per_fn[name(pc, el2)] += n
    k = len(ops)
    hyp = sum(v for f, v in per_fn.items() if f.startswith("hyp")) / k
    print(f"{args.name}: {sum(totals) / k:.1f} instructions per operation "
          f"({hyp:.1f} in the hypervisor), {k} operations: {totals}")
    for f, v in per_fn.most_common():
        print(f"{v / k:8.1f}  {f}")
    if args.steps:
        a, b = ops[0]
        last, count = None, 0
        print("\none operation, step by step:")
        for pc, el2, n in seq[a:b] + [(None, None, 0)]:
            f = name(pc, el2) if pc is not None else None
            if f != last and last:
                print(f"{count:6d}  {last}")
                count = 0
            last, count = f, count + n
    return 0


if __name__ == "__main__":
    sys.exit(main())
