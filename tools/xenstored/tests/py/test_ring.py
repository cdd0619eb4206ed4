# SPDX-License-Identifier: Apache-2.0
"""The shared-ring transport on the host: a fake guest owns a memfd page laid out as
xenstore_domain_interface and two eventfds standing in for the event channel; the daemon
(--ring shm) receives them on <socket>.rings and serves the domain after INTRODUCE. Through
it, the permission model and the quotas for unprivileged domains are checked end to end."""
import mmap
import os
import select
import socket
import struct

import pytest

from conftest import (BIN, XS_DIRECTORY, XS_GET_PERMS, XS_INTRODUCE, XS_MKDIR, XS_READ,
                      XS_RELEASE, XS_SET_PERMS, XS_SET_TARGET, XS_TRANSACTION_START,
                      XS_WATCH, XS_WATCH_EVENT, XS_WRITE, Raw)

REQ, RSP, REQ_CONS, REQ_PROD, RSP_CONS, RSP_PROD, FEATURES, CONNECTION, ERROR = (
    0, 1024, 2048, 2052, 2056, 2060, 2064, 2068, 2072)


class Guest:
    def __init__(self, daemon, dom0, domid, gfn):
        self.domid = domid
        self.fd = os.memfd_create("xs-ring")
        os.ftruncate(self.fd, 4096)
        self.mm = mmap.mmap(self.fd, 4096)
        self.to_daemon = os.eventfd(0, os.EFD_NONBLOCK)
        self.from_daemon = os.eventfd(0, os.EFD_NONBLOCK)
        reg = socket.socket(socket.AF_UNIX)
        reg.connect(daemon.sock + ".rings")
        socket.send_fds(reg, [struct.pack("<Q", gfn)],
                        [self.fd, self.to_daemon, self.from_daemon])
        assert reg.recv(1) == b"\x01"
        reg.close()
        assert dom0.call(XS_INTRODUCE, b"%d\x00%d\x001\x00" % (domid, gfn))[3] == b"OK\x00"
        self.wait_event()
        assert self.get(CONNECTION) == 0

    def get(self, off):
        return struct.unpack_from("<I", self.mm, off)[0]

    def put(self, off, v):
        struct.pack_into("<I", self.mm, off, v & 0xffffffff)

    def wait_event(self, timeout=5):
        r, _, _ = select.select([self.from_daemon], [], [], timeout)
        if not r:
            raise TimeoutError("no event from the daemon")
        os.eventfd_read(self.from_daemon)

    def send_raw(self, data):
        while data:
            cons, prod = self.get(REQ_CONS), self.get(REQ_PROD)
            space = 1024 - (prod - cons)
            if not space:
                self.wait_event()
                continue
            n = min(space, len(data), 1024 - (prod % 1024))
            self.mm[REQ + prod % 1024:REQ + prod % 1024 + n] = data[:n]
            self.put(REQ_PROD, prod + n)
            os.eventfd_write(self.to_daemon, 1)
            data = data[n:]

    def recv_exact(self, n):
        out = b""
        while len(out) < n:
            cons, prod = self.get(RSP_CONS), self.get(RSP_PROD)
            if cons == prod:
                self.wait_event()
                continue
            k = min(prod - cons, n - len(out), 1024 - cons % 1024)
            out += self.mm[RSP + cons % 1024:RSP + cons % 1024 + k]
            self.put(RSP_CONS, cons + k)
            os.eventfd_write(self.to_daemon, 1)
        return out

    def send(self, typ, payload, req_id=1, tx_id=0):
        self.send_raw(struct.pack("<IIII", typ, req_id, tx_id, len(payload)) + payload)

    def recv(self):
        typ, req, tx, n = struct.unpack("<IIII", self.recv_exact(16))
        return typ, req, tx, self.recv_exact(n)

    def call(self, typ, payload, **kw):
        self.send(typ, payload, **kw)
        while True:
            r = self.recv()
            if r[0] != XS_WATCH_EVENT:
                return r[3]


@pytest.fixture
def ringd(daemon_factory):
    d = daemon_factory(BIN, ["--ring", "shm"]).start()
    dom0 = Raw(d.sock)
    for domid in (5, 6):
        home = b"/local/domain/%d" % domid
        dom0.call(XS_MKDIR, home + b"\x00")
        dom0.call(XS_SET_PERMS, home + b"\x00n%d\x00" % domid)
    yield d, dom0
    assert d.alive(), d.tail()
    dom0.close()


def test_guest_relative_paths_live_under_its_home(ringd):
    d, dom0 = ringd
    g = Guest(d, dom0, 5, 0x1000)
    assert g.call(XS_WRITE, b"data/x\x00hello") == b"OK\x00"
    assert dom0.call(XS_READ, b"/local/domain/5/data/x\x00")[3] == b"hello"
    assert g.call(XS_GET_PERMS, b"data/x\x00") == b"n5\x00"
    assert g.call(XS_READ, b"/local/domain/5/data/x\x00") == b"hello"


