#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The exit table: dom0's exits to the hypervisor by kind, on Punt and on Xen 4.17.

Boots the Debian dom0 (scripts/qemu.py's command line, -smp 1, -icount shift=0,sleep=off, so
every boot repeats exactly) to init and its power-off (punt.test=poweroff) with QEMU's
`-d int` log, and tallies the exceptions taken from EL1 or EL0 to EL2: physical interrupts,
and synchronous exits by exception class (ESR_EL2.EC, Arm ARM D17.2.37), with HVC split by
its immediate (0xEA1 is Xen's hypercall, 0 an SMCCC call such as PSCI), trapped system
registers named from the ISS (Arm ARM D17.2.37, EC 0x18: Op0, Op1, CRn, CRm, Op2), and
data aborts (MMIO the hypervisor emulates) by register offset in the 64 KiB frame of the
faulting address. QEMU's log gives the guest's virtual address of an abort, not the IPA;
Linux maps each GIC frame at a virtual address aligned to its size, so the offset is the
register's offset in its frame, and a frame holding GICD_IROUTER<n> (0x6100 on) accesses is
the distributor's. Output: a Markdown table.

    scripts/exit_table.py                 # both hypervisors
    scripts/exit_table.py --only punt --top 12
    scripts/exit_table.py --log LOG       # tally an existing -d int log instead
"""

import argparse
import collections
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu  # noqa: E402

HYPERVISORS = (("punt", "Punt"), ("xen", "Xen 4.17"))
BOOT_TIMEOUT = 600
TAKING = re.compile(r"^Taking exception (\d+) \[([^\]]+)\]")
FROM_TO = re.compile(r"^\.\.\.from EL(\d) to EL(\d)")
ESR = re.compile(r"^\.\.\.with ESR 0x([0-9a-f]+)/0x([0-9a-f]+)")
FAR = re.compile(r"^\.\.\.with FAR 0x([0-9a-f]+)")
REACHED = "PUNT-INIT: reached"

# System registers a guest's kernel touches that the hypervisors trap (Op0, Op1, CRn, CRm, Op2).
SYSREGS = {
    (3, 0, 12, 11, 5): "ICC_SGI1R_EL1",
    (3, 0, 12, 12, 5): "ICC_SRE_EL1",
    (3, 0, 0, 0, 5): "ID_AA64*",
    (2, 0, 0, 2, 2): "MDSCR_EL1",
    (3, 3, 9, 12, 0): "PMCR_EL0",
    (3, 0, 1, 0, 0): "SCTLR_EL1",
    (3, 3, 14, 0, 1): "CNTPCT_EL0",
    (3, 3, 14, 2, 0): "CNTP_TVAL_EL0",
    (3, 3, 14, 2, 1): "CNTP_CTL_EL0",
    (3, 3, 14, 2, 2): "CNTP_CVAL_EL0",
    (2, 0, 1, 0, 4): "OSLAR_EL1",
    (3, 3, 9, 14, 0): "PMUSERENR_EL0",
    (2, 0, 1, 3, 4): "OSDLR_EL1",
}
EC_NAMES = {
    0x01: "WFI/WFE",
    0x07: "FP/SIMD access",
    0x16: "HVC",
    0x17: "SMC",
    0x18: "system register trap",
    0x20: "instruction abort (stage 2)",
    0x24: "data abort (emulated MMIO)",
}
GICD_IROUTER = 0x6100


def sysreg_name(iss):
    op0, op2, op1 = (iss >> 20) & 3, (iss >> 17) & 7, (iss >> 14) & 7
    crn, crm, write = (iss >> 10) & 15, (iss >> 1) & 15, not iss & 1
    key = (op0, op1, crn, crm, op2)
    if op0 == 3 and op1 == 0 and crn == 0:
        name = "ID register"
    elif op0 == 2 and op1 == 0 and crn == 0 and op2 >= 4:
        name = "debug breakpoint/watchpoint register"
    else:
        name = SYSREGS.get(key, f"S{op0}_{op1}_C{crn}_C{crm}_{op2}")
    return f"{name} {'write' if write else 'read'}"


def tally(lines):
    """Count exits to EL2 from a -d int log; return (kinds Counter, MMIO Counter by frame)."""
    kinds = collections.Counter()
    mmio = collections.Counter()  # (frame VA, offset, write) -> count
    cur = None  # [kind, to_el2, esr, far]

    def close(c):
        if not c or not c[1]:
            return
        kind, _, esr, far = c
        if kind == "IRQ" or kind == "FIQ":
            kinds[("interrupt", "physical IRQ taken while the guest ran")] += 1
            return
        if esr is None:
            kinds[(kind, "")] += 1
            return
        ec, iss = esr >> 26, esr & 0x1ffffff
        cls = EC_NAMES.get(ec, f"EC {ec:#x}")
        if ec == 0x01:
            kinds[(cls, "WFE" if iss & 1 else "WFI")] += 1
        elif ec == 0x16:
            imm = iss & 0xffff
            kinds[(cls, "hypercall (#0xEA1)" if imm == 0xEA1 else f"SMCCC (#{imm:#x})")] += 1
        elif ec == 0x18:
            kinds[(cls, sysreg_name(iss))] += 1
        elif ec == 0x24:
            write = bool(iss & (1 << 6))
            if far is None:
                kinds[(cls, "no address")] += 1
            else:
                mmio[(far >> 16, far & 0xffff, write)] += 1
        else:
            kinds[(cls, f"ISS {iss:#x}")] += 1

    for line in lines:
        m = TAKING.match(line)
        if m:
            close(cur)
            cur = [m.group(2), False, None, None]
            continue
        if cur is None:
            continue
        m = FROM_TO.match(line)
        if m:
            cur[1] = m.group(2) == "2" and m.group(1) in "01"
            continue
        m = ESR.match(line)
        if m:
            cur[2] = int(m.group(2), 16)
            continue
        m = FAR.match(line)
        if m:
            cur[3] = int(m.group(1), 16)
    close(cur)
    return kinds, mmio


# Register offsets in a 64 KiB GIC frame (GICv3 architecture specification, IHI 0069, 12.8 to
# 12.11): a distributor's, the same layout in a redistributor's SGI_base frame, and RD_base's
# CTLR, IIDR, TYPER, WAKER and PIDR2.
GIC_REGS = ((0x0000, 4, "CTLR"), (0x0004, 4, "TYPER"), (0x0008, 8, "IIDR"),
            (0x0014, 4, "WAKER"), (0x0080, 0x80, "IGROUPR"), (0x0100, 0x80, "ISENABLER"),
            (0x0180, 0x80, "ICENABLER"), (0x0200, 0x80, "ISPENDR"), (0x0280, 0x80, "ICPENDR"),
            (0x0300, 0x80, "ISACTIVER"), (0x0380, 0x80, "ICACTIVER"),
            (0x0400, 0x400, "IPRIORITYR"), (0x0c00, 0x100, "ICFGR"),
            (0x0d00, 0x80, "IGRPMODR"), (0x6000, 0x2000, "IROUTER"), (0xffe8, 4, "PIDR2"))


def gic_reg(off, dist):
    if not dist and off in (0x0004, 0x0008, 0x000c):
        return "IIDR" if off == 0x0004 else "TYPER"  # RD_base swaps them
    for base, size, name in GIC_REGS:
        if base <= off < base + size:
            return name
    return f"+{off:#06x}"


def classify_mmio(mmio):
    """Fold the MMIO counter into kinds: the distributor's frame (the one whose registers
    include GICD_IROUTER<n>) and every other frame, a redistributor's."""
    gicd = {frame for (frame, off, _), n in mmio.items() if off >= GICD_IROUTER}
    out = collections.Counter()
    for (frame, off, write), n in mmio.items():
        where = "GICD" if frame in gicd else "GICR"
        out[("data abort (emulated MMIO)",
             f"{where}_{gic_reg(off, frame in gicd)} {'write' if write else 'read'}")] += n
    return out


