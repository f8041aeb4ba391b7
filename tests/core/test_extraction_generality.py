"""Rules that hold on news the extractor was not tuned on (see benchmarks/extraction_gold_unseen)."""

from __future__ import annotations

from reader.core.extraction import extract


def _people(text: str) -> dict[str, int]:
    return {person.name: person.mentions for person in extract(text).people}


def test_byline_names_are_people_though_the_line_looks_like_a_headline() -> None:
    text = "Storm Hits Coast\n\nBy Priya Natarajan and Hannah Cole, Reuters\n\nThe storm hit on Monday."
    assert {"Priya Natarajan", "Hannah Cole"} <= set(_people(text))


def test_reporting_and_editing_credits_name_people() -> None:
    text = "Shares fell.\n\n(Reporting by Selin Kaya in Istanbul; Editing by Ken Ferris and Arun Koyyur)"
    assert {"Selin Kaya", "Ken Ferris", "Arun Koyyur"} <= set(_people(text))


def test_job_title_after_a_byline_name_is_not_a_person() -> None:
    assert "Political Editor" not in _people("By Eleanor Pike, Political Editor\n\nThe minister resigned.")


def test_photo_credit_before_an_agency_names_the_photographer() -> None:
    text = "Mara Quinlan poses with her award in the press room after the show. (Kevin Winter/Getty Images)"
    assert "Kevin Winter" in _people(text)


def test_all_capitals_byline_stops_before_the_agency() -> None:
    people = _people("By MARGARET O'BRIEN and DAVID KWAN Associated Press\n\nWASHINGTON (AP) — Talks failed.")
    assert "Associated Press" not in " ".join(people)


def test_firm_named_with_an_ampersand_is_no_mention_of_its_founders() -> None:
    text = "Ben & Jerry's was sold. Co-founder Ben Cohen said he was sad. Johnson & Johnson rose."
    assert _people(text) == {"Ben Cohen": 1}


def test_company_context_is_no_person() -> None:
    text = "Shares of Charles Schwab were little changed. Michael Kors owner Capri Holdings fell."
    assert _people(text) == {}


def test_band_is_who_were_not_a_person() -> None:
    assert "Coldplay" not in _people("Saturday belonged to Coldplay, who were headlining for a fifth time.")


def test_character_played_is_not_a_person() -> None:
    text = "The actor Harold Brooks, best known for playing Inspector Gideon Frost, was honoured."
    assert _people(text) == {"Harold Brooks": 1}


def test_role_noun_before_a_comma_marks_an_unknown_name() -> None:
    text = "Vietnam's trade minister, Nguyen Thi Anh, said talks would go on. Anh said more."
    assert _people(text) == {"Nguyen Thi Anh": 2}


def test_middle_name_and_initials_are_aliases_of_long_names() -> None:
    text = (
        "President Luiz Inácio Lula da Silva met Crown Prince Mohammed bin Salman. "
        "Lula said it went well. MBS left on Sunday."
    )
    assert _people(text) == {"Luiz Inácio Lula da Silva": 2, "Mohammed bin Salman": 2}


def test_title_after_a_party_word_ends_no_name() -> None:
    assert _people("One senior Tory MP told the paper that Designer Tory Burch was right.") == {"Tory Burch": 1}
