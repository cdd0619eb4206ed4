#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Xen's toolstack on Punt and on Xen 4.17: `xl create` to the guest's init, and `xl list`.

The same dom0 (Debian's kernel, its unmodified xen-utils-4.17, the image of `make
initramfs-xl` plus the two timing scripts in scripts/xl-bench/) boots under each hypervisor
on the same QEMU line. dom0 creates the example guest (/etc/xen/debian-guest.cfg) CREATES
times, each time timing `xl create` and the wait for the guest's init in its console log,
destroying it after; then, with the guest running, it times LIST runs of `xl list`. The times
are dom0's own clock (/proc/uptime, 10 ms steps): in real time with -smp 2 (as `make run`),
and in instructions under -icount shift=0,sleep=off -smp 1, where they repeat.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import console  # noqa: E402
import qemu  # noqa: E402
from bench import BootFailed, check_no_crash, ratio  # noqa: E402

REPO = qemu.REPO
BENCH_INITRD = REPO / "build" / "dom0-xl-bench-initrd.cpio.gz"
SCRIPTS = ("punt-bench-create", "punt-bench-list")
CFG = "/etc/xen/debian-guest.cfg"
GUEST = "debian-guest"
HYPERVISORS = [("punt", "Punt"), ("xen", "Xen 4.17")]
TIMEOUT = 300
CREATE = re.compile(r"^PUNT-BENCH: create start=(\S+) returned=(\S+) init=(\S+)$")
LIST = re.compile(r"^PUNT-BENCH: list n=(\d+) start=(\S+) end=(\S+)$")


def build_initrd():
    """dom0's Xen userland image with the timing scripts added."""
    extra = [f"{REPO / 'scripts' / 'xl-bench' / s}:/usr/sbin/{s}" for s in SCRIPTS]
    subprocess.run([str(REPO / "scripts" / "mkinitramfs.sh"), "-o", str(BENCH_INITRD),
                    "--xen-utils", *extra], check=True)


def steps(creates, lists):
    out = []
    for _ in range(creates):
        out += [f"!punt-bench-create:{CFG}:{GUEST}", f"destroy:{GUEST}"]
    out += [f"create:{CFG}", f"!punt-bench-list:{lists}", f"destroy:{GUEST}"]
    return out


def boot_once(image, smp, icount, args):
    """One boot; returns ([(xl create s, to init s), ...], seconds per xl list)."""
    todo = steps(args.creates, args.lists)
    argv = qemu.command(image, smp=smp, icount=icount, dom0_initrd=BENCH_INITRD,
                        append_dom0=f"punt.xl={','.join(todo)} punt.test=poweroff")
    what = f"{image} (smp {smp}, icount {icount})"
    creates, per_list = [], None
    with console.Qemu(argv) as run:
        try:
            for step in todo:
                m, _ = run.expect(rf"^PUNT-XL: end {re.escape(step)} rc=(\d+)$|^PUNT-BENCH: ",
                                  TIMEOUT, f"{step} to end")
                line = m.string
                c, lst = CREATE.match(line), LIST.match(line)
                if c:
                    start, returned, init = (float(v) for v in c.groups())
                    creates.append((returned - start, init - start))
                    m, _ = run.expect(rf"^PUNT-XL: end {re.escape(step)} rc=(\d+)$",
                                      TIMEOUT, f"{step} to end")
                elif lst:
                    n, start, end = int(lst.group(1)), float(lst.group(2)), float(lst.group(3))
                    per_list = (end - start) / n
                    m, _ = run.expect(rf"^PUNT-XL: end {re.escape(step)} rc=(\d+)$",
                                      TIMEOUT, f"{step} to end")
                elif line.startswith("PUNT-BENCH: "):
                    raise BootFailed(f"{what}: {line}")
                if m.group(1) != "0":
                    raise BootFailed(f"{what}: {step} ended with rc={m.group(1)}")
            run.expect(r"^PUNT-INIT: poweroff$", TIMEOUT, "dom0 to power off")
        except console.ConsoleError as err:
            raise BootFailed(f"{what}:\n{err}") from err
        check_no_crash(run.text_since(0), what)
    if len(creates) != args.creates or per_list is None:
        raise BootFailed(f"{what}: {len(creates)} create figures, list figure {per_list}")
    return creates, per_list


def ms(value):
    return f"{value * 1000:.0f} ms"


def rows_for(label, figures):
    p, x = figures["punt"], figures["xen"]
    out = []
    for what, pick in (("`xl create` returns", 0), ("`xl create` to the guest's init", 1)):
        mp = statistics.median(c[pick] for c in p[0])
        mx = statistics.median(c[pick] for c in x[0])
        out.append((f"{what}, median of {len(p[0])}, {label}", ms(mp), ms(mx), ratio(mp, mx)))
    out.append((f"`xl list` with one guest, per call, {label}", ms(p[1]), ms(x[1]),
                ratio(p[1], x[1])))
    return out


def parse(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--creates", type=int, default=int(os.environ.get("BENCH_XL_CREATES", "3")),
                    help="guests created per boot (default 3, or $BENCH_XL_CREATES)")
    ap.add_argument("--lists", type=int, default=20, help="xl list runs per boot (default 20)")
    ap.add_argument("--no-icount", action="store_true", help="skip the icount boots")
    ap.add_argument("--punt", default=os.environ.get("PUNT_IMAGE", str(qemu.HYPERVISORS["punt"])))
    args = ap.parse_args(argv)
    if args.creates < 1 or args.lists < 1:
        ap.error("--creates and --lists must be at least 1")
    return args


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    images = {"punt": Path(args.punt), "xen": qemu.HYPERVISORS["xen"]}
    build_initrd()
    variants = [("real time, -smp 2", 2, False)]
    if not args.no_icount:
        variants.append(("dom0 clock under -icount shift=0,sleep=off -smp 1", 1, True))
    rows = [("Measure", "Punt", "Xen 4.17", "Punt/Xen"), ("---", "---", "---", "---")]
    try:
        for label, smp, icount in variants:
            figures = {}
            for name, _ in HYPERVISORS:
                figures[name] = boot_once(images[name], smp, icount, args)
                print(f"bench-xl: {name}, {label}: creates {figures[name][0]}, "
                      f"xl list {figures[name][1]:.3f} s", file=sys.stderr)
            rows += rows_for(label, figures)
    except BootFailed as err:
        print(f"bench-xl: {err}", file=sys.stderr)
        return 1
    print("\n".join("| " + " | ".join(r) + " |" for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
