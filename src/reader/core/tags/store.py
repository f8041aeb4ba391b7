"""The tag store: one SQLite file in the user's private data folder, safe to share between processes.

How an article is recognised (its "identity"), in order:
1. by any fingerprint its text has had: a rename, a move or a copy of the folder elsewhere keeps
   the text, so the tags follow it;
2. by the path it was last seen at, when the fingerprint is new: the text was edited in place.
   If the ref can give a SimHash sketch (``.sketch`` or ``.text``) and it is far from the one
   recorded, the file was replaced by a different article and the tags do not carry over.
Each time an article is met at its own path with new text, or at a new path while its old path is
gone, the store records it, so a rename after an edit (or an edit after a rename) still finds it.

Why a saved tag is never lost: every change is one transaction taken with ``BEGIN IMMEDIATE``
(writers queue behind SQLite's lock with a busy timeout, so two processes lose nothing), the
journal is a WAL, and ``synchronous=FULL`` fsyncs the WAL at every commit. NORMAL would already
survive a killed process, but could drop the last commits on a power cut; tag writes are rare
and tiny, so the fsync costs nothing a user can notice. Nothing is ever written to article files.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from reader.core import paths
from reader.core.fingerprint import sketch, sketch_distance
from reader.core.tags.spelling import normalise_tag, tag_key

SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 30.0
# Sketches of the same article after a small edit differ in a few bits; unrelated texts in about
# 32 (+-4). Up to 20 is three deviations away from a chance match.
SAME_ARTICLE_MAX_DISTANCE = 20
_CHUNK = 900  # bound values per ``IN (...)``, well under SQLite's limit
_WHOLE_TABLE_AT = 5000  # look-ups beyond this read the whole (small) table instead of IN (...)
_SIGN_BIT = 1 << 63

_SCHEMA = (
    """CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        path TEXT UNIQUE,           -- where it was last seen; NULL when unknown or taken over
        fingerprint TEXT NOT NULL,  -- of its text when last seen
        sketch INTEGER              -- SimHash of that text as a signed 64-bit value, or NULL
    )""",
    """CREATE TABLE fingerprints (
        fingerprint TEXT PRIMARY KEY,  -- every text the article has had, the current one too
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
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


class TagStoreError(RuntimeError):
    """The store file cannot be used: damaged, not a database, locked too long, or too new."""


class TagRef(Protocol):
    """Anything that names an article: ``Article``, a search catalog row, ..."""

    @property
    def path(self) -> Path: ...

    @property
    def fingerprint(self) -> str: ...


@dataclass(frozen=True, slots=True)
class TagRow:
    """One tag of one article, as exported: enough to find the article again on any machine."""

    tag: str
    fingerprint: str
    path: str = ""  # absolute path where the article was last seen; empty when unknown
    added: str = ""  # ISO 8601 UTC; empty means "now" on import
    sketch: int | None = None
    aliases: tuple[str, ...] = ()  # earlier fingerprints of the same article


@dataclass(frozen=True, slots=True)
class _Known:
    """An article as the store knows it."""

    id: int
    path: str | None
    fingerprint: str
    sketch: int | None


class _Probe:
    """What the store reads from a ref. The path text and the sketch cost time on 100k refs, so
    each is worked out at most once, and only for the refs that need it."""

    __slots__ = ("_path", "_path_as_text", "_ref", "_sketch", "_sketch_known", "fingerprint")

    def __init__(self, path: Path | None, fingerprint: str, ref: object = None,
                 sketch_value: int | None = None) -> None:
        self._path = path
        self._path_as_text: str | bool | None = False  # False: not worked out yet
        self.fingerprint = fingerprint
        self._ref = ref
        self._sketch = sketch_value
        self._sketch_known = ref is None

    @classmethod
    def of(cls, ref: TagRef) -> _Probe:
        return cls(ref.path, ref.fingerprint or "", ref)

    @property
    def name(self) -> str:
        return self._path.name if self._path is not None else ""

    @property
    def path(self) -> str | None:
        """The path as stored, or None when unknown or not valid UTF-8 (then found by text only)."""
        if self._path_as_text is False:
            self._path_as_text = None if self._path is None else _path_text(self._path)
        return self._path_as_text  # type: ignore[return-value]

    @property
    def sketch(self) -> int | None:
        if not self._sketch_known:
            self._sketch_known = True
            given = getattr(self._ref, "sketch", None)
            text = getattr(self._ref, "text", None)
            if isinstance(given, int):
                self._sketch = given
            elif isinstance(text, str):
                self._sketch = sketch(text)
        return self._sketch


def _path_text(path: Path) -> str | None:
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return text


def _signed(value: int | None) -> int | None:
    return None if value is None else value - (value & _SIGN_BIT) * 2


def _unsigned(value: int | None) -> int | None:
    return None if value is None else value & ((1 << 64) - 1)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _chunks(values: Sequence[object]) -> Iterator[Sequence[object]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _marks(count: int) -> str:
    return ",".join("?" * count)


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
            self._connection = _connect(self.path)
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
        """Tags of many articles at once (a whole corpus), keyed by ``ref.path``; () when none."""
        probes = [(ref.path, _Probe.of(ref)) for ref in refs]
        with self._transaction("BEGIN") as connection:
            found = _resolve(connection, [probe for _, probe in probes])
            tags = _tags_by_article(connection, sorted({known.id for known in found if known}))
        moved = [
            probe for (_, probe), known in zip(probes, found, strict=False) if known and _needs_update(known, probe)
        ]
        if moved:
            self._record_quietly(moved)
        return {
            key: tags.get(known.id, ()) if known else ()
            for (key, _), known in zip(probes, found, strict=False)
        }

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
                row[0]: _Known(row[0], row[1], row[2], _unsigned(row[3]))
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
        probes = [_Probe.of(ref) for ref in refs]
        if not names or not probes:
            return
        for probe in probes:
            if not probe.fingerprint:
                raise ValueError(f"cannot tag {probe.path}: it has no fingerprint")
        added = _now()
        with self._transaction("BEGIN IMMEDIATE") as connection:
            _bump_generation(connection)
            for probe in probes:
                article_id = _article_for_writing(connection, probe)
                connection.executemany(
                    "INSERT INTO tags (article_id, key, tag, added) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (article_id, key) DO UPDATE SET tag = excluded.tag",
                    [(article_id, key, name, added) for key, name in names.items()],
                )

    def remove(self, refs: Iterable[TagRef], tags: Iterable[str] | str) -> None:
        """Take the tags off the articles, in one transaction; tags they lack are ignored."""
        keys = list(_normalised(tags))
        probes = [_Probe.of(ref) for ref in refs]
        with self._transaction("BEGIN IMMEDIATE") as connection:
            _bump_generation(connection)
            ids = sorted({known.id for known in _resolve(connection, probes) if known})
            connection.executemany(
                "DELETE FROM tags WHERE article_id = ? AND key = ?",
                [(article_id, key) for article_id in ids for key in keys],
            )
            # An article without tags is forgotten: the store holds nothing it does not need.
            connection.executemany(
                "DELETE FROM articles WHERE id = ? AND NOT EXISTS "
                "(SELECT 1 FROM tags WHERE article_id = articles.id)",
                [(article_id,) for article_id in ids],
            )

    def import_rows(self, rows: Iterable[TagRow]) -> tuple[int, int]:
        """Merge exported rows in one transaction; return (tags added, tags already there).

        A tag already present keeps its spelling and the earlier of the two dates.
        """
        added = unchanged = 0
        now = _now()
        with self._transaction("BEGIN IMMEDIATE") as connection:
            _bump_generation(connection)
            for row in rows:
                name = normalise_tag(row.tag)
                probe = _Probe(Path(row.path) if row.path else None, row.fingerprint, sketch_value=row.sketch)
                article_id = _article_for_writing(connection, probe, row.aliases)
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
            if version == 0:
                for statement in _SCHEMA:
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _record_quietly(self, probes: list[_Probe]) -> None:
        """Remember where articles are now (see the module docstring), if the store allows it.

        This only helps future look-ups; a read-only or busy store must not stop tags showing.
        """
        try:
            with self._transaction("BEGIN IMMEDIATE") as connection:
                for probe, known in zip(probes, _resolve(connection, probes), strict=False):
                    if known and _needs_update(known, probe):
                        _record(connection, known, probe)
        except TagStoreError:
            pass


def _connect(path: Path) -> sqlite3.Connection:
    """Open (creating, readable by the user alone) the store, in WAL mode with full syncs."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # SQLite gives the -wal and -shm files the same mode
    connection = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )
    try:
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            raise sqlite3.DatabaseError(f"cannot switch to WAL mode (got {mode})")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        connection.close()
        raise
    return connection


def _bump_generation(connection: sqlite3.Connection) -> None:
    connection.execute("UPDATE generation SET value = value + 1")


def _known(row: Sequence[object]) -> _Known:
    article_id, path, fingerprint, sketch_value = row
    return _Known(int(article_id), path, str(fingerprint), _unsigned(sketch_value))  # type: ignore[arg-type,call-overload]


def _by_fingerprint(connection: sqlite3.Connection, fingerprints: set[str]) -> dict[str, _Known]:
    query = (
        "SELECT f.fingerprint, a.id, a.path, a.fingerprint, a.sketch FROM fingerprints f "
        "JOIN articles a ON a.id = f.article_id"
    )
    if len(fingerprints) > _WHOLE_TABLE_AT:
        rows = connection.execute(query).fetchall()
    else:
        wanted = sorted(fingerprints)
        rows = [
            row
            for chunk in _chunks(wanted)
            for row in connection.execute(f"{query} WHERE f.fingerprint IN ({_marks(len(chunk))})", chunk)
        ]
    return {row[0]: _known(row[1:]) for row in rows if row[0] in fingerprints}


def _by_path(connection: sqlite3.Connection, probes: Sequence[_Probe]) -> dict[str, _Known]:
    """Stored articles at the probes' paths. For many probes, only those whose file name is
    among the stored ones have their path turned into text: that is most of the cost."""
    query = "SELECT id, path, fingerprint, sketch FROM articles"
    if len(probes) > _WHOLE_TABLE_AT:
        stored = {row[1]: _known(row) for row in connection.execute(f"{query} WHERE path IS NOT NULL")}
        names = {os.path.basename(path) for path in stored}
        wanted = {probe.path for probe in probes if probe.name in names}
        return {path: known for path, known in stored.items() if path in wanted}
    found: dict[str, _Known] = {}
    paths_wanted = sorted({probe.path for probe in probes if probe.path is not None})
    for chunk in _chunks(paths_wanted):
        for row in connection.execute(f"{query} WHERE path IN ({_marks(len(chunk))})", chunk):
            found[row[1]] = _known(row)
    return found


def _resolve(connection: sqlite3.Connection, probes: Sequence[_Probe]) -> list[_Known | None]:
    """The stored article each probe is, or None: by fingerprint first, then by path."""
    by_fingerprint = _by_fingerprint(connection, {probe.fingerprint for probe in probes if probe.fingerprint})
    unmatched = [probe for probe in probes if probe.fingerprint not in by_fingerprint]
    by_path = _by_path(connection, unmatched) if unmatched else {}
    names = {os.path.basename(path) for path in by_path}
    found: list[_Known | None] = []
    for probe in probes:
        known = by_fingerprint.get(probe.fingerprint)
        if known is None and probe.name in names:
            candidate = by_path.get(probe.path)  # type: ignore[arg-type]
            if candidate is not None and _same_article(candidate, probe):
                known = candidate
        found.append(known)
    return found


def _same_article(known: _Known, probe: _Probe) -> bool:
    """Whether new text at a known path is the same article edited, not a different one."""
    if known.sketch is None or probe.sketch is None:
        return True
    return sketch_distance(known.sketch, probe.sketch) <= SAME_ARTICLE_MAX_DISTANCE


def _needs_update(known: _Known, probe: _Probe) -> bool:
    """Whether the probe shows where the article is now: at its own path, or its old path is gone.

    A copy elsewhere (the old path still there) changes nothing, so two copies never fight.
    """
    if probe.path is None or not probe.fingerprint:
        return False
    if (known.path, known.fingerprint) == (probe.path, probe.fingerprint):
        return False
    return known.path in (None, probe.path) or not os.path.lexists(known.path)


def _record(connection: sqlite3.Connection, known: _Known, probe: _Probe) -> None:
    """Make the probe's path and text the article's current ones."""
    connection.execute("UPDATE articles SET path = NULL WHERE path = ? AND id != ?", (probe.path, known.id))
    same_text = probe.fingerprint == known.fingerprint
    new_sketch = probe.sketch if probe.sketch is not None or not same_text else known.sketch
    connection.execute(
        "UPDATE articles SET path = ?, fingerprint = ?, sketch = ? WHERE id = ?",
        (probe.path, probe.fingerprint, _signed(new_sketch), known.id),
    )
    connection.execute(
        "INSERT OR IGNORE INTO fingerprints (fingerprint, article_id) VALUES (?, ?)",
        (probe.fingerprint, known.id),
    )


def _article_for_writing(connection: sqlite3.Connection, probe: _Probe, aliases: Sequence[str] = ()) -> int:
    """The id of the article the probe is, recording where it is now, or of a new article."""
    known = _resolve(connection, [probe])[0]
    if known is None and aliases:
        known = next(iter(_by_fingerprint(connection, set(aliases)).values()), None)
    if known is None:
        if probe.path is not None:
            connection.execute("UPDATE articles SET path = NULL WHERE path = ?", (probe.path,))
        article_id = connection.execute(
            "INSERT INTO articles (path, fingerprint, sketch) VALUES (?, ?, ?)",
            (probe.path, probe.fingerprint, _signed(probe.sketch)),
        ).lastrowid
        assert article_id is not None
    else:
        article_id = known.id
        if _needs_update(known, probe):
            _record(connection, known, probe)
    connection.executemany(
        "INSERT OR IGNORE INTO fingerprints (fingerprint, article_id) VALUES (?, ?)",
        [(fingerprint, article_id) for fingerprint in (probe.fingerprint, *aliases)],
    )
    return article_id


def _tags_by_article(connection: sqlite3.Connection, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    tags: dict[int, list[str]] = {}
    for chunk in _chunks(ids):
        for article_id, tag in connection.execute(
            f"SELECT article_id, tag FROM tags WHERE article_id IN ({_marks(len(chunk))})", chunk
        ):
            tags.setdefault(article_id, []).append(tag)
    return {article_id: _sorted_tags(names) for article_id, names in tags.items()}
