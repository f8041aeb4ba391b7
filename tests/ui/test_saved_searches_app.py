"""Saved searches in the app: ctrl+s saves the query in the bar, S lists them with their counts and
what is new, Enter opens one (its new articles marked), d d removes and r renames, the palette
opens them, and they are there after a restart."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Static

from reader.core.library import Library
from reader.core.tags import TagStore
from reader.core.tags.saved_searches import SavedSearches
from reader.ui.saved_searches.save_search_dialog import SaveSearchDialog
from reader.ui.saved_searches.saved_search_view import SavedSearchView
from tests.ui.conftest import idle, main_screen, running, until

TOUR = "---\ntitle: Kanye tours Europe\ndate: 2030-01-01\n---\n\nKanye West announced a tour.\n"


def saved_names() -> dict[str, str]:
    with TagStore() as store:
        return {search.name: search.query for search in SavedSearches(store).all()}


def first_palette_entry(pilot) -> str:  # type: ignore[no-untyped-def]
    options = pilot.app.screen.query_one(OptionList)
    return str(options.get_option_at_index(0).prompt) if options.option_count else ""


def told(pilot, text: str) -> bool:  # type: ignore[no-untyped-def]
    return any(text in str(note.message) for note in pilot.app._notifications)


async def save_as(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, SaveSearchDialog))
    field = pilot.app.screen.query_one("#save-search-name", Input)
    field.value = ""
    await pilot.press(*name, "enter")
    await idle(pilot)


async def test_ctrl_s_saves_the_search_in_the_bar_under_a_name(corpus: Path) -> None:
    async with running(corpus) as pilot:
        await pilot.press("ctrl+s")
        await idle(pilot)
        assert not isinstance(pilot.app.screen, SaveSearchDialog)  # nothing to save yet: it says so
        main_screen(pilot).filter_by("kanye -divorce")
        await idle(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, SaveSearchDialog))
        field = pilot.app.screen.query_one("#save-search-name", Input)
        assert field.value == "kanye -divorce"  # the query, to start with
        field.value = ""
        await pilot.press(*"Kanye", "enter")
        await until(pilot, lambda: told(pilot, "Saved search Kanye: 2 articles"))  # idle() clears notifications
        assert saved_names() == {"Kanye": "kanye -divorce"}


async def test_saving_under_a_name_in_use_says_it_replaces_it(corpus: Path) -> None:
    async with running(corpus) as pilot:
        main_screen(pilot).filter_by("kanye")
        await idle(pilot)
        await save_as(pilot, "news")
        main_screen(pilot).filter_by("kim")
        await idle(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, SaveSearchDialog))
        pilot.app.screen.query_one("#save-search-name", Input).value = "NEWS"
        await pilot.pause()
        note = pilot.app.screen.query_one("#save-search-note")
        assert "replaces news: kanye" in str(note.render())
        await pilot.press("enter")
        await idle(pilot)
        assert saved_names() == {"NEWS": "kim"}


async def test_s_lists_counts_and_what_is_new_and_enter_opens_it(own_corpus: Path) -> None:
    async with running(own_corpus) as pilot:
        screen = main_screen(pilot)
        screen.filter_by("kanye")
        await idle(pilot)
        await save_as(pilot, "Kanye")
        screen.filter_by("")
        await idle(pilot)
        screen.live.stop()  # the file below is found by the next sync, not by the watcher
        (own_corpus / "tour.md").write_text(TOUR, encoding="utf-8")
        screen.start_sync()
        await idle(pilot)
        await pilot.press("S")
        await until(pilot, lambda: isinstance(pilot.app.screen, SavedSearchView) and bool(pilot.app.screen.statuses))
        await idle(pilot)
        view = pilot.app.screen
        assert isinstance(view, SavedSearchView)
        (status,) = view.statuses
        assert (status.search.name, status.count, status.new) == ("Kanye", 6, 1)
        label = str(view.query_one("#saved-list", OptionList).get_option_at_index(0).prompt)
        assert "6 articles" in label and "✚ 1 new" in label
        await pilot.press("enter")
        await until(pilot, lambda: told(pilot, "Kanye: 6 articles, 1 new since you last opened it"))
        await idle(pilot)
        assert screen.query_text == "kanye" and screen.article_list.row_count == 6
        assert screen.listing.new_ids == {"tour.md"}  # the one new since it was last opened, marked
        assert "✚ 1 new (w)" in screen.status.info
    with Library(own_corpus) as library:
        (again,) = library.saved_search_statuses()
    assert again.new == 0  # opening it made everything it lists seen


async def test_d_twice_removes_and_r_renames(corpus: Path) -> None:
    with TagStore() as store:
        SavedSearches(store).save("storms", "storm")
        SavedSearches(store).save("kanye", "kanye")
    async with running(corpus) as pilot:
        await pilot.press("S")
        await until(pilot, lambda: isinstance(pilot.app.screen, SavedSearchView) and bool(pilot.app.screen.statuses))
        await idle(pilot)
        await pilot.press("d")
        assert saved_names() == {"kanye": "kanye", "storms": "storm"}  # asked, not done
        assert "press d again to remove kanye" in str(pilot.app.screen.query_one("#saved-dialog").border_subtitle)
        await pilot.press("d")
        await idle(pilot)
        assert saved_names() == {"storms": "storm"}
        await pilot.press("r")
        await until(pilot, lambda: isinstance(pilot.app.screen, SaveSearchDialog))
        pilot.app.screen.query_one("#save-search-name", Input).value = ""
        await pilot.press(*"Weather", "enter")
        await idle(pilot)
        assert saved_names() == {"Weather": "storm"}
        view = pilot.app.screen
        assert isinstance(view, SavedSearchView) and [s.search.name for s in view.statuses] == ["Weather"]
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, SavedSearchView)


async def test_the_palette_opens_a_saved_search_and_they_survive_a_restart(corpus: Path) -> None:
    async with running(corpus) as pilot:
        main_screen(pilot).filter_by("person:\"Kim Kardashian\" kanye")
        await idle(pilot)
        await save_as(pilot, "Kim on Kanye")
    async with running(corpus) as pilot:  # another run of the app
        screen = main_screen(pilot)
        await pilot.press("ctrl+p")
        await idle(pilot)
        await pilot.press(*"kim on kan")
        await idle(pilot)
        await until(pilot, lambda: "Saved search: Kim on Kanye" in first_palette_entry(pilot))
        await pilot.press("enter")
        await idle(pilot)
        assert screen.query_text == 'person:"Kim Kardashian" kanye'
        assert screen.article_list.row_count > 0


async def test_help_lists_the_saved_search_keys(corpus: Path) -> None:
    async with running(corpus) as pilot:
        await pilot.press("question_mark")
        await idle(pilot)
        table = str(pilot.app.screen.query_one("#help-table", Static).render())
        for binding_id in ("save_search", "saved_searches", "next_new", "saved_view.remove", "saved_view.rename"):
            assert binding_id in table


async def test_a_saved_query_with_brackets_shows_in_the_palette_as_written(corpus: Path) -> None:
    with TagStore() as store:
        SavedSearches(store).save("dated", "kanye [red]date:[2020 TO 2021]")
    async with running(corpus) as pilot:
        await pilot.press("ctrl+p")
        await idle(pilot)
        await pilot.press(*"saved search: dated")
        await idle(pilot)
        await until(pilot, lambda: "[red]date:[2020 TO 2021]" in first_palette_entry(pilot))
