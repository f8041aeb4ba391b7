"""Wording stored with the quotes: worked out when clusters change, read back as it was compared."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.cross_article import CorpusAnalysis, wording_store
from reader.core.cross_article.cluster_rows import decode_wording, encode_wording
from reader.core.cross_article.wording import cluster_wording, compare_wording
from reader.core.library import Library
from tests.core.test_across_holder_tables import downgrade_holder_tables
from tests.core.test_across_store import make_record

NOT = "We will not close a single library this year and every branch keeps its hours"
NEVER = NOT.replace("not", "never")
SHORT = "will not close a single library this year"
REWORDED = Path(__file__).resolve().parents[1] / "fixtures" / "reworded"


def by_article(store: CorpusAnalysis) -> dict[str, str | None]:
    """Each copy's wording, once the clusters the updates touched are compared again."""
    store.refresh_wording()
    (cluster,) = store.clusters()
    return {member.article_id: member.wording.wording if member.wording else None for member in cluster.members}


def test_each_copy_is_stored_against_the_earliest_as_the_comparison_gives(tmp_path: Path) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update([
        make_record("gazette.txt", [(NOT, "Ann Lee")], date=dt.date(2024, 5, 2)),
        make_record("courier.txt", [(SHORT, None)], date=dt.date(2024, 5, 3)),
        make_record("herald.txt", [(NEVER, "Ann Lee")], date=dt.date(2024, 5, 4)),
    ])
    assert store.refresh_wording() == 1
    (cluster,) = store.clusters()
    assert by_article(store) == {"gazette.txt": "same", "courier.txt": "shortened", "herald.txt": "changed"}
    herald = next(member for member in cluster.members if member.article_id == "herald.txt")
    assert herald.wording == next(r.comparison for r in cluster_wording(cluster) if r.member.article_id == "herald.txt")
    assert herald.reworded and cluster.reworded_ids == ("herald.txt",) and cluster.significant
    assert [change.as_text() for change in herald.wording.changes] == ["not → never (negation)"]
    assert cluster.text == NOT  # on a tie between wordings, not the reworded one


def test_an_earlier_article_arriving_later_becomes_the_one_compared_with(tmp_path: Path) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update([
        make_record("gazette.txt", [(NOT, None)], date=dt.date(2024, 5, 2)),
        make_record("herald.txt", [(NEVER, None)], date=dt.date(2024, 5, 4)),
    ])
    assert by_article(store) == {"gazette.txt": "same", "herald.txt": "changed"}
    store.update([make_record("wire.txt", [(NEVER, None)], date=dt.date(2024, 5, 1))])
    assert by_article(store) == {"wire.txt": "same", "gazette.txt": "changed", "herald.txt": "same"}
    store.update([], removed_ids=["wire.txt"])
    assert by_article(store) == {"gazette.txt": "same", "herald.txt": "changed"}


def test_a_quote_left_alone_in_one_article_keeps_no_wording(tmp_path: Path) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update([make_record("a.txt", [(NOT, None)]), make_record("b.txt", [(NEVER, None)])])
    store.refresh_wording()
    store.update([], removed_ids=["b.txt"])
    store.refresh_wording()
    assert store.clusters() == []
    (alone,) = store.quotes()
    assert alone.wording is None and alone.cluster_articles == 1


def test_a_full_build_is_compared_once_at_the_end_not_per_update(tmp_path: Path) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update([make_record("a.txt", [(NOT, None)])])
    store.update([make_record("b.txt", [(NEVER, None)])])
    assert wording_store.pending(store._file.db)
    (cluster,) = store.clusters()  # a read does not do the work: the cluster is listed, not yet compared
    assert [member.wording for member in cluster.members] == [None, None]
    assert wording_store.pending(store._file.db)
    assert store.refresh_wording() == 1
    assert not wording_store.pending(store._file.db)
    assert store.refresh_wording() == 0  # nothing changed since


def test_a_failed_refresh_keeps_the_marks_and_the_old_wording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update([make_record("a.txt", [(NOT, None)], date=dt.date(2024, 1, 1)), make_record("b.txt", [(NEVER, None)])])
    store.refresh_wording()
    store.update([make_record("c.txt", [(NEVER, None)], date=dt.date(2023, 1, 1))])

    def broken(cluster: object) -> object:
        raise RuntimeError("killed half way")

    monkeypatch.setattr(wording_store, "cluster_wording", broken)
    with pytest.raises(RuntimeError):
        store.refresh_wording()
    assert wording_store.pending(store._file.db)
    stored = dict(store._file.db.execute("SELECT article_id, wording FROM quotes"))
    assert stored == {"a.txt": "same", "b.txt": "changed", "c.txt": None}  # as before the failed refresh
    monkeypatch.undo()
    assert by_article(store) == {"c.txt": "same", "a.txt": "changed", "b.txt": "same"}


def test_a_file_from_before_stored_wording_gains_it_without_a_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "across.sqlite3"
    store = CorpusAnalysis(path)
    store.update([make_record("a.txt", [(NOT, None)]), make_record("b.txt", [(NEVER, None)])])
    store.close()
    with sqlite3.connect(path) as old:  # the schema as it was: no wording columns, no marks
        old.execute("ALTER TABLE quotes DROP COLUMN wording")
        old.execute("ALTER TABLE quotes DROP COLUMN changes")
        old.execute("DROP TABLE wording_dirty")
        downgrade_holder_tables(old)
    again = CorpusAnalysis(path)
    assert again.reset is False and again.article_ids() == {"a.txt", "b.txt"}
    assert by_article(again) == {"a.txt": "same", "b.txt": "changed"}


def test_a_sync_leaves_nothing_to_compare(tmp_path: Path) -> None:
    with Library(REWORDED) as library:
        library.sync()
        assert not wording_store.pending(library.analysis._file.db)
        (cluster,) = library.analysis.clusters()
    assert {m.outlet: m.wording.wording for m in cluster.members if m.wording} == {
        "Riverton Gazette": "same",
        "Valley Courier": "shortened",
        "Evening Herald": "changed",
    }


# ------------------------------------------------------------------ the columns


PAIRS = [
    (NOT, NEVER),
    ("Ten people came and we counted them all twice", "Twelve people came and we counted them twice"),
    ("Kim said the plan would work", "Lee said the [new] plan would not work, she added"),
]


@pytest.mark.parametrize(("earliest", "copy"), PAIRS)
def test_a_changed_copy_reads_back_as_it_was_compared(earliest: str, copy: str) -> None:
    comparison = compare_wording(earliest, copy, names=["Lee"])
    assert comparison.wording == "changed"
    assert decode_wording(*encode_wording(comparison)) == comparison


@given(st.text(max_size=80), st.text(max_size=80))
def test_property_any_comparison_reads_back_with_its_class_and_a_changed_ones_changes(
    earliest: str, copy: str
) -> None:
    comparison = compare_wording(earliest, copy)
    back = decode_wording(*encode_wording(comparison))
    assert back is not None and back.wording == comparison.wording
    assert back.as_dict() == comparison.as_dict()


def test_damaged_changes_still_read_as_changed() -> None:
    assert decode_wording("changed", "{not json") == decode_wording("changed", None)
    damaged = decode_wording("changed", '[["a"]]')
    assert damaged is not None and damaged.wording == "changed" and damaged.changes == ()
    assert decode_wording(None, None) is None
