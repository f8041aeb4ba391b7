"""The app in a real pseudo-terminal over the hostile folder: no escape sequence from a file gets out."""

from __future__ import annotations

import fcntl
import importlib.util
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_cases import build

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("reader.ui.app") is None, reason="the app has not landed yet"
)

COLUMNS, ROWS = 160, 60
PAINT_SECONDS = 60.0  # generous: a cold start indexes the folder first on a busy CI machine


class Terminal:
    """``reader`` running on the slave side of a pty; everything it writes is kept as bytes."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.master = master
        self.output = bytearray()
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)

    def read_until(self, wanted: bytes, seconds: float) -> bool:
        """Read output until ``wanted`` appears (True) or the time is up or the app ends (False)."""
        deadline = time.monotonic() + seconds
        while wanted not in self.output:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._read_some(remaining):
                return False
        return True

    def _read_some(self, seconds: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], seconds)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the app closed the terminal
            return False
        self.output.extend(chunk)
        return bool(chunk)

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def finish(self, seconds: float) -> int:
        """Read until the app exits; return its exit status (killing it if it will not end)."""
        deadline = time.monotonic() + seconds
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read_some(0.2)
        while self._read_some(0):  # whatever is left in the pty buffer
            if not select.select([self.master], [], [], 0)[0]:
                break
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)
        return self.process.returncode


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-pty")
    build(root)
    return root


def _open(target: Path, home: Path) -> Terminal:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS),
           "READER_HOME": str(home), "LC_ALL": "C.UTF-8"}
    return Terminal([sys.executable, "-m", "reader", str(target)], env)


def _assert_nothing_injected(output: bytes) -> None:
    text = output.decode("utf-8", "replace")
    # No OSC sequence carries an injected payload (window title, hyperlink)...
    oscs = re.findall(r"\x1b\](.*?)(?:\x07|\x1b\\)", text, flags=re.DOTALL)
    assert [osc for osc in oscs if "PWNED" in osc or "evil.example" in osc] == []
    # ...no screen clear comes from a file, and no C1, bidi or NUL character is written.
    assert "\x1b[2J" not in text  # the app itself never clears this way; the files try to
    assert re.findall("[\x00\x80-\x9f\u202a-\u202e\u2066-\u2069]", text) == []


@pytest.fixture
def sessions() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for session in opened:
        if session.process.poll() is None:
            session.process.kill()
            session.process.wait()


def test_the_list_of_the_hostile_folder_injects_nothing(folder: Path, private_home: Path, sessions: list[Terminal]) -> None:
    terminal = _open(folder, private_home)
    sessions.append(terminal)
    painted = terminal.read_until(b"BOM title", PAINT_SECONDS)
    assert painted, f"the list was never drawn; output ends with {bytes(terminal.output[-300:])!r}"
    assert terminal.read_until("Title \u241b]0;PWNED-TITLE\u2407".encode(), PAINT_SECONDS)  # drawn, as text
    terminal.send(b"q")
    assert terminal.finish(30) == 0, bytes(terminal.output[-500:])
    _assert_nothing_injected(bytes(terminal.output))


def test_reading_an_article_full_of_escapes_injects_nothing(
    folder: Path, private_home: Path, sessions: list[Terminal]
) -> None:
    terminal = _open(folder / "escape_title.md", private_home)
    sessions.append(terminal)
    assert terminal.read_until(b"PWNED-TITLE", PAINT_SECONDS), bytes(terminal.output[-300:])
    terminal.send(b"\r")  # open the one article
    body = "Body \u241b]8;;https://evil.example/\u241b\\click me"
    assert terminal.read_until(body.encode(), PAINT_SECONDS), bytes(terminal.output[-300:])
    terminal.send(b"q")
    assert terminal.finish(30) == 0, bytes(terminal.output[-500:])
    _assert_nothing_injected(bytes(terminal.output))
