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
from reader.ui.layout_text import ReadableOptionList

QUOTE_PREVIEW_CHARS = 160


class QuoteLike(Protocol):
    """What the panel reads of ``reader.core.extraction.Quote``."""

    @property
    def text(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def speaker(self) -> str | None: ...

    @property
    def speaker_kind(self) -> str: ...


class QuotesPanel(ReadableOptionList):
    """Choosing a quote (Enter or click) asks the screen to scroll the text to it.

    The highlighted row follows the reading position, so the panel also answers "which quote
    am I in?".
    """

    class QuoteChosen(Message):
        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    class SourcesWanted(Message):
        """The user asked which other articles carry quote ``index`` (``o``)."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="quotes.down"),
        Binding("k", "cursor_up", "Up", show=False, id="quotes.up"),
        Binding("g", "first", "First", show=False, id="quotes.first"),
        Binding("G", "last", "Last", show=False, id="quotes.last"),
        Binding("o", "show_sources", "Also in…", id="quotes.sources"),
    ]

    COMPONENT_CLASSES = {"quotes-panel--speaker", "quotes-panel--also-in"}

    quote_count = 0
    quotes: tuple[QuoteLike, ...] = ()
    also_in: dict[int, int] = {}
    """Quote index -> how many other articles carry that quote."""

    def show_quotes(self, quotes: Sequence[QuoteLike]) -> None:
        self.quote_count = len(quotes)
        self.quotes = tuple(quotes)
        self.also_in = {}
        self.clear_options()
        if not quotes:
            self.add_option(Option(Content("No direct quotes"), disabled=True))
            return
        self.add_options(Option(self._prompt(quote)) for quote in quotes)

    def show_also_in(self, counts: dict[int, int]) -> None:
        """Mark the quotes other articles carry too (found after the quotes, in a worker)."""
        self.also_in = counts
        for index, count in counts.items():
            if index < self.quote_count:
                self.replace_option_prompt_at_index(index, self._prompt(self.quotes[index], count))

    def action_show_sources(self) -> None:
        index = self.highlighted
        if index is not None and index in self.also_in:
            self.post_message(self.SourcesWanted(index))
        else:
            self.app.bell()

    def show_message(self, message: str) -> None:
        self.quote_count = 0
        self.quotes = ()
        self.also_in = {}
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
    def _prompt(quote: QuoteLike, also_in: int = 0) -> Content:
        text = visible(quote.text, QUOTE_PREVIEW_CHARS)
        speaker = visible(quote.speaker, 80) if quote.speaker else "speaker not named"
        prompt = Content.assemble(f"“{text}”\n", (f"— {speaker}", ".quotes-panel--speaker"))
        if also_in:
            plural = "s" if also_in != 1 else ""
            prompt += Content.styled(f"\n↪ also in {also_in} article{plural} (o)", ".quotes-panel--also-in")
        return prompt
