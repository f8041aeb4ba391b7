"""The app over the hostile folder, headless: no crash, every title drawn literally and safely."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hostile_cases import MARKUP, build
from reliability_helpers import TERMINAL_UNSAFE

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("reader.ui.app") is None, reason="the app has not landed yet"
)



async def _settle(pilot, until) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish and their messages land, until ``until()`` holds (a bounded number of rounds)."""
    for _ in range(50):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if until():
            return
    raise AssertionError("the app did not settle")


def _shows_start_of(title: str, line: str) -> bool:
    """True when ``line`` shows ``title``, or at least its first 12 characters, cut with "…"."""
    start = line.find(title[:12])
    if start < 0:
        return False
    shown = line[start:].split("…")[0].rstrip()
    return title.startswith(shown)


def _lines(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_the_app_shows_the_hostile_folder_literally(tmp_path: Path) -> None:
    from reader.ui.app import ReaderApp
    from reader.ui.listing.article_list import ArticleList
    from reader.ui.reading.reading_pane import ReadingPane

    build(tmp_path)
    app = ReaderApp(tmp_path, steady=True)
    async with app.run_test(size=(200, 120)) as pilot:
        article_list = app.screen.query_one(ArticleList)
        await _settle(pilot, lambda: article_list.row_count >= 30)
        listed = _lines(article_list)
        # The list may cut a title with an ellipsis, but what it shows is the literal start.
        assert any(_shows_start_of(MARKUP, line) for line in listed), "the markup title is not literal"
        assert any(_shows_start_of("Title \u241b]0;PWNED-TITLE\u2407 \u241b[2J", line) for line in listed)
        assert [line for line in listed if TERMINAL_UNSAFE.search(line)] == []

        article_list.move_to("markup_title.md")
        article_list.action_choose()
        pane = app.screen.query_one(ReadingPane)
        await _settle(pilot, lambda: any("Body with [/]" in line for line in _lines(pane)))
        shown = " ".join(" ".join(line.split()) for line in _lines(pane))  # undo the wrapping
        assert f"Body with {MARKUP} inside." in shown

        article_list.move_to("escape_title.md")
        article_list.action_choose()
        await _settle(pilot, lambda: any("Body \u241b]8;;" in line for line in _lines(pane)))
        assert [line for line in _lines(pane) if TERMINAL_UNSAFE.search(line)] == []
        assert app.is_running  # [@click=app.quit] in a title did not quit the app
