"""The Quotes section of the side panel: each direct quote of the open article with its speaker."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class QuoteSpread:
    """What the panel tells of a quote other articles carry too."""

    others: int  # other articles that carry it
    articles: int  # every article that carries it, this one included
    reworded: int  # articles whose copy changed words inside the quote
    significant: bool  # some change may alter the meaning: a negation, a number, a name
    here: str | None = None  # this copy's changes when it is a reworded one: "not → never"
    speakers_disagree: bool = False  # the copies credit different speakers

    def reworded_note(self) -> str:
        """ "reworded in 1 of 4 articles", and how this copy was, when it is one of them."""
        if not self.reworded:
            return ""
        note = f"reworded in {self.reworded} of {self.articles} articles"
        return f"{note}; this copy: {self.here}" if self.here else note


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

    COMPONENT_CLASSES = {"quotes-panel--speaker", "quotes-panel--also-in", "quotes-panel--disagree"}
    # The text colour on a tint, legible in every theme, highlighted or not (a component
    # class's background does not reach an option's prompt).
    REWORDED_STYLE = "$reader-text on $reader-reworded"
    SIGNIFICANT_STYLE = "bold $reader-text on $reader-removed"

    quote_count = 0
    quotes: tuple[QuoteLike, ...] = ()
    also_in: dict[int, int] = {}
    """Quote index -> how many other articles carry that quote."""
    spreads: Mapping[int, QuoteSpread] = {}
    """Quote index -> how widely it is carried and whether outlets reworded it."""
    speaker_links: Mapping[str, str] = {}
    """A speaker named by surname only -> the person the corpus links the surname to."""

    def show_quotes(self, quotes: Sequence[QuoteLike]) -> None:
        self.quote_count = len(quotes)
        self.quotes = tuple(quotes)
        self.also_in = {}
        self.spreads = {}
        self.speaker_links = {}
        self.clear_options()
        if not quotes:
            self.add_option(Option(Content("No direct quotes"), disabled=True))
            return
        self.add_options(Option(self._prompt(index)) for index in range(len(quotes)))

    def show_also_in(self, spreads: Mapping[int, QuoteSpread]) -> None:
        """Mark the quotes other articles carry too, those outlets reworded and those whose
        copies credit different speakers (found after the quotes, in a worker)."""
        self.spreads = spreads
        self.also_in = {index: spread.others for index, spread in spreads.items()}
        self._refresh_prompts(spreads)

    def show_speaker_links(self, links: Mapping[str, str]) -> None:
        """Name the person a surname-only speaker is linked to (found in a worker, from the corpus)."""
        self.speaker_links = links
        self._refresh_prompts(index for index, quote in enumerate(self.quotes) if quote.speaker in links)

    def _refresh_prompts(self, indexes: Iterable[int]) -> None:
        for index in indexes:
            if index < self.quote_count:
                self.replace_option_prompt_at_index(index, self._prompt(index))

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
        self.spreads = {}
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

    def _prompt(self, index: int) -> Content:
        quote, spread = self.quotes[index], self.spreads.get(index)
        text = visible(quote.text, QUOTE_PREVIEW_CHARS)
        speaker = visible(quote.speaker, 80) if quote.speaker else "speaker not named"
        linked = self.speaker_links.get(quote.speaker or "")
        if linked:
            speaker += f" (= {visible(linked, 80)}, inferred)"
        prompt = Content.assemble(f"“{text}”\n", (f"— {speaker}", ".quotes-panel--speaker"))
        if spread is None or not spread.others:
            return prompt
        plural = "s" if spread.others != 1 else ""
        prompt += Content.styled(f"\n↪ also in {spread.others} article{plural} (o)", ".quotes-panel--also-in")
        if spread.speakers_disagree:  # the space plain: a styled part's leading space is dropped
            prompt += Content.assemble(" ", ("· speakers differ", ".quotes-panel--disagree"))
        if spread.reworded:
            note = visible(spread.reworded_note(), 200)
            if spread.significant:
                prompt += Content("\n") + Content.styled(f"⚠ {note}", QuotesPanel.SIGNIFICANT_STYLE)
            else:
                prompt += Content("\n") + Content.styled(f"✎ {note}", QuotesPanel.REWORDED_STYLE)
        return prompt
