"""Arbitrary text in the search box: the parser and the search raise QueryError or nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.core.index.query import parse
from reader.core.library import Library, QueryError

EXAMPLES = int(os.environ.get("READER_FUZZ_EXAMPLES", "10000"))

# Text that looks like queries (operators, fields, quotes, brackets) mixed with any Unicode.
QUERY_PIECES = st.sampled_from(
    ["kim", "kanye", "OR", "AND", "NOT", "-", "(", ")", '"', "“", "”", "*", "?", "~", "~2", "^", ":",
     "title:", "person:", "quoted:", "quote:", "outlet:", "author:", "tag:", "date:", "date:2020-09",
     "date:2020..2021", "[", "]", "{", "}", "\\", "/", " ", "\x00", "\x1b[2J", "\u202e", "é", "ß", "İ"]
)
QUERIES = st.one_of(
    st.text(max_size=60),
    st.lists(QUERY_PIECES, max_size=25).map("".join),
    st.lists(st.one_of(QUERY_PIECES, st.text(max_size=5)), max_size=15).map(" ".join),
)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis folder written into the working directory
    derandomize=True,  # the same 10,000 strings in every run: a failure is reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def library(seeds_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("READER_HOME", str(tmp_path_factory.mktemp("fuzz-home")))
        with Library(seeds_folder) as opened:
            opened.sync()
            yield opened


@pytest.fixture(scope="module")
def seeds_folder() -> Path:
    return Path(__file__).resolve().parents[2] / "seeds"


@pytest.mark.slow
@FUZZ
@given(QUERIES)
@example("x" * 100_000)
@example("(" * 10_000)
@example("a" * 999 + "*")
@example("date:9999-99-99")
def test_the_parser_and_the_search_box_raise_only_query_error(library: Library, query: str) -> None:
    # One test for both, as 10,000 examples of each would double the time for little gain:
    # ``Library.search`` parses first, so the parser sees every string either way.
    for step in (parse, library.search):
        try:
            step(query)
        except QueryError as error:
            # Library.search turns an index failure into a QueryError too: that is not a pass.
            assert "could not be read" not in str(error), str(error)
            assert str(error) and "\n" not in str(error)
