"""Re-opening a folder: an unchanged one is recognised by one digest of its files' sizes and
mtimes, without reading the catalog's rows; every change is still found."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.core.index.catalog import FOLDER_DIGEST, Catalog, SkippedFile
from reader.core.library import Library
from reader.core.loader import scan_article_files
from reader.core.ordering import SQL_ORDER_BY, sort_summaries
from reader.core.paths import IndexFolder
from reader.core.pipeline.scan import scan_folder
from tests.conftest import write_text


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write_text(folder, "a.txt", "Apples in autumn\n\nThe orchard harvest of apples was early.\n")
    write_text(folder, "b.txt", "Bridges of Paris\n\nA walk along the river under old bridges.\n")
    write_text(folder, "sub/c.md", "Comets tonight\n\nAstronomers say a bright comet is coming.\n")
    write_text(folder, "empty.txt", "")  # skipped, and remembered as skipped
    return folder


@pytest.fixture
def row_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per time a sync read every catalog row to compare the folder with."""
    calls: list[int] = []
    original = Catalog.stats

    def counted(self: Catalog) -> dict[str, tuple[int, int, str]]:
        found = original(self)
        calls.append(len(found))
        return found

    monkeypatch.setattr(Catalog, "stats", counted)
    return calls


def kept_digest(corpus: Path) -> str | None:
    catalog = Catalog(IndexFolder.of(corpus.resolve()).catalog_path)
    try:
        return catalog.meta(FOLDER_DIGEST)
    finally:
        catalog.close()


def test_an_unchanged_folder_is_recognised_without_reading_the_catalog_rows(
    corpus: Path, row_reads: list[int]
) -> None:
    with Library(corpus) as library:
        library.sync()
    assert kept_digest(corpus) is not None  # kept by the build itself, not only by a later re-open
    row_reads.clear()
    with Library(corpus) as library:
        report = library.sync()
    assert row_reads == []
    assert (report.added, report.updated, report.removed, report.renamed, report.unchanged) == (0, 0, 0, 0, 3)
    assert [issue.reason for issue in report.issues if issue.skipped] == ["empty file"]


def _add(corpus: Path) -> None:
    write_text(corpus, "sub/d.txt", "Dunes\n\nWind shapes the desert dunes.\n")


def _remove(corpus: Path) -> None:
    (corpus / "a.txt").unlink()


def _rename(corpus: Path) -> None:
    (corpus / "a.txt").rename(corpus / "sub" / "apples.txt")


def _grow(corpus: Path) -> None:
    with (corpus / "b.txt").open("a", encoding="utf-8") as file:
        file.write("Cobbles too.\n")


def _same_size_new_mtime(corpus: Path) -> None:
    path = corpus / "b.txt"
    info = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Paris", "Rome!"), encoding="utf-8")
    assert path.stat().st_size == info.st_size
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1))  # one nanosecond later


def _skipped_becomes_readable(corpus: Path) -> None:
    write_text(corpus, "empty.txt", "Now full\n\nIt has words now.\n")


def _skipped_goes(corpus: Path) -> None:
    (corpus / "empty.txt").unlink()


def _folder_renamed(corpus: Path) -> None:
    (corpus / "sub").rename(corpus / "tub")


