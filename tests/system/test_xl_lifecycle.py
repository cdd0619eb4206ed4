# SPDX-License-Identifier: Apache-2.0
"""Lifecycle without leaks: many guests created and destroyed through xl, on Punt and Xen 4.17.

One boot per hypervisor, dom0 with Debian's Xen 4.17 userland (`make initramfs-xl`); the same
dom0 script on both (scripts/xl-lifecycle.sh, /usr/sbin/punt-lifecycle in the image):

1. `xl info` and Punt's 'q' debug key (`xl debug-keys q`, read back with `xl dmesg`) before
   any guest;
2. destroy cycles: `xl create` of a 64 MiB guest (dom0's Debian kernel, busybox initramfs),
   then `xl destroy`: once its init has run, or at once, or one or two seconds after xl create
   returned, while its kernel is still booting (teardown races a guest mid-boot);
3. reboot cycles: the guest, configured with on_reboot="restart", runs `reboot -f` at its init
   (SCHEDOP_shutdown, reason reboot); xl's monitor destroys it and creates it again, from a
   configuration that `xl config-update` gave it before it was unpaused: the same guest whose
   init powers off; xl then destroys it (on_poweroff). Its console log must show both inits;
4. `xl info` and the 'q' key after the first cycle of each kind and after the last.

What must hold on both hypervisors: every cycle succeeds and only dom0 is left; on Xen,
`xl info`'s free_memory is the same after the last cycle of a kind as after the first. On
Punt, from its 'q' key, which counts pages exactly: no domain but dom0 is left (none dying or
dead), dom0 holds no grant or foreign mapping and no more event channels than before any
guest, and every free page lost is accounted for.

Pages that dom0 keeps, and why the test allows them: dom0's first grant mapping (xenconsoled
maps the guest's console ring) gives it its first maptrack page, kept as Xen keeps maptrack
frames; and dom0's stage-2 keeps tables. Its RAM is mapped 1:1 with 2 MiB blocks; Linux's
balloon gives frames back to lend them to the mappings of a guest's pages and takes them
again later, and the first time a block loses a frame Punt splits it into a table, which
stays when the frame returns (Xen 4.17 on Arm splits superpages and never merges them either).
Linux picks the frames, so a new block is split now and then, not only in the first cycle;
there is at most one such table per 2 MiB of dom0's RAM. The test checks that the pages lost
in the first cycle of a kind are exactly dom0's new stage-2 table and maptrack pages, that
those lost after it are exactly its new stage-2 tables, and that their number stays within
that bound.

How many cycles: every xl create builds a 64 MiB guest from a gzipped kernel, which takes dom0
seconds under TCG, and a reboot cycle builds two (on the 2-core development machine, shared,
2026-12-07: about 18 s per destroy cycle and 60 s per reboot cycle on Punt, 30-55 s and
65-160 s on Xen; 20 + 3 on Punt and 3 + 2 on Xen took 17.5 minutes). `make test` runs 4
destroy cycles (one at each of the four destroy moments) and 2 reboot cycles on Punt, 2 and 1
on Xen 4.17; `make soak-xl` runs 20 of each on both. The figures come from PUNT_XL_CYCLES and
PUNT_XL_XEN_CYCLES ("destroy,reboot", e.g. "20,20").
"""

import os
import re

import pytest

import conftest
import xl_dom0

XL_INITRD = conftest.REPO / "build" / "dom0-xl-initrd.cpio.gz"


def cycle_counts(variable, default):
    """{"destroy": n, "reboot": m} from a "n,m" environment variable."""
    text = os.environ.get(variable, default)
    try:
        destroy, reboot = (int(n) for n in text.split(","))
    except ValueError:
        pytest.fail(f"{variable}={text!r}: expected two cycle counts, 'destroy,reboot'",
                    pytrace=False)
    if destroy < 1 or reboot < 1:
        pytest.fail(f"{variable}={text!r}: at least one cycle of each kind", pytrace=False)
    return {"destroy": destroy, "reboot": reboot}


CYCLES = {"punt": cycle_counts("PUNT_XL_CYCLES", "4,2"),
          "xen": cycle_counts("PUNT_XL_XEN_CYCLES", "2,1")}
SMP = 2
BOOT_TIMEOUT = 120
# One destroy cycle takes a few seconds, a reboot cycle two guest boots: generous per cycle.
CYCLE_TIMEOUT = 150
SETTLE = ("settle", "!sleep:3")  # Punt frees a domain once every CPU has passed its scheduler


