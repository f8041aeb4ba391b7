"""A saved search is either saved for good or was never acknowledged, however the writer dies, and
processes saving at once lose nothing (the saved searches share the tag store and its guarantees).

Writers (``saved_searches_writer.py``) save searches in a loop and print each number once the
save returned; they are killed with SIGKILL at random moments, 100 times in all, some while still
opening (or creating, or upgrading) the store. After every kill the store must be intact, hold
every acknowledged search with what it listed, and hold the one in flight whole or not at all.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reader.core.tags import TagStore
from reader.core.tags.saved_searches import SavedSearch, SavedSearches
from tests.core.saved_searches_writer import CORPUS, IDS_PER_SEARCH, ids_for
from tests.core.test_tags_crash import run_and_kill

WRITER = Path(__file__).with_name("saved_searches_writer.py")
TAGS_WRITER = Path(__file__).with_name("tags_writer.py")
LANES = 4
RUNS_PER_LANE = 25
SEED = 20261206


def saved_searches(database: Path) -> dict[str, SavedSearch]:
    """Every saved search, read after checking the file is intact."""
    with sqlite3.connect(database) as check:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert check.execute("PRAGMA foreign_key_check").fetchall() == []
    with TagStore(database) as store:
        return {search.name: search for search in SavedSearches(store, CORPUS).all()}


def kill_lane(database: Path, lane: int) -> int:
    chance = random.Random(SEED + lane)
    acknowledged: dict[str, int] = {}
    for run in range(RUNS_PER_LANE):
        prefix = f"lane{lane}run{run}"
        acks = run_and_kill(database, prefix, chance, WRITER)
        assert acks == list(range(len(acks))), f"{prefix}: acknowledgements out of order"
        acknowledged[prefix] = len(acks)
        found = saved_searches(database) if database.exists() else {}
        for earlier, done in acknowledged.items():
            for number in range(done):
                search = found.get(f"{earlier}-{number}")
                assert search is not None, f"acknowledged search {earlier}-{number} lost after {prefix} was killed"
                assert search.query == f"storm {number}" and search.seen == set(ids_for(earlier, number))
        in_flight = found.get(f"{prefix}-{len(acks)}")
        assert in_flight is None or in_flight.seen == set(ids_for(prefix, len(acks))), f"{prefix}: half a save"
        assert f"{prefix}-{len(acks) + 1}" not in found
    return sum(acknowledged.values())


@pytest.mark.slow
def test_killed_writers_never_lose_an_acknowledged_saved_search(tmp_path: Path) -> None:
    with ThreadPoolExecutor(LANES) as pool:
        totals = list(pool.map(lambda lane: kill_lane(tmp_path / f"lane{lane}.sqlite3", lane), range(LANES)))
    assert LANES * RUNS_PER_LANE >= 100
    assert sum(totals) > 0  # the kills did land in the middle of saving, not only before it


def run_writers(database: Path, commands: list[list[str]]) -> list[list[list[str]]]:
    writers = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for command in commands]
    acks = []
    for writer in writers:
        output, _ = writer.communicate(timeout=180)
        assert writer.returncode == 0
        acks.append([line.split() for line in output.splitlines()[1:]])
    return acks


def test_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    database = tmp_path / "user.sqlite3"
    names, writes = ("left", "right", "third"), 40
    acks = run_writers(
        database, [[sys.executable, str(WRITER), str(database), name, str(writes), str(len(names))] for name in names]
    )
    assert [[int(number) for number, _ in lines] for lines in acks] == [list(range(writes))] * 3
    # They did write at the same time: every writer's first save began before any writer's last.
    assert max(float(lines[0][1]) for lines in acks) < min(float(lines[-1][1]) for lines in acks)
    found = saved_searches(database)
    assert set(found) == {f"{name}-{n}" for name in names for n in range(writes)} | {"shared"}
    assert all(len(found[f"{name}-{n}"].seen or ()) == IDS_PER_SEARCH for name in names for n in range(writes))
    last = found["shared"].seen
    assert last is not None and len(last) == 1  # the last opening of the shared one, whole


def test_tags_and_saved_searches_written_at_once_share_the_store(tmp_path: Path) -> None:
    database = tmp_path / "user.sqlite3"
    acks = run_writers(
        database,
        [
            [sys.executable, str(TAGS_WRITER), str(database), "tagger", "40"],
            [sys.executable, str(WRITER), str(database), "saver", "40"],
        ],
    )
    assert [len(lines) for lines in acks] == [40, 40]
    assert len(saved_searches(database)) == 41
    with TagStore(database) as store:
        assert len(store.all_tags()) == 80
