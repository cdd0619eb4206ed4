# SPDX-License-Identifier: Apache-2.0
"""PV block through Linux's in-kernel blkback, with xl's disk syntax, on Punt and on Xen 4.17.

One dom0 script (xl_dom0.run_steps) on each hypervisor: `xl create` of the image's
/etc/xen/debian-guest-disk.cfg, a guest with two disks: xvda, a 32 MiB file that libxl hands
to Debian's block hotplug script (/etc/xen/scripts/block, bash, flock), which backs it with a
loop device, and xvdb, dom0's RAM disk /dev/ram0 as a `phy:` device. Its init
(scripts/mkinitramfs.sh, 40-disk) loads blkfront, makes an ext4 file system on each disk,
writes a file of known lines and its SHA-256, unmounts it, checks it with e2fsck -f -n, and
powers the guest off; xl destroys it. Then dom0 checks both disks with e2fsck and reads the
file back from a read-only mount. The guest must see the same disks, write the same data and
dom0 read the same back on both hypervisors, and the hotplug script must release the loop
device when the guest is gone.
"""

import hashlib
import re

import pytest

import conftest
import xl_dom0

GUEST = "debian-guest-disk"
FILE_IMAGE = "/var/lib/xen/images/debian-guest-disk.img"
DISKS = {"xvda": FILE_IMAGE, "xvdb": "/dev/ram0"}
DISK_SECTORS = 32 * 1024 * 1024 // 512
STEPS = [
    ("create", f"create:/etc/xen/{GUEST}.cfg"),
    ("list-created", "list"),
    ("block-list", f"block-list:{GUEST}"),
    ("backends", "!xenstore-ls:/local/domain/0/backend/vbd"),
    ("loop-devices", "!losetup:-a"),
    ("wait-gone", f"!punt-wait-gone:{GUEST}:300"),
    ("guest-console", f"!cat:/var/log/xen/console/guest-{GUEST}.log"),
    ("list-after", "list"),
    ("loop-devices-after", "!losetup:-a"),
    ("read-xvda", f"!punt-disk-read:{FILE_IMAGE}"),
    ("read-xvdb", "!punt-disk-read:/dev/ram0"),
    ("hotplug-log", "!cat:/var/log/xen/xen-hotplug.log"),
]
SMP = 2
TIMEOUT = 360


def expected_sum(dev):
    """The SHA-256 of the file the guest writes on `dev`: lines "DEV 1" to "DEV 100000"."""
    data = "".join(f"{dev} {i}\n" for i in range(1, 100001)).encode()
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def results():
    """Both runs, one after the other (one QEMU at a time)."""
    return {hyp: xl_dom0.run_steps("xl_block", hyp, STEPS, SMP, TIMEOUT)[0]
            for hyp in ("punt", "xen")}


def guest_disk_lines(results, hyp):
    """The guest's "PUNT-DISK: " lines from its console log, without the prefix."""
    lines, run = xl_dom0.step(results[hyp], hyp, "guest-console")
    disk = [line.split("PUNT-DISK: ", 1)[1] for line in lines if "PUNT-DISK: " in line]
    return disk, run


def test_xl_create_attaches_a_file_and_a_phy_disk_on_both(results):
    for hyp in ("punt", "xen"):
        rows, run = xl_dom0.domain_rows(results[hyp], hyp, "list-created")
        conftest.check_equal(run, f"domains after xl create on {hyp}",
                             [["Domain-0", "0"], [GUEST, "1"]], [r[:2] for r in rows])
        lines, run = xl_dom0.step(results[hyp], hyp, "block-list")
        # Vdev BE handle ...: xvda and xvdb are 202:0 and 202:16, both served from dom0.
        devs = {r[0]: r for r in (line.split() for line in lines
                                  if re.match(r"^\d+\s+\d+\s", line))}
        conftest.check_equal(run, f"xl block-list's virtual devices on {hyp}",
                             ["51712", "51728"], sorted(devs))
        for vdev, row in devs.items():
            conftest.check_equal(run, f"backend domain of {vdev} on {hyp}", "0", row[1])


def test_the_hotplug_script_connects_both_disks_on_both(results):
    for hyp in ("punt", "xen"):
        lines, run = xl_dom0.step(results[hyp], hyp, "backends")
        # xenstore-ls indents each level by one space: vbd/DOMID/VDEV/key = "value".
        got = {}
        vdev = None
        for line in lines:
            m = re.match(r"^ (\d+) = ", line)
            if m:
                vdev = m.group(1)
            m = re.match(r'^  (hotplug-status|physical-device-path) = "(.*)"', line)
            if m and vdev:
                got[f"{vdev} {m.group(1)}"] = m.group(2)
        # The file's loop device is the first free one: dom0 uses none of its own.
        conftest.check_equal(run, f"the block script's results in xenstore on {hyp}",
                             {"51712 hotplug-status": "connected",
                              "51712 physical-device-path": "/dev/loop0",
                              "51728 hotplug-status": "connected",
                              "51728 physical-device-path": "/dev/ram0"}, got)


def test_the_hotplug_script_backs_the_file_with_a_loop_device_and_frees_it(results):
    for hyp in ("punt", "xen"):
        lines, run = xl_dom0.step(results[hyp], hyp, "loop-devices")
        if not any(FILE_IMAGE in line for line in lines):
            run.fail(f"a loop device on {FILE_IMAGE} while the guest runs on {hyp}",
                     "\n".join(lines))
        lines, run = xl_dom0.step(results[hyp], hyp, "loop-devices-after")
        conftest.check_equal(run, f"loop devices once the guest is gone on {hyp}", [],
                             [line for line in lines if line.strip()])


def test_the_guest_sees_both_disks_and_makes_and_checks_ext4_on_them_on_both(results):
    want = []
    for dev in DISKS:
        want += [f"{dev} sectors={DISK_SECTORS}", f"{dev} mkfs rc=0", f"{dev} mount rc=0",
                 f"{dev} sum={expected_sum(dev)}", f"{dev} umount rc=0", f"{dev} fsck rc=0"]
    want.append("done")
    for hyp in ("punt", "xen"):
        disk, run = guest_disk_lines(results, hyp)
        got = [line for line in disk if not line.startswith("fsck: ")]
        conftest.check_equal(run, f"the guest's disk report on {hyp}", want, got)
        clean = [line for line in disk if re.search(r"fsck: .*: \d+/\d+ files", line)]
        conftest.check_equal(run, f"e2fsck's summaries in the guest on {hyp}", 2, len(clean))


def test_the_guest_powers_off_and_xl_destroys_it_on_both(results):
    for hyp in ("punt", "xen"):
        xl_dom0.step(results[hyp], hyp, "wait-gone")
        rows, run = xl_dom0.domain_rows(results[hyp], hyp, "list-after")
        conftest.check_equal(run, f"domains once the guest powered off on {hyp}",
                             [["Domain-0", "0"]], [r[:2] for r in rows])


def test_dom0_reads_back_what_the_guest_wrote_on_both(results):
    for hyp in ("punt", "xen"):
        for dev in DISKS:
            lines, run = xl_dom0.step(results[hyp], hyp, f"read-{dev}")
            fields = dict(line.split("=", 1) for line in lines
                          if re.match(r"^(fsck rc|data|sum|lines)=", line))
            conftest.check_equal(run, f"dom0's e2fsck, data, sum and lines of {dev} on {hyp}",
                                 {"fsck rc": "0", "data": expected_sum(dev),
                                  "sum": expected_sum(dev), "lines": "100000"}, fields)