def test_guest_relative_watch_reports_relative_paths(ringd):
    d, dom0 = ringd
    g = Guest(d, dom0, 5, 0x1000)
    assert g.call(XS_WATCH, b"data\x00tok\x00") == b"OK\x00"
    assert g.recv()[::3] == (XS_WATCH_EVENT, b"data\x00tok\x00")
    dom0.call(XS_WRITE, b"/local/domain/5/data/y\x001")
    assert g.recv()[::3] == (XS_WATCH_EVENT, b"data/y\x00tok\x00")


def test_guest_cannot_see_or_touch_dom0_nodes(ringd):
    d, dom0 = ringd
    dom0.call(XS_WRITE, b"/secret\x00s")
    g = Guest(d, dom0, 5, 0x1000)
    assert g.call(XS_READ, b"/secret\x00") == b"EACCES\x00"
    assert g.call(XS_READ, b"/secret/missing\x00") == b"EACCES\x00"
    assert g.call(XS_WRITE, b"/secret\x00x") == b"EACCES\x00"
    assert g.call(XS_WRITE, b"/newtop\x00x") == b"EACCES\x00"
    assert g.call(XS_DIRECTORY, b"/local/domain/6\x00") == b"EACCES\x00"
    assert g.call(XS_INTRODUCE, b"9\x001\x001\x00") == b"EACCES\x00"
    dom0.call(XS_SET_PERMS, b"/secret\x00n0\x00r5\x00")
    assert g.call(XS_READ, b"/secret\x00") == b"s"
    assert g.call(XS_WRITE, b"/secret\x00x") == b"EACCES\x00"


def test_guest_may_not_give_its_node_away_or_exceed_permission_entries(ringd):
    d, dom0 = ringd
    g = Guest(d, dom0, 5, 0x1000)
    g.call(XS_WRITE, b"mine\x00")
    assert g.call(XS_SET_PERMS, b"mine\x00n6\x00") == b"EPERM\x00"
    assert g.call(XS_SET_PERMS, b"mine\x00n5\x00r1\x00r2\x00r3\x00r4\x00") == b"OK\x00"
    assert g.call(XS_SET_PERMS, b"mine\x00n5\x00r1\x00r2\x00r3\x00r4\x00r6\x00") == b"ENOSPC\x00"


def test_set_target_gives_device_model_its_targets_rights(ringd):
    d, dom0 = ringd
    g5 = Guest(d, dom0, 5, 0x1000)
    g6 = Guest(d, dom0, 6, 0x2000)
    g5.call(XS_WRITE, b"private\x00p")
    assert g6.call(XS_READ, b"/local/domain/5/private\x00") == b"EACCES\x00"
    assert dom0.call(XS_SET_TARGET, b"6\x005\x00")[3] == b"OK\x00"
    assert g6.call(XS_READ, b"/local/domain/5/private\x00") == b"p"


def test_node_count_quota_is_xens_1000_with_enospc(ringd):
    d, dom0 = ringd
    g = Guest(d, dom0, 5, 0x1000)
    created = 0
    for i in range(1100):
        # Spread over 10 directories: a parent's child list counts toward its entry size.
        r = g.call(XS_WRITE, b"n/%d/%d\x00" % (i % 10, i))
        if r != b"OK\x00":
            assert r == b"ENOSPC\x00"
            break
        created += 1
    # Domain 5 owns its home, n, n/0..n/9 and the leaves it created.
    assert created + 12 == 1000
    assert dom0.call(XS_WRITE, b"/local/domain/5/n/by-dom0\x00")[3] == b"OK\x00"


def test_entry_size_path_watch_and_transaction_quotas(ringd):
    d, dom0 = ringd
    g = Guest(d, dom0, 5, 0x1000)
    assert g.call(XS_WRITE, b"big\x00" + b"v" * 2048) == b"ENOSPC\x00"
    assert g.call(XS_WRITE, b"big\x00" + b"v" * 1900) == b"OK\x00"
    assert g.call(XS_WRITE, b"p" * 2049 + b"\x00") == b"EINVAL\x00"
    for i in range(128):
        assert g.call(XS_WATCH, b"w\x00t%d\x00" % i) == b"OK\x00"
    assert g.call(XS_WATCH, b"w\x00one-too-many\x00") == b"E2BIG\x00"
    for i in range(10):
        assert g.call(XS_TRANSACTION_START, b"\x00")[:1].isdigit()
    assert g.call(XS_TRANSACTION_START, b"\x00") == b"ENOSPC\x00"


def test_corrupt_ring_index_drops_only_that_domain(ringd):
    d, dom0 = ringd
    bad = Guest(d, dom0, 5, 0x1000)
    good = Guest(d, dom0, 6, 0x2000)
    bad.put(REQ_PROD, bad.get(REQ_CONS) + 5000)
    os.eventfd_write(bad.to_daemon, 1)
    assert good.call(XS_WRITE, b"still\x00here") == b"OK\x00"
    assert bad.get(ERROR) == 2  # XENSTORE_ERROR_RINGIDX


def test_release_disconnects_the_domain(ringd):
    d, dom0 = ringd
    g = Guest(d, dom0, 5, 0x1000)
    assert g.call(XS_WRITE, b"x\x001") == b"OK\x00"
    assert dom0.call(XS_RELEASE, b"5\x00")[3] == b"OK\x00"
    g.send(XS_READ, b"x\x00")
    with pytest.raises(TimeoutError):
        g.recv_exact(16)
