"""The Quotes section of the side panel: each direct quote of the open article with its speaker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.text import visible

QUOTE_PREVIEW_CHARS = 160


class QuoteLike(Protocol):
    """What the panel reads of ``reader.core.extraction.Quote``."""

    text: str
    start: int
    end: int
    speaker: str | None
    speaker_kind: str


class QuotesPanel(OptionList):
    """Choosing a quote (Enter or click) asks the screen to scroll the text to it.

    The highlighted row follows the reading position, so the panel also answers "which quote
    am I in?".
    """

    class QuoteChosen(Message):
        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="quotes.down"),
        Binding("k", "cursor_up", "Up", show=False, id="quotes.up"),
        Binding("g", "first", "First", show=False, id="quotes.first"),
        Binding("G", "last", "Last", show=False, id="quotes.last"),
    ]

    COMPONENT_CLASSES = {"quotes-panel--speaker"}

    quote_count = 0

    def show_quotes(self, quotes: Sequence[QuoteLike]) -> None:
        self.quote_count = len(quotes)
        self.clear_options()
        if not quotes:
            self.add_option(Option(Content("No direct quotes"), disabled=True))
            return
        self.add_options(Option(self._prompt(quote)) for quote in quotes)

    def show_message(self, message: str) -> None:
        self.quote_count = 0
        self.clear_options()
        self.add_option(Option(Content(message), disabled=True))

    def follow_reading(self, index: int | None) -> None:
        """Highlight the quote being read, without choosing it (no scroll back in the text)."""
        if index is not None and index < self.quote_count:
            self.highlighted = index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < self.quote_count:
            self.post_message(self.QuoteChosen(event.option_index))

    def on_focus(self) -> None:
        """Arriving by keyboard, Enter should act on the first entry straight away."""
        if self.highlighted is None and self.quote_count:
            self.highlighted = 0

    @staticmethod
    def _prompt(quote: QuoteLike) -> Content:
        text = visible(quote.text, QUOTE_PREVIEW_CHARS)
        speaker = visible(quote.speaker, 80) if quote.speaker else "speaker not named"
        return Content.assemble(f"“{text}”\n", (f"— {speaker}", ".quotes-panel--speaker"))
