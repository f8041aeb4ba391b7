"""Issue 14, item 1: no article freezes the app, whatever its longest word.

A 900,000-character word used to hold the app for 30 s after Enter (the wrap measured the rest
of the word again for every line it cut). Each long-token article is opened at 140×45 and at
80×24 and read with the keys of the reading pane; the event loop must never be held for
``BUDGET`` or more (measured on the loop itself, see ``LoopWatch``), and the pane must still do
what it does for any article: fold what is unreadable, unfold it with ``f``, reach the end with
``G``, mark and step through search matches, highlight the quotes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from long_articles import ONE_WORD_CHARS, SEARCH_WORD, build
from loop_watch import LoopWatch

from reader.core.library import Library
from reader.core.paths import HOME_ENV
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from reader.ui.reading.reading_pane import ReadingPane
from reader.ui.screenshot_scenes import wait_until_idle

BUDGET = 0.5
"""The issue's target: every key answered in under half a second."""

READING_KEYS = ("j", "space", "G", "g", "f", "j", "G", "b", "g", "f", "k")
SIZES = [(140, 45), (80, 24)]


@pytest.fixture(scope="session")
def long_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The long-token articles and their index, built once: (folder, the index's cache)."""
    root = tmp_path_factory.mktemp("long-tokens")
    build(root / "articles")
    home = root / "home"
    previous = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = str(home)
    try:
        with Library(root / "articles") as library:
            library.sync()
    finally:
        if previous is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = previous
    yield root / "articles", home / "cache"


def _lines(pane: ReadingPane) -> list[str]:
    return [pane.render_line(y).text for y in range(pane.size.height)]


async def _until(pilot, condition) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2000):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("the app never reached the expected state")


async def _open(pilot, screen: MainScreen, article_id: str) -> None:  # type: ignore[no-untyped-def]
    screen.focus_pane("articles")
    screen.article_list.move_to(article_id)
    await pilot.press("enter")
    await _until(pilot, lambda: screen.open_article is not None and screen.open_article.id == article_id)
    screen.focus_pane("reader")


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_no_long_token_article_holds_the_app(
    long_folder: tuple[Path, Path], private_home: Path, size: tuple[int, int]
) -> None:
    folder, cache = long_folder
    shutil.copytree(cache, private_home / "cache", dirs_exist_ok=True)
    app = ReaderApp(folder, steady=True)
    async with app.run_test(size=size) as pilot:
        await wait_until_idle(pilot)
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        pane = screen.reading_pane
        async with LoopWatch() as watch:
            for article_id in sorted(screen.summaries):
                await _open(pilot, screen, article_id)
                for key in READING_KEYS:
                    await pilot.press(key)
            await wait_until_idle(pilot)
        assert watch.ticks > 0
        assert watch.worst < BUDGET, (
            f"the event loop was held {watch.worst:.2f} s by the app ({watch.worst_wall:.2f} s wall)"
        )
        assert app.is_running


