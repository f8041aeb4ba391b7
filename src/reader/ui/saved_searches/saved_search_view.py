"""Every saved search, with how many articles it finds in this folder and how many of them are
new since it was last opened here. Enter opens one; d removes it (asked twice); r renames it.

Counting runs every query, which takes a while on a large folder, so the view opens at once and
fills in from a thread worker.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.core.tags.saved_searches import SavedSearch, SavedSearchStatus
from reader.core.text import visible
from reader.ui.layout_text import ReadableOptionList

SUBTITLE = "enter open · d remove · r rename · esc close"
NAME_CELLS = 40
"""The widest the names' column gets; longer names are cut with an ellipsis."""


def status_label(status: SavedSearchStatus) -> Content:
    """"12 articles · ✚ 3 new", "never opened here", or why the query does not run."""
    if status.error is not None:
        return Content.styled(visible(status.error, 120), "$reader-error")
    if status.count is None:
        return Content.styled("counting…", "$reader-muted")
    count = Content(f"{status.count:,} article{'s' if status.count != 1 else ''}")
    if status.new is None:
        return Content.assemble(count, (" · never opened here", "$reader-muted"))
    if status.new:
        return Content.assemble(count, " · ", (f"✚ {status.new:,} new", "bold $reader-success"))
    return Content.assemble(count, (" · nothing new", "$reader-muted"))


class SavedSearchView(ModalScreen[SavedSearch | None]):
    """The saved searches; closes with the one to open, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="saved_view.close"),
        Binding("d,delete", "remove", "Remove", id="saved_view.remove"),
        Binding("r", "rename", "Rename", id="saved_view.rename"),
    ]

    class Counted(Message):
        def __init__(self, statuses: list[SavedSearchStatus], error: str | None = None) -> None:
            self.statuses = statuses
            self.error = error
            super().__init__()

    def __init__(
        self,
        count: Callable[[], list[SavedSearchStatus]],
        remove: Callable[[str], None],
        rename: Callable[[str, str], None],
    ) -> None:
        """``count``, ``remove`` and ``rename`` call the library: they run in this view's workers."""
        super().__init__()
        self._count = count
        self._remove = remove
        self._rename = rename
        self.statuses: list[SavedSearchStatus] = []
        self._confirm: str | None = None  # the name ``d`` was pressed on once

    def compose(self) -> ComposeResult:
        with Vertical(id="saved-dialog", classes="corpus-view-dialog") as dialog:
            dialog.border_title = "Saved searches"
            dialog.border_subtitle = SUBTITLE
            options = ReadableOptionList(id="saved-list")
            options.loading = True
            yield options

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="saved-view")
    def _load(self, change: Callable[[], None] | None = None) -> None:
        """Count every saved search (after ``change``, a removal or a rename)."""
        try:
            if change is not None:
                change()
            statuses = self._count()
        except Exception as error:  # noqa: BLE001 - the store or the index failed: one line
            self.post_message(self.Counted(self.statuses, f"{type(error).__name__}: {error}"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Counted(statuses))

    def on_saved_search_view_counted(self, message: Counted) -> None:
        if message.error is not None:
            self.notify(visible(message.error, 300), severity="error", markup=False)
        self.statuses = message.statuses
        options = self.query_one("#saved-list", OptionList)
        highlighted = options.highlighted
        options.loading = False
        options.clear_options()
        if not self.statuses:
            empty = "No saved searches yet: search ( / ), then ctrl+s saves the query under a name."
            options.add_option(Option(Content.styled(empty, "$reader-muted italic"), disabled=True))
        names = [Content(visible(status.search.name, 80)) for status in self.statuses]
        width = min(max((name.cell_length for name in names), default=0), NAME_CELLS)
        for name, status in zip(names, self.statuses, strict=True):
            options.add_option(Option(self._label(name.truncate(width, ellipsis=True, pad=True), status)))
        if self.statuses:
            options.highlighted = min(highlighted or 0, len(self.statuses) - 1)
        options.focus()

    @staticmethod
    def _label(name: Content, status: SavedSearchStatus) -> Content:
        """The name (in a column as wide as the longest), its counts, and the query under it."""
        query = Content.styled(f"  {visible(status.search.query, 200)}", "$reader-muted")
        return Content.assemble(name.stylize("bold"), "   ", status_label(status), "\n", query)

    @property
    def highlighted(self) -> SavedSearchStatus | None:
        index = self.query_one("#saved-list", OptionList).highlighted
        return self.statuses[index] if index is not None and 0 <= index < len(self.statuses) else None

    @on(OptionList.OptionHighlighted, "#saved-list")
    def _moved(self) -> None:
        self._confirm = None
        self.query_one("#saved-dialog").border_subtitle = SUBTITLE

    @on(OptionList.OptionSelected, "#saved-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.statuses):
            self.dismiss(self.statuses[event.option_index].search)

    def action_remove(self) -> None:
        status = self.highlighted
        if status is None:
            return
        name = status.search.name
        if self._confirm != name:
            self._confirm = name
            self.query_one("#saved-dialog").border_subtitle = f"press d again to remove {visible(name, 60)}"
            return
        self._confirm = None
        self.query_one("#saved-dialog").border_subtitle = SUBTITLE
        self._load(lambda: self._remove(name))
        self.notify(visible(f"Removed the saved search {name}", 200), markup=False)

    def action_rename(self) -> None:
        from reader.ui.saved_searches.save_search_dialog import SaveSearchDialog

        status = self.highlighted
        if status is None:
            return
        old = status.search.name
        existing = {each.search.name: each.search.query for each in self.statuses}

        def renamed(new: str | None) -> None:
            if new is not None and new != old:
                self._load(lambda: self._rename(old, new))

        self.app.push_screen(SaveSearchDialog(status.search.query, existing, renaming=old), renamed)
