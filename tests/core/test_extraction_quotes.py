"""Quote spans: which marks hold someone's words, and exactly where those words are."""

from __future__ import annotations

from reader.core.extraction import extract


def quote_texts(text: str) -> list[str]:
    return [quote.text for quote in extract(text).quotes]


def test_offsets_point_at_the_words_between_the_marks() -> None:
    text = "The coach said: “We were better today.” Then he left."
    (quote,) = extract(text).quotes
    assert text[quote.start : quote.end] == quote.text == "We were better today."


def test_all_four_mark_styles() -> None:
    text = (
        "“One two three,” she said. ‘Four five six,’ he said.\n\n"
        "\"Seven eight nine,\" they said. 'Ten eleven twelve,' we said."
    )
    assert quote_texts(text) == ["One two three,", "Four five six,", "Seven eight nine,", "Ten eleven twelve,"]


def test_apostrophes_between_letters_are_not_marks() -> None:
    text = "He said ‘Kanye’s plan didn’t work and it won’t now’ on Monday."
    assert quote_texts(text) == ["Kanye’s plan didn’t work and it won’t now"]


def test_a_plural_possessive_closes_nothing() -> None:
    text = "The West family’s year began like so many families’: with a diagnosis. ‘It was hard,’ she said."
    assert quote_texts(text) == ["It was hard,"]


def test_plural_possessive_inside_an_open_quote_is_kept_inside() -> None:
    text = "'We did it for the fans' sake and nobody else,' the captain said."
    assert quote_texts(text) == ["We did it for the fans' sake and nobody else,"]


def test_closing_single_quote_before_a_lowercase_word_still_closes() -> None:
    text = "The couple ‘very much live separate lives’ according to a source. ‘Their lives don’t overlap.’"
    assert quote_texts(text) == ["very much live separate lives", "Their lives don’t overlap."]


def test_nested_quotes_of_the_same_mark() -> None:
    text = "“Kanye seems set on what he calls “God’s plan” – that he becomes president,” said an insider."
    assert quote_texts(text) == ["Kanye seems set on what he calls “God’s plan” – that he becomes president,"]


def test_doubled_opener_gives_both_levels() -> None:
    text = "West then added, ‘‘Even if my wife leaves me, I stand by it,’ he said, sobbing.’ Later he left."
    assert quote_texts(text) == [
        "‘Even if my wife leaves me, I stand by it,’ he said, sobbing.",
        "Even if my wife leaves me, I stand by it,",
    ]


def test_single_quote_closed_by_a_double_closes_both() -> None:
    text = "E! News shares “‘Kim is doing her thing. She lets him be,” adds the insider. Then ”stray."
    assert quote_texts(text) == ["‘Kim is doing her thing. She lets him be,", "Kim is doing her thing. She lets him be,"]


def test_a_quote_runs_across_paragraphs_until_it_closes() -> None:
    text = "Vanity Fair reports, “They live apart.\n\nThey are happy.\n\nThey meet at Christmas.” That is all."
    (quote,) = extract(text).quotes
    assert quote.text == "They live apart.\n\nThey are happy.\n\nThey meet at Christmas."


def test_a_quote_reopened_at_each_paragraph_is_one_quote_from_first_mark_to_last() -> None:
    text = "“We will win this,” said Pep Guardiola. “We have the players.\n\n“And we have the fans.”"
    found = extract(text).quotes
    assert [q.text for q in found] == ["We will win this,", "We have the players.\n\n“And we have the fans."]
    assert [q.speaker for q in found] == ["Pep Guardiola"] * 2


def test_in_flattened_text_a_mark_reopening_after_a_full_stop_continues_the_quote() -> None:
    text = (
        'Headline\n\nMs Okafor said: "We cut waiting lists by a third in 18 months. "We will halve them by '
        'next year." She left. "It was close." "Next time, we win," she added.'
    )
    assert quote_texts(text) == [
        'We cut waiting lists by a third in 18 months. "We will halve them by next year.',
        "It was close.",
        "Next time, we win,",
    ]


def test_a_reopened_quote_that_never_closes_ends_with_its_last_paragraph() -> None:
    text = "He said: ‘We will fight.\n\n‘We will win.\n\nThe vote is on Monday."
    assert quote_texts(text) == ["We will fight.\n\n‘We will win."]


def test_scare_quotes_nicknames_and_labels_are_not_quotes() -> None:
    text = (
        "Kim is patient with his presidential “walk,” but the “Reserve” doses are gone. "
        "'Kimye' married in Florence. He denounced her on Twitter as 'Kris Jong-Un.' "
        "Dwayne “The Rock” Johnson said nothing. It is what he calls \"God's plan\" for the year."
    )
    assert quote_texts(text) == []


def test_titles_of_works_are_not_quotes() -> None:
    text = (
        "The lyrics on her song \"Famous\" upset Taylor Swift. In an episode of \"The Messy Truth,\" "
        "she defended him. Her new album “Midnights Again” is out."
    )
    assert quote_texts(text) == []


def test_headline_fragments_are_quotes() -> None:
    text = "Kim Kardashian Is Being ‘Incredibly Patient’ With Kanye; Marriage ‘Still Needs Work’\n\nBody text."
    assert quote_texts(text) == ["Incredibly Patient", "Still Needs Work"]


def test_a_one_word_answer_with_attribution_is_a_quote() -> None:
    assert quote_texts("“No,” she said. Nothing more.") == ["No,"]


def test_stray_marks_and_unclosed_quotes_give_nothing() -> None:
    assert quote_texts("It was the ’90s and rock ’n’ roll ruled” for a while.") == []


def test_a_title_case_name_in_prose_is_a_title_of_work() -> None:
    text = "Vance published 14 novels, beginning with \"The Salt Year\" in 1962. \"I'm not quiet,\" she said."
    assert quote_texts(text) == ["I'm not quiet,"]


def test_adjacent_closed_quotes_are_two_quotes() -> None:
    text = 'Tariq Bello said: "We learned a lot this year." "If growth continues, we will hire," he added.'
    assert quote_texts(text) == ["We learned a lot this year.", "If growth continues, we will hire,"]


def test_short_quotes_a_sentence_credits_are_quotes() -> None:
    text = (
        'Minister Paul Grant described the plan as "unacceptable". He called the delay "a disgrace" '
        'and said the figures were "simply wrong".'
    )
    assert quote_texts(text) == ["unacceptable", "a disgrace", "simply wrong"]


def test_scare_quotes_and_labels_are_not_quotes() -> None:
    text = (
        'Firms must stop so-called "cold calls" by June. The Labour "dirty tricks" campaign was launched in '
        'March. Rivers carried a "toxic cocktail" downstream. The plan is what the council calls a "reset".'
    )
    assert quote_texts(text) == []


def test_a_single_capitalised_word_in_marks_is_a_title_or_a_name() -> None:
    text = 'She wrote the hit "Lanterns" in a week, and the label described her as "relentless".'
    assert quote_texts(text) == ["relentless"]


def test_a_headline_fragment_and_a_caption_fragment_stay_quotes() -> None:
    text = "Rail fares ‘to rise again’\n\nBy the water: Ada Kern ‘not worried’ about the floods\n\nFares rise in May."
    assert quote_texts(text) == ["to rise again", "not worried"]
