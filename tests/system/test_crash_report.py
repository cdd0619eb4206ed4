# SPDX-License-Identifier: Apache-2.0
"""A fault Punt takes at EL2 ends in a crash report a developer can work from."""

import re

from conftest import BOOT_TIMEOUT

HEX = r"(?:0x)?([0-9a-fA-F]{1,16})\b"
ESR_EC_DABT_CUR = 0x25  # Arm ARM D17.2.37: data abort taken without a change in EL


def register(report, name):
    match = re.search(rf"\b{name}\b\s*[:=]?\s*{HEX}", report)
    return int(match.group(1), 16) if match else None


def test_el2_data_abort_prints_registers_and_backtrace(boot):
    run = boot.start("punt", smp=2, append_hyp="punt.crashtest=1")
    match, _ = run.expect(r"Unexpected EL2 exception.*", BOOT_TIMEOUT,
                          "an 'Unexpected EL2 exception' report for punt.crashtest=1")
    first = run.last_match_line
    if "CPU" not in match.group(0):
        run.fail("the report's first line to name the CPU", match.group(0))
    run.expect(r"Backtrace:", 30, "a 'Backtrace:' section in the crash report")
    run.wait_quiet(2, 30)
    # Lines keep arriving while we match, so find the report's start in the whole console.
    text = run.text_since(0)
    report = text[text.rindex("Unexpected EL2 exception"):]

    missing = [r for r in ["ESR", "FAR", "ELR"] + [f"x{i}" for i in range(31)]
               if register(report, r) is None]
    if missing:
        run.fail("ESR, FAR, ELR and x0..x30, each with a hex value",
                 f"no value for {', '.join(missing)}")
    ec = register(report, "ESR") >> 26
    if ec != ESR_EC_DABT_CUR:
        run.fail(f"ESR.EC {ESR_EC_DABT_CUR:#x} (data abort at EL2)", f"{ec:#x}")
    trace = report[report.index("Backtrace:"):]
    if not re.search(r"[0-9a-fA-F]{8,16}", trace):
        run.fail("at least one code address after 'Backtrace:'", trace[:200])
