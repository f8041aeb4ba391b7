"""A highlight or note is either saved for good or was never acknowledged, however the writer dies;
and writers at work at the same time lose nothing.

Writers (``annotations_writer.py``) highlight sentences in a loop, every other write merging into
the highlight before it (a delete and an insert in one transaction), and print each number once
the call returned. They are killed with SIGKILL at random moments, 200 times in all, some while
still opening (or creating, or migrating) the store. After every kill the store must be intact
and hold every acknowledged note of every earlier run exactly once, and the write in flight
whole or not at all.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reader.core.tags import TagStore
from tests.core.annotations_writer import own_article, shared_article

WRITER = Path(__file__).with_name("annotations_writer.py")
LANES = 4  # independent stores killed in parallel, to keep the test short on two cores
RUNS_PER_LANE = 50
SEED = 20261206


def run_and_kill(database: Path, prefix: str, chance: random.Random) -> list[int]:
    """Start a writer, SIGKILL it at a random moment, return the writes it acknowledged."""
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), str(database), prefix, "1000000"], stdout=subprocess.PIPE, text=True
    )
    try:
        if chance.random() < 0.2:
            time.sleep(chance.uniform(0, 0.08))  # possibly while the store is opened or created
        else:
            assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
            time.sleep(chance.uniform(0, 0.15))  # a write is two transactions, each synced to disk
    finally:
        writer.send_signal(signal.SIGKILL)
        assert writer.stdout is not None
        output = writer.stdout.read()
        writer.stdout.close()
        writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL
    complete_lines = output.split("\n")[:-1]  # a line cut short by the kill is not an acknowledgement
    return [int(line.split()[0]) for line in complete_lines if line != "ready"]


def notes_in(database: Path, prefixes: list[str]) -> Counter[str]:
    """Every note line of the writers' articles, counted, read after checking the file is intact."""
    with sqlite3.connect(database) as check:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert check.execute("PRAGMA foreign_key_check").fetchall() == []
    with TagStore(database) as store:
        refs = [own_article(prefix) for prefix in prefixes] + [shared_article()]
        found = store.annotations.annotations_for_many(refs)
    return Counter(line for annotations in found.values() for note in annotations.notes for line in note.split("\n\n"))


def kill_lane(database: Path, lane: int) -> int:
    chance = random.Random(SEED + lane)
    acknowledged: dict[str, int] = {}
    for run in range(RUNS_PER_LANE):
        prefix = f"lane{lane}run{run}"
        acks = run_and_kill(database, prefix, chance)
        assert acks == list(range(len(acks))), f"{prefix}: acknowledgements out of order"
        acknowledged[prefix] = len(acks)
        counts = notes_in(database, list(acknowledged)) if database.exists() else Counter()
        assert all(count == 1 for count in counts.values()), f"a note saved twice after {prefix} was killed"
        for earlier, done in acknowledged.items():
            for number in range(done):
                for note in (f"{earlier}-{number}", f"{earlier}-{number}-shared"):
                    assert counts[note] == 1, f"acknowledged {note} lost after {prefix} was killed"
        assert counts[f"{prefix}-{len(acks) + 1}"] == 0
    return sum(acknowledged.values())


@pytest.mark.slow
def test_killed_writers_never_lose_an_acknowledged_highlight_or_note(tmp_path: Path) -> None:
    with ThreadPoolExecutor(LANES) as pool:
        totals = list(pool.map(lambda lane: kill_lane(tmp_path / f"lane{lane}.sqlite3", lane), range(LANES)))
    assert LANES * RUNS_PER_LANE >= 200
    assert sum(totals) > 0  # the kills did land in the middle of writing, not only before it


def test_writers_at_work_at_once_lose_nothing(tmp_path: Path) -> None:
    database = tmp_path / "tags.sqlite3"
    names, writes = ("w-0", "w-1", "w-2"), 30
    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER), str(database), name, str(writes), str(len(names))],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    acks = []
    for writer in writers:
        output, _ = writer.communicate(timeout=180)
        assert writer.returncode == 0
        acks.append([line.split() for line in output.splitlines()[1:]])
    assert [[int(number) for number, _ in lines] for lines in acks] == [list(range(writes))] * 3
    # They did write at the same time: every writer's first write came before any writer's last.
    assert max(float(lines[0][1]) for lines in acks) < min(float(lines[-1][1]) for lines in acks)
    counts = notes_in(database, list(names))
    expected = {f"{name}-{n}{end}" for name in names for n in range(writes) for end in ("", "-shared")}
    assert counts == Counter(expected)
    with TagStore(database) as store:
        shared = store.annotations.annotations_for(shared_article())
        own = store.annotations.annotations_for(own_article("w-0"))
    assert len(shared.highlights) == 3 * writes
    assert len(own.highlights) == writes // 2  # each odd write merged the pair
