"""Dates found outside the front matter reach the catalog, the search and the timeline."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from reader.core.index.catalog import Catalog
from reader.core.library import Library
from reader.core.paths import IndexFolder

OLD_CATALOG = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    id BLOB PRIMARY KEY, path BLOB NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    fingerprint TEXT NOT NULL, title TEXT NOT NULL, date TEXT, date_text TEXT, outlet TEXT,
    author TEXT, tags TEXT NOT NULL DEFAULT '', warnings TEXT NOT NULL DEFAULT ''
);
INSERT INTO meta VALUES ('format', '4/whoosh-3.54.0');
"""


def dated_folder(root: Path, seeds: Path) -> Path:
    shutil.copytree(seeds, root)
    (root / "2020" / "09").mkdir(parents=True)
    (root / "2020" / "09" / "08-story.txt").write_text("A story\n\nNothing dates it but its path.\n")
    (root / "2020-09-09-kim.txt").write_text("Kim again\n\nMore about Kim.\n")
    (root / "wire.txt").write_text("Wire story\n\nWASHINGTON, Sept. 10, 2020 (Reuters) - Lawmakers voted.\n")
    (root / "posted.md").write_text("---\ntitle: Posted\n---\nBy Ann Lee | Updated Sept. 11, 2020\n\nText.\n")
    return root


def test_found_dates_are_catalogued_searchable_and_counted(tmp_path: Path, seeds: Path) -> None:
    root = dated_folder(tmp_path / "news", seeds)
    with Library(root) as library:
        library.sync()
        by_id = {summary.id: summary for summary in library.summaries()}
        assert by_id["wire.txt"].date == dt.date(2020, 9, 10)
        assert by_id["2020-09-09-kim.txt"].date == dt.date(2020, 9, 9)
        hits = {hit.id for hit in library.search("date:2020-09-08..2020-09-11").hits}
        assert hits == {"2020/09/08-story.txt", "2020-09-09-kim.txt", "wire.txt", "posted.md"}
        sources = library.date_sources()
        assert sources.by_source == {"front-matter": 1, "path": 2, "dateline": 1, "updated": 1}
        assert (sources.undated, sources.unreadable, sources.dated) == (4, 0, 5)
        assert library.date_sources(["wire.txt", "000_f0edc72787384ae1.txt"]).by_source == {"dateline": 1}
        timeline = library.analysis.timeline(None, "day")
        assert (timeline.dated, timeline.undated) == (5, 4)


def test_a_catalog_from_the_last_version_gains_the_column_and_is_read_again(tmp_path: Path, seeds: Path) -> None:
    root = dated_folder(tmp_path / "news", seeds)
    folder = IndexFolder.of(root)
    with sqlite3.connect(folder.catalog_path) as old:
        old.executescript(OLD_CATALOG)
    old.close()
    with Library(root) as library:
        report = library.sync()
        assert any("another version" in message for message in report.messages)
        assert library.date_sources().dated == 5
    catalog = Catalog(folder.catalog_path)
    try:
        entry = catalog.entry("wire.txt")
        assert entry is not None and entry.date_source == "dateline"
    finally:
        catalog.close()
