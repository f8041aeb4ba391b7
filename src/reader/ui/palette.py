"""Command palette entries for every action: open by title, filter by tag or person, and the rest.

The palette reads help texts as markup: each is escaped, so a query or a file name is shown as
written (``date:[2020 TO 2021]``, ``[red]``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from reader.core.text import visible, visible_name

if TYPE_CHECKING:
    from reader.ui.main_screen import MainScreen

from reader.core.tags.saved_searches import SavedSearch
from reader.ui.saved_searches.saved_search_view import status_label

MAX_TITLE_HITS = 40
"""Titles offered per query; at 100k articles a fuzzy match over all would stall the palette."""


class ReaderCommands(Provider):
    """Actions of the main screen, every known tag, the open article's people, and titles."""

    async def startup(self) -> None:
        self.tags: list[tuple[str, int]] = []
        self.saved: list[SavedSearch] = []
        screen = self._main_screen()
        if screen is not None:
            self.tags = await asyncio.to_thread(screen.library.all_tags)
            self.saved = await asyncio.to_thread(_saved_searches, screen)

    def _main_screen(self) -> MainScreen | None:
        from reader.ui.main_screen import MainScreen

        return self.screen if isinstance(self.screen, MainScreen) else None

    def _actions(self, screen: MainScreen) -> Iterator[tuple[str, Callable[[], object], str]]:
        yield "Search", screen.action_focus_search, "Type a query in the search bar ( / )"
        yield "Edit tags of this article", screen.action_edit_tags, "Add or remove tags ( t )"
        yield "Filter by tag…", screen.action_filter_by_tag, "Pick a tag to list its articles ( T )"
        if screen.query_text:
            yield "Tag all search results", screen.action_tag_results, "Add or remove tags on every hit ( ctrl+t )"
        yield "Toggle read", screen.action_toggle_read, "Mark the article read or unread ( u )"
        yield "Mark all read", screen.action_mark_all_read, "Every article listed now ( A )"
        if screen.listing.can_undo:
            yield "Undo mark all read", screen.action_undo_mark_read, "Unread again what A marked ( ctrl+z )"
        yield "Edit the article's file", screen.action_edit_file, "In $VISUAL or $EDITOR; indexed again after ( e )"
        yield "Read in the pager", screen.action_page_article, "The article's text in $PAGER ( v )"
        yield "Copy quote or path", screen.action_copy, "The quote chosen in Quotes, else the file's path ( y )"
        yield "Open the web page", screen.action_open_url, "The article's url in the browser ( O )"
        yield "Cycle sort order", screen.action_cycle_sort, f"Now sorted by {screen.sort} ( s )"
        yield "Show quotes", partial(screen.focus_pane, "quotes"), "Focus the quotes of the open article ( \" )"
        yield "Show people", partial(screen.focus_pane, "people"), "Focus the people of the open article ( p )"
        yield "Show highlights", partial(screen.focus_pane, "highlights"), "Your highlights and notes ( H )"
        yield "Highlight the sentence", partial(_highlight_sentence, screen), "At the reading cursor ( h in the text )"
        yield "Note…", screen.action_note, "On the highlight or the article you are on ( a )"
        yield "Remove highlight", partial(_remove_highlight, screen), "Under the reading cursor ( x in Highlights )"
        yield "Articles with highlights", partial(screen.filter_by, "has:highlight"), "Search has:highlight"
        yield "Articles with notes", partial(screen.filter_by, "has:note"), "Search has:note"
        if screen.open_article is not None:
            unfold = "Fold" if screen.reading_pane.show_furniture else "Unfold"
            yield (
                f"{unfold} page furniture and long runs",
                screen.reading_pane.action_toggle_furniture,
                "Share prompts, disclaimers, runs of characters without a space ( f )",
            )
        yield "People across articles", screen.action_people_across, "Everyone named or quoted in the list ( P )"
        yield "Timeline", screen.action_timeline, "Articles of the list by day, week or month ( L )"
        collapse = "Show copies" if screen.collapse_copies else "Collapse copies"
        yield collapse, screen.action_toggle_copies, "Near-duplicate articles in the list ( D )"
        yield "Export quotes of current result…", screen.action_export_quotes, "A quote sheet: .csv, .json or .md"
        yield "Next article", partial(screen.action_step_article, 1), "Open the next article ( ] )"
        yield "Previous article", partial(screen.action_step_article, -1), "Open the previous article ( [ )"
        if screen.query_text:
            yield "Save this search…", screen.action_save_search, "Keep the query under a name ( ctrl+s )"
        yield "Saved searches", screen.action_saved_searches, "Each with its count and what is new ( S )"
        new = len(screen.listing.new_ids)
        yield "Next new article", screen.action_next_new, f"{new:,} marked new (✚) since you last looked ( w )"
        if new:
            yield "Mark new articles as seen", screen.live.clear_new, f"Clear the ✚ of {new:,} articles"
        yield "Rescan the folder", screen.start_sync, "Look for new, changed and deleted files now"
        watching = "Stop watching the folder" if screen.live.watching else "Watch the folder for changes"
        yield watching, screen.live.toggle, f"Now {screen.live.how}"
        yield "Rebuild index", partial(screen.start_sync, True), "Re-read every file and rebuild the search index"
        yield "Help: keys", partial(screen.app.run_action, "help"), "Every key, and the ids to remap them ( ? )"

    async def discover(self) -> Hits:
        screen = self._main_screen()
        if screen is None:
            return
        for name, callback, help_text in self._actions(screen):
            yield DiscoveryHit(name, callback, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        screen = self._main_screen()
        if screen is None:
            return
        matcher = self.matcher(query)
        candidates: list[tuple[str, Callable[[], object], str]] = list(self._actions(screen))
        for tag, count in self.tags:
            candidates.append(
                (f"Filter by tag: {visible(tag, 80)}", partial(screen.filter_by_tag, tag), f"{count:,} articles")
            )
        for search in self.saved:
            known = screen.saved.known.get(search.name)
            counts = f" · {status_label(known).plain}" if known is not None else ""
            candidates.append(
                (
                    f"Saved search: {visible(search.name, 80)}",
                    partial(screen.saved.open, search.name, search.query),
                    visible(search.query, 100) + counts,
                )
            )
        for name in screen.people_names():
            candidates.append(
                (
                    f"Filter by person: {visible(name, 80)}",
                    partial(screen.filter_by_person, name),
                    "Articles that mention them",
                )
            )
        for text, callback, help_text in candidates:
            if (score := matcher.match(text)) > 0:
                yield Hit(score, matcher.highlight(text), callback, help=escape(help_text))
        for article_id, title in await asyncio.to_thread(self._titles_matching, screen, query):
            text = f"Open: {visible(title, 120)}"
            if (score := matcher.match(text)) > 0:
                opening = partial(screen.open_from_palette, article_id)
                yield Hit(score, matcher.highlight(text), opening, help=escape(visible_name(article_id, 120)))

    @staticmethod
    def _titles_matching(screen: MainScreen, query: str) -> list[tuple[str, str]]:
        """Titles holding every word of the query: a cheap filter before fuzzy scoring."""
        words = [word for word in query.casefold().split() if word not in ("open", "open:")]
        if not words:
            return []
        found: list[tuple[str, str]] = []
        for summary in list(screen.summaries.values()):
            article_id, title = summary.id, summary.title
            folded = title.casefold()
            if all(word in folded for word in words):
                found.append((article_id, title))
                if len(found) >= MAX_TITLE_HITS:
                    break
        return found


def _highlight_sentence(screen: MainScreen) -> None:
    """Select the sentence under the reading cursor, as ``h`` in the text does."""
    screen.focus_pane("reader")
    screen.reading_pane.action_select("highlight")


def _remove_highlight(screen: MainScreen) -> None:
    """Remove the highlight under the reading cursor, or the one chosen in the Highlights panel."""
    from reader.ui.reading.highlights_panel import HighlightsPanel

    index = screen.reading_pane.highlight_at_cursor()
    if index is None:
        index = screen.query_one(HighlightsPanel).highlight_index()
    if index is None:
        screen.notify("No highlight under the reading cursor or chosen in the Highlights panel.", severity="warning")
    else:
        screen.annotating.remove(index)


def _saved_searches(screen: MainScreen) -> list[SavedSearch]:
    """The saved searches, or none when the store cannot be read (the palette still opens)."""
    try:
        return screen.library.saved_searches().all()
    except (RuntimeError, OSError):
        return []
