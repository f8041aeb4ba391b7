"""The other articles that carry a quote: choose one to read the quote there."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.core.cross_article import QuoteOccurrence
from reader.core.text import visible

QUOTE_PREVIEW_CHARS = 200


def occurrence_label(occurrence: QuoteOccurrence) -> Content:
    """Title, then outlet and date, then the quote as worded in that article."""
    meta = " · ".join(
        part
        for part in (
            visible(occurrence.outlet or "", 60),
            occurrence.date.strftime("%Y-%m-%d") if occurrence.date is not None else "undated",
            visible(occurrence.article_id, 60),
        )
        if part
    )
    return Content.assemble(
        (visible(occurrence.title or occurrence.article_id, 200), "bold"),
        "\n",
        (meta, "$reader-muted"),
        "\n",
        (f"“{visible(occurrence.text, QUOTE_PREVIEW_CHARS)}”", "italic"),
    )


class QuoteSources(ModalScreen[QuoteOccurrence | None]):
    """Enter jumps to the chosen article with the quote in view; Esc closes."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="sources.close"),
    ]

    def __init__(self, quote: str, occurrences: Sequence[QuoteOccurrence]) -> None:
        super().__init__()
        self.quote = quote
        self.occurrences = tuple(occurrences)

    def compose(self) -> ComposeResult:
        with Vertical(id="sources-dialog", classes="corpus-view-dialog") as dialog:
            count = len(self.occurrences)
            dialog.border_title = f"Also in {count} article{'s' if count != 1 else ''}"
            dialog.border_subtitle = "enter read it there · esc close"
            yield Static(Content(f"“{visible(self.quote, QUOTE_PREVIEW_CHARS)}”"), id="sources-quote")
            yield OptionList(
                *(Option(occurrence_label(occurrence)) for occurrence in self.occurrences),
                id="sources-list",
            )

    def on_mount(self) -> None:
        options = self.query_one("#sources-list", OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#sources-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.occurrences[event.option_index])
