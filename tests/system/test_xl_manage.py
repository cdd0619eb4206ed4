# SPDX-License-Identifier: Apache-2.0
"""Managing a running guest with Debian's xl, on Punt and on Xen 4.17, compared.

One boot per hypervisor (build/dom0-xl-initrd.cpio.gz, `make initramfs-xl`); dom0's init runs
the same steps on both (punt.xl=, scripts/mkinitramfs.sh): `xl create` of a guest with one
vCPU of two (vcpus=1, maxvcpus=2) whose init reports its online CPUs and MemTotal at every
change (punt.test=watch); `xl vcpu-set` to 2, 1 and 2 again, each seen by the guest (its
xenbus hot-plug takes vCPU1 down with PSCI CPU_OFF and marks it present again, and the guest's
init, as udev would, brings it up with CPU_ON); `xl mem-set` to 96 MiB (the guest's balloon
driver gives pages back with decrease_reservation; its kernel runs with cma=0, or the balloon
could only take the little memory left outside CMA) and back to 128, seen
in `xl list` and `xl info`'s free_memory; then `xl create` of bad configurations, each of
which must fail with the same xl status and error lines on both and leave no domain and no
memory behind; `xl create` of a second guest with an emulated UART (vuart = "sbsa_uart":
vuart_op, served by xenconsoled), which takes a command typed on `xl console -t vuart` and
answers there while its kernel also writes to its PV console, then its `xl destroy`;
`xl destroy` of the first, and every page of both back.
"""

import re

import pytest

import conftest
import xl_dom0

GUEST = "debian-guest"
LOG = f"/var/log/xen/console/guest-{GUEST}.log"
VUART_GUEST = "debian-guest-vuart"
STEPS = [
    ("info", "info"),
    ("create", f"create:/etc/xen/{GUEST}-watch.cfg"),
    ("wait-init", f"!punt-wait-watch:{LOG}:nproc<1>:90"),
    ("list-created", "list"),
    ("vcpu-set-2", f"vcpu-set:{GUEST}:2"),
    ("wait-cpus-2", f"!punt-wait-watch:{LOG}:cpus<0-1>:60"),
    ("list-vcpus-2", "list"),
    ("vcpu-list", "vcpu-list"),
    ("guest-console-vcpus", f"!cat:{LOG}"),
    ("vcpu-set-1", f"vcpu-set:{GUEST}:1"),
    ("wait-cpus-1", f"!punt-wait-watch:{LOG}:cpus<0>:60"),
    ("list-vcpus-1", "list"),
    ("vcpu-set-2-again", f"vcpu-set:{GUEST}:2"),
    ("wait-cpus-2-again", f"!punt-wait-watch:{LOG}:cpus<0-1>:60"),
    ("info-before-mem-set", "info"),
    ("mem-set-96", f"mem-set:{GUEST}:96"),
    ("wait-mem-96", f"!punt-wait-mem:{GUEST}:92:98:120"),
    # Given-back pages reach the free pool a moment later (Xen scrubs them; Punt waits for
    # every CPU to pass its scheduler once).
    ("settle-96", "!sleep:3"),
    ("list-96", "list"),
    ("info-96", "info"),
    ("mem-set-128", f"mem-set:{GUEST}:128"),
    ("wait-mem-128", f"!punt-wait-mem:{GUEST}:124:128:120"),
    ("list-128", "list"),
    ("info-128", "info"),
    ("bad-configs", "!punt-xl-bad"),
    # An emulated UART served by dom0's xenconsoled (vuart_op), beside the PV console.
    ("create-vuart", f"create:/etc/xen/{VUART_GUEST}.cfg"),
    ("ask-vuart", f"!punt-console-ask:{VUART_GUEST}:vuart"),
    ("pv-log-vuart", f"!cat:/var/log/xen/console/guest-{VUART_GUEST}.log"),
    ("destroy-vuart", f"destroy:{VUART_GUEST}"),
    ("destroy", f"destroy:{GUEST}"),
    ("settle", "!sleep:3"),
    ("list-end", "list"),
    ("info-end", "info"),
    ("guest-console", f"!cat:{LOG}"),
]
SMP = 2
# punt-wait-mem runs xl list once a second for up to 120 tries, each a second or two under TCG.
TIMEOUT = 420


def run_manage(hyp):
    """Boot `hyp` with the Xen userland in dom0 and run STEPS: {name: (rc, lines, run)}."""
    outputs, _daemons = xl_dom0.run_steps("xl_manage", hyp, STEPS, SMP, TIMEOUT)
    return outputs


@pytest.fixture(scope="module")
def results():
    """Both runs, one after the other (one QEMU at a time)."""
    return {hyp: run_manage(hyp) for hyp in ("punt", "xen")}


