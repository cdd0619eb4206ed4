# SPDX-License-Identifier: Apache-2.0
"""Run a script of xl commands in dom0 under Debian's Xen 4.17 userland, on Punt or on Xen.

dom0 boots with build/dom0-xl-initrd.cpio.gz (`make initramfs-xl`). Its /etc/punt.d/50-xen
starts xenstored, xen-init-dom0 and xenconsoled, then runs the steps given on the kernel
command line as punt.xl=STEP,... (an xl command with ':' for spaces, or !PROG:ARG for a shell
command), each between "PUNT-XL: begin STEP" and "PUNT-XL: end STEP rc=N" lines
(scripts/mkinitramfs.sh). Shared by the xl system tests.
"""

import re

import pytest

import conftest

XL_INITRD = conftest.REPO / "build" / "dom0-xl-initrd.cpio.gz"
# On the shared serial line a hypervisor's own line can land on one of dom0's before its
# newline (Xen 4.17's "(XEN) d1v0: vGICR: ..." once cut "PUNT-XL: begin block-list:..."
# that way): a marker is matched with such a tail too.
HYP_TAIL = r"(?:\((?:XEN|punt)\) .*)?"


def begin_marker(step):
    """The regex of the line dom0's init prints before running `step`."""
    return rf"^PUNT-XL: begin {re.escape(step)}{HYP_TAIL}$"


def end_marker(step):
    """The regex of the line after `step`, its exit status as group 1."""
    return rf"^PUNT-XL: end {re.escape(step)} rc=(\d+){HYP_TAIL}$"
DAEMONS = ("xenstored", "xen-init-dom0", "xenconsoled")


def run_steps(name, hyp, steps, smp, timeout):
    """Boot `hyp` and run `steps`, a list of (name, punt.xl step), in dom0, then power off.

    Returns ({step name: (exit status, output lines, run)}, {daemon: exit status}).
    """
    if not XL_INITRD.is_file():
        pytest.fail(f"expected dom0's Xen userland image at {XL_INITRD}: build it with "
                    "make initramfs-xl", pytrace=False)
    b = conftest.Boot(f"{name}_{hyp}")
    try:
        script = ",".join(step for _, step in steps)
        run = b.start(hyp, smp=smp, dom0_initrd=XL_INITRD,
                      append_dom0=f"punt.xl={script} punt.test=poweroff")
        daemons = {}
        for daemon in DAEMONS:
            match, _ = run.expect(rf"^PUNT-XL: {daemon} rc=(\d+)$", timeout,
                                  f"dom0's init to start {daemon}")
            daemons[daemon] = int(match.group(1))
        # What `make run` (this image) tells a user at the shell prompt.
        run.expect(r"^Xen 4\.17 toolstack ready: 'xl create -c /etc/xen/debian-guest\.cfg' "
                   r"starts the example guest", timeout, "the line saying how to start the guest")
        outputs = {}
        for step_name, step in steps:
            run.expect(begin_marker(step), timeout, f"{step_name} to start")
            first = run.last_match_line + 1
            match, _ = run.expect(end_marker(step), timeout,
                                  f"{step_name} to end")
            text = run.text_since(first).split("\n")[:run.last_match_line - first]
            outputs[step_name] = (int(match.group(1)), text, run)
        run.expect(r"^PUNT-INIT: poweroff$", timeout, "dom0 to power off")
        run.wait_exit(60)
        return outputs, daemons
    finally:
        b.kill_all()


def step(outputs, hyp, name):
    """The output lines and run of step `name`; fails the test unless it exited with 0."""
    rc, lines, run = outputs[name]
    if rc != 0:
        run.fail(f"{name} on {hyp} to succeed", f"exit status {rc}\n" + "\n".join(lines[-20:]))
    return lines, run


def domain_rows(outputs, hyp, name="list"):
    """The rows of an `xl list` step, split into words."""
    lines, run = step(outputs, hyp, name)
    rows = [line.split() for line in lines if re.match(r"^\S+\s+\d+\s+\d+\s+\d+\s", line)]
    return rows, run
