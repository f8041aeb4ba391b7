"""Keeping quote clusters current as articles come and go: variants, their grams, links, names.

Each distinct quote key is a "variant" indexed by its hashed word 3-grams. Two variants are
linked when they share at least ``MIN_SHARED_GRAMS`` grams covering at least
``MIN_CONTAINMENT`` of the shorter one, so a truncated, split or re-punctuated quote joins the
full one. Parts of one statement that an article splits with an attribution ("…,” she said.
“…") are linked too. A cluster is a connected component of linked variants, named by its
smallest variant id (stable while that wording exists).

Every function here runs inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from itertools import chain
from typing import Any

from reader.core.cross_article import holder_tables
from reader.core.cross_article.graph import components, walk_components
from reader.core.cross_article.normalise import key_grams, name_key
from reader.core.cross_article.records import ArticleAnalysis
from reader.core.sqlite_access import for_keys, run_for_keys

MIN_SHARED_GRAMS = 4
MIN_CONTAINMENT = 0.6
MAX_GRAM_POSTINGS = 2000  # a 3-gram in more distinct quotes than this is a stock phrase

Link = tuple[int, int]  # two variant ids, the lower first
Created = dict[int, frozenset[int]]  # new variant id -> its grams


def drop_quotes(db: sqlite3.Connection, article_ids: Collection[str]) -> set[int]:
    """Delete the quotes (and statement links) of these articles; return the variants they used."""
    used = {
        row[0]
        for row in for_keys(
            db, "SELECT DISTINCT variant FROM quotes WHERE variant IS NOT NULL AND article_id IN (?keys)", article_ids
        )
    }
    run_for_keys(db, "DELETE FROM quotes WHERE article_id IN (?keys)", article_ids)
    run_for_keys(db, "DELETE FROM statement_links WHERE article_id IN (?keys)", article_ids)
    return used


def insert_quotes(db: sqlite3.Connection, records: Sequence[ArticleAnalysis]) -> tuple[Created, list[Link]]:
    """Store the quotes and their statement links, creating a variant for each new key.

    Returns the created variants (with their grams) and the statement links.
    """
    grams_of = {quote.key: quote.grams for record in records for quote in record.quotes if quote.key}
    variant_of, created = _variants_for(db, grams_of)
    db.executemany(
        "INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
        [
            (
                record.id,
                quote.start,
                quote.end,
                quote.text,
                quote.speaker,
                name_key(quote.speaker) if quote.speaker else None,
                variant_of.get(quote.key),
            )
            for record in records
            for quote in record.quotes
        ],
    )
    statement_links = _statement_links(records, variant_of)
    db.executemany("INSERT INTO statement_links VALUES (?, ?, ?)", statement_links)
    return created, [(low, high) for _, low, high in statement_links]


def _variants_for(db: sqlite3.Connection, grams_of: dict[str, frozenset[int]]) -> tuple[dict[str, int], Created]:
    """The variant of every key: the stored one, or a new one (inserted here)."""
    next_id: int = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM variants").fetchone()[0]
    variant_of: dict[str, int] = {}
    if next_id > 1:
        stored = for_keys(db, "SELECT id, key FROM variants WHERE key IN (?keys)", grams_of)
        variant_of.update((key, variant) for variant, key in stored)
    created: Created = {}
    for key in sorted(grams_of):
        if key not in variant_of:
            variant_of[key] = next_id
            created[next_id] = grams_of[key]
            next_id += 1
    db.executemany(
        "INSERT INTO variants VALUES (?, ?, ?, ?)",
        [(variant, key, len(created[variant]), variant) for key, variant in variant_of.items() if variant in created],
    )
    return variant_of, created


def _statement_links(records: Iterable[ArticleAnalysis], variant_of: dict[str, int]) -> list[tuple[str, int, int]]:
    """(article, low, high) for each quote that continues the one before it in its article."""
    return [
        (record.id, min(first, second), max(first, second))
        for record in records
        for previous, quote in zip(record.quotes, record.quotes[1:], strict=False)
        if quote.continues
        and (first := variant_of.get(previous.key)) is not None
        and (second := variant_of.get(quote.key)) is not None
        and first != second
    ]


def drop_orphan_variants(db: sqlite3.Connection, candidates: set[int]) -> tuple[set[int], set[int]]:
    """Delete variants no quote uses any more; return them and the variants they were linked to."""
    still_used = {
        row[0] for row in for_keys(db, "SELECT DISTINCT variant FROM quotes WHERE variant IN (?keys)", candidates)
    }
    orphans = candidates - still_used
    neighbours = {
        row[0]
        for row in for_keys(
            db,
            "SELECT high FROM quote_links WHERE low IN (?keys) UNION SELECT low FROM quote_links WHERE high IN (?keys)",
            orphans,
        )
    }
    keys = list(for_keys(db, "SELECT id, key FROM variants WHERE id IN (?keys)", orphans))
    holder_tables.delete(db, "grams", [(gram, variant) for variant, key in keys for gram in key_grams(key)])
    run_for_keys(db, "DELETE FROM quote_links WHERE low IN (?keys) OR high IN (?keys)", orphans)
    run_for_keys(db, "DELETE FROM variants WHERE id IN (?keys)", orphans)
    return orphans, neighbours - orphans


def link_quotes(db: sqlite3.Connection, created: Created) -> list[Link]:
    """Link each new variant to every variant, old or new, that it nearly contains or is contained in.

    Only grams held by two variants or more can link anything, so the rest are dropped
    first (in C, by counting); most quotes are said once and leave at that step.
    """
    if not created:
        return []
    wanted = chain.from_iterable(created.values())
    holders: dict[int, list[int]] = holder_tables.stored_holders(db, "grams", wanted)
    counts = Counter(chain.from_iterable(created.values()))
    shared = {gram for gram, count in counts.items() if count > 1} | holders.keys()
    candidates = {
        variant: common for variant, grams in created.items() if len(common := grams & shared) >= MIN_SHARED_GRAMS
    }
    for variant, common in candidates.items():
        for gram in common:
            holders.setdefault(gram, []).append(variant)
    links = _containment_links(candidates, holders, _sizes(db, created, candidates, holders))
    db.executemany("INSERT OR IGNORE INTO quote_links VALUES (?, ?)", links)
    holder_tables.insert(db, "grams", ((gram, variant) for variant, grams in created.items() for gram in grams))
    return links


def _sizes(
    db: sqlite3.Connection, created: Created, candidates: dict[int, frozenset[int]], holders: dict[int, list[int]]
) -> dict[int, int]:
    """The gram count of every variant a candidate can be compared with: stored ones are read
    only where a candidate's gram reaches them (not for every holder of every wanted gram,
    a number growing with the corpus)."""
    sizes = {variant: len(grams) for variant, grams in created.items()}
    reached = {
        other
        for common in candidates.values()
        for gram in common
        if len(found := holders[gram]) <= MAX_GRAM_POSTINGS
        for other in found
        if other not in sizes
    }
    sizes.update(for_keys(db, "SELECT id, gram_count FROM variants WHERE id IN (?keys)", reached))
    return sizes


def _containment_links(
    candidates: dict[int, frozenset[int]], holders: dict[int, list[int]], sizes: dict[int, int]
) -> list[Link]:
    """Pairs of variants whose shared grams cover enough of the shorter one."""
    links = []
    for variant, common in candidates.items():
        overlap = Counter(
            chain.from_iterable(found for gram in common if len(found := holders[gram]) <= MAX_GRAM_POSTINGS)
        )
        for other, count in overlap.items():
            if other == variant or (other in candidates and other < variant) or count < MIN_SHARED_GRAMS:
                continue
            if count >= MIN_CONTAINMENT * min(sizes[variant], sizes[other]):
                links.append((min(variant, other), max(variant, other)))
    return links


def links_touching(db: sqlite3.Connection, tables: Sequence[str], nodes: Collection[Any]) -> list[tuple[Any, Any]]:
    """Every stored link, in the given link tables, with an end among ``nodes``."""
    query = " UNION ".join(
        f"SELECT low, high FROM {table} WHERE low IN (?keys) UNION SELECT low, high FROM {table} WHERE high IN (?keys)"
        for table in tables
    )
    return [(low, high) for low, high in for_keys(db, query, nodes)]


def recluster(db: sqlite3.Connection, split_suspects: set[int], added_links: list[Link]) -> None:
    """Keep each variant's cluster the smallest variant id of its connected component.

    Components that lost links (around ``split_suspects``) may have split: they are walked
    afresh. Elsewhere links were only added, which can only merge clusters, so merging their
    names is enough; a first build never walks at all.
    """
    walked = walk_components(
        split_suspects, lambda nodes: links_touching(db, ("quote_links", "statement_links"), nodes)
    )
    walked_nodes: set[int] = set().union(*walked)
    current = _clusters_now(db, walked_nodes)
    db.executemany(
        "UPDATE variants SET cluster = ? WHERE id = ?",
        [(min(group), variant) for group in walked for variant in group if current[variant] != min(group)],
    )
    merging = [(low, high) for low, high in added_links if low not in walked_nodes]
    names = _clusters_now(db, {variant for link in merging for variant in link})
    renamed = components((), [(names[low], names[high]) for low, high in merging if names[low] != names[high]])
    db.executemany(
        "UPDATE variants SET cluster = ? WHERE cluster = ?",
        [(min(group), old) for group in renamed for old in group if old != min(group)],
    )


def _clusters_now(db: sqlite3.Connection, variants: Collection[int]) -> dict[int, int]:
    return dict(for_keys(db, "SELECT id, cluster FROM variants WHERE id IN (?keys)", variants))
