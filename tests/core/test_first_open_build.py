"""A large folder never seen before: its files listed by the build's workers before they build
anything, a build that can be stopped between chunks, and a next sync that finishes it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

import reader.core.pipeline.build as build
import reader.core.pipeline.listing as listing
import reader.core.pipeline.sync as sync
from reader.core.index.catalog import Catalog
from reader.core.index.documents import IndexDocument
from reader.core.index.segment_writer import SegmentBuilder
from reader.core.library import Library
from reader.core.paths import IndexFolder
from reader.core.pipeline.sync import SyncStopped

FILES = 60


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "new-folder"
    root.mkdir()
    for number in range(FILES):
        (root / f"{number:03}.md").write_text(
            f"---\ntitle: Market report {number}\ndate: 2023-05-{1 + number % 28:02}\n---\n\n"
            f"Traders watched word{number} closely as the market opened. "
            f'"Prices will settle by June," said Elena Ruiz, an analyst.\n',
            encoding="utf-8",
        )
    return root


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """60 files count as many: listed ahead, five at the scan, then ten a batch; built by two
    worker processes in chunks of ten."""
    monkeypatch.setattr(sync, "LISTING_MIN_FILES", 20)
    monkeypatch.setattr(sync, "FIRST_BATCH", 5)
    monkeypatch.setattr(listing, "BATCH", 10)
    monkeypatch.setattr(build, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(build, "FIRST_CHUNK", 10)
    monkeypatch.setattr(build, "MAX_CHUNK", 10)
    monkeypatch.setattr(build, "worker_count", lambda: 2)


def _ranked(library: Library, query: str) -> list[tuple[str, float]]:
    """Every hit with its score, equal scores by id (a tie's order follows the segments' order,
    which differs between builds)."""
    hits = [(hit.id, round(hit.score, 9)) for hit in library.search(query, limit=None).hits]
    return sorted(hits, key=lambda hit: (-hit[1], hit[0]))


def _clean_build(folder: Path, copy: Path) -> dict[str, list[tuple[str, float]]]:
    with Library(Path(shutil.copytree(folder, copy))) as library:
        library.sync()
        return {query: _ranked(library, query) for query in QUERIES}


QUERIES = ["market", "word7", '"prices will settle"', "elena"]


def _live_workers() -> list[int]:
    """This process's build workers still running (Linux /proc; none elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if parent == os.getpid() and b"reader.core.pipeline.workers" in command:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.usefixtures("small_batches")
def test_the_workers_list_every_new_file_before_they_build(folder: Path, tmp_path: Path) -> None:
    counts: list[tuple[int, int]] = []
    with Library(folder) as library:
        report = library.sync(on_catalog=lambda listed, indexed: counts.append((listed, indexed)))
        assert report.added == FILES
        assert counts[0] == (5, 0), "a screenful listed while the folder was scanned"
        assert max(listed for listed, indexed in counts if indexed == 0) == FILES
        assert counts[-1] == (FILES, FILES)
        assert [indexed for _, indexed in counts] == sorted(indexed for _, indexed in counts)
        found = {query: _ranked(library, query) for query in QUERIES}
        assert library.search("market").covers_all
    assert found == _clean_build(folder, tmp_path / "clean")


@pytest.mark.usefixtures("small_batches")
def test_a_stopped_build_ends_its_workers_and_the_next_sync_finishes_it(folder: Path, tmp_path: Path) -> None:
    with Library(folder) as library:

        def stop_after_a_chunk(listed: int, indexed: int) -> None:
            if indexed:
                library.stop_sync()

        with pytest.raises(SyncStopped):
            library.sync(on_catalog=stop_after_a_chunk)
        assert _live_workers() == []
        middle = library.search("market")
        assert not middle.covers_all and middle.listed == FILES
        assert 0 < middle.indexed < FILES and middle.total == middle.indexed
    indexed = middle.indexed

    with Library(folder) as library:
        report = library.sync()
        assert (report.added, report.unchanged) == (FILES - indexed, indexed)
        found = {query: _ranked(library, query) for query in QUERIES}
        assert library.search("market").covers_all
    assert found == _clean_build(folder, tmp_path / "clean")


def test_a_listed_file_the_build_cannot_read_leaves_the_list(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync, "LISTING_MIN_FILES", 20)
    monkeypatch.setattr(sync, "FIRST_BATCH", 5)
    spoilt = folder / "042.md"
    real = listing.Listing.run_here

    def list_then_spoil(self: listing.Listing, root: Path, stop: Any) -> None:
        real(self, root, stop)
        spoilt.write_bytes(b"\x00\x01binary\x00" * 20)  # after its row was written, before it is built

    monkeypatch.setattr(listing.Listing, "run_here", list_then_spoil)
    with Library(folder) as library:
        report = library.sync()
        assert report.added == FILES - 1
        assert [issue.path.name for issue in report.issues if issue.skipped] == ["042.md"]
        assert "042.md" not in {summary.id for summary in library.summaries()}
        assert len(library.summaries()) == FILES - 1
    catalog = Catalog(IndexFolder.of(folder).catalog_path)
    assert catalog.counts() == (FILES - 1, FILES - 1)
    catalog.close()


def test_searches_before_the_first_commit_and_after_it_see_the_latest_index(tmp_path: Path) -> None:
    """A first build's index starts with no segment: searching it again and again must not fail
    (Whoosh's own refresh does, on an index with no segment), and a commit is seen at once."""
    from reader.core.index.index_files import commit, create_index
    from reader.core.index.query import parse
    from reader.core.index.searcher import SearchIndex

    index_dir = tmp_path / "index"
    index_dir.mkdir()
    ix = create_index(index_dir)
    searching = SearchIndex(index_dir)
    for query in ["harbour", "harb*", "harbour", "harbor~"]:
        assert searching.run(parse(query), 20, "relevance").hits == ()
    staging = tmp_path / "staging"
    staging.mkdir()
    segment = SegmentBuilder(staging)
    segment.add(IndexDocument(id="a.md", title="Harbour news", body="The harbour opened."))
    commit(ix, index_dir, [], staging, segment.finish())
    assert [article_id for article_id, _ in searching.run(parse("harbour"), 20, "relevance").hits] == ["a.md"]
    searching.close()


@pytest.mark.usefixtures("small_batches")
def test_the_last_chunk_comes_once_the_workers_have_ended(folder: Path, tmp_path: Path) -> None:
    """Idle workers would hold their memory while the main process commits the last chunk;
    every chunk's catalog entries come back (read from its staging folder)."""
    jobs = [build.FileJob(path, path.stat().st_size, path.stat().st_mtime_ns) for path in sorted(folder.iterdir())]
    staging = tmp_path / "staging"
    staging.mkdir()
    workers_at_each: list[int] = []
    indexed: list[str] = []
    for chunk in build.run_chunks(folder, staging, jobs, None, lambda done: None):
        workers_at_each.append(len(_live_workers()))
        indexed.extend(entry.id for entry in chunk.indexed)
        assert len(chunk.indexed) == len(list(chunk.indexed))
    assert len(workers_at_each) > 2
    assert workers_at_each[0] > 0 and workers_at_each[-1] == 0
    assert sorted(indexed) == sorted(path.name for path in folder.iterdir())
