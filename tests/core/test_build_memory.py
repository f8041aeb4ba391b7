"""What the process committing a build holds: SQLite's memory bounded while the chunks come."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.core.library import Library
from reader.core.pipeline import build
from reader.core.pipeline.processes import sqlite_memory_bound
from tests.conftest import write_text


def soft_heap_limit() -> int:
    """SQLite's soft heap limit in this process (0: none)."""
    db = sqlite3.connect(":memory:")
    try:
        return int(db.execute("PRAGMA soft_heap_limit").fetchone()[0])
    finally:
        db.close()


def test_the_bound_holds_inside_and_the_one_before_comes_back() -> None:
    assert soft_heap_limit() == 0
    with sqlite_memory_bound(5_000_000):
        assert soft_heap_limit() == 5_000_000
    assert soft_heap_limit() == 0


def test_a_lower_bound_already_set_is_kept() -> None:
    with sqlite_memory_bound(3_000_000):
        with sqlite_memory_bound(5_000_000):
            assert soft_heap_limit() == 3_000_000
        assert soft_heap_limit() == 3_000_000
    assert soft_heap_limit() == 0


def test_the_bound_comes_off_when_the_build_fails() -> None:
    try:
        with sqlite_memory_bound(5_000_000):
            raise OSError("disk full")
    except OSError:
        pass
    assert soft_heap_limit() == 0


def test_a_build_commits_its_chunks_under_the_bound_and_leaves_none(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    for number in range(3):
        write_text(folder, f"a{number}.md", f"# Title {number}\n\nSome words of article {number}.\n")
    bounds: list[int] = []
    library = Library(folder)
    try:
        library.sync(on_catalog=lambda listed, indexed: bounds.append(soft_heap_limit()))
    finally:
        library.close()
    assert bounds
    assert set(bounds) == {build.BUILD_SQLITE_MEMORY}
    assert soft_heap_limit() == 0
