# SPDX-License-Identifier: Apache-2.0
"""Hostile clients get an error or lose their own connection; the daemon and everyone else
carry on."""
import os
import socket
import struct
import time

from conftest import (XS_DIRECTORY, XS_ERROR, XS_READ, XS_TRANSACTION_START, XS_WATCH,
                      XS_WATCH_EVENT, XS_WRITE, Raw)


def still_serves(daemon):
    r = Raw(daemon.sock)
    r.call(XS_WRITE, b"/alive\x00yes")
    ok = r.call(XS_READ, b"/alive\x00")[3] == b"yes"
    r.close()
    return ok


def test_oversized_length_closes_only_that_connection(daemon, raw):
    bystander, bad = raw(), raw()
    bad.send(XS_READ, b"", length=4097)
    assert bad.s.recv(100) == b""  # closed by the daemon
    assert bystander.call(XS_DIRECTORY, b"/\x00")[0] == XS_DIRECTORY
    assert still_serves(daemon)


def test_truncated_message_then_hangup_is_harmless(daemon, raw):
    r = raw()
    r.s.sendall(struct.pack("<IIII", XS_WRITE, 1, 0, 100) + b"/half")
    r.close()
    r2 = raw()
    r2.s.sendall(b"\x02\x00\x00")  # not even a header
    r2.close()
    assert still_serves(daemon)


def test_missing_nul_and_bad_arguments_get_einval(raw):
    r = raw()
    assert r.call(XS_READ, b"/no-terminator")[3] == b"EINVAL\x00"
    assert r.call(XS_READ, b"")[3] == b"EINVAL\x00"
    assert r.call(XS_READ, b"/a\x00/b\x00")[3] == b"EINVAL\x00"
    assert r.call(XS_WRITE, b"/no-value-separator")[3] == b"EINVAL\x00"
    assert r.call(XS_WATCH, b"/only-path\x00")[3] == b"EINVAL\x00"
    assert r.call(XS_READ, b"/bad//path\x00")[3] == b"EINVAL\x00"
    assert r.call(XS_READ, b"/trailing/\x00")[3] == b"EINVAL\x00"
    assert r.call(XS_READ, b"/sp ace\x00")[3] == b"EINVAL\x00"
    assert r.call(XS_WRITE, b"/" + b"a" * 3100 + b"\x00v")[3] == b"EINVAL\x00"
    assert r.call(XS_READ, b"/x\x00", tx_id=42)[3] == b"ENOENT\x00"  # no such transaction
    assert r.call(XS_TRANSACTION_START, b"\x00", tx_id=42)[3] == b"EBUSY\x00"


def test_random_garbage_does_not_hurt_others(daemon, raw):
    for seed in range(20):
        r = raw()
        try:
            r.s.sendall(os.urandom(64 + seed * 97))
        except OSError:
            pass
        r.close()
    assert still_serves(daemon)


def test_flood_of_unread_requests_is_bounded(daemon, raw):
    flooder = raw()
    flooder.s.setblocking(False)
    msg = struct.pack("<IIII", XS_DIRECTORY, 1, 0, 2) + b"/\x00"
    sent = 0
    deadline = time.time() + 3
    while time.time() < deadline and sent < 200000:
        try:
            sent += flooder.s.send(msg * 64) // len(msg)
        except BlockingIOError:
            break  # the daemon stopped reading us: exactly the point
    before = daemon.rss_kib()
    assert still_serves(daemon)
    time.sleep(0.2)
    # The daemon stops taking requests from a client that does not read its replies, so its
    # memory does not grow with the flood.
    assert daemon.rss_kib() - before < 16 * 1024, (before, daemon.rss_kib())


def test_watch_storm_on_a_client_that_never_reads(daemon, raw):
    lazy, writer = raw(), raw()
    # Long tokens make every event about 2 KiB: the storm queues far more than the daemon's
    # 16 MiB limit for a client of its socket (a privileged one).
    for i in range(50):
        lazy.send(XS_WATCH, b"/storm\x00tok%d" % i + b"." * 2000 + b"\x00", req_id=i)
    payload = b"x" * 2000
    t0 = time.time()
    for i in range(3000):
        writer.call(XS_WRITE, b"/storm/k%d\x00" % (i % 10) + payload)
    # Writers are never stalled by a slow watcher.
    assert time.time() - t0 < 60
    assert still_serves(daemon)
    # The lazy client's queue hit the limit and it was dropped: reading drains what was queued,
    # then the daemon's close shows as EOF (or a reset). A read that times out instead means
    # the connection is still open: the client was not dropped.
    lazy.s.settimeout(5)
    total, closed = 0, None
    deadline = time.time() + 60
    while closed is None and time.time() < deadline:
        try:
            chunk = lazy.s.recv(1 << 20)
        except ConnectionResetError:
            closed = "reset"
            break
        except socket.timeout:
            break
        if not chunk:
            closed = "EOF"
        total += len(chunk)
    assert closed, f"the lazy client is still connected after reading {total} bytes"
    assert total < 64 << 20


def test_many_connections_come_and_go(daemon):
    for _ in range(200):
        r = Raw(daemon.sock)
        r.send(XS_READ, b"/\x00")
        r.close()
    assert still_serves(daemon)


def test_watch_event_type_from_client_is_rejected(raw):
    r = raw()
    assert r.call(XS_WATCH_EVENT, b"/x\x00t\x00")[:4:3] == (XS_ERROR, b"ENOSYS\x00")
