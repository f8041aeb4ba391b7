"""The live folder in the running app: files added, changed, renamed and deleted show in the list
within the time budget, the open article follows its file, arrivals are marked new, bursts are
batched, and a folder that goes away leaves the list as it was.

Waits are on the app's own messages (``ForController``: a controller's result reaching the UI
thread, and ``SearchFinished``), never a sleep: each check runs after the app has handled one. The budget is the issue's
2 seconds from the write to the list, stretched by the machine's load (these machines are shared;
the benchmarks quote their load the same way).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from tests.ui.conftest import SIZE, main_screen
from textual.pilot import Pilot

import reader.ui.app
from reader.core.paths import settings_path
from reader.ui.app import ReaderApp
from reader.ui.messages import ArticleLoaded, ForController, SearchFinished
from reader.ui.screenshot_scenes import wait_until_idle

BUDGET = 2.0
STORM = "---\ntitle: Storm hits the coast\ndate: 2030-05-02\noutlet: Coast News\n---\n\nA storm hit the coast.\n"
FLOOD = "---\ntitle: Flood in the valley\ndate: 2030-05-03\n---\n\nThe river rose in the night.\n"


def budget() -> float:
    cores = os.cpu_count() or 1
    return BUDGET * max(1.0, os.getloadavg()[0] / cores)


class WatchedApp(ReaderApp):
    """The app, with an event set whenever a controller's result has been handled."""

    CSS_PATH = str(Path(reader.ui.app.__file__).with_name("app.tcss"))  # a relative path would be read here

    def __init__(self, root: Path) -> None:
        super().__init__(root, steady=True)
        self.delivered = asyncio.Event()

    def on_for_controller(self, _: ForController) -> None:
        self.delivered.set()  # bubbled up from the screen, once it has handled the message

    def on_search_finished(self, _: SearchFinished) -> None:
        self.delivered.set()  # a search on screen, run again for what changed, has its hits

    def on_article_loaded(self, _: ArticleLoaded) -> None:
        self.delivered.set()  # the open article, read again after its file changed, is shown


@asynccontextmanager
async def watched(root: Path) -> AsyncIterator[Pilot[None]]:
    app = WatchedApp(root)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until_idle(pilot)
        yield pilot


async def shows(pilot: Pilot[None], condition: Callable[[], bool], seconds: float | None = None) -> float:
    """Seconds until ``condition`` holds, checked after each controller result; fails past the budget."""
    app = pilot.app
    assert isinstance(app, WatchedApp)
    allowed = seconds if seconds is not None else budget()
    started = time.monotonic()
    while not condition():
        app.delivered.clear()
        if condition():
            break
        remaining = started + allowed - time.monotonic()
        try:
            await asyncio.wait_for(app.delivered.wait(), max(remaining, 0.001))
        except TimeoutError:
            raise AssertionError(f"not shown within {allowed:.1f} s") from None
    return time.monotonic() - started


def titles(pilot: Pilot[None]) -> dict[str, str | None]:
    """The list's rows: article id -> title (None while a row waits for the sorted list)."""
    screen = main_screen(pilot)
    rows = {article_id: screen.summaries.get(article_id) for article_id in screen.article_list.article_ids}
    return {article_id: summary.title if summary else None for article_id, summary in rows.items()}


async def test_added_changed_renamed_and_deleted_files_show_within_the_budget(own_corpus: Path) -> None:
    (own_corpus / "later").mkdir()
    async with watched(own_corpus) as pilot:
        screen = main_screen(pilot)
        assert len(titles(pilot)) == 5
        (own_corpus / "storm.md").write_text(STORM, encoding="utf-8")
        added = await shows(pilot, lambda: titles(pilot).get("storm.md") == "Storm hits the coast")
        assert screen.article_list.article_ids[0] == "storm.md"  # newest first
        assert "storm.md" in screen.listing.new_ids and "✚ 1 new (w)" in screen.status.info

        (own_corpus / "storm.md").write_text(STORM.replace("Storm hits", "Storm batters"), encoding="utf-8")
        changed = await shows(pilot, lambda: titles(pilot).get("storm.md") == "Storm batters the coast")

        (own_corpus / "storm.md").rename(own_corpus / "later" / "storm-2030.md")
        renamed = await shows(pilot, lambda: "later/storm-2030.md" in titles(pilot) and "storm.md" not in titles(pilot))
        assert "later/storm-2030.md" in screen.listing.new_ids  # still new: a rename is no arrival
        assert len(titles(pilot)) == 6

        (own_corpus / "later" / "storm-2030.md").unlink()
        deleted = await shows(pilot, lambda: len(titles(pilot)) == 5)
        assert "later/storm-2030.md" not in titles(pilot) and not screen.listing.new_ids
        assert "new" not in screen.status.info
    print(f"added {added:.2f} s, changed {changed:.2f} s, renamed {renamed:.2f} s, deleted {deleted:.2f} s")


