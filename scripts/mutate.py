#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Mutation testing: break the hypervisor on purpose, one way at a time, and see the tests fail.

For each mutation in scripts/mutations.py: copy the tree into build/mutate/NAME (never the
worktree's own sources), replace the mutation's original text in the copy, rebuild Punt there
(its own build directory), run the tests named for it against that Punt, and count the
mutation caught when any of them fails. Ends with `mutations: N applied, K caught, M missed`
and the name of every miss. Before the mutations, the same tests run once on an unmutated
copy: they must all pass, or no verdict would mean anything. See docs/testing.md.

A mutation whose original text is not found exactly once in its file is stale (the file
changed under it): the run stops before anything is built, naming it.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import mutations  # noqa: E402

WORK = REPO / "build" / "mutate"
# pytest is installed for the system Python (scripts/setup-host.sh).
PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").is_file() else sys.executable
BUILD_TIMEOUT_S = 900
TEST_TIMEOUT_S = 900
# What the copies leave out: build output, downloads (linked instead), git metadata.
NOT_COPIED = ("build", ".cache", ".git", "__pycache__", ".pytest_cache")


class Stale(Exception):
    pass


def check_anchor(m, root=REPO):
    """The mutation's file text with the original replaced; Stale unless found exactly once."""
    path = root / m.file
    if not path.is_file():
        raise Stale(f"stale mutation {m.name}: {m.file} does not exist")
    text = path.read_text()
    found = text.count(m.original)
    if found != 1:
        raise Stale(f"stale mutation {m.name}: its original text is found {found} times in "
                    f"{m.file} (expected exactly once):\n    " +
                    m.original.replace("\n", "\n    "))
    return text.replace(m.original, m.replacement)


def make_copy(dest):
    """A copy of the tree at dest with the built guests, the dom0 initramfs and Punt's objects
    (so a rebuild compiles only what the mutation touched), never the worktree's own files:
    an interrupted run leaves the worktree as it was."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(REPO, dest, symlinks=True, ignore=shutil.ignore_patterns(*NOT_COPIED))
    (dest / ".cache").symlink_to((REPO / ".cache").resolve())
    build = dest / "build"
    build.mkdir()
    for sub in ("guests", "hyp"):
        if (REPO / "build" / sub).is_dir():
            shutil.copytree(REPO / "build" / sub, build / sub,
                            ignore=shutil.ignore_patterns("logs", "punt.elf", "punt.Image"))
    # The objects' dependency files name the worktree's build directory: point them here.
    for dep in (build / "hyp").rglob("*.d"):
        dep.write_text(dep.read_text().replace(f"{REPO}/build/", f"{dest}/build/"))
    initrd = REPO / "build" / "dom0-initrd.cpio.gz"
    if initrd.is_file():
        shutil.copy2(initrd, build / initrd.name)


def run_bounded(argv, cwd, timeout, log):
    """Run argv in its own process group; (status, seconds). A timeout kills the group."""
    start = time.monotonic()
    env = dict(os.environ, PUNT_IMAGE=str(cwd / "build" / "punt.Image"))
    with open(log, "a") as out:
        out.write(f"$ {' '.join(argv)}\n")
        out.flush()
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True, env=env)
        try:
            status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            out.write(f"\nmutate.py: killed after {timeout}s\n")
            status = "timeout"
    return status, time.monotonic() - start


def command_for(spec, jobs):
    """The argv that runs one test spec of scripts/mutations.py."""
    kind, *args = spec
    if kind == "guests":
        only = [a for name in args for a in ("--only", f"^{re.escape(name)}$")]
        return [PYTHON, "tests/guests/run.py", "--hyp", "punt", "--jobs", str(jobs)] + only
    if kind == "unit":
        return ["make", "-s", "-C", "tests/unit", "test", "TESTS=" + " ".join(args)]
    if kind == "pytest":
        return [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", args[0], "-k", args[1]]
    if kind == "soak":
        # Generous stall bounds: the machine running this is shared, and a slow boot is not
        # what the mutations are about.
        return [PYTHON, "tests/guests/soak.py", "--boots", args[0], "--jobs", str(jobs),
                "--stall", "40", "--limit", "150"]
    raise ValueError(f"unknown test kind {kind!r}")


def describe(spec):
    kind, *args = spec
    return f"{kind} {' '.join(args)}"


def build(copy, log):
    status, secs = run_bounded(["make", "-s", "hyp"], copy, BUILD_TIMEOUT_S, log)
    return status == 0, secs


def run_tests(copy, specs, jobs, log, stop_at_first=True):
    """[(spec, status, seconds)], in order; stops at the first failure when asked."""
    done = []
    for spec in specs:
        status, secs = run_bounded(command_for(spec, jobs), copy, TEST_TIMEOUT_S, log)
        done.append((spec, status, secs))
        if status != 0 and stop_at_first:
            break
    return done


def last_lines(log, n=6):
    lines = [l for l in log.read_text(errors="replace").splitlines() if l.strip()]
    return lines[-n:]


def baseline(specs, jobs, keep):
    """Every test the mutations use must pass on the unmutated tree."""
    copy = WORK / "baseline"
    log = WORK / "baseline.log"
    log.unlink(missing_ok=True)
    make_copy(copy)
    ok, secs = build(copy, log)
    if not ok:
        print(f"mutate: the unmutated tree does not build; see {log}")
        return False
    failed = [(s, st) for s, st, _ in run_tests(copy, specs, jobs, log, stop_at_first=False)
              if st != 0]
    if not keep:
        shutil.rmtree(copy)
    for spec, status in failed:
        print(f"mutate: baseline: {describe(spec)} fails without any mutation ({status}); "
              f"see {log}")
    return not failed


def apply_one(m, jobs, keep):
    """Apply, build, test one mutation; return (caught, what to print)."""
    copy = WORK / m.name
    log = WORK / f"{m.name}.log"
    log.unlink(missing_ok=True)
    make_copy(copy)
    (copy / m.file).write_text(check_anchor(m, copy))
    ok, build_s = build(copy, log)
    if not ok:
        return None, f"does not build (fix its replacement); see {log}"
    results = run_tests(copy, m.tests, jobs, log)
    if not keep:
        shutil.rmtree(copy)
    secs = build_s + sum(s for _, _, s in results)
    catcher = next(((spec, st) for spec, st, _ in results if st != 0), None)
    if catcher:
        how = "timed out" if catcher[1] == "timeout" else f"exit {catcher[1]}"
        return True, f"caught by {describe(catcher[0])} ({how}), {secs:.0f}s"
    tried = ", ".join(describe(s) for s, _, _ in results)
    return False, f"MISSED: {tried} all passed, {secs:.0f}s; log {log}"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", action="append", help="regex of mutation names (repeatable)")
    p.add_argument("--list", action="store_true", help="list the mutations and their tests")
    p.add_argument("--jobs", type=int, default=2, help="QEMUs at once within one test")
    p.add_argument("--no-baseline", action="store_true",
                   help="skip running the tests on the unmutated tree first")
    p.add_argument("--keep", action="store_true", help="keep each mutated copy in build/mutate")
    p.add_argument("--check-anchors", action="store_true",
                   help="only check that every mutation's text is found once (make check)")
    args = p.parse_args(argv)

    chosen = [m for m in mutations.MUTATIONS
              if not args.only or any(re.search(o, m.name) for o in args.only)]
    names = [m.name for m in mutations.MUTATIONS]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        print(f"mutate: mutation names used twice: {', '.join(dupes)}", file=sys.stderr)
        return 2
    if args.list:
        for m in chosen:
            print(f"{m.name:45} {m.file:32} {'; '.join(describe(t) for t in m.tests)}")
        return 0
    stale = []
    for m in chosen:
        try:
            check_anchor(m)
        except Stale as err:
            stale.append(str(err))
    if stale:
        print("\n".join(stale), file=sys.stderr)
        print(f"mutate: {len(stale)} stale mutation(s): re-anchor them in scripts/mutations.py",
              file=sys.stderr)
        return 2
    if args.check_anchors:
        print(f"mutate: all {len(chosen)} mutations anchored")
        return 0
    if not chosen:
        print("mutate: no mutation matches", file=sys.stderr)
        return 2

    WORK.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    specs = []
    for m in chosen:
        specs += [t for t in m.tests if t not in specs]
    if not args.no_baseline:
        print(f"mutate: baseline: {len(specs)} test runs on the unmutated tree", flush=True)
        if not baseline(specs, args.jobs, args.keep):
            return 2
    caught, missed, broken = [], [], []
    for i, m in enumerate(chosen, 1):
        verdict, text = apply_one(m, args.jobs, args.keep)
        print(f"[{i}/{len(chosen)}] {m.name}: {text}", flush=True)
        {True: caught, False: missed, None: broken}[verdict].append(m)
    for m in broken:
        print(f"mutate: {m.name} did not build: fix its replacement")
    for m in missed:
        print(f"missed: {m.name} ({m.file}): {m.what}")
    applied = len(caught) + len(missed)
    print(f"\nmutations: {applied} applied, {len(caught)} caught, {len(missed)} missed"
          f"{' (' + ', '.join(m.name for m in missed) + ')' if missed else ''}"
          f" in {time.monotonic() - started:.0f}s")
    return 1 if missed or broken else 0


if __name__ == "__main__":
    sys.exit(main())
