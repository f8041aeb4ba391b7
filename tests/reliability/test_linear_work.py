"""Issue 14, item 1: the core's work on one article grows with its length, not its square.

Counted, not timed (the machine's load does not matter): how many comparisons attribution and
people-matching make as a page of quotes or names doubles, and that a run of a million
characters never reaches the stemmer. Each of these was quadratic: a page of 4,000 nested
quotes took 36 s to extract, 4,000 distinct names 72 s, and indexing a 900,000-character word
minutes (the stemmer), all in threads the app shares its event loop's lock with.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

import reader.core.extraction.people as people
import reader.core.extraction.speakers as speakers
import reader.core.index.terms as terms
from reader.core.extraction import extract


def _counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> Callable[[], int]:
    calls = 0
    original = getattr(owner, name)

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return lambda: calls


def _work(monkeypatch: pytest.MonkeyPatch, page: Callable[[int], str], counted: list[tuple[object, str]]) -> list[int]:
    """Calls made extracting the page at 500 and at 1,000 items."""
    totals = []
    for n in (500, 1000):
        with monkeypatch.context() as patch:
            counters = [_counting(patch, owner, name) for owner, name in counted]
            extract("Title\n\n" + page(n))
            totals.append(sum(counter() for counter in counters))
    return totals


PAGES = {
    "quotes in one long sentence": lambda n: " ".join(f'"q{i}"' for i in range(n)),
    "nested quotes": lambda n: " ".join(f"\"a{i} 'b{i}' c{i}\"" for i in range(n)),
    "names then pronouns": lambda n: " ".join(f'John Smith{i % 50} said "x{i}." He added: "y{i}."' for i in range(n)),
    "attributed quotes": lambda n: " ".join(f'"q{i}," he said.' for i in range(n)),
}


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_attribution_work_doubles_when_the_quotes_double(monkeypatch: pytest.MonkeyPatch, page) -> None:  # type: ignore[no-untyped-def]
    Attributor = speakers._Attributor
    half, full = _work(monkeypatch, page, [(Attributor, "_is_ancestor"), (Attributor, "_visible_from")])
    assert full <= 2.5 * half + 50, (half, full)


def test_matching_names_to_people_doubles_when_the_names_double(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    syllables = "ba ko ri tu ne sa mo li pe da".split()
    surnames = rng.sample([(a + b + c).capitalize() for a in syllables for b in syllables for c in syllables], 1000)
    names = [f"{rng.choice(['John', 'Mary', 'Peter', 'Anna'])} {surname}" for surname in surnames]  # all different
    page = lambda n: " ".join(f'{names[i]} said "x{i}".' for i in range(n))  # noqa: E731
    half, full = _work(monkeypatch, page, [(people, "_same_person")])
    assert full <= 2.5 * half + 50, (half, full)


def test_a_run_of_a_million_characters_never_reaches_the_stemmer(monkeypatch: pytest.MonkeyPatch) -> None:
    stemmed: list[str] = []
    original = terms._snowball_stem
    monkeypatch.setattr(terms, "_snowball_stem", lambda word: stemmed.append(word) or original(word))
    monkeypatch.setattr(terms, "_text_terms", {})  # nothing remembered from earlier tests
    run = "x" * 1_000_000
    assert terms.text_term(run) == "x" * terms.TERM_CHARS
    assert terms.text_positions(f"before {run} after") == {"befor": [0], "x" * terms.TERM_CHARS: [1], "after": [2]}
    assert sorted(stemmed) == ["after", "before"]  # the run is folded and cut, not stemmed
