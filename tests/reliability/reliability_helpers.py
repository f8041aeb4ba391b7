"""Running ``reader`` on hostile input with a time limit, and checking what reaches the terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

PER_FILE_SECONDS = 2.0
STARTUP_SECONDS = 10.0  # interpreter start and imports, generous for a busy CI machine
# What must never reach a terminal from file content: C0 controls but tab and newline, DEL, C1,
# bidi controls, and lone surrogates (undecodable names).
TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def run_reader(*args: str | Path, files: int, home: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``reader`` with a time limit of 2 s per file; return raw bytes so nothing is hidden."""
    return subprocess.run(
        [sys.executable, "-m", "reader", *map(str, args)],
        capture_output=True,
        timeout=STARTUP_SECONDS + PER_FILE_SECONDS * files,
        cwd=cwd,
        env={**os.environ, "READER_HOME": str(home), "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"},
    )


def assert_terminal_safe(output: bytes) -> str:
    """The output decodes as UTF-8 and holds no control, C1 or bidi character; return its text."""
    text = output.decode("utf-8").replace("\r\n", "\n")  # strict; CSV rows may end in CRLF
    found = sorted({f"U+{ord(char):04X}" for char in TERMINAL_UNSAFE.findall(text)})
    assert not found, f"terminal-unsafe characters in output: {found}"
    return text
