"""The SVG screenshots of the app's main states (``reader screenshots`` writes them).

Each scene drives the real app headless on the bundled sample articles, at one fixed size, with
a private throw-away state folder (so the user's tags and settings are neither used nor touched).
The snapshot tests replay the same scenes, so the README pictures are what the tests pin.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.paths import HOME_ENV, bundled_seeds

if TYPE_CHECKING:
    from textual.pilot import Pilot

SIZE = (140, 45)
"""Columns and rows of most screenshots: wide enough for all three panes."""
NARROW = (80, 24)
"""The classic terminal: one pane at a time."""
WIDE = (200, 50)

SAMPLE_TAGS = {"celebrity": 4, "politics": 2, "follow-up": 1}
"""Tags put on the sample articles first, so the tag editor has suggestions with counts."""

Scene = Callable[["Pilot"], Awaitable[None]]


def prepare_state(root: Path) -> None:
    """Index ``root`` and tag a few of its articles, in the current state folder."""
    from reader.core.library import Library

    library = Library(root)
    library.sync()
    ids = sorted(summary.id for summary in library.summaries())
    for tag, count in SAMPLE_TAGS.items():
        library.add_tags(ids[:count], [tag])


QUIET_ROUNDS = 3
"""Rounds with no worker running or started before the app counts as idle: work is often
started after the next refresh (``call_after_refresh``), a moment after the last one ended."""


async def wait_until_idle(pilot: Pilot) -> None:
    """Let workers finish and their messages land (no sleeping: wait on the work itself)."""
    from textual.worker import WorkerCancelled

    app = pilot.app
    quiet = 0
    seen: set[int] = set()
    for _ in range(200):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass  # superseded by a newer worker of its group (a newer search, say)
        await pilot.pause()
        workers = {id(worker) for worker in app.workers}
        busy = any(worker.is_running for worker in app.workers) or bool(workers - seen)
        seen |= workers
        quiet = 0 if busy else quiet + 1
        if quiet >= QUIET_ROUNDS:
            break
    await pilot.pause()
    app.clear_notifications()


async def seeds_open(pilot: Pilot) -> None:
    await wait_until_idle(pilot)
    await pilot.press("enter")
    await wait_until_idle(pilot)


async def search_with_hits(pilot: Pilot) -> None:
    await wait_until_idle(pilot)
    await pilot.press("slash", *"divorce", "enter")
    await wait_until_idle(pilot)
    await pilot.press("enter", "n")
    await wait_until_idle(pilot)


async def quote_chosen(pilot: Pilot) -> None:
    await seeds_open(pilot)
    await pilot.press("quotation_mark", "down", "down", "enter")
    await wait_until_idle(pilot)


async def tag_editor(pilot: Pilot) -> None:
    await seeds_open(pilot)
    await pilot.press("t", *"fol")
    await wait_until_idle(pilot)


async def help_screen(pilot: Pilot) -> None:
    await wait_until_idle(pilot)
    await pilot.press("question_mark")
    await wait_until_idle(pilot)


async def narrow_reading(pilot: Pilot) -> None:
    """At 80×24: an article read in the one pane there is room for, a little way down."""
    await seeds_open(pilot)
    await pilot.press("space")
    await wait_until_idle(pilot)


async def wide_search(pilot: Pilot) -> None:
    """At 200 columns: hits with snippets beside the text and the side panel."""
    await wait_until_idle(pilot)
    await pilot.press("slash", *"kanye", "enter")
    await wait_until_idle(pilot)
    await pilot.press("down", "enter")
    await wait_until_idle(pilot)


async def timeline(pilot: Pilot) -> None:
    await wait_until_idle(pilot)
    await pilot.press("L")
    await wait_until_idle(pilot)


@dataclass(frozen=True, slots=True)
class Shot:
    """A scene played at one terminal size, in one theme (None: the app's default)."""

    play: Scene
    size: tuple[int, int] = SIZE
    theme: str | None = None

    async def __call__(self, pilot: Pilot) -> None:
        if self.theme is not None:
            pilot.app.theme = self.theme
        await self.play(pilot)


SCENES: dict[str, Shot] = {
    "seeds-open": Shot(seeds_open),
    "search-hits": Shot(search_with_hits),
    "quote-chosen": Shot(quote_chosen),
    "tag-editor": Shot(tag_editor),
    "help": Shot(help_screen),
    "timeline": Shot(timeline),
    "narrow-80x24": Shot(narrow_reading, NARROW),
    "wide-200x50-light": Shot(wide_search, WIDE, "solarized-light"),
}


async def capture(root: Path, shot: Shot) -> str:
    """Run the app on ``root``, play the shot, and return the screen as SVG."""
    from reader.ui.app import ReaderApp

    app = ReaderApp(root, steady=True)
    async with app.run_test(size=shot.size) as pilot:
        await shot(pilot)
        return app.export_screenshot(title="reader")


def write_screenshots(output: Path) -> list[Path]:
    """Play every scene on the bundled sample articles and write ``output/<scene>.svg``."""
    output.mkdir(parents=True, exist_ok=True)
    root = bundled_seeds()
    written: list[Path] = []
    previous_home = os.environ.get(HOME_ENV)
    with tempfile.TemporaryDirectory(prefix="reader-screenshots-") as work:
        template = Path(work) / "template"
        try:
            os.environ[HOME_ENV] = str(template)
            prepare_state(root)
            for name, scene in SCENES.items():
                # Every scene starts from the same state, as each snapshot test does.
                home = Path(work) / name
                shutil.copytree(template, home)
                os.environ[HOME_ENV] = str(home)
                path = output / f"{name}.svg"
                path.write_text(asyncio.run(capture(root, scene)), encoding="utf-8")
                written.append(path)
        finally:
            if previous_home is None:
                os.environ.pop(HOME_ENV, None)
            else:
                os.environ[HOME_ENV] = previous_home
    return written
