"""The analysis store: incremental updates agree with a full build; people, timeline, reopening."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.cross_article import CorpusAnalysis, analysis_record
from reader.core.extraction import Person
from reader.core.models import Article
from tests.core.extraction_builders import extraction_of, person, quote_at








QUOTES = [
    "We will rebuild the bridge before winter and nobody will be cut off again",
    "The money is already there and the engineers start work next week",
    "I have never seen the river this high in forty years of living here",
    "Our shop lost everything in one night and the insurance will not pay",
]


def make_record(article_id: str, quotes: list[tuple[str, str | None]], date: dt.date | None = None,
                people: tuple[Person, ...] = (), joined: bool = False):  # type: ignore[no-untyped-def]
    """An article made of the given (quote, speaker) pairs: far enough apart to be separate
    statements, or (``joined``) one statement split by short attributions."""
    text = "Title"
    found = []
    for quote, speaker in quotes:
        text += " he said. “" if joined and found else (
            "\n\nThe council met again on Monday to talk the plans over with the residents. Someone said: “"
        )
        found.append(quote_at(quote, len(text), len(text) + len(quote), speaker))
        text += quote + "”"
    item = Article(id=article_id, path=Path("/c") / article_id, title="Title", title_derived=False,
                   text=text, paragraphs=(), date=date)
    return analysis_record(item, extraction_of(tuple(found), people))


def cluster_sets(store: CorpusAnalysis) -> list[frozenset[str]]:
    return sorted((frozenset(c.article_ids) for c in store.clusters()), key=sorted)


def test_incremental_updates_agree_with_a_full_build(tmp_path: Path) -> None:
    final = {
        "a.txt": make_record("a.txt", [(QUOTES[0], None), (QUOTES[2], None)]),
        "b.txt": make_record("b.txt", [(QUOTES[0][:40], None)]),
        "c.txt": make_record("c.txt", [(QUOTES[2].upper(), None), (QUOTES[3], None)]),
        "d.txt": make_record("d.txt", [(QUOTES[3] + " at all", None)]),
    }
    full = CorpusAnalysis(tmp_path / "full.sqlite3")
    full.update(final.values())

    step = CorpusAnalysis(tmp_path / "step.sqlite3")
    step.update([make_record("a.txt", [(QUOTES[1], None)]), make_record("gone.txt", [(QUOTES[0], None)])])
    step.update([final["b.txt"], final["d.txt"]])
    step.update([final["a.txt"]], removed_ids=["gone.txt"])  # a.txt changed
    step.update([final["c.txt"]])

    assert cluster_sets(full) == [frozenset({"a.txt", "b.txt"}), frozenset({"a.txt", "c.txt"}),
                                  frozenset({"c.txt", "d.txt"})]
    assert cluster_sets(step) == cluster_sets(full)
    assert step.article_ids() == set(final)


def test_a_changed_article_that_bridged_a_cluster_splits_it(tmp_path: Path) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update([
        make_record("full.txt", [(QUOTES[0] + ". " + QUOTES[1], None)]),
        make_record("first.txt", [(QUOTES[0], None)]),
        make_record("second.txt", [(QUOTES[1], None)]),
    ])
    assert cluster_sets(store) == [frozenset({"full.txt", "first.txt", "second.txt"})]
    store.update([make_record("full.txt", [(QUOTES[2], None)])])
    assert store.clusters() == []


def test_an_unchanged_wording_keeps_its_cluster_id(tmp_path: Path) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update([make_record("a.txt", [(QUOTES[0], None)]), make_record("b.txt", [(QUOTES[0], None)])])
    before = store.clusters()[0].id
    store.update([make_record("a.txt", [(QUOTES[0], None), (QUOTES[1], None)])])
    assert store.clusters()[0].id == before


def test_people_add_up_across_articles(tmp_path: Path) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update([
        make_record("a.txt", [(QUOTES[0], "Ann Lee"), (QUOTES[1], "Ann Lee")],
                    people=(person("Ann Lee", 3, True), person("Bo Chan", 1, False))),
        make_record("b.txt", [(QUOTES[2], "ann lee")], people=(person("ANN LEE", 2, True),)),
        make_record("c.txt", [(QUOTES[3], "a source")], people=(person("Bo Chan", 4, False),)),
    ])
    people = {person.name: person for person in store.people()}
    assert set(people) == {"Ann Lee", "Bo Chan"}
    ann, bo = people["Ann Lee"], people["Bo Chan"]
    assert (ann.article_count, ann.mention_count, ann.quote_count, ann.quoted) == (2, 5, 3, True)
    assert (bo.article_count, bo.mention_count, bo.quote_count, bo.quoted) == (2, 5, 0, False)
    assert bo.article_ids == ("a.txt", "c.txt")
    assert [(p.name, p.article_count, p.mention_count) for p in store.people(["c.txt"])] == [("Bo Chan", 1, 4)]
    assert [q.text for q in store.quotes_by("ANN LEE")] == QUOTES[:3]


def test_timeline_buckets_by_day_week_and_month(tmp_path: Path) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update([
        make_record("a.txt", [], date=dt.date(2020, 9, 7)),
        make_record("b.txt", [], date=dt.date(2020, 9, 9)),
        make_record("c.txt", [], date=dt.date(2020, 10, 1)),
        make_record("d.txt", []),
    ])
    days = store.timeline(bucket="day")
    assert (days.buckets[0].label, days.buckets[-1].label, len(days.buckets)) == ("2020-09-07", "2020-10-01", 25)
    assert [b.count for b in days.buckets[:3]] == [1, 0, 1]
    assert days.undated_ids == ("d.txt",) and days.dated == 3
    weeks = store.timeline(bucket="week")
    assert [(b.label, b.count) for b in weeks.buckets] == [
        ("2020-W37", 2), ("2020-W38", 0), ("2020-W39", 0), ("2020-W40", 1)]
    months = store.timeline(["a.txt", "c.txt", "d.txt"], bucket="month")
    assert [(b.label, b.article_ids) for b in months.buckets] == [("2020-09", ("a.txt",)), ("2020-10", ("c.txt",))]
    assert months.undated == 1


def test_a_selection_with_no_dated_article_has_no_buckets(tmp_path: Path) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update([make_record("d.txt", [])])
    timeline = store.timeline(["d.txt", "unknown.txt"], bucket="week")
    assert (timeline.buckets, timeline.undated_ids) == ((), ("d.txt",))


def test_the_store_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "across.sqlite3"
    first = CorpusAnalysis(path)
    assert first.reset is True
    first.update([make_record("a.txt", [(QUOTES[0], None)]), make_record("b.txt", [(QUOTES[0], None)])])
    first.close()
    again = CorpusAnalysis(path)
    assert again.reset is False
    assert cluster_sets(again) == [frozenset({"a.txt", "b.txt"})]


def test_a_damaged_store_is_replaced_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "across.sqlite3"
    path.write_bytes(b"this is not a database, just some bytes" * 100)
    store = CorpusAnalysis(path)
    assert store.reset is True
    assert store.article_ids() == set()
    store.update([make_record("a.txt", [(QUOTES[0], None)])])
    assert store.article_ids() == {"a.txt"}


POOL = {
    "a.txt": [(QUOTES[0], None), (QUOTES[2], None)],
    "b.txt": [(QUOTES[0][:40], None)],
    "c.txt": [(QUOTES[2].upper(), None), (QUOTES[3], None)],
    "d.txt": [(QUOTES[3] + " at all", None)],
    "e.txt": [(QUOTES[1], "Ann Lee")],
    "f.txt": [(QUOTES[0] + ". " + QUOTES[1], None)],
    "g.txt": [(QUOTES[1], None), (QUOTES[3], None)],  # one statement: joins two clusters
    "h.txt": [(QUOTES[3].replace("not", "never"), None), (QUOTES[2].replace("forty", "fifty"), None)],
}
POOL_DATES = {"c.txt": dt.date(2024, 1, 3), "h.txt": dt.date(2024, 1, 1)}  # h.txt, when present, is earliest


def wordings(store: CorpusAnalysis) -> dict[tuple[str, int], object]:
    """Each clustered quote's stored wording, as the JSON shows it, once the marked clusters are compared."""
    store.refresh_wording()
    return {
        (member.article_id, member.start): member.wording.as_dict() if member.wording else None
        for cluster in store.clusters()
        for member in cluster.members
    }