def steps(cycles):
    """The dom0 script: (name, punt.xl step) pairs."""
    out = [("info-0", "info"), ("usage-0", "!punt-lifecycle:usage")]
    for kind in ("destroy", "reboot"):
        out += [(f"{kind}-1", f"!punt-lifecycle:{kind}:1:1"), SETTLE,
                (f"info-{kind}-1", "info"), (f"usage-{kind}-1", "!punt-lifecycle:usage")]
        if cycles[kind] > 1:
            out += [(f"{kind}-rest", f"!punt-lifecycle:{kind}:2:{cycles[kind]}"), SETTLE,
                    (f"info-{kind}-n", "info"), (f"usage-{kind}-n", "!punt-lifecycle:usage")]
    out.append(("list-end", "list"))
    return out


def run_lifecycle(hyp):
    """Boot `hyp` with the Xen userland; return {step name: (rc, lines)} and the run."""
    if not XL_INITRD.is_file():
        pytest.fail(f"expected dom0's Xen userland image at {XL_INITRD}: build it with "
                    "make initramfs-xl", pytrace=False)
    script = steps(CYCLES[hyp])
    b = conftest.Boot(f"xl_lifecycle_{hyp}")
    try:
        run = b.start(hyp, smp=SMP, dom0_initrd=XL_INITRD,
                      append_dom0="punt.xl=" + ",".join(s for _, s in script)
                      + " punt.test=poweroff")
        outputs = {}
        for name, step in script:
            timeout = BOOT_TIMEOUT if name == "info-0" else 60
            if name.endswith("-rest"):
                timeout = CYCLE_TIMEOUT * CYCLES[hyp][name.split("-")[0]]
            elif name.endswith("-1") and not name.startswith(("info", "usage")):
                timeout = CYCLE_TIMEOUT
            run.expect(xl_dom0.begin_marker(step), BOOT_TIMEOUT, f"{name} to start")
            first = run.last_match_line + 1
            match, _ = run.expect(xl_dom0.end_marker(step), timeout,
                                  f"{name} to end")
            text = run.text_since(first).split("\n")[:run.last_match_line - first]
            outputs.setdefault(name, (int(match.group(1)), text))
        run.expect(r"^PUNT-INIT: poweroff$", 60, "dom0 to power off")
        run.wait_exit(60)
        return outputs, run
    finally:
        b.kill_all()


@pytest.fixture(scope="module")
def results():
    """Both runs, one after the other (one QEMU at a time)."""
    return {hyp: run_lifecycle(hyp) for hyp in ("punt", "xen")}


def step(results, hyp, name):
    outputs, run = results[hyp]
    rc, lines = outputs[name]
    if rc != 0:
        run.fail(f"{name} on {hyp} to succeed", f"exit status {rc}\n" + "\n".join(lines[-30:]))
    return lines, run


def free_memory(results, hyp, name):
    lines, run = step(results, hyp, name)
    for line in lines:
        m = re.match(r"^free_memory\s+: (\d+)$", line)
        if m:
            return int(m.group(1))
    run.fail(f"free_memory in xl info ({name}) on {hyp}", "\n".join(lines))


def usage(results, name):
    """Punt's 'q' lines from xl dmesg: ({domid: fields}, totals)."""
    lines, run = step(results, "punt", name)
    domains, total = {}, None
    for line in lines:
        m = re.match(r"^PUNT-USAGE: (d(\d+) \S+|total): (.*)$", line)
        if not m:
            continue
        fields = dict(f.split("=", 1) for f in m.group(3).split())
        fields = {k: v if k == "state" else int(v) for k, v in fields.items()}
        if m.group(2) is None:
            total = fields
        else:
            domains[int(m.group(2))] = fields
    if total is None or 0 not in domains:
        run.fail(f"Punt's 'q' key output (dom0's line and the total) in xl dmesg ({name})",
                 "\n".join(lines))
    return domains, total, run


def kinds(hyp):
    """The cycle kinds run more than once on hyp: those with a first and a last to compare."""
    return [kind for kind in ("destroy", "reboot") if CYCLES[hyp][kind] > 1]


def check_cycles_passed(results, kind, prefix):
    """Every cycle of `kind` reported "PUNT-CYCLE: PREFIX-N ok", in order, on both."""
    for hyp in ("punt", "xen"):
        names = []
        for name in (f"{kind}-1", f"{kind}-rest"):
            if name in results[hyp][0]:
                lines, run = step(results, hyp, name)
                names += re.findall(rf"^PUNT-CYCLE: ({prefix}-\d+) ok", "\n".join(lines), re.M)
        conftest.check_equal(run, f"{kind} cycles that passed on {hyp}",
                             [f"{prefix}-{i}" for i in range(1, CYCLES[hyp][kind] + 1)], names)