def step(results, hyp, name):
    rc, lines, run = results[hyp][name]
    if rc != 0:
        run.fail(f"{name} on {hyp} to succeed", f"exit status {rc}\n" + "\n".join(lines[-30:]))
    return lines, run


def info(results, hyp, name):
    lines, run = step(results, hyp, name)
    return {m.group(1): m.group(2).strip() for m in
            (re.match(r"^(\w+)\s+: (.*)$", line) for line in lines) if m}, run


def guest_row(results, hyp, name):
    lines, run = step(results, hyp, name)
    rows = [line.split() for line in lines if line.startswith(GUEST + " ")]
    if len(rows) != 1:
        run.fail(f"one {GUEST} row in xl list ({name}) on {hyp}", "\n".join(lines))
    # Name, ID, Mem, VCPUs.
    return rows[0][:4], run


def test_xl_info_shows_a_build_id_on_both(results):
    for hyp in ("punt", "xen"):
        fields, run = info(results, hyp, "info")
        if not re.fullmatch(r"[0-9a-f]{40}", fields.get("build_id", "")):
            run.fail(f"xl info build_id on {hyp}: a 20-byte GNU build id in hex",
                     fields.get("build_id"))


def test_xl_vcpu_set_takes_the_second_vcpu_down_and_up_in_the_guest_on_both(results):
    rows = {}
    for hyp in ("punt", "xen"):
        for name in ("wait-init", "vcpu-set-2", "wait-cpus-2", "vcpu-set-1", "wait-cpus-1",
                     "vcpu-set-2-again", "wait-cpus-2-again"):
            step(results, hyp, name)
        rows[hyp] = [guest_row(results, hyp, n)[0][3]
                     for n in ("list-created", "list-vcpus-2", "list-vcpus-1")]
    run = results["punt"]["info"][2]
    conftest.check_equal(run, "xl list's VCPUs after create, vcpu-set 2, vcpu-set 1 on Xen",
                         ["1", "2", "1"], rows["xen"])
    conftest.check_equal(run, "xl list's VCPUs on Punt (as on Xen)", rows["xen"], rows["punt"])
    for hyp in ("punt", "xen"):
        seen, run = watched(results, hyp, "cpus")
        conftest.check_equal(run, f"the guest's online CPUs, change by change, on {hyp}",
                             ["0", "0-1", "0", "0-1"], seen)


def test_xl_vcpu_list_shows_both_guests_vcpus_and_affinities_as_on_xen(results):
    rows = {}
    for hyp in ("punt", "xen"):
        lines, run = step(results, hyp, "vcpu-list")
        errors = [line for line in lines if line.startswith("libxl: error")]
        if errors:
            run.fail(f"xl vcpu-list without libxl errors on {hyp}", "\n".join(errors))
        # Name, VCPU and the affinity columns; CPU, state and time vary from run to run.
        rows[hyp] = [(w[0], w[2], " ".join(w[6:])) for w in
                     (line.split() for line in lines) if len(w) >= 7 and w[1].isdigit()]
    run = results["punt"]["vcpu-list"][2]
    conftest.check_equal(run, "xl vcpu-list's names, vCPUs and affinities on Punt (as on Xen)",
                         rows["xen"], rows["punt"])
    if len(rows["punt"]) != 4:
        run.fail("two vCPUs of dom0 and two of the guest in xl vcpu-list", rows["punt"])


def watched(results, hyp, what):
    """The guest's reports of `what` (cpus, memtotal) in its console log, repeats dropped."""
    lines, run = step(results, hyp, "guest-console")
    seen = []
    for m in (re.search(rf"PUNT-WATCH: .*{what}<([^>]*)>", line) for line in lines):
        if m and (not seen or seen[-1] != m.group(1)):
            seen.append(m.group(1))
    return seen, run


def test_xl_mem_set_balloons_the_guest_down_and_up_on_both(results):
    mems = {}
    for hyp in ("punt", "xen"):
        for name in ("mem-set-96", "wait-mem-96", "mem-set-128", "wait-mem-128"):
            step(results, hyp, name)
        mems[hyp] = [int(guest_row(results, hyp, n)[0][2])
                     for n in ("list-created", "list-96", "list-128")]
        before, run = info(results, hyp, "info-before-mem-set")
        low, _ = info(results, hyp, "info-96")
        high, _ = info(results, hyp, "info-128")
        rise = int(low["free_memory"]) - int(before["free_memory"])
        given = mems[hyp][0] - mems[hyp][1]
        if abs(rise - given) > 2:
            run.fail(f"on {hyp}: free_memory to rise by what the guest gave back ({given} MiB)",
                     f"{before['free_memory']} -> {low['free_memory']}")
        if abs(int(high["free_memory"]) - int(before["free_memory"])) > 2:
            run.fail(f"on {hyp}: free_memory back to {before['free_memory']} after mem-set 128",
                     high["free_memory"])
        # The guest's own MemTotal falls by about what it gave back, and comes back.
        seen, _ = watched(results, hyp, "memtotal")
        low_seen = min(int(m) for m in seen)
        if int(seen[0]) - low_seen < given - 4 or seen[-1] != seen[0]:
            run.fail(f"on {hyp}: the guest's MemTotal down by about {given} MiB and back", seen)
    run = results["punt"]["info"][2]
    conftest.check_equal(run, "xl list's Mem after create, mem-set 96, mem-set 128 on Punt "
                         "(as on Xen)", mems["xen"], mems["punt"])


