"""The catalog: one SQLite row per indexed article, next to the index, in the cache folder.

It answers three questions without touching Whoosh or the files: what the list shows at
start-up (title, date, outlet, author, the user's tags, how many highlights and notes), which
files changed since the last sync (size and mtime first, the content fingerprint to confirm),
and which files were skipped
and why (so an unchanged broken file is not read again just to say so).

It also keeps each article's text, compressed, for result snippets: measured on the benchmark
corpus, loading an article file again costs 0.4-0.7 ms and unpacking the stored text 0.03 ms,
which is most of the time of a top-20 search. The stored text is about 45% of the text's size.

A row is written in the same step as the index commit that holds its document; the ``dirty``
flag marks the window between the two, so a sync killed inside it is repaired on the next run.
On a first open, rows come earlier: a quick first pass lists every new file (``put_listed``,
``indexed`` 0) so the list fills long before the index is built; the build then replaces each
row with the full one (``put``, ``indexed`` 1). Rows still waiting are what the next sync
builds first, without listing them again (``pending``).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.core.dates import date_from_iso, date_to_iso
from reader.core.models import ArticleSummary, DateSources, name_from_bytes, name_to_bytes
from reader.core.ordering import SQL_ORDER_BY
from reader.core.sqlite_access import for_keys, immediate_transaction, journal_mode_wal

_SEPARATOR = "\x1f"  # joins tags and warnings in one column; never part of a tag or a warning

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id BLOB PRIMARY KEY,  -- ids and paths are stored as bytes (see ``key``)
    path BLOB NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT,
    date_text TEXT,
    outlet TEXT,
    author TEXT,
    tags TEXT NOT NULL DEFAULT '',
    warnings TEXT NOT NULL DEFAULT '',
    date_source TEXT,  -- where the date was found (dates.DATE_SOURCES)
    highlights INTEGER NOT NULL DEFAULT 0,  -- the user's highlights and notes, as indexed
    notes INTEGER NOT NULL DEFAULT 0,
    annotation_digest TEXT NOT NULL DEFAULT '',
    indexed INTEGER NOT NULL DEFAULT 1  -- 0: listed by the first pass, not yet in the index
);
CREATE TABLE IF NOT EXISTS texts (
    id BLOB PRIMARY KEY,
    body_start INTEGER NOT NULL,
    text BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS skipped (
    path BLOB PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    reason TEXT NOT NULL
);
"""
FOLDER_DIGEST = "folder_digest"
"""Meta key: the digest of every file's (id, size, mtime) as the catalog knows it (``file_states``),
stored by a sync that compared it all; a re-open whose folder gives the same digest has nothing
to read. Any change to what it covers deletes it (the triggers below), whoever writes."""
_FOLDER_EVENTS = {
    f"{table}_{event.split()[0].lower()}_forgets_digest": (table, event)
    for table, events in (
        ("articles", ("INSERT", "DELETE", "UPDATE OF id, path, size, mtime_ns, indexed")),
        ("skipped", ("INSERT", "DELETE", "UPDATE")),
    )
    for event in events
}
_FOLDER_TRIGGERS = "".join(
    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table}"
    f" BEGIN DELETE FROM meta WHERE key = '{FOLDER_DIGEST}'; END;\n"
    for name, (table, event) in _FOLDER_EVENTS.items()
)
# Rows waiting for the build: a partial index, empty (and free to ask) once everything is indexed.
_PENDING_INDEX = "CREATE INDEX IF NOT EXISTS articles_pending ON articles(indexed) WHERE NOT indexed"
# Rows with warnings (a few): every sync reports them, and without it that reads every row.
_WARNED_INDEX = "CREATE INDEX IF NOT EXISTS articles_warned ON articles(indexed) WHERE warnings != ''"
# The list's first screen in its default order (newest first), read at every start and re-open:
# without it, SQLite sorts every row to return 50.
_NEWEST_INDEX = f"CREATE INDEX IF NOT EXISTS articles_newest ON articles({SQL_ORDER_BY['date']})"
_COLUMNS = (
    "id, path, size, mtime_ns, fingerprint, title, date, date_text, outlet, author, tags, warnings, date_source,"
    " highlights, notes, annotation_digest"
)
_PUT_INDEXED = (  # an update in place of a row listed ahead: a fifth cheaper than REPLACE's delete and insert
    f"INSERT INTO articles ({_COLUMNS}, indexed) VALUES ({', '.join('?' * 16)}, 1) ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in _COLUMNS.split(", ")[1:])
    + ", indexed = 1"
)
_ADDED_COLUMNS = (
    ("date_source", "TEXT"),
    ("highlights", "INTEGER NOT NULL DEFAULT 0"),
    ("notes", "INTEGER NOT NULL DEFAULT 0"),
    ("annotation_digest", "TEXT NOT NULL DEFAULT ''"),
    ("indexed", "INTEGER NOT NULL DEFAULT 1"),
)
"""Columns a catalog made by an earlier version lacks; added when it is opened (the index
format changed with them, so the rows are written again by the rebuild that follows)."""