@settings(max_examples=30, deadline=None)
@given(steps=st.lists(st.tuples(st.sampled_from(sorted(POOL)), st.booleans(), st.integers(0, 2)), max_size=12))
def test_any_sequence_of_changes_ends_like_a_full_build(steps: list[tuple[str, bool, int]]) -> None:
    """Add, change (a variant: fewer quotes) or remove articles in any order: same clusters, and
    each copy's wording against the earliest the same, however often it was worked out between."""
    with tempfile.TemporaryDirectory() as folder:
        step = CorpusAnalysis(Path(folder) / "step.sqlite3")
        present: dict[str, object] = {}
        for index, (article_id, keep, cut) in enumerate(steps):
            if keep:
                quotes = POOL[article_id][cut:] or POOL[article_id]
                present[article_id] = make_record(
                    article_id, quotes, date=POOL_DATES.get(article_id), joined=article_id == "g.txt"
                )
                step.update([present[article_id]])
            else:
                present.pop(article_id, None)
                step.update([], removed_ids=[article_id])
            if index % 3 == 2:
                step.refresh_wording()  # as a sync does after its last update
        full = CorpusAnalysis(Path(folder) / "full.sqlite3")
        full.update(present.values())  # type: ignore[arg-type]
        assert cluster_sets(step) == cluster_sets(full)
        assert wordings(step) == wordings(full)
        assert step.article_ids() == set(present)
        step.close()
        full.close()
