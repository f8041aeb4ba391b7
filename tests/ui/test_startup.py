"""Start-up stays light: Whoosh and extraction are not imported, and the list paints a first
screen before reading the whole catalog."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path

import pytest
from tests.ui.conftest import SIZE, main_screen, until

from reader.core.library import ArticleSummary, Library
from reader.ui.app import ReaderApp
from reader.ui.long_lived import YOUNG_OBJECTS
from reader.ui.screenshot_scenes import wait_until_idle


def test_importing_the_app_leaves_whoosh_and_extraction_for_later() -> None:
    program = (
        "import sys\n"
        "import reader.ui.app\n"
        "heavy = ('whoosh', 'reader.core.extraction', 'reader.core.index.search')\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(heavy))))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


async def test_first_screen_is_painted_before_the_whole_list_is_read(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first rows come from a short sorted query; the whole list (slow at 100k) follows."""
    release = threading.Event()
    whole_list = Library.summaries

    def held_back(library: Library, known: Mapping[str, ArticleSummary] | None = None) -> list[ArticleSummary]:
        assert release.wait(timeout=30)
        return whole_list(library, known)

    monkeypatch.setattr(Library, "summaries", held_back)
    app = ReaderApp(corpus, steady=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(pilot)
        await until(pilot, lambda: screen.article_list.row_count > 0)
        assert screen.summaries == {}  # the whole list is still being read
        newest_first = [article_id[:3] for article_id in screen.article_list.article_ids]
        assert newest_first[0] == "002"  # the only dated seed
        assert "5 articles · reading the whole list" in screen.status.info
        release.set()
        await until(pilot, lambda: len(screen.summaries) == 5)
        await wait_until_idle(pilot)
        assert [article_id[:3] for article_id in screen.article_list.article_ids] == newest_first
        assert "5 articles ·" in screen.status.info and "reading" not in screen.status.info


async def test_the_rows_read_are_left_out_of_the_collectors_full_walks(corpus: Path) -> None:
    """At 100k articles a full collection walking every list row held the GIL 100-170 ms every
    few seconds while the user typed; once the list is read, its rows are frozen."""
    gc.unfreeze()
    threshold = gc.get_threshold()
    gc.set_threshold(700, *threshold[1:])  # CPython's default, as in a fresh app process
    app = ReaderApp(corpus, steady=True)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = main_screen(pilot)
            await until(pilot, lambda: len(screen.summaries) == 5)
            await wait_until_idle(pilot)
            assert gc.get_freeze_count() > 0
            rows = {id(summary) for summary in screen.summaries.values()}
            assert not any(id(tracked) in rows for tracked in gc.get_objects())
            # With the rows frozen, full collections would come every 70,000 containers made.
            assert gc.get_threshold()[0] == YOUNG_OBJECTS
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