class CatalogError(Exception):
    """The catalog file is damaged or not a catalog; the caller rebuilds it."""


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One indexed article as the catalog knows it; also a tag-store reference (path, fingerprint)."""

    id: str
    path: Path
    size: int
    mtime_ns: int
    fingerprint: str
    title: str
    date: dt.date | dt.datetime | None = None
    date_text: str | None = None
    outlet: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()  # the user's tags, as last written to the index
    warnings: tuple[str, ...] = ()  # what the loader worked around in this file
    date_source: str | None = None  # where the date was found (``dates.DATE_SOURCES``)
    highlights: int = 0  # the user's highlights and notes, as last written to the index
    notes: int = 0
    annotation_digest: str = ""  # ``Annotations.digest``: "" when there are none


@dataclass(frozen=True, slots=True)
class SkippedFile:
    path: Path
    size: int
    mtime_ns: int
    reason: str


def pack_text(text: str) -> bytes:
    """An article's text compressed for the catalog (fast level: it is unpacked per snippet)."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def join(values: Iterable[str]) -> str:
    return _SEPARATOR.join(values)


def split(text: str) -> tuple[str, ...]:
    return tuple(text.split(_SEPARATOR)) if text else ()


def _summary(row: Sequence[Any], before: ArticleSummary | None) -> ArticleSummary:
    """The list row of a stored row: ``before`` when it holds just that."""
    tags = split(row[7])
    return before if before is not None and before.is_stored(row, tags) else ArticleSummary.from_stored(row, tags)


key = name_to_bytes  # an id or a path as stored
unkey = name_from_bytes


def entry_from_row(row: Sequence[Any]) -> CatalogEntry:
    return CatalogEntry(
        id=unkey(row[0]),
        path=Path(unkey(row[1])),
        size=row[2],
        mtime_ns=row[3],
        fingerprint=row[4],
        title=row[5],
        date=date_from_iso(row[6]),
        date_text=row[7],
        outlet=row[8],
        author=row[9],
        tags=split(row[10]),
        warnings=split(row[11]),
        date_source=row[12],
        highlights=row[13],
        notes=row[14],
        annotation_digest=row[15],
    )


def _row_of(entry: CatalogEntry) -> tuple[Any, ...]:
    return (
        key(entry.id),
        key(entry.path),
        entry.size,
        entry.mtime_ns,
        entry.fingerprint,
        entry.title,
        date_to_iso(entry.date),
        entry.date_text,
        entry.outlet,
        entry.author,
        join(entry.tags),
        join(entry.warnings),
        entry.date_source,
        entry.highlights,
        entry.notes,
        entry.annotation_digest,
    )


def _casefold(text: str | None) -> str | None:
    return text.casefold() if isinstance(text, str) else text


