"""Ranking by relevance is worked out a clause at a time (``search._scores``); it must find the
same documents with the same scores as Whoosh's own matchers, on an index of several segments
with deleted documents in it."""

from __future__ import annotations

import random

import pytest

import reader.core.pipeline.build as build
from reader.core.index.compiler import QueryCompiler
from reader.core.index.expansions import Expansions
from reader.core.index.query import AnyOf, InArticles, Phrase, parse
from reader.core.index.ranking import best_matches
from reader.core.index.query import SearchCancelled
from reader.core.library import Library

_WORDS = [
    "river", "bridge", "orchard", "apple", "comet", "minister",
    "market", "striker", "goal", "court", "verdict", "harvest",
]
_NAMES = ["Ada Lovelace", "Alan Turing", "Grace Hopper"]

QUERIES = [
    "river",
    "river bridge",
    "river OR comet",
    '"apple orchard"',
    "harv*",
    "strikr~",
    "river -bridge",
    "NOT river",
    "(river OR comet) market",
    'title:"minister"',
    'person:"Ada Lovelace"',
    'quoted:"Grace Hopper"',
    'person:"Alan Turing" river',
    'person:"Ada Lovelace" OR quoted:"Alan Turing"',
    'outlet:"Daily Planet"',
    "tag:keep",
    "date:2021",
    "date:2020-01..2020-06 court",
    'river "goal court"',
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("scoring")
    rng = random.Random(5)
    for number in range(90):
        body = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 60)))
        name = rng.choice(_NAMES)
        year = 2020 + number % 3
        (folder / f"{number:03}.md").write_text(
            f"---\ntitle: {rng.choice(_WORDS).title()} {rng.choice(_WORDS)}\ndate: {year}-0{1 + number % 9}-1{number % 9}\n"
            f"outlet: {'Daily Planet' if number % 4 else 'Evening Star'}\n---\n\n"
            f'{body}. "{rng.choice(_WORDS)} {rng.choice(_WORDS)} today," said {name}.\n',
            encoding="utf-8",
        )
    patch = pytest.MonkeyPatch()
    patch.setattr(build, "PARALLEL_MIN_FILES", 10)
    patch.setattr(build, "FIRST_CHUNK", 10)
    patch.setattr(build, "worker_count", lambda: 3)
    opened = Library(folder)
    opened.sync()
    patch.undo()
    for number in range(0, 90, 7):  # changed files: their old documents are deleted in place
        path = folder / f"{number:03}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nA late correction about the river.\n", encoding="utf-8")
    opened.add_tags([f"{number:03}.md" for number in range(0, 90, 5)], ["keep"])
    opened.sync()
    yield opened
    opened.close()


def test_the_index_has_several_segments_and_deletions(library: Library) -> None:
    searcher = library._index()._current()
    assert len(searcher.leaf_searchers()) >= 2
    assert any(sub.reader().has_deletions() for sub, _ in searcher.leaf_searchers())


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_whooshs_own_matchers(library: Library, query: str) -> None:
    searcher = library._index()._current()
    compiled = QueryCompiler(searcher.reader(), Expansions()).compile(parse(query))
    expected = dict(searcher.search(compiled, limit=None).items())
    ranked, total, _ = best_matches(searcher, compiled, limit=10_000)
    found = {docnum: score for score, docnum in ranked}
    assert total == len(expected) and found.keys() == expected.keys()
    assert expected, "a query that matches nothing proves little"
    for docnum, score in expected.items():
        assert found[docnum] == pytest.approx(score, rel=1e-9), docnum
    scores = [score for score, _ in ranked]
    assert scores == sorted(scores, reverse=True)


def test_a_search_limited_to_some_articles_scores_as_whoosh_does(library: Library) -> None:
    """The node the library makes for a surname linked to a person in some articles only: the
    ids select, and add nothing to the score."""
    searcher = library._index()._current()
    chosen = frozenset(f"{number:03}.md" for number in range(0, 90, 3))
    node = AnyOf((Phrase("Ada Lovelace", "people"), InArticles(Phrase("Turing", "people"), chosen)))
    compiled = QueryCompiler(searcher.reader(), Expansions()).compile(node)
    expected = dict(searcher.search(compiled, limit=None).items())
    ranked, total, _ = best_matches(searcher, compiled, limit=10_000)
    found = {docnum: score for score, docnum in ranked}
    assert total == len(expected) and found.keys() == expected.keys()
    for docnum, score in expected.items():
        assert found[docnum] == pytest.approx(score, rel=1e-9), docnum
    found_ids = {searcher.stored_fields(docnum)["id"] for _, docnum in ranked}
    turing_only = found_ids - {hit.id for hit in library.search('person:"Ada Lovelace"', limit=None).hits}
    assert turing_only and turing_only <= chosen


