# SPDX-License-Identifier: Apache-2.0
"""Drive one QEMU run: start it, watch its serial console line by line, stop it for sure.

Shared by the system tests and the benchmark. Every wait has a deadline; when one is missed
the error says what was expected, what happened instead and shows the console's tail.
"""

import collections
import os
import re
import signal
import subprocess
import threading
import time

TAIL_LINES = 40
MAX_KEPT_LINES = 200000


class ConsoleError(AssertionError):
    """An expectation about the console or QEMU's exit was not met."""


class Qemu:
    """A running QEMU whose console output is collected as timestamped lines."""

    def __init__(self, argv, log_path=None):
        self.argv = list(argv)
        self.lines = collections.deque(maxlen=MAX_KEPT_LINES)  # (monotonic time, text)
        self._seen = 0  # lines ever appended; index of the next line expect() looks at
        self._cursor = 0
        self._cond = threading.Condition()
        self._eof = False
        self._log = open(log_path, "w", encoding="utf-8") if log_path else None
        self.started = time.monotonic()
        # Own session: QEMU cannot grab our terminal and its whole group can be killed.
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        return False

    def _append(self, raw):
        text = raw.decode("utf-8", "replace").rstrip("\r\n").replace("\r", "")
        with self._cond:
            self.lines.append((time.monotonic(), text))
            self._seen += 1
            self._cond.notify_all()
        if self._log:
            self._log.write(text + "\n")
            self._log.flush()

    def _read(self):
        for raw in iter(self.proc.stdout.readline, b""):
            self._append(raw)
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def _line(self, index):
        """The line with absolute index `index`, or None if it fell out of the window."""
        first = self._seen - len(self.lines)
        return self.lines[index - first] if index >= first else None

    def tail(self, n=TAIL_LINES):
        with self._cond:
            return "\n".join(text for _, text in list(self.lines)[-n:])

    def fail(self, expected, got):
        raise ConsoleError(f"expected: {expected}\n     got: {got}\n"
                           f"--- last {TAIL_LINES} console lines ---\n{self.tail()}\n"
                           f"--- end of console ---")

    def expect(self, pattern, timeout, what=None):
        """Wait for a line (after the previous match) matching regex `pattern`.

        Returns (match, seconds since QEMU started when the line arrived).
        """
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                while self._cursor < self._seen:
                    entry = self._line(self._cursor)
                    self._cursor += 1
                    if entry is None:
                        continue
                    match = regex.search(entry[1])
                    if match:
                        return match, entry[0] - self.started
                if self._eof:
                    self.fail(what or f"a line matching /{pattern}/",
                              f"QEMU exited (status {self.proc.poll()}) without it")
                left = deadline - time.monotonic()
                if left <= 0:
                    self.fail(what or f"a line matching /{pattern}/",
                              f"nothing matching within {timeout:.0f} s")
                self._cond.wait(left)

    def wait_quiet(self, quiet, timeout):
        """Wait until the console has been silent for `quiet` seconds (or QEMU ended)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._eof and time.monotonic() < deadline:
                last = self.lines[-1][0] if self.lines else self.started
                idle_left = last + quiet - time.monotonic()
                if idle_left <= 0:
                    return
                self._cond.wait(min(idle_left, max(deadline - time.monotonic(), 0.01)))

    def text_since(self, index):
        """Console text from absolute line index `index` onwards."""
        with self._cond:
            first = self._seen - len(self.lines)
            return "\n".join(t for _, t in list(self.lines)[max(index - first, 0):])

    @property
    def last_match_line(self):
        """Absolute index of the line the last expect() matched."""
        with self._cond:
            return self._cursor - 1

    @property
    def line_count(self):
        with self._cond:
            return self._seen

    def send(self, text):
        """Type `text` on the serial console."""
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def wait_exit(self, timeout):
        """Wait for QEMU to exit on its own; return its status (fail on timeout)."""
        try:
            status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.fail(f"QEMU to exit on its own within {timeout:.0f} s", "it is still running")
        self._reader.join(5)
        return status

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        self._reader.join(5)
        if self.proc.stdin:
            self.proc.stdin.close()
        if self.proc.stdout:
            self.proc.stdout.close()
        if self._log:
            self._log.close()
            self._log = None
