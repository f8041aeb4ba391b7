"""Searching as you type: hits with snippets, Enter/↓ to the list, n/N, Esc, bad queries."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.ui.conftest import idle, main_screen, running, until
from textual import events
from textual.pilot import Pilot

from reader.core.index.query import SearchCancelled
from reader.core.library import Library
from reader.ui.searching.search_bar import SearchBar


async def test_typing_searches_and_lists_ranked_hits_with_snippets(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"divorce")
        assert isinstance(screen.focused, SearchBar)
        await until(pilot, lambda: screen.result is not None)
        await idle(pilot)
        expected = [hit.id for hit in Library(corpus).search("divorce", limit=1000).hits]
        assert screen.article_list.article_ids == expected
        assert len(expected) == 3
        assert "3 hits for divorce" in screen.status.info
        assert screen.article_list.row_height == 3  # title, meta and a snippet line per hit
        strip_text = "".join(screen.article_list.render_line(y).text for y in range(3))
        assert "divorc" in strip_text


async def test_enter_moves_to_the_list_and_n_jumps_between_matches(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"divorce", "enter")
        await idle(pilot)
        assert screen.focused is screen.article_list
        await pilot.press("enter")
        await idle(pilot)
        pane = screen.reading_pane
        assert len(pane.marks) >= 2
        await pilot.press("n")
        assert pane.current_match == 0
        await pilot.press("n", "n")
        assert pane.current_match == 2 % len(pane.marks)
        await pilot.press("N")
        assert pane.current_match == 1
        start, _ = pane.marks[1]
        assert pane.article is not None
        assert pane.article.text[start:].lower().startswith("divorc")
        line = pane.line_of_offset(start)
        assert pane.top_line <= line < pane.top_line + pane.scrollable_content_region.height


async def test_down_arrow_leaves_the_search_bar_and_escape_clears(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"kardashian", "down")
        await idle(pilot)
        assert screen.focused is screen.article_list
        assert screen.result is not None
        await pilot.press("slash", "escape")
        await idle(pilot)
        assert screen.search_bar.value == ""
        assert screen.result is None
        assert len(screen.article_list.article_ids) == 5


async def test_escape_in_the_list_clears_the_search(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"divorce", "enter")
        await idle(pilot)
        await pilot.press("escape")
        await idle(pilot)
        assert screen.query_text == ""
        assert len(screen.article_list.article_ids) == 5


async def test_a_bad_query_shows_one_line_and_keeps_the_app_running(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"nosuchfield:x", "enter")
        await idle(pilot)
        assert pilot.app.is_running
        assert "unknown field" in screen.status.error
        assert "\n" not in screen.status.error
        await pilot.press("slash", "ctrl+u", *"divorce", "enter")
        await idle(pilot)
        assert screen.status.error == ""
        assert len(screen.article_list.article_ids) == 3


async def test_only_the_latest_query_is_shown(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"kim", "enter")
        await pilot.press("slash", "ctrl+u", *"divorce", "enter")
        await idle(pilot)
        assert screen.result is not None
        assert screen.result.query == "divorce"
        assert len(screen.article_list.article_ids) == 3


def _hold_search(
    monkeypatch: pytest.MonkeyPatch, held_query: str, hold: Callable[[Any], object]
) -> list[tuple[str, str]]:
    """Library.search, with the search for ``held_query`` held at its first stop check by
    ``hold(stop)``; the returned list gets (query, "stopped" or "finished") as searches end."""
    original = Library.search
    outcomes: list[tuple[str, str]] = []

    def held_search(self: Library, query: str, limit: int | None = 200, **options: Any) -> Any:
        stop = options.pop("stop")

        def held_stop() -> bool:
            if query == held_query:
                hold(stop)
            return bool(stop())

        try:
            result = original(self, query, limit, stop=held_stop, **options)
        except SearchCancelled:
            outcomes.append((query, "stopped"))
            raise
        outcomes.append((query, "finished"))
        return result

    monkeypatch.setattr(Library, "search", held_search)
    return outcomes


async def test_a_query_typed_while_a_search_runs_stops_it(corpus: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The search for "kim" stands still at its first check until told to stop; typing
    "divorce" stops it, and only divorce's hits are ever shown."""
    # the event the controller sets when a newer query comes
    outcomes = _hold_search(monkeypatch, "kim", lambda stop: stop.__self__.wait(30))
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        shown: list[str] = []
        original_finished = screen.search.finished
        monkeypatch.setattr(screen.search, "finished", lambda message: shown.append(message.query) or original_finished(message))
        await pilot.press("slash", *"kim")
        await until(pilot, lambda: screen.search.running and screen.search._running[0] == "kim")
        await pilot.press("ctrl+u", *"divorce")
        await until(pilot, lambda: screen.result is not None and screen.result.query == "divorce")
        await idle(pilot)
        assert ("kim", "stopped") in outcomes and ("kim", "finished") not in outcomes
        assert outcomes[-1] == ("divorce", "finished")
        assert "kim" not in shown and shown[-1] == "divorce"
        assert len(screen.article_list.article_ids) == 3
        assert screen.status.error == ""


