"""Query text is cleaned before anything reads it: lone surrogates and bytes that are not UTF-8
never reach the index, and an error about a query talks about the query, not the index."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.core.index.query import Phrase, Word, clean_query, parse
from reader.core.library import Library, QueryError

EXAMPLES = int(os.environ.get("READER_FUZZ_EXAMPLES", "10000"))

ARTICLES = {
    "cafe.txt": "Café Owners Meet\n\nThe café owners of the old town met the mayor on Monday about rents.\n",
    "muller.txt": "Müller Signs\n\nThomas Müller signed a new contract with the club on Tuesday evening.\n",
    "kim.txt": "Kim Speaks\n\nKim spoke to reporters outside the court after the hearing ended.\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("query-corpus")
    for name, text in ARTICLES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def library(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("READER_HOME", str(tmp_path_factory.mktemp("query-home")))
        with Library(corpus) as opened:
            opened.sync()
            yield opened


def ids(library: Library, query: str) -> set[str]:
    return {hit.id for hit in library.search(query).hits}


# --- literal cases --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("kim \udcff\udcfe", {"kim.txt"}),  # stray bytes that do not read as Western text
        ("kim \ud800", {"kim.txt"}),  # a lone high surrogate
        ("\udfffkim", {"kim.txt"}),  # a lone low surrogate
        (os.fsdecode(b"caf\xe9"), {"cafe.txt"}),  # Latin-1 bytes typed on a command line
        (os.fsdecode(b"M\xfcller"), {"muller.txt"}),
        ("\ud83d\ude00müller", {"muller.txt"}),  # a surrogate pair is its emoji, not part of a word
        ("title:caf\udce9", {"cafe.txt"}),
        ('"caf\udce9 owners"', {"cafe.txt"}),
        ("kim\x00\x1b", {"kim.txt"}),  # control characters separate words, never join them
    ],
)
def test_a_query_with_surrogates_or_invalid_utf8_is_cleaned_and_searched(
    library: Library, query: str, found: set[str]
) -> None:
    assert ids(library, query) == found


def test_clean_query_keeps_text_and_drops_what_cannot_be_searched() -> None:
    assert clean_query("Müller “quoted” 東京 café") == "Müller “quoted” 東京 café"
    assert clean_query(os.fsdecode(b"caf\xe9 cr\xe8me")) == "café crème"
    assert clean_query("kim\udcff") == "kimÿ"  # one byte after letters: as a Latin-1 terminal typed it
    assert clean_query("a\udcff\udcfeb") == "a  b"  # not Western text: the bytes are dropped
    assert clean_query("\ud83d\ude00") == "😀"
    assert clean_query("x\u202ey\ufffdz") == "x y z"
    assert parse("caf\udce9") == Word("café", None)
    assert parse('"caf\udce9"') == Phrase("café", None)


@pytest.mark.parametrize("query", ["\udcff", "\udfff\udbff", "\x00\x1b", "\ufffd"])
def test_a_query_of_nothing_readable_says_so_about_the_query(library: Library, query: str) -> None:
    with pytest.raises(QueryError) as raised:
        library.search(query)
    message = str(raised.value)
    assert "could not be read" not in message and "index" not in message
    assert "query" in message and "\n" not in message


def test_the_search_command_takes_invalid_utf8_bytes_in_argv(corpus: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"reader", b"search", b"caf\xe9", b"--path", os.fsencode(corpus)],
        capture_output=True,
        timeout=120,
        env={**os.environ, "READER_HOME": str(tmp_path), "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 0, result.stderr
    assert b"cafe.txt" in result.stdout and b"index" not in result.stderr


# --- inputs nobody thought of ---------------------------------------------------------------------

SURROGATES = st.characters(categories=["Cs"])  # lone surrogates, high and low
ANY_CHARACTER = st.one_of(st.characters(), SURROGATES, st.characters(categories=["Cc", "Cf"]))
QUERIES = st.one_of(
    st.text(alphabet=ANY_CHARACTER, max_size=40),
    st.lists(st.one_of(SURROGATES, st.sampled_from(["kim", " ", "title:", '"', "(", "*", "~", "café"])),
             max_size=20).map("".join),
    st.binary(max_size=40).map(os.fsdecode),  # what a command line makes of any bytes
)


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(QUERIES)
@example("kim\udcff")
@example(os.fsdecode(b"\xff\xfe*"))
def test_no_query_is_blamed_on_the_index(library: Library, query: str) -> None:
    cleaned = clean_query(query)
    cleaned.encode("utf-8")  # strict: whatever the index gets can be encoded
    try:
        library.search(query)
    except QueryError as error:
        assert "could not be read" not in str(error), str(error)
        assert str(error) and "\n" not in str(error)
