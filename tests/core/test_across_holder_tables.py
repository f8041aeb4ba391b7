"""Gram and band rows kept in two parts (holder_tables) answer as one table would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.core.cross_article import CorpusAnalysis, analysis_record, holder_tables, quote_clusters
from reader.core.loader import load_corpus
from tests.core.test_across_duplicates import FILES, NoExtraction, write_corpus
from tests.core.test_across_store import QUOTES, cluster_sets, make_record


def downgrade_holder_tables(db: sqlite3.Connection) -> None:
    """Make a file as schema 2 wrote it: every gram and band row in the one table."""
    for table in holder_tables.HOLDER_TABLES:
        db.execute(f"INSERT INTO {table} SELECT * FROM {table}_recent")
        db.execute(f"DROP TABLE {table}_recent")
        db.execute("DELETE FROM meta WHERE key = ?", (f"{table}_recent_rows",))
    db.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")


def _answers(store: CorpusAnalysis) -> tuple[object, ...]:
    return cluster_sets(store), sorted(store.duplicate_representatives().items())


def _feed(store: CorpusAnalysis, corpus: Path) -> None:
    """Copies and quotes added, one copy changed, a quote's article removed."""
    articles = load_corpus(corpus).articles
    store.update(analysis_record(article, NoExtraction()) for article in articles)
    store.update([make_record("a.txt", [(QUOTES[0], None), (QUOTES[2], None)]), make_record("b.txt", [])])
    store.update([make_record("b.txt", [(QUOTES[0][:40], None)]), make_record("c.txt", [(QUOTES[2].upper(), None)])])
    changed = next(article for article in articles if article.id == "exact.txt")
    store.update([analysis_record(changed, NoExtraction())], ["boilerplate.txt", "c.txt"])


def test_moving_recent_rows_at_every_update_changes_no_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = write_corpus(tmp_path / "corpus", FILES)
    kept = CorpusAnalysis(tmp_path / "kept.sqlite3")
    _feed(kept, corpus)
    monkeypatch.setattr(holder_tables, "RECENT_LIMIT", 1)
    moved = CorpusAnalysis(tmp_path / "moved.sqlite3")
    _feed(moved, corpus)
    assert _answers(moved) == _answers(kept)
    assert _answers(kept) == ([frozenset({"a.txt", "b.txt"})], [
        ("exact.txt", "rewritten.txt"), ("original.txt", "rewritten.txt"), ("rewritten.txt", "rewritten.txt"),
    ])
    for table in holder_tables.HOLDER_TABLES:
        assert kept._file.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert moved._file.db.execute(f"SELECT count(*) FROM {table}_recent").fetchone()[0] == 0


def test_a_schema_2_file_is_upgraded_in_place(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", FILES)
    path = tmp_path / "across.sqlite3"
    store = CorpusAnalysis(path)
    store.update(analysis_record(article, NoExtraction()) for article in load_corpus(corpus).articles)
    before = _answers(store)
    store.close()
    with sqlite3.connect(path) as old:
        downgrade_holder_tables(old)
    again = CorpusAnalysis(path)
    assert again.reset is False and _answers(again) == before
    again.update([], ["rewritten.txt"])  # its bands are in the large table: found and removed there
    assert sorted(again.duplicate_representatives().items()) == [
        ("boilerplate.txt", "original.txt"), ("exact.txt", "original.txt"), ("original.txt", "original.txt"),
    ]
    assert again._file.db.execute("SELECT count(*) FROM bands WHERE article_id = 'rewritten.txt'").fetchone()[0] == 0


def test_grams_held_by_more_variants_than_the_limit_link_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cut copies link to their full quotes through shared grams, unless each of those grams is
    held by more variants, stored and new, than ``MAX_GRAM_POSTINGS``: three variants of the
    first quote share theirs, two of the second."""
    first, second = QUOTES[0], QUOTES[1]
    later = [
        make_record("b.txt", [(first[:40], None)]),
        make_record("c.txt", [(first[:50] + " today", None)]),
        make_record("d.txt", [(second, None)]),
        make_record("e.txt", [(second[:45], None)]),
    ]
    for limit, expected in ((2000, [{"a.txt", "b.txt", "c.txt"}, {"d.txt", "e.txt"}]), (2, [{"d.txt", "e.txt"}])):
        monkeypatch.setattr(quote_clusters, "MAX_GRAM_POSTINGS", limit)
        store = CorpusAnalysis(tmp_path / f"across-{limit}.sqlite3")
        store.update([make_record("a.txt", [(first, None)])])
        store.update(later)
        assert cluster_sets(store) == [frozenset(ids) for ids in expected]


def test_lookups_and_deletes_see_both_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    with store._file.transaction() as db:
        holder_tables.insert(db, "grams", [(7, 1), (7, 2), (8, 1)])
        monkeypatch.setattr(holder_tables, "RECENT_LIMIT", 4)
        holder_tables.insert(db, "grams", [(7, 3)])  # the fourth row: all four move to the large table
        monkeypatch.undo()
        holder_tables.insert(db, "grams", [(7, 4), (9, 4)])
        assert db.execute("SELECT count(*) FROM grams").fetchone()[0] == 4
        holders = holder_tables.stored_holders(db, "grams", [7, 8, 10, 7])
        assert {gram: sorted(found) for gram, found in holders.items()} == {7: [1, 2, 3, 4], 8: [1]}
        holder_tables.delete(db, "grams", [(7, 1), (7, 4)])
        assert sorted(holder_tables.stored_holders(db, "grams", [7])[7]) == [2, 3]
