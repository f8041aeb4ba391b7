"""Saved searches: a query kept under a name, and what it found when it was last opened.

They live in the user-data store beside the tags (``TagStore``: one SQLite file in WAL mode,
every change one ``BEGIN IMMEDIATE`` transaction committed with a full sync before it is
acknowledged), so a saved search survives a killed process and two processes saving at once.

A saved search belongs to no folder: the same query can be run on any. What it found when last
opened is kept per folder (``paths.corpus_key``), as the article ids it listed then, so "N new
since last opened" counts the matches the folder open now has that it did not have then.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.core.text import visible

if TYPE_CHECKING:
    import sqlite3

    from reader.core.tags.store import TagStore

__all__ = [
    "MAX_NAME_LENGTH",
    "SavedSearch",
    "SavedSearchError",
    "SavedSearchStatus",
    "SavedSearches",
    "normalise_name",
]

MAX_NAME_LENGTH = 80
MAX_QUERY_LENGTH = 1_000  # the query language's own limit

SCHEMA = (
    """CREATE TABLE saved_searches (
        key TEXT PRIMARY KEY,     -- the name case-folded: its identity
        name TEXT NOT NULL,       -- as the user wrote it
        query TEXT NOT NULL,
        created TEXT NOT NULL     -- ISO 8601, UTC, seconds
    ) WITHOUT ROWID""",
    """CREATE TABLE saved_search_openings (
        search_key TEXT NOT NULL REFERENCES saved_searches(key) ON DELETE CASCADE ON UPDATE CASCADE,
        corpus TEXT NOT NULL,     -- the folder it was opened in (paths.corpus_key)
        opened TEXT NOT NULL,     -- ISO 8601, UTC, seconds
        ids BLOB NOT NULL,        -- the article ids it found then: zlib of a sorted JSON list
        PRIMARY KEY (search_key, corpus)
    ) WITHOUT ROWID""",
)
"""The tables, created by the store's schema upgrade to version 3."""


class SavedSearchError(ValueError):
    """A name or query that cannot be saved, a name already taken, or no search of that name."""


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A saved search, with what it found when last opened in the folder it was read for."""

    name: str
    query: str
    created: str
    opened: str | None = None  # when it was last opened in that folder
    seen: frozenset[str] | None = None  # the article ids it listed then; None: never opened there

    def new_among(self, ids: Iterable[str]) -> frozenset[str] | None:
        """The ids it did not list when last opened; None when it was never opened here."""
        if self.seen is None:
            return None
        return frozenset(ids) - self.seen


@dataclass(frozen=True, slots=True)
class SavedSearchStatus:
    """A saved search run on a folder now: how many articles it finds, and how many are new."""

    search: SavedSearch
    count: int | None = None  # None when the query could not be run (``error`` says why)
    new: int | None = None  # None when it was never opened in this folder
    error: str | None = None


def normalise_name(name: str) -> str:
    """A name as stored: spaces collapsed; refused when empty, too long or holding controls."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise SavedSearchError("a saved search needs a name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise SavedSearchError(f"a saved search's name has at most {MAX_NAME_LENGTH} characters")
    if visible(cleaned, None) != cleaned:
        raise SavedSearchError(f"a saved search's name cannot hold control characters: {visible(cleaned, 80)}")
    return cleaned


def name_key(name: str) -> str:
    """The identity of a name: ``Kanye`` and ``kanye`` are one saved search."""
    return normalise_name(name).casefold()


def _query(query: str) -> str:
    cleaned = query.strip()
    if not cleaned:
        raise SavedSearchError("there is no query to save")
    if len(cleaned) > MAX_QUERY_LENGTH:
        raise SavedSearchError(f"the query is too long to save ({len(cleaned):,} characters; at most 1,000)")
    return cleaned


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def pack_ids(ids: Iterable[str]) -> bytes:
    return zlib.compress(json.dumps(sorted(set(ids)), ensure_ascii=False).encode("utf-8"), 6)


def unpack_ids(blob: bytes) -> frozenset[str]:
    return frozenset(json.loads(zlib.decompress(blob).decode("utf-8")))


