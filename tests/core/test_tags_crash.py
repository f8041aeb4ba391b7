"""A tag is either saved for good or was never acknowledged, however the writer dies.

Writers (``tags_writer.py``) add tags in a loop and print each number once ``add`` returned;
they are killed with SIGKILL at random moments, 200 times in all, some while still opening (or
creating) the store. After every kill the store must be intact, hold every acknowledged write of
every earlier run, and hold the write in flight either whole or not at all.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reader.core.tags import TagStore

WRITER = Path(__file__).with_name("tags_writer.py")
LANES = 4  # independent stores killed in parallel, to keep the test short on two cores
RUNS_PER_LANE = 50
ARTICLES_PER_WRITE = 4  # three of the writer's own and the shared one
SEED = 20240521


def run_and_kill(database: Path, prefix: str, chance: random.Random, script: Path = WRITER) -> list[int]:
    """Start a writer, SIGKILL it at a random moment, return the writes it acknowledged."""
    writer = subprocess.Popen(
        [sys.executable, str(script), str(database), prefix, "1000000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        if chance.random() < 0.2:
            time.sleep(chance.uniform(0, 0.08))  # a random moment, possibly while opening the store
        else:
            assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
            time.sleep(chance.uniform(0, 0.04))  # a random moment of the write loop
    finally:
        writer.send_signal(signal.SIGKILL)
        # Read through the same buffered pipe as readline (communicate() would skip its buffer).
        assert writer.stdout is not None
        output = writer.stdout.read()
        writer.stdout.close()
        writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL
    complete_lines = output.split("\n")[:-1]  # a line cut short by the kill is not an acknowledgement
    return [int(line.split()[0]) for line in complete_lines if line != "ready"]


def tag_counts(database: Path) -> dict[str, int]:
    """How many articles carry each tag, read after checking the file is intact."""
    with sqlite3.connect(database) as check:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert check.execute("PRAGMA foreign_key_check").fetchall() == []
    with TagStore(database) as store:
        return dict(store.all_tags())


def kill_lane(database: Path, lane: int) -> int:
    """Kill writers on one store again and again; return how many writes were acknowledged."""
    chance = random.Random(SEED + lane)
    acknowledged: dict[str, int] = {}  # prefix -> number of writes acknowledged
    for run in range(RUNS_PER_LANE):
        prefix = f"lane{lane}run{run}"
        acks = run_and_kill(database, prefix, chance)
        assert acks == list(range(len(acks))), f"{prefix}: acknowledgements out of order"
        acknowledged[prefix] = len(acks)
        counts = tag_counts(database) if database.exists() else {}
        for earlier, done in acknowledged.items():
            for number in range(done):
                for part in "ab":
                    assert counts.get(f"{earlier}-{number}-{part}") == ARTICLES_PER_WRITE, (
                        f"acknowledged write {earlier}-{number} lost after {prefix} was killed"
                    )
        in_flight = [counts.get(f"{prefix}-{len(acks)}-{part}", 0) for part in "ab"]
        assert in_flight in ([0, 0], [ARTICLES_PER_WRITE] * 2), f"{prefix}: half a write saved"
        assert f"{prefix}-{len(acks) + 1}-a" not in counts
    return sum(acknowledged.values())


@pytest.mark.slow
def test_killed_writers_never_lose_an_acknowledged_tag(tmp_path: Path) -> None:
    with ThreadPoolExecutor(LANES) as pool:
        totals = list(pool.map(lambda lane: kill_lane(tmp_path / f"lane{lane}.sqlite3", lane), range(LANES)))
    assert LANES * RUNS_PER_LANE >= 200
    assert sum(totals) > 0  # the kills did land in the middle of writing, not only before it
