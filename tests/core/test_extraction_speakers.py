"""Speakers: the person, unnamed source or outlet the text names for each quote, or none."""

from __future__ import annotations

from reader.core.extraction import extract


def speakers(text: str) -> list[tuple[str, str | None, str]]:
    return [(q.text, q.speaker, q.speaker_kind) for q in extract(text).quotes]


def test_named_person_after_and_before_the_quote() -> None:
    text = (
        "Kanye West spoke at a rally. “I almost killed my daughter,” West said. "
        "Kim Kardashian told Vogue: “We are doing fine.” “It is hard,” said Kim Kardashian, 39."
    )
    assert [s[1] for s in speakers(text)] == ["Kanye West", "Kim Kardashian", "Kim Kardashian"]


def test_he_said_resolves_to_the_last_man_named() -> None:
    text = "Kanye West and Kim Kardashian met in Wyoming.\n\n“I needed to see myself,” he said. “She knows,” she added."
    assert [s[1] for s in speakers(text)] == ["Kanye West", "Kim Kardashian"]


def test_unnamed_source_carries_the_outlet_named_with_it() -> None:
    text = (
        "Kim Kardashian is patient. “Kim and Kanye are doing well,” a source told People. "
        "“Their marriage still needs work,” the insider continued.\n\n"
        "A source shed light on her mind: “It has been hard for her.” "
        "“She wants peace,” the source added."
    )
    assert [s[1] for s in speakers(text)] == ["source (People)", "source (People)", "source", "source"]


def test_outlet_written_before_the_source_and_in_capitals() -> None:
    text = (
        "“He works in Wyoming,” an insider claims to PEOPLE Magazine. "
        "However a DailyMail.com source said he was 'never living apart' from her. "
        "During the trip a The Sun insider said Kim 'offered to fully support a run for president.'"
    )
    assert [s[1] for s in speakers(text)] == ["source (People)", "source (Daily Mail)", "source (The Sun)"]


def test_an_outlet_quoting_speech_is_the_speaker_of_the_outer_quote() -> None:
    text = (
        "Kim Kardashian and Kanye West live apart. Vanity Fair reports, “The couple ‘very much live "
        "separate lives’ according to a source who spoke with People. ‘Their lives don’t overlap much.’”"
    )
    assert speakers(text) == [
        ("The couple ‘very much live separate lives’ according to a source who spoke with People. ‘Their lives don’t overlap much.’", "Vanity Fair", "outlet"),
        ("very much live separate lives", "source (People)", "source"),
        ("Their lives don’t overlap much.", "source (People)", "source"),
    ]


def test_a_quote_paragraph_without_attribution_continues_the_last_speaker() -> None:
    text = (
        "'Kim continues to be patient,' an insider claims to PEOPLE Magazine.\n\n"
        "'She just wants to get through the next few months peacefully.'"
    )
    assert [s[1] for s in speakers(text)] == ["source (People)", "source (People)"]


def test_shared_attribution_later_in_the_sentence() -> None:
    text = "Despite that, ‘Kim seems happy’ and is ‘very focused on work and causes,’ the source added."
    assert [s[1] for s in speakers(text)] == ["source", "source"]


def test_reported_and_passive_quotes_have_no_speaker() -> None:
    text = (
        "Kim Kardashian is reportedly being “incredibly patient” with Kanye West. "
        "However, Kim and Kanye are said to be 'doing well' now."
    )
    assert [(s[1], s[2]) for s in speakers(text)] == [(None, "none"), (None, "none")]


def test_the_speaker_of_a_verb_is_its_subject_not_the_nearest_name() -> None:
    text = (
        "Kanye West spoke about Harriet Tubman. In the same rally, West also ranted about "
        "heroine Harriet Tubman; ‘She never actually freed the slaves.’"
    )
    assert [s[1] for s in speakers(text)] == ["Kanye West"]


def test_a_written_statement_and_a_tweet() -> None:
    text = "Kanye West wrote on Twitter. 'My mother in law Kris Jenner makes the best playlist,' wrote Kanye."
    assert [s[1] for s in speakers(text)] == ["Kanye West"]


def test_a_description_refers_to_the_person_named_just_before() -> None:
    text = (
        "Luis Ortega praised the substitute. 'He waited for weeks,' Ortega said.\n\n"
        "Mateo Ferreira, 21, joined in the summer.\n\n"
        "'It's the best day of my life,' the Portuguese forward said."
    )
    assert [s[1] for s in speakers(text)] == ["Luis Ortega", "Mateo Ferreira"]


def test_a_name_after_its_office_and_a_verb_of_praise() -> None:
    text = (
        "“This brings two companies together,” Brightwater chief executive Sandra Kim said. "
        "Sen. Patricia Holloway, D-Ore., who chairs the committee, called the vote \"a necessary first step\"."
    )
    assert [s[1] for s in speakers(text)] == ["Sandra Kim", "Patricia Holloway"]


def test_she_said_prefers_a_woman_named_in_the_paragraph_to_a_name_of_unknown_gender() -> None:
    text = (
        "Senator Carla Redfield, to her credit, answered. I asked her what the economist Sal Okonjo would have asked. "
        "“In the short run, consumers will feel some of it,” she told me."
    )
    assert [s[1] for s in speakers(text)] == ["Carla Redfield"]
