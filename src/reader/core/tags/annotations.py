"""The user's highlights and notes, kept beside the tags in the same store file.

A highlight belongs to an article exactly as a tag does (``identity``: it follows the file
through renames, moves and small edits; an identical copy is another article), and is stored as
a W3C text-quote selector with a position hint (``anchoring``), so it is placed again in the
text as it is now. An article may also carry a note of its own. Every change is one
``BEGIN IMMEDIATE`` transaction that bumps the store's generation, committed (WAL, full sync)
before the call returns: the guarantees the tags have.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.sqlite_access import slices
from reader.core.tags import identity
from reader.core.tags.anchoring import TextQuote, describe
from reader.core.tags.annotation_values import (
    AnnotatedArticle,
    Annotations,
    ArticleRef,
    Highlight,
    Placed,
    clean_note,
    now,
    place,
)
from reader.core.tags.identity import Known, Probe, marks, unsigned

if TYPE_CHECKING:
    from reader.core.tags.store import TagStore

_ID_BYTES = 6  # 12 hexadecimal digits: short to type, unique for any one person's highlights

# A step of the store's schema (see ``store._UPGRADES``).
ANNOTATION_TABLES = (
    """CREATE TABLE annotated (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        title TEXT NOT NULL DEFAULT '',   -- what the article was when last annotated, for exports
        date TEXT NOT NULL DEFAULT '',
        outlet TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',    -- the note on the article as a whole
        note_updated TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE highlights (
        id TEXT PRIMARY KEY,              -- stable across export and import
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        exact TEXT NOT NULL,              -- the W3C TextQuoteSelector
        prefix TEXT NOT NULL,
        suffix TEXT NOT NULL,
        hint_start INTEGER NOT NULL,      -- the TextPositionSelector: where it was last placed
        hint_end INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL,            -- ISO 8601, UTC, seconds
        updated TEXT NOT NULL
    )""",
    "CREATE INDEX highlights_by_article ON highlights(article_id, hint_start)",
)


class AnnotationStore:
    """Highlights and notes in a ``TagStore``'s file, through its connection and lock."""

    def __init__(self, store: TagStore) -> None:
        self._store = store

    # -- reading -----------------------------------------------------------------------------

    def annotations_for(self, ref: identity.TagRef) -> Annotations:
        return self.annotations_for_many([ref])[ref.path]

    def annotations_for_many(self, refs: Iterable[identity.TagRef]) -> dict[Path, Annotations]:
        """Annotations of many articles, keyed by ``ref.path``; empty ones for the rest."""
        return self._store.read_many(refs, annotations_of, Annotations())

    def find(self, id_prefix: str) -> list[tuple[str, Highlight]]:
        """Highlights whose id starts with ``id_prefix`` (as ``git`` takes short hashes), each
        with the path its article was last seen at ("" when unknown)."""
        prefix = id_prefix.strip().lower()
        if not prefix:
            return []
        with self._store.transaction() as connection:
            rows = connection.execute(
                f"SELECT a.path, {_HIGHLIGHT_COLUMNS} FROM highlights h JOIN articles a ON a.id = h.article_id "
                "WHERE h.id >= ? AND h.id < ? ORDER BY h.id",
                (prefix, prefix + "\U0010ffff"),
            ).fetchall()
        return [(row[0] or "", _highlight(row[1:])) for row in rows]

    def export_articles(self) -> list[AnnotatedArticle]:
        """Every annotated article, in a stable order: what ``import_articles`` takes back."""
        with self._store.transaction() as connection:
            rows = connection.execute(
                "SELECT a.id, a.path, a.fingerprint, a.sketch, n.title, n.date, n.outlet, n.note, n.note_updated "
                "FROM annotated n JOIN articles a ON a.id = n.article_id"
            ).fetchall()
            highlights = _highlights_of(connection, [row[0] for row in rows])
            aliases: dict[int, list[str]] = {}
            for article_id, fingerprint in connection.execute(
                "SELECT f.article_id, f.fingerprint FROM fingerprints f "
                "JOIN annotated n ON n.article_id = f.article_id JOIN articles a ON a.id = f.article_id "
                "WHERE f.fingerprint != a.fingerprint ORDER BY f.fingerprint"
            ):
                aliases.setdefault(article_id, []).append(fingerprint)
        found = [
            AnnotatedArticle(
                fingerprint=fingerprint,
                path=path or "",
                sketch=unsigned(sketch),
                aliases=tuple(aliases.get(article_id, ())),
                title=title,
                date=date,
                outlet=outlet,
                note=note,
                note_updated=note_updated,
                highlights=tuple(highlights.get(article_id, ())),
            )
            for article_id, path, fingerprint, sketch, title, date, outlet, note, note_updated in rows
        ]
        return sorted(found, key=lambda article: (article.path, article.fingerprint, article.title))

    # -- writing -----------------------------------------------------------------------------

    def add_highlight(self, article: ArticleRef, start: int, end: int, note: str = "") -> Highlight:
        """Highlight ``article.text[start:end]`` (spaces at its ends left out) and return it.

        Highlights of the article it overlaps, where they stand now, are merged into it: one
        highlight over both passages, keeping the older id and every note.
        """
        start, end = _trimmed(article.text, start, end)
        if start >= end:
            raise ValueError("nothing to highlight: the passage is empty")
        if not article.fingerprint:
            raise ValueError(f"cannot highlight {article.path}: it has no fingerprint")
        note = clean_note(note)
        stamp = now()
        with self._store.transaction(write=True) as connection:
            article_id = self._article_for_writing(connection, article)
            overlapping = _overlapping(connection, article_id, article.text, start, end)
            for placed in overlapping:
                start, end = min(start, placed.start or start), max(end, placed.end or end)
            notes = [p.highlight.note for p in overlapping if p.highlight.note] + ([note] if note else [])
            unique_notes = list(dict.fromkeys(notes))
            oldest = min((p.highlight for p in overlapping), key=lambda h: (h.created, h.id), default=None)
            highlight = Highlight(
                id=oldest.id if oldest is not None else _new_id(connection),
                quote=describe(article.text, start, end),
                start=start,
                end=end,
                note="\n\n".join(unique_notes),
                created=oldest.created if oldest is not None else stamp,
                updated=stamp,
            )
            connection.executemany("DELETE FROM highlights WHERE id = ?", [(p.highlight.id,) for p in overlapping])
            _insert_highlight(connection, article_id, highlight)
        return highlight

    def set_highlight_note(self, highlight_id: str, note: str) -> Highlight:
        """Give a highlight a new note ("" takes it off); ``KeyError`` when there is no such highlight."""
        note = clean_note(note)
        with self._store.transaction(write=True) as connection:
            query = f"SELECT {_HIGHLIGHT_COLUMNS} FROM highlights h WHERE h.id = ?"
            row = connection.execute(query, (highlight_id,)).fetchone()
            if row is None:
                raise KeyError(f"no highlight {highlight_id}")
            _bump(connection)
            stamp = now()
            connection.execute("UPDATE highlights SET note = ?, updated = ? WHERE id = ?", (note, stamp, highlight_id))
        return replace(_highlight(row), note=note, updated=stamp)

    def remove_highlights(self, highlight_ids: Iterable[str]) -> int:
        """Take highlights off (with their notes); return how many there were."""
        ids = list(dict.fromkeys(highlight_ids))
        with self._store.transaction(write=True) as connection:
            query = "SELECT DISTINCT article_id FROM highlights WHERE id IN"
            articles = [
                row[0] for chunk in slices(ids) for row in connection.execute(f"{query} ({marks(len(chunk))})", chunk)
            ]
            _bump(connection)
            removed = sum(
                connection.execute(f"DELETE FROM highlights WHERE id IN ({marks(len(chunk))})", chunk).rowcount
                for chunk in slices(ids)
            )
            forget_unused(connection, articles)
        return removed

    def set_article_note(self, article: ArticleRef, note: str) -> None:
        """The note on the article as a whole ("" takes it off)."""
        note = clean_note(note)
        with self._store.transaction(write=True) as connection:
            article_id = self._article_for_writing(connection, article)
            connection.execute(
                "UPDATE annotated SET note = ?, note_updated = ? WHERE article_id = ?", (note, now(), article_id)
            )
            forget_unused(connection, [article_id])

    def import_articles(self, articles: Iterable[AnnotatedArticle]) -> tuple[int, int]:
        """Merge exported annotations in one transaction; return (highlights and notes added,
        already there). A highlight is the same one when its id is; of two different notes
        on one article, the one written last wins."""
        added = unchanged = 0
        by_path: dict[str, int] = {}
        with self._store.transaction(write=True) as connection:
            _bump(connection)
            for item in articles:
                article_id = by_path.get(item.path) if item.path else None
                if article_id is None:
                    probe = Probe(Path(item.path) if item.path else None, item.fingerprint, sketch_value=item.sketch)
                    article_id = identity.article_for_import(connection, probe, item.aliases, set(by_path.values()))
                    if item.path:
                        by_path[item.path] = article_id
                new, same = _import_one(connection, article_id, item)
                added, unchanged = added + new, unchanged + same
            forget_unused(connection, list(by_path.values()))
        return added, unchanged

    def _article_for_writing(self, connection: sqlite3.Connection, article: ArticleRef) -> int:
        """The stored article of ``article`` (made if new), with what exports show of it now."""
        _bump(connection)
        article_id = identity.articles_for_writing(connection, [Probe.of(article)])[0]
        connection.execute(
            "INSERT INTO annotated (article_id, title, date, outlet) VALUES (?, ?, ?, ?) ON CONFLICT (article_id) "
            "DO UPDATE SET title = excluded.title, date = excluded.date, outlet = excluded.outlet",
            (article_id, article.title, article.date_label, article.outlet or ""),
        )
        return article_id


# -- reading rows ----------------------------------------------------------------------------------

_HIGHLIGHT_COLUMNS = "h.id, h.exact, h.prefix, h.suffix, h.hint_start, h.hint_end, h.note, h.created, h.updated"


def _highlight(row: Sequence[object]) -> Highlight:
    hid, exact, prefix, suffix, start, end, note, created, updated = row
    assert isinstance(start, int) and isinstance(end, int)
    return Highlight(
        str(hid), TextQuote(str(exact), str(prefix), str(suffix)), start, end, str(note), str(created), str(updated)
    )


def _highlights_of(connection: sqlite3.Connection, article_ids: Sequence[int]) -> dict[int, list[Highlight]]:
    found: dict[int, list[Highlight]] = {}
    for chunk in slices(sorted(set(article_ids))):
        for row in connection.execute(
            f"SELECT h.article_id, {_HIGHLIGHT_COLUMNS} FROM highlights h "
            f"WHERE h.article_id IN ({marks(len(chunk))}) ORDER BY h.hint_start, h.hint_end, h.id",
            chunk,
        ):
            found.setdefault(row[0], []).append(_highlight(row[1:]))
    return found


def annotations_of(connection: sqlite3.Connection, found: Iterable[Known | None]) -> dict[int, Annotations]:
    """The annotations of each stored article found that has any, by its id."""
    ids = sorted({known.id for known in found if known is not None})
    notes: dict[int, tuple[str, str]] = {}
    for chunk in slices(ids):
        for article_id, note, updated in connection.execute(
            f"SELECT article_id, note, note_updated FROM annotated WHERE article_id IN ({marks(len(chunk))})", chunk
        ):
            notes[article_id] = (note, updated)
    highlights = _highlights_of(connection, list(notes))
    return {
        article_id: Annotations(note, updated, tuple(highlights.get(article_id, ())))
        for article_id, (note, updated) in notes.items()
        if note or article_id in highlights
    }


# -- writing rows ----------------------------------------------------------------------------------


def _bump(connection: sqlite3.Connection) -> None:
    connection.execute("UPDATE generation SET value = value + 1")


def forget_unused(connection: sqlite3.Connection, article_ids: Iterable[int]) -> None:
    """Forget articles that carry nothing any more (no tag, highlight or note): the store holds
    nothing it does not need."""
    rows = [(article_id,) for article_id in set(article_ids)]
    connection.executemany(
        "DELETE FROM annotated WHERE article_id = ? AND note = '' AND NOT EXISTS "
        "(SELECT 1 FROM highlights WHERE highlights.article_id = annotated.article_id)",
        rows,
    )
    connection.executemany(
        "DELETE FROM articles WHERE id = ? "
        "AND NOT EXISTS (SELECT 1 FROM tags WHERE article_id = articles.id) "
        "AND NOT EXISTS (SELECT 1 FROM annotated WHERE article_id = articles.id)",
        rows,
    )


def _new_id(connection: sqlite3.Connection) -> str:
    while True:
        candidate = secrets.token_hex(_ID_BYTES)
        if connection.execute("SELECT 1 FROM highlights WHERE id = ?", (candidate,)).fetchone() is None:
            return candidate


def _insert_highlight(connection: sqlite3.Connection, article_id: int, highlight: Highlight) -> None:
    quote = highlight.quote
    connection.execute(
        "INSERT INTO highlights (id, article_id, exact, prefix, suffix, hint_start, hint_end, note, created, updated) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (highlight.id, article_id, quote.exact, quote.prefix, quote.suffix, highlight.start, highlight.end,
         highlight.note, highlight.created, highlight.updated),
    )


