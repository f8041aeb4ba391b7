"""One line under the search bar: what the list shows, one-line errors, and indexing progress."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from reader.core.models import SearchResult
from reader.core.text import visible

_BAR_CELLS = 16


class StatusBar(Widget):
    """Left: counts, order and filters, or an error in place of them. Right: sync progress."""

    COMPONENT_CLASSES = {"status-bar--error", "status-bar--progress", "status-bar--bar"}

    info: reactive[str] = reactive("")
    error: reactive[str] = reactive("")
    progress: reactive[tuple[int, int] | None] = reactive(None)
    progress_label: reactive[str] = reactive("Indexing")

    def render(self) -> Content:
        width = self.content_region.width
        right = self._progress_text()
        if self.error:
            left = Content.styled(f"✖ {self.error}", ".status-bar--error")
        else:
            left = Content(self.info)
        room = max(width - right.cell_length - 1, 0)
        return Content.assemble(left.truncate(room, ellipsis=True, pad=True), " ", right)

    def _progress_text(self) -> Content:
        if self.progress is None:
            return Content("")
        done, total = self.progress
        if total <= 0:
            return Content.styled(f"{self.progress_label}…", ".status-bar--progress")
        filled = round(_BAR_CELLS * min(done, total) / total)
        return Content.assemble(
            (f"{self.progress_label} ", ".status-bar--progress"),
            ("━" * filled, ".status-bar--bar"),
            ("╺" + "─" * max(_BAR_CELLS - filled - 1, 0) if filled < _BAR_CELLS else "", ".status-bar--progress"),
            (f" {done:,}/{total:,}", ".status-bar--progress"),
        )


def list_info(
    count: int, result: SearchResult | None, unread: int, sort: str, new: int, found: tuple[int, int] | None
) -> str:
    """The status line: rows listed (or hits), unread, the order, new arrivals listed (✚), and
    the open article's quotes and people (``found``)."""
    if result is not None:
        total = max(result.total, count)
        shown = f"{total:,} hit{'s' if total != 1 else ''} for {visible(result.query, 80)}"
        if total > count:
            shown = f"{count:,} of {shown}"
    else:
        shown = f"{count:,} article{'s' if count != 1 else ''}"
    info = f"{shown} · {unread:,} unread · sorted by {sort}"
    if new:
        info += f" · ✚ {new:,} new (w)"
    if found is not None:
        quotes, people = found
        info += f" · open: {quotes} quote{'s' if quotes != 1 else ''} (\"), {people} people (p)"
    return info
