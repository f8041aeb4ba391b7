"""Placing a highlight again: exact text first, then fuzzy re-anchoring, else orphaned.

The properties are checked on texts Hypothesis makes up: a highlight described on a text is
found where it was; edits elsewhere move it with its passage; small edits inside it keep it
attached; a passage rewritten beyond recognition is orphaned; and no input makes it fail.
"""

from __future__ import annotations

import string

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from reader.core.structure import sentence_spans
from reader.core.tags.anchoring import (
    CONTEXT_CHARS,
    FUZZY_TOLERANCE,
    Anchor,
    TextQuote,
    anchor,
    anchor_all,
    describe,
    find_typed,
)

STORM = (
    "Heavy rain overnight flooded the harbour town of Kellbridge, closing the coast road. "
    "Council workers spent the morning pumping out basements while volunteers handed out sandbags "
    "at the ferry terminal. The mayor said the new flood wall had held along most of the front."
)

# Words made of random letters: a passage of them does not turn up elsewhere by chance.
words = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=9)
word_lists = st.lists(words, min_size=20, max_size=80)


def passage(text: str, first: str, last: str) -> tuple[int, int]:
    start = text.index(first)
    return start, text.index(last, start) + len(last)


def test_a_selector_is_the_exact_text_with_context_on_both_sides() -> None:
    start, end = passage(STORM, "Council", "terminal.")
    quote = describe(STORM, start, end)
    assert quote.exact == STORM[start:end]
    assert quote.prefix == STORM[start - CONTEXT_CHARS : start]
    assert quote.suffix == STORM[end : end + CONTEXT_CHARS]


def test_an_edit_elsewhere_moves_the_highlight_with_its_passage() -> None:
    start, end = passage(STORM, "Council", "terminal.")
    quote = describe(STORM, start, end)
    edited = "A new first paragraph, added later.\n\n" + STORM.replace("most of the front", "the whole front")
    found = anchor(edited, quote, start)
    assert found is not None and found.exact
    assert edited[found.start : found.end] == quote.exact


def test_of_two_occurrences_the_one_in_the_same_context_wins_even_far_from_the_hint() -> None:
    text = "He said yes. Then the vote. She said yes. Then the end."
    second = text.rindex("said yes")
    quote = describe(text, second, second + len("said yes"))
    moved = "Preface " * 40 + text
    found = anchor(moved, quote, second)  # the old offset is now near the first one
    assert found == Anchor(moved.rindex("said yes"), moved.rindex("said yes") + 8, True)


def test_small_edits_inside_the_passage_keep_it_attached() -> None:
    start, end = passage(STORM, "Council", "terminal.")
    quote = describe(STORM, start, end)
    edited = STORM.replace("spent the morning", "spent all morning").replace("sandbags", "sand bags")
    found = anchor(edited, quote, start)
    assert found is not None and not found.exact
    assert edited[found.start : found.end] == (
        "Council workers spent all morning pumping out basements while volunteers handed out sand bags "
        "at the ferry terminal."
    )


def test_case_spacing_and_line_breaks_do_not_matter_to_the_fuzzy_match() -> None:
    start, end = passage(STORM, "Council", "terminal.")
    quote = describe(STORM, start, end)
    rewrapped = STORM.replace("pumping out basements while", "pumping OUT\nbasements  while")
    found = anchor(rewrapped, quote, start)
    assert found is not None
    assert rewrapped[found.start : found.end].startswith("Council") and rewrapped[found.end - 9 : found.end] == "terminal."


def test_a_passage_rewritten_beyond_recognition_is_orphaned() -> None:
    start, end = passage(STORM, "Council", "terminal.")
    quote = describe(STORM, start, end)
    rewritten = STORM[:start] + "Nobody came to help, and the shops stayed shut until the week after." + STORM[end:]
    assert anchor(rewritten, quote, start) is None


def test_a_quote_of_punctuation_only_is_found_verbatim_or_orphaned() -> None:
    quote = TextQuote("…", "end", "")
    assert anchor("The end…", quote, 7) == Anchor(7, 8, True)
    assert anchor("The end.", quote, 7) is None


def test_many_highlights_are_placed_in_one_pass() -> None:
    spans = [passage(STORM, "Heavy", "road."), passage(STORM, "The mayor", "front.")]
    quotes = [(describe(STORM, start, end), start) for start, end in spans]
    placed = anchor_all(STORM.replace("Heavy rain", "Heavy  rain"), quotes)
    assert [found is not None for found in placed] == [True, True]
    assert placed[1] is not None and placed[1].exact
    assert placed[0] is not None and not placed[0].exact


def test_a_typed_passage_is_found_whatever_its_case_spaces_or_quotation_marks() -> None:
    text = "She said: “It’s  done,\nat last.” Then she left."
    assert find_typed(text, "It’s  done") == [(11, 21)]
    start, end = find_typed(text, "\"it's done, at last.\"")[0]
    assert text[start:end] == "“It’s  done,\nat last.”"
    assert find_typed(text, "not there") == []
    assert find_typed(text, "   ") == []


# -- properties --------------------------------------------------------------------------------------


