"""Canonical names and who is a person, on general news (issue 12, items 5 and 6).

Every sentence is written for the test."""

from __future__ import annotations

from reader.core.extraction import extract


def people(text: str) -> dict[str, int]:
    return {person.name: person.mentions for person in extract(text).people}


# --- item 5: canonical names ------------------------------------------------------------------


def test_the_fullest_form_with_a_particle_is_the_name() -> None:
    text = (
        "Anne-Marie de Villiers won the seat. Ms de Villiers said she was delighted. "
        "A de Villiers spokesman later confirmed it."
    )
    assert people(text) == {"Anne-Marie de Villiers": 3}


def test_titles_party_words_and_post_nominals_are_no_part_of_the_name() -> None:
    text = (
        "Lib Dem leader Charles Kennet spoke first. Mr Kennet said the result was good. "
        "Dr Ama Owusu and Brendan Keogh KC followed. Ms Owusu agreed; Mr Keogh did not."
    )
    assert people(text) == {"Charles Kennet": 2, "Ama Owusu": 2, "Brendan Keogh": 2}


def test_two_people_who_share_a_surname_stay_apart() -> None:
    text = (
        "The brothers Tom Pryce and Will Pryce run the farm. Tom Pryce said it was hard. "
        "Will Pryce disagreed."
    )
    assert people(text) == {"Tom Pryce": 2, "Will Pryce": 2}


def test_a_father_and_son_of_one_name_are_told_apart_by_jr_and_iii() -> None:
    text = "Raymond Ostrow Jr. founded the firm. His son Raymond Ostrow III runs it now."
    assert set(people(text)) == {"Raymond Ostrow Jr.", "Raymond Ostrow III"}


def test_a_nickname_inside_the_name_is_an_alias_not_part_of_it() -> None:
    text = 'Margaret "Maggie" Holloway opened the plant. Holloway said Maggie was a name from school.'
    found = extract(text)
    (person,) = found.people
    assert person.name == "Margaret Holloway"
    assert person.mentions == 3
    assert found.quotes == ()


def test_also_known_as_gives_an_alias() -> None:
    text = "Marcus Bell, also known as Big Marc, played on. Big Marc scored twice and Bell left happy."
    assert people(text) == {"Marcus Bell": 4}


def test_a_byline_in_capitals_names_the_person_in_normal_case() -> None:
    text = "Flood warnings issued\n\nBy KAREN HOLT and TOMAS REYES\n\nRivers rose across the county on Monday."
    assert set(people(text)) == {"Karen Holt", "Tomas Reyes"}


def test_a_byline_under_the_headline_without_by() -> None:
    text = "Farm subsidy row deepens\n\nHelena Brookfield Rural affairs correspondent\n\nFarmers marched on Monday."
    assert people(text) == {"Helena Brookfield": 1}


# --- item 6: who is a person ------------------------------------------------------------------


def test_plural_nouns_and_organisations_opening_sentences_are_no_people() -> None:
    text = (
        "MPs voted on Tuesday. Workers walked out at Holloway Steel. Patients who were waiting were sent home. "
        "Unite said the strike would go on. The company Verdana Labs declined to comment."
    )
    assert people(text) == {}


def test_an_unfamiliar_given_name_is_a_person_when_the_surname_recurs() -> None:
    text = "Zhiwei Tan led the project. Tan said the team was ready. Oyelowo Adebanjo agreed, and Adebanjo signed."
    assert people(text) == {"Zhiwei Tan": 2, "Oyelowo Adebanjo": 2}


def test_organisation_words_anywhere_in_a_run_make_it_no_person() -> None:
    text = (
        "Students at University College Dublin and Harrow Township residents protested. "
        "Heads Up For Her, a campaign group, joined them."
    )
    assert people(text) == {}


def test_a_korean_name_after_a_title_keeps_its_surname() -> None:
    text = '"The chips are ready," said Dr. Park Seo-yeon, the company\'s chief engineer. Dr. Park smiled.'
    assert people(text) == {"Park Seo-yeon": 2}


def test_a_child_keeps_a_first_name_when_only_one_parent_is_named() -> None:
    text = "Among the marchers was Leila Amari, 29, whose son Yusuf was born at the unit. Dr Ben Cole delivered him."
    assert "Yusuf" in people(text)