def _overlapping(connection: sqlite3.Connection, article_id: int, text: str, start: int, end: int) -> list[Placed]:
    """The article's highlights that, placed in ``text``, overlap ``[start, end)``."""
    stored = _highlights_of(connection, [article_id]).get(article_id, [])
    placed = place(text, Annotations(highlights=tuple(stored)))
    return [p for p in placed if p.start is not None and p.end is not None and p.start < end and start < p.end]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _import_one(connection: sqlite3.Connection, article_id: int, item: AnnotatedArticle) -> tuple[int, int]:
    """Merge one exported article into stored article ``article_id``: (added, already there)."""
    connection.execute(
        "INSERT INTO annotated (article_id, title, date, outlet, note, note_updated) VALUES (?, ?, ?, ?, '', '') "
        "ON CONFLICT (article_id) DO NOTHING",
        (article_id, item.title, item.date, item.outlet),
    )
    added = unchanged = 0
    if item.note:
        note, updated = connection.execute(
            "SELECT note, note_updated FROM annotated WHERE article_id = ?", (article_id,)
        ).fetchone()
        if note != item.note and (not note or item.note_updated > updated):
            connection.execute(
                "UPDATE annotated SET note = ?, note_updated = ? WHERE article_id = ?",
                (item.note, item.note_updated or now(), article_id),
            )
            added += 1
        else:
            unchanged += 1
    for highlight in item.highlights:
        existing = connection.execute("SELECT note, updated FROM highlights WHERE id = ?", (highlight.id,)).fetchone()
        if existing is None:
            stamp = highlight.created or now()
            dated = replace(highlight, created=stamp, updated=highlight.updated or stamp)
            _insert_highlight(connection, article_id, dated)
            added += 1
            continue
        unchanged += 1
        if existing[0] != highlight.note and highlight.updated > existing[1]:
            connection.execute(
                "UPDATE highlights SET note = ?, updated = ? WHERE id = ?",
                (highlight.note, highlight.updated, highlight.id),
            )
    return added, unchanged
