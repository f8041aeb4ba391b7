"""Keeping groups of near-duplicate articles current: MinHash bands, links, representatives.

Articles are linked when their signatures (``neardup``) say they are largely the same text;
candidates are only the articles that share an LSH band key. A group is a connected component
of linked articles, marked with its earliest article (the representative). Every function here
runs inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from itertools import chain

from reader.core.cross_article import holder_tables
from reader.core.cross_article.graph import walk_components
from reader.core.cross_article.neardup import DUPLICATE_SIMILARITY, band_keys, similarity
from reader.core.cross_article.quote_clusters import links_touching
from reader.core.cross_article.records import ArticleAnalysis
from reader.core.sqlite_access import for_keys, run_for_keys

MAX_BAND_POSTINGS = 2000  # a band key shared this widely marks boilerplate stubs, not copies


def unlink_articles(db: sqlite3.Connection, article_ids: Collection[str]) -> set[str]:
    """Forget the duplicate links and band keys of these articles (their rows are still there);
    return the articles those links reached."""
    reached = {
        row[0]
        for row in for_keys(
            db, "SELECT high FROM dup_links WHERE low IN (?keys) UNION SELECT low FROM dup_links WHERE high IN (?keys)",
            article_ids,
        )
    }
    run_for_keys(db, "DELETE FROM dup_links WHERE low IN (?keys) OR high IN (?keys)", article_ids)
    signatures = list(for_keys(db, "SELECT id, signature FROM articles WHERE id IN (?keys)", article_ids))
    holder_tables.delete(
        db, "bands", ((band, article_id) for article_id, packed in signatures for band in band_keys(packed))
    )
    return reached


def link_duplicates(db: sqlite3.Connection, records: Iterable[ArticleAnalysis]) -> None:
    """Link each new article to the stored and new articles whose text it nearly repeats."""
    signatures = {record.id: record.signature for record in records if record.signature}
    if not signatures:
        return
    bands = {article_id: band_keys(packed) for article_id, packed in signatures.items()}
    holders = _band_holders(db, bands)
    known = dict(signatures)
    stored = set(chain.from_iterable(holders.values())) - known.keys()
    known.update(for_keys(db, "SELECT id, signature FROM articles WHERE id IN (?keys)", stored))
    links = _similar_pairs(holders.values(), signatures.keys(), known)
    db.executemany("INSERT OR IGNORE INTO dup_links VALUES (?, ?)", links)
    holder_tables.insert(db, "bands", ((band, article_id) for article_id, keys in bands.items() for band in keys))


def _band_holders(db: sqlite3.Connection, bands: dict[str, list[int]]) -> dict[int, list[str]]:
    """The articles, stored or new, holding each band key that more than one article has."""
    wanted = chain.from_iterable(bands.values())
    holders: dict[int, list[str]] = holder_tables.stored_holders(db, "bands", wanted)
    counts = Counter(chain.from_iterable(bands.values()))
    shared = {band for band, count in counts.items() if count > 1} | holders.keys()
    for article_id, keys in bands.items():
        for band in shared.intersection(keys):
            holders.setdefault(band, []).append(article_id)
    return holders


def _similar_pairs(
    groups: Iterable[Sequence[str]], new: Collection[str], signatures: dict[str, bytes]
) -> list[tuple[str, str]]:
    """Pairs within each band group, one of them new, whose texts are near-duplicates."""
    compared: set[tuple[str, str]] = set()
    links = []
    for group in groups:
        if len(group) > MAX_BAND_POSTINGS:
            continue
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                pair = (first, second) if first < second else (second, first)
                if pair in compared or (first not in new and second not in new):
                    continue
                compared.add(pair)
                if similarity(signatures[first], signatures[second]) >= DUPLICATE_SIMILARITY:
                    links.append(pair)
    return links


def regroup(db: sqlite3.Connection, touched: set[str]) -> None:
    """Mark every article of a touched duplicate group with the group's earliest article."""
    groups = walk_components(touched, lambda nodes: links_touching(db, ("dup_links",), nodes))
    grouped = [group for group in groups if len(group) > 1]
    ordered = _in_appearance_order(db, set().union(*grouped))
    rank = {article_id: index for index, article_id in enumerate(ordered)}
    changes: list[tuple[str | None, str]] = [
        (None, article_id) for group in groups if len(group) == 1 for article_id in group
    ]
    for group in grouped:
        representative = min(group, key=rank.__getitem__)
        changes.extend((representative, article_id) for article_id in group)
    db.executemany("UPDATE articles SET dup_group = ? WHERE id = ?", changes)


def _in_appearance_order(db: sqlite3.Connection, article_ids: Collection[str]) -> list[str]:
    """Dated articles first, by date, then the rest in file order."""
    found = [
        (date is None, date or "", order_key, article_id)
        for article_id, date, order_key in for_keys(
            db, "SELECT id, date, order_key FROM articles WHERE id IN (?keys)", article_ids
        )
    ]
    return [row[3] for row in sorted(found)]
