"""Two-way links between the text and the side panel: quotes and people."""

from __future__ import annotations

from pathlib import Path

from reader.core.library import Library
from reader.ui.reading.people_panel import PeoplePanel
from reader.ui.reading.quotes_panel import QuotesPanel
from tests.ui.conftest import idle, main_screen, running


async def test_choosing_a_quote_scrolls_the_text_to_it_and_flashes_it(corpus: Path) -> None:
    async with running(corpus, size=(150, 30)) as pilot:
        screen = main_screen(pilot)
        await pilot.press("enter")
        await idle(pilot)
        quotes = screen.query_one(QuotesPanel)
        assert screen.extraction is not None
        assert len(screen.extraction.quotes) >= 5
        await pilot.press("quotation_mark")
        await idle(pilot)
        assert screen.focused is quotes
        await pilot.press("end", "enter")
        await idle(pilot)
        pane = screen.reading_pane
        last = screen.extraction.quotes[-1]
        assert pane.flash_span is not None
        start, end = pane.flash_span
        assert start <= last.start and last.end <= end
        line = pane.line_of_offset(start)
        assert pane.top_line > 0
        assert pane.top_line <= line < pane.top_line + pane.scrollable_content_region.height


async def test_scrolling_the_text_highlights_the_quote_being_read(corpus: Path) -> None:
    async with running(corpus, size=(150, 30)) as pilot:
        screen = main_screen(pilot)
        await pilot.press("enter")
        await idle(pilot)
        pane = screen.reading_pane
        quotes = screen.query_one(QuotesPanel)
        assert quotes.highlighted == pane.current_quote == 0
        target = len(pane.quotes) - 1
        pane.scroll_to(y=pane.line_of_offset(pane.quotes[target][0]), animate=False, immediate=True)
        await idle(pilot)
        assert pane.current_quote is not None and pane.current_quote > 0
        assert quotes.highlighted == pane.current_quote
        await pilot.press("g")
        await idle(pilot)
        assert quotes.highlighted == 0


async def test_choosing_a_person_filters_the_list_with_a_person_query(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("enter")
        await idle(pilot)
        await pilot.press("p")
        await idle(pilot)
        people = screen.query_one(PeoplePanel)
        assert screen.focused is people
        first = people.people[0].name
        await pilot.press("enter")
        await idle(pilot)
        assert screen.search_bar.value == f'person:"{first}"'
        expected = [hit.id for hit in Library(corpus).search(f'person:"{first}"', limit=1000).hits]
        assert screen.article_list.article_ids == expected
        assert screen.focused is screen.article_list
