"""Reworded quotes: wording classes, normalisation, significant changes, alignment, clusters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.cross_article import QuoteCluster, QuoteOccurrence
from reader.core.cross_article import wording as wording_module
from reader.core.cross_article.wording import (
    WordChange,
    WordingComparison,
    cluster_wording,
    compare_wording,
    earliest_member,
    words_of,
)
from reader.core.library import Library

REWORDED = Path(__file__).resolve().parents[1] / "fixtures" / "reworded"
STATEMENT = "We will not close a single library this year, and every branch will keep its evening hours."


def keys(text: str) -> list[str]:
    return [word.key for word in words_of(text)]


def pairs(comparison: WordingComparison) -> list[tuple[str, str]]:
    """The changes as (from, to) strings, the way the JSON shows them."""
    return [(str(change.as_dict()["from"]), str(change.as_dict()["to"])) for change in comparison.changes]


def inside(comparison: WordingComparison) -> list[WordChange]:
    return [change for change in comparison.changes if change.inside]


def applied(reference: str, copy: str, changes: Sequence[WordChange]) -> list[str]:
    """The reference's words with the changes made, the inserted words read off the copy at the
    changes' offsets: the copy's words, when the changes and their offsets are right."""
    words = keys(reference)
    copy_words = words_of(copy)
    result: list[str] = []
    position = 0
    for change in changes:
        result += words[position : change.reference_start]
        inserted = [word for word in copy_words if change.start <= word.start and word.end <= change.end]
        assert tuple(word.text for word in inserted) == change.inserted
        result += [word.key for word in inserted]
        position = change.reference_end
    return result + words[position:]


# ------------------------------------------------------------------ wording classes


def test_the_same_words_are_same() -> None:
    result = compare_wording(STATEMENT, STATEMENT)
    assert result.wording == "same"
    assert result.changes == ()
    assert not result.significant


def test_a_contiguous_part_is_shortened() -> None:
    result = compare_wording(STATEMENT, "will not close a single library this year")
    assert result.wording == "shortened"
    assert pairs(result) == [("We", ""), ("and every branch will keep its evening hours", "")]
    assert inside(result) == []
    assert not result.significant  # a cut is not a rewording


def test_a_copy_that_contains_the_earliest_is_extended() -> None:
    result = compare_wording("close a single library this year", STATEMENT)
    assert result.wording == "extended"
    assert pairs(result) == [("", "We will not"), ("", "and every branch will keep its evening hours")]
    assert not result.significant


def test_words_replaced_inside_are_changed() -> None:
    result = compare_wording(STATEMENT, STATEMENT.replace("evening", "weekend"))
    assert result.wording == "changed"
    assert pairs(result) == [("evening", "weekend")]
    assert not result.significant


def test_a_cut_at_one_end_and_an_addition_at_the_other_is_changed_but_not_significant() -> None:
    result = compare_wording("we will not close a single library", "close a single library, said Lee")
    assert result.wording == "changed"
    assert pairs(result) == [("we will not", ""), ("", "said Lee")]
    assert [change.inside for change in result.changes] == [False, False]
    assert not result.significant


def test_an_empty_copy_is_shortened_and_an_empty_earliest_is_extended() -> None:
    assert compare_wording(STATEMENT, "“…”").wording == "shortened"
    assert compare_wording("[…]", STATEMENT).wording == "extended"
    assert compare_wording("", "").wording == "same"


# ------------------------------------------------------------------ normalisation


@pytest.mark.parametrize(
    ("earliest", "copy"),
    [
        pytest.param("We will NOT close it", "we will not close it", id="case"),
        pytest.param("“We will not close it,” she said", '"We will not close it," she said', id="quote-marks"),
        pytest.param("Kanye’s plan won’t work", "Kanye's plan won't work", id="apostrophes"),
        pytest.param("Kanyes plan wont work", "Kanye`s plan won´t work", id="apostrophes-dropped"),
        pytest.param("a well-known fact — really", "a well – known fact - really", id="dashes"),
        pytest.param("We  will\n\tnot close it ", " We will not\u00a0close it", id="whitespace"),
        pytest.param("[Kim] is not standing back", "is not standing back [sic]", id="insertions"),
        pytest.param("they [the council] will not", "they will not", id="insertion-inside"),
        pytest.param("We raised 1,000 pounds", "We raised 1000 pounds", id="thousands-separator"),
        pytest.param("The café is open", "The cafe\u0301 is open", id="decomposed-accent"),
        pytest.param("We ﬁnd it ﬁne", "We find it fine", id="compatibility-forms"),
    ],
)
def test_marks_case_spacing_and_insertions_are_not_rewording(earliest: str, copy: str) -> None:
    assert compare_wording(earliest, copy).wording == "same"


def test_words_keep_their_place_in_the_text_as_written() -> None:
    text = "“Kanye’s [sic] plan — 1,000 days,” she said"
    found = words_of(text)
    assert [text[word.start : word.end] for word in found] == ["Kanye’s", "plan", "1,000", "days", "she", "said"]
    assert [word.key for word in found] == ["kanyes", "plan", "1000", "days", "she", "said"]
    assert [word.sentence_initial for word in found] == [True, False, False, False, False, False]


# ------------------------------------------------------------------ significance


@pytest.mark.parametrize(
    ("earliest", "copy", "reason"),
    [
        pytest.param("We will close it soon", "We will not close it soon", "negation", id="not-added"),
        pytest.param("We will not close it soon", "We will close it soon", "negation", id="not-removed"),
        pytest.param("We will not close it soon", "We will never close it soon", "negation", id="not-to-never"),
        pytest.param("We did see it happen", "We didn't see it happen", "negation", id="nt-added"),
        pytest.param("There is no plan at all", "There is a plan at all", "negation", id="no-removed"),
        pytest.param("It went well without help", "It went well with help", "negation", id="without"),
        pytest.param("We cannot do it now", "We can do it now", "negation", id="cannot"),
        pytest.param("Nobody will lose a job", "Everybody will lose a job", "negation", id="nobody"),
        pytest.param("We will hire 40 people", "We will hire 400 people", "number", id="digits"),
        pytest.param("We will hire ten people", "We will hire twelve people", "number", id="number-words"),
        pytest.param("It cost a million dollars", "It cost a billion dollars", "number", id="million-billion"),
        pytest.param("It cost $4.5m in total", "It cost $5.4m in total", "number", id="amounts"),
        pytest.param("It was the first time", "It was the second time", "number", id="ordinals"),
        pytest.param("I told Kim about it", "I told Kanye about it", "name", id="name-replaced"),
        pytest.param("I told Kim West about it", "I told Kim about it", "name", id="name-shortened"),
        pytest.param("I told him about it", "I told Kanye about it", "name", id="name-for-pronoun"),
        pytest.param("Kim is happy. I told Kim so", "Kanye is happy. I told Kim so", "name", id="proper-noun-opening"),
    ],
)
def test_negations_numbers_and_names_changed_are_significant(earliest: str, copy: str, reason: str) -> None:
    result = compare_wording(earliest, copy)
    assert result.wording == "changed"
    assert result.significant
    assert [change.reasons for change in result.changes if change.significant] == [(reason,)]


def test_not_to_never_reads_as_one_significant_change() -> None:
    result = compare_wording(STATEMENT, STATEMENT.replace("not", "never"))
    (change,) = result.changes
    assert change.as_dict() | {"start": 0, "end": 0} == {
        "from": "not",
        "to": "never",
        "significant": True,
        "reasons": ["negation"],
        "inside": True,
        "start": 0,
        "end": 0,
    }


def test_a_known_name_opening_a_sentence_is_a_name() -> None:
    assert not compare_wording("Kim is happy", "Kanye is happy").significant  # a capital alone says nothing
    result = compare_wording("Kim is happy", "Kanye is happy", names=["Kanye West"])
    assert [change.reasons for change in result.changes] == [("name",)]


@pytest.mark.parametrize(
    ("earliest", "copy"),
    [
        pytest.param("It was a long day for us", "It was a very long day for us", id="word-added"),
        pytest.param("We did not see it", "We did not really see it", id="word-added-near-negation"),
        pytest.param("We didn't see it", "We did not see it", id="contraction-spelled-out"),
        pytest.param("We can't stop now", "We cannot stop now", id="cannot-for-can't"),
        pytest.param("We will hire ten people", "We will hire 10 people", id="number-as-digits"),
        pytest.param("The plan will work", "This plan will work", id="capital-opening-a-sentence"),
        pytest.param("I think it will work", "We think it will work", id="pronoun-I"),
        pytest.param("We told the Mayor so", "We told the mayor so", id="case-only"),
    ],
)
def test_other_changes_are_not_significant(earliest: str, copy: str) -> None:
    result = compare_wording(earliest, copy)
    assert not result.significant, pairs(result)


def test_a_cut_negation_at_an_end_is_not_a_rewording_inside() -> None:
    result = compare_wording("We will stay. We will not", "We will stay. We will never")
    assert result.significant  # a replacement at the end is inside the quote
    assert not compare_wording("We will stay. We will not", "We will stay. We will").significant  # a cut


# ------------------------------------------------------------------ changes and their places


def test_adjacent_edits_merge_into_one_change() -> None:
    result = compare_wording("we will rebuild the old bridge soon", "we will rebuild a new crossing soon")
    assert pairs(result) == [("the old bridge", "a new crossing")]


def test_insertions_have_an_empty_from_and_removals_an_empty_to() -> None:
    result = compare_wording("we will rebuild the bridge soon", "we will quickly rebuild the soon")
    assert pairs(result) == [("", "quickly"), ("bridge", "")]


def test_changes_carry_offsets_into_the_copy_to_mark_inserted_words_and_removed_places() -> None:
    copy = "“We will quickly rebuild the span,” she said"
    result = compare_wording("We will rebuild the old bridge, she said", copy)
    assert pairs(result) == [("", "quickly"), ("old bridge", "span")]
    assert [copy[change.start : change.end] for change in result.changes] == ["quickly", "span"]
    removal = compare_wording("We will rebuild the old bridge", "We will rebuild the bridge").changes[0]
    assert removal.removed == ("old",) and removal.inserted == ()
    assert removal.start == removal.end == len("We will rebuild the")


def test_a_tie_resolves_to_a_cut_at_the_start_not_a_change_inside() -> None:
    result = compare_wording("the man said the plan is not good", "the plan is never good")
    assert pairs(result) == [("the man said", ""), ("not", "never")]
    assert [change.inside for change in result.changes] == [False, True]


def test_a_tie_resolves_to_a_cut_at_the_end() -> None:
    result = compare_wording("it is not good at all said the man", "it is never good at all said")
    assert pairs(result) == [("not", "never"), ("the man", "")]
    assert [change.inside for change in result.changes] == [True, False]


def test_past_the_step_budget_the_middle_is_one_correct_replacement(monkeypatch: pytest.MonkeyPatch) -> None:
    earliest = " ".join(f"w{index % 7} x{index % 5}" for index in range(200))
    copy = " ".join(f"x{index % 3} w{index % 11}" for index in range(200))
    monkeypatch.setattr(wording_module, "MAX_ALIGNMENT_STEPS", 50)
    result = compare_wording(earliest, copy)
    assert result.wording == "changed"
    assert len(result.changes) == 1
    assert applied(earliest, copy, result.changes) == keys(copy)


# ------------------------------------------------------------------ properties

VOCABULARY = ["we", "will", "not", "never", "close", "the", "library", "Kim", "ten", "10", "don't", "a"]
SEPARATORS = [" ", ", ", " — ", " - ", "\n", "  ", "; ", " [sic] ", ". "]
word_lists = st.lists(st.sampled_from(VOCABULARY), max_size=25)


@st.composite
def renderings(draw: st.DrawFn, words: list[str]) -> str:
    """The words as some outlet might print them: any case, marks, spacing and insertions."""
    parts = []
    for index, word in enumerate(words):
        cased = draw(st.sampled_from([word, word.upper(), word.capitalize()]))
        parts.append(cased.replace("'", draw(st.sampled_from(["'", "’"]))))
        if index < len(words) - 1:
            parts.append(draw(st.sampled_from(SEPARATORS)))
    opening, closing = draw(st.sampled_from([("", ""), ("“", "”"), ('"', '"'), ("'", "'")]))
    return opening + "".join(parts) + closing


def longest_common_subsequence(first: Sequence[str], second: Sequence[str]) -> int:
    row = [0] * (len(second) + 1)
    for item in first:
        previous_diagonal = 0
        for index, other in enumerate(second):
            above = row[index + 1]
            row[index + 1] = previous_diagonal + 1 if item == other else max(row[index + 1], row[index])
            previous_diagonal = above
    return row[-1]


@given(st.data(), word_lists)
def test_property_a_text_compared_with_itself_or_another_printing_of_it_is_same(
    data: st.DataObject, words: list[str]
) -> None:
    text = data.draw(renderings(words))
    assert compare_wording(text, text).wording == "same"
    assert compare_wording(text, data.draw(renderings(words))).wording == "same"


@given(st.data(), word_lists, word_lists)
def test_property_applying_the_changes_to_the_earliest_words_gives_the_copys_words(
    data: st.DataObject, first: list[str], second: list[str]
) -> None:
    earliest, copy = data.draw(renderings(first)), data.draw(renderings(second))
    result = compare_wording(earliest, copy)
    assert applied(earliest, copy, result.changes) == keys(copy)
    earliest_words = [word.text for word in words_of(earliest)]
    for change in result.changes:
        assert list(change.removed) == earliest_words[change.reference_start : change.reference_end]


@given(st.text(max_size=80), st.text(max_size=80))
def test_property_any_text_compares_without_error_and_the_changes_still_apply(earliest: str, copy: str) -> None:
    assert compare_wording(earliest, earliest).wording == "same"
    assert applied(earliest, copy, compare_wording(earliest, copy).changes) == keys(copy)


@given(st.data(), word_lists, word_lists)
def test_property_the_alignment_is_minimal(data: st.DataObject, first: list[str], second: list[str]) -> None:
    earliest, copy = data.draw(renderings(first)), data.draw(renderings(second))
    result = compare_wording(earliest, copy)
    kept = len(keys(copy)) - sum(len(change.inserted) for change in result.changes)
    assert kept == longest_common_subsequence(keys(earliest), keys(copy))


@given(st.data(), word_lists, word_lists)
def test_property_changed_means_an_edit_inside_or_a_cut_at_one_end_and_an_addition_at_the_other(
    data: st.DataObject, first: list[str], second: list[str]
) -> None:
    result = compare_wording(data.draw(renderings(first)), data.draw(renderings(second)))
    at_the_ends = [change for change in result.changes if not change.inside]
    if result.wording == "changed":
        cut = any(change.removed for change in at_the_ends)
        added = any(change.inserted for change in at_the_ends)
        assert any(change.inside for change in result.changes) or (cut and added)
    else:
        assert len(at_the_ends) == len(result.changes)  # same, shortened, extended: nothing inside
        assert not result.significant


@given(st.data(), st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=25))
def test_property_a_contiguous_slice_is_shortened_and_the_inverse_extended(
    data: st.DataObject, words: list[str]
) -> None:
    text = data.draw(renderings(words))
    found = words_of(text)
    first = data.draw(st.integers(0, len(found) - 1))
    last = data.draw(st.integers(first, len(found) - 1).filter(lambda last: (first, last) != (0, len(found) - 1)))
    part = text[found[first].start : found[last].end]
    assert compare_wording(text, part).wording == "shortened"
    assert compare_wording(part, text).wording == "extended"


# ------------------------------------------------------------------ clusters


def occurrence(
    article_id: str, text: str, *, start: int = 0, date: dt.date | None = None, speaker: str | None = None
) -> QuoteOccurrence:
    return QuoteOccurrence(
        article_id=article_id,
        title=article_id,
        text=text,
        start=start,
        end=start + len(text),
        speaker=speaker,
        outlet=article_id.split(".")[0],
        date=date,
        cluster_id=1,
        cluster_articles=0,
    )


def cluster(*members: QuoteOccurrence) -> QuoteCluster:
    return QuoteCluster(1, members[0].text, members, len({m.article_id for m in members}), len(members))


FIRST_HALF = "We will not close a single library this year"
SECOND_HALF = "and every branch will keep its evening hours for everyone"


def test_the_earliest_member_is_the_earliest_dated_else_the_first_file() -> None:
    undated_first_file = occurrence("a.txt", STATEMENT)
    later = occurrence("b.txt", STATEMENT, date=dt.date(2024, 5, 3))
    earlier = occurrence("z.txt", STATEMENT, date=dt.date(2024, 5, 2))
    assert earliest_member(cluster(undated_first_file, later, earlier)) == earlier
    in_a_folder = occurrence("sub/a.txt", STATEMENT)
    assert earliest_member(cluster(in_a_folder, occurrence("b.txt", STATEMENT))).article_id == "b.txt"
    second_quote = occurrence("b.txt", STATEMENT, start=50)
    assert earliest_member(cluster(second_quote, occurrence("b.txt", STATEMENT, start=5))).start == 5


def test_every_member_is_compared_with_the_earliest_copy_of_its_words() -> None:
    """The earliest outlet split the statement at "she said"; the others quote it whole or in part."""
    day = dt.date(2024, 5, 2)
    split = (
        occurrence("first.txt", FIRST_HALF, start=10, date=day),
        occurrence("first.txt", SECOND_HALF, start=90, date=day),
    )
    whole = occurrence("whole.txt", f"{FIRST_HALF}, {SECOND_HALF}.", date=day + dt.timedelta(1))
    partial = occurrence("partial.txt", "will not close a single library", date=day + dt.timedelta(2))
    reworded = occurrence(
        "reworded.txt", SECOND_HALF.replace("evening", "weekend"), date=day + dt.timedelta(3), speaker="Ann Lee"
    )
    found = cluster_wording(cluster(reworded, whole, *split, partial))
    assert [result.member for result in found] == [reworded, whole, *split, partial]
    by_article = {result.member.article_id: result for result in found}
    assert by_article["whole.txt"].comparison.wording == "same"
    assert by_article["whole.txt"].reference == split
    assert by_article["partial.txt"].comparison.wording == "shortened"
    assert by_article["partial.txt"].reference == split[:1]
    assert pairs(by_article["reworded.txt"].comparison) == [("evening", "weekend")]
    assert by_article["reworded.txt"].reference == split[1:]
    for piece in split:
        assert [r.comparison.wording for r in found if r.member == piece] == ["same"]


def test_words_the_earliest_article_never_quoted_are_compared_with_the_first_that_did() -> None:
    first = occurrence("a.txt", FIRST_HALF, date=dt.date(2024, 5, 2))
    both = occurrence("b.txt", f"{FIRST_HALF}, {SECOND_HALF}", date=dt.date(2024, 5, 3))
    second_only = occurrence("c.txt", SECOND_HALF.replace("for everyone", "for all"), date=dt.date(2024, 5, 4))
    found = {result.member.article_id: result for result in cluster_wording(cluster(first, both, second_only))}
    assert found["b.txt"].comparison.wording == "extended"
    assert found["c.txt"].reference == (both,)
    assert pairs(found["c.txt"].comparison) == [
        ("We will not close a single library this year", ""),  # a cut: c quotes only the second half
        ("everyone", "all"),
    ]


def test_a_shared_stock_phrase_does_not_make_an_earlier_quote_the_reference() -> None:
    first = occurrence("a.txt", "It is one of the best things we have ever built in this town", date=dt.date(2024, 1, 1))
    other = occurrence("b.txt", "Nobody here expected one of the pipes to burst so early in winter")
    (_, result) = cluster_wording(cluster(first, other))
    assert result.reference == (other,)
    assert result.comparison.wording == "same"


def test_a_cluster_speaker_counts_as_a_name() -> None:
    first = occurrence("a.txt", "Lee will not close a single library", date=dt.date(2024, 1, 1))
    other = occurrence("b.txt", "Kim will not close a single library", speaker="Kim Park")
    (_, result) = cluster_wording(cluster(first, other))
    assert [change.reasons for change in result.comparison.changes] == [("name",)]


# ------------------------------------------------------------------ on corpora, through the library


def test_the_reworded_corpus_reports_same_shortened_and_a_significant_never() -> None:
    with Library(REWORDED) as library:
        library.sync()
        (found,) = library.analysis.clusters()
        assert earliest_member(found) == found.first
        results = {result.member.outlet: result.comparison for result in cluster_wording(found)}
    assert found.first.outlet == "Riverton Gazette"
    assert {outlet: result.wording for outlet, result in results.items()} == {
        "Riverton Gazette": "same",
        "Valley Courier": "shortened",
        "Evening Herald": "changed",
    }
    herald = results["Evening Herald"]
    assert herald.as_dict()["significant"] is True
    assert [
        {key: change.as_dict()[key] for key in ("from", "to", "significant")} for change in herald.changes
    ] == [{"from": "not", "to": "never", "significant": True}]
    assert not results["Valley Courier"].significant


def test_the_seed_clusters_are_unchanged_and_none_is_reworded(seeds: Path) -> None:
    with Library(seeds) as library:
        library.sync()
        clusters = library.analysis.clusters()
    (people,) = [c for c in clusters if any(m.text.startswith("Kim and Kanye are doing well") for m in c.members)]
    assert {article_id[:3] for article_id in people.article_ids} == {"000", "001", "002"}
    assert earliest_member(people).article_id[:3] == "002"
    for each in clusters:
        results = cluster_wording(each)
        assert [r.comparison.wording for r in results if r.comparison.wording == "changed"] == []
    from_001 = [r.comparison.wording for r in cluster_wording(people) if r.member.article_id.startswith("001")]
    assert from_001 == ["same", "same"]  # split elsewhere than 002 splits it, word for word the same
