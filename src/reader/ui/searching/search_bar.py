"""The search bar: searches as you type, after a short pause, and hands the keyboard on.

Its keys are priority bindings: Textual runs those as the key arrives, before the keys after it
are handed to a widget, so in "kim⏎j" typed faster than a busy app handles keys, the "j" still
reaches the list and not the bar."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

DEBOUNCE_SECONDS = 0.005
"""Wait this long after a keystroke before searching: keys that arrive together (a terminal
sending a paste key by key) become one query. It is counted in every keystroke's latency, so
it is short: typing faster than the search runs is handled by the controller, which stops a
stale search at its next check and searches only the newest query."""


class SearchBar(Input):
    """An Input that reports a settled query (``QueryChanged``); Enter and ↓ move on to the next
    pane (the list), Esc clears the query and, when it is empty, moves on too."""

    BINDINGS = [
        Binding("escape", "clear_query", "Clear search", id="search.clear", priority=True),
        Binding("enter,down", "leave", "To list", show=False, id="search.to_list", priority=True),
    ]

    class QueryChanged(Message):
        """The query settled (typing paused) or was cleared; ``query`` is stripped."""

        def __init__(self, query: str) -> None:
            self.query = query
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder="Search  (/)   e.g.  climate  ·  \"exact phrase\"  ·  person:\"Name\"  ·  tag:name",
            id=id,
            select_on_focus=False,
        )
        self._debounce: Timer | None = None
        self.settled_query = ""

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self._settle)

    def _settle(self) -> None:
        self._debounce = None
        query = self.value.strip()
        if query != self.settled_query:
            self.settled_query = query
            self.post_message(self.QueryChanged(query))

    def set_query(self, query: str) -> None:
        """Put ``query`` in the bar (a person or tag filter) and search for it at once."""
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        with self.prevent(Input.Changed):
            self.value = query
        self.cursor_position = len(query)
        self.settled_query = query.strip()
        self.post_message(self.QueryChanged(self.settled_query))

    def action_clear_query(self) -> None:
        if self.value:
            self.set_query("")
        else:
            self.screen.focus_next()

    def action_leave(self) -> None:
        self._settle_now()
        self.screen.focus_next()  # at once, like tab: a message would arrive after the next key

    def _settle_now(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._settle()
