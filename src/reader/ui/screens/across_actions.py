"""Across-articles actions of the main screen: quote sources, people, timeline, copies, export.

A mixin like ``TagActions``, only to keep ``main.py`` readable: these are the main screen's
methods. Every call into the corpus analysis runs in a thread worker (some take seconds at
100k articles) and comes back as a message, or runs in the worker of the view it feeds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from textual import work
from textual.worker import get_current_worker

from reader.core.models import Article
from reader.core.text import visible
from reader.ui.messages import ClustersFound, CopiesFound, QuotesExported
from reader.ui.widgets.quotes_panel import QuotesPanel

# The views and the analysis they show are imported when first asked for, not at start-up.
if TYPE_CHECKING:
    from reader.core.cross_article import QuoteCluster, QuoteOccurrence
    from reader.ui.screens.people_view import PeopleChoice
    from reader.core.extraction import Extraction
    from reader.core.library import SearchResult
    from reader.ui.app import ReaderApp
    from reader.ui.widgets.article_list import ArticleList
    from reader.ui.widgets.reading_pane import ReadingPane

DEFAULT_SHEET_NAME = "reader-quotes.csv"
"""Offered in the user's home folder; the user can type any other path."""

_Widget = TypeVar("_Widget")

_DATE_TERM_RE = re.compile(r"(?<!\S)date:\S+")


def with_date_term(query: str, term: str) -> str:
    """``query`` narrowed to ``term``'s dates; a date term already in it gives way to the new one."""
    return " ".join([*_DATE_TERM_RE.sub(" ", query).split(), term])


