#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Boot two rebooting hostile domains next to a canary, one run per seed, and judge each run.

Each run boots build/guests/fuzz/fuzz.Image three times as a dom0less scenario (run.py's
scenario DTB): d1 and d2 (rt.index 0 and 1, linked by static event channels, 2-4 vCPUs each)
fuzz on every vCPU at once, share grants and channels and reboot again and again until their
time is up; d3 (rt.index 2) is the canary, which checks that nothing
reaches it and how long it was kept off its CPU. Every boot is followed to its end: a crash
report, a "FUZZ FAIL" or "FAIL" line, a failed verdict, a domain that does not come back
from a reboot, a console or a canary that falls silent, domains that do not power off or
QEMU that does not exit in time fail the run with the reason, the tail of each domain's
output and a command that replays the failing boots. See docs/fuzzing.md.
"""

import argparse
import collections
import re
import selectors
import subprocess
import sys
import time
from pathlib import Path

import run  # tests/guests/run.py: scenario DTB, console prefixes

qemu = run.qemu
IMAGE = run.REPO / "build" / "guests" / "fuzz" / "fuzz.Image"
HOSTILE, CANARY = (1, 2), 3  # domain ids: rt.index 0, 1 and 2
DOMAINS = 3
# Static channels to the canary: d1's port 12 to its 30, d2's port 22 to its 31.
HOSTILE_CANARY_PORT = (12, 22)
CANARY_PORTS = (30, 31)
LINK_PHANDLE = run.PHANDLE_BASE + 0x100
# What the hypervisor prints when it, not a guest, fails.
CRASH_MARKS = {"punt": ("Panic on CPU", "Unexpected EL2 exception", "all CPUs stopped"),
               "xen": ("Panic on CPU", "Xen call trace", "FATAL TRAP", "Assertion '")}
DOMAIN_CRASH = {"punt": re.compile(r"^\(punt\) d\d+ .*shut down: (crash|watchdog)"),
                "xen": re.compile(r"crashed|Domain crash")}
REBOOT_LINE = re.compile(r"^\(punt\) d(\d+) \(.*\) shut down: reboot")
ALL_STOPPED = "All domains have stopped"
BOOT_LINE = re.compile(r"^FUZZ boot seed=(0x[0-9a-f]+|0) .* with (\d+) vCPUs")
SUMMARY = re.compile(r"^FUZZ (reboot|done) seed=(0x[0-9a-f]+|0) .*ops=(\d+)")
CANARY_LINE = re.compile(r"^CANARY .*stall_ms=(\d+) timer_late_ms=(\d+)")
VERDICT = re.compile(r"Test result: ([A-Z]+)")

# Bounds, in seconds. Everything the watcher waits for has one.
BOOT_SLACK_S = 60        # first boot of all three domains, and the end of the run
CANARY_EXTRA_S = 4       # the canary outlives the hostile domains by this much
SILENCE_S = 30           # no console output at all
CANARY_SILENCE_S = 30    # no canary line (it prints one every 2 s)
COMEBACK_S = 30          # a rebooted domain prints its next "FUZZ boot" line
POWEROFF_S = 10          # after the last verdict: domains torn down, QEMU exits
LATE_END_S = 20          # the hostile domains end before the canary: their verdicts by then
CRASH_TAIL_S = 3         # after a crash report: the rest of it
GRACE_OVER = "grace over"
# Punt's debug keys asked for at a hang: run queues, domains and vCPUs, interrupts.
DUMP_KEYS = (b"r", b"d", b"i")
PUNT_INPUT = "*** Serial input to Punt"


def parse_list(text):
    out = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out += list(range(int(lo, 0), int(hi, 0) + 1)) if hi else [int(lo, 0)]
    return out


def vcpus_for(args, seed):
    """vCPUs of d1 and d2: --vcpus N or N1,N2, else 2-4 varied by the seed."""
    if args.vcpus:
        v = [int(x) for x in args.vcpus.split(",")]
        return (v[0], v[-1])
    choice = (2, 3, 4)
    return (choice[seed % 3], choice[(seed + 1) % 3])


def link_canary(path):
    """A static channel from each hostile domain to the canary (Xen's "xen,evtchn-v1").

    Punt lets two domUs share channels and grants only when their configuration links them
    (a static channel); Xen with xsm=dummy lets any two. The canary's ends are
    CANARY_PORTS, the hostile domains' HOSTILE_CANARY_PORT.
    """
    for i, d in enumerate(HOSTILE):
        ends = ((f"/chosen/domU{d}", HOSTILE_CANARY_PORT[i], LINK_PHANDLE + 2 * i),
                (f"/chosen/domU{CANARY}", CANARY_PORTS[i], LINK_PHANDLE + 2 * i + 1))
        for k, (node, port, phandle) in enumerate(ends):
            other = ends[1 - k][2]
            ec = f"{node}/evtchn@{port}"
            run.fdtput(path, "-c", ec)
            run.fdtput(path, "-t", "s", ec, "compatible", "xen,evtchn-v1")
            run.fdtput(path, "-t", "i", ec, "phandle", phandle)
            run.fdtput(path, "-t", "i", ec, "xen,evtchn", port, other)


def fuzz_dtb(base_dtb, image, path, bootargs, vcpus):
    """run.py's scenario DTB of three domains with our boot arguments, vCPUs and links."""
    run.scenario_dtb(base_dtb, image, DOMAINS, path)
    for i in range(DOMAINS):
        node = f"/chosen/domU{i + 1}"
        run.fdtput(path, "-t", "s", f"{node}/module@{qemu.DOM0_KERNEL_ADDR:x}", "bootargs",
                   run.scenario_bootargs(i, DOMAINS) + " " + bootargs[i])
        if i < 2:
            run.fdtput(path, "-t", "i", node, "cpus", vcpus[i])
    link_canary(path)
    return path


class Watch:
    """Reads one run's console line by line and keeps what the verdict needs."""

    def __init__(self, hyp, log):
        self.hyp = hyp
        self.log = log
        self.domu = run.DOMU_LINE[hyp]
        self.tail = collections.deque(maxlen=60)       # hypervisor lines
        self.dom_tail = {d: collections.deque(maxlen=40) for d in (*HOSTILE, CANARY)}
        self.fuzz_tail = {d: collections.deque(maxlen=40) for d in HOSTILE}
        self.crash = None
        self.crash_at = None
        self.reasons = []
        self.boots = {d: [] for d in HOSTILE}          # (seed, vcpus) per boot
        self.boot_ops = {d: 0 for d in HOSTILE}        # ops of the current boot so far
        self.ops = 0
        self.verdict = {}                              # domid: latest verdict
        self.verdict_boot = {}                         # domid: boot count at the verdict
        self.reboots_asked = {d: 0 for d in HOSTILE}
        self.waiting_comeback = {}                     # domid: monotonic time of reboot
        self.canary_at = None
        self.canary = (0, 0)
        self.all_stopped = False
        self.last_output = self.start = time.monotonic()
        self.partial = b""
        self.dumping = False                          # Punt took the input (a hang dump)
        self.dump = []                                 # hypervisor lines, kept for a hang dump

    def feed(self, chunk, now):
        self.last_output = now
        self.partial += chunk
        *lines, self.partial = self.partial.split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", "replace").replace("\r", "")
            self.log.write(f"[{now - self.start:8.3f}] {line}\n")  # host seconds: for stalls
            self.line(line, now)

    def line(self, line, now):
        if self.crash is None and any(m in line for m in CRASH_MARKS[self.hyp]):
            self.crash = line.strip()
            self.crash_at = now
        if DOMAIN_CRASH[self.hyp].search(line):
            self.reasons.append(f"domain crashed: {line.strip()}")
        m = self.domu.match(line)
        if not m:
            self.hyp_line(line, now)
            return
        d, text = int(m.group(1)), m.group(2)
        if d in self.dom_tail:
            self.dom_tail[d].append(text)
        if d in HOSTILE:
            self.hostile_line(d, text, now)
        elif d == CANARY:
            self.canary_line(text, now)
        v = VERDICT.search(text)
        if v:
            self.verdict[d] = v.group(1)
            self.verdict_boot[d] = len(self.boots.get(d, ()))
        if text.startswith("FAIL ") or text.startswith("FUZZ FAIL"):
            boots = self.boots.get(d)
            where = f" (boot {len(boots)}, seed {boots[-1][0]})" if boots else ""
            self.reasons.append(f"d{d}{where}: {text}")

    def hyp_line(self, line, now):
        if not line.strip():
            return
        self.tail.append(line)
        if PUNT_INPUT in line:
            self.dumping = True
        if self.dumping:
            self.dump.append(line)
        if ALL_STOPPED in line:
            self.all_stopped = True
        m = REBOOT_LINE.match(line)
        if m and int(m.group(1)) in HOSTILE:
            d = int(m.group(1))
            self.reboots_asked[d] += 1
            self.waiting_comeback.setdefault(d, now)

    def hostile_line(self, d, text, now):
        if text.startswith("FUZZ"):
            self.fuzz_tail[d].append(text)
        m = BOOT_LINE.match(text)
        if m:
            self.ops += self.boot_ops[d]
            self.boot_ops[d] = 0
            self.boots[d].append((m.group(1), int(m.group(2))))
            self.waiting_comeback.pop(d, None)
            return
        m = SUMMARY.match(text)
        if m:
            self.boot_ops[d] = max(self.boot_ops[d], int(m.group(3)))

    def canary_line(self, text, now):
        if text.startswith("CANARY") or text.startswith("scenario:"):
            self.canary_at = now
        m = CANARY_LINE.match(text)
        if m:
            self.canary = (int(m.group(1)), int(m.group(2)))

    def all_verdicts(self):
        """Each domain's latest verdict came after its latest boot."""
        if CANARY not in self.verdict:
            return False
        return all(d in self.verdict and self.verdict_boot[d] == len(self.boots[d])
                   for d in HOSTILE)

    def total_ops(self):
        return self.ops + sum(self.boot_ops.values())

    def reboots(self):
        """Reboots survived: boots after the first one of each hostile domain."""
        return sum(max(0, len(b) - 1) for b in self.boots.values())


def watch_qemu(argv, watch, limit_s):
    """Run QEMU until the run is judged; every wait is bounded. Returns a note or ''."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE if watch.hyp == "punt" else
                            subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    verdicts_at = None
    note = ""
    try:
        while True:
            now = time.monotonic()
            if sel.select(timeout=0.5):
                chunk = proc.stdout.read1(65536)
                if not chunk:
                    break  # QEMU exited
                watch.feed(chunk, now)
            now = time.monotonic()
            if watch.crash_at is not None:
                if now - watch.crash_at > CRASH_TAIL_S:
                    break
                continue
            if verdicts_at is None and watch.all_verdicts():
                verdicts_at = now
            note = stuck(watch, now, start, limit_s, verdicts_at)
            if note:
                if note != GRACE_OVER and watch.hyp == "punt":
                    dump_state(proc, sel, watch)
                break
    finally:
        exited = True
        try:  # at EOF QEMU is on its way out; otherwise it has had its time
            proc.wait(timeout=5 if note == "" and watch.crash is None else 0.1)
        except subprocess.TimeoutExpired:
            exited = False
            proc.kill()
            proc.wait(timeout=10)
        if watch.partial:
            watch.feed(b"\n", time.monotonic())
    if note == GRACE_OVER:
        note = ""
        if watch.hyp == "punt" and not watch.all_stopped:
            note = f"the domains were not torn down within {POWEROFF_S}s of the last verdict"
        elif watch.hyp == "punt" and not exited:
            note = f"QEMU did not exit within {POWEROFF_S}s of the last verdict"
    elif note or watch.crash is not None:
        pass  # the reason is known; after a crash report QEMU was stopped
    elif verdicts_at is None:
        note = "QEMU exited before every domain gave its verdict"
    elif watch.hyp == "punt" and not watch.all_stopped:
        note = "QEMU exited without Punt's 'All domains have stopped'"
    return note


def dump_state(proc, sel, watch):
    """A hang: ask Punt's debug keys for its run queues and domains before QEMU is stopped.

    Ctrl-a three times moves the console input on, through each domain, to Punt
    (docs/users-guide.md); QEMU's -nographic console takes Ctrl-a Ctrl-a as one Ctrl-a.
    What Punt prints goes to the log and, from "*** Serial input to Punt" on, to
    watch.dump for the report.
    """
    def read_for(seconds):
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            if sel.select(timeout=0.2):
                chunk = proc.stdout.read1(65536)
                if not chunk:
                    return False
                watch.feed(chunk, time.monotonic())
        return True

    try:
        for _ in range(DOMAINS + 2):  # dom0 (none here), each domain, then Punt
            if watch.dumping:
                break
            proc.stdin.write(b"\x01\x01" * 3)
            proc.stdin.flush()
            if not read_for(0.5):
                return
        if not watch.dumping:
            return
        for key in DUMP_KEYS:
            proc.stdin.write(key)
            proc.stdin.flush()
            if not read_for(1.0):
                return
    except (BrokenPipeError, OSError):
        pass


def stuck(watch, now, start, limit_s, verdicts_at):
    """Why the watcher stops waiting ('' to keep reading); GRACE_OVER after the verdicts."""
    if verdicts_at is not None:
        # Xen keeps dom0less domains that powered off and never stops the machine.
        grace = POWEROFF_S if watch.hyp == "punt" else 1
        return GRACE_OVER if now - verdicts_at >= grace else ""
    if now - start > limit_s:
        return f"timeout: the run took more than {limit_s:.0f}s"
    if now - watch.last_output > SILENCE_S:
        return f"hang: no console output for {SILENCE_S}s"
    if watch.canary_at is not None and CANARY not in watch.verdict \
            and now - watch.canary_at > CANARY_SILENCE_S:
        return f"the canary printed nothing for {CANARY_SILENCE_S}s"
    if CANARY in watch.verdict and now - watch.canary_at > LATE_END_S:
        late = [f"d{d}" for d in HOSTILE if not watch.all_verdicts() and
                watch.verdict_boot.get(d) != len(watch.boots[d])]
        return f"{', '.join(late) or 'a domain'} gave no verdict {LATE_END_S}s after the canary"
    for d, since in watch.waiting_comeback.items():
        if now - since > COMEBACK_S:
            return f"d{d} did not come back within {COMEBACK_S}s of its reboot"
    return ""


def dedupe(reasons):
    """Each distinct reason once, with how often it came (vCPU and boot numbers aside)."""
    seen = collections.OrderedDict()
    for r in reasons:
        key = re.sub(r"\(boot \d+, seed 0x[0-9a-f]+\)|\bv\d+\b", "", r)
        seen.setdefault(key, [r, 0])[1] += 1
    return [r if n == 1 else f"{r} [{n} times]" for r, n in seen.values()]


def judge(watch, note):
    reasons = dedupe(watch.reasons)
    if watch.crash:
        reasons.insert(0, f"hypervisor crash report: {watch.crash}")
    if note:
        reasons.append(note)
    for d in watch.waiting_comeback:
        reasons.append(f"d{d} did not come back after its reboot {watch.reboots_asked[d]}")
    for d in (*HOSTILE, CANARY):
        v = watch.verdict.get(d)
        if v != "SUCCESS":
            reasons.append(f"d{d} verdict {v or 'none'}")
    if not any(l.startswith("CANARY done ok") for l in watch.dom_tail[CANARY]):
        reasons.append("the canary did not report 'CANARY done ok'")
    for d in HOSTILE:
        if not any(l.startswith("FUZZ done") for l in watch.fuzz_tail[d]):
            reasons.append(f"d{d} did not finish (no 'FUZZ done' in its last boot)")
    return reasons


def bootargs_for(args, seed):
    """Boot arguments of d1, d2 (hostile) and d3 (the canary)."""
    end_ms = args.time * 1000
    hostile = (f"seed={seed} end_ms={end_ms} reboot_ops={args.reboot_ops} "
               f"progress={args.progress} canary={CANARY}")
    if args.trace is not None:
        hostile += f" trace={args.trace}"
    if args.hyp == "xen" or args.no_reboot:
        hostile += " reboot=0"  # Xen 4.17 does not rebuild a dom0less domain that reboots
    if args.hyp == "xen":
        hostile += " odd_hvc=0"  # Xen 4.17 crashes a domain on HVC #imm other than 0/0xEA1
    each = [f"{hostile} canary_port={HOSTILE_CANARY_PORT[i]}" for i in range(2)]
    if args.seed:  # replay: one boot seed for both, or one each
        seeds = args.seed.split(",")
        each = [f"{each[i]} boot_seed={seeds[i % len(seeds)]}" for i in range(2)]
    canary = (f"end_ms={end_ms + CANARY_EXTRA_S * 1000} stall_ms={args.stall_ms} "
              f"hostile_a={HOSTILE[0]} hostile_b={HOSTILE[1]} "
              f"port_a={CANARY_PORTS[0]} port_b={CANARY_PORTS[1]}")
    return each + [canary]


def one_run(args, hyp_image, base_dtb, seed, logs):
    vcpus = vcpus_for(args, seed)
    log_path = logs / f"fuzz-{args.hyp}-{seed}.log"
    dtb = fuzz_dtb(base_dtb, args.image, log_path.with_suffix(".dtb"),
                   bootargs_for(args, seed), vcpus)
    argv = qemu.command(hyp_image, smp=args.smp, dtb=dtb, dom0_kernel=args.image,
                        dom0_initrd=run.empty_initrd(args.image.parent))
    start = time.monotonic()
    with open(log_path, "w") as log:
        log.write(" ".join(argv) + "\n\n")
        watch = Watch(args.hyp, log)
        note = watch_qemu(argv, watch, args.time + CANARY_EXTRA_S + BOOT_SLACK_S + POWEROFF_S)
    return watch, judge(watch, note), log_path, time.monotonic() - start, vcpus


def report_failure(args, seed, watch, reasons, log, vcpus):
    print(f"\nFAIL seed {seed} on {args.hyp}: " + "; ".join(reasons[:6]) +
          (f" (and {len(reasons) - 6} more)" if len(reasons) > 6 else ""))
    last = {}
    for d in HOSTILE:
        boots = watch.boots[d]
        last[d] = boots[-1][0] if boots else None
        print(f"  d{d} ({vcpus[d - 1]} vCPUs), boot {len(boots)}, seed {last[d]}:")
        print("    " + ("\n    ".join(list(watch.fuzz_tail[d])[-14:]) or "(nothing)"))
    print("  canary:\n    " + ("\n    ".join(list(watch.dom_tail[CANARY])[-5:]) or "(nothing)"))
    print("  hypervisor (last lines):\n    " + "\n    ".join(list(watch.tail)[-30:]))
    if watch.dump:
        print("  Punt's debug keys at the hang (r, d, i):\n    " + "\n    ".join(watch.dump))
    print(f"  log: {log}")
    if all(last.values()):
        print(f"  replay these boots: {sys.executable} {Path(__file__).resolve()} --hyp {args.hyp}"
              f" --seeds {seed} --seed {last[1]},{last[2]} --vcpus {vcpus[0]},{vcpus[1]}"
              f" --time {args.time} --reboot-ops {args.reboot_ops} [--trace ITERATION]")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--image", type=Path, default=IMAGE)
    p.add_argument("--hyp", choices=run.HYPERVISORS, default="punt")
    p.add_argument("--punt", default=str(qemu.HYPERVISORS["punt"]), help="Punt image")
    p.add_argument("--xen", default=str(qemu.HYPERVISORS["xen"]), help="Xen 4.17 image")
    p.add_argument("--seeds", default="1", help="runs, e.g. 1,2,3 or 1-100: each run's base seed")
    p.add_argument("--seed", help="replay: every boot of d1 and d2 uses this boot seed "
                                  "(S, or S1,S2 for d1 and d2), as printed in 'FUZZ boot'")
    p.add_argument("--time", type=int, default=30,
                   help="seconds of fuzzing per run (machine time, boot included)")
    p.add_argument("--budget", type=int, default=0,
                   help="start no new run after this many seconds (0: run all seeds)")
    p.add_argument("--vcpus", help="vCPUs of d1 and d2: N or N1,N2 (default: 2-4 by seed)")
    p.add_argument("--reboot-ops", type=int, default=800,
                   help="a vCPU reboots its domain after N/4..7N/4 of its operations")
    p.add_argument("--no-reboot", action="store_true", help="no reboots (Xen never has them)")
    p.add_argument("--stall-ms", type=int, default=2000,
                   help="the canary fails when it is kept off its CPU longer than this")
    p.add_argument("--smp", type=int, default=run.SCENARIO_SMP, help="physical CPUs")
    p.add_argument("--progress", type=int, default=2000, help="progress line every N per vCPU")
    p.add_argument("--trace", type=int, help="print every operation from this iteration on")
    args = p.parse_args(argv)

    hyp_image = Path(args.punt if args.hyp == "punt" else args.xen)
    for need, how in ((hyp_image, "make hyp / make fetch"),
                      (args.image, "make -C tests/guests fuzz-image")):
        if not need.is_file():
            print(f"fuzz.py: missing {need} ({how})", file=sys.stderr)
            return 2
    logs = args.image.parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    initrd = run.empty_initrd(args.image.parent)
    base_dtb = logs / "fuzz-base.dtb"
    qemu.dump_dtb(base_dtb, smp=args.smp, dom0_kernel=initrd, dom0_initrd=initrd)

    started = time.monotonic()
    done, failed = 0, []
    totals = collections.Counter()
    worst = [0, 0]
    for seed in parse_list(args.seeds):
        if args.budget and time.monotonic() - started >= args.budget:
            break
        watch, reasons, log, secs, vcpus = one_run(args, hyp_image, base_dtb, seed, logs)
        done += 1
        ops, reboots = watch.total_ops(), watch.reboots()
        totals.update(ops=ops, reboots=reboots, secs=secs, asked=sum(watch.reboots_asked.values()))
        worst = [max(worst[0], watch.canary[0]), max(worst[1], watch.canary[1])]
        print(f"seed {seed}: {'FAIL' if reasons else 'ok'} in {secs:.0f}s, vCPUs {vcpus[0]}+"
              f"{vcpus[1]}, {ops} ops ({ops / max(secs, 1):.0f}/s), {reboots} reboots survived "
              f"({reboots * 60 / max(secs, 1):.0f}/min), canary worst stall {watch.canary[0]} ms,"
              f" timer late {watch.canary[1]} ms", flush=True)
        if reasons:
            failed.append(seed)
            report_failure(args, seed, watch, reasons, log, vcpus)
    secs = max(totals["secs"], 1)
    print(f"\nfuzz: {done} runs on {args.hyp} in {time.monotonic() - started:.0f}s, "
          f"{totals['ops']} ops ({totals['ops'] / secs:.0f}/s), {totals['reboots']} reboots "
          f"survived ({totals['reboots'] * 60 / secs:.0f}/min), canary worst stall {worst[0]} ms, "
          f"timer late {worst[1]} ms; {len(failed)} failed"
          f"{': ' + ','.join(map(str, failed)) if failed else ''}")
    return 1 if failed or not done else 0


if __name__ == "__main__":
    sys.exit(main())
