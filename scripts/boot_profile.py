#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Where dom0's boot time goes: the Debian kernel's initcalls native, on Punt and on Xen 4.17.

Boots the kernel and initramfs of `make run` three ways under -icount shift=0,sleep=off
-smp 1 (every boot repeats exactly; the kernel's clock counts instructions): natively at EL1
on QEMU's virt board with 512 MiB (the dom0_mem the hypervisors give dom0; console on the
PL011), and as dom0 of Punt and of Xen 4.17 (scripts/qemu.py's command line). The kernel
gets `initcall_debug log_buf_len=4M` and a console quiet below warnings (`loglevel=4`), so
that the time the console takes (PL011 natively, hvc through console_io on a hypervisor)
stays out of every figure; the initramfs prints the kernel log (punt.test=dmesg). From it:
the printk stamp of "Run /init as init process" and every initcall's duration, and the table
of the initcalls whose duration differs most from the native boot's.

    scripts/boot_profile.py                    # all three, top 25 differences
    scripts/boot_profile.py --only native --only punt --top 40
"""

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import console  # noqa: E402
import qemu  # noqa: E402

KERNEL_ARGS = "initcall_debug log_buf_len=4M loglevel=4 punt.test=dmesg"
# --console: the boot as `make bench` measures it, every message on the console (no figures
# per initcall then: printing them would be most of the boot).
CONSOLE_ARGS = "log_buf_len=4M punt.test=dmesg"
NATIVE_MB = 512
BOOT_TIMEOUT = 900
RUN_INIT = re.compile(r"^\[\s*(\d+\.\d+)\] Run /init as init process", re.MULTILINE)
RETURNED = re.compile(r"^\[\s*(\d+\.\d+)\] initcall (\S+?)\+0x[0-9a-f]+/0x[0-9a-f]+(?: \[\S+\])? "
                      r"returned (-?\d+) after (\d+) usecs", re.MULTILINE)
WAYS = ("native", "punt", "xen")


def native_command(args):
    return ["qemu-system-aarch64", "-machine", "virt,gic-version=3", "-cpu", qemu.CPU,
            "-smp", "1", "-m", str(NATIVE_MB), "-nographic", "-no-reboot",
            "-kernel", str(qemu.DOM0_KERNEL), "-initrd", str(qemu.DOM0_INITRD),
            "-append", f"console=ttyAMA0 rdinit=/init {args}"] + qemu.ICOUNT


def boot(way, args):
    argv = native_command(args) if way == "native" else qemu.command(
        way, smp=1, icount=True, append_dom0=args)
    with console.Qemu(argv) as vm:
        vm.expect(r"^PUNT-INIT: dmesg begin", BOOT_TIMEOUT, f"{way}: init")
        vm.expect(r"^PUNT-INIT: dmesg end", BOOT_TIMEOUT, f"{way}: the kernel log")
        text = vm.text_since(0)
    log = text[text.index("PUNT-INIT: dmesg begin"):]
    init = RUN_INIT.search(log)
    calls = {}
    for m in RETURNED.finditer(log):
        calls[m.group(2)] = calls.get(m.group(2), 0) + int(m.group(4))
    return float(init.group(1)) if init else None, calls


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", action="append", choices=WAYS)
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--console", action="store_true",
                   help="the ordinary boot, every message on the console: /init only")
    args = p.parse_args()
    ways = args.only or list(WAYS)
    results = {}
    for way in ways:
        results[way] = boot(way, CONSOLE_ARGS if args.console else KERNEL_ARGS)
        init, calls = results[way]
        print(f"{way}: Run /init at {init} s; {len(calls)} initcalls, "
              f"{sum(calls.values()) / 1e6:.6f} s in them", file=sys.stderr)
    names = set().union(*(c for _, c in results.values()))
    base = ways[0]
    rows = sorted(names, key=lambda n: -max(abs(results[w][1].get(n, 0) -
                                                results[base][1].get(n, 0)) for w in ways))
    print("| initcall (us) | " + " | ".join(ways) + " |")
    print("|---|" + "---|" * len(ways))
    print("| **Run /init (s)** | " + " | ".join(f"{results[w][0]}" for w in ways) + " |")
    print("| **all initcalls (us)** | " +
          " | ".join(f"{sum(results[w][1].values()):,}" for w in ways) + " |")
    for n in rows[:args.top]:
        print(f"| {n} | " + " | ".join(f"{results[w][1].get(n, '-'):,}"
                                        if n in results[w][1] else "-" for w in ways) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