class AcrossActions:
    """``P`` people, ``L`` timeline, ``D`` copies, ``o`` in the quotes panel, and the export."""

    if TYPE_CHECKING:
        app: ReaderApp
        result: SearchResult | None
        extraction: Extraction | None
        article_list: ArticleList
        reading_pane: ReadingPane
        open_id: str | None

        def notify(self, message: str, *, severity: str = ..., timeout: float = ...) -> None: ...
        def post_message(self, message: object) -> bool: ...
        def query_one(self, selector: type[_Widget]) -> _Widget: ...
        def filter_by(self, query: str) -> None: ...
        def filter_by_person(self, name: str) -> None: ...
        def open_from_palette(self, article_id: str) -> None: ...
        def _update_info(self) -> None: ...

    open_clusters: Mapping[int, QuoteCluster] = MappingProxyType({})
    """The open article's quotes (by index in the quotes panel) that other articles carry too."""
    copies: Mapping[str, str] = MappingProxyType({})
    """Near-duplicate article id -> the id of the article that stands for its group."""
    collapse_copies = False
    _quote_to_reveal: tuple[str, int, int] | None = None

    def _scope(self) -> tuple[str, str]:
        """The query whose hits the across views cover ("" for every article), and its name."""
        query = self.result.query if self.result is not None else ""
        return query, (f"the search {visible(query, 60)}" if query else "all articles")

    def _selection(self, query: str) -> Callable[[], list[str] | None]:
        """The ids the query matches (None for all), worked out once, in whichever thread asks."""

        @cache
        def matching() -> list[str] | None:
            if not query:
                return None
            return [hit.id for hit in self.app.library.search(query, limit=None).hits]

        return matching

    # -- "also in N articles" -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="clusters")
    def find_clusters(self, article_id: str) -> None:
        clusters = self.app.library.analysis.clusters_for(article_id)
        if not get_current_worker().is_cancelled:
            self.post_message(ClustersFound(article_id, clusters))

    def on_clusters_found(self, message: ClustersFound) -> None:
        if message.article_id != self.open_id or self.extraction is None:
            return
        found: dict[int, QuoteCluster] = {}
        for index, quote in enumerate(self.extraction.quotes):
            cluster = message.clusters.get((quote.start, quote.end))
            if cluster is not None and cluster.elsewhere(message.article_id):
                found[index] = cluster
        self.open_clusters = found
        counts = {index: len(cluster.elsewhere(message.article_id)) for index, cluster in found.items()}
        self.query_one(QuotesPanel).show_also_in(counts)

    def on_quotes_panel_sources_wanted(self, message: QuotesPanel.SourcesWanted) -> None:
        cluster = self.open_clusters.get(message.index)
        if cluster is None or self.open_id is None or self.extraction is None:
            self.notify("No other article carries this quote.", timeout=2)
            return
        from reader.ui.screens.quote_sources import QuoteSources

        quote = self.extraction.quotes[message.index].text
        self.app.push_screen(QuoteSources(quote, cluster.elsewhere(self.open_id)), self._read_quote_in)

    def _read_quote_in(self, occurrence: QuoteOccurrence | None) -> None:
        """Open the occurrence's article; once it is shown, the quote is scrolled to and flashed."""
        if occurrence is None:
            return
        self._quote_to_reveal = (occurrence.article_id, occurrence.start, occurrence.end)
        self.open_from_palette(occurrence.article_id)

    def reveal_quote_jumped_to(self, article: Article) -> None:
        """Called when an article is shown: finish a jump to one of its quotes, if one was asked."""
        target, self._quote_to_reveal = self._quote_to_reveal, None
        if target is not None and target[0] == article.id:
            self.reading_pane.reveal(target[1], target[2])

    # -- people and timeline --------------------------------------------------------------------

    def action_people_across(self) -> None:
        from reader.ui.screens.people_view import PeopleView

        query, scope = self._scope()
        analysis = self.app.library.analysis
        selection = self._selection(query)

        def quotes_of(name: str) -> list[QuoteOccurrence]:
            quotes = analysis.quotes_by(name)
            chosen = selection()
            if chosen is None:
                return quotes
            wanted = set(chosen)
            return [quote for quote in quotes if quote.article_id in wanted]

        view = PeopleView(scope, lambda: analysis.people(selection()), quotes_of)
        self.app.push_screen(view, self._people_view_closed)

    def _people_view_closed(self, choice: PeopleChoice | None) -> None:
        from reader.core.cross_article import QuoteOccurrence

        if isinstance(choice, QuoteOccurrence):
            self._read_quote_in(choice)
        elif isinstance(choice, str):
            self.filter_by_person(choice)

    def action_timeline(self) -> None:
        from reader.ui.screens.timeline_view import TimelineView

        query, scope = self._scope()
        analysis = self.app.library.analysis
        selection = self._selection(query)

        def chosen(term: str | None) -> None:
            if term:
                self.filter_by(with_date_term(query, term))

        view = TimelineView(scope, lambda bucket: analysis.timeline(selection(), bucket))
        self.app.push_screen(view, chosen)

    # -- near-duplicates ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="copies")
    def find_copies(self) -> None:
        representatives = self.app.library.analysis.duplicate_representatives()
        copies = {article_id: kept for article_id, kept in representatives.items() if article_id != kept}
        if not get_current_worker().is_cancelled:
            self.post_message(CopiesFound(copies))

    def on_copies_found(self, message: CopiesFound) -> None:
        self.copies = MappingProxyType(message.copies)
        self.article_list.set_copies(self.copies, collapse=self.collapse_copies)
        self._update_info()

    def action_toggle_copies(self) -> None:
        self.collapse_copies = not self.collapse_copies
        self.article_list.set_copies(self.copies, collapse=self.collapse_copies)
        self._update_info()
        count = len(self.copies)
        if self.collapse_copies:
            self.notify(f"Copies collapsed: {count:,} near-duplicate article{'s' if count != 1 else ''} hidden.", timeout=2)
        else:
            self.notify("Copies shown (marked ≈).", timeout=2)

    # -- quote sheet ----------------------------------------------------------------------------

    def action_export_quotes(self) -> None:
        from reader.ui.screens.export_quotes import ExportQuotes

        query, scope = self._scope()

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._export_quotes(query, path)

        self.app.push_screen(ExportQuotes(f"Every quote of {scope}", Path.home() / DEFAULT_SHEET_NAME), chosen)

    @work(thread=True, exclusive=True, group="export")
    def _export_quotes(self, query: str, path: Path) -> None:
        # The sheet is made by the same functions as ``reader quotes``, so both agree.
        from reader.core.cross_article.quote_sheet import SHEET_FORMATS, format_for

        make_sheet = SHEET_FORMATS[format_for(path) or "csv"]
        quotes = self.app.library.analysis.quotes(self._selection(query)())
        try:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(make_sheet(quotes))
        except OSError as error:
            self.post_message(QuotesExported(path, 0, f"{type(error).__name__}: {error}"))
            return
        self.post_message(QuotesExported(path, len(quotes)))

    def on_quotes_exported(self, message: QuotesExported) -> None:
        if message.error is not None:
            self.notify(visible(f"Quotes not exported: {message.error}", 300), severity="error", markup=False)
            return
        self.notify(f"{message.count:,} quotes written to {visible(message.path, 200)}", timeout=8, markup=False)
