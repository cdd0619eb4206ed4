# SPDX-License-Identifier: Apache-2.0
"""dom0 boots to init under the hypervisor, sees it as Xen, sees every CPU, powers off.

Each case runs for Punt and, as a check of the harness itself, for Debian's Xen 4.17.
"""

import pytest

from conftest import BOOT_TIMEOUT, HYPERVISORS, check_equal, read_markers
import console


def cpu_list(n):
    return "0" if n == 1 else f"0-{n - 1}"


def boot_and_check_dom0(boot, hyp, smp, **options):
    run = boot.start(hyp, smp=smp, append_dom0="punt.test=poweroff", **options)
    markers = read_markers(run)
    check_equal(run, "/sys/hypervisor/type", "xen", markers["hypervisor"])
    check_equal(run, "/sys/devices/system/cpu/online", cpu_list(smp), markers["cpus-online"])
    check_equal(run, "nproc", str(smp), markers["nproc"])
    run.expect(r"^PUNT-INIT: poweroff$", 30, "init to act on punt.test=poweroff")
    status = run.wait_exit(BOOT_TIMEOUT)
    check_equal(run, "QEMU exit status after dom0 powers off", 0, status)


@pytest.mark.parametrize("smp", [1, 2, 4])
@pytest.mark.parametrize("hyp", HYPERVISORS)
def test_dom0_reaches_init_with_hypervisor_type_and_all_cpus_then_powers_off(boot, hyp, smp):
    boot_and_check_dom0(boot, hyp, smp)


@pytest.mark.parametrize("hyp", HYPERVISORS)
def test_qemu_generated_dtb_boots_unchanged(boot, hyp, qemu_dtb):
    # The same dumped DTB for both: only -kernel differs between the two runs.
    boot_and_check_dom0(boot, hyp, 2, dtb=qemu_dtb)


@pytest.mark.parametrize("hyp", HYPERVISORS)
def test_dom0_shell_answers_on_the_console(boot, hyp):
    run = boot.start(hyp, smp=1)
    read_markers(run)
    # The shell's prompt has no newline to wait for: type until the answer comes back.
    # The arithmetic makes the answer differ from the echoed command line.
    for _ in range(10):
        run.send("echo shell-says-$((6 * 7))\n")
        try:
            run.expect(r"^shell-says-42$", 3, "the dom0 shell to answer 'shell-says-42'")
            return
        except console.ConsoleError:
            continue
    run.fail("the dom0 shell to answer 'shell-says-42' within 30 s", "no answer")


@pytest.mark.parametrize("hyp", HYPERVISORS)
def test_poweroff_typed_in_the_dom0_shell_ends_qemu(boot, hyp):
    # busybox's poweroff without -f signals init (SIGUSR2), which /init must act on.
    run = boot.start(hyp, smp=1)
    read_markers(run)
    for _ in range(10):
        run.send("poweroff\n")
        try:
            run.expect(r"^PUNT-INIT: poweroff$", 3, "init to act on the shell's poweroff")
            break
        except console.ConsoleError:
            continue
    else:
        run.fail("init to print 'PUNT-INIT: poweroff' within 30 s of typing poweroff",
                 "nothing")
    status = run.wait_exit(BOOT_TIMEOUT)
    check_equal(run, "QEMU exit status after poweroff in the dom0 shell", 0, status)
