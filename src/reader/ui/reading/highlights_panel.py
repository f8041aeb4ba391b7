"""The Highlights section of the side panel: the note on the open article, then each highlight
with its note, in text order; highlights that can no longer be placed in the text are listed
last, marked orphaned, never dropped."""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.tags.annotation_values import Placed
from reader.core.text import visible
from reader.ui.layout_text import ReadableOptionList
from reader.ui.messages import AnnotationMessage

PREVIEW_CHARS = 100
NOTE_PREVIEW_CHARS = 200
ARTICLE_NOTE = "article-note"  # the id of the first row


class HighlightsPanel(ReadableOptionList):
    """Enter on a highlight scrolls the text to it and flashes it (like a quote); Enter on the
    first row, or ``a`` anywhere, edits a note; ``x`` removes a highlight."""

    class HighlightChosen(AnnotationMessage):
        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    class RemoveWanted(AnnotationMessage):
        """The user asked to remove highlight ``index`` (``x``)."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    class NoteWanted(AnnotationMessage):
        """The user asked to edit the note of highlight ``index`` (None: the article's note)."""

        def __init__(self, index: int | None) -> None:
            self.index = index
            super().__init__()

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="highlights.down"),
        Binding("k", "cursor_up", "Up", show=False, id="highlights.up"),
        Binding("g", "first", "First", show=False, id="highlights.first"),
        Binding("G", "last", "Last", show=False, id="highlights.last"),
        Binding("x,delete", "remove", "Remove highlight", id="highlights.remove"),
    ]

    COMPONENT_CLASSES = {"highlights-panel--note", "highlights-panel--orphaned", "highlights-panel--empty"}

    placed: tuple[Placed, ...] = ()
    article_note = ""
    shown = False  # an article is open and its highlights are listed

    def show_highlights(self, note: str, placed: Sequence[Placed]) -> None:
        """List the article's note and highlights, keeping the row the user was on."""
        keep = self.highlighted
        self.placed = tuple(placed)
        self.article_note = note
        self.shown = True
        self.clear_options()
        self.add_option(Option(self._note_prompt(note), id=ARTICLE_NOTE))
        self.add_options(Option(self._prompt(item)) for item in self.placed)
        if not self.placed:
            hint = Content.styled("No highlights: h in the text highlights a sentence", ".highlights-panel--empty")
            self.add_option(Option(hint, disabled=True))
        if keep is not None and self.has_focus:
            self.highlighted = min(keep, self.option_count - 1)

    def show_message(self, message: str) -> None:
        self.placed = ()
        self.article_note = ""
        self.shown = False
        self.clear_options()
        self.add_option(Option(Content(message), disabled=True))

    def highlight_index(self) -> int | None:
        """The highlight on the cursor row (None on the article's note or with nothing open)."""
        row = self.highlighted
        if not self.shown or row is None or row == 0 or row > len(self.placed):
            return None
        return row - 1

    def select_highlight(self, index: int) -> None:
        """Put the cursor on highlight ``index`` (one just made or jumped to)."""
        if self.shown and 0 <= index < len(self.placed):
            self.highlighted = index + 1

    def follow_reading(self, index: int | None) -> None:
        """Show which highlight is being read, without choosing it (no scroll back in the text)."""
        if index is not None and not self.has_focus:
            self.select_highlight(index)

    def action_remove(self) -> None:
        index = self.highlight_index()
        if index is None:
            self.app.bell()
        else:
            self.post_message(self.RemoveWanted(index))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not self.shown:
            return
        if event.option_index == 0:
            self.post_message(self.NoteWanted(None))
        elif event.option_index <= len(self.placed):
            self.post_message(self.HighlightChosen(event.option_index - 1))

    def on_focus(self) -> None:
        """Arriving by keyboard, Enter acts on the first highlight (or the note row) at once."""
        if self.highlighted is None and self.shown:
            self.highlighted = 1 if self.placed else 0

    @staticmethod
    def _note_prompt(note: str) -> Content:
        if not note:
            return Content.styled("✎ Note on the article… (a)", ".highlights-panel--empty")
        return Content.styled(f"✎ {visible(note, NOTE_PREVIEW_CHARS)}", ".highlights-panel--note")

    @staticmethod
    def _prompt(item: Placed) -> Content:
        text = visible(" ".join(item.highlight.text.split()), PREVIEW_CHARS)
        prompt = Content(f"“{text}”")
        if item.orphaned:
            prompt = Content.assemble(("⚠ orphaned: no longer in the text\n", ".highlights-panel--orphaned"), prompt)
        if item.highlight.note:
            note = visible(item.highlight.note, NOTE_PREVIEW_CHARS)
            prompt += Content.styled(f"\n✎ {note}", ".highlights-panel--note")
        return prompt
