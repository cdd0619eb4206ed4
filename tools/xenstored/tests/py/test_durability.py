# SPDX-License-Identifier: Apache-2.0
"""Crash safety (kill -9 during a commit load) and live update with state preserved."""
import os
import random
import shutil
import threading
import time

from conftest import (BIN_FAST, XS_CONTROL, XS_READ, XS_TRANSACTION_END,
                      XS_TRANSACTION_START, XS_WATCH, XS_WATCH_EVENT, XS_WRITE, Raw)


def writer(sock, wid, acked, stop):
    """Commits transactions {n, n/twin, last} forever, reconnecting across crashes."""
    n = 0
    while not stop.is_set():
        try:
            r = Raw(sock)
            r.s.settimeout(5)
            while not stop.is_set():
                n += 1
                tx = int(r.call(XS_TRANSACTION_START, b"\x00")[3].rstrip(b"\x00"))
                base = b"/crash/w%d/" % wid
                r.call(XS_WRITE, base + b"%d\x00%d" % (n, n), tx_id=tx)
                r.call(XS_WRITE, base + b"%d/twin\x00%d" % (n, n), tx_id=tx)
                r.call(XS_WRITE, base + b"last\x00%d" % n, tx_id=tx)
                reply = r.call(XS_TRANSACTION_END, b"T\x00", tx_id=tx)
                if reply[3] == b"OK\x00":
                    acked.append(n)
        except (OSError, ConnectionError, ValueError):
            time.sleep(0.01)


def test_kill_9_during_commits_loses_no_acknowledged_transaction(daemon_factory):
    d = daemon_factory(BIN_FAST, ["--compact-bytes", "65536"]).start()
    stop = threading.Event()
    acked = {w: [] for w in range(4)}
    threads = [threading.Thread(target=writer, args=(d.sock, w, acked[w], stop))
               for w in range(4)]
    for t in threads:
        t.start()
    rng = random.Random(7)
    for _ in range(10):
        time.sleep(rng.uniform(0.1, 0.5))
        d.kill9()
        d.start()
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join(timeout=20)
    d.kill9()
    d.start()
    r = Raw(d.sock)
    total = 0
    for w, done in acked.items():
        base = b"/crash/w%d" % w
        kids = r.listdir(base)
        present = {int(k) for k in kids if k != b"last"}
        for n in done:
            assert n in present, "acknowledged commit %d of writer %d lost" % (n, w)
        for n in present:
            twin = r.call(XS_READ, base + b"/%d/twin\x00" % n)[3]
            assert twin == b"%d" % n, "half a transaction (%d of writer %d)" % (n, w)
        last = int(r.call(XS_READ, base + b"/last\x00")[3])
        assert last == max(present) and (not done or last >= max(done))
        total += len(done)
    assert total > 50, "load generator barely ran: %d commits" % total
    r.close()


def test_restart_keeps_permissions_and_domains(daemon_factory):
    d = daemon_factory(BIN_FAST).start()
    r = Raw(d.sock)
    r.call(XS_WRITE, b"/keep/me\x00v")
    r.call(14, b"/keep/me\x00r3\x00b4\x00")
    r.call(8, b"9\x0077\x003\x00")
    r.close()
    d.kill9()
    d.start()
    r = Raw(d.sock)
    assert r.call(XS_READ, b"/keep/me\x00")[3] == b"v"
    assert r.call(3, b"/keep/me\x00")[3] == b"r3\x00b4\x00"
    assert r.call(17, b"9\x00")[3] == b"T\x00"
    r.close()


def test_live_update_preserves_connections_watches_and_transactions(daemon_factory, tmp_path):
    new_bin = str(tmp_path / "xenstored-new")
    shutil.copy(BIN_FAST, new_bin)
    d = daemon_factory(BIN_FAST).start()
    pid = d.proc.pid
    a, w, ctl = Raw(d.sock), Raw(d.sock), Raw(d.sock)
    a.call(XS_WRITE, b"/lu/before\x001")
    tx = int(a.call(XS_TRANSACTION_START, b"\x00")[3].rstrip(b"\x00"))
    a.call(XS_WRITE, b"/lu/in-tx\x00t", tx_id=tx)
    w.send(XS_WATCH, b"/lu\x00tok\x00")
    assert w.recv()[3] == b"OK\x00"
    assert w.recv()[:4:3] == (XS_WATCH_EVENT, b"/lu\x00tok\x00")
    # The sequence xenstore-control live-update sends.
    assert ctl.call(XS_CONTROL, b"live-update\x00-f\x00" + new_bin.encode() + b"\x00")[3] \
        == b"OK\x00"
    assert ctl.call(XS_CONTROL, b"live-update\x00-s\x00-t\x0060\x00")[3] == b"OK\x00"
    assert os.readlink("/proc/%d/exe" % pid) == new_bin  # same process, new binary
    assert a.call(XS_READ, b"/lu/before\x00")[3] == b"1"
    assert a.call(XS_READ, b"/lu/in-tx\x00")[3] == b"ENOENT\x00"
    assert a.call(XS_READ, b"/lu/in-tx\x00", tx_id=tx)[3] == b"t"
    assert a.call(XS_TRANSACTION_END, b"T\x00", tx_id=tx)[3] == b"OK\x00"
    assert a.call(XS_READ, b"/lu/in-tx\x00")[3] == b"t"
    assert w.recv()[:4:3] == (XS_WATCH_EVENT, b"/lu/in-tx\x00tok\x00")
    for c in (a, w, ctl):
        c.close()


def test_live_update_keeps_conflict_detection_of_open_transactions(daemon_factory, tmp_path):
    new_bin = str(tmp_path / "xenstored-new")
    shutil.copy(BIN_FAST, new_bin)
    d = daemon_factory(BIN_FAST).start()
    a, b = Raw(d.sock), Raw(d.sock)
    a.call(XS_WRITE, b"/k\x000")
    tx = int(a.call(XS_TRANSACTION_START, b"\x00")[3].rstrip(b"\x00"))
    a.call(XS_READ, b"/k\x00", tx_id=tx)
    b.call(XS_CONTROL, b"live-update\x00-f\x00" + new_bin.encode() + b"\x00")
    assert b.call(XS_CONTROL, b"live-update\x00-s\x00")[3] == b"OK\x00"
    b.call(XS_WRITE, b"/k\x001")
    a.call(XS_WRITE, b"/k\x002", tx_id=tx)
    assert a.call(XS_TRANSACTION_END, b"T\x00", tx_id=tx)[3] == b"EAGAIN\x00"
    a.close()
    b.close()


def test_live_update_to_missing_binary_fails_cleanly(raw):
    r = raw()
    assert r.call(XS_CONTROL, b"live-update\x00-f\x00/nonexistent/xenstored\x00")[3] == b"OK\x00"
    reply = r.call(XS_CONTROL, b"live-update\x00-s\x00")[3]
    assert reply != b"OK\x00" and b"executable" in reply
    r.call(XS_WRITE, b"/after\x00ok")
    assert r.call(XS_READ, b"/after\x00")[3] == b"ok"
