# SPDX-License-Identifier: Apache-2.0
"""Fixtures for booting a hypervisor with dom0 under QEMU and reading dom0's markers.

Images: Punt is $PUNT_IMAGE (default build/punt.Image); the baseline is Debian's Xen 4.17
from `make fetch`. Tests that need Punt fail, never skip, when its image is missing.
"""

import os
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import console  # noqa: E402
import qemu  # noqa: E402

BOOT_TIMEOUT = float(os.environ.get("PUNT_BOOT_TIMEOUT", "120"))
LOG_DIR = REPO / "build" / "test-logs"
HYPERVISORS = ["xen", "punt"]


def punt_image():
    return Path(os.environ.get("PUNT_IMAGE", str(qemu.HYPERVISORS["punt"])))


def hypervisor_image(name):
    """The image for 'punt' or 'xen'; fails the test (not skips) when it is missing."""
    image = punt_image() if name == "punt" else qemu.HYPERVISORS[name]
    if not image.is_file():
        how = "make (or set PUNT_IMAGE)" if name == "punt" else "make fetch"
        pytest.fail(f"expected the {name} image at {image}; it is missing: build it with {how}",
                    pytrace=False)
    return image


@pytest.fixture(scope="session", autouse=True)
def dom0_inputs():
    missing = [m for m in qemu.missing_inputs("xen") if "xen-4.17" not in m]
    if missing:
        pytest.fail("dom0 inputs missing:\n  " + "\n  ".join(missing), pytrace=False)


class Boot:
    """Starts QEMU runs for one test and makes sure every one of them is killed."""

    def __init__(self, name):
        self.name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        self.runs = []

    def start(self, hyp, **options):
        """Boot `hyp` ('punt', 'xen' or a path) with qemu.command(**options)."""
        image = hypervisor_image(hyp) if hyp in HYPERVISORS else Path(hyp)
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log = LOG_DIR / f"{self.name}.{len(self.runs)}.log"
        run = console.Qemu(qemu.command(image, **options), log_path=log)
        self.runs.append(run)
        return run

    def kill_all(self):
        for run in self.runs:
            run.kill()


@pytest.fixture
def boot(request):
    b = Boot(request.node.name)
    yield b
    b.kill_all()


def read_markers(run, timeout=BOOT_TIMEOUT):
    """Wait for dom0's init to report; return its PUNT-INIT key=value markers."""
    run.expect(r"^PUNT-INIT: reached$", timeout, "dom0's init to print 'PUNT-INIT: reached'")
    markers = {}
    for key in ("uptime", "hypervisor", "cpus-online", "nproc"):
        match, _ = run.expect(rf"^PUNT-INIT: {key}=(.*)$", 30, f"the PUNT-INIT: {key}= marker")
        markers[key] = match.group(1).strip()
    return markers


# Ctrl-a three times moves Punt's serial input to the next domain. Ctrl-a is QEMU's escape
# under -nographic: Ctrl-a Ctrl-a sends one through.
SWITCH = "\x01\x01" * 3


def focus_on(run, target, tries=4):
    """Type Ctrl-a three times until Punt says the input goes to `target` ('d1', 'Punt')."""
    for _ in range(tries):
        run.send(SWITCH)
        match, _ = run.expect(r"Serial input to (d\d+|Punt) ", 30, "the input focus to move")
        if match.group(1) == target:
            return
    run.fail(f"the input focus to reach {target}", f"still {match.group(1)}")


def check_equal(run, what, expected, got):
    if expected != got:
        run.fail(f"{what} = {expected!r}", repr(got))


@pytest.fixture(scope="session")
def qemu_dtb(tmp_path_factory):
    """The DTB QEMU generates for the standard line (smp 2, dom0 told to power off)."""
    path = tmp_path_factory.mktemp("dtb") / "virt-smp2.dtb"
    try:
        qemu.dump_dtb(path, smp=2, append_dom0="punt.test=poweroff")
    except RuntimeError as err:
        pytest.fail(f"expected QEMU to dump its DTB to {path}; got: {err}", pytrace=False)
    return path
