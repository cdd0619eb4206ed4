#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The include graph between generic code and the architecture, as the arm64 build resolves it.

Nodes are the .c, .S and .h files git tracks under hyp/; an edge is one #include, resolved as
hyp/Makefile does (the including file's directory for "...", then -I include, then
-I arch/arm64/include). Generic: hyp/core, hyp/lib, hyp/drivers, hyp/include. Arch-private:
everything under hyp/arch/arm64 except its punt/arch/types.h, the contract's per-architecture
types header (counted on its own). Prints the edges each way, the generic files that reach an
arch-private file directly or through other headers, and every include cycle that has files on
both sides.
"""

import os
import re
import subprocess
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
INCLUDE_DIRS = ["hyp/include", "hyp/arch/arm64/include"]
TYPES = "hyp/arch/arm64/include/punt/arch/types.h"
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def side(path):
    if path == TYPES:
        return "types"
    if path.startswith("hyp/arch/arm64/"):
        return "arch"
    if path.startswith("hyp/arch/"):
        return "other"
    return "generic"


def graph():
    listed = subprocess.run(["git", "-C", ROOT, "ls-files", "hyp"], capture_output=True,
                            text=True, check=True).stdout.split()
    files = [f for f in listed if f.endswith((".c", ".h", ".S"))]
    known = set(files)
    edges = set()
    for f in files:
        with open(os.path.join(ROOT, f), errors="replace") as src:
            for line in src:
                m = INCLUDE.match(line)
                if not m:
                    continue
                for cand in [os.path.normpath(os.path.join(os.path.dirname(f), m.group(1)))] + \
                        [os.path.join(d, m.group(1)) for d in INCLUDE_DIRS]:
                    if cand in known:
                        edges.add((f, cand))
                        break
    return files, edges


def cycles(files, edges):
    """Strongly connected components of more than one file (Tarjan)."""
    succ = {f: [] for f in files}
    for a, b in edges:
        succ[a].append(b)
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in succ[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for f in files:
        if f not in index:
            visit(f)
    return out


def main():
    files, edges = graph()
    down = sorted((a, b) for a, b in edges if side(a) == "generic" and side(b) == "arch")
    to_types = sorted((a, b) for a, b in edges if side(a) == "generic" and side(b) == "types")
    up = [(a, b) for a, b in edges if side(a) in ("arch", "types") and side(b) == "generic"]
    succ = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)

    def reaches_arch(f):
        seen, todo = set(), [f]
        while todo:
            for w in succ.get(todo.pop(), []):
                if w not in seen:
                    seen.add(w)
                    todo.append(w)
        return any(side(w) == "arch" for w in seen)

    reaching = [f for f in files if side(f) == "generic" and reaches_arch(f)]
    print(f"{len(files)} files, {len(edges)} include edges")
    print(f"generic -> arm64-private: {len(down)} edges, from "
          f"{len({a for a, _ in down})} files")
    for a, b in down:
        print(f"  {a} -> {b}")
    print(f"generic -> punt/arch/types.h (arm64's): {len(to_types)} edges")
    print(f"arm64 -> generic: {len(up)} edges")
    print(f"generic files reaching an arm64-private header, directly or not: {len(reaching)}")
    mixed = [c for c in cycles(files, edges) if {side(f) for f in c} & {"generic"} and
             {side(f) for f in c} & {"arch", "types"}]
    print(f"include cycles across generic and arm64 files: {len(mixed)}")
    for c in mixed:
        print(f"  {len(c)} files: {' '.join(sorted(c))}")


if __name__ == "__main__":
    main()
