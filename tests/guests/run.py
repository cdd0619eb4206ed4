#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Boot every micro-guest as dom0 on Punt and on Debian's Xen 4.17 and compare the verdicts.

Each build/guests/NAME.Image is booted on both hypervisors with the shared QEMU command line
(scripts/qemu.py), a bounded time each. The guest ends with "Test result: SUCCESS|SKIP|
FAILURE|ERROR" (or CRASH from its exception vectors); no verdict at all counts as CRASH.
Differences between the two must be listed, with a reason, in docs/conformance.md; the run
fails on any unlisted difference and on any test that is not SUCCESS/SKIP on Punt unless listed.
"""

import argparse
import concurrent.futures
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import qemu  # noqa: E402  (the shared command line; owned by scripts/)

IMAGES = REPO / "build" / "guests"
CONFORMANCE_DOC = REPO / "docs" / "conformance.md"
VERDICT = re.compile(r"Test result: ([A-Z]+)")
PASSING = {"SUCCESS", "SKIP"}
HYPERVISORS = ("punt", "xen")
SMP_MARK = re.compile(r"^//\s*smp:\s*(\d+)\s*$", re.MULTILINE)
# After the verdict the guest powers off; give QEMU this long to exit by itself.
POWEROFF_GRACE_S = 5


def tests_in(images, only):
    """Built images whose source still exists (a renamed test leaves a stale image)."""
    names = sorted(p.stem for p in images.glob("*.Image")
                   if (HERE / "tests" / f"{p.stem}.c").is_file())
    if only:
        names = [n for n in names if any(re.search(o, n) for o in only)]
    return names


def smp_for(name):
    """A test asks for more vCPUs with a line '// smp: N' in its source."""
    src = HERE / "tests" / f"{name}.c"
    m = SMP_MARK.search(src.read_text()) if src.is_file() else None
    return int(m.group(1)) if m else 1


def empty_initrd(images):
    """qemu.command() always loads an initrd module; the micro-guests ignore it."""
    path = images / "empty.initrd"
    if not path.exists():
        path.write_bytes(b"\0" * 512)
    return path


def boot(hyp_image, image, smp, initrd, timeout, log_path):
    """Run one guest; return (verdict, seconds, note)."""
    argv = qemu.command(hyp_image, smp=smp, dom0_kernel=image, dom0_initrd=initrd)
    start = time.monotonic()
    out = []
    note = ""
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        verdict_at = None
        import selectors
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        buf = b""
        while True:
            now = time.monotonic()
            limit = start + timeout
            if verdict_at is not None:
                limit = min(limit, verdict_at + POWEROFF_GRACE_S)
            if now >= limit:
                note = "did not power off" if verdict_at is not None else f"timeout {timeout}s"
                break
            if not sel.select(timeout=min(0.5, limit - now)):
                continue
            chunk = proc.stdout.read1(65536)
            if not chunk:
                break
            buf += chunk
            if verdict_at is None and VERDICT.search(buf.decode("utf-8", "replace")):
                verdict_at = time.monotonic()
        out.append(buf)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    text = b"".join(out).decode("utf-8", "replace").replace("\r", "")
    log_path.write_text(" ".join(argv) + "\n\n" + text)
    found = VERDICT.findall(text)
    verdict = found[-1] if found else "CRASH"
    if not found and not note:
        note = f"QEMU exited with status {proc.returncode} and no verdict"
    return verdict, time.monotonic() - start, note


def load_known(doc):
    """Rows of the known-differences table: | test | punt | xen | reason |."""
    known = {}
    if not doc.is_file():
        return known
    in_table = False
    for line in doc.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") \
            else None
        if cells is None:
            in_table = False
            continue
        if cells[:3] == ["test", "punt", "xen"]:
            in_table = True
            continue
        if not in_table or set(cells[0]) <= set("-: "):
            continue
        if len(cells) >= 4:
            known[cells[0].strip("`")] = (cells[1], cells[2], cells[3])
    return known


def classify(name, results, known):
    punt, xen = results["punt"], results["xen"]
    entry = known.get(name)
    if entry and entry[0] in (punt, "*") and entry[1] in (xen, "*"):
        return "known"
    if punt == xen and punt in PASSING:
        return "agree"
    return "FAIL"


def failure_lines(log_path, limit=6):
    lines = log_path.read_text(errors="replace").splitlines()
    picked = [l for l in lines if l.startswith(("FAIL ", "error:", "skipped:", "setup failed",
                                                 "unexpected exception"))]
    return (picked or lines[-limit:])[:limit]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--images", type=Path, default=IMAGES)
    p.add_argument("--punt", default=str(qemu.HYPERVISORS["punt"]), help="Punt image")
    p.add_argument("--xen", default=str(qemu.HYPERVISORS["xen"]), help="Xen 4.17 image")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=int, default=30, help="seconds per boot")
    p.add_argument("--only", action="append", help="regex of test names (repeatable)")
    p.add_argument("--hyp", choices=HYPERVISORS, action="append",
                   help="boot only on this hypervisor (no comparison)")
    args = p.parse_args(argv)

    hyps = {"punt": Path(args.punt), "xen": Path(args.xen)}
    wanted = args.hyp or list(HYPERVISORS)
    missing = [f"{h}: {hyps[h]}" for h in wanted if not hyps[h].is_file()]
    if missing:
        print("run.py: missing hypervisor image(s): " + ", ".join(missing) +
              " (make hyp / make fetch)", file=sys.stderr)
        return 2
    names = tests_in(args.images, args.only)
    if not names:
        print(f"run.py: no *.Image in {args.images} (make -C tests/guests)", file=sys.stderr)
        return 2
    logs = args.images / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    initrd = empty_initrd(args.images)

    jobs = {}
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for name in names:
            for h in wanted:
                log = logs / f"{name}.{h}.log"
                jobs[(name, h)] = pool.submit(boot, hyps[h], args.images / f"{name}.Image",
                                              smp_for(name), initrd, args.timeout, log)
    results = {k: f.result() for k, f in jobs.items()}

    known = load_known(CONFORMANCE_DOC)
    width = max(len(n) for n in names)
    print(f"{'test':<{width}}  " + "  ".join(f"{h:<8}" for h in wanted) + "  result")
    counts = {"agree": 0, "known": 0, "FAIL": 0}
    failed = []
    for name in names:
        verdicts = {h: results[(name, h)][0] for h in wanted}
        if len(wanted) == 2:
            cls = classify(name, verdicts, known)
        else:
            cls = "agree" if all(v in PASSING for v in verdicts.values()) else "FAIL"
        counts[cls] += 1
        row = "  ".join(f"{verdicts[h]:<8}" for h in wanted)
        label = {"agree": "ok", "known": "known difference", "FAIL": "FAIL"}[cls]
        print(f"{name:<{width}}  {row}  {label}")
        if cls == "FAIL":
            failed.append(name)
    for name in failed:
        print(f"\n--- {name}")
        for h in wanted:
            verdict, secs, note = results[(name, h)]
            log = logs / f"{name}.{h}.log"
            print(f"  {h}: {verdict} in {secs:.1f}s{' (' + note + ')' if note else ''}; log {log}")
            for line in failure_lines(log):
                print(f"    {line}")
    stale = [] if args.only else sorted(set(known) - set(names))
    for name in stale:
        print(f"note: docs/conformance.md lists {name}, which is not built")
    print(f"\n{len(names)} tests on {', '.join(wanted)} in {time.monotonic() - started:.0f}s")
    print(f"conformance: {len(names)} tests, {counts['agree']} agree, {counts['known']} known "
          f"differences, {counts['FAIL']} failures")
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