class Catalog:
    """The SQLite catalog of one corpus; safe to share between threads of one process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, timeout=60, isolation_level=None)
            journal_mode_wal(self._db, 60)  # another process may be making the same new catalog
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.create_function("casefold", 1, _casefold, deterministic=True)
            self._db.executescript(_TABLES)
            self._add_missing_columns()
            self._db.execute(_PENDING_INDEX)
            self._db.execute(_WARNED_INDEX)
            self._db.execute(_NEWEST_INDEX)
            self._add_folder_triggers()
            self._db.execute("SELECT count(*) FROM articles").fetchone()
        except sqlite3.DatabaseError as error:
            raise CatalogError(f"{path.name}: {error}") from error

    def _add_missing_columns(self) -> None:
        present = {row[1] for row in self._db.execute("PRAGMA table_info(articles)")}
        for name, kind in _ADDED_COLUMNS:
            if name not in present:
                self._db.execute(f"ALTER TABLE articles ADD COLUMN {name} {kind}")

    def _add_folder_triggers(self) -> None:
        present = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        if not present >= _FOLDER_EVENTS.keys():
            self._db.executescript(_FOLDER_TRIGGERS)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One atomic change: everything inside is written, or nothing is."""
        return immediate_transaction(self._db, self._lock)

    # Metadata ---------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None, db: sqlite3.Connection | None = None) -> None:
        with self._lock:
            target = db or self._db
            if value is None:
                target.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                target.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # Reading ----------------------------------------------------------------------------------

    def rows(self) -> list[tuple[Any, ...]]:
        """Every article row in id order, as raw tuples (the fastest form for long lists)."""
        with self._lock:
            return self._db.execute(f"SELECT {_COLUMNS} FROM articles ORDER BY id").fetchall()

    def summaries(
        self, order_by: str = "id", limit: int = -1, known: Mapping[str, ArticleSummary] | None = None
    ) -> list[ArticleSummary]:
        """What the list shows of each article, in id order or by an ``ordering.SQL_ORDER_BY``
        clause (a constant, never user input). Only these columns, the id already decoded by
        SQLite (ids are valid UTF-8), the path and date left for the summary to convert when
        asked, because start-up reads 100k of them. A summary in ``known`` (the list read
        before) that is still what its row holds is returned again, and each row is dropped as
        soon as it is compared: a list read again while a build adds rows holds one copy of the
        unchanged ones, not two (100k rows are ~50 MB)."""
        known = known or {}
        with self._lock:
            rows = self._db.execute(
                "SELECT CAST(id AS TEXT), path, title, date, date_text, outlet, author, tags, highlights, notes"
                f" FROM articles ORDER BY {order_by} LIMIT ?",
                (limit,),
            )
            return [_summary(row, known.get(row[0])) for row in rows]

    def entries(self) -> list[CatalogEntry]:
        return [entry_from_row(row) for row in self.rows()]

    def entry(self, article_id: str) -> CatalogEntry | None:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (key(article_id),)).fetchone()
        return entry_from_row(row) if row else None

    def entries_for(self, article_ids: Iterable[str]) -> dict[str, CatalogEntry]:
        with self._lock:
            rows = for_keys(self._db, f"SELECT {_COLUMNS} FROM articles WHERE id IN (?keys)", map(key, article_ids))
            entries = [entry_from_row(row) for row in rows]
        return {entry.id: entry for entry in entries}

    def entries_tagged_or_matching(self, fingerprints: set[str], paths: set[str]) -> list[CatalogEntry]:
        """Articles the index shows with tags, highlights or notes, or whose fingerprint or path
        the tag store knows."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE tags != '' OR annotation_digest != ''"
            ).fetchall()
            rows += for_keys(self._db, f"SELECT {_COLUMNS} FROM articles WHERE fingerprint IN (?keys)", fingerprints)
            rows += for_keys(self._db, f"SELECT {_COLUMNS} FROM articles WHERE path IN (?keys)", map(key, paths))
        entries = [entry_from_row(row) for row in rows]
        return list({entry.id: entry for entry in entries}.values())

    def stats(self) -> dict[str, tuple[int, int, str]]:
        """id -> (size, mtime_ns, fingerprint): what a sync compares the folder with."""
        with self._lock:
            rows = self._db.execute("SELECT id, size, mtime_ns, fingerprint FROM articles").fetchall()
        return {unkey(row[0]): (row[1], row[2], row[3]) for row in rows}

    def stats_for(self, article_ids: Iterable[str]) -> dict[str, tuple[int, int, str]]:
        """``stats`` of these articles only (those a file watcher saw change)."""
        with self._lock:
            rows = list(
                for_keys(
                    self._db,
                    "SELECT id, size, mtime_ns, fingerprint FROM articles WHERE id IN (?keys)",
                    map(key, article_ids),
                )
            )
        return {unkey(row[0]): (row[1], row[2], row[3]) for row in rows}

    def file_states(self) -> tuple[Iterator[tuple[str, int, int]], list[tuple[Path, int, int]]]:
        """(id, size, mtime_ns) of every article row and (path, size, mtime_ns) of every skipped
        file: what ``FOLDER_DIGEST`` is made of. The rows come from the cursor one at a time (100k
        tuples at once were ~20 MB at the end of a build): read them inside ``transaction``."""
        with self._lock:
            rows: Iterator[tuple[str, int, int]] = self._db.execute(
                "SELECT CAST(id AS TEXT), size, mtime_ns FROM articles"
            )
            skipped = self._db.execute("SELECT path, size, mtime_ns FROM skipped").fetchall()
        return rows, [(Path(unkey(path)), size, mtime_ns) for path, size, mtime_ns in skipped]

    def skipped(self) -> dict[Path, SkippedFile]:
        with self._lock:
            rows = self._db.execute("SELECT path, size, mtime_ns, reason FROM skipped").fetchall()
        files = [SkippedFile(Path(unkey(row[0])), row[1], row[2], row[3]) for row in rows]
        return {file.path: file for file in files}

    def text(self, article_id: str) -> tuple[str, int] | None:
        """The article's text as indexed and where its body starts (after the headline)."""
        with self._lock:
            row = self._db.execute("SELECT text, body_start FROM texts WHERE id = ?", (key(article_id),)).fetchone()
        if row is None:
            return None
        return zlib.decompress(row[0]).decode("utf-8", "surrogatepass"), row[1]

    def warnings(self) -> list[tuple[Path, str]]:
        """(path, warning) for every indexed file the loader had to work around."""
        with self._lock:
            rows = self._db.execute("SELECT path, warnings FROM articles WHERE warnings != ''").fetchall()
        return [(Path(unkey(path)), warning) for path, joined in rows for warning in split(joined)]

    def date_sources(self, article_ids: Iterable[str] | None = None) -> DateSources:
        """How the articles (all, or these ids) got their dates, and how many have none."""
        query = "SELECT date_source, date IS NULL, date_text IS NOT NULL, count(*) FROM articles"
        grouping = " GROUP BY 1, 2, 3"
        with self._lock:
            if article_ids is None:
                rows = self._db.execute(query + grouping).fetchall()
            else:
                rows = list(for_keys(self._db, query + " WHERE id IN (?keys)" + grouping, map(key, article_ids)))
        by_source: dict[str, int] = {}
        undated = unreadable = 0
        for source, dateless, written, count in rows:
            if dateless:
                undated += count
                unreadable += count if written else 0
            else:
                by_source[source or "front-matter"] = by_source.get(source or "front-matter", 0) + count
        return DateSources(by_source, undated, unreadable)

    def count(self) -> int:
        with self._lock:
            count: int = self._db.execute("SELECT count(*) FROM articles").fetchone()[0]
        return count

    def counts(self) -> tuple[int, int]:
        """Articles listed, and of them those whose document is in the index (the others wait
        for the build)."""
        with self._lock:  # one statement, one snapshot: the build's workers list rows meanwhile
            listed, waiting = self._db.execute(  # the smallest index, then the partial one
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM articles WHERE NOT indexed)"
            ).fetchone()
        return int(listed), int(listed) - int(waiting)

    def has_pending(self) -> bool:
        """Whether some listed articles are not indexed yet (a question the partial index
        answers at once)."""
        with self._lock:
            return self._db.execute("SELECT 1 FROM articles WHERE NOT indexed LIMIT 1").fetchone() is not None

    def pending(self) -> set[str]:
        """Ids of the articles listed but not yet indexed."""
        with self._lock:
            rows = self._db.execute("SELECT id FROM articles WHERE NOT indexed").fetchall()
        return {unkey(row[0]) for row in rows}

    # Writing (inside ``transaction``) ---------------------------------------------------------

    @staticmethod
    def put(db: sqlite3.Connection, entries: Iterable[CatalogEntry]) -> None:
        """Rows of articles now in the index (replacing what was there)."""
        db.executemany(_PUT_INDEXED, map(_row_of, entries))

    @staticmethod
    def put_listed(db: sqlite3.Connection, entries: Iterable[CatalogEntry]) -> None:
        """Rows of articles listed by the first pass, not yet indexed; a row already there (the
        build may have got there first) is left as it is."""
        db.executemany(
            f"INSERT OR IGNORE INTO articles ({_COLUMNS}, indexed) VALUES ({', '.join('?' * 16)}, 0)",
            [_row_of(entry) for entry in entries],
        )

    @staticmethod
    def delete_listed(db: sqlite3.Connection, article_ids: Iterable[str]) -> None:
        """Drop rows listed by the first pass whose file the build could not read after all."""
        db.executemany("DELETE FROM articles WHERE id = ? AND NOT indexed", [(key(i),) for i in article_ids])

    @staticmethod
    def mark_pending(db: sqlite3.Connection, article_ids: Iterable[str]) -> None:
        """These articles' documents are not in the index (after a crash): build them again."""
        db.executemany("UPDATE articles SET indexed = 0 WHERE id = ?", [(key(i),) for i in article_ids])

    @staticmethod
    def put_texts(db: sqlite3.Connection, texts: Iterable[tuple[str, int, bytes]]) -> None:
        """Store (id, body_start, ``pack_text(text)``) rows."""
        rows = ((key(article_id), body_start, text) for article_id, body_start, text in texts)  # streamed
        db.executemany("INSERT OR REPLACE INTO texts (id, body_start, text) VALUES (?, ?, ?)", rows)

    @staticmethod
    def delete(db: sqlite3.Connection, article_ids: Iterable[str]) -> None:
        rows = [(key(i),) for i in article_ids]
        db.executemany("DELETE FROM articles WHERE id = ?", rows)
        db.executemany("DELETE FROM texts WHERE id = ?", rows)

    @staticmethod
    def touch(db: sqlite3.Connection, changes: Iterable[tuple[str, int, int]]) -> None:
        """Record a new size and mtime for files whose content did not change."""
        db.executemany(
            "UPDATE articles SET size = ?, mtime_ns = ? WHERE id = ?",
            [(size, mtime_ns, key(article_id)) for article_id, size, mtime_ns in changes],
        )

    @staticmethod
    def put_skipped(db: sqlite3.Connection, files: Iterable[SkippedFile]) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO skipped (path, size, mtime_ns, reason) VALUES (?, ?, ?, ?)",
            [(key(f.path), f.size, f.mtime_ns, f.reason) for f in files],
        )

    @staticmethod
    def delete_skipped(db: sqlite3.Connection, paths: Iterable[Path]) -> None:
        db.executemany("DELETE FROM skipped WHERE path = ?", [(key(p),) for p in paths])

    @staticmethod
    def reset(db: sqlite3.Connection) -> None:
        """Before a rebuild: every row waits for the index again (the list stays as it is, and
        no file needs listing again), skipped files are looked at again, the metadata goes."""
        db.execute("UPDATE articles SET indexed = 0")
        db.execute("DELETE FROM skipped")
        db.execute("DELETE FROM meta")