async def test_a_closing_quote_typed_while_its_phrase_is_searched_lets_it_finish(corpus: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """'"kim' and '"kim"' are the same search: the running one is not stopped, and its hits
    are shown for the newer text."""
    original = Library.search
    release = threading.Event()
    outcomes = _hold_search(monkeypatch, '"kim', lambda _: release.wait(30))  # until the closing quote is typed
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", "quotation_mark", *"kim")
        await until(pilot, lambda: screen.search.running and screen.search._running[0] == '"kim')
        await pilot.press("quotation_mark")
        await until(pilot, lambda: screen.query_text == '"kim"')
        release.set()
        await until(pilot, lambda: screen.result is not None and screen.result.query == '"kim"')
        await idle(pilot)
        assert ('"kim', "finished") in outcomes and ('"kim', "stopped") not in outcomes
        expected = [hit.id for hit in original(Library(corpus), '"kim"', limit=1000).hits]
        assert expected and screen.article_list.article_ids == expected


async def test_s_cycles_relevance_date_title_outlet_while_searching(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"kardashian", "enter")
        await idle(pilot)
        assert screen.sort == "relevance"
        await pilot.press("s")
        await idle(pilot)
        assert screen.sort == "date"
        await pilot.press("s")
        await idle(pilot)
        assert screen.sort == "title"
        titles = [screen.summaries[i].title.casefold() for i in screen.article_list.article_ids]
        assert titles == sorted(titles)
        await pilot.press("escape")
        await idle(pilot)
        assert screen.sort == "date"  # the whole list keeps its own order


async def test_scrolling_to_the_end_of_the_hits_fetches_more(corpus: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.ui.searching import search_controller as main

    monkeypatch.setattr(main, "SEARCH_LIMIT", 2)
    monkeypatch.setattr(main, "MORE_MARGIN", 1)
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"kim", "enter")
        await idle(pilot)
        assert len(screen.article_list.article_ids) == 2
        assert "2 of 5 hits" in screen.status.info
        await pilot.press("j")
        await idle(pilot)
        assert len(screen.article_list.article_ids) == 5
        assert screen.article_list.cursor == 1


def queue_keys(pilot: Pilot[None], keys: list[tuple[str, str | None]]) -> None:
    """Post key events all at once, before any is handled: what a busy app gets from a terminal."""
    for key, char in keys:
        event = events.Key(key, char)
        event.set_sender(pilot.app)
        pilot.app.post_message(event)


async def test_letters_typed_right_after_slash_land_in_the_bar(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        queue_keys(pilot, [("slash", "/"), ("k", "k"), ("i", "i"), ("m", "m")])
        await until(pilot, lambda: screen.search_bar.value == "kim")
        assert isinstance(screen.focused, SearchBar)
        await pilot.press("slash")  # in the bar, "/" is text
        assert screen.search_bar.value == "kim/"


async def test_keys_typed_right_after_enter_reach_the_list(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"kim")
        await until(pilot, lambda: screen.result is not None and screen.result.query == "kim")
        await idle(pilot)
        queue_keys(pilot, [("enter", "\r"), ("j", "j")])
        await until(pilot, lambda: screen.focused is screen.article_list)
        await idle(pilot)
        assert screen.search_bar.value == "kim"  # not "kimj"
        assert screen.article_list.cursor == 1  # the "j" moved the list's cursor


async def test_an_estimated_count_shows_as_about(corpus: Path) -> None:
    """Past its counting budget (a large folder) a search's total is an estimate: the status
    line says so. The seeds are too few to pass the budget, so the result is made estimated."""
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"divorce")
        await until(pilot, lambda: screen.result is not None)
        await idle(pilot)
        assert screen.result is not None and not screen.result.estimated
        assert "3 hits for divorce" in screen.status.info and "about" not in screen.status.info
        screen.search.result = dataclasses.replace(screen.result, total=4_400, estimated=True)
        screen.update_info()
        assert "3 of about 4,400 hits for divorce" in screen.status.info


async def test_the_unread_count_beside_hits_counts_listed_articles_only(corpus: Path) -> None:
    """The status line's unread count, worked out at every search from the read marks: a mark
    of an article no longer in the folder does not lower it."""
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        listed = sorted(screen.summaries)
        screen.mark_read([listed[0]], read=True)
        screen.read_ids.add("gone/from-the-folder.md")
        await pilot.press("slash", *"divorce")
        await until(pilot, lambda: screen.result is not None and screen.result.query == "divorce")
        assert f"{len(listed) - 1} unread" in screen.status.info


async def test_the_index_is_opened_for_searching_once_the_bar_has_the_keyboard(corpus: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Opening the index costs ~0.1 s at 100k: done at the first "/", while the first key is
    typed; not at start, where the first paint and the start-up sync come first."""
    prepared: list[str] = []
    original = Library.prepare_search
    monkeypatch.setattr(
        Library, "prepare_search", lambda self, typed="": prepared.append(typed or "opened") or original(self, typed)
    )
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await idle(pilot)
        assert prepared == []
        await pilot.press("slash")
        await until(pilot, lambda: prepared == ["opened"])
        await pilot.press("escape", "slash", *"divorce")
        await until(pilot, lambda: screen.result is not None and screen.result.query == "divorce")
        await idle(pilot)
        assert len(screen.article_list.article_ids) == 3
        # Opened once; then each search's query, its last word worked out ahead as a prefix.
        assert prepared[0] == "opened" and prepared[-1] == "divorce"
        assert all(typed != "opened" and "divorce".startswith(typed) for typed in prepared[1:])


async def test_a_word_typed_and_searched_has_its_prefix_worked_out_for_a_star_typed_next(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"divor")
        await until(pilot, lambda: screen.result is not None and screen.result.query == "divor")
        await idle(pilot)
        index = screen.library._index()
        assert index._cache.expansions.known_prefix("body", "divor") is not None
        await pilot.press("asterisk")
        await until(pilot, lambda: screen.result is not None and screen.result.query == "divor*")
        assert screen.article_list.article_ids == [hit.id for hit in Library(corpus).search("divor*", limit=50).hits]
