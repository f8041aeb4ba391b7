"""Who said what on general news: attribution far from the quote, organisations and unnamed
sources, pronouns and runs of quotes (issue 12, items 2–4). Every sentence is written for the test."""

from __future__ import annotations

from reader.core.extraction import extract


def speakers(text: str) -> list[str | None]:
    return [quote.speaker for quote in extract(text).quotes]


def kinds(text: str) -> list[str]:
    return [quote.speaker_kind for quote in extract(text).quotes]


# --- item 2: attribution outside the quote's neighbourhood ------------------------------------


def test_he_said_at_the_end_of_a_long_sentence() -> None:
    text = (
        "Tomas Brenner runs the co-operative. Sales fell again and buyers now expect more cuts this year as "
        'demand falls away in the key markets, although "the worst may be over", he said.'
    )
    assert speakers(text) == ["Tomas Brenner"]


def test_lower_case_office_words_between_the_verb_and_the_name() -> None:
    text = (
        '"The plan will cost jobs in every region," said chief executive Dana Ruiz. '
        '"We will not be rushed," said economy minister Pavel Novak.'
    )
    assert speakers(text) == ["Dana Ruiz", "Pavel Novak"]


def test_an_appositive_between_the_name_and_the_verb() -> None:
    text = '"The figures are disappointing," Carla Mendes, the head of research at Fairway Bank, said.'
    assert speakers(text) == ["Carla Mendes"]


def test_told_reporters_with_the_subject_in_the_sentence_before() -> None:
    text = 'Marta Lindqvist arrived late for the count. She told reporters: "This is not over."'
    assert speakers(text) == ["Marta Lindqvist"]


def test_told_reporters_with_the_subject_earlier_in_the_main_clause() -> None:
    text = 'Ilse Varga left the hearing early and told reporters outside: "I have nothing to hide."'
    assert speakers(text) == ["Ilse Varga"]


def test_was_quoted_as_saying() -> None:
    text = 'Opposition leader Hamid Qureshi was quoted as saying: "The vote was rigged from the start."'
    assert speakers(text) == ["Hamid Qureshi"]


def test_speech_verbs_beyond_say() -> None:
    text = (
        'Joan Ferris insisted the deal was "the best available" and warned that "there is no plan B". '
        'Bram Keller accused the board of "playing games with people\'s savings". '
        'Nia Okoro branded the offer "an insult to every member". '
        'Lev Adler admitted the launch had been "a mess from start to finish".'
    )
    assert speakers(text) == ["Joan Ferris", "Joan Ferris", "Bram Keller", "Nia Okoro", "Lev Adler"]


def test_a_passive_verb_names_its_speaker_after_by() -> None:
    text = 'Ruth Calder ran the ward. The plan was branded "reckless and unworkable" by the health minister, Owen Pryde.'
    assert speakers(text) == ["Owen Pryde"]


# --- item 3: organisations and unnamed sources ------------------------------------------------


def test_an_organisation_speaks_and_then_it_adds() -> None:
    text = 'The Ravenwood Athletics Federation said: "We are disappointed by the ruling." It added: "We will appeal."'
    assert speakers(text) == ["Ravenwood Athletics Federation"] * 2
    assert kinds(text) == ["organisation"] * 2


def test_the_federation_said_finds_the_federation_named_before() -> None:
    text = (
        "The Ravenwood Athletics Federation met on Monday. "
        '"Nobody is above the rules," the federation said in a statement.'
    )
    assert speakers(text) == ["Ravenwood Athletics Federation"]


def test_an_abbreviation_defined_earlier_is_expanded() -> None:
    text = (
        "The Northern Growers' Association (NGA) called a meeting. "
        '"This is a betrayal of rural families," the NGA said.'
    )
    assert speakers(text) == ["Northern Growers' Association"]


def test_a_spokesman_for_an_organisation_and_his_later_he_said() -> None:
    text = (
        "The Ministry of Transport opened an inquiry. "
        '"We do not comment on live investigations," a spokesman for the ministry said. '
        'The inquiry was demanded by MPs including Tom Hale. "The review is ongoing," he said.'
    )
    assert speakers(text) == ["source (Ministry of Transport)"] * 2


def test_a_spokeswoman_named_by_her_body_before_the_noun() -> None:
    text = 'A Downing Street spokeswoman said: "The prime minister has full confidence in her."'
    assert speakers(text) == ["source (Downing Street)"]


def test_an_unnamed_source_who_told_an_outlet() -> None:
    text = '"They are not speaking," a source close to the couple told People.'
    assert speakers(text) == ["source (People)"]


def test_analysts_at_a_bank_are_unnamed_sources_not_the_bank() -> None:
    text = 'Analysts at Kestrel Bank said the outlook was "more cautious than the market expected".'
    assert speakers(text) == ["source"]


# --- item 4: pronouns and runs of quotes ------------------------------------------------------


def test_he_said_is_the_current_speaker_not_the_nearest_man() -> None:
    text = (
        '"We have a plan," said Oskar Lind. The committee, chaired by Rafael Ortiz, meets on Friday. '
        '"We will put it to them then," he said.'
    )
    assert speakers(text) == ["Oskar Lind", "Oskar Lind"]


def test_she_said_is_the_person_the_sentence_before_opened_with() -> None:
    text = (
        "Hana Sato, the new chair, thanked her rival Erin Walsh for a clean race. "
        '"It was close, and I know it," she said.'
    )
    assert speakers(text) == ["Hana Sato"]


def test_a_run_of_quote_paragraphs_keeps_its_speaker() -> None:
    text = (
        'Headline\n\n"We were second best," said coach Dario Bellini.\n\n'
        '"The players know it.\n\n"And the fans know it too."\n\n'
        "Bellini's rival, Sven Aalto, was happier."
    )
    assert speakers(text) == ["Dario Bellini", "Dario Bellini"]


def test_a_quote_after_a_sentence_reporting_speech_is_that_speakers() -> None:
    text = 'Priya Raman said the figures were still being checked. "We will publish them when they are right."'
    assert speakers(text) == ["Priya Raman"]


def test_adjacent_quotes_share_the_attribution_that_follows_them() -> None:
    text = 'Tariq Bello said the firm had grown. "It has been a good year." "If growth continues, we will hire," he added.'
    assert speakers(text) == ["Tariq Bello", "Tariq Bello"]


def test_a_title_with_a_gender_tells_two_namesakes_apart() -> None:
    text = (
        "Margaret Dunmore, 81, lost her savings. Her son Craig Dunmore found the letters. "
        '"Mum was frightened of him," Mr Dunmore said.'
    )
    assert speakers(text) == ["Craig Dunmore"]
