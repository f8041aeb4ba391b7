"""Text from files is shown literally: markup, links, actions and escape bytes do nothing."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.ui.conftest import idle, main_screen, running

HOSTILE_TITLES = [
    "Closing tag [/] in a headline",
    "Click me [@click=app.quit]now[/]",
    "Secrets [link=file:///etc/passwd]x[/link] here",
    "Escape \x1b[31mred\x1b[0m and bell \x07",
]


def write_hostile_corpus(folder: Path) -> Path:
    folder.mkdir()
    for number, title in enumerate(HOSTILE_TITLES):
        body = f"{title}\n\nThe body repeats it: {title}. “A quote with [bold]markup[/bold],” she said.\n"
        (folder / f"{number}.txt").write_text(body, encoding="utf-8")
    return folder


async def test_hostile_titles_render_literally_in_list_and_pane(tmp_path: Path) -> None:
    corpus = write_hostile_corpus(tmp_path / "hostile")
    async with running(corpus, size=(250, 30)) as pilot:  # wide enough for whole titles
        screen = main_screen(pilot)
        assert len(screen.article_list.article_ids) == 4
        rows = "\n".join(screen.article_list.render_line(y).text for y in range(4))
        assert "[/]" in rows
        assert "[@click=app.quit]now[/]" in rows
        assert "[link=file:///etc/passwd]x[/link]" in rows
        assert "\x1b" not in rows
        assert "␛[31mred" in rows
        for _ in range(4):
            await pilot.press("enter")
            await idle(pilot)
            pane = screen.reading_pane
            text = "\n".join(pane.render_line(y).text for y in range(pane.size.height))
            assert pane.article is not None
            assert pane.article.title.split()[0] in text
            assert "\x1b" not in text
            await pilot.click(screen.reading_pane, offset=(5, 0))
            await pilot.press("escape", "down")
        assert pilot.app.is_running
        assert "[link=file:///etc/passwd]x[/link]" in "".join(
            summary.title for summary in screen.summaries.values()
        )


async def test_hostile_text_in_quotes_and_help_does_not_crash(tmp_path: Path) -> None:
    corpus = write_hostile_corpus(tmp_path / "hostile")
    async with running(corpus) as pilot:
        await pilot.press("enter")
        await idle(pilot)
        await pilot.press("quotation_mark", "enter")
        await idle(pilot)
        assert main_screen(pilot).reading_pane.flash_span is not None
        await pilot.press("question_mark")
        await idle(pilot)
        assert pilot.app.screen.query_one("#help-table", Static) is not None
        assert pilot.app.is_running