async def test_a_search_on_screen_takes_in_new_matches_and_keeps_the_cursor(own_corpus: Path) -> None:
    async with watched(own_corpus) as pilot:
        screen = main_screen(pilot)
        screen.filter_by("kanye")
        await wait_until_idle(pilot)
        await pilot.press("j")
        current = screen.article_list.current_id
        (own_corpus / "kanye.md").write_text("---\ntitle: Kanye tours\n---\n\nKanye West tours.\n", encoding="utf-8")
        (own_corpus / "storm.md").write_text(STORM, encoding="utf-8")
        await shows(pilot, lambda: "kanye.md" in screen.article_list.article_ids)
        assert "storm.md" not in screen.article_list.article_ids  # listed, but not a match
        assert screen.article_list.current_id == current


async def test_the_open_article_follows_its_file(own_corpus: Path) -> None:
    async with watched(own_corpus) as pilot:
        screen = main_screen(pilot)
        (own_corpus / "storm.md").write_text(STORM + "\n".join(f"Paragraph {n}.\n" for n in range(80)), encoding="utf-8")
        await shows(pilot, lambda: "storm.md" in titles(pilot))
        screen.article_list.move_to("storm.md")
        await pilot.press("enter")
        await wait_until_idle(pilot)
        assert screen.open_id == "storm.md" and "storm.md" not in screen.listing.new_ids  # looked at
        await pilot.press("space", "space")
        place = screen.reading_pane.scroll_y
        assert place > 0

        (own_corpus / "storm.md").rename(own_corpus / "storm-renamed.md")
        await shows(pilot, lambda: screen.open_id == "storm-renamed.md")
        await shows(pilot, lambda: screen.open_article is not None and screen.open_article.id == "storm-renamed.md")
        assert screen.settings.last_article_in(own_corpus) == "storm-renamed.md"
        assert "storm-renamed.md" in screen.read_ids  # read before the rename, read after it

        with open(own_corpus / "storm-renamed.md", "a", encoding="utf-8") as file:
            file.write("\nA late correction.\n")
        await shows(pilot, lambda: screen.open_article is not None and "late correction" in screen.open_article.text)
        assert screen.reading_pane.scroll_y == place  # read again where the reader was

        (own_corpus / "storm-renamed.md").unlink()
        await shows(pilot, lambda: "storm-renamed.md" not in titles(pilot))
        assert screen.reading_pane.article is not None  # the text stays readable
        assert any("open article is gone" in str(note.message) for note in pilot.app._notifications)


async def test_w_goes_to_the_new_articles_and_opening_one_clears_its_mark(own_corpus: Path) -> None:
    async with watched(own_corpus) as pilot:
        screen = main_screen(pilot)
        (own_corpus / "storm.md").write_text(STORM, encoding="utf-8")
        (own_corpus / "flood.md").write_text(FLOOD, encoding="utf-8")
        await shows(pilot, lambda: {"storm.md", "flood.md"} <= set(titles(pilot)))
        await shows(pilot, lambda: screen.listing.new_ids == {"storm.md", "flood.md"})
        screen.article_list.move_to(screen.article_list.article_ids[-1])
        await pilot.press("w")
        first = screen.article_list.current_id
        await pilot.press("w")
        assert {first, screen.article_list.current_id} == {"storm.md", "flood.md"}
        await pilot.press("enter")
        await wait_until_idle(pilot)
        assert screen.listing.new_ids == {first}
        screen.live.clear_new()
        await pilot.press("escape", "w")
        assert not screen.listing.new_ids and "new" not in screen.status.info


