"""The list draws only what is on screen: 100k rows are as cheap to show as ten."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import App, ComposeResult

from reader.core.library import ArticleSummary
from reader.ui.listing.article_list import ArticleList

ROWS = 100_000


def many_summaries(count: int) -> list[ArticleSummary]:
    start = dt.date(2000, 1, 1)
    return [
        ArticleSummary(
            id=f"{number:06}.txt",
            path=Path(f"/corpus/{number:06}.txt"),
            title=f"Article number {number}",
            date=start + dt.timedelta(days=number % 9000),
            date_text=None,
            outlet=("Daily", "Weekly", "Times")[number % 3],
            author=None,
        )
        for number in range(count)
    ]


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ArticleList()


async def test_a_hundred_thousand_rows_render_only_the_visible_lines() -> None:
    app = ListApp()
    async with app.run_test(size=(100, 30)) as pilot:
        article_list = app.query_one(ArticleList)
        article_list.focus()
        rows = many_summaries(ROWS)
        article_list.show(rows)
        await pilot.pause()
        assert article_list.row_count == ROWS
        assert article_list.virtual_size.height == ROWS * article_list.row_height
        assert len(article_list.children) == 0  # no widget per row
        await pilot.press("G")
        assert article_list.current_id == f"{ROWS - 1:06}.txt"
        assert article_list.scroll_y > 0
        last_line = article_list.render_line(article_list.size.height - 1).text
        assert f"Article number {ROWS - 1}" in last_line
        await pilot.press("pageup", "k")
        assert article_list.cursor < ROWS - 2
