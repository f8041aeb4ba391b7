"""The reading pane on its own: header once, furniture folded, offsets kept through wrapping."""

from __future__ import annotations

import gc
import warnings
from pathlib import Path

from textual.app import App, ComposeResult

from reader.core.models import Article, Paragraph, ParagraphKind
from reader.ui.reading.reading_pane import FIRST_SLICE, ReadingPane
from tests.ui.conftest import idle, main_screen, running

TITLE = "Mayor opens the new bridge"
BODY = "“It is a great day,” the mayor said. " * 8
FURNITURE = "Share this article on Facebook Twitter WhatsApp Email Copy link " * 3


def sample_article() -> Article:
    text = f"{TITLE}\n\n{BODY}\n\n{FURNITURE}"
    title_end = len(TITLE)
    body_start = title_end + 2
    furniture_start = body_start + len(BODY) + 2
    return Article(
        id="bridge.txt",
        path=Path("/corpus/bridge.txt"),
        title=TITLE,
        title_derived=False,
        text=text,
        paragraphs=(
            Paragraph(0, title_end, ParagraphKind.TITLE),
            Paragraph(body_start, body_start + len(BODY), ParagraphKind.BODY),
            Paragraph(furniture_start, len(text), ParagraphKind.FURNITURE),
        ),
        outlet="The Courier",
    )


class PaneApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ReadingPane()


async def test_title_shows_once_and_furniture_folds_to_one_dim_line() -> None:
    app = PaneApp()
    async with app.run_test(size=(60, 30)) as pilot:
        pane = app.query_one(ReadingPane)
        article = sample_article()
        pane.show_article(article, quotes=[(body_start := len(TITLE) + 2, body_start + 20)])
        await pilot.pause()
        lines = [pane.render_line(y).text.rstrip() for y in range(pane.size.height)]
        screen_text = "\n".join(lines)
        assert screen_text.count(TITLE) == 1
        assert "The Courier" in screen_text
        furniture = [line for line in lines if "Share this article" in line]
        assert len(furniture) == 1 and furniture[0].endswith("…")
        # Every body line maps back to its offset: the quote's line is where the quote is.
        line = pane.line_of_offset(body_start)
        assert lines[line].strip().startswith("“It is a great day")


async def test_an_article_that_vanished_shows_why_instead_of_crashing(own_corpus: Path) -> None:
    async with running(own_corpus) as pilot:
        screen = main_screen(pilot)
        first = screen.article_list.current_id
        assert first is not None
        (own_corpus / first).unlink()
        await pilot.press("enter")
        await idle(pilot)
        assert pilot.app.is_running
        assert screen.reading_pane.article is None
        assert "could not be opened" in screen.reading_pane.empty_message


async def test_f_unfolds_the_page_furniture_and_folds_it_again() -> None:
    app = PaneApp()
    async with app.run_test(size=(60, 30)) as pilot:
        pane = app.query_one(ReadingPane)
        pane.show_article(sample_article())
        pane.focus()
        await pilot.pause()

        def furniture_lines() -> list[str]:
            rendered = [pane.render_line(y).text.rstrip() for y in range(pane.size.height)]
            return [line for line in rendered if "Share this" in line or "WhatsApp" in line]

        assert len(furniture_lines()) == 1
        await pilot.press("f")
        unfolded = furniture_lines()
        assert len(unfolded) > 1 and not unfolded[-1].endswith("…")
        await pilot.press("f")
        assert len(furniture_lines()) == 1


def long_article(paragraphs: int = 400) -> Article:
    """An article longer than the first slice, so the rest is laid out by a worker."""
    paragraph = "Word after word, the council met again and talked. " * 6
    spans, parts, start = [], [], 0
    for _ in range(paragraphs):
        parts.append(paragraph)
        spans.append(Paragraph(start, start + len(paragraph), ParagraphKind.BODY))
        start += len(paragraph) + 2
    return Article(
        id="long.txt",
        path=Path("/corpus/long.txt"),
        title="Long",
        title_derived=True,
        text="\n\n".join(parts),
        paragraphs=tuple(spans),
    )


async def test_an_article_replaced_before_its_layout_starts_leaves_no_unawaited_coroutine() -> None:
    # The next article (or quitting) cancels the layout worker; cancelled before it ran, a
    # worker given a coroutine leaves it never awaited, which surfaced as a warning in CI.
    app = PaneApp()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with app.run_test(size=(60, 30)) as pilot:
            pane = app.query_one(ReadingPane)
            article = long_article()
            assert len(article.text) > 2 * FIRST_SLICE
            pane.show_article(article)
            pane.show_article(article)
            await pilot.pause()
            await app.workers.wait_for_complete()
            assert pane.is_laid_out(len(article.text) - 1)
        gc.collect()
    assert [str(warning.message) for warning in caught if "never awaited" in str(warning.message)] == []
