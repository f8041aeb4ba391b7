"""Highlights and notes from the main screen: making them in the reading pane, listing them in
the side panel, editing notes, and keeping the list's marks and a ``note:`` search in step.

The library is called in thread workers (it writes the store, then indexes the article again, so
``highlight:`` and ``note:`` find the change at once); what was saved comes back as a message.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

from textual.screen import Screen

from reader.core.library import Library
from reader.core.models import Article, ArticleSummary, LoadIssue
from reader.core.tags.annotation_values import Annotations, Placed, place
from reader.core.text import visible
from reader.ui.controller import Controller
from reader.ui.listing.article_list import ArticleList
from reader.ui.messages import AnnotationMessage, AnnotationsFailed, AnnotationsLoaded, NoteReady
from reader.ui.reading.highlights_panel import HighlightsPanel
from reader.ui.reading.reading_pane import ReadingPane

SEARCH_FIELDS = ("note:", "notes:", "highlight:", "highlights:", "has:")
SAVES = "annotation-saves"  # worker group of changes: never cancelled by opening another article


class AnnotationHost(Protocol):
    """What annotating needs of the screen it serves."""

    library: Library

    @property
    def summaries(self) -> dict[str, ArticleSummary]: ...

    @property
    def query_text(self) -> str: ...

    def forget_orders(self) -> None: ...

    def refresh_search(self) -> None: ...


class AnnotationController(Controller):
    """``h`` (through the reading pane), ``a``, the Highlights panel, and the list's marks."""

    def __init__(self, screen: Screen[Any], host: AnnotationHost) -> None:
        super().__init__(screen)
        self.host = host
        self.article: Article | None = None
        self.annotations = Annotations()
        self.placed: list[Placed] = []

    @property
    def panel(self) -> HighlightsPanel:
        return self.screen.query_one(HighlightsPanel)

    @property
    def pane(self) -> ReadingPane:
        return self.screen.query_one(ReadingPane)

    def handle(self, message: AnnotationMessage) -> None:
        """Every message about highlights and notes, from the workers, the pane and the panel."""
        handlers: dict[type[AnnotationMessage], Callable[[Any], None]] = {
            AnnotationsLoaded: self.loaded,
            AnnotationsFailed: self.failed,
            NoteReady: self.note_ready,
            ReadingPane.HighlightWanted: lambda m: self.highlight(m.start, m.end, with_note=m.with_note),
            ReadingPane.HighlightInView: lambda m: self.panel.follow_reading(m.index),
            HighlightsPanel.HighlightChosen: lambda m: self.jump(m.index),
            HighlightsPanel.RemoveWanted: lambda m: self.remove(m.index),
            HighlightsPanel.NoteWanted: lambda _: self.edit_note(),
        }
        handlers[type(message)](message)

    # -- the open article -----------------------------------------------------------------------

    def article_shown(self, article: Article | None) -> None:
        """A new article is open (None: it could not be read): find its highlights and notes."""
        self.article = article
        self.annotations, self.placed = Annotations(), []
        if article is None:
            self.panel.show_message("No article")
            return
        self.panel.show_message("Finding highlights…")
        self.in_thread(partial(self._load, article), "annotations")

    def _load(
        self, article: Article, *, saved: bool = False, chosen: str | None = None, edit_note: bool = False
    ) -> None:
        annotations = self.host.library.annotations_of(article.id)
        placed = place(article.text, annotations)
        self.screen.post_message(
            AnnotationsLoaded(article.id, annotations, placed, saved=saved, chosen=chosen, edit_note=edit_note)
        )

    def loaded(self, message: AnnotationsLoaded) -> None:
        """Show what was found (or saved): in the pane and panel if the article is open, and as
        the list's marks."""
        if message.saved:
            self._count(message.article_id, message.annotations)
        if self.article is None or message.article_id != self.article.id:
            return
        self.annotations, self.placed = message.annotations, message.placed
        self.pane.set_highlights(self.placed)
        self.panel.show_highlights(self.annotations.note, self.placed)
        chosen = next((i for i, item in enumerate(self.placed) if item.highlight.id == message.chosen), None)
        if chosen is not None:
            self.panel.select_highlight(chosen)
            if message.edit_note:
                self._edit_highlight_note(chosen)

    def _count(self, article_id: str, annotations: Annotations) -> None:
        summary = self.host.summaries.get(article_id)
        if summary is not None:
            updated = summary.with_annotations(len(annotations.highlights), len(annotations.notes))
            self.host.summaries[article_id] = updated
            self.screen.query_one(ArticleList).replace_summary(updated)
            self.host.forget_orders()
        if any(field in self.host.query_text for field in SEARCH_FIELDS):
            self.host.refresh_search()  # the article may have joined or left the result

    def failed(self, message: AnnotationsFailed) -> None:
        self.screen.notify(visible(f"Not saved: {message.error}", 300), severity="error", markup=False)

    # -- highlighting ---------------------------------------------------------------------------

    def highlight(self, start: int, end: int, *, with_note: bool) -> None:
        """Save ``[start, end)`` of the open article as a highlight (then perhaps edit its note)."""
        article = self.article
        if article is None:
            return
        self.in_thread(partial(self._highlight, article, start, end, with_note), SAVES, exclusive=False)

    def _highlight(self, article: Article, start: int, end: int, with_note: bool) -> None:
        try:
            highlight = self.host.library.add_highlight(article.id, start, end, seen_text=article.text)
        except (ValueError, KeyError, OSError, RuntimeError) as error:
            self.screen.post_message(AnnotationsFailed(str(error)))
            return
        self._load(article, saved=True, chosen=highlight.id, edit_note=with_note)

    def jump(self, index: int) -> None:
        """Scroll the text to highlight ``index`` and flash it, as choosing a quote does."""
        if not 0 <= index < len(self.placed):
            return
        item = self.placed[index]
        if item.start is None or item.end is None:
            self.screen.notify("This highlight is orphaned: its passage is no longer in the text.", severity="warning")
            return
        self.pane.reveal(item.start, item.end)

    def remove(self, index: int) -> None:
        """Remove highlight ``index``, asking first when its note would go with it."""
        if self.article is None or not 0 <= index < len(self.placed):
            return
        highlight = self.placed[index].highlight
        article = self.article
        if not highlight.note:
            self.in_thread(partial(self._remove, article, highlight.id), SAVES, exclusive=False)
            return
        from reader.ui.annotating.confirm_remove import ConfirmRemove

        def answered(remove: bool | None) -> None:
            if remove:
                self.in_thread(partial(self._remove, article, highlight.id), SAVES, exclusive=False)

        self.screen.app.push_screen(ConfirmRemove(highlight.text, highlight.note), answered)

    def _remove(self, article: Article, highlight_id: str) -> None:
        try:
            self.host.library.remove_highlight(article.id, highlight_id)
        except (OSError, RuntimeError) as error:
            self.screen.post_message(AnnotationsFailed(str(error)))
            return
        self._load(article, saved=True)

    # -- notes ------------------------------------------------------------------------------------

    def edit_note(self) -> None:
        """``a``: the note of what the user is on. A pending selection is highlighted first; in the
        text, the highlight under the reading cursor; in the panel, the row's; else the article's."""
        focused = self.screen.focused
        if focused is self.pane and self.pane.has_selection:
            self.pane.confirm_selection(with_note=True)
            return
        if focused is self.pane and self.article is not None:
            index = self.pane.highlight_at_cursor()
            if index is not None:
                self._edit_highlight_note(index)
                return
        if focused is self.panel and self.panel.highlight_index() is not None:
            self._edit_highlight_note(self.panel.highlight_index() or 0)
            return
        article_list = self.screen.query_one(ArticleList)
        on_list = focused is article_list or article_list.open_id is None
        target = article_list.current_id if on_list else article_list.open_id
        if target is None:
            self.screen.notify("No article to write a note on.", severity="warning")
        elif self.article is not None and target == self.article.id:
            self._open_editor("Note on the article", self.article.title, self.annotations.note, target, None)
        else:
            self.in_thread(partial(self._read_note, target), "annotations")

    def _read_note(self, article_id: str) -> None:
        summary = self.host.summaries.get(article_id)
        note = self.host.library.annotations_of(article_id).note
        self.screen.post_message(NoteReady(article_id, summary.title if summary else article_id, note))

    def note_ready(self, message: NoteReady) -> None:
        self._open_editor("Note on the article", message.title, message.note, message.article_id, None)

    def _edit_highlight_note(self, index: int) -> None:
        if self.article is None or not 0 <= index < len(self.placed):
            return
        highlight = self.placed[index].highlight
        self._open_editor("Note on the highlight", f"“{highlight.text}”", highlight.note, self.article.id, highlight.id)

    def _open_editor(self, title: str, subject: str, note: str, article_id: str, highlight_id: str | None) -> None:
        from reader.ui.annotating.note_editor import NoteEditor

        def done(typed: str | None) -> None:
            if typed is not None:
                save = partial(self._save_note, article_id, highlight_id, typed)
                self.in_thread(save, SAVES, exclusive=False)

        self.screen.app.push_screen(NoteEditor(title, subject, note), done)

    def _save_note(self, article_id: str, highlight_id: str | None, note: str) -> None:
        library = self.host.library
        try:
            if highlight_id is None:
                library.set_article_note(article_id, note)
            else:
                library.set_highlight_note(article_id, highlight_id, note)
        except (KeyError, OSError, RuntimeError) as error:
            self.screen.post_message(AnnotationsFailed(str(error)))
            return
        article = self.article if self.article is not None and self.article.id == article_id else None
        if article is not None:
            self._load(article, saved=True, chosen=highlight_id)
        else:
            loaded = library.article(article_id)
            annotations = library.annotations_of(article_id)
            placed = place(loaded.text, annotations) if not isinstance(loaded, LoadIssue) else []
            self.screen.post_message(AnnotationsLoaded(article_id, annotations, placed, saved=True))
