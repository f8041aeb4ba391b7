"""Feeding the analysis: new, changed and removed articles, updated in place in one transaction.

A changed file replaces only its own rows and re-links only the quotes and copies it touches,
so a sync of one file costs milliseconds however large the corpus, and any order of updates
ends where a full build would (a property test holds the analysis to that). The clusters it
touched are marked for their wording to be compared again (``wording_store``), once, after the
last update of a sync.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterable, Sequence

from reader.core.cross_article import copy_groups, quote_clusters, wording_store
from reader.core.cross_article.analysis_file import AnalysisFile
from reader.core.cross_article.identities import FULL, SINGLE, SURNAME, surname_of
from reader.core.cross_article.normalise import file_order_key
from reader.core.cross_article.records import ArticleAnalysis, PersonKey
from reader.core.dates import date_to_iso
from reader.core.sqlite_access import for_keys, run_for_keys


def update(file: AnalysisFile, records: Iterable[ArticleAnalysis], removed_ids: Iterable[str] = ()) -> None:
    """Store new or changed articles and forget removed ones, re-linking only what they touch."""
    fresh = {record.id: record for record in records}
    leaving = set(removed_ids) | fresh.keys()
    if not leaving:
        return
    added = list(fresh.values())
    with file.transaction() as db:
        stale_variants = quote_clusters.drop_quotes(db, leaving)
        touched_articles = copy_groups.unlink_articles(db, leaving)
        _drop_articles(db, leaving)
        _insert_articles(db, added)
        created, statement_links = quote_clusters.insert_quotes(db, added)
        orphans, orphan_neighbours = quote_clusters.drop_orphan_variants(db, stale_variants)
        quote_links = quote_clusters.link_quotes(db, created)
        quote_clusters.recluster(db, (stale_variants - orphans) | orphan_neighbours, quote_links + statement_links)
        wording_store.mark(db, (stale_variants - orphans) | orphan_neighbours | _variants_of(db, fresh.keys()))
        copy_groups.link_duplicates(db, added)
        copy_groups.regroup(db, (touched_articles - leaving) | fresh.keys())


def _variants_of(db: sqlite3.Connection, article_ids: Iterable[str]) -> set[int]:
    return {
        row[0]
        for row in for_keys(
            db, "SELECT DISTINCT variant FROM quotes WHERE variant IS NOT NULL AND article_id IN (?keys)", article_ids
        )
    }


def _drop_articles(db: sqlite3.Connection, article_ids: set[str]) -> None:
    run_for_keys(db, "DELETE FROM people WHERE article_id IN (?keys)", article_ids)
    run_for_keys(db, "DELETE FROM articles WHERE id IN (?keys)", article_ids)


def _insert_articles(db: sqlite3.Connection, records: Sequence[ArticleAnalysis]) -> None:
    db.executemany(
        "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
        [
            (
                record.id,
                record.title,
                record.outlet,
                date_to_iso(record.date),
                file_order_key(record.id),
                record.fingerprint,
                record.signature,
            )
            for record in records
        ],
    )
    db.executemany(
        "INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [row for record in records for row in _people_rows(record)],
    )


PeopleRow = tuple[str, str, str, int, int, str, str, str]
"""article_id, key, name, mentions, quoted, kind, gender, surname: a row of the people table."""

_KIND_ORDER = (FULL, SURNAME, SINGLE)  # spellings of one key: the fullest kind wins


def _people_rows(record: ArticleAnalysis) -> list[PeopleRow]:
    """One row per person of the article: spellings that fold to one key are one person."""
    merged: dict[str, PersonKey] = {}
    for person in record.people:
        if not person.key:
            continue
        known = merged.get(person.key)
        if known is None:
            merged[person.key] = person
            continue
        kind = min(known.name_kind, person.name_kind, key=_kind_rank)
        merged[person.key] = dataclasses.replace(
            known,
            mentions=known.mentions + person.mentions,
            quoted=known.quoted or person.quoted,
            name_kind=kind,
            gender=known.gender if known.gender != "u" else person.gender,
        )
    return [
        (record.id, key, p.name, p.mentions, int(p.quoted), p.name_kind, p.gender, surname_of(p.name))
        for key, p in merged.items()
    ]


def _kind_rank(kind: str) -> int:
    return _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)
