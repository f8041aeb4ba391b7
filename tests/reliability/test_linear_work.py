"""Issue 14, item 1: the core's work on one article grows with its length, not its square.

Counted, not timed (the machine's load does not matter): how much text attribution reads around
the quotes, how many names are compared and looked up, as a page of quotes or names doubles;
and that a run of a million characters never reaches the stemmer. Each of these was quadratic:
a page of 4,000 nested quotes took 63 s to extract, 4,000 distinct names 21 s, 20,000
capitalised words 19 s, and indexing a 900,000-character word minutes (the stemmer), all in
threads the app shares its event loop's lock with.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

import reader.core.extraction.counting as counting
import reader.core.extraction.discourse as discourse
import reader.core.extraction.persons as persons
import reader.core.extraction.resolution as resolution
import reader.core.extraction.speakers as speakers
import reader.core.index.terms as terms
from reader.core.extraction import extract


def _counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, weight=lambda result, args: 1):  # type: ignore[no-untyped-def]
    """Count the calls of ``owner.name`` (each weighted, e.g. by the length of what it read)."""
    total = 0
    original = getattr(owner, name)

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal total
        result = original(*args, **kwargs)
        total += weight(result, args)
        return result

    monkeypatch.setattr(owner, name, counted)
    return lambda: total


def _work(monkeypatch: pytest.MonkeyPatch, page: Callable[[int], str], counted: list[tuple], n: int = 500) -> list[int]:  # type: ignore[type-arg]
    """The work done extracting the page at ``n`` and at twice as many items."""
    totals = []
    for n in (n, 2 * n):
        with monkeypatch.context() as patch:
            counters = [_counting(patch, *target) for target in counted]
            extract("Title\n\n" + page(n))
            totals.append(sum(counter() for counter in counters))
    return totals


PAGES = {
    "quotes in one long sentence": lambda n: " ".join(f'"q{i}"' for i in range(n)),
    "nested quotes": lambda n: " ".join(f"\"a{i} 'b{i}' c{i}\"" for i in range(n)),
    "names then pronouns": lambda n: " ".join(f'John Smith{i % 50} said "x{i}." He added: "y{i}."' for i in range(n)),
    "attributed quotes": lambda n: " ".join(f'"q{i}," he said.' for i in range(n)),
}
ATTRIBUTION_WORK = [
    # the text read around the quotes, in characters, and the attributions read after them
    (discourse.Context, "between", lambda text, args: len(text)),
    (speakers._Attributor, "_after"),
]


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_attribution_work_doubles_when_the_quotes_double(monkeypatch: pytest.MonkeyPatch, page) -> None:  # type: ignore[no-untyped-def]
    half, full = _work(monkeypatch, page, ATTRIBUTION_WORK)
    assert full <= 2.5 * half + 50, (half, full)


def test_a_pronoun_looks_back_a_bounded_way_for_its_person(monkeypatch: pytest.MonkeyPatch) -> None:
    """"She" after nothing but men: every earlier mention was tried for every pronoun, and the
    whole text was searched again for each name an organisation might stand behind."""
    page = lambda n: " ".join(f'John Smith said "x{i}." She added: "y{i}."' for i in range(n))  # noqa: E731
    work = [
        (resolution.Resolver, "_visible_from"),
        (resolution, "_followed_by_capital", lambda found, args: len(args[0])),
    ]
    half, full = _work(monkeypatch, page, work, n=1500)
    assert full <= 2.5 * half + 50, (half, full)


def test_matching_names_to_people_doubles_when_the_names_double(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    syllables = "ba ko ri tu ne sa mo li pe da".split()
    surnames = rng.sample([(a + b + c).capitalize() for a in syllables for b in syllables for c in syllables], 1000)
    names = [f"{rng.choice(['John', 'Mary', 'Peter', 'Anna'])} {surname}" for surname in surnames]  # all different
    page = lambda n: " ".join(f'{names[i]} said "x{i}".' for i in range(n))  # noqa: E731
    half, full = _work(monkeypatch, page, [(persons, "_same_person")])
    assert full <= 2.5 * half + 50, (half, full)


def test_a_long_run_of_capitalised_words_is_looked_up_a_name_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    words = "Aaa Bbb Ccc Mr Dr The Smith Jones".split()
    page = lambda n: " ".join(words[i % len(words)] for i in range(5 * n))  # noqa: E731
    half, full = _work(monkeypatch, page, [(counting.MentionCounter, "_lookup", lambda found, args: len(args[1]))])
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
