"""The tag store: one SQLite file in the user's private data folder, safe to share between processes.

A tag belongs to an article *file*. How a file is recognised as an article the store knows:
1. at the path the article was last seen at, when the text is one the article has had, or new
   text close to it (an edit in place). If the ref can give a SimHash sketch (``.sketch`` or
   ``.text``) and it is far from the one recorded, a different article was written over the
   file: the tags do not carry over, and the old article is marked as no longer there;
2. otherwise by its text (any fingerprint the article has had), but only if the article's own
   file is gone: a rename, a move, or the whole folder moved elsewhere. Two files present at
   once are two articles, so an identical copy never shares the original's tags. When several
   files could take over one article, each article goes to one file, the one with the same
   file name first.
Each time an article is met at a new path or with new text, the store records it, so a rename
after an edit (or an edit after a rename) still finds it.

Why a saved tag is never lost: every change is one transaction taken with ``BEGIN IMMEDIATE``
(writers queue behind SQLite's lock with a busy timeout, so two processes lose nothing), the
journal is a WAL, and ``synchronous=FULL`` fsyncs the WAL at every commit. NORMAL would already
survive a killed process, but could drop the last commits on a power cut; tag writes are rare
and tiny, so the fsync costs nothing a user can notice. Nothing is ever written to article files.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from reader.core import paths
from reader.core.sqlite_access import open_durable, slices
from reader.core.tags import identity, saved_searches
from reader.core.tags.annotation_values import Annotations, UserData
from reader.core.tags.annotations import ANNOTATION_TABLES, AnnotationStore, annotations_of, forget_unused
from reader.core.tags.identity import Known, Probe, TagRef, marks, unsigned
from reader.core.tags.spelling import normalise_tag, tag_key

__all__ = ["TagRef", "TagRow", "TagStore", "TagStoreError"]

T = TypeVar("T")
Reader = Callable[[sqlite3.Connection, list[Known | None]], dict[int, T]]
"""Reads some user data of the stored articles found (by article id), inside a transaction."""

SCHEMA_VERSION = 4  # 2: one text may belong to several articles (identical copies); 3: highlights and notes;
# 4: saved searches
BUSY_TIMEOUT_SECONDS = 30.0

_SCHEMA = (
    """CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        path TEXT UNIQUE,           -- where it was last seen; NULL when unknown or taken over
        fingerprint TEXT NOT NULL,  -- of its text when last seen
        sketch INTEGER              -- SimHash of that text as a signed 64-bit value, or NULL
    )""",
    """CREATE TABLE fingerprints (
        fingerprint TEXT NOT NULL,  -- every text the article has had, the current one too
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (fingerprint, article_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX fingerprints_by_article ON fingerprints(article_id)",
    """CREATE TABLE tags (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        key TEXT NOT NULL,    -- case-folded: the tag's identity
        tag TEXT NOT NULL,    -- as the user spelled it
        added TEXT NOT NULL,  -- ISO 8601, UTC, seconds
        PRIMARY KEY (article_id, key)
    ) WITHOUT ROWID""",
    "CREATE INDEX tags_by_key ON tags(key)",
    # One row: bumped by every change to tags, so a search index can skip an unchanged store.
    "CREATE TABLE generation (value INTEGER NOT NULL)",
    "INSERT INTO generation (value) VALUES (0)",
)
# Version 1 allowed one article per text, so copies shared one article (and its tags).
_MIGRATE_FROM_1 = (
    "DROP INDEX fingerprints_by_article",
    "ALTER TABLE fingerprints RENAME TO fingerprints_1",
    _SCHEMA[1],
    "INSERT INTO fingerprints (fingerprint, article_id) SELECT fingerprint, article_id FROM fingerprints_1",
    "DROP TABLE fingerprints_1",
    _SCHEMA[2],
)
# Each step takes the store from one version to the next; a new table is a new step.
_UPGRADES: dict[int, tuple[int, tuple[str, ...]]] = {
    0: (2, _SCHEMA),  # a new store: the tags as version 2 has them, then the later steps
    1: (2, _MIGRATE_FROM_1),
    2: (3, ANNOTATION_TABLES),
    3: (4, saved_searches.SCHEMA),
}


class TagStoreError(RuntimeError):
    """The store file cannot be used: damaged, not a database, locked too long, or too new."""


@dataclass(frozen=True, slots=True)
class TagRow:
    """One tag of one article, as exported: enough to find the article again on any machine."""

    tag: str
    fingerprint: str
    path: str = ""  # absolute path where the article was last seen; empty when unknown
    added: str = ""  # ISO 8601 UTC; empty means "now" on import
    sketch: int | None = None
    aliases: tuple[str, ...] = ()  # earlier fingerprints of the same article


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _sorted_tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(tags, key=lambda tag: (tag.casefold(), tag)))


