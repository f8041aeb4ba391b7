"""Keyboard reach: help lists every key, tab walks the panes, keymaps remap, q quits; layouts."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Static

from reader.core.paths import settings_path
from reader.ui.help_screen import HelpScreen
from reader.ui.main_screen import MainScreen
from reader.ui.listing.article_list import ArticleList
from reader.ui.reading.people_panel import PeoplePanel
from reader.ui.reading.quotes_panel import QuotesPanel
from reader.ui.reading.reading_pane import ReadingPane
from reader.ui.searching.search_bar import SearchBar
from tests.ui.conftest import idle, main_screen, running


async def test_help_lists_every_binding_of_every_pane(corpus: Path) -> None:
    async with running(corpus) as pilot:
        await pilot.press("question_mark")
        await idle(pilot)
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        table = str(help_screen.query_one("#help-table", Static).render())
        for widget in (MainScreen, ArticleList, ReadingPane, SearchBar, QuotesPanel, PeoplePanel):
            for binding in widget.BINDINGS:
                assert binding.id in table, binding.id  # type: ignore[union-attr]
        for key in ("quit", "help", "Command palette"):
            assert key in table
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_tab_walks_search_list_text_quotes_highlights_people(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        order = []
        for _ in range(6):
            await pilot.press("tab")
            await idle(pilot)
            assert screen.focused is not None
            order.append(screen.focused.id)
        assert order == ["reader", "quotes", "highlights", "people", "search", "articles"]


async def test_a_keymap_in_the_settings_remaps_a_binding(corpus: Path) -> None:
    settings_path().write_text(json.dumps({"keymap": {"list.down": "ctrl+n"}}))
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("ctrl+n", "ctrl+n")
        assert screen.article_list.cursor == 2
        await pilot.press("question_mark")
        await idle(pilot)
        table = str(pilot.app.screen.query_one("#help-table", Static).render())
        assert "^n" in table


async def test_q_quits(corpus: Path) -> None:
    async with running(corpus) as pilot:
        await pilot.press("q")
        assert pilot.app.return_code == 0
        assert not pilot.app.is_running


async def test_at_80_by_24_one_pane_shows_at_a_time(corpus: Path) -> None:
    async with running(corpus, size=(80, 24)) as pilot:
        screen = main_screen(pilot)
        assert screen.article_list.region.width == 80
        assert screen.reading_pane.region.width == 0
        await pilot.press("enter")
        await idle(pilot)
        assert screen.article_list.region.width == 0
        assert screen.reading_pane.region.width == 80
        # The pane was laid out while hidden: shown, it still starts at the title, not below it.
        assert screen.reading_pane.scroll_y == 0
        assert screen.reading_pane.render_line(0).text.strip().startswith("Kim Kardashian remaining")
        await pilot.press("p")
        await idle(pilot)
        assert screen.query_one(PeoplePanel).region.width > 0
        assert screen.reading_pane.region.width > 0
        await pilot.press("escape")
        await idle(pilot)
        assert screen.article_list.region.width == 80


async def test_at_200_columns_all_three_panes_share_the_width(corpus: Path) -> None:
    async with running(corpus, size=(200, 50)) as pilot:
        screen = main_screen(pilot)
        widths = [screen.article_list.region.width, screen.reading_pane.region.width, screen.query_one("#side").region.width]
        assert all(width >= 40 for width in widths)
        assert sum(widths) == 200
        assert screen.article_list.row_height == 1  # title, tags, outlet and date on one line
