# SPDX-License-Identifier: Apache-2.0
"""No hypercall holds a CPU: a canary domain is never kept off its CPU for more than a turn.

Two micro-guest domains share one physical CPU under -icount shift=0,sleep=off, so guest time
counts instructions and the figure does not depend on host load. One domain issues the
hostile operation of issue 11, a multicall of 512 GNTTABOP_copy batches of 512 page copies
(tests/guests/bench/stall_multicall_grant_copy.c); the other reads its counter in a tight
loop and reports its longest gap. Punt preempts the multicall between copies when its
scheduler's timer is pending and continues it as Xen does, so the canary waits one turn of
the other domain at most: never more than one scheduler slice (sched_slice_ms, 10 ms).
Before preemption the same multicall kept the canary off its CPU for the whole hypercall.
"""

import subprocess
import sys
from pathlib import Path

from conftest import REPO, punt_image

sys.path.insert(0, str(REPO / "tests" / "guests"))
import bench  # noqa: E402  (the micro-benchmark driver boots the two-domain scenario)

IMAGE = "stall_multicall_grant_copy"


def test_canary_beside_a_multicall_of_262144_page_copies_waits_at_most_one_slice(tmp_path):
    subprocess.run(["make", "-s", "-C", str(REPO / "tests" / "guests"), "benches"], check=True)
    image = bench.IMAGES / f"{IMAGE}.Image"
    logs = bench.IMAGES / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    initrd = bench.empty_initrd(bench.IMAGES)
    bench.scenario_base_dtb(initrd, logs)
    figures = bench.boot("punt", punt_image(), image, initrd, 300,
                         logs / f"{IMAGE}.punt.test.log")
    stall_ms = figures.get(IMAGE)
    assert isinstance(stall_ms, float), f"expected the canary's stall figure, got {figures}"
    assert stall_ms <= bench.SLICE_MS, (
        f"expected the canary to wait at most one scheduler slice ({bench.SLICE_MS} ms) "
        f"beside the multicall, it waited {stall_ms:.2f} ms; log {logs}/{IMAGE}.punt.test.log")