def test_every_create_destroy_cycle_succeeds_on_both(results):
    check_cycles_passed(results, "destroy", "lc")


def test_a_guest_that_reboots_is_restarted_by_xl_then_powers_off_on_both(results):
    check_cycles_passed(results, "reboot", "rb")


def test_only_dom0_is_left_on_both(results):
    for hyp in ("punt", "xen"):
        lines, run = step(results, hyp, "list-end")
        rows = [line.split()[:2] for line in lines if re.match(r"^\S+\s+\d+\s+\d+\s+\d+\s", line)]
        conftest.check_equal(run, f"xl list after every cycle on {hyp}", [["Domain-0", "0"]], rows)


def test_free_memory_is_the_same_after_the_last_cycle_as_after_the_first_on_xen(results):
    # On Punt the exact page count below says more than xl info's MiB.
    for kind in kinds("xen"):
        first = free_memory(results, "xen", f"info-{kind}-1")
        last = free_memory(results, "xen", f"info-{kind}-n")
        conftest.check_equal(results["xen"][1],
                             f"xl info free_memory (MiB) on Xen after {CYCLES['xen'][kind]} "
                             f"{kind} cycles (after the first: {first})", first, last)


def dom0_growth(d_before, d_after):
    """Pages dom0's stage-2 tables and maptrack gained between two 'q' answers."""
    return (d_after[0]["p2m_tables"] - d_before[0]["p2m_tables"]
            + d_after[0]["maptrack_pages"] - d_before[0]["maptrack_pages"])


def test_punt_loses_no_page_after_the_first_cycle_but_dom0s_stage2_tables(results):
    for kind in kinds("punt"):
        d1, first, run = usage(results, f"usage-{kind}-1")
        dn, last, _ = usage(results, f"usage-{kind}-n")
        conftest.check_equal(run, f"Punt's free pages lost from the first to the last {kind} "
                             f"cycle ({first['free_pages']} to {last['free_pages']}) = dom0's "
                             "new stage-2 table and maptrack pages",
                             dom0_growth(d1, dn), first["free_pages"] - last["free_pages"])
        conftest.check_equal(run, f"dom0's maptrack pages after the last {kind} cycle",
                             d1[0]["maptrack_pages"], dn[0]["maptrack_pages"])
        # At most one level-3 table per 2 MiB of dom0's RAM, plus the upper levels it had.
        usage0, _, _ = usage(results, "usage-0")
        bound = usage0[0]["p2m_tables"] + dn[0]["pages"] // 512
        if dn[0]["p2m_tables"] > bound:
            run.fail(f"dom0's stage-2 tables at most {bound} after {kind} cycles",
                     dn[0]["p2m_tables"])


def test_punt_keeps_only_dom0s_stage2_tables_and_maptrack_from_a_first_cycle(results):
    before = "usage-0"
    for kind in ("destroy", "reboot"):
        after = f"usage-{kind}-1"
        d0, t0, run = usage(results, before)
        d1, t1, _ = usage(results, after)
        kept = t0["free_pages"] - t1["free_pages"]
        grown = (d1[0]["p2m_tables"] - d0[0]["p2m_tables"]
                 + d1[0]["maptrack_pages"] - d0[0]["maptrack_pages"])
        conftest.check_equal(run, f"free pages the first {kind} cycle kept ({before} to "
                             f"{after}) = dom0's new stage-2 tables and maptrack pages",
                             grown, kept)
        before = f"usage-{kind}-n" if CYCLES["punt"][kind] > 1 else after


def test_punt_holds_nothing_towards_the_dead_domains(results):
    d0, _, _ = usage(results, "usage-0")
    for name in ("usage-destroy-1", "usage-destroy-n", "usage-reboot-1", "usage-reboot-n"):
        if name not in results["punt"][0]:
            continue
        domains, total, run = usage(results, name)
        conftest.check_equal(run, f"domains Punt still holds ({name})", [0], sorted(domains))
        conftest.check_equal(run, f"dying or dead domains ({name})", 0, total["gone"])
        dom0 = domains[0]
        for key in ("grant_maps", "revoked", "granted_out", "foreign_maps", "foreign_refs"):
            conftest.check_equal(run, f"dom0's {key} ({name})", 0, dom0[key])
        conftest.check_equal(run, f"dom0's event channels ({name}; before any guest: "
                             f"{d0[0]['evtchns']})", d0[0]["evtchns"], dom0["evtchns"])
