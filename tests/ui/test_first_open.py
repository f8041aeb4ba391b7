"""A folder never seen before: listed at once, searchable as it is built, closable mid-build.

The build runs in this process (no worker processes, so the patches reach it) and is held at
a gate between its chunks: each test decides when the next chunk may be committed, and waits
on what the app shows, never on time.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.ui.conftest import SIZE, idle, main_screen
from textual.pilot import Pilot

import reader.core.pipeline.build as build
import reader.core.pipeline.processes as processes
import reader.core.pipeline.stages as stages
import reader.core.pipeline.listing as listing
import reader.core.pipeline.sync as sync
from reader.core.index.catalog import Catalog
from reader.core.library import Library
from reader.core.paths import IndexFolder
from reader.ui.app import ReaderApp
from reader.ui.listing.article_list import ArticleList
from reader.ui.listing.status_bar import StatusBar

FILES = 40
CHUNK = 10
SPEAKERS = ["Maria Lopez", "Tom Becker", "Ana Silva", "John Park"]


def _write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for number in range(FILES):
        speaker = SPEAKERS[number % len(SPEAKERS)]
        (folder / f"{number:03}.md").write_text(
            f"---\ntitle: Harbour story {number}\ndate: 2024-03-{1 + number % 28:02}\noutlet: Gazette\n---\n\n"
            f"The harbour council met on Tuesday about story{number}. "
            f'"We will rebuild the pier before winter," said {speaker}, who chairs the council.\n',
            encoding="utf-8",
        )
    return folder


class Gate:
    """Holds the build before each chunk is committed until ``open_for`` lets it through."""

    def __init__(self) -> None:
        self._allowed = threading.Semaphore(0)
        self.passed = 0

    def open_for(self, chunks: int) -> None:
        self._allowed.release(chunks)

    def close(self) -> None:
        """Take back every passage not used yet: the next chunk waits for ``open_for`` again."""
        while self._allowed.acquire(blocking=False):
            pass

    def run_chunks(self, real: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        def gated(*arguments: Any, **options: Any) -> Iterator[Any]:
            for chunk in real(*arguments, **options):
                self._allowed.acquire()
                self.passed += 1
                yield chunk

        return gated


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return _write_corpus(tmp_path / "new-folder")


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Gate:
    gate = Gate()
    monkeypatch.setattr(sync, "LISTING_MIN_FILES", 20)  # 40 new files: listed ahead of the build
    monkeypatch.setattr(sync, "FIRST_BATCH", 5)
    monkeypatch.setattr(listing, "BATCH", 10)
    monkeypatch.setattr(build, "PARALLEL_MIN_FILES", 10_000)  # built here, where the gate is
    monkeypatch.setattr(build, "FIRST_CHUNK", CHUNK)
    monkeypatch.setattr(build, "MAX_CHUNK", CHUNK)
    monkeypatch.setattr(sync, "run_chunks", gate.run_chunks(build.run_chunks))
    return gate


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the build loads (listing a file is not building it)."""
    seen: list[Path] = []
    original = stages.load_article

    def counting(path: Path, root: Path, **options: Any) -> Any:
        seen.append(path)
        return original(path, root, **options)

    monkeypatch.setattr(stages, "load_article", counting)
    return seen


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until ``condition`` holds (the sync thread works meanwhile)."""
    for _ in range(2_000):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never happened: {what}")


def _status(pilot: Pilot[None]) -> str:
    return pilot.app.screen_stack[0].query_one(StatusBar).info


def _ranked(library: Library, query: str) -> list[tuple[str, float]]:
    """Every hit with its score, equal scores by id (a tie's order follows the segments' order,
    which differs between builds)."""
    hits = [(hit.id, round(hit.score, 9)) for hit in library.search(query, limit=None).hits]
    return sorted(hits, key=lambda hit: (-hit[1], hit[0]))


async def test_rows_show_and_search_says_how_much_is_indexed_while_the_index_is_built(
    folder: Path, gate: Gate, tmp_path: Path
) -> None:
    app = ReaderApp(folder, steady=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(pilot)
        article_list = screen.query_one(ArticleList)
        await until(pilot, lambda: article_list.row_count == FILES, "every file listed")
        assert gate.passed == 0, "the list filled before any chunk of the index was committed"
        assert screen.listing.building == (FILES, 0)
        assert _status(pilot).startswith(f"{FILES} articles")
        assert article_list.current_id == "027.md"  # newest first (28 March), the cursor at the top
        catalog = Catalog(IndexFolder.of(folder).catalog_path)
        assert catalog.counts() == (FILES, 0)
        catalog.close()

        await pilot.press("slash", *"harbour", "enter")
        await until(pilot, lambda: "searching 0 of 40 indexed" in _status(pilot), "the search says nothing is indexed")
        assert article_list.row_count == 0

        gate.open_for(1)
        await until(pilot, lambda: "searching 10 of 40 indexed" in _status(pilot), "the search runs again")
        assert article_list.row_count == CHUNK
        assert _status(pilot).startswith("10 hits for harbour")

        gate.open_for(FILES)
        await until(pilot, lambda: not screen.listing.sync_running, "the build finished")
        await idle(pilot)
        assert "searching" not in _status(pilot)
        assert article_list.row_count == FILES
        built_here = _ranked(screen.library, "harbour") + _ranked(screen.library, '"rebuild the pier" story7')

    clean = Path(shutil.copytree(folder, tmp_path / "clean-copy"))
    with Library(clean) as library:
        library.sync()
        assert built_here == _ranked(library, "harbour") + _ranked(library, '"rebuild the pier" story7')


async def test_the_rows_listed_are_kept_through_the_build_and_its_memory_is_handed_back(
    folder: Path, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each reading of the list as chunks are committed keeps the rows that did not change
    (one copy of each in memory, not one per reading); once the build is done, what its main
    role freed is handed back to the system."""
    released: list[bool] = []
    monkeypatch.setattr(processes, "release_memory", lambda: released.append(not screen.listing.opened))
    app = ReaderApp(folder, steady=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(pilot)
        await until(pilot, lambda: len(screen.summaries) == FILES, "every file listed")
        listed = dict(screen.summaries)
        gate.open_for(FILES)
        await until(pilot, lambda: not screen.listing.sync_running, "the build finished")
        await idle(pilot)
        assert screen.listing.building is None and len(screen.summaries) == FILES
        assert all(screen.summaries[article_id] is row for article_id, row in listed.items())
        assert released == [True]  # once, as the build ended (before the app was told)


async def test_an_article_not_indexed_yet_opens_with_its_quotes_and_people(folder: Path, gate: Gate) -> None:
    app = ReaderApp(folder, steady=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(pilot)
        article_list = screen.query_one(ArticleList)
        await until(pilot, lambda: article_list.row_count == FILES, "every file listed")
        await pilot.press("enter")
        await until(pilot, lambda: screen.extraction is not None, "the side panel's quotes found")
        assert gate.passed == 0
        found = screen.extraction
        assert found is not None
        assert [quote.text for quote in found.quotes] == ["We will rebuild the pier before winter,"]
        assert SPEAKERS[27 % len(SPEAKERS)] in {person.name for person in found.people}  # 027.md, the newest
        gate.open_for(FILES)
        await until(pilot, lambda: not screen.listing.sync_running, "the build finished")


async def test_quitting_mid_build_then_reopening_builds_only_what_was_left(
    folder: Path, gate: Gate, reads: list[Path], tmp_path: Path
) -> None:
    app = ReaderApp(folder, steady=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(pilot)
        gate.open_for(1)
        await until(pilot, lambda: screen.listing.building == (FILES, CHUNK), "one chunk indexed")
        await pilot.press("q")
        gate.open_for(FILES)  # the build thread, held at the gate, sees the app is closing
    await asyncio.to_thread(_wait_for_the_build_to_stop, app)
    catalog = Catalog(IndexFolder.of(folder).catalog_path)
    listed, indexed = catalog.counts()
    finished = set(reads[:indexed])
    catalog.close()
    assert listed == FILES and CHUNK <= indexed < FILES, "the quit stopped the build between chunks"
    passed_before = gate.passed

    reads.clear()
    gate.close()  # the next session's build is held before it commits anything
    again = ReaderApp(folder, steady=True)
    async with again.run_test(size=SIZE) as pilot:
        screen = main_screen(pilot)
        article_list = screen.query_one(ArticleList)
        # Every row, while nothing of this session's build is committed: from the last session.
        await until(pilot, lambda: article_list.row_count == FILES, "the list is there, from the last session")
        assert gate.passed == passed_before
        gate.open_for(FILES)
        await until(pilot, lambda: not screen.listing.sync_running, "the build finished")
        await idle(pilot)
        assert len(reads) == FILES - indexed and not finished & set(reads)
        assert screen.listing.last_sync is not None and screen.listing.last_sync.added == FILES - indexed
        assert "searching" not in _status(pilot)
        resumed = _ranked(screen.library, "harbour") + _ranked(screen.library, "pier winter")

    clean = Path(shutil.copytree(folder, tmp_path / "clean-copy"))
    with Library(clean) as library:
        library.sync()
        assert resumed == _ranked(library, "harbour") + _ranked(library, "pier winter")


def _wait_for_the_build_to_stop(app: ReaderApp) -> None:
    """The sync thread lets go of the corpus once it has stopped: take its lock, then give it back."""
    from reader.core.index.locking import CorpusLock

    lock = CorpusLock(IndexFolder.of(app.library.root).lock_path)
    lock.acquire()
    lock.release()


def test_the_status_line_says_how_much_a_search_covered_in_full_and_in_short() -> None:
    """At 80 columns the progress bar leaves little room: the short line still says it."""
    from reader.ui.listing.status_bar import describe

    full, short = describe("10 hits for harbour", 40, "relevance", searched=(10_000, 100_000))
    assert full.startswith("10 hits for harbour · searching 10,000 of 100,000 indexed · 40 unread")
    assert short.startswith("10 hits for harbour · 10,000/100,000 indexed · 40 unread")
    assert "indexed" not in describe("10 hits for harbour", 40, "relevance")[0]


def test_the_bar_says_the_index_is_being_written_once_every_file_is_read() -> None:
    """A full bar while only the first chunk is searchable would say the work is done."""
    bar = StatusBar()
    bar.progress = (4_000, 10_000)
    assert "4,000/10,000" in bar._progress_text().plain
    bar.progress = (10_000, 10_000)
    assert bar._progress_text().plain == "Indexing: writing the index…"
