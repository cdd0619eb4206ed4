#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The one QEMU command line that boots a hypervisor with dom0 on QEMU's virt board.

`make run`, the system tests and the benchmark all build their command here, so Punt and
Debian's Xen 4.17 always meet the same machine: only -kernel differs. Run it directly for an
interactive boot, or import command() from Python.
"""

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEBIAN = REPO / ".cache" / "debian"
HYPERVISORS = {
    "punt": REPO / "build" / "punt.Image",
    "xen": DEBIAN / "xen-4.17",
}
DOM0_KERNEL = DEBIAN / "vmlinuz"
DOM0_INITRD = REPO / "build" / "dom0-initrd.cpio.gz"

# Where the guest-loader devices place dom0's kernel and initramfs in guest RAM
# (RAM starts at 0x40000000 on virt); the hypervisor itself goes at the start of RAM.
DOM0_KERNEL_ADDR = 0x49000000
DOM0_INITRD_ADDR = 0x50000000

MACHINE = "virt,virtualization=on,gic-version=3"
CPU = "cortex-a57"
MEMORY_MB = 2048
HYP_ARGS = "dom0_mem=512M console=dtuart dtuart=/pl011@9000000"
DOM0_ARGS = "console=hvc0 earlycon=xenboot rdinit=/init"
# One guest instruction per virtual nanosecond, never skipping idle time: guest-visible
# time then depends only on the instructions executed. A fixed seed for QEMU's guest
# randomness (the DTB's rng-seed and kaslr-seed) makes those instructions repeat too, and
# the RTC counting virtual time (its alarm is the device interrupt of irq_inject_latency)
# keeps the host's clock out of the guests' view.
ICOUNT = ["-icount", "shift=0,sleep=off", "-seed", "1", "-rtc", "clock=vm"]
GDB_PORT = 1234


def resolve_hypervisor(name_or_path):
    """Map 'punt' / 'xen' to their images; anything else is a path."""
    return HYPERVISORS.get(str(name_or_path), Path(name_or_path))


def _qemu_opt(value):
    """Escape a value for QEMU's comma-separated -device options."""
    return str(value).replace(",", ",,")


def _join_args(base, extra):
    return f"{base} {extra}".strip() if extra else base


def command(hyp="punt", smp=1, icount=False, dtb=None, append_hyp="", append_dom0="",
            gdb=False, dump_dtb=None, dom0_kernel=DOM0_KERNEL, dom0_initrd=DOM0_INITRD):
    """Return the QEMU argv list booting `hyp` with dom0 on `smp` CPUs."""
    machine = MACHINE + (f",dumpdtb={dump_dtb}" if dump_dtb else "")
    dom0_args = _join_args(DOM0_ARGS, append_dom0)
    argv = [
        "qemu-system-aarch64",
        "-machine", machine,
        "-cpu", CPU,
        "-smp", str(smp),
        "-m", str(MEMORY_MB),
        "-nographic",
        "-no-reboot",
        "-kernel", str(resolve_hypervisor(hyp)),
        "-append", _join_args(HYP_ARGS, append_hyp),
        "-device", f"guest-loader,addr={DOM0_KERNEL_ADDR:#x},kernel={_qemu_opt(dom0_kernel)},"
                   f"bootargs={_qemu_opt(dom0_args)}",
        "-device", f"guest-loader,addr={DOM0_INITRD_ADDR:#x},initrd={_qemu_opt(dom0_initrd)}",
    ]
    if dtb:
        argv += ["-dtb", str(dtb)]
    if icount:
        argv += ICOUNT
    if gdb:
        argv += ["-gdb", f"tcp::{GDB_PORT}", "-S"]
    return argv


