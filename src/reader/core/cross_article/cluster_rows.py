"""Quotes as stored rows and as values: one place for the columns read and how they are read.

A quote row carries its cluster's wording comparison (``wording_store`` writes it): the class,
and for a "changed" copy its changes as compact JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from reader.core.cross_article.identities import tally_speakers
from reader.core.cross_article.results import QuoteCluster, QuoteOccurrence
from reader.core.cross_article.wording import SAME, WordChange, WordingComparison
from reader.core.dates import date_from_iso

APPEARANCE = "a.date IS NULL, a.date, a.order_key"
"""SQL order of appearance: dated first, by date, then in file order."""

OCCURRENCE_COLUMNS = (
    "q.article_id, a.title, q.text, q.quote_start, q.quote_end, q.speaker, a.outlet, a.date, "
    "v.cluster, v.key, q.wording, q.changes"
)
"""What ``occurrence`` reads, from ``quotes q JOIN articles a LEFT JOIN variants v``."""

CLUSTER_COLUMN, _KEY, WORDING_COLUMN, CHANGES_COLUMN = 8, 9, 10, 11  # in a row of OCCURRENCE_COLUMNS
_UNCHANGED = {
    "same": SAME,
    "shortened": WordingComparison("shortened", ()),
    "extended": WordingComparison("extended", ()),
}


def occurrence(row: Sequence[Any], cluster_articles: int) -> QuoteOccurrence:
    """A row of ``OCCURRENCE_COLUMNS`` as a quote where it stands."""
    article_id, title, text, start, end, speaker, outlet, date, cluster, _, wording, changes = row
    return QuoteOccurrence(
        article_id=article_id,
        title=title,
        text=text,
        start=start,
        end=end,
        speaker=speaker,
        outlet=outlet,
        date=date_from_iso(date),
        cluster_id=cluster,
        cluster_articles=cluster_articles,
        wording=decode_wording(wording, changes) if cluster_articles > 1 else None,
    )


def cluster(cluster_id: int, rows: Sequence[Sequence[Any]]) -> QuoteCluster:
    """A cluster from its quotes' rows, in order of appearance."""
    carriers: dict[str, set[str]] = {}  # wording (key) -> the articles that carry it
    kept: set[str] = set()  # keys some article quotes without changing words inside
    for row in rows:
        carriers.setdefault(row[_KEY], set()).add(row[0])
        if row[WORDING_COLUMN] != "changed":
            kept.add(row[_KEY])
    article_count = len(set().union(*carriers.values()))
    # The wording most articles carry; on a tie one nobody reworded, then the longest.
    best = max(carriers, key=lambda key: (len(carriers[key]), key in kept, len(key), key))
    members = tuple(occurrence(row, article_count) for row in rows)
    tally = tally_speakers((member.article_id, member.speaker) for member in members)
    return QuoteCluster(
        id=cluster_id,
        text=next(row[2] for row in rows if row[_KEY] == best),
        members=members,
        article_count=article_count,
        outlet_count=len({member.outlet.casefold() for member in members if member.outlet}),
        speakers=tally.speakers,
        unnamed=tally.unnamed,
    )


# ------------------------------------------------------------------ the wording columns


def encode_wording(comparison: WordingComparison | None) -> tuple[str | None, str | None]:
    """The ``wording`` and ``changes`` columns of a copy: changes only for a "changed" one."""
    if comparison is None:
        return None, None
    if comparison.wording != "changed":
        return comparison.wording, None
    changes = [
        [
            list(change.removed), list(change.inserted), change.start, change.end,
            change.reference_start, change.reference_end, change.inside, list(change.reasons),
        ]
        for change in comparison.changes
    ]
    return "changed", json.dumps(changes, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=4096)  # copies of one reworded copy store the same changes: read them once
def decode_wording(wording: str | None, changes: str | None) -> WordingComparison | None:
    """The comparison stored by ``encode_wording``; None when none was (yet) worked out."""
    if wording is None:
        return None
    if wording in _UNCHANGED:
        return _UNCHANGED[wording]
    try:
        return WordingComparison("changed", tuple(_change(item) for item in json.loads(changes or "[]")))
    except (ValueError, TypeError):  # damaged: the quote still lists, its changes unknown
        return WordingComparison("changed", ())


def _change(item: list[Any]) -> WordChange:
    removed, inserted, start, end, reference_start, reference_end, inside, reasons = item
    return WordChange(
        removed=tuple(removed),
        inserted=tuple(inserted),
        start=start,
        end=end,
        reference_start=reference_start,
        reference_end=reference_end,
        inside=bool(inside),
        reasons=tuple(reasons),
    )
