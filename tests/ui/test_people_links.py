"""Issue 12, item 7 in the app: inferred links between a bare surname and a person named in full,
a surname left unlinked because people share it, and copies of a quote that disagree on who
said it, in the side panel, the People view and the quote sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from reader.ui.app import ReaderApp
from reader.ui.corpus_views.people_view import PeopleView
from reader.ui.corpus_views.quote_sources import QuoteSources
from reader.ui.reading.people_panel import PeoplePanel
from reader.ui.reading.quotes_panel import QuotesPanel
from tests.ui.conftest import idle, main_screen, running, until

PLEDGE = "We will cut taxes for small firms this year and next, whatever the markets say"
ARTICLES = {
    "a_minister.txt": (
        "Minister sets out tax plan\n\n"
        f'Chidi Okafor, the finance minister, said on Monday: "{PLEDGE}." Okafor added that the '
        "cabinet backed the plan.\n"
    ),
    "b_budget.txt": (
        "Budget row deepens\n\n"
        'Mr Okafor told parliament: "The budget is fair to every region of this country." '
        "Opposition members shouted as Mr Okafor sat down.\n"
    ),
    "c_markets.txt": (
        "Markets wobble\n\n"
        f'Shares fell in early trading. "{PLEDGE}," Ngozi Eze, the opposition leader, said, '
        "reading the pledge aloud.\n"
    ),
    "d_police.txt": "Police chief warns on crime\n\nIan Blair, the Metropolitan Police commissioner, spoke.\n",
    "e_leeds.txt": '"Education matters most," Tony Blair, the prime minister, said in Leeds on Friday.\n',
    "f_commons.txt": "Blair under pressure\n\nMr Blair faced questions in the Commons. Mr Blair refused to apologise.\n",
}
SIZE = (160, 45)


@pytest.fixture
def linked_corpus(tmp_path: Path, private_home: Path) -> Path:
    folder = tmp_path / "linked"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


async def _open(pilot, article_id: str) -> None:  # type: ignore[no-untyped-def]
    screen = main_screen(pilot)
    screen.article_list.move_to(article_id)
    await pilot.press("enter")
    await idle(pilot)


async def test_the_side_panel_shows_a_surname_linked_by_inference_and_filters_by_the_full_name(
    linked_corpus: Path,
) -> None:
    async with running(linked_corpus, size=SIZE) as pilot:
        screen = main_screen(pilot)
        await _open(pilot, "b_budget.txt")
        people = screen.query_one(PeoplePanel)
        await until(pilot, lambda: "Okafor" in people.links)
        prompt = str(people.get_option_at_index(0).prompt)
        assert "Okafor" in prompt and "= Chidi Okafor" in prompt and "inferred" in prompt
        quote = str(screen.query_one(QuotesPanel).get_option_at_index(0).prompt)
        assert "— Okafor (= Chidi Okafor, inferred)" in quote
        await pilot.press("p")
        await idle(pilot)
        await pilot.press("enter")
        await idle(pilot)
        assert screen.search_bar.value == 'person:"Chidi Okafor"'
        assert set(screen.article_list.article_ids) == {"a_minister.txt", "b_budget.txt"}


async def test_the_side_panel_says_who_shares_a_surname_it_leaves_unlinked(linked_corpus: Path) -> None:
    async with running(linked_corpus, size=SIZE) as pilot:
        screen = main_screen(pilot)
        await _open(pilot, "f_commons.txt")
        people = screen.query_one(PeoplePanel)
        await until(pilot, lambda: "Blair" in people.links)
        prompt = str(people.get_option_at_index(0).prompt)
        assert "not linked: Ian Blair, Tony Blair share this surname" in prompt
        assert "=" not in prompt
        assert people.chosen_name(0) == "Blair"


async def test_copies_that_credit_different_speakers_show_the_disagreement(linked_corpus: Path) -> None:
    async with running(linked_corpus, size=SIZE) as pilot:
        screen = main_screen(pilot)
        await _open(pilot, "a_minister.txt")
        quotes = screen.query_one(QuotesPanel)
        await until(pilot, lambda: bool(quotes.also_in))
        assert "speakers differ" in str(quotes.get_option_at_index(0).prompt)
        await pilot.press("quotation_mark")
        await idle(pilot)
        await pilot.press("o")
        await idle(pilot)
        sources = pilot.app.screen
        assert isinstance(sources, QuoteSources)
        line = str(sources.query_one("#sources-speakers", Static).render())
        assert "Said by" in line and "speakers disagree, also credited to" in line
        assert "Chidi Okafor (1 article)" in line and "Ngozi Eze (1 article)" in line


async def test_the_people_view_marks_inferred_links_and_unlinked_surnames(linked_corpus: Path) -> None:
    async with running(linked_corpus, size=SIZE) as pilot:
        await pilot.press("P")
        await idle(pilot)
        view = pilot.app.screen
        assert isinstance(view, PeopleView)
        names = [person.name for person in view.people]
        assert "Okafor" not in names and "Chidi Okafor" in names and "Blair" in names
        table = view.query_one("#people-table", DataTable)
        okafor = names.index("Chidi Okafor")
        assert "+1 by surname" in str(table.get_row_at(okafor)[0])
        assert "? 2 share it" in str(table.get_row_at(names.index("Blair"))[0])
        table.move_cursor(row=okafor)
        await pilot.press("enter")
        await idle(pilot)
        note = view.query_one("#people-links", Static)
        assert note.display and "Inferred: 1 article names them by surname only (b_budget.txt)" in str(note.render())
        assert "2 quotes by Chidi Okafor" in str(view.query_one("#people-quotes-title", Static).render())


def _scene(article_id: str, *keys: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await idle(pilot)
        await _open(pilot, article_id)
        for key in keys:
            await pilot.press(key)
            await idle(pilot)

    return run_before


def test_an_inferred_link_looks_as_before(linked_corpus: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = ReaderApp(linked_corpus, steady=True)
    assert snap_compare(app, terminal_size=(150, 42), run_before=_scene("b_budget.txt"))


def test_a_speaker_disagreement_looks_as_before(linked_corpus: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = ReaderApp(linked_corpus, steady=True)
    assert snap_compare(app, terminal_size=(150, 42), run_before=_scene("a_minister.txt", "quotation_mark", "o"))
