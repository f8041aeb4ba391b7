"""The command palette reaches every action: open by title, filters, sort, rebuild."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import OptionList

from reader.core.library import Library
from tests.ui.conftest import idle, main_screen, running, until


async def run_command(pilot, text: str, expect: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` in the palette and run the top hit once it is the command ``expect``."""
    await pilot.press("ctrl+p")
    await until(pilot, lambda: CommandPalette.is_open(pilot.app))
    await pilot.press(*text)
    commands = pilot.app.screen.query_one("CommandList", OptionList)

    def top_hit() -> str:
        return str(commands.get_option_at_index(0).prompt) if commands.option_count else ""

    await until(pilot, lambda: top_hit().startswith(expect))
    await pilot.press("enter")
    await idle(pilot)


async def test_open_an_article_by_title(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        wanted = next(s for s in screen.summaries.values() if s.title.startswith("Kim K and Kanye"))
        await run_command(pilot, "open kanye focus", "Open: Kim K and Kanye")
        assert screen.open_id == wanted.id


async def test_filter_by_person_and_sort_from_the_palette(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("enter")
        await idle(pilot)
        await run_command(pilot, "person kanye west", "Filter by person: Kanye West")
        assert screen.search_bar.value == 'person:"Kanye West"'
        expected = [hit.id for hit in Library(corpus).search('person:"Kanye West"', limit=1000).hits]
        assert screen.article_list.article_ids == expected
        await run_command(pilot, "cycle sort", "Cycle sort")
        assert screen.sort == "date"


async def test_rebuild_the_index_from_the_palette(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        at_start = screen.last_sync
        await run_command(pilot, "rebuild index", "Rebuild index")
        await idle(pilot)
        assert screen.last_sync is not None and screen.last_sync is not at_start
        assert screen.last_sync.articles == 5
        assert len(screen.article_list.article_ids) == 5
