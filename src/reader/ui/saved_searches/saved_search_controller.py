"""Saving the search in the bar (ctrl+s), listing the saved searches (S), and opening one.

Opening a saved search runs its query and remembers which articles it listed, in this folder;
those it lists next time that were not among them are "new since last opened", and are marked
new (✚) in the list when it is opened again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

from textual.binding import Binding
from textual.screen import Screen

from reader.core.library import Library
from reader.core.tags.saved_searches import SavedSearch, SavedSearchStatus
from reader.core.text import visible
from reader.ui.controller import Controller
from reader.ui.listing.list_controller import ListController
from reader.ui.messages import ForController

SAVED_SEARCH_BINDINGS = [
    Binding("ctrl+s", "save_search", "Save search", show=False, id="save_search"),
    Binding("S", "saved_searches", "Saved searches", show=False, id="saved_searches"),
]
"""Bound on the main screen (see ``SavedSearchActions``)."""

FAILURES = (ValueError, RuntimeError, OSError)
"""What saving or opening can meet: a query or name that is refused (``QueryError`` and
``SavedSearchError`` are ``ValueError``), an unavailable store (``TagStoreError``), a full disk."""


class SavedSearchHost(Protocol):
    """What saved searches need of the screen they serve."""

    library: Library
    listing: ListController

    @property
    def query_text(self) -> str: ...

    def filter_by(self, query: str) -> None: ...

    def update_info(self) -> None: ...


class SavedSearchController(Controller):
    def __init__(self, screen: Screen[Any], host: SavedSearchHost) -> None:
        super().__init__(screen)
        self.host = host
        self.known: dict[str, SavedSearchStatus] = {}
        """The last counts seen, by name: the palette shows them without running every query."""

    # -- saving ---------------------------------------------------------------------------------

    def save_current(self) -> None:
        """ctrl+s: ask a name for the query in the search bar, then save it."""
        query = self.host.query_text
        if not query:
            self.screen.notify("Search first ( / ): ctrl+s saves the query in the bar under a name.", timeout=4)
            return
        self.in_thread(partial(self._ask_name, query), "saved-searches")

    def _ask_name(self, query: str) -> None:
        from reader.ui.saved_searches.save_search_dialog import SaveSearchDialog

        try:
            existing = {search.name: search.query for search in self.host.library.saved_searches().all()}
        except FAILURES as error:
            self._tell_failure("The search cannot be saved", error)
            return
        dialog = SaveSearchDialog(query, existing)
        self.screen.app.call_from_thread(self.screen.app.push_screen, dialog, partial(self._named, query))

    def _named(self, query: str, name: str | None) -> None:
        if name:
            self.in_thread(partial(self._save, name, query), "saved-searches", exclusive=False)

    def _save(self, name: str, query: str) -> None:
        """In a worker: what the query finds now counts as seen, so only later arrivals are new."""
        library = self.host.library
        try:
            ids = library.matching_ids(query)
            saved = library.saved_searches().save(name, query, seen=ids)
        except FAILURES as error:
            self._tell_failure("The search was not saved", error)
            return
        self.known[saved.name] = SavedSearchStatus(saved, len(ids), 0)
        count = f"{len(ids):,} article{'s' if len(ids) != 1 else ''}"
        self._deliver(partial(self._notify, f"Saved search {visible(saved.name, 80)}: {count} (S lists them)."))

    # -- listing and opening --------------------------------------------------------------------

    def show_list(self) -> None:
        """S: the saved searches with their counts; the one chosen is opened."""
        from reader.ui.saved_searches.saved_search_view import SavedSearchView

        library = self.host.library

        def remove(name: str) -> None:
            library.saved_searches().remove(name)
            self.known.pop(name, None)

        def rename(old: str, new: str) -> None:
            library.saved_searches().rename(old, new)

        self.screen.app.push_screen(SavedSearchView(self.statuses, remove, rename), self._chosen)

    def statuses(self) -> list[SavedSearchStatus]:
        """Every saved search counted on this folder (slow: in a worker)."""
        found = self.host.library.saved_search_statuses()
        self.known = {status.search.name: status for status in found}
        return found

    def _chosen(self, search: SavedSearch | None) -> None:
        if search is not None:
            self.open(search.name, search.query)

    def open(self, name: str, query: str) -> None:
        """Run a saved search (its query in the bar), and remember what it listed."""
        self.host.filter_by(query)
        self.in_thread(partial(self._mark_opened, name, query), "saved-open")

    def _mark_opened(self, name: str, query: str) -> None:
        library = self.host.library
        try:
            ids = library.matching_ids(query)
            saved = library.saved_searches()
            before = saved.get(name)
            saved.mark_opened(name, ids)
        except FAILURES as error:
            self._tell_failure("The saved search could not be marked opened", error)
            return
        new = before.new_among(ids) if before is not None else None
        if before is not None:
            self.known[before.name] = SavedSearchStatus(before, len(ids), 0)
        self._deliver(partial(self._opened, name, len(ids), new))

    def _opened(self, name: str, count: int, new: frozenset[str] | None) -> None:
        text = f"{visible(name, 80)}: {count:,} article{'s' if count != 1 else ''}"
        if new is None:
            text += ", first opened in this folder"
        elif new:
            self.host.listing.mark_new(new)
            self.host.update_info()
            text += f", {len(new):,} new since you last opened it (✚, w goes to them)"
        else:
            text += ", nothing new since you last opened it"
        self.screen.notify(text, markup=False)

    # -- plumbing -------------------------------------------------------------------------------

    def _deliver(self, action: Callable[[], None]) -> None:
        self.screen.post_message(ForController(action))

    def _notify(self, text: str) -> None:
        self.screen.notify(text, markup=False)

    def _tell_failure(self, what: str, error: Exception) -> None:
        text = visible(f"{what}: {error}", 300)
        self._deliver(lambda: self.screen.notify(text, severity="error", markup=False))


class SavedSearchActions:
    """The main screen's ``ctrl+s`` and ``S`` (bound there), kept with what they do."""

    saved: SavedSearchController

    def action_save_search(self) -> None:
        self.saved.save_current()

    def action_saved_searches(self) -> None:
        self.saved.show_list()
