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
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.paths import HOME_ENV, bundled_seeds

if TYPE_CHECKING:
    from textual.pilot import Pilot

OPENING_PAUSES = 2_000
"""At most this many rounds of waiting (each on the workers, then a pause) for a folder to open."""

SIZE = (150, 42)
"""Columns and rows of every screenshot: wide enough for all three panes."""

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


async def wait_until_idle(pilot: Pilot) -> None:
    """Let workers finish and their messages land (no sleeping: wait on the work itself).

    The folder's opening counts as work: between the list being read and its first sync
    starting (after a frame is drawn) no worker runs, and on a loaded machine that gap is long
    enough for a wait on workers alone to end before the folder is even indexed."""
    from textual.worker import WorkerCancelled

    from reader.ui.main_screen import MainScreen

    app = pilot.app
    for _ in range(OPENING_PAUSES):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass  # superseded by a newer worker of its group (a newer search, say)
        await pilot.pause()
        opening = any(isinstance(screen, MainScreen) and not screen.listing.opened for screen in app.screen_stack)
        if not opening and not any(worker.is_running for worker in app.workers):
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


SAMPLE_SEARCHES = {"Kanye, not divorce": "kanye -divorce", "Kim, patient": '"incredibly patient"'}
"""Saved searches for the scenes that show them; the first has one article it has not listed."""


def save_sample_searches(pilot: Pilot) -> None:
    from reader.ui.app import ReaderApp

    app = pilot.app
    assert isinstance(app, ReaderApp)
    saved = app.library.saved_searches()
    for number, (name, query) in enumerate(SAMPLE_SEARCHES.items()):
        found = sorted(app.library.matching_ids(query))
        saved.save(name, query, seen=found[1:] if number == 0 else found)
    saved.save("Taylor Swift", 'person:"Taylor Swift"')  # never opened here


async def saved_searches(pilot: Pilot) -> None:
    await wait_until_idle(pilot)
    save_sample_searches(pilot)
    await pilot.press("S")
    await wait_until_idle(pilot)


async def new_articles(pilot: Pilot) -> None:
    """A saved search opened: the article it did not list last time is marked new (✚)."""
    await saved_searches(pilot)
    await pilot.press("enter")
    await wait_until_idle(pilot)


SCENES: dict[str, Scene] = {
    "seeds-open": seeds_open,
    "search-hits": search_with_hits,
    "quote-chosen": quote_chosen,
    "tag-editor": tag_editor,
    "help": help_screen,
    "saved-searches": saved_searches,
    "new-articles": new_articles,
}


async def capture(root: Path, scene: Scene) -> str:
    """Run the app on ``root``, play ``scene``, and return the screen as SVG."""
    from reader.ui.app import ReaderApp

    app = ReaderApp(root, steady=True)
    async with app.run_test(size=SIZE) as pilot:
        await scene(pilot)
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