def dump_dtb(path, hyp="xen", **options):
    """Write the DTB that command(hyp, **options) boots with to `path`, packed.

    QEMU's -dtb FILE replaces the generated tree wholesale: the guest-loader devices still
    place dom0's images in RAM but add no /chosen/module nodes to FILE, and QEMU still sets
    /chosen/bootargs from -append and rewrites /memory. So a DTB for --dtb must come from
    this dump (which has the module nodes) or a copy of it. QEMU dumps a 1 MiB blob and pads
    any -dtb blob to (size + 10000) * 2 bytes; Xen refuses a DTB over 2 MiB, so repack it.
    """
    argv = command(hyp, dump_dtb=path, **options)
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0 or not Path(path).is_file():
        raise RuntimeError(f"QEMU could not dump its DTB (status {done.returncode}): "
                           f"{done.stdout}{done.stderr}".strip())
    subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dtb", "-o", str(path), str(path)],
                   check=True)


def missing_inputs(hyp, dom0_kernel=DOM0_KERNEL, dom0_initrd=DOM0_INITRD):
    """Files the command needs that do not exist, each with how to make it."""
    hints = {
        str(HYPERVISORS["punt"]): "make",
        str(HYPERVISORS["xen"]): "make fetch",
        str(DOM0_KERNEL): "make fetch",
        str(DOM0_INITRD): "make initramfs",
    }
    wanted = [Path(resolve_hypervisor(hyp)), Path(dom0_kernel), Path(dom0_initrd)]
    return [f"{p} (build it with: {hints.get(str(p), 'check the path')})"
            for p in wanted if not p.is_file()]


def _parse(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hyp", default="punt",
                   help="punt, xen (Debian's Xen 4.17) or a path to an arm64 Image")
    p.add_argument("--smp", type=int, default=1, help="number of CPUs (default 1)")
    p.add_argument("--icount", action="store_true",
                   help="deterministic guest time: -icount shift=0,sleep=off")
    p.add_argument("--dtb", help="boot with this DTB instead of QEMU's generated one")
    p.add_argument("--dump-dtb", metavar="FILE",
                   help="write the DTB this command line would boot with (packed), then exit")
    p.add_argument("--append-hyp", default="", help="extra hypervisor command line")
    p.add_argument("--append-dom0", default="", help="extra dom0 kernel command line")
    p.add_argument("--dom0-kernel", default=str(DOM0_KERNEL))
    p.add_argument("--dom0-initrd", default=str(DOM0_INITRD))
    p.add_argument("--gdb", action="store_true",
                   help=f"stop at reset and wait for gdb on tcp port {GDB_PORT}")
    p.add_argument("--print", action="store_true", help="print the command, do not run it")
    return p.parse_args(argv)


def main(argv=None):
    args = _parse(sys.argv[1:] if argv is None else argv)
    argv = command(args.hyp, args.smp, args.icount, args.dtb, args.append_hyp,
                   args.append_dom0, args.gdb, args.dump_dtb, args.dom0_kernel,
                   args.dom0_initrd)
    if args.print:
        print(shlex.join(argv))
        return 0
    if args.dump_dtb:
        dump_dtb(args.dump_dtb, args.hyp, smp=args.smp, icount=args.icount, dtb=args.dtb,
                 append_hyp=args.append_hyp, append_dom0=args.append_dom0,
                 dom0_kernel=args.dom0_kernel, dom0_initrd=args.dom0_initrd)
        return 0
    missing = missing_inputs(args.hyp, args.dom0_kernel, args.dom0_initrd)
    if missing:
        for m in missing:
            print(f"qemu.py: missing {m}", file=sys.stderr)
        return 1
    if args.gdb:
        print(f"qemu.py: waiting for gdb: gdb-multiarch -ex 'target remote :{GDB_PORT}'",
              file=sys.stderr)
    print("qemu.py: Ctrl-a x quits QEMU; Ctrl-a Ctrl-a sends one Ctrl-a to "
          "the guest", file=sys.stderr)
    os.execvp(argv[0], argv)
    return 1


if __name__ == "__main__":
    sys.exit(main())
