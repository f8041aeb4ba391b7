"""The article list: rows, cursor keys, opening, next/previous, read marks and sorting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.core.library import Library
from reader.core.paths import settings_path
from reader.ui.main_screen import MainScreen
from reader.ui.settings import load_read_marks
from tests.ui.conftest import idle, main_screen, running, until


async def test_the_list_shows_every_article_of_the_folder(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        expected = {summary.id for summary in Library(corpus).summaries()}
        assert set(screen.article_list.article_ids) == expected
        assert len(expected) == 5
        assert "5 articles" in screen.status.info


async def test_cursor_keys_move_and_enter_opens(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        rows = screen.article_list.article_ids
        await pilot.press("j", "j", "k")
        assert screen.article_list.cursor == 1
        await pilot.press("G")
        assert screen.article_list.cursor == len(rows) - 1
        await pilot.press("g", "down", "enter")
        await idle(pilot)
        assert screen.open_id == rows[1]
        assert screen.reading_pane.article is not None
        assert screen.reading_pane.article.id == rows[1]
        assert screen.focused is screen.reading_pane


async def test_brackets_open_the_next_and_previous_article(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        rows = screen.article_list.article_ids
        await pilot.press("enter")
        await idle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await idle(pilot)
        assert screen.open_id == rows[2]
        await pilot.press("left_square_bracket")
        await idle(pilot)
        assert screen.open_id == rows[1]
        assert screen.article_list.current_id == rows[1]


async def test_opening_marks_read_and_u_toggles_it_persistently(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        first = screen.article_list.article_ids[0]
        await pilot.press("enter")
        await idle(pilot)
        assert first in screen.read_ids
        await pilot.press("escape", "down", "u")
        await idle(pilot)
        second = screen.article_list.article_ids[1]
        assert {first, second} <= screen.read_ids
        await pilot.press("u")
        await idle(pilot)
        assert second not in screen.read_ids
    assert load_read_marks(corpus) == {first}
    async with running(corpus) as pilot:
        assert main_screen(pilot).read_ids == {first}


async def test_s_cycles_the_sort_order_and_it_is_remembered(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        assert screen.sort == "date"
        await pilot.press("s")
        await idle(pilot)
        assert screen.sort == "title"
        titles = [screen.summaries[i].title.casefold() for i in screen.article_list.article_ids]
        assert titles == sorted(titles)
        await pilot.press("s")
        await idle(pilot)
        assert screen.sort == "outlet"
    assert json.loads(settings_path().read_text())["sort"] == "outlet"
    async with running(corpus) as pilot:
        assert main_screen(pilot).sort == "outlet"


async def test_the_last_open_article_is_reopened(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("down", "down", "enter")
        await idle(pilot)
        opened = screen.open_id
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        assert screen.open_id == opened
        assert screen.reading_pane.article is not None
        assert screen.article_list.current_id == opened



async def test_a_skipped_file_is_named_with_its_reason(
    own_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (own_corpus / "broken[bold].txt").write_bytes(b"\x89PNG\x00\x00\x00\x01binary")
    shown: list[tuple[str, bool]] = []

    def notify(self: MainScreen, message: str, *, markup: bool = True, **_: object) -> None:
        shown.append((message, markup))

    monkeypatch.setattr(MainScreen, "notify", notify)
    async with running(own_corpus) as pilot:
        # The sync starts after the first paint: on a loaded machine it may still be running.
        await until(pilot, lambda: any("skipped" in message for message, _ in shown))
        await idle(pilot)
        skipped = [(message, markup) for message, markup in shown if "skipped" in message]
        assert len(skipped) == 1
        message, markup = skipped[0]
        assert "broken[bold].txt: binary file, not text" in message
        assert markup is False  # a file name is shown literally, never parsed as markup
        assert len(main_screen(pilot).article_list.article_ids) == 5
