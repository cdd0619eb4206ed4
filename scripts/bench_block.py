#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""PV block throughput, Punt against Debian's Xen 4.17: dd in a guest through dom0's blkback.

dom0 boots the Xen userland image (build/dom0-xl-initrd.cpio.gz) and runs `xl create
/etc/xen/debian-guest-diskbench.cfg`: a guest whose disk xvda is dom0's RAM disk /dev/ram0
(`phy:`). Its init (scripts/mkinitramfs.sh, 41-diskbench) writes 32 MiB to xvda and reads them
back with dd, O_DIRECT, between two kernel log lines whose printk stamps (microseconds of the
guest's clock) time it; then it powers off. Reported as a
Markdown table: MiB/s by the guest's clock, on the usual QEMU line (wall clock, -smp 2) and
under -icount shift=0,sleep=off -smp 1 (guest-visible time: instructions, one per ns).
"""

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import console  # noqa: E402
import qemu  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
XL_INITRD = REPO / "build" / "dom0-xl-initrd.cpio.gz"
GUEST = "debian-guest-diskbench"
MIB = 32
TIMEOUT = 400
HYPERVISORS = [("punt", "Punt"), ("xen", "Xen 4.17")]


class BenchFailed(Exception):
    pass


def run_once(image, smp, icount):
    """One boot: {op: seconds of guest time} for dd's write and read of MIB MiB."""
    steps = [f"create:/etc/xen/{GUEST}.cfg", f"!punt-wait-gone:{GUEST}:{TIMEOUT}",
             f"!cat:/var/log/xen/console/guest-{GUEST}.log"]
    argv = qemu.command(image, smp=smp, icount=icount, dom0_initrd=XL_INITRD,
                        append_dom0=f"punt.xl={','.join(steps)} punt.test=poweroff")
    figures = {}
    with console.Qemu(argv) as run:
        try:
            for step in steps:
                m, _ = run.expect(rf"^PUNT-XL: end {re.escape(step)} rc=(\d+)$", TIMEOUT)
                if m.group(1) != "0":
                    run.fail(f"{step} to succeed", f"exit status {m.group(1)}")
            text = run.text_since(0)
        except console.ConsoleError as err:
            raise BenchFailed(f"{image} (smp {smp}, icount {icount}):\n{err}") from err
    # The guest's printk stamps (microseconds) of its markers, written to /dev/kmsg.
    stamps = {}
    for m in re.finditer(r"\[\s*(\d+\.\d+)\] PUNT-DISK: bench (\w+) (start|end)(?: rc=(\d+))?",
                         text):
        if m.group(4) not in (None, "0"):
            raise BenchFailed(f"{image}: the guest's dd {m.group(2)} failed (rc {m.group(4)})")
        stamps[(m.group(2), m.group(3))] = float(m.group(1))
    for op in ("write", "read"):
        if (op, "start") in stamps and (op, "end") in stamps:
            figures[op] = stamps[(op, "end")] - stamps[(op, "start")]
    if set(figures) != {"write", "read"} or min(figures.values()) <= 0:
        raise BenchFailed(f"{image}: no usable dd figures in the guest's log: {figures}")
    return figures


def cell(seconds):
    return f"{MIB / seconds:.1f} MiB/s ({seconds:.4f} s)"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--punt", default=str(qemu.HYPERVISORS["punt"]))
    ap.add_argument("--no-icount", action="store_true", help="skip the icount runs")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    images = {"punt": Path(args.punt), "xen": qemu.HYPERVISORS["xen"]}
    if not XL_INITRD.is_file():
        print(f"bench_block: missing {XL_INITRD} (make initramfs-xl)", file=sys.stderr)
        return 2
    modes = [("-smp 2, guest clock", 2, False)]
    if not args.no_icount:
        modes.append(("-icount shift=0,sleep=off -smp 1, guest clock", 1, True))
    rows = ["| PV block, dd of 32 MiB in the guest, O_DIRECT | Punt | Xen 4.17 | Punt/Xen |",
            "| --- | --- | --- | --- |"]
    try:
        for label, smp, icount in modes:
            got = {}
            for name, _ in HYPERVISORS:
                got[name] = run_once(images[name], smp, icount)
                print(f"bench_block: {name} {label}: {got[name]}", file=sys.stderr)
            for op in ("write", "read"):
                p, x = got["punt"][op], got["xen"][op]
                # Throughput: Punt's over Xen's, above 1 when Punt is faster.
                rows.append(f"| {op}, {label} | {cell(p)} | {cell(x)} | {x / p:.2f} |")
    except BenchFailed as err:
        print(f"bench_block: {err}", file=sys.stderr)
        return 1
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
