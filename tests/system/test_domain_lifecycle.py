# SPDX-License-Identifier: Apache-2.0
"""What a domain leaves behind when it goes away: nothing.

Micro-guests from tests/guests/lifecycle (built by `make -C tests/guests lifecycle`) run as
dom0less domains in the same scenario layout as the conformance kit (run.py's
scenario_dtb: pairs linked by static event channels). Punt's console shows free memory
before the domains are built and after each is destroyed.
"""

import sys

import pytest

import qemu
from conftest import BOOT_TIMEOUT, REPO

sys.path.insert(0, str(REPO / "tests" / "guests"))
import run as guests  # noqa: E402  (the micro-guest runner: its scenario DTB builder)

IMAGES = REPO / "build" / "guests" / "lifecycle"


@pytest.fixture
def scenario(qemu_dtb, tmp_path):
    def make(name, domains):
        image = IMAGES / f"{name}.Image"
        if not image.is_file():
            pytest.fail(f"missing {image} (make -C tests/guests lifecycle)", pytrace=False)
        dtb = guests.scenario_dtb(qemu_dtb, image, domains, tmp_path / f"{name}.dtb")
        # The guest-loader devices put the micro-guest where the modules say (dom0's slots).
        return {"dtb": dtb, "dom0_kernel": image, "dom0_initrd": guests.empty_initrd(IMAGES)}
    return make


def test_a_granter_that_powers_off_leaves_no_mapping_and_no_memory_behind(boot, scenario):
    run = boot.start("punt", smp=2, **scenario("granter_goes_away_while_mapped", 2))
    match, _ = run.expect(r"^\(punt\) Free memory before domains: (\d+) pages$", 60,
                          "Punt's free memory before the domains")
    before = int(match.group(1))
    for dom in (1, 2):
        match, _ = run.expect(rf"^\(d{dom}\) Test result: (\w+)$", BOOT_TIMEOUT,
                              f"d{dom}'s verdict")
        assert match.group(1) == "SUCCESS", f"d{dom}: {match.group(1)}\n{run.tail()}"
    match, _ = run.expect(r"^\(punt\) d2 destroyed: (\d+) pages free$", 60,
                          "the mapper to be destroyed last")
    after = int(match.group(1))
    assert after == before, (f"expected every page back once both domains are gone: "
                             f"{before} free before, {after} after")
    assert run.wait_exit(30) == 0, "expected QEMU to exit with 0 after the last domain"
