"""The query language: each construct on a small literal corpus, and odd inputs of every kind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.index.query import MAX_QUERY_CHARS, QueryError
from reader.core.library import Library

ARTICLES = {
    "kim.md": "---\ntitle: Kim Kardashian is incredibly patient\ndate: 2020-09-07\nsource: People\n---\n"
    "Kim Kardashian and Kanye West spent the weekend together.\n\n"
    "“Kim continues to be incredibly patient,” a source told People.\n",
    "swift.md": "---\ntitle: Taylor Swift releases an album\ndate: 2021-03-02\nsource: Billboard\n---\n"
    "Taylor Swift surprised fans on Tuesday.\n\n“I love this album,” Taylor Swift said.\n",
    "cafe.md": "---\ntitle: Le café de Müller\ndate: 2020-01-15\n---\n"
    "Anna Müller opened a café in Zürich, across from the old bridge.\n",
    "paris.txt": "Bridges of Paris\n\nThe bridges of Paris are old. Patient walkers cross them at dawn.\n",
    "run.md": "---\ntitle: Running season\ndate: 2019-05-05\nsource: Reuters\nauthor: Jane Roe\n---\n"
    "Runners ran and were running in races all spring.\n",
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    folder = tmp_path_factory.mktemp("query-corpus")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("READER_HOME", str(tmp_path_factory.mktemp("query-home")))
        with Library(folder) as opened:
            opened.sync()
            yield opened


def found(library: Library, query: str, **options: object) -> list[str]:
    return [hit.id for hit in library.search(query, **options).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("incredibly patient", ["kim.md"]),  # every word must match
        ('"incredibly patient"', ["kim.md"]),
        ('"patient incredibly"', []),
        ("zürich OR paris", ["cafe.md", "paris.txt"]),
        ("patient NOT bridges", ["kim.md"]),
        ("patient -bridges", ["kim.md"]),
        ("(swift OR müller) album", ["swift.md"]),
        ("kim OR taylor album", ["swift.md"]),  # OR binds tighter: (kim OR taylor) AND album
        ("kard*", ["kim.md"]),
        ("kardashain~", ["kim.md"]),
        ("swfit~1", ["swift.md"]),
        ("cafe", ["cafe.md"]),  # accents folded both ways
        ("MULLER zurich", ["cafe.md"]),
        ("Müller", ["cafe.md"]),
        ("races", ["run.md"]),  # stemming: races ~ race
        ("run", ["run.md"]),
        ("title:bridges", ["paris.txt"]),
        ("title:(patient OR album)", ["kim.md", "swift.md"]),
        ("outlet:reuters", ["run.md"]),
        ("source:people", ["kim.md"]),
        ("author:roe", ["run.md"]),
        ("date:2020-09", ["kim.md"]),
        ("date:2020-01..2020-06", ["cafe.md"]),
        ("date:>=2021", ["swift.md"]),
        ("date:<2020", ["run.md"]),
        ("date:[2020 TO 2020]", ["cafe.md", "kim.md"]),
        ("NOT date:2020", ["paris.txt", "run.md", "swift.md"]),
        ("-kim -taylor -müller -running", ["paris.txt"]),
    ],
)
def test_query_constructs(library: Library, query: str, expected: list[str]) -> None:
    assert sorted(found(library, query)) == expected


def test_title_matches_rank_first(library: Library) -> None:
    assert found(library, "patient") == ["kim.md", "paris.txt"]


def test_people_and_speakers_from_extraction(library: Library) -> None:
    assert found(library, 'person:"Taylor Swift"') == ["swift.md"]
    assert found(library, "person:swift") == ["swift.md"]
    assert found(library, 'person:"Swift Taylor"') == []
    assert found(library, 'quoted:"Taylor Swift"') == ["swift.md"]
    assert found(library, 'quote:"love this album"') == ["swift.md"]
    assert found(library, "quote:weekend") == []  # in the body, not in a quote


def test_sorting(library: Library) -> None:
    dated = ["swift.md", "kim.md", "cafe.md", "run.md"]
    assert found(library, "NOT paris", sort="date") == dated
    assert found(library, "NOT paris", sort="oldest") == dated[::-1]
    assert found(library, "NOT zzz", sort="title")[:2] == ["paris.txt", "kim.md"]
    with pytest.raises(ValueError):
        library.search("kim", sort="sideways")


def test_limits(library: Library) -> None:
    result = library.search("NOT zzz", limit=2)
    assert len(result.hits) == 2 and result.total == 5
    assert len(library.search("NOT zzz", limit=None).hits) == 5


def test_fuzzy_and_prefix_terms_are_expanded_for_marking(library: Library) -> None:
    result = library.search("kardashain~ patien*")
    assert {"kardashian", "patient"} <= result.terms
    article = library.article("kim.md")
    marked = {article.text[a:b] for a, b in library.term_spans(article.text, result.terms)}
    assert marked == {"Kardashian", "patient"}


def test_snippet_is_plain_text_with_spans_on_the_matches(library: Library) -> None:
    hit = library.search('"incredibly patient"').hits[0]
    assert "\n" not in hit.snippet
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["incredibly", "patient"]
    assert hit.title == "Kim Kardashian is incredibly patient"
    assert not hit.snippet.startswith("Kim Kardashian is incredibly")  # the body, not the headline


def test_date_none_lists_the_undated_articles(library: Library) -> None:
    undated = {summary.id for summary in library.summaries() if summary.date is None}
    assert undated and len(undated) < 5
    assert {hit.id for hit in library.search("date:none").hits} == undated
    assert {hit.id for hit in library.search("kanye date:undated").hits} <= undated
    assert {hit.id for hit in library.search("NOT date:none").hits}.isdisjoint(undated)


def test_blank_query_finds_nothing_without_error(library: Library) -> None:
    assert library.search("   ").hits == ()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("foo:bar", "unknown field foo:, use title:, person:, quoted:, quote:, outlet:, author:, tag:, highlight:, note:, has: or date:"),
        ("OR", "nothing to search for in 'OR'; type some words"),
        ("AND NOT", "nothing to search for in 'AND NOT'; type some words"),
        ("title:", 'title: needs a word, a "phrase" or a (group) after it'),
        ("k*", "k*: put at least 2 letters before *"),
        ("date:2020-13", "date:2020-13 is not a real date; dates look like date:2020-09, "
         "date:2020-01..2020-06, date:>2020-06-15 or date:none"),
        ("date:soon", "date:soon not understood; dates look like date:2020-09, date:2020-01..2020-06, "
         "date:>2020-06-15 or date:none"),
        ("date:2021..2020", "date:2021..2020 ends before it starts"),
        ("!!! ???", "nothing to search for; type some words"),
        ("(" * 40 + "kim", "too many nested parentheses (at most 32)"),
        (" ".join(["kim"] * 65), "too many words in the query (at most 64)"),
    ],
)
def test_odd_queries_give_one_line_messages(library: Library, query: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        library.search(query)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"incredibly patient', ["kim.md"]),  # an unclosed quote runs to the end
        ("((kim", ["kim.md"]),
        ("kim))", ["kim.md"]),
        ("kim AND", ["kim.md"]),
        ("OR kim", ["kim.md"]),
        ("kim NOT", ["kim.md"]),
        ("https://people.com/kim", []),  # a URL is words, not a field
        ("“incredibly patient”", ["kim.md"]),  # typographic quotes work like straight ones
    ],
)
def test_unbalanced_and_dangling_syntax_is_forgiven(library: Library, query: str, expected: list[str]) -> None:
    assert found(library, query) == expected


@pytest.mark.parametrize("length", [10_000, 100_000])
def test_very_long_queries_are_refused(library: Library, length: int) -> None:
    with pytest.raises(QueryError, match=f"at most {MAX_QUERY_CHARS:,}"):
        library.search("kim " * (length // 4))


def test_the_longest_allowed_query_runs(library: Library) -> None:
    words = " ".join(["kim", "kardashian", "patient"] * 20)
    assert found(library, words[:MAX_QUERY_CHARS]) == ["kim.md"]


_PIECES = st.sampled_from(
    ["kim", "patient", '"', "(", ")", "AND", "OR", "NOT", "-", "*", "~", "~2", ":", "title:", "date:",
     "date:2020", "tag:", "person:", "[", "]", "..", ">", "kard*", " ", "\\", "“", "^", "&&", "||"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=30).map("".join)))
def test_any_string_gives_results_or_a_query_error(library: Library, query: str) -> None:
    try:
        result = library.search(query, limit=5)
    except QueryError as error:
        message = str(error)
        assert message and "\n" not in message and len(message) < 300
    else:
        assert len(result.hits) <= 5 and result.total >= len(result.hits)


@pytest.mark.parametrize("query", ["kim OR taylor NOT album", "NOT zzz", "title:(patient OR album) -swift", "kard*"])
def test_total_counts_every_match_whatever_the_limit(library: Library, query: str) -> None:
    every = library.search(query, limit=None)
    assert library.search(query, limit=1).total == every.total == len(every.hits)
