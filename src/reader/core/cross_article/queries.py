"""Reading the analysis: quote clusters, quotes, people, near-duplicate groups and timelines.

Every answer is a plain value from ``results``; a selection of articles (the hits of a search)
narrows an answer to them, read from their rows only.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from reader.core.cross_article import cluster_rows, wording_store
from reader.core.cross_article.analysis_file import AnalysisFile
from reader.core.cross_article.cluster_rows import APPEARANCE, CLUSTER_COLUMN, OCCURRENCE_COLUMNS
from reader.core.cross_article.identities import SurnameLink
from reader.core.cross_article.neardup import similarity
from reader.core.cross_article.normalise import file_order_key, name_key
from reader.core.cross_article.people_across import (
    PersonMatch,
    article_links,
    match_person,
    read_people,
    speaker_keys,
)
from reader.core.cross_article.results import (
    Bucket,
    DuplicateGroup,
    DuplicateMember,
    PersonAcross,
    QuoteCluster,
    QuoteOccurrence,
    Timeline,
)
from reader.core.cross_article.timeline import build_timeline
from reader.core.dates import date_from_iso
from reader.core.sqlite_access import for_keys

_DUPLICATE_COLUMNS = "a.dup_group, a.id, a.title, a.outlet, a.date, a.signature"

Scope = Callable[[str, str], str]
"""``scope(table_and_alias, id_column)``: a FROM clause limited to the selected articles."""


class AnalysisQueries:
    """The questions the CLI and the app ask of one open analysis file."""

    def __init__(self, file: AnalysisFile) -> None:
        self._file = file

    def article_ids(self) -> set[str]:
        """Every article the analysis holds, so a caller can tell what it still has to feed."""
        with self._file.lock:
            return {row[0] for row in self._file.db.execute("SELECT id FROM articles")}

    def article_count(self) -> int:
        """How many articles the analysis holds (a re-open compares it with the catalog's count).

        Counted over the rows themselves, not an index: reading every page of the table, as
        ``fingerprints`` does, is how a sync finds the file damaged."""
        with self._file.lock:
            count: int = self._file.db.execute("SELECT count(fingerprint) FROM articles").fetchone()[0]
        return count

    def fingerprints(self) -> dict[str, str]:
        """Article id to the text fingerprint it was analysed with."""
        with self._file.lock:
            return dict(self._file.db.execute("SELECT id, fingerprint FROM articles"))

    # --- quotes and clusters

    def refresh_wording(self) -> int:
        """Compare again the members of clusters changed since the last time; return how many.

        ``Library.sync`` does this once at its end, after its last update; whoever feeds the
        analysis otherwise calls it the same way. Until then the questions below give the
        wording as it was (a read never waits for that work, nor for another process's sync).
        A file another process holds locked past the timeout is left for the next time.
        """
        with self._file.lock:
            if not wording_store.pending(self._file.db):
                return 0
            try:
                with self._file.transaction() as db:
                    return wording_store.refresh(db)
            except sqlite3.OperationalError:  # busy past the timeout, or read-only
                return 0

    def clusters(self, min_articles: int = 2) -> list[QuoteCluster]:
        """Quotes carried by at least ``min_articles`` articles, the most widely carried first.

        Each member carries its ``wording`` against the earliest copy of its words.
        """
        with self._file.lock:
            ids = [
                row[0]
                for row in self._file.db.execute(
                    "SELECT v.cluster FROM quotes q JOIN variants v ON v.id = q.variant "
                    "GROUP BY v.cluster HAVING COUNT(DISTINCT q.article_id) >= ?",
                    (min_articles,),
                )
            ]
            found = self._clusters_of(ids, min_articles)
        return sorted(found, key=lambda c: (-c.article_count, _appearance_key(c.first), c.id))

    def clusters_for(self, article_id: str, min_articles: int = 2) -> dict[tuple[int, int], QuoteCluster]:
        """The clusters of one article's quotes, keyed by each quote's (start, end) in it."""
        with self._file.lock:
            spans: dict[int, list[tuple[int, int]]] = {}
            for start, end, cluster in self._file.db.execute(
                "SELECT q.quote_start, q.quote_end, v.cluster FROM quotes q "
                "JOIN variants v ON v.id = q.variant WHERE q.article_id = ?",
                (article_id,),
            ):
                spans.setdefault(cluster, []).append((start, end))
            found = self._clusters_of(spans, min_articles)
        return {span: cluster for cluster in found for span in spans[cluster.id]}

    def quotes(self, article_ids: Collection[str] | None = None) -> list[QuoteOccurrence]:
        """Every quote of the given articles (all when None), in order of appearance."""
        with self._selection(article_ids) as scope:
            return self._occurrences("1", (), scope("quotes q", "q.article_id"))

    def quotes_by(self, person_name: str) -> list[QuoteOccurrence]:
        """The quotes attributed to a person across all articles, in order of appearance: under
        any spelling of their full name, and under their bare surname where it is linked to them."""
        with self._file.lock:
            keys, linked = speaker_keys(match_person(self._file.db, person_name), person_name)
            every = sorted(keys | linked.keys())
            found = self._occurrences(f"q.speaker_key IN ({','.join('?' * len(every))})", every)
        return [
            quote
            for quote in found
            if (key := name_key(quote.speaker or "")) in keys or quote.article_id in linked.get(key, ())
        ]

    def _occurrences(self, where: str, params: Sequence[Any], quotes: str = "quotes q") -> list[QuoteOccurrence]:
        db = self._file.db
        rows = db.execute(
            f"SELECT {OCCURRENCE_COLUMNS} FROM {quotes} JOIN articles a ON a.id = q.article_id "
            f"LEFT JOIN variants v ON v.id = q.variant WHERE {where} "
            f"ORDER BY {APPEARANCE}, q.quote_start",
            params,
        ).fetchall()
        spread: dict[int, int] = dict(
            for_keys(
                db,
                "SELECT v.cluster, COUNT(DISTINCT q.article_id) FROM variants v "
                "JOIN quotes q ON q.variant = v.id WHERE v.cluster IN (?keys) GROUP BY v.cluster",
                {row[CLUSTER_COLUMN] for row in rows if row[CLUSTER_COLUMN] is not None},
            )
        )
        return [
            cluster_rows.occurrence(row, 1 if row[CLUSTER_COLUMN] is None else spread.get(row[CLUSTER_COLUMN], 1))
            for row in rows
        ]

    def _clusters_of(self, cluster_ids: Iterable[int], min_articles: int) -> list[QuoteCluster]:
        rows_of: dict[int, list[tuple[Any, ...]]] = {}
        for row in for_keys(
            self._file.db,
            f"SELECT {OCCURRENCE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id "
            f"JOIN variants v ON v.id = q.variant WHERE v.cluster IN (?keys) "
            f"ORDER BY {APPEARANCE}, q.quote_start",
            cluster_ids,
        ):
            rows_of.setdefault(row[CLUSTER_COLUMN], []).append(row)
        found = (cluster_rows.cluster(cluster_id, rows) for cluster_id, rows in rows_of.items())
        return [cluster for cluster in found if cluster.article_count >= min_articles]

    # --- people

    def people(self, article_ids: Collection[str] | None = None) -> list[PersonAcross]:
        """Everyone the articles name, the most widely mentioned first: one entry per person of
        the corpus (see ``identities``), a bare surname counted for the one person it can be."""
        with self._selection(article_ids) as scope:
            return read_people(
                self._file.db,
                scope("people p", "p.article_id"),
                scope("quotes q", "q.article_id"),
                whole=article_ids is None,
            )

    def person_match(self, name: str) -> PersonMatch | None:
        """A full name as a search should find it: every spelling of the person, and the articles
        that give only their surname (linked); None when no article names them so."""
        with self._file.lock:
            return match_person(self._file.db, name)

    def person_links(self, article_id: str) -> dict[str, SurnameLink]:
        """Each bare surname of one article (as written) with the person it is linked to, or the
        people who share it when the corpus cannot tell."""
        with self._file.lock:
            return article_links(self._file.db, article_id)

    # --- near-duplicates

    def duplicates(self) -> list[DuplicateGroup]:
        """Every group of near-duplicate articles, the largest first."""
        with self._file.lock:
            rows = self._file.db.execute(
                f"SELECT {_DUPLICATE_COLUMNS} FROM articles a "
                f"WHERE a.dup_group IS NOT NULL ORDER BY {APPEARANCE}"
            ).fetchall()
        groups = _duplicate_groups(rows)
        return sorted(groups, key=lambda g: (-len(g.members), g.representative.article_id))

    def duplicate_representatives(self) -> dict[str, str]:
        """Every article that has near-duplicates, mapped to its group's representative.

        The representative maps to itself: a list marks the others as copies, or folds them away.
        """
        with self._file.lock:
            return dict(self._file.db.execute("SELECT id, dup_group FROM articles WHERE dup_group IS NOT NULL"))

    def duplicate_group_of(self, article_id: str) -> DuplicateGroup | None:
        """The near-duplicate group an article belongs to, or None when it has no copies."""
        with self._file.lock:
            rows = self._file.db.execute(
                f"SELECT {_DUPLICATE_COLUMNS} FROM articles a "
                "WHERE a.dup_group = (SELECT dup_group FROM articles WHERE id = ?) "
                f"ORDER BY {APPEARANCE}",
                (article_id,),
            ).fetchall()
        groups = _duplicate_groups(rows)
        return groups[0] if groups else None

    # --- dates

    def timeline(self, article_ids: Collection[str] | None = None, bucket: Bucket = "day") -> Timeline:
        """Articles per day, week or month (all articles when ``article_ids`` is None)."""
        with self._selection(article_ids) as scope:
            rows = self._file.db.execute(
                f"SELECT a.id, a.date FROM {scope('articles a', 'a.id')} ORDER BY a.order_key"
            ).fetchall()
        return build_timeline(
            ((article_id, dt.date.fromisoformat(date[:10]) if date else None) for article_id, date in rows),
            bucket,
        )

    @contextmanager
    def _selection(self, article_ids: Collection[str] | None) -> Iterator[Scope]:
        """Yield a ``Scope`` limited to the given ids (None is no limit).

        With ids, the clause starts from them (``selected CROSS JOIN …``), so a search of a
        few hundred hits reads those articles' rows, not the whole table.
        """
        db = self._file.db
        with self._file.lock:
            if article_ids is None:
                yield lambda table, column: table
                return
            db.execute("CREATE TEMP TABLE IF NOT EXISTS selected(id TEXT PRIMARY KEY)")
            db.execute("DELETE FROM selected")
            db.executemany("INSERT OR IGNORE INTO selected VALUES (?)", ((i,) for i in article_ids))
            try:
                yield lambda table, column: f"selected s CROSS JOIN {table} ON {column} = s.id"
            finally:
                db.execute("DELETE FROM selected")


def _appearance_key(occurrence: QuoteOccurrence) -> tuple[bool, str, str]:
    date = occurrence.date.isoformat() if occurrence.date is not None else ""
    return (occurrence.date is None, date, file_order_key(occurrence.article_id))


def _duplicate_groups(rows: list[tuple[Any, ...]]) -> list[DuplicateGroup]:
    """Groups from rows of ``_DUPLICATE_COLUMNS`` in appearance order, the representative first."""
    by_group: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_group.setdefault(row[0], []).append(row)
    groups = []
    for representative_id, members in by_group.items():
        members.sort(key=lambda row: row[1] != representative_id)  # stable: keeps appearance order
        representative_signature = members[0][5]
        groups.append(
            DuplicateGroup(
                tuple(
                    DuplicateMember(
                        article_id=article_id,
                        title=title,
                        outlet=outlet,
                        date=date_from_iso(date),
                        similarity=similarity(representative_signature, packed) if index else 1.0,
                    )
                    for index, (_, article_id, title, outlet, date, packed) in enumerate(members)
                )
            )
        )
    return groups