def test_the_best_few_are_the_start_of_the_full_ranking(library: Library) -> None:
    searcher = library._index()._current()
    compiled = QueryCompiler(searcher.reader(), Expansions()).compile(parse("river OR comet OR harv*"))
    everything, total, _ = best_matches(searcher, compiled, limit=10_000)
    few, total_few, _ = best_matches(searcher, compiled, limit=7)
    assert few == everything[:7] and total_few == total > 7


def test_searching_again_gives_the_same_from_what_the_first_search_kept(library: Library) -> None:
    """The second search of a query reads kept block directories, scored lists and expansions."""
    first = {query: library.search(query, limit=50) for query in QUERIES}
    for query, before in first.items():
        again = library.search(query, limit=50)
        assert [(hit.id, hit.score) for hit in again.hits] == [(hit.id, hit.score) for hit in before.hits], query
        assert again.total == before.total


def test_a_search_told_to_stop_gives_up_at_its_next_check(library: Library) -> None:
    asked: list[int] = []

    def stop_at_the_second_question() -> bool:
        asked.append(1)
        return len(asked) >= 2

    with pytest.raises(SearchCancelled):
        library.search("river OR comet", stop=stop_at_the_second_question)
    assert len(asked) == 2  # asked before the first segment, then before its first term
    assert not library.damage_noted()  # giving up is not a failure of the index
    assert library.search("river OR comet", stop=lambda: False).hits


def test_a_search_told_to_stop_reads_no_further_term(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """A segment's terms can take a tenth of a second at 100k: a stale search gives up between
    them, not only between segments."""
    import reader.core.index.segment as segment_module

    read: list[str] = []
    original = segment_module.Segment.term_scores

    def reading(self: segment_module.Segment, field: str, term: str | bytes, *args: object, **kwargs: object) -> object:
        found = original(self, field, term, *args, **kwargs)  # type: ignore[arg-type]
        read.append(str(term))
        return found

    monkeypatch.setattr(segment_module.Segment, "term_scores", reading)
    with pytest.raises(SearchCancelled):
        library.search("riv* OR com*", limit=3, stop=lambda: bool(read))
    assert len(read) == 1


def test_a_search_told_to_stop_checks_no_further_phrase_candidate(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.index.phrases as phrases_module

    checked: list[int] = []
    original = phrases_module.adjacent

    def checking(positions: list[list[int]]) -> bool:
        checked.append(1)
        return bool(original(positions))

    monkeypatch.setattr(phrases_module, "adjacent", checking)
    query = '"river bridge"'
    everything = library.search(query, limit=50, stop=lambda: False)
    assert len(checked) > 1  # more than one candidate is checked when nothing says stop
    checked.clear()
    with pytest.raises(SearchCancelled):
        library.search(query, limit=51, stop=lambda: bool(checked))
    assert len(checked) == 1
    assert everything.hits


def test_the_same_search_again_is_answered_from_the_kept_hits_until_the_index_changes(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.index.searcher as searcher_module

    ranked: list[int] = []
    original = searcher_module.best_matches
    monkeypatch.setattr(searcher_module, "best_matches", lambda *args: ranked.append(1) or original(*args))
    first = library.search('"apple orchard"', limit=30)
    again = library.search('"apple orchard', limit=30)  # the closing quote not typed yet: the same search
    assert [hit.id for hit in again.hits] == [hit.id for hit in first.hits] and again.total == first.total
    assert len(ranked) == 1
    untagged = next(hit.id for hit in library.search("river", limit=None).hits if "vintage" not in hit.tags)
    before = {hit.id for hit in library.search("tag:vintage", limit=None).hits}
    library.add_tags([untagged], ["vintage"])
    after = {hit.id for hit in library.search("tag:vintage", limit=None).hits}
    assert after == before | {untagged}  # a new index version: nothing kept from the last one
    library.remove_tags([untagged], ["vintage"])


def test_a_longer_prefix_standing_for_the_same_terms_is_answered_from_the_kept_hits(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing on, "orch*" then "orcha*" both stand for "orchard" alone: the same query, ranked once."""
    import reader.core.index.searcher as searcher_module

    queries = ("orch*", "orcha*", "Orchard*")
    fresh = {query: library.search(query, limit=26) for query in queries}  # each ranked: the limit differs
    ranked: list[int] = []
    original = searcher_module.best_matches
    monkeypatch.setattr(searcher_module, "best_matches", lambda *args: ranked.append(1) or original(*args))
    typed = {query: library.search(query, limit=25) for query in queries}
    assert len(ranked) <= 1  # (none if an earlier test left the hits of this query kept)
    for query, result in typed.items():
        assert [(hit.id, hit.score) for hit in result.hits] == [(hit.id, hit.score) for hit in fresh[query].hits[:25]]
        assert result.total == fresh[query].total and result.terms == fresh[query].terms == {"orchard"}
    library.search("or* -river", limit=25)  # another query: ranked
    assert len(ranked) in (1, 2) and ranked.count(1) == len(ranked)