def _normalised(tags: Iterable[str] | str) -> dict[str, str]:
    """Tags keyed by identity; a lone string is one tag, not a list of letters."""
    names = [tags] if isinstance(tags, str) else list(tags)
    return {tag_key(name): name for name in map(normalise_tag, names)}


class TagStore:
    """The user's tags for every article they have tagged, in one SQLite file.

    One connection, guarded by a lock, so the app's worker threads may share a store.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.tag_db_path()
        self._lock = threading.RLock()
        try:
            self._connection = open_durable(self.path, BUSY_TIMEOUT_SECONDS)
        except (OSError, sqlite3.DatabaseError) as error:
            raise TagStoreError(f"cannot open the tag store {self.path}: {error}") from error
        try:
            self._prepare()
        except BaseException:
            self._connection.close()
            raise

    def __enter__(self) -> TagStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    # -- reading ---------------------------------------------------------------------------

    def tags_for(self, ref: TagRef) -> tuple[str, ...]:
        """The article's tags, sorted case-insensitively, each as the user spelled it."""
        return self.tags_for_many([ref])[ref.path]

    def tags_for_many(self, refs: Iterable[TagRef]) -> dict[Path, tuple[str, ...]]:
        """Tags of many articles at once (a whole corpus), keyed by ``ref.path``; () when none.

        Files met at a new path or with new text are recorded (see the module docstring).
        """
        return self.read_many(refs, _tags_of, ())

    def read_many(self, refs: Iterable[TagRef], read: Reader[T], missing: T) -> dict[Path, T]:
        """What ``read`` finds of each ref's stored article (``missing`` when none), keyed by
        ``ref.path``: the one look-up every kind of user data (tags, notes) goes through."""
        keys = []
        probes = []
        for ref in refs:
            keys.append(ref.path)
            probes.append(Probe.of(ref))
        with self._transaction("BEGIN") as connection:
            resolution = identity.resolve(connection, probes)
            found = None if resolution.changes(probes) else read(connection, resolution.found)
        if found is None:
            resolution, found = self._record_quietly(probes, resolution, read)
        return {
            key: found.get(known.id, missing) if known else missing
            for key, known in zip(keys, resolution.found, strict=True)
        }

    def user_data_for_many(self, refs: Iterable[TagRef]) -> dict[Path, UserData]:
        """Tags, highlights and notes of many articles in one look-up, keyed by ``ref.path``."""
        return self.read_many(refs, _user_data_of, UserData())

    def user_data_for(self, ref: TagRef) -> UserData:
        return self.user_data_for_many([ref])[ref.path]

    def follow_edited_moves(self, gone: Iterable[Path], arrived: Sequence[TagRef]) -> list[TagRef]:
        """Of the files that appeared (``arrived``, with ``.text`` or ``.sketch``), those that are
        articles whose file at one of the ``gone`` paths was renamed and edited at once: the
        store now knows them there (see ``identity.follow_edited_moves``)."""
        gone_paths = [text for path in gone if (text := Probe(path, "").path) is not None]
        if not gone_paths or not arrived:
            return []
        probes = [Probe.of(ref) for ref in arrived]
        with self._transaction("BEGIN IMMEDIATE") as connection:
            taken = identity.follow_edited_moves(connection, gone_paths, probes)
            if taken:
                _bump_generation(connection)
        return [arrived[index] for index in taken]

    @property
    def annotations(self) -> AnnotationStore:
        """The user's highlights and notes, kept in this same file."""
        return AnnotationStore(self)

    def generation(self) -> int:
        """A number that grows with every change to tags made by any process.

        An index that remembers it can skip ``tags_for_many`` while it has not moved (the tags
        of a renamed or edited file are found again when that file is re-indexed anyway).
        """
        with self._transaction("BEGIN") as connection:
            return int(connection.execute("SELECT value FROM generation").fetchone()[0])

    def all_tags(self) -> list[tuple[str, int]]:
        """Every tag with how many articles carry it, most used first (for autocomplete).

        A tag spelled differently on different articles is shown in its most common spelling.
        """
        with self._transaction("BEGIN") as connection:
            rows = connection.execute(
                "SELECT key, tag, COUNT(*), MAX(added) FROM tags GROUP BY key, tag"
            ).fetchall()
        totals: dict[str, int] = {}
        spelling: dict[str, tuple[int, str, str]] = {}
        for key, tag, count, added in rows:
            totals[key] = totals.get(key, 0) + count
            spelling[key] = max(spelling.get(key, (0, "", "")), (count, added, tag))
        return sorted(
            ((spelling[key][2], total) for key, total in totals.items()),
            key=lambda item: (-item[1], item[0].casefold(), item[0]),
        )

    def export_rows(self) -> list[TagRow]:
        """Every tag of every article, in a stable order: what ``import_rows`` takes back."""
        with self._transaction("BEGIN") as connection:
            articles = {
                row[0]: Known(row[0], row[1], row[2], unsigned(row[3]))
                for row in connection.execute("SELECT id, path, fingerprint, sketch FROM articles")
            }
            aliases: dict[int, list[str]] = {}
            for article_id, fingerprint in connection.execute(
                "SELECT article_id, fingerprint FROM fingerprints ORDER BY fingerprint"
            ):
                if fingerprint != articles[article_id].fingerprint:
                    aliases.setdefault(article_id, []).append(fingerprint)
            tag_rows = connection.execute("SELECT article_id, key, tag, added FROM tags").fetchall()
        rows = [
            (
                articles[article_id].path or "",
                articles[article_id].fingerprint,
                key,
                TagRow(
                    tag=tag,
                    fingerprint=articles[article_id].fingerprint,
                    path=articles[article_id].path or "",
                    added=added,
                    sketch=articles[article_id].sketch,
                    aliases=tuple(aliases.get(article_id, ())),
                ),
            )
            for article_id, key, tag, added in tag_rows
        ]
        return [row for *_, row in sorted(rows, key=lambda item: item[:3])]

    # -- writing ---------------------------------------------------------------------------

    def add(self, refs: Iterable[TagRef], tags: Iterable[str] | str) -> None:
        """Give every article every tag, in one transaction (bulk tagging a search result).

        Adding a tag an article already has in another case adopts the new spelling.
        """
        names = _normalised(tags)
        probes = [Probe.of(ref) for ref in refs]
        if not names or not probes:
            return
        for probe in probes:
            if not probe.fingerprint:
                raise ValueError(f"cannot tag {probe.path}: it has no fingerprint")
        added = _now()
        with self._transaction("BEGIN IMMEDIATE") as connection:
            _bump_generation(connection)
            for article_id in dict.fromkeys(identity.articles_for_writing(connection, probes)):
                connection.executemany(
                    "INSERT INTO tags (article_id, key, tag, added) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (article_id, key) DO UPDATE SET tag = excluded.tag",
                    [(article_id, key, name, added) for key, name in names.items()],
                )

    def remove(self, refs: Iterable[TagRef], tags: Iterable[str] | str) -> None:
        """Take the tags off the articles, in one transaction; tags they lack are ignored."""
        keys = list(_normalised(tags))
        probes = [Probe.of(ref) for ref in refs]
        with self._transaction("BEGIN IMMEDIATE") as connection:
            _bump_generation(connection)
            ids = sorted({known.id for known in identity.resolve(connection, probes).found if known})
            connection.executemany(
                "DELETE FROM tags WHERE article_id = ? AND key = ?",
                [(article_id, key) for article_id in ids for key in keys],
            )
            forget_unused(connection, ids)

    def import_rows(self, rows: Iterable[TagRow]) -> tuple[int, int]:
        """Merge exported rows in one transaction; return (tags added, tags already there).

        A tag already present keeps its spelling and the earlier of the two dates. Rows with
        different paths are different articles, even with the same text (identical copies).
        """
        added = unchanged = 0
        now = _now()
        by_path: dict[str, int] = {}  # the article each path of this import was given
        with self._transaction("BEGIN IMMEDIATE") as connection:
            _bump_generation(connection)
            for row in rows:
                name = normalise_tag(row.tag)
                article_id = by_path.get(row.path) if row.path else None
                if article_id is None:
                    probe = Probe(Path(row.path) if row.path else None, row.fingerprint, sketch_value=row.sketch)
                    article_id = identity.article_for_import(connection, probe, row.aliases, set(by_path.values()))
                    if row.path:
                        by_path[row.path] = article_id
                when = row.added or now
                existing = connection.execute(
                    "SELECT added FROM tags WHERE article_id = ? AND key = ?",
                    (article_id, tag_key(name)),
                ).fetchone()
                if existing is None:
                    connection.execute(
                        "INSERT INTO tags (article_id, key, tag, added) VALUES (?, ?, ?, ?)",
                        (article_id, tag_key(name), name, when),
                    )
                    added += 1
                else:
                    connection.execute(
                        "UPDATE tags SET added = min(added, ?) WHERE article_id = ? AND key = ?",
                        (when, article_id, tag_key(name)),
                    )
                    unchanged += 1
        return added, unchanged

    # -- plumbing --------------------------------------------------------------------------

    def transaction(self, *, write: bool = False) -> AbstractContextManager[sqlite3.Connection]:
        """One transaction on the store, for the other records kept in it (``annotations``,
        ``saved_searches``): the same lock, the same durability, errors as ``TagStoreError``."""
        return self._transaction("BEGIN IMMEDIATE" if write else "BEGIN")

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        """One transaction; SQLite errors become a one-line ``TagStoreError``."""
        with self._lock:
            connection = self._connection
            try:
                connection.execute(begin)
                try:
                    yield connection
                    connection.execute("COMMIT")
                except BaseException:
                    if connection.in_transaction:
                        connection.execute("ROLLBACK")
                    raise
            except sqlite3.DatabaseError as error:
                raise TagStoreError(f"tag store {self.path}: {error}") from error

    def _prepare(self) -> None:
        """Create the tables on first use; refuse a store written by a newer version."""
        with self._transaction("BEGIN IMMEDIATE") as connection:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise TagStoreError(
                    f"the tag store {self.path} was written by a newer version of reader"
                )
            if version == SCHEMA_VERSION:
                return
            while version < SCHEMA_VERSION:
                version, statements = _UPGRADES[version]
                for statement in statements:
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _record_quietly(
        self, probes: list[Probe], resolution: identity.Resolution, read: Reader[T]
    ) -> tuple[identity.Resolution, dict[int, T]]:
        """Remember where articles are now, deciding again under the write lock (so two processes
        never give one article to two files); return that decision and the articles' tags.

        Recording only helps future look-ups: a read-only or busy store must not stop tags
        showing, so then the first reading stands. A file taken over by another article bumps
        the generation, so indexes look again for the files that article may have moved to.
        """
        try:
            with self._transaction("BEGIN IMMEDIATE") as connection:
                resolution = identity.resolve(connection, probes)
                if resolution.displaced:
                    _bump_generation(connection)
                identity.record(connection, probes, resolution)
                return resolution, read(connection, resolution.found)
        except TagStoreError:
            with self._transaction("BEGIN") as connection:
                return resolution, read(connection, resolution.found)


def _bump_generation(connection: sqlite3.Connection) -> None:
    connection.execute("UPDATE generation SET value = value + 1")


def _tags_of(connection: sqlite3.Connection, found: Iterable[Known | None]) -> dict[int, tuple[str, ...]]:
    """The tags of each stored article found, by its id."""
    tags: dict[int, list[str]] = {}
    for chunk in slices(sorted({known.id for known in found if known is not None})):
        for article_id, tag in connection.execute(
            f"SELECT article_id, tag FROM tags WHERE article_id IN ({marks(len(chunk))})", chunk
        ):
            tags.setdefault(article_id, []).append(tag)
    return {article_id: _sorted_tags(names) for article_id, names in tags.items()}


def _user_data_of(connection: sqlite3.Connection, found: list[Known | None]) -> dict[int, UserData]:
    tags = _tags_of(connection, found)
    notes = annotations_of(connection, found)
    return {
        article_id: UserData(tags.get(article_id, ()), notes.get(article_id, Annotations()))
        for article_id in tags.keys() | notes.keys()
    }
