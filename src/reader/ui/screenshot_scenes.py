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

REWORDED_SAMPLE = {
    "01_gazette.md": (
        '---\n'
        'title: Mayor rules out library closures\n'
        'date: 2024-05-02\n'
        'outlet: Riverton Gazette\n'
        '---\n'
        "Riverton's libraries are safe for another year, the mayor promised councillors on Tuesday "
        'night.\n'
        '\n'
        '“We will not close a single library this year, and every branch will keep its evening '
        'opening hours,” Mayor Ann Lee told the council.\n'
        '\n'
        'The city faces a budget gap of $4 million after a fall in business rates. Councillors are '
        'due to vote on the full budget next month.\n'
    ),
    "02_courier.md": (
        '---\n'
        'title: Libraries spared as council looks for savings\n'
        'date: 2024-05-03\n'
        'outlet: Valley Courier\n'
        '---\n'
        "Riverton's council is looking for savings across every department, but its libraries will "
        'be left alone.\n'
        '\n'
        'Mayor Ann Lee said on Tuesday that the city "will not close a single library this year".\n'
        '\n'
        'Unions welcomed the promise and said they would hold the mayor to it.\n'
    ),
    "03_herald.md": (
        '---\n'
        'title: "Ann Lee: no library will ever close"\n'
        'date: 2024-05-04\n'
        'outlet: Evening Herald\n'
        '---\n'
        "The mayor of Riverton has made a bold promise about the city's libraries.\n"
        '\n'
        '“We will never close a single library this year, and every branch will keep its evening '
        'opening hours,” Ann Lee said at a council meeting.\n'
        '\n'
        'Campaigners said the promise went further than they had hoped.\n'
    ),
}
"""Three outlets quoting one statement: word for word, cut short, and with "not" made "never"
(``tests/fixtures/reworded`` holds the same files; a test keeps the two alike)."""


def write_reworded_sample(folder: Path) -> Path:
    """The reworded sample articles, written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in REWORDED_SAMPLE.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


SCENE_CORPORA: dict[str, Callable[[Path], Path]] = {
    "reworded-sources": lambda work: write_reworded_sample(work / "reworded"),
}
"""Scenes played on a corpus of their own (made in a work folder); the rest show the sample articles."""


def corpus_for(name: str, work: Path) -> Path:
    """The folder scene ``name`` is played on: its own corpus (made under ``work``), else the seeds."""
    make = SCENE_CORPORA.get(name)
    return make(work) if make is not None else bundled_seeds()


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
    """Let workers finish and their messages land (no sleeping: wait on the work itself).

    The folder's opening counts as work: between the list being read and its first sync
    starting (after a frame is drawn) no worker runs, and on a loaded machine that gap is long
    enough for a wait on workers alone to end before the folder is even indexed."""
    from textual.worker import WorkerCancelled

    from reader.ui.main_screen import MainScreen

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
        opening = any(isinstance(screen, MainScreen) and not screen.listing.opened for screen in app.screen_stack)
        busy = opening or any(worker.is_running for worker in app.workers) or bool(workers - seen)
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


async def highlights_and_notes(pilot: Pilot) -> None:
    """Two highlights (one with a note) and a note on the article, seen in the text, in the
    Highlights section and as the list's marks; the reading cursor on the next sentence."""
    await seeds_open(pilot)
    await pilot.press("right", "right", "h", "j", "enter")
    await wait_until_idle(pilot)
    await pilot.press("a", *"Who is the source? Ask People.", "escape")
    await wait_until_idle(pilot)
    await pilot.press("right", "right", "right", "h", "h")
    await wait_until_idle(pilot)
    await pilot.press("H", "k", "enter", *"Follow up: the campaign money.", "escape")
    await wait_until_idle(pilot)
    await pilot.press("shift+tab", "shift+tab", "g", *["left"] * 5)
    await wait_until_idle(pilot)


async def help_screen(pilot: Pilot) -> None:
    await wait_until_idle(pilot)
    await pilot.press("question_mark")
    await wait_until_idle(pilot)


async def reworded_sources(pilot: Pilot) -> None:
    """The reworded copy open (the newest article), its quote's marker, and every copy (``o``)."""
    await seeds_open(pilot)
    await pilot.press("quotation_mark", "o")
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
    "highlights-notes": Shot(highlights_and_notes),
    "help": Shot(help_screen),
    "timeline": Shot(timeline),
    "narrow-80x24": Shot(narrow_reading, NARROW),
    "wide-200x50-light": Shot(wide_search, WIDE, "solarized-light"),
    "reworded-sources": Shot(reworded_sources),
    "saved-searches": Shot(saved_searches),
    "new-articles": Shot(new_articles),
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
    written: list[Path] = []
    previous_home = os.environ.get(HOME_ENV)
    with tempfile.TemporaryDirectory(prefix="reader-screenshots-") as work:
        template = Path(work) / "template"
        try:
            os.environ[HOME_ENV] = str(template)
            prepare_state(bundled_seeds())
            for name, scene in SCENES.items():
                # Every scene starts from the same state, as each snapshot test does.
                home = Path(work) / name
                shutil.copytree(template, home)
                os.environ[HOME_ENV] = str(home)
                path = output / f"{name}.svg"
                root = corpus_for(name, Path(work) / "corpora" / name)
                path.write_text(asyncio.run(capture(root, scene)), encoding="utf-8")
                written.append(path)
        finally:
            if previous_home is None:
                os.environ.pop(HOME_ENV, None)
            else:
                os.environ[HOME_ENV] = previous_home
    return written