CHANGES: dict[str, tuple[Callable[[Path], None], dict[str, int]]] = {
    "added": (_add, {"added": 1, "unchanged": 3}),
    "removed": (_remove, {"removed": 1, "unchanged": 2}),
    "renamed": (_rename, {"renamed": 1, "unchanged": 2}),
    "grown": (_grow, {"updated": 1, "unchanged": 2}),
    "same size, mtime 1 ns later": (_same_size_new_mtime, {"updated": 1, "unchanged": 2}),
    "skipped file now readable": (_skipped_becomes_readable, {"added": 1, "unchanged": 3}),
    "skipped file gone": (_skipped_goes, {"unchanged": 3}),
    "folder renamed": (_folder_renamed, {"renamed": 1, "unchanged": 2}),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_is_found_on_a_reopen(corpus: Path, row_reads: list[int], change: str) -> None:
    make, expected = CHANGES[change]
    with Library(corpus) as library:
        library.sync()
        assert library.sync().unchanged == 3
    assert kept_digest(corpus) is not None
    make(corpus)
    row_reads.clear()
    with Library(corpus) as library:
        report = library.sync()
        assert row_reads  # the digest differed: the folder was compared row by row
        counts = {name: getattr(report, name) for name in ("added", "updated", "removed", "renamed", "unchanged")}
        assert counts == {"added": 0, "updated": 0, "removed": 0, "renamed": 0, "unchanged": 0} | expected
        again = library.sync()  # the change is recorded: the next one finds nothing
        assert (again.added, again.updated, again.removed, again.renamed) == (0, 0, 0, 0)
    assert kept_digest(corpus) is not None


def test_any_write_to_what_the_digest_covers_forgets_it(corpus: Path) -> None:
    with Library(corpus) as library:
        library.sync()
    catalog = Catalog(IndexFolder.of(corpus.resolve()).catalog_path)
    try:
        writes = [
            lambda db: Catalog.touch(db, [("a.txt", 1, 2)]),
            lambda db: Catalog.mark_pending(db, ["b.txt"]),
            lambda db: Catalog.delete(db, ["sub/c.md"]),
            lambda db: Catalog.put_skipped(db, [SkippedFile(corpus / "x.txt", 1, 2, "odd")]),
            lambda db: Catalog.delete_skipped(db, [corpus / "x.txt"]),
        ]
        for write_rows in writes:
            catalog.set_meta(FOLDER_DIGEST, "kept")
            with catalog.transaction() as db:
                write_rows(db)
            assert catalog.meta(FOLDER_DIGEST) is None
    finally:
        catalog.close()


def test_an_analysis_made_anew_is_filled_again_on_an_unchanged_folder(corpus: Path) -> None:
    with Library(corpus) as library:
        library.sync()
    folder = IndexFolder.of(corpus.resolve())
    analysis_files = [path for path in folder.base.iterdir() if path.name.startswith("across")]
    assert analysis_files
    for path in analysis_files:
        path.unlink()
    with Library(corpus) as library:
        library.sync()
        assert library.analysis.article_count() == 3


def test_the_scan_meets_files_in_the_loaders_order_and_with_its_refusals(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    for name in ["b.txt", "a-b/x.md", "a.md", "a/b.txt", "a/.hidden.txt", ".hid/z.txt", "é/ü.txt", "notes.csv"]:
        write_text(folder, name, "Title\n\nBody.\n")
    (folder / "link.txt").symlink_to(folder / "b.txt")
    (folder / "outside.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "a" / "loop").symlink_to(folder)
    os.mkfifo(folder / "pipe.txt")
    (folder / bytes.decode(b"odd\xff.txt", "utf-8", "surrogateescape")).write_text("T\n\nB.\n", encoding="utf-8")
    scan = scan_folder(folder, {}, set(), {})
    expected = [item[0] for item in scan_article_files(folder) if isinstance(item, tuple)]
    assert [str(job.path) for job in scan.jobs] == expected
    refusals = sorted((str(issue.path), issue.reason) for issue in scan.issues)
    loader_refusals = sorted((str(i.path), i.reason) for i in scan_article_files(folder) if not isinstance(i, tuple))
    assert refusals == loader_refusals and len(refusals) == 3
    unchanged = scan_folder(folder, None, set(), {})
    assert unchanged.unchanged == len(expected) and unchanged.digest == scan.digest
    assert [(i.path, i.reason) for i in unchanged.issues] == [(i.path, i.reason) for i in scan.issues]  # same order
    shutil.rmtree(folder / "a")
    assert scan_folder(folder, None, set(), {}).digest != scan.digest


def test_the_live_list_learns_of_changes_from_the_rows_the_sync_compared(corpus: Path, row_reads: list[int]) -> None:
    with Library(corpus) as library:
        library.sync()
        row_reads.clear()
        unchanged = library.sync_changes()
        assert not unchanged.any and row_reads == []  # no row read, before or after
        _rename(corpus)
        _grow(corpus)
        _add(corpus)
        changes = library.sync_changes()
        assert (changes.added, changes.changed, changes.removed) == (("sub/d.txt",), ("b.txt",), ())
        assert changes.renamed == (("a.txt", "sub/apples.txt"),) and changes.complete and not changes.first
        assert len(row_reads) == 2  # the rows compared by the sync, and those after it


def test_a_first_build_reads_no_rows_to_list_them_as_added(corpus: Path, row_reads: list[int]) -> None:
    with Library(corpus) as library:
        changes = library.sync_changes()
        assert changes.first and not changes.complete and changes.added == ()
        assert sum(row_reads) == 0  # (the sync compared the folder with an empty catalog)
        assert len(library.summaries()) == 3


def test_a_sync_of_given_files_reads_only_their_rows(corpus: Path, row_reads: list[int]) -> None:
    with Library(corpus) as library:
        library.sync()
        row_reads.clear()
        _grow(corpus)
        _add(corpus)
        report = library.sync(paths=[corpus / "b.txt", corpus / "sub" / "d.txt", corpus / "a.txt"])
        assert (report.updated, report.added, report.unchanged) == (1, 1, 1)
        assert row_reads == []
        assert [hit.id for hit in library.search("cobbles").hits] == ["b.txt"]


def test_names_that_are_not_ascii_or_not_utf8_give_the_catalogs_digest(tmp_path: Path, row_reads: list[int]) -> None:
    folder = tmp_path / "corpus"
    write_text(folder, "é/ü.txt", "Umlaut\n\nA folder and a file named in UTF-8.\n")
    (folder / os.fsdecode(b"odd\xff.txt")).write_text("Odd\n\nA name that is not UTF-8.\n", encoding="utf-8")
    write_text(folder, "plain.txt", "Plain\n\nAn ASCII name.\n")
    with Library(folder) as library:
        assert library.sync().added == 3
    row_reads.clear()
    with Library(folder) as library:
        assert library.sync().unchanged == 3
    assert row_reads == []


def test_a_reopen_of_an_unchanged_folder_imports_nothing_that_reads_or_builds(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(corpus) as library:
        library.sync()
    program = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from reader.core.library import Library\n"
        "with Library(Path(os.environ['REOPENED'])) as library:\n"
        "    assert library.sync().unchanged == 3\n"
        "heavy = ('yaml', 'reader.core.loader', 'reader.core.structure', 'reader.core.pipeline.build',\n"
        "         'reader.core.pipeline.listing', 'reader.core.extraction')\n"
        "print(','.join(sorted(m for m in sys.modules if m in heavy or m.startswith(tuple(h + '.' for h in heavy)))))\n"
    )
    monkeypatch.setenv("REOPENED", str(corpus))  # READER_HOME is the test's own already
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_warnings_every_sync_reports_come_from_their_own_index(corpus: Path) -> None:
    write_text(corpus, "linked.md", "---\ntitle: Linked\nurl: not a web address\n---\nA body with a bad link.\n")
    with Library(corpus) as library:
        library.sync()
    with Library(corpus) as library:
        report = library.sync()
    assert [(issue.path.name, issue.skipped) for issue in report.issues if "url" in issue.reason] == [("linked.md", False)]
    catalog = Catalog(IndexFolder.of(corpus.resolve()).catalog_path)
    try:
        plan = catalog._db.execute("EXPLAIN QUERY PLAN SELECT path, warnings FROM articles WHERE warnings != ''")
        assert "articles_warned" in str(plan.fetchall())  # not a scan of every row
    finally:
        catalog.close()


def test_the_first_screen_newest_first_is_read_from_an_index_not_sorted(corpus: Path) -> None:
    with Library(corpus) as library:
        library.sync()
        rows, count = library.first_summaries("date", 2)
        assert count == 3 and [row.id for row in rows] == [s.id for s in sort_summaries(library.summaries(), "date")][:2]
    catalog = Catalog(IndexFolder.of(corpus.resolve()).catalog_path)
    try:
        first = f"SELECT id FROM articles ORDER BY {SQL_ORDER_BY['date']} LIMIT 2"
        plan = str(catalog._db.execute(f"EXPLAIN QUERY PLAN {first}").fetchall())
        assert "articles_newest" in plan and "TEMP B-TREE" not in plan
    finally:
        catalog.close()