async def test_a_burst_of_files_is_synced_in_a_few_batches(own_corpus: Path) -> None:
    count = 1_500
    async with watched(own_corpus) as pilot:
        screen = main_screen(pilot)
        batches = screen.live.batches
        started = time.monotonic()
        for number in range(count):
            (own_corpus / f"wire-{number:04d}.md").write_text(
                f"---\ntitle: Wire story {number}\ndate: 2031-01-01\n---\n\nStory number {number}.\n", encoding="utf-8"
            )
        wrote = time.monotonic() - started
        took = await shows(pilot, lambda: len(screen.summaries) == 5 + count, seconds=max(120.0, budget() * 30))
        await wait_until_idle(pilot)
        assert len(screen.article_list.article_ids) == 5 + count
        assert len(screen.listing.new_ids) == count
        assert screen.live.batches - batches <= 12  # batched, not one sync per file
    print(f"{count} files written in {wrote:.2f} s, all listed {took:.2f} s later, in "
          f"{screen.live.batches - batches} batches")


async def test_polling_watches_the_folder_too(own_corpus: Path) -> None:
    settings_path().write_text(json.dumps({"watch": "poll"}), encoding="utf-8")
    async with watched(own_corpus) as pilot:
        screen = main_screen(pilot)
        assert "polling" in screen.live.how
        (own_corpus / "storm.md").write_text(STORM, encoding="utf-8")
        await shows(pilot, lambda: "storm.md" in titles(pilot))


async def test_watching_can_be_turned_off_and_on_again_catching_up(own_corpus: Path) -> None:
    settings_path().write_text(json.dumps({"watch": "off"}), encoding="utf-8")
    async with watched(own_corpus) as pilot:
        screen = main_screen(pilot)
        assert not screen.live.watching
        (own_corpus / "storm.md").write_text(STORM, encoding="utf-8")
        await wait_until_idle(pilot)
        assert "storm.md" not in titles(pilot)
        screen.live.toggle()
        await shows(pilot, lambda: "storm.md" in titles(pilot))  # the rescan on turning it on
        assert screen.live.watching and screen.settings.watch == "auto"
        (own_corpus / "flood.md").write_text(FLOOD, encoding="utf-8")
        await shows(pilot, lambda: "flood.md" in titles(pilot))


async def test_a_folder_moved_away_leaves_the_list_and_is_followed_when_back(own_corpus: Path) -> None:
    async with watched(own_corpus) as pilot:
        screen = main_screen(pilot)
        before = titles(pilot)
        away = own_corpus.with_name("away")
        own_corpus.rename(away)
        await shows(pilot, lambda: screen.live.gone, seconds=budget() * 3)
        # Its articles are hidden (issue 14: nothing vanished is listed), said once, not dropped.
        await shows(pilot, lambda: not titles(pilot))
        told = [str(note.message) for note in pilot.app._notifications]
        assert len([message for message in told if "is not there any more" in message]) == 1
        away.rename(own_corpus)
        (own_corpus / "storm.md").write_text(STORM, encoding="utf-8")
        await shows(pilot, lambda: "storm.md" in titles(pilot), seconds=budget() * 3)
        assert not screen.live.gone and set(titles(pilot)) == {*before, "storm.md"}
        assert len([note for note in pilot.app._notifications if "is back" in str(note.message)]) == 1


async def test_the_cursor_stays_on_its_article_or_moves_to_the_next_when_it_goes(own_corpus: Path) -> None:
    async with watched(own_corpus) as pilot:
        screen = main_screen(pilot)
        rows = screen.article_list.article_ids
        await pilot.press("j", "j")
        assert screen.article_list.current_id == rows[2]
        (own_corpus / "storm.md").write_text(STORM, encoding="utf-8")  # listed first: newest
        await shows(pilot, lambda: "storm.md" in titles(pilot))
        assert screen.article_list.current_id == rows[2]
        (own_corpus / rows[2]).unlink()
        await shows(pilot, lambda: rows[2] not in titles(pilot))
        assert screen.article_list.current_id == rows[3]
