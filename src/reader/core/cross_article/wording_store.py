"""Keeping each quote's wording comparison (``wording``) stored beside it, current as articles come and go.

How a copy compares with the earliest copy of its words depends on its whole cluster: which
articles carry the quote, their dates and order, their wordings. It is worked out when the
clusters change, not each time they are read, so listing them stays as fast as before: an
update marks the variants whose clusters it touched, and ``refresh`` compares the members of
those clusters again and stores the result in the quotes' ``wording`` and ``changes`` columns,
in one transaction with clearing the marks. A full build thus compares every cluster once, at
the end, not once per chunk; one changed file costs the few clusters its quotes belong to.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from reader.core.cross_article import cluster_rows
from reader.core.cross_article.wording import cluster_wording
from reader.core.sqlite_access import for_keys, run_for_keys

CLUSTERS_PER_BATCH = 500  # clusters read and compared at a time: bounded memory on a huge corpus


def mark(db: sqlite3.Connection, variants: Iterable[int]) -> None:
    """Note that the clusters of these variants changed: their wording is worked out again."""
    db.executemany("INSERT OR IGNORE INTO wording_dirty VALUES (?)", ((variant,) for variant in variants))


def pending(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM wording_dirty LIMIT 1").fetchone() is not None


def refresh(db: sqlite3.Connection) -> int:
    """Compare the members of every marked cluster again and store it; return how many clusters
    (carried by two articles or more: the others have nothing to compare).

    Runs inside the caller's transaction, so the marks go only with the comparisons stored.
    """
    marked = db.execute(  # read a batch at a time: after a 100k build, a set of every cluster was ~25 MB
        "SELECT DISTINCT v.cluster FROM wording_dirty d JOIN variants v ON v.id = d.variant ORDER BY v.cluster"
    )
    compared = 0
    while batch := [row[0] for row in marked.fetchmany(CLUSTERS_PER_BATCH)]:
        shared = _shared(db, batch)
        db.executemany("UPDATE quotes SET wording = ?, changes = ? WHERE rowid = ?", _compared(db, shared))
        _forget(db, set(batch) - set(shared))
        compared += len(shared)
    db.execute("DELETE FROM wording_dirty")
    return compared


def _shared(db: sqlite3.Connection, cluster_ids: Sequence[int]) -> list[int]:
    """Those of the clusters that two articles or more carry: most quotes are said once."""
    return [
        row[0]
        for row in for_keys(
            db,
            "SELECT v.cluster FROM variants v JOIN quotes q ON q.variant = v.id WHERE v.cluster IN (?keys) "
            "GROUP BY v.cluster HAVING COUNT(DISTINCT q.article_id) > 1",
            cluster_ids,
        )
    ]


def _forget(db: sqlite3.Connection, cluster_ids: set[int]) -> None:
    """Clear what is stored for quotes no other article carries (any more): nothing to compare."""
    run_for_keys(
        db,
        "UPDATE quotes SET wording = NULL, changes = NULL WHERE wording IS NOT NULL "
        "AND variant IN (SELECT id FROM variants WHERE cluster IN (?keys))",
        cluster_ids,
    )


def _compared(db: sqlite3.Connection, cluster_ids: Sequence[int]) -> Iterator[tuple[str | None, str | None, int]]:
    """(wording, changes, rowid) for every quote of these clusters whose comparison changed."""
    rows_of: dict[int, list[Sequence[Any]]] = {}
    for row in for_keys(
        db,
        f"SELECT {cluster_rows.OCCURRENCE_COLUMNS}, q.rowid FROM quotes q JOIN articles a ON a.id = q.article_id "
        f"JOIN variants v ON v.id = q.variant WHERE v.cluster IN (?keys) "
        f"ORDER BY {cluster_rows.APPEARANCE}, q.quote_start",
        cluster_ids,
    ):
        rows_of.setdefault(row[cluster_rows.CLUSTER_COLUMN], []).append(row)
    for cluster_id, rows in rows_of.items():
        found = cluster_rows.cluster(cluster_id, [row[:-1] for row in rows])
        for row, result in zip(rows, cluster_wording(found), strict=True):
            stored = cluster_rows.encode_wording(result.comparison)
            before = (row[cluster_rows.WORDING_COLUMN], row[cluster_rows.CHANGES_COLUMN])
            if stored != before:  # most copies of a touched cluster compare as they did
                yield (*stored, row[-1])
