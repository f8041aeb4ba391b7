"""Issue 12, items 7 and 8: who is who across articles.

A bare surname ("Mr Okafor") in an article that never gives the full name is linked to the one
person of the corpus with that surname, and left unlinked (naming who shares it) when there are
several; spellings of one full name count as one person; ``person:`` and ``quoted:`` find the
linked articles and rank an article that names or quotes the person often above a passing
mention; the copies of one quote that credit different speakers show the best-supported one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.core.cross_article.identities import (
    FULL,
    GIVEN,
    SURNAME,
    NameRow,
    build_directory,
    surname_link,
    tally_speakers,
)
from reader.core.extraction import extract
from reader.cli import main
from reader.core.library import Library

# --- extraction: what kind of name each person is given under --------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr Okafor told parliament the budget was fair. Mr Okafor then sat down.", ("Okafor", "surname", "m")),
        ("Mrs Lindqvist said the clinic would open in May.", ("Lindqvist", "surname", "f")),
        ("Chidi Okafor, the finance minister, spoke first.", ("Chidi Okafor", "full", "u")),
        ("Prince Harry waved to the crowd outside the chapel.", ("Prince Harry", "single", "m")),
        ("Sir Alex said the squad was tired after the match.", ("Alex", "single", "m")),
    ],
)
def test_each_person_says_what_kind_of_name_the_article_gives(text: str, expected: tuple[str, str, str]) -> None:
    person = extract(text).people[0]
    assert (person.name, person.name_kind, person.gender) == expected


def test_a_surname_that_is_also_a_given_name_needs_a_title_to_count_as_a_surname() -> None:
    titled = extract('"We lost," said Mr Howard. Mr Howard left early.').people[0]
    assert (titled.name, titled.name_kind) == ("Howard", "surname")


# --- identities: pure rules over names -------------------------------------------------------


def _full(name: str, gender: str = "u", weight: int = 1) -> NameRow:
    return NameRow(name.lower(), name, FULL, gender, weight)


def test_spellings_of_one_full_name_are_one_person() -> None:
    directory = build_directory(
        [_full("George W. Bush", weight=3), _full("George W Bush"), _full("George Bush"), _full("Kate Bush", "f")]
    )
    george = directory.identity("george bush")
    assert george is not None and george.name == "George W. Bush"
    assert set(george.spellings) == {"George W. Bush", "George W Bush", "George Bush"}
    assert directory.find("GEORGE W BUSH") is george
    assert [identity.name for identity in directory.candidates("bush")] == ["George W. Bush", "Kate Bush"]


def test_an_initial_joins_the_one_given_name_it_can_stand_for() -> None:
    directory = build_directory([_full("M Blair"), _full("Mark Blair", "m"), _full("Tony Blair", "m", 5)])
    assert directory.identity("m blair") is directory.identity("mark blair")
    assert directory.identity("m blair").name == "Mark Blair"  # type: ignore[union-attr]
    assert directory.identity("tony blair") is not directory.identity("mark blair")


def test_generations_stay_apart() -> None:
    directory = build_directory([_full("Raymond DeLuca Jr."), _full("Raymond DeLuca III")])
    assert directory.identity("raymond deluca jr.") is not directory.identity("raymond deluca iii")


def test_a_bare_surname_links_to_the_one_person_with_it() -> None:
    directory = build_directory([_full("Chidi Okafor", "m"), _full("Tony Blair", "m")])
    link = surname_link(directory, NameRow("okafor", "Okafor", SURNAME, "u"))
    assert (link.linked, link.ambiguous) == ("Chidi Okafor", False)


def test_a_surname_two_people_share_is_left_unlinked_and_names_them() -> None:
    directory = build_directory([_full("Tony Blair", "m"), _full("Ian Blair", "m")])
    link = surname_link(directory, NameRow("blair", "Blair", SURNAME, "m"))
    assert link.linked is None and link.ambiguous
    assert link.shared_by == ("Ian Blair", "Tony Blair")


def test_a_gendered_title_rules_out_the_other_gender() -> None:
    directory = build_directory([_full("Chidi Okafor", "m"), _full("Ngozi Okafor", "f")])
    assert surname_link(directory, NameRow("okafor", "Okafor", SURNAME, "f")).linked == "Ngozi Okafor"
    assert surname_link(directory, NameRow("okafor", "Okafor", SURNAME, "m")).linked == "Chidi Okafor"
    assert surname_link(directory, NameRow("okafor", "Okafor", SURNAME, "u")).ambiguous


def test_a_surname_nobody_is_named_with_in_full_stays_itself() -> None:
    link = surname_link(build_directory([_full("Tony Blair")]), NameRow("falconer", "Falconer", SURNAME, "m"))
    assert (link.linked, link.shared_by, link.ambiguous) == (None, (), False)


def test_copies_agreeing_in_fewer_words_count_together() -> None:
    tally = tally_speakers(
        [("a", "Chidi Okafor"), ("b", "Okafor"), ("c", "Chidi Okafor"), ("d", None), ("a", "Chidi Okafor")]
    )
    assert tally.speakers == (("Chidi Okafor", 3),) and tally.unnamed == 1 and not tally.disagree


def test_copies_crediting_different_people_disagree_and_the_best_supported_leads() -> None:
    tally = tally_speakers([("a", "Ngozi Eze"), ("b", "Chidi Okafor"), ("c", "Chidi Okafor"), ("d", "source")])
    assert tally.best == "Chidi Okafor" and tally.disagree
    assert tally.speakers == (("Chidi Okafor", 2), ("Ngozi Eze", 1), ("source", 1))


def test_a_plain_source_agrees_with_the_one_source_a_copy_places() -> None:
    tally = tally_speakers([("a", "source (The Sun)"), ("b", "source")])
    assert tally.speakers == (("source (The Sun)", 2),) and not tally.disagree


# --- the corpus: People, person:, quoted: and clusters -----------------------------------------

ARTICLES = {
    "a_minister.txt": (
        "Minister sets out tax plan\n\n"
        'Chidi Okafor, the finance minister, said on Monday: "We will cut taxes for small firms this year '
        'and next." Okafor added that the cabinet backed the plan. "It is the right time," Okafor said.\n'
    ),
    "b_budget.txt": (
        "Budget row deepens\n\n"
        'Mr Okafor told parliament: "The budget is fair to every region of this country." '
        "Opposition members shouted as Mr Okafor sat down.\n"
    ),
    "c_markets.txt": (
        "Markets wobble\n\n"
        "Shares fell in early trading as traders watched the budget debate, in which the finance "
        "minister, Chidi Okafor, had set out his plans.\n"
    ),
    "d_police.txt": "Police chief warns on crime\n\nIan Blair, the Metropolitan Police commissioner, spoke.\n",
    "e_leeds.txt": (
        "Prime minister visits Leeds\n\n"
        '"Education matters most," Tony Blair said in Leeds. Tony Blair then met teachers.\n'
    ),
    "f_commons.txt": "Blair under pressure\n\nMr Blair faced questions in the Commons. Mr Blair refused to apologise.\n",
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("people-linking")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    opened = Library(folder)
    opened.sync()
    yield opened
    opened.close()


def _ids(library: Library, query: str) -> list[str]:
    return [hit.id for hit in library.search(query).hits]


def test_the_people_list_has_no_surname_only_duplicate_of_a_person_named_in_full(library: Library) -> None:
    people = {person.name: person for person in library.analysis.people()}
    assert "Okafor" not in people
    okafor = people["Chidi Okafor"]
    assert okafor.linked_ids == ("b_budget.txt",)
    assert set(okafor.article_ids) == {"a_minister.txt", "b_budget.txt", "c_markets.txt"}
    assert okafor.quote_count == 3 and okafor.quoted


def test_a_surname_two_people_share_stays_listed_and_says_who(library: Library) -> None:
    people = {person.name: person for person in library.analysis.people()}
    assert people["Blair"].shared_by == ("Ian Blair", "Tony Blair")
    assert people["Blair"].article_ids == ("f_commons.txt",) and not people["Blair"].linked_ids


def test_person_search_finds_the_articles_that_say_only_mr_surname(library: Library) -> None:
    assert set(_ids(library, 'person:"Chidi Okafor"')) == {"a_minister.txt", "b_budget.txt", "c_markets.txt"}
    assert set(_ids(library, 'quoted:"Chidi Okafor"')) == {"a_minister.txt", "b_budget.txt"}


def test_person_search_leaves_out_a_surname_the_corpus_cannot_place(library: Library) -> None:
    assert _ids(library, 'person:"Tony Blair"') == ["e_leeds.txt"]


def test_an_article_that_quotes_the_person_ranks_above_a_passing_mention(library: Library) -> None:
    found = _ids(library, 'person:"Chidi Okafor"')
    assert found.index("a_minister.txt") < found.index("c_markets.txt")
    assert found.index("b_budget.txt") < found.index("c_markets.txt")


def test_the_side_panel_links_of_one_article(library: Library) -> None:
    assert library.analysis.person_links("b_budget.txt")["Okafor"].linked == "Chidi Okafor"
    assert library.analysis.person_links("f_commons.txt")["Blair"].shared_by == ("Ian Blair", "Tony Blair")
    assert library.analysis.person_links("a_minister.txt") == {}


def test_a_persons_quotes_include_those_under_a_linked_surname(library: Library) -> None:
    quotes = library.analysis.quotes_by("Chidi Okafor")
    assert {quote.article_id for quote in quotes} == {"a_minister.txt", "b_budget.txt"}
    assert len(quotes) == 3


def test_a_new_namesake_undoes_the_link(tmp_path: Path) -> None:
    for name in ("a_minister.txt", "b_budget.txt"):
        (tmp_path / name).write_text(ARTICLES[name], encoding="utf-8")
    with Library(tmp_path) as library:
        library.sync()
        assert "b_budget.txt" in _ids(library, 'person:"Chidi Okafor"')
        (tmp_path / "g_clinic.txt").write_text(
            'Clinic opens\n\nThe clinic was opened by Emeka Okafor, a doctor. "Care is free," said Emeka Okafor.\n',
            encoding="utf-8",
        )
        library.sync()
        assert _ids(library, 'person:"Chidi Okafor"') == ["a_minister.txt"]
        people = {person.name: person for person in library.analysis.people()}
        assert people["Okafor"].shared_by == ("Chidi Okafor", "Emeka Okafor")


RANKING = {
    "1_passing.txt": (
        "Port reopens\n\nThe port reopened on Monday after the storm, a day after a visit by the "
        "finance minister, Chidi Okafor.\n"
    ),
    "2_interview.txt": (
        "Interview: the minister and the budget\n\n"
        'Chidi Okafor, the finance minister, met Ann Lee, Bo Chan and Dan Roe on Friday. "We will cut taxes," '
        'Okafor said. "Small firms come first," Okafor added. "Nobody will pay more," Okafor said. '
        "Ann Lee, Bo Chan and Dan Roe listened as Okafor spoke.\n"
    ),
    "0_once.txt": (
        "Tax row\n\n"
        '"It is a fair plan," Chidi Okafor, the finance minister, said, as Ann Lee, Bo Chan, Dan Roe, '
        "Eve Moss and Fay Nunn looked on.\n"
    ),
}


@pytest.fixture(scope="module")
def ranking(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("people-ranking")
    for name, text in RANKING.items():
        (folder / name).write_text(text, encoding="utf-8")
    opened = Library(folder)
    opened.sync()
    yield opened
    opened.close()


def test_person_ranks_the_article_about_them_above_a_short_passing_mention(ranking: Library) -> None:
    # The passing mention names nobody else, so its people field is short; before names were
    # indexed once per mention, that shortness ranked it first.
    assert _ids(ranking, 'person:"Chidi Okafor"') == ["2_interview.txt", "0_once.txt", "1_passing.txt"]


def test_quoted_ranks_the_article_that_quotes_them_most_first(ranking: Library) -> None:
    assert _ids(ranking, 'quoted:"Chidi Okafor"') == ["2_interview.txt", "0_once.txt"]


# --- the command line ------------------------------------------------------------------------


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_reader_people_lists_the_linked_identity_and_the_shared_surname(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["people", "--path", str(library.root), "--json"]) == 0
    people = {row["name"]: row for row in _json_lines(capsys.readouterr().out)}
    assert "Okafor" not in people
    assert people["Chidi Okafor"]["linked_by_surname"] == ["b_budget.txt"]
    assert people["Blair"]["surname_shared_by"] == ["Ian Blair", "Tony Blair"]
    assert main(["people", "--path", str(library.root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("Chidi Okafor") and "(+1 article by surname only, linked)" in line for line in lines)
    assert any(line.startswith("Blair") and "not linked: Ian Blair, Tony Blair" in line for line in lines)


def test_reader_search_finds_mr_surname_for_the_full_name(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", 'person:"Chidi Okafor"', "--path", str(library.root), "--json"]) == 0
    assert {row["id"] for row in _json_lines(capsys.readouterr().out)} >= {"b_budget.txt"}
    assert main(["search", 'person:"Chidi Okafor"', "--path", str(library.root), "--sort", "date"]) == 0
    assert "b_budget.txt" in capsys.readouterr().out


def test_reader_clusters_shows_the_best_supported_speaker_and_the_disagreement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pledge = "We will cut taxes for small firms this year and next, whatever the markets say"
    (tmp_path / "a.txt").write_text(f'Tax plan\n\n"{pledge}," Chidi Okafor, the minister, said.\n', encoding="utf-8")
    (tmp_path / "b.txt").write_text(f'Tax row\n\n"{pledge}," Okafor said on Tuesday.\n', encoding="utf-8")
    (tmp_path / "c.txt").write_text(
        f'Markets\n\n"{pledge}," Ngozi Eze, the opposition leader, said, reading it aloud.\n', encoding="utf-8"
    )
    (tmp_path / "d.txt").write_text(f'Recap\n\nThe pledge: "{pledge}."\n', encoding="utf-8")
    assert main(["clusters", "--path", str(tmp_path), "--json"]) == 0
    [cluster] = _json_lines(capsys.readouterr().out)
    assert cluster["speaker"] == "Chidi Okafor" and cluster["speakers_disagree"] is True
    assert cluster["speakers"] == [{"name": "Chidi Okafor", "articles": 2}, {"name": "Ngozi Eze", "articles": 1}]
    assert cluster["unnamed"] == 1
    assert main(["clusters", "--path", str(tmp_path)]) == 0
    assert (
        "speaker: Chidi Okafor (2 articles); speakers disagree, also credited to Ngozi Eze (1 article); "
        "1 names no one" in capsys.readouterr().out
    )


def test_a_word_that_is_also_a_given_name_is_a_surname_only_when_the_corpus_never_uses_it_as_one() -> None:
    directory = build_directory([_full("Jonny Wilkinson", "m"), _full("David Beckham", "m"), _full("Larry David")])
    assert surname_link(directory, NameRow("wilkinson", "Wilkinson", GIVEN, "u")).linked == "Jonny Wilkinson"
    assert surname_link(directory, NameRow("david", "David", GIVEN, "u")).linked is None  # David Beckham's
    assert surname_link(directory, NameRow("larry", "Larry", GIVEN, "u")).linked is None


def test_a_one_word_given_name_gets_its_own_kind() -> None:
    person = extract('"It was a hard game," said Murray, 32, after the match.').people[0]
    assert (person.name, person.name_kind) == ("Murray", "given")
