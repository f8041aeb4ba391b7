"""Paragraphs, headlines, derived titles and page furniture, on literal text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.structure import (
    _marks,
    _may_reopen,
    _quote_cues,
    author_from_box,
    classify,
    derive_title,
    paragraph_views,
    reads_as_headline,
    sentence_starts,
    split_paragraphs,
)


def kinds(text: str, has_headline: bool = True) -> list[tuple[str, str]]:
    spans = split_paragraphs(text)
    return [(text[p.start : p.end], p.kind.value) for p in classify(text, spans, has_headline)]


def test_paragraphs_are_blank_line_separated_and_trimmed() -> None:
    text = "  One\nstill one \n\n\n Two \n \u00a0\nThree"
    assert [text[s:e] for s, e in split_paragraphs(text)] == ["One\nstill one", "Two", "Three"]


def test_paragraph_spans_can_be_offset() -> None:
    assert split_paragraphs("a\n\nb", offset=10) == [(10, 11), (13, 14)]


def test_a_short_line_is_a_headline_and_prose_is_not() -> None:
    assert reads_as_headline("Kim K and Kanye Focus on Kids as They Live Separate Lives")
    assert reads_as_headline("Marriage ‘Still Needs Work’: sources speak.")  # short, even with a stop
    assert not reads_as_headline("If one thinks Kim has had it with Kanye and his behavior, they are wrong.")
    assert not reads_as_headline("Two lines\nare no headline")
    assert not reads_as_headline("")


def test_derived_title_is_the_first_sentence_cut_on_a_word() -> None:
    assert derive_title("Short opening. Then more.") == "Short opening"
    long_sentence = "If one thinks Kim Kardashian has had it with Kanye West and his weird behavior recently, they are wrong."
    assert derive_title(long_sentence) == "If one thinks Kim Kardashian has had it with Kanye West and his weird behavior…"


def test_share_prompts_and_image_credits_are_furniture() -> None:
    text = "Headline\n\nBody one.\n\nShare this article\n\nBody two.\n\nFeatured image used courtesy of\u00a0Shutterstock"
    assert kinds(text) == [
        ("Headline", "title"),
        ("Body one.", "body"),
        ("Share this article", "furniture"),
        ("Body two.", "body"),
        ("Featured image used courtesy of\u00a0Shutterstock", "furniture"),
    ]


def test_an_instagram_embed_is_furniture_from_view_to_shared_by() -> None:
    text = (
        "Headline\n\nBody.\n\nView this post on Instagram\n\n✨ sparkle ✨\n\n"
        "A post shared by Someone (@someone) on\n\nBody again."
    )
    assert [kind for _, kind in kinds(text)] == ["title", "body", "furniture", "furniture", "furniture", "body"]


def test_disclaimers_are_furniture() -> None:
    text = (
        "Headline\n\nBody.\n\nMicky is a news site and does not provide trading, investing, or other "
        "financial advice. By using this website, you affirm that you agree."
    )
    assert kinds(text)[-1][1] == "furniture"


def test_a_disclaimer_phrase_deep_inside_a_paragraph_is_body() -> None:
    prose = "The minister spoke for an hour about schools, hospitals, roads, taxes and the weather, and then " \
            "mentioned the privacy policy of the new app."
    assert kinds(f"Headline\n\n{prose}")[-1] == (prose, "body")


def test_everything_after_leave_a_reply_or_check_also_is_furniture_and_kept() -> None:
    text = "Headline\n\nOne.\n\nTwo.\n\nThree.\n\nAbout RaquelHarris\n\nCheck Also\n\nOther story\n\nLeave a Reply"
    result = kinds(text)
    assert [kind for _, kind in result] == ["title", "body", "body", "body"] + ["furniture"] * 4
    assert "".join(piece for piece, _ in result) == text.replace("\n\n", "")  # nothing deleted


def test_a_trailer_word_early_in_the_article_is_not_a_trailer() -> None:
    text = "Headline\n\nComments\n\nOne.\n\nTwo.\n\nThree.\n\nFour."
    assert [kind for _, kind in kinds(text)][1:] == ["heading", "body", "body", "body", "body"]


def test_a_teaser_repeating_the_start_of_a_later_paragraph_is_furniture() -> None:
    full = "Reality superstar Kim Kardashian and star rapper Kanye West appear to have reached a turning point."
    text = f"Headline\n\n{full[:60]}\n\nSub heading\n\n{full}"
    assert [kind for _, kind in kinds(text)] == ["title", "furniture", "heading", "body"]


def test_short_capitalised_lines_are_headings() -> None:
    assert kinds("Headline\n\nBody one.\n\nConstant work to make it work\n\nBody two.")[2][1] == "heading"


def test_without_a_headline_the_first_paragraph_is_body() -> None:
    assert kinds("Prose starts here, and it goes on.\n\nMore.", has_headline=False)[0][1] == "body"


def test_author_box_names_are_split_from_camel_case() -> None:
    assert author_from_box("About RaquelHarris") == "Raquel Harris"
    assert author_from_box("About Jane Q. Public") == "Jane Q. Public"
    assert author_from_box("About the author") is None
    assert author_from_box("Leave a Reply") is None



_FLAT_BODY = (
    "The council met on Tuesday to settle the budget for the coming year. Councillors argued for three hours "
    "about the library, the pool and the bus routes. The leader, Joan Marsh, said the numbers did not add up. "
    "Ms Marsh said: \"We have cut what we can cut without closing the library, and that took two years. "
    "\"We are not going to close it now, whatever the auditors say.\" The opposition disagreed. "
    "\"This is a budget for the next election, not the next year,\" said Tom Reyes, who leads the group. "
    "The vote is due next month. Residents can comment online until then, and a public meeting will be held "
    "at the town hall on the last Friday of the month."
)


def test_a_flattened_body_comes_back_as_several_paragraphs_over_the_same_text() -> None:
    text = f"Council budget row\n\n{_FLAT_BODY}"
    paragraphs = classify(text, split_paragraphs(text), has_headline=True)
    body = [text[p.start : p.end] for p in paragraphs if p.kind.value == "body"]
    assert len(body) >= 4
    assert " ".join(body) == _FLAT_BODY  # views over the unchanged text: only the spaces fall out
    assert body[2].startswith('"We are not going to close it now')  # the re-opened quote starts one


def test_a_quote_is_never_cut_where_it_has_no_new_opening_mark() -> None:
    quote = (
        '"We have cut what we can. We have sold what we can. We have asked the government for help, and '
        "we have asked again. We will keep asking. Nobody wants this. Nobody planned for it. It is what the "
        "numbers say, and the numbers are all we have. We are sorry. We will do better next year. We "
        'promise that much."'
    )
    text = f"Headline\n\nThe leader spoke at length on Tuesday evening. {quote} The meeting ended at ten."
    views = [text[s:e] for s, e in paragraph_views(text)]
    assert any(quote in view for view in views)


def test_short_paragraphs_are_left_as_they_are() -> None:
    text = "Headline\n\nOne sentence. Two sentences.\n\n\"A quote,\" she said. \"Another.\""
    assert paragraph_views(text) == split_paragraphs(text)


def test_a_reopened_quote_proves_a_lost_break_even_in_a_short_paragraph() -> None:
    text = 'He said: "We tried. "We failed." Then he left.'
    assert [text[s:e] for s, e in paragraph_views(text)] == ['He said: "We tried.', '"We failed."', "Then he left."]


def test_sentences_do_not_end_at_titles_initials_or_abbreviations() -> None:
    text = "Mr. Reyes met J. K. Rowling in the U.S. on Monday. No. 10 said nothing. She left."
    starts = sentence_starts(text, 0, len(text))
    assert [text[i : i + 6] for i in starts] == ["Mr. Re", "No. 10", "She le"]


_PROSE_PIECES = st.sampled_from([*"ab AB 1.!?…\"'“”‘’()[]\n", "Mr. ", "U.S. ", " said. ", ". “", "” ‘"])
_QUOTED_PROSE = st.lists(_PROSE_PIECES, max_size=30).map("".join)


@settings(max_examples=800)
@given(_QUOTED_PROSE)
def test_a_quote_re_opened_is_never_missed_by_the_quick_check(text: str) -> None:
    """``_may_reopen`` lets ``_cuts`` pass over a short paragraph without reading its quote marks:
    it must be True whenever reading them finds a re-opened quote."""
    starts = sentence_starts(text, 0, len(text))
    reopened, _ = _quote_cues(_marks(text, 0, len(text)), set(starts))
    assert _may_reopen(text, 0, len(text)) or not reopened