async def test_the_900000_character_word_is_folded_unfolded_and_read_to_its_end(
    long_folder: tuple[Path, Path], private_home: Path
) -> None:
    folder, cache = long_folder
    shutil.copytree(cache, private_home / "cache", dirs_exist_ok=True)
    app = ReaderApp(folder, steady=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_idle(pilot)
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        pane = screen.reading_pane
        async with LoopWatch() as watch:
            await _open(pilot, screen, "one_word.txt")
            folded = [line for line in _lines(pane) if "-character run folded" in line]
            assert len(folded) == 1 and f"{ONE_WORD_CHARS:,}" in folded[0]
            assert folded[0].lstrip().startswith("xxxx")
            await pilot.press("f")  # unfolded: the word broken into lines of the pane's measure
            await _until(pilot, lambda: pane.laid_out)
            assert any(line.strip() == "x" * pane.measure for line in _lines(pane))
            await pilot.press("G")
            await _until(pilot, lambda: pane.scroll_y == pane.max_scroll_y > 0)
            text_lines = [line.strip() for line in _lines(pane) if line.strip()]
            assert text_lines[-1] == "x" * (ONE_WORD_CHARS % pane.measure or pane.measure)
            await pilot.press("f")  # folded again, the place kept: the one line of the word
            await _until(pilot, lambda: any("-character run folded" in line for line in _lines(pane)))
        assert watch.worst < BUDGET


async def test_matches_and_quotes_next_to_a_blob_are_marked_and_stepped_through(
    long_folder: tuple[Path, Path], private_home: Path
) -> None:
    folder, cache = long_folder
    shutil.copytree(cache, private_home / "cache", dirs_exist_ok=True)
    app = ReaderApp(folder, steady=True)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_until_idle(pilot)
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        pane = screen.reading_pane
        async with LoopWatch() as watch:
            screen.search_bar.set_query(SEARCH_WORD)
            await _until(pilot, lambda: screen.result is not None and screen.article_list.row_count == 1)
            await _open(pilot, screen, "base64_blob.md")
            # Four matches: one in the headline (shown in the header), one before the blob, two after.
            await _until(pilot, lambda: len(pane.marks) == 4 and len(pane.quotes) == 1)
            await pilot.press("n")
            assert pane.current_match == 1  # the first one in the text from the top
            await pilot.press("n", "n")
            assert pane.current_match == 3
            await pilot.press("N")
            assert pane.current_match == 2
            lines = _lines(pane)
            assert any("-character run folded" in line for line in lines)  # the blob, folded
            assert any("We will act" in line for line in lines)
        assert watch.worst < BUDGET


async def test_highlighting_the_900000_character_word_and_the_pages_of_short_words_keeps_the_app_free(
    long_folder: tuple[Path, Path], private_home: Path
) -> None:
    """The reading cursor, a selection and a saved highlight over one huge word, folded and
    unfolded, and the cursor walked through 100,000 one-letter words: drawn per line, laid out
    only as far as the keys need."""
    folder, cache = long_folder
    shutil.copytree(cache, private_home / "cache", dirs_exist_ok=True)
    app = ReaderApp(folder, steady=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_idle(pilot)
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        pane = screen.reading_pane
        async with LoopWatch() as watch:
            await _open(pilot, screen, "one_word.txt")
            [word] = pane.marking.sentences
            assert word[1] - word[0] == ONE_WORD_CHARS
            await pilot.press("h", "enter")  # the sentence under the cursor: the whole word
            await _until(pilot, lambda: len(screen.annotating.placed) == 1)
            placed = screen.annotating.placed[0]
            assert (placed.start, placed.end) == word
            assert pane.marking.decorations(word[0] + 5, word[0] + 50) == [
                (word[0] + 5, word[0] + 50, "reading-pane--highlight")
            ]
            await pilot.press("f", "G", "g", "f")
            await _open(pilot, screen, "runs.txt")
            sentences = pane.marking.sentences  # the run of "=", the run of "!", the one-letter words
            assert len(sentences) == 3
            await pilot.press("f", "right", "right")  # unfolded: the words are laid out a slice at a time
            assert pane.marking.cursor == 2

            def cursor_on_screen() -> bool:  # the sentence is longer than the pane: its last line shows
                first, last = (pane.line_of_offset(offset) for offset in (sentences[2][0], sentences[2][1] - 1))
                return pane.laid_out and first < pane.top_line <= last < pane.top_line + pane.view_height

            await _until(pilot, cursor_on_screen)
            assert pane.line_span(pane.line_of_offset(sentences[2][0]))[0] == sentences[2][0]
            await pilot.press("G")
            await _until(pilot, lambda: pane.scroll_y == pane.max_scroll_y > 0)
            await pilot.press("h", "up")  # the words, and the run of "!" before them
            selection = pane.marking.selection
            assert selection is not None and (selection.start, selection.end) == (sentences[1][0], sentences[2][1])
            await pilot.press("escape", "g")
            assert not pane.has_selection and pane.marking.cursor == 0  # the cursor follows the reading
        assert watch.worst < BUDGET, f"the event loop was held {watch.worst:.2f} s ({watch.worst_wall:.2f} s wall)"
        assert app.is_running
