"""Read marks survive a SIGKILL at any moment and two instances marking the same folder at once:
every mark a writer acknowledged is on disk afterwards, whoever else was writing."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.ui.settings import load_read_marks, read_marks_path, update_read_marks

WRITER = Path(__file__).with_name("read_marks_writer.py")
RUNS = 25
SEED = 20240607


def start(root: Path, prefix: str) -> subprocess.Popen[str]:
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), str(root), prefix, "1000000"], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    return writer


def kill(writer: subprocess.Popen[str]) -> int:
    """SIGKILL the writer; how many marks it acknowledged."""
    writer.send_signal(signal.SIGKILL)
    assert writer.stdout is not None
    output = writer.stdout.read()
    writer.stdout.close()
    writer.wait(timeout=60)
    complete = output.split("\n")[:-1]  # a line cut short by the kill is no acknowledgement
    return len(complete)


@pytest.mark.slow
def test_acknowledged_marks_of_two_killed_writers_are_all_kept(tmp_path: Path) -> None:
    root = tmp_path / "news"
    chance = random.Random(SEED)
    acknowledged: dict[str, int] = {}
    for run in range(RUNS):
        writers = {f"r{run}w{lane}": start(root, f"r{run}w{lane}") for lane in range(2)}
        time.sleep(chance.uniform(0, 0.05))
        for prefix, writer in writers.items():
            acknowledged[prefix] = kill(writer)
        marks = load_read_marks(root)
        assert read_marks_path(root).exists()
        for prefix, count in acknowledged.items():
            missing = [number for number in range(count) if f"{prefix}-{number}" not in marks]
            assert not missing, f"acknowledged marks of {prefix} lost: {missing[:5]}"
    assert sum(acknowledged.values()) > RUNS  # the writers did get to write


def test_an_instance_keeps_the_marks_another_made_meanwhile(tmp_path: Path) -> None:
    root = tmp_path / "news"
    update_read_marks(root, {"a.txt": True, "b.txt": True})
    # A second instance, which loaded the marks before the first wrote, unreads b and reads c.
    update_read_marks(root, {"b.txt": False, "c.txt": True})
    assert load_read_marks(root) == {"a.txt", "c.txt"}
