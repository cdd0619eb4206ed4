# SPDX-License-Identifier: Apache-2.0
"""Private xenstored instances for the tests: each gets its own socket and state directory
(XENSTORED_PATH / XENSTORED_STATE_DIR) under pytest's tmp_path; /run/xenstored is never used."""
import os
import signal
import socket
import struct
import subprocess
import time

import pytest

BIN = os.environ.get("XENSTORED_BIN") or os.path.abspath("../../../../build/xenstored/xenstored")
BIN_FAST = os.environ.get("XENSTORED_BIN_FAST") or BIN


class Daemon:
    def __init__(self, tmp_path, binary=BIN, args=()):
        self.binary = binary
        self.args = list(args)
        self.dir = tmp_path
        self.sock = str(tmp_path / "sock")
        self.state = str(tmp_path / "state")
        self.log = open(tmp_path / "xenstored.log", "ab")
        self.env = dict(os.environ, XENSTORED_PATH=self.sock, XENSTORED_STATE_DIR=self.state)
        # The sanitizer build must not mask a leak or error in the daemon as a test pass.
        self.env["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=1"
        self.proc = None

    def start(self):
        if os.path.exists(self.sock):
            os.unlink(self.sock)
        self.proc = subprocess.Popen([self.binary, "--no-fork", *self.args], env=self.env,
                                     stdout=self.log, stderr=self.log)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("xenstored exited with %d; log: %s" %
                                   (self.proc.returncode, self.tail()))
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.sock)
                s.close()
                return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("xenstored did not start; log: " + self.tail())

    def tail(self):
        self.log.flush()
        with open(self.dir / "xenstored.log", "rb") as f:
            return f.read()[-3000:].decode(errors="replace")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def run(self, *cmd, check=True):
        """Runs one of Debian's xenstore-* tools against this daemon."""
        r = subprocess.run(list(cmd), env=self.env, capture_output=True, timeout=20)
        if check and r.returncode != 0:
            raise AssertionError("%s failed (%d): %s" % (cmd, r.returncode, r.stderr))
        return r

    def client(self):
        from pyxs import Client
        c = Client(unix_socket_path=self.sock)
        c.connect()
        return c


@pytest.fixture
def daemon(tmp_path):
    d = Daemon(tmp_path).start()
    yield d
    alive = d.alive()
    d.stop()
    assert alive, "xenstored died during the test; log:\n" + d.tail()


@pytest.fixture
def daemon_factory(tmp_path):
    made = []

    def make(binary=BIN, args=()):
        d = Daemon(tmp_path, binary, args)
        made.append(d)
        return d
    yield make
    for d in made:
        d.stop()


class Raw:
    """A bare protocol client, for what well-behaved libraries will not send."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.s.settimeout(10)

    def send(self, typ, payload, req_id=1, tx_id=0, length=None):
        n = len(payload) if length is None else length
        self.s.sendall(struct.pack("<IIII", typ, req_id, tx_id, n) + payload)

    def recv_exact(self, n):
        out = b""
        while len(out) < n:
            chunk = self.s.recv(n - len(out))
            if not chunk:
                raise ConnectionError("closed")
            out += chunk
        return out

    def recv(self):
        typ, req, tx, n = struct.unpack("<IIII", self.recv_exact(16))
        return typ, req, tx, self.recv_exact(n)

    def call(self, typ, payload, **kw):
        self.send(typ, payload, **kw)
        while True:
            r = self.recv()
            if r[0] != XS_WATCH_EVENT:
                return r

    def listdir(self, path):
        """Children of path via DIRECTORY_PART, for directories over one reply."""
        names, off = [], 0
        while True:
            typ, _, _, p = self.call(XS_DIRECTORY_PART, path + b"\x00%d\x00" % off)
            if typ != XS_DIRECTORY_PART:
                raise ValueError(p)
            parts = p.split(b"\x00")[1:]
            done = p.endswith(b"\x00\x00")
            chunk = [x for x in parts if x]
            names += chunk
            off += sum(len(x) + 1 for x in chunk)
            if done:
                return names

    def close(self):
        self.s.close()


XS_CONTROL, XS_DIRECTORY, XS_READ, XS_GET_PERMS, XS_WATCH, XS_UNWATCH = 0, 1, 2, 3, 4, 5
XS_TRANSACTION_START, XS_TRANSACTION_END, XS_INTRODUCE, XS_RELEASE = 6, 7, 8, 9
XS_GET_DOMAIN_PATH, XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS, XS_WATCH_EVENT = 10, 11, 12, 13, 14, 15
XS_ERROR, XS_IS_DOMAIN_INTRODUCED, XS_RESUME, XS_SET_TARGET = 16, 17, 18, 19
XS_RESET_WATCHES, XS_DIRECTORY_PART = 21, 22


@pytest.fixture
def raw(daemon):
    conns = []

    def make():
        r = Raw(daemon.sock)
        conns.append(r)
        return r
    yield make
    for r in conns:
        r.close()