def bad_config_results(results, hyp):
    """{config: (xl's exit status, its output with ids and addresses masked, after-line)}."""
    lines, run = step(results, hyp, "bad-configs")
    out, current, body = {}, None, []
    for line in lines:
        m = re.match(r"^PUNT-BAD: (begin|end|after) (\S+)(?: (.*))?$", line)
        if not m:
            if current:
                body.append(line)
            continue
        kind, name, rest = m.groups()
        if kind == "begin":
            current, body = name, []
        elif kind == "end":
            out[name] = [int(rest.split("=")[1]), mask(body), None]
            current = None
        else:
            out[name][2] = rest
    return out, run


# The hypervisor's and dom0's kernel messages on the shared serial line, not xl's output.
CONSOLE_NOISE = re.compile(r"^(\(punt\) |\(XEN\) |\[ *\d+\.\d+\] )")


def mask(lines):
    """What legitimately differs between two runs: domain ids, addresses, process ids."""
    masked = []
    for line in lines:
        if CONSOLE_NOISE.match(line):
            continue
        line = re.sub(r"0x[0-9a-f]+", "0xN", line)
        line = re.sub(r"(domain|Domain|domid|dom|d)( ?[:=]? ?)\d+", r"\1\2N", line)
        line = re.sub(r"\[\d+\]", "[N]", line)
        masked.append(line)
    return masked


def test_bad_configurations_fail_as_on_xen_and_leave_nothing_behind(results):
    punt, run = bad_config_results(results, "punt")
    xen, _ = bad_config_results(results, "xen")
    conftest.check_equal(run, "the bad configurations tried", sorted(xen), sorted(punt))
    if len(punt) < 7:
        run.fail("at least 7 bad configurations", sorted(punt))
    before, _ = info(results, "punt", "info-128")
    for name in sorted(punt):
        rc, lines, after = punt[name]
        if rc == 0:
            run.fail(f"xl create of bad configuration {name} to fail on Punt", lines)
        conftest.check_equal(run, f"xl create {name}: exit status and output on Punt (as on "
                             "Xen)", xen[name][:2], [rc, lines])
        # The running guest and dom0 only, and every page of the failed build back.
        conftest.check_equal(run, f"domains and free memory after {name} on Punt",
                             f"domains=2 free_memory={before['free_memory']}", after)


def test_xl_console_of_the_emulated_uart_takes_and_gives_text_on_both(results):
    for hyp in ("punt", "xen"):
        step(results, hyp, "create-vuart")
        lines, run = step(results, hyp, "ask-vuart")
        counts = [int(m.group(1)) for m in
                  (re.match(r"^xl-console-lines: (\d+)$", line) for line in lines) if m]
        if not counts or counts[0] < 1:
            run.fail(f"xl console -t vuart to show the guest's lines on {hyp}", lines)
        if "console-answer: ANSWER-42" not in lines:
            run.fail(f"the guest's answer on its emulated UART on {hyp}", lines)
        # The kernel writes to both consoles; init and its shell are on the UART only.
        pv, _ = step(results, hyp, "pv-log-vuart")
        if not any("Linux version" in line for line in pv):
            run.fail(f"the kernel's messages on the vuart guest's PV console too on {hyp}",
                     "\n".join(pv[-20:]))
        if any(line.startswith("PUNT-INIT: ") for line in pv):
            run.fail(f"init's lines on the emulated UART, not the PV console, on {hyp}",
                     "\n".join(pv[-20:]))
        step(results, hyp, "destroy-vuart")


def test_xl_destroy_gives_every_page_back_after_ballooning_on_both(results):
    for hyp in ("punt", "xen"):
        step(results, hyp, "destroy")
        lines, run = step(results, hyp, "list-end")
        if any(line.startswith(GUEST + " ") for line in lines):
            run.fail(f"{GUEST} gone after xl destroy on {hyp}", "\n".join(lines))
        first, _ = info(results, hyp, "info")
        end, _ = info(results, hyp, "info-end")
        conftest.check_equal(run, f"xl info free_memory on {hyp} at the end (as at the start)",
                             first["free_memory"], end["free_memory"])
