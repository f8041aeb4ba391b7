"""Which pane of the main screen has the keyboard: narrow layouts show one pane at a time, by
the focus, so moving the focus also shows the pane."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.screen import Screen
from textual.widget import Widget

from reader.ui.listing.article_list import ArticleList
from reader.ui.reading.highlights_panel import HighlightsPanel
from reader.ui.reading.people_panel import PeoplePanel
from reader.ui.reading.quotes_panel import QuotesPanel
from reader.ui.reading.reading_pane import ReadingPane
from reader.ui.searching.search_bar import SearchBar

PANES = ("search", "articles", "reader", "quotes", "highlights", "people")
"""The widget ids ``tab`` walks through, in order."""


def side_panels() -> Iterator[Widget]:
    """The sections of the side panel, with their titles, top to bottom."""
    for panel, title in ((QuotesPanel(id="quotes"), "Quotes"), (HighlightsPanel(id="highlights"), "Highlights"),
                         (PeoplePanel(id="people"), "People")):
        panel.border_title = title
        yield panel


def pane_of(widget: Widget) -> str | None:
    """The layout pane a widget is in: the list (with the search bar), the reader or the side."""
    if isinstance(widget, ReadingPane):
        return "reader"
    if isinstance(widget, (QuotesPanel, HighlightsPanel, PeoplePanel)):
        return "side"
    if isinstance(widget, (ArticleList, SearchBar)):
        return "list"
    return None


def mark_focus(screen: Screen[Any], widget: Widget) -> None:
    """Mark the pane holding ``widget`` as the one with the keyboard."""
    pane = pane_of(widget)
    if pane is None:
        return
    # On the panes container, not the screen: restyling the whole screen (footer and all) on
    # every focus change would cost a visible pause.
    panes = screen.query_one("#panes")
    for name in ("list", "reader", "side"):
        panes.set_class(pane == name, f"-focus-{name}")


def focus_pane(screen: Screen[Any], name: str) -> None:
    """Focus a widget by id, first making its pane visible in layouts that hide it."""
    widget = screen.query_one(f"#{name}")
    mark_focus(screen, widget)
    # At once, not via widget.focus() (which waits a turn): keys typed right after "/" must land
    # in the search bar.
    screen.set_focus(widget)


def next_pane(focused: Widget | None, step: int) -> str:
    """The id of the pane ``step`` places from the focused one (``tab`` and ``shift+tab``)."""
    current = focused.id if focused is not None else None
    index = PANES.index(current) if current in PANES else 0
    return PANES[(index + step) % len(PANES)]