class SavedSearches:
    """The saved searches of the user-data store, read for one folder (``corpus``).

    Without a folder, what each search found when last opened is neither read nor written.
    """

    def __init__(self, store: TagStore, corpus: str | None = None) -> None:
        self.store = store
        self.corpus = corpus

    # -- reading ---------------------------------------------------------------------------

    def all(self) -> list[SavedSearch]:
        """Every saved search, A to Z by name."""
        with self.store.transaction() as connection:
            rows = connection.execute("SELECT key, name, query, created FROM saved_searches").fetchall()
            openings = self._openings(connection)
        searches = [self._search(row, openings.get(row[0])) for row in rows]
        return sorted(searches, key=lambda search: (search.name.casefold(), search.name))

    def get(self, name: str) -> SavedSearch | None:
        key = name_key(name)
        with self.store.transaction() as connection:
            row = connection.execute(
                "SELECT key, name, query, created FROM saved_searches WHERE key = ?", (key,)
            ).fetchone()
            openings = self._openings(connection, key)
        return self._search(row, openings.get(key)) if row else None

    # -- writing ---------------------------------------------------------------------------

    def save(
        self, name: str, query: str, seen: Collection[str] | None = None, *, replace: bool = True
    ) -> SavedSearch:
        """Keep ``query`` under ``name``; ``seen``: the articles it finds now in this folder,
        which count as opened. A name already taken is replaced, or refused without ``replace``.

        A new query under an old name forgets what the old query found, in every folder.
        """
        name, query = normalise_name(name), _query(query)
        key = name.casefold()
        now = _now()
        with self.store.transaction(write=True) as connection:
            before = connection.execute("SELECT query FROM saved_searches WHERE key = ?", (key,)).fetchone()
            if before is not None and not replace:
                raise SavedSearchError(f"there is already a saved search named {visible(name, 80)}")
            if before is None:
                connection.execute(
                    "INSERT INTO saved_searches (key, name, query, created) VALUES (?, ?, ?, ?)",
                    (key, name, query, now),
                )
            else:
                connection.execute("UPDATE saved_searches SET name = ?, query = ? WHERE key = ?", (name, query, key))
                if before[0] != query:
                    connection.execute("DELETE FROM saved_search_openings WHERE search_key = ?", (key,))
            if seen is not None:
                self._record_opening(connection, key, seen, now)
        found = self.get(name)
        assert found is not None
        return found

    def rename(self, name: str, new_name: str) -> SavedSearch:
        """Give a saved search another name (another case of the same name is fine)."""
        key, new_name = name_key(name), normalise_name(new_name)
        new_key = new_name.casefold()
        with self.store.transaction(write=True) as connection:
            if connection.execute("SELECT 1 FROM saved_searches WHERE key = ?", (key,)).fetchone() is None:
                raise SavedSearchError(f"no saved search is named {visible(name, 80)}")
            taken = connection.execute("SELECT name FROM saved_searches WHERE key = ?", (new_key,)).fetchone()
            if taken is not None and new_key != key:
                raise SavedSearchError(f"there is already a saved search named {visible(taken[0], 80)}")
            connection.execute("UPDATE saved_searches SET key = ?, name = ? WHERE key = ?", (new_key, new_name, key))
        found = self.get(new_name)
        assert found is not None
        return found

    def remove(self, name: str) -> bool:
        """Forget a saved search (and what it found in every folder); False when there was none."""
        key = name_key(name)
        with self.store.transaction(write=True) as connection:
            removed = connection.execute("DELETE FROM saved_searches WHERE key = ?", (key,)).rowcount
        return bool(removed)

    def mark_opened(self, name: str, ids: Collection[str]) -> bool:
        """Remember that the search, opened in this folder now, listed ``ids``; False when no
        search has that name (it was removed meanwhile, perhaps by another process)."""
        if self.corpus is None:
            raise ValueError("opening a saved search needs the folder it was opened in")
        key = name_key(name)
        with self.store.transaction(write=True) as connection:
            if connection.execute("SELECT 1 FROM saved_searches WHERE key = ?", (key,)).fetchone() is None:
                return False
            self._record_opening(connection, key, ids, _now())
        return True

    # -- plumbing --------------------------------------------------------------------------

    def _record_opening(self, connection: sqlite3.Connection, key: str, ids: Iterable[str], when: str) -> None:
        if self.corpus is None:
            return
        connection.execute(
            "INSERT INTO saved_search_openings (search_key, corpus, opened, ids) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (search_key, corpus) DO UPDATE SET opened = excluded.opened, ids = excluded.ids",
            (key, self.corpus, when, pack_ids(ids)),
        )

    def _openings(self, connection: sqlite3.Connection, key: str | None = None) -> dict[str, tuple[str, bytes]]:
        """search key -> (when opened, packed ids) in this folder."""
        if self.corpus is None:
            return {}
        statement = "SELECT search_key, opened, ids FROM saved_search_openings WHERE corpus = ?"
        parameters: tuple[str, ...] = (self.corpus,)
        if key is not None:
            statement += " AND search_key = ?"
            parameters += (key,)
        return {row[0]: (row[1], row[2]) for row in connection.execute(statement, parameters)}

    @staticmethod
    def _search(row: tuple[str, str, str, str], opening: tuple[str, bytes] | None) -> SavedSearch:
        _, name, query, created = row
        if opening is None:
            return SavedSearch(name, query, created)
        return SavedSearch(name, query, created, opened=opening[0], seen=unpack_ids(opening[1]))