@given(st.text(min_size=1, max_size=300), st.data())
@example("aaaa aaaa aaaa", None)
def test_a_highlight_is_found_where_it_was_described(text: str, data: st.DataObject | None) -> None:
    if data is None:
        start, end = 5, 9
    else:
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start + 1, len(text)))
    quote = describe(text, start, end)
    assert anchor(text, quote, start) == Anchor(start, end, True)


@settings(max_examples=200)
@given(word_lists, st.data())
def test_inserting_text_outside_the_passage_moves_it_along(text_words: list[str], data: st.DataObject) -> None:
    text = " ".join(text_words)
    first = data.draw(st.integers(0, len(text_words) - 3))
    last = data.draw(st.integers(first + 2, len(text_words) - 1))
    start = len(" ".join(text_words[:first])) + (1 if first else 0)
    end = len(" ".join(text_words[: last + 1]))
    quote = describe(text, start, end)
    insertion = " ".join(data.draw(st.lists(words, min_size=1, max_size=10)))
    before = data.draw(st.booleans())
    at = data.draw(st.integers(0, start)) if before else data.draw(st.integers(end, len(text)))
    edited = text[:at] + insertion + text[at:]
    assume(edited.count(quote.exact) == 1)
    shift = len(insertion) if before else 0
    assert anchor(edited, quote, start) == Anchor(start + shift, end + shift, True)


@settings(max_examples=200)
@given(word_lists, st.data())
def test_changing_a_few_words_inside_the_passage_keeps_it_attached(text_words: list[str], data: st.DataObject) -> None:
    size = data.draw(st.integers(8, 20))
    assume(len(text_words) > size + 2)
    assume(len(set(text_words)) == len(text_words))  # no passage turns up twice
    first = data.draw(st.integers(1, len(text_words) - size - 1))
    text = " ".join(text_words)
    start = len(" ".join(text_words[:first])) + 1
    end = len(" ".join(text_words[: first + size]))
    quote = describe(text, start, end)
    changes = data.draw(st.integers(1, int(size * FUZZY_TOLERANCE)))
    # Change inner words only: a changed first or last word may or may not belong to the passage.
    where = data.draw(st.lists(st.integers(first + 1, first + size - 2), min_size=changes, max_size=changes, unique=True))
    edited_words = list(text_words)
    for index in where:
        edited_words[index] = edited_words[index].upper() + "x"
    edited = " ".join(edited_words)
    found = anchor(edited, quote, start)
    expected_start = len(" ".join(edited_words[:first])) + 1
    expected_end = len(" ".join(edited_words[: first + size]))
    assert found == Anchor(expected_start, expected_end, False)


@settings(max_examples=100)
@given(word_lists, st.lists(words, min_size=8, max_size=20), st.data())
def test_a_passage_replaced_by_other_words_is_orphaned(
    text_words: list[str], replacement: list[str], data: st.DataObject
) -> None:
    assume(not set(text_words) & set(replacement))
    first = data.draw(st.integers(0, len(text_words) - 10))
    size = data.draw(st.integers(8, min(20, len(text_words) - first)))
    assume(len(set(text_words)) == len(text_words))
    text = " ".join(text_words)
    start = len(" ".join(text_words[:first])) + (1 if first else 0)
    end = len(" ".join(text_words[: first + size]))
    quote = describe(text, start, end)
    edited_words = text_words[:first] + replacement + text_words[first + size :]
    assert anchor(" ".join(edited_words), quote, start) is None


@given(st.text(max_size=300), st.text(max_size=60), st.text(max_size=40), st.text(max_size=40), st.integers(-50, 400))
def test_no_text_and_no_selector_make_anchoring_fail(text: str, exact: str, prefix: str, suffix: str, hint: int) -> None:
    found = anchor(text, TextQuote(exact, prefix, suffix), hint)
    if found is not None:
        assert 0 <= found.start < found.end <= len(text)
        assert found.exact == (text[found.start : found.end] == exact)


@given(st.text(max_size=200), st.text(max_size=30))
def test_typed_passages_found_are_spans_of_the_text(text: str, typed: str) -> None:
    for start, end in find_typed(text, typed):
        assert 0 <= start < end <= len(text)


# -- sentences ----------------------------------------------------------------------------------------


def test_sentences_end_at_full_stops_but_not_after_titles_and_initials() -> None:
    text = "Dr. Smith said “It works.” Then he left. U.S. officials met J. K. Rowling. Why? 3 came… And more"
    assert [text[start:end] for start, end in sentence_spans(text)] == [
        "Dr. Smith said “It works.”",
        "Then he left.",
        "U.S. officials met J. K. Rowling.",
        "Why?",
        "3 came…",
        "And more",
    ]


def test_one_unbroken_token_is_one_sentence() -> None:
    text = "x" * 200_000
    assert sentence_spans(text, 10, 150_000) == [(10, 150_000)]


@given(st.text(max_size=400))
@example("A. B. C.  ")
def test_sentences_are_ordered_trimmed_and_cover_every_visible_character(text: str) -> None:
    spans = sentence_spans(text)
    covered = set()
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        covered.update(range(start, end))
        previous_end = end
    assert {i for i, char in enumerate(text) if not char.isspace()} <= covered
