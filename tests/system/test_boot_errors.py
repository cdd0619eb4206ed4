# SPDX-License-Identifier: Apache-2.0
"""A broken boot device tree stops Punt with one line that names what is broken.

Each case takes the DTB QEMU generates for the standard command line, breaks one thing with
fdtput, and boots Punt with it (QEMU's -dtb). QEMU itself refuses a truncated or
structurally corrupt DTB before the hypervisor runs, so only well-formed trees with wrong
content reach Punt; the parser's handling of truncated blobs is covered by the unit tests.
"""

import re
import shutil
import subprocess

import pytest

import qemu

GIC = "/intc@8000000"
KERNEL_MODULE = f"/chosen/module@{qemu.DOM0_KERNEL_ADDR:#x}"
RAMDISK_MODULE = f"/chosen/module@{qemu.DOM0_INITRD_ADDR:#x}"

DTB = "{dtb}"  # stands for the DTB being edited in an fdtput argument list
KERNEL_AT = f"{qemu.DOM0_KERNEL_ADDR:x}"
INITRD_AT = f"{qemu.DOM0_INITRD_ADDR:x}"

# (case, fdtput argument lists, words the error line must contain, case-insensitively)
BROKEN_TREES = [
    ("gic-node-deleted", [["-r", DTB, GIC]], ["gic"]),
    ("gic-without-reg", [["-d", DTB, GIC, "reg"]], ["gic", "reg"]),
    ("kernel-module-without-reg", [["-d", DTB, KERNEL_MODULE, "reg"]], ["module", "reg"]),
    ("kernel-module-reg-too-short", [["-t", "x", DTB, KERNEL_MODULE, "reg", KERNEL_AT]],
     ["module", "reg"]),
    ("no-boot-modules", [["-r", DTB, KERNEL_MODULE, RAMDISK_MODULE]], ["kernel", "module"]),
    ("kernel-module-points-at-the-initrd",
     [["-t", "x", DTB, KERNEL_MODULE, "reg", "0", INITRD_AT, "0", "10000"]],
     ["kernel", "image"]),
]

# Punt checks the tree before it builds dom0: seconds, not a whole boot.
ERROR_TIMEOUT = 60
OUTCOME = (r"^(punt: boot error: .*|PUNT-INIT: reached|.*Unexpected EL2 exception.*"
           r"|.*[Pp]anic.*)$")


@pytest.fixture
def broken_dtb(qemu_dtb, tmp_path):
    """Returns a function making a copy of QEMU's DTB with the given fdtput edits."""
    def make(edits):
        path = tmp_path / "broken.dtb"
        shutil.copyfile(qemu_dtb, path)
        for edit in edits:
            argv = ["fdtput"] + [str(path) if a == DTB else a for a in edit]
            done = subprocess.run(argv, capture_output=True, text=True, check=False)
            assert done.returncode == 0, f"{' '.join(argv)} failed: {done.stderr}"
        return path
    return make


@pytest.mark.parametrize("case,edits,words", BROKEN_TREES, ids=[c[0] for c in BROKEN_TREES])
def test_broken_boot_dt_stops_punt_with_an_error_naming_it(boot, broken_dtb, case, edits, words):
    run = boot.start("punt", smp=2, dtb=broken_dtb(edits))
    match, _ = run.expect(OUTCOME, ERROR_TIMEOUT, "a 'punt: boot error: ...' line")
    line = match.group(1)
    if not line.startswith("punt: boot error: "):
        run.fail(f"'punt: boot error: ...' naming {' and '.join(words)} ({case})", line)
    missing = [w for w in words if not re.search(w, line, re.IGNORECASE)]
    if missing:
        run.fail(f"the boot error for {case} to mention {', '.join(words)}", line)
