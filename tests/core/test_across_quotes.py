"""Quote matching across articles: keys, clusters, first appearance, "also in N articles"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reader.core.cross_article import CorpusAnalysis, analysis_record
from reader.core.cross_article.normalise import file_order_key, quote_key
from reader.core.models import Article
from tests.core.extraction_builders import extraction_of, quote_at






def article(article_id: str, text: str, date: dt.date | None = None, outlet: str | None = None) -> Article:
    return Article(
        id=article_id,
        path=Path("/corpus") / article_id,
        title=text.split("\n")[0],
        title_derived=False,
        text=text,
        paragraphs=(),
        date=date,
        outlet=outlet,
    )


def record(item: Article, *quotes: str, speaker: str | None = None):  # type: ignore[no-untyped-def]
    """The analysis record of an article whose quotes are the given literal spans of its text."""
    found = []
    for quote in quotes:
        start = item.text.index(quote)
        found.append(quote_at(quote, start, start + len(quote), speaker))
    return analysis_record(item, extraction_of(quotes=tuple(found)))


FULL = article(
    "a.txt",
    "Mayor promises bridge\n\n“We will rebuild the bridge before winter. The money is already there, "
    "and the engineers start next week,” the mayor told reporters. “Nobody in this town will be cut off again.”",
    date=dt.date(2024, 3, 5),
    outlet="Gazette",
)
TRUNCATED = article(
    "b.txt",
    'Bridge to be rebuilt\n\n"We will rebuild the bridge before winter," the mayor said on Tuesday.',
    date=dt.date(2024, 3, 6),
    outlet="Courier",
)
EDITED = article(
    "c.txt",
    "Town hall notes\n\nThe mayor said: 'The money is already there, and the engineers [from Leeds] "
    "start next week.'",
    date=dt.date(2024, 3, 4),
    outlet="gazette",
)
UNRELATED = article(
    "d.txt",
    "Flood victims speak\n\n“We will rebuild our lives, one day at a time,” a resident said.",
    date=dt.date(2024, 3, 1),
)
FULL_QUOTES = (
    "We will rebuild the bridge before winter. The money is already there, and the engineers start next week,",
    "Nobody in this town will be cut off again.",
)
TRUNCATED_QUOTE = "We will rebuild the bridge before winter,"
EDITED_QUOTE = "The money is already there, and the engineers [from Leeds] start next week."
UNRELATED_QUOTE = "We will rebuild our lives, one day at a time,"


@pytest.fixture
def analysis(tmp_path: Path) -> CorpusAnalysis:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update(
        [
            record(FULL, *FULL_QUOTES),
            record(TRUNCATED, TRUNCATED_QUOTE),
            record(EDITED, EDITED_QUOTE),
            record(UNRELATED, UNRELATED_QUOTE),
        ]
    )
    return store


def test_keys_ignore_marks_case_apostrophes_and_insertions() -> None:
    assert quote_key("“Kim continues to be patient about Kanye’s run.”") == quote_key(
        "'kim continues to be patient about Kanye's run'"
    )
    assert quote_key("[She] is kind of standing back, [Kim] said") == "is kind of standing back said"
    assert quote_key("Kanye is in a better mental state…") == "kanye is in a better mental state"


def test_short_quotes_get_no_key() -> None:
    assert quote_key("doing well") == ""
    assert quote_key("better mental state.") == ""


def test_file_order_puts_a_folders_files_before_its_subfolders() -> None:
    ids = ["b.txt", "a/x.txt", "a/b/y.txt", "a.txt", "a/c.txt"]
    assert sorted(ids, key=file_order_key) == ["a.txt", "b.txt", "a/c.txt", "a/x.txt", "a/b/y.txt"]


def test_truncated_and_edited_copies_form_one_cluster(analysis: CorpusAnalysis) -> None:
    clusters = analysis.clusters()
    assert len(clusters) == 1
    cluster = clusters[0]
    assert set(cluster.article_ids) == {"a.txt", "b.txt", "c.txt"}
    assert cluster.article_count == 3
    assert cluster.outlet_count == 2  # Gazette and gazette are one outlet
    assert cluster.text == FULL_QUOTES[0]


def test_first_appearance_is_the_earliest_dated_article(analysis: CorpusAnalysis) -> None:
    cluster = analysis.clusters()[0]
    assert cluster.first.article_id == "c.txt"
    assert cluster.first.date == dt.date(2024, 3, 4)
    assert [member.article_id for member in cluster.members] == ["c.txt", "a.txt", "a.txt", "b.txt"]


def test_undated_members_come_after_dated_ones_in_file_order(tmp_path: Path) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    undated = [
        article(name, f"Title\n\n“{FULL_QUOTES[1]}”")
        for name in ("z.txt", "sub/a.txt", "m.txt")
    ]
    store.update(record(item, FULL_QUOTES[1]) for item in undated)
    assert store.clusters()[0].article_ids == ("m.txt", "z.txt", "sub/a.txt")


def test_a_shared_stock_phrase_does_not_join_quotes(analysis: CorpusAnalysis) -> None:
    (unrelated,) = [quote for quote in analysis.quotes(["d.txt"])]
    assert unrelated.cluster_articles == 1
    assert unrelated.cluster_id not in {cluster.id for cluster in analysis.clusters()}


def test_clusters_for_keys_each_quote_by_its_span(analysis: CorpusAnalysis) -> None:
    found = analysis.clusters_for("a.txt")
    spans = [(FULL.text.index(quote), FULL.text.index(quote) + len(quote)) for quote in FULL_QUOTES]
    assert set(found) == set(spans)  # the second part of the statement goes with the first
    assert found[spans[0]] == found[spans[1]]
    others = found[spans[0]].elsewhere("a.txt")
    assert [(other.article_id, other.text) for other in others] == [
        ("c.txt", EDITED_QUOTE),
        ("b.txt", TRUNCATED_QUOTE),
    ]
    assert analysis.clusters_for("d.txt") == {}


def test_a_quote_repeated_in_one_article_is_not_a_cluster(tmp_path: Path) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    text = f"Title\n\n“{FULL_QUOTES[1]}” And again: “{FULL_QUOTES[1]}”"
    first = text.index(FULL_QUOTES[1])
    second = text.index(FULL_QUOTES[1], first + 1)
    quotes = tuple(quote_at(FULL_QUOTES[1], start, start + len(FULL_QUOTES[1])) for start in (first, second))
    store.update([analysis_record(article("x.txt", text), extraction_of(quotes=quotes))])
    assert store.clusters() == []
    assert len(store.clusters(min_articles=1)[0].members) == 2


def test_statement_split_by_an_attribution_joins_its_parts(tmp_path: Path) -> None:
    """One outlet splits a statement in two; others carry one part each: one cluster."""
    first, second = "It was a long night for all of us here", "but the water is going down at last"
    split = article("split.txt", f"Flood\n\n“{first},” the chief said. “{second}.”")
    only_first = article("one.txt", f"Flood\n\n“{first},” said the chief.")
    only_second = article("two.txt", f"Flood\n\nThe chief said “{second}”.")
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update([record(split, first, second), record(only_first, first), record(only_second, second)])
    assert [set(cluster.article_ids) for cluster in store.clusters()] == [{"split.txt", "one.txt", "two.txt"}]


def test_different_speakers_side_by_side_stay_apart(tmp_path: Path) -> None:
    first, second = "It was a long night for all of us here", "but the water is going down at last"
    text = f"Flood\n\n“{first},” the chief said. “{second}.”"
    quotes = (
        quote_at(first, text.index(first), text.index(first) + len(first), "Ann Lee"),
        quote_at(second, text.index(second), text.index(second) + len(second), "Bo Chan"),
    )
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update(
        [
            analysis_record(article("split.txt", text), extraction_of(quotes=quotes)),
            record(article("one.txt", f"Flood\n\n“{first}.”"), first),
            record(article("two.txt", f"Flood\n\n“{second}.”"), second),
        ]
    )
    assert sorted(sorted(cluster.article_ids) for cluster in store.clusters()) == [
        ["one.txt", "split.txt"],
        ["split.txt", "two.txt"],
    ]


def test_record_is_picklable_and_keeps_offsets() -> None:
    import pickle

    item = record(FULL, *FULL_QUOTES)
    again = pickle.loads(pickle.dumps(item))
    assert again == item
    assert [FULL.text[q.start : q.end] for q in again.quotes] == list(FULL_QUOTES)
    assert again.quotes[1].continues is True


def test_the_people_magazine_quote_is_one_cluster_across_the_seeds(seeds: Path, tmp_path: Path) -> None:
    from reader.core.extraction import extract_article
    from reader.core.loader import load_corpus

    articles = {item.id[:3]: item for item in load_corpus(seeds).articles}
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update(analysis_record(item, extract_article(item)) for item in articles.values())
    (cluster,) = [
        c for c in store.clusters() if any(m.text.startswith("Kim and Kanye are doing well") for m in c.members)
    ]
    assert {article_id[:3] for article_id in cluster.article_ids} == {"000", "001", "002"}
    assert cluster.first.article_id == articles["002"].id  # the only dated one
    pieces = [m.text for m in cluster.members if m.article_id == articles["000"].id]
    assert [piece[:20] for piece in pieces] == [
        "Kim and Kanye are do",
        "Their marriage still",
        "He is not shutting h",
        "Kim continues to be ",
    ]
    in_000 = store.clusters_for(articles["000"].id)
    assert {c.id for c in in_000.values()} == {cluster.id}
    assert len(in_000) == 4
    assert store.clusters_for(articles["004"].id) == {}
