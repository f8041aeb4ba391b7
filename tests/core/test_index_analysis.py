"""Index terms: the memoised word-at-a-time path agrees with the Whoosh analysers it replaces."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.core.index.terms import (
    NAME_ANALYZER,
    TEXT_ANALYZER,
    WORD_RE,
    fold,
    name_positions,
    tag_term,
    term_spans,
    text_positions,
    text_term,
)

SAMPLE = "Kim Kardashian’s “incredibly patient” résumé: U.S. runners ran 3.5 km in Zürich, STRASSE straße."


def whoosh_positions(analyzer, text: str) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    positions: dict[str, list[int]] = {}
    for token in analyzer(text, positions=True):
        positions.setdefault(token.text, []).append(token.pos)
    return positions


def test_text_terms_match_whoosh_text_analyzer() -> None:
    assert text_positions(SAMPLE) == whoosh_positions(TEXT_ANALYZER, SAMPLE)


def test_name_terms_match_whoosh_name_analyzer() -> None:
    assert name_positions([SAMPLE]) == whoosh_positions(NAME_ANALYZER, SAMPLE)


@given(st.text(max_size=200))
def test_text_terms_match_whoosh_on_any_text(text: str) -> None:
    assert text_positions(text) == whoosh_positions(TEXT_ANALYZER, text)


def test_folding_and_stemming() -> None:
    assert [fold(word) for word in ("Müller", "ZÜRICH", "straße", "Øre", "café")] == [
        "muller", "zurich", "strasse", "ore", "cafe"
    ]
    assert text_term("Running") == text_term("runs") == "run"
    assert text_term("Kardashians") == "kardashian"
    assert tag_term("  Long   Read ") == "long read"


def test_names_keep_a_gap_so_phrases_never_span_two_names() -> None:
    positions = name_positions(["Taylor Swift", "Kim Kardashian"])
    assert positions["swift"][0] + 1 < positions["kim"][0]


def test_term_spans_mark_every_form_of_a_term() -> None:
    text = "Runs, running and RUN; a rerun is not a run-up. U.S. is not US."
    spans = term_spans(text, {"run"})
    assert [text[a:b] for a, b in spans] == ["Runs", "running", "RUN", "run"]
    assert [text[a:b] for a, b in term_spans(text, {text_term("U.S")})] == ["U.S"]


@given(st.text(alphabet="ab .Ué\n", max_size=80), st.sets(st.sampled_from(["a", "b", "ab", "u.s", "ue"])))
def test_term_spans_equal_a_scan_of_every_word(text: str, terms: set[str]) -> None:
    expected = [m.span() for m in WORD_RE.finditer(text) if text_term(m.group()) in terms]
    assert term_spans(text, terms) == expected
