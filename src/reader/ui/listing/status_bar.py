"""One line under the search bar: what the list shows, one-line errors, and indexing progress."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from reader.core.models import SearchResult
from reader.core.text import visible

_BAR_CELLS = 16


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def listed(count: int, result: SearchResult | None) -> str:
    """``5 articles``, or ``20 of 312 hits for kanye`` while searching (``20 of about 4,400
    hits`` when counting stopped at its budget)."""
    if result is None:
        return _plural(count, "article")
    total = max(result.total, count)
    about = "about " if result.estimated and total > count else ""
    shown = f"{about}{_plural(total, 'hit')} for {visible(result.query, 80)}"
    return f"{count:,} of {shown}" if total > count else shown


def coverage(result: SearchResult | None) -> tuple[int, int] | None:
    """(indexed, listed) when a search ran while the index was still being built."""
    return None if result is None or result.covers_all else (result.indexed, result.listed)


def describe(
    shown: str,
    unread: int,
    sort: str,
    *,
    open_counts: tuple[int, int] | None = None,
    collapsed: bool = False,
    new: int = 0,
    searched: tuple[int, int] | None = None,
) -> tuple[str, str]:
    """The status line in full, and in short for a narrow terminal: what is listed (and, while
    the index is built, how much a search ``searched``: indexed of listed), how many unread,
    the order, whether copies are collapsed, how many listed are new (✚), and the open
    article's quotes and people."""
    full = [shown, f"{unread:,} unread", f"sorted by {sort}"]
    short = [shown, f"{unread:,} unread", sort]
    if searched is not None:
        full.insert(1, f"searching {searched[0]:,} of {searched[1]:,} indexed")
        short.insert(1, f"{searched[0]:,}/{searched[1]:,} indexed")
    if collapsed:
        full.append("copies collapsed (D)")
        short.append("copies collapsed")
    if new:
        full.append(f"✚ {new:,} new (w)")
        short.append(f"✚ {new:,} new")
    if open_counts is not None:
        quotes, people = _plural(open_counts[0], "quote"), _plural(open_counts[1], "person", "people")
        full.append(f'open: {quotes} ("), {people} (p)')
        short.append(f"{quotes}, {people}")
    return " · ".join(full), " · ".join(short)


class StatusBar(Widget):
    """Left: counts, order and filters, or an error in place of them. Right: sync progress."""

    COMPONENT_CLASSES = {"status-bar--error", "status-bar--progress", "status-bar--bar"}

    info: reactive[str] = reactive("")
    short_info: reactive[str] = reactive("")
    """``info`` in fewer words, shown when ``info`` does not fit."""
    error: reactive[str] = reactive("")
    progress: reactive[tuple[int, int] | None] = reactive(None)
    progress_label: reactive[str] = reactive("Indexing")

    def render(self) -> Content:
        width = self.content_region.width
        right = self._progress_text()
        room = max(width - right.cell_length - 1, 0)
        if self.error:
            left = Content.styled(f"✖ {self.error}", ".status-bar--error")
        elif Content(self.info).cell_length <= room or not self.short_info:
            left = Content(self.info)
        else:
            left = Content(self.short_info)
        return Content.assemble(left.truncate(room, ellipsis=True, pad=True), " ", right)

    def _progress_text(self) -> Content:
        if self.progress is None:
            return Content("")
        done, total = self.progress
        if total <= 0:
            return Content.styled(f"{self.progress_label}…", ".status-bar--progress")
        if done >= total:  # every file read and analysed: the last segments are being written
            return Content.styled(f"{self.progress_label}: writing the index…", ".status-bar--progress")
        filled = round(_BAR_CELLS * min(done, total) / total)
        return Content.assemble(
            (f"{self.progress_label} ", ".status-bar--progress"),
            ("━" * filled, ".status-bar--bar"),
            ("╺" + "─" * max(_BAR_CELLS - filled - 1, 0) if filled < _BAR_CELLS else "", ".status-bar--progress"),
            (f" {done:,}/{total:,}", ".status-bar--progress"),
        )

