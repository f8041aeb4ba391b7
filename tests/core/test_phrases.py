"""A phrase of common words whose best few the title decides (``phrases``): once the ranking
has a bar its words cannot reach alone, its candidates come from their documents alone and only
those the title lifts are scored. The best few, their scores and the count must be Whoosh's."""

from __future__ import annotations

import random

import pytest
from tests.conftest import segmented_library
from whoosh.query import AndNot

from reader.core.index import phrases, ranking
from reader.core.index.compiler import QueryCompiler
from reader.core.index.expansions import Expansions
from reader.core.index.matches import Found
from reader.core.index.query import parse
from reader.core.index.ranking import best_matches
from reader.core.library import Library

_FILLER = ["orchard", "apple", "comet", "minister", "market", "striker", "goal", "court", "verdict"]


def _article(rng: random.Random, number: int) -> str:
    words = [rng.choice(_FILLER) for _ in range(rng.randint(20, 80))]
    for common in ("river", "bridge", "river", "bridge", "tower"):  # in (nearly) every article
        if rng.random() < 0.95:
            words.insert(rng.randrange(len(words)), common)
    if rng.random() < 0.3:
        at = rng.randrange(len(words))
        words[at:at] = ["river", "bridge", "tower"]
    title = "River Bridge Tower" if number % 13 == 0 else f"{rng.choice(_FILLER).title()} news"
    return f"---\ntitle: {title}\ndate: 2021-0{1 + number % 9}-1{number % 9}\n---\n\n{' '.join(words)}.\n"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    rng = random.Random(7)
    texts = [_article(rng, number) for number in range(300)]
    opened = segmented_library(tmp_path_factory.mktemp("phrases"), texts, 11, "\nA river bridge correction.\n")
    yield opened
    opened.close()


def _whoosh_ranking(searcher: object, compiled: object) -> list[tuple[float, int]]:
    found = dict(searcher.search(compiled, limit=None).items())  # type: ignore[attr-defined]
    if isinstance(compiled, AndNot):  # (Whoosh's AndNotMatcher may let one excluded through)
        excluded = searcher.search(compiled.b, limit=None).docs()  # type: ignore[attr-defined]
        found = {docnum: score for docnum, score in found.items() if docnum not in excluded}
    return sorted(((score, docnum) for docnum, score in found.items()), key=lambda pair: (-pair[0], pair[1]))


@pytest.fixture()
def bounded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many candidates each phrase taken by its bound had."""
    taken: list[int] = []
    original = phrases._bounded

    def spy(*args: object) -> Found:
        found = original(*args)  # type: ignore[arg-type]
        taken.append(len(found.scores))
        return found

    monkeypatch.setattr(phrases, "_bounded", spy)
    return taken


QUERIES = [
    '"river bridge"',
    '"river bridge tower"',
    '"river bridge" OR comet',
    '"river bridge" -correction',
    'comet "river bridge"',
]


@pytest.mark.parametrize("limit", [1, 3, 8])
@pytest.mark.parametrize("query", QUERIES)
def test_the_best_few_and_the_count_are_whooshs(library: Library, bounded: list[int], query: str, limit: int) -> None:
    searcher = library._index()._current()
    assert len(searcher.leaf_searchers()) >= 3
    compiled = QueryCompiler(searcher.reader(), Expansions()).compile(parse(query))
    expected = _whoosh_ranking(searcher, compiled)
    ranked, total, estimated = best_matches(searcher, compiled, limit)
    assert len(expected) > limit
    assert [docnum for _, docnum in ranked] == [docnum for _, docnum in expected[:limit]]
    for (score, _), (whoosh_score, _) in zip(ranked, expected, strict=False):
        assert score == pytest.approx(whoosh_score, rel=1e-9)
    assert not estimated and total == len(expected)


@pytest.mark.parametrize("query", ['"river bridge"', '"river bridge tower"'])
def test_a_phrase_the_title_decides_is_taken_by_its_bound(library: Library, bounded: list[int], query: str) -> None:
    """Past the first segment, the bar (set by articles with the phrase in their title) is above
    what the words give alone: the phrase's candidates are bounded, not scored."""
    searcher = library._index()._current()
    compiled = QueryCompiler(searcher.reader(), Expansions()).compile(parse(query))
    best_matches(searcher, compiled, 3)
    assert bounded and all(count > 0 for count in bounded)


def test_the_estimated_count_is_the_one_scoring_every_candidate_gives(
    library: Library, bounded: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the count's budget the sample is the same as with every candidate scored: the same
    candidates are settled (those whose exact score reaches the bar), so the same estimate."""
    searcher = library._index()._current()
    compiled = QueryCompiler(searcher.reader(), Expansions()).compile(parse('"river bridge"'))
    monkeypatch.setattr(ranking, "COUNT_BUDGET", 20)
    found = best_matches(searcher, compiled, 3)
    assert bounded
    monkeypatch.setattr(phrases, "_bounded", lambda *args: pytest.fail("not taken without a bar"))
    goal = ranking.Goal
    monkeypatch.setattr(ranking, "Goal", lambda limit, threshold: goal(limit, None))  # noqa: ARG005 - no bar
    assert best_matches(searcher, compiled, 3) == found
    assert found[2], "the count should be an estimate past a budget of 20"