def boot(hyp, log):
    argv = qemu.command(hyp, smp=1, icount=True, append_dom0="punt.test=poweroff")
    argv += ["-d", "int", "-D", str(log)]
    out = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=BOOT_TIMEOUT)
    text = out.stdout.decode(errors="replace")
    if REACHED not in text:
        raise RuntimeError(f"{hyp}: dom0 did not reach init:\n" + "\n".join(
            text.splitlines()[-10:]))


def summary(kinds, top):
    """Rows by class, the class's total first, then its top sub-kinds."""
    by_class = collections.defaultdict(collections.Counter)
    for (cls, sub), n in kinds.items():
        by_class[cls][sub] += n
    return {cls: (sum(c.values()), c.most_common(top)) for cls, c in by_class.items()}


def table(results, top):
    names = [n for n, _ in HYPERVISORS if n in results]
    sums = {n: summary(results[n], top) for n in names}
    classes = sorted({c for n in names for c in sums[n]},
                     key=lambda c: -max(sums[n].get(c, (0, []))[0] for n in names))
    head = "| Exits to EL2 during dom0's boot | " + " | ".join(
        dict(HYPERVISORS)[n] for n in names) + " |"
    rows = [head, "|---" * (len(names) + 1) + "|"]
    total = {n: sum(results[n].values()) for n in names}
    rows.append("| **all exits** | " + " | ".join(f"**{total[n]:,}**" for n in names) + " |")
    for cls in classes:
        rows.append(f"| **{cls}** | " + " | ".join(
            f"{sums[n].get(cls, (0, []))[0]:,}" for n in names) + " |")
        subs = []
        for n in names:
            for sub, _ in sums[n].get(cls, (0, []))[1]:
                if sub and sub not in subs:
                    subs.append(sub)
        for sub in subs:
            rows.append(f"| &nbsp;&nbsp;{sub} | " + " | ".join(
                f"{results[n].get((cls, sub), 0):,}" for n in names) + " |")
    return "\n".join(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=[n for n, _ in HYPERVISORS], action="append")
    ap.add_argument("--top", type=int, default=6, help="sub-kinds shown per class")
    ap.add_argument("--log", type=Path, action="append",
                    help="tally this -d int log (as Punt's, then Xen's) instead of booting")
    args = ap.parse_args(argv)
    names = args.only or [n for n, _ in HYPERVISORS]
    results = {}
    with tempfile.TemporaryDirectory(prefix="exit-table-") as tmp:
        for i, name in enumerate(names):
            if args.log:
                log = args.log[i]
            else:
                log = Path(tmp) / f"{name}.int.log"
                try:
                    boot(name, log)
                except (RuntimeError, subprocess.TimeoutExpired) as err:
                    print(f"exit_table: {err}", file=sys.stderr)
                    return 1
            with open(log, errors="replace") as f:
                kinds, mmio = tally(f)
            kinds.update(classify_mmio(mmio))
            results[name] = kinds
            print(f"exit_table: {name}: {sum(kinds.values()):,} exits", file=sys.stderr)
    print(table(results, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
