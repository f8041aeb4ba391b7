"""The views across articles, from the main screen: quote sources, people, timeline, copies and
the quote sheet export.

Every call into the corpus analysis runs in a thread worker (some take seconds at 100k
articles) and comes back as a message, or runs in the worker of the view it feeds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache, partial
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from textual.screen import Screen
from textual.worker import get_current_worker

from reader.core.library import Library
from reader.core.models import Article, SearchResult
from reader.core.text import visible
from reader.ui.controller import Controller
from reader.ui.listing.article_list import ArticleList
from reader.ui.messages import ClustersFound, CopiesFound, QuotesExported
from reader.ui.reading.quotes_panel import QuotesPanel, QuoteSpread
from reader.ui.reading.reading_pane import ReadingPane

# The views and the analysis they show are imported when first asked for, not at start-up.
if TYPE_CHECKING:
    from reader.core.cross_article import QuoteCluster, QuoteOccurrence
    from reader.core.extraction import Extraction
    from reader.ui.corpus_views.people_view import PeopleChoice

DEFAULT_SHEET_NAME = "reader-quotes.csv"
"""Offered in the user's home folder; the user can type any other path."""

_DATE_TERM_RE = re.compile(r"(?<!\S)date:\S+")


def quote_spread(cluster: QuoteCluster, article_id: str, start: int) -> QuoteSpread:
    """How widely the quote of ``article_id`` at ``start`` is carried, and how outlets reworded it."""
    here = next(
        (member.wording for member in cluster.members if (member.article_id, member.start) == (article_id, start)),
        None,
    )
    return QuoteSpread(
        others=len(cluster.elsewhere(article_id)),
        articles=cluster.article_count,
        reworded=len(cluster.reworded_ids),
        significant=cluster.significant,
        here=here.changes_text() or None if here is not None and here.wording == "changed" else None,
        speakers_disagree=cluster.speakers_disagree,
    )


def with_date_term(query: str, term: str) -> str:
    """``query`` narrowed to ``term``'s dates; a date term already in it gives way to the new one."""
    return " ".join([*_DATE_TERM_RE.sub(" ", query).split(), term])


class CorpusViewsHost(Protocol):
    """What the views across articles need of the screen they serve."""

    library: Library

    @property
    def extraction(self) -> Extraction | None: ...

    @property
    def result(self) -> SearchResult | None: ...

    def filter_by(self, query: str) -> None: ...

    def filter_by_person(self, name: str) -> None: ...

    def open_from_palette(self, article_id: str) -> None: ...

    def update_info(self) -> None: ...


class CorpusViewsController(Controller):
    """``P`` people, ``L`` timeline, ``D`` copies, ``o`` in the quotes panel, and the export."""

    def __init__(self, screen: Screen[Any], host: CorpusViewsHost) -> None:
        super().__init__(screen)
        self.host = host
        self.open_clusters: Mapping[int, QuoteCluster] = MappingProxyType({})
        """The open article's quotes (by index in the quotes panel) that other articles carry too."""
        self.copies: Mapping[str, str] = MappingProxyType({})
        """Near-duplicate article id -> the id of the article that stands for its group."""
        self.collapse_copies = False
        self._quote_to_reveal: tuple[str, int, int] | None = None

    def _scope(self) -> tuple[str, str]:
        """The query whose hits the views cover ("" for every article), and its name."""
        result = self.host.result
        query = result.query if result is not None else ""
        return query, (f"the search {visible(query, 60)}" if query else "all articles")

    def _selection(self, query: str) -> Callable[[], list[str] | None]:
        """The ids the query matches (None for all), worked out once, in whichever thread asks."""
        library = self.host.library

        @cache
        def matching() -> list[str] | None:
            if not query:
                return None
            return [hit.id for hit in library.search(query, limit=None).hits]

        return matching

    # -- "also in N articles" -------------------------------------------------------------------

    def find_clusters(self, article_id: str) -> None:
        self.in_thread(partial(self._find_clusters, article_id), "clusters")

    def _find_clusters(self, article_id: str) -> None:
        clusters = self.host.library.analysis.clusters_for(article_id)
        if not get_current_worker().is_cancelled:
            self.screen.post_message(ClustersFound(article_id, clusters))

    def clusters_found(self, message: ClustersFound) -> None:
        extraction = self.host.extraction
        if message.article_id != self.screen.query_one(ArticleList).open_id or extraction is None:
            return
        found: dict[int, QuoteCluster] = {}
        for index, quote in enumerate(extraction.quotes):
            cluster = message.clusters.get((quote.start, quote.end))
            if cluster is not None and cluster.elsewhere(message.article_id):
                found[index] = cluster
        self.open_clusters = found
        spreads = {
            index: quote_spread(cluster, message.article_id, extraction.quotes[index].start)
            for index, cluster in found.items()
        }
        self.screen.query_one(QuotesPanel).show_also_in(spreads)

    def sources_wanted(self, index: int) -> None:
        """``o`` on a quote: the other articles that carry it."""
        cluster = self.open_clusters.get(index)
        open_id = self.screen.query_one(ArticleList).open_id
        extraction = self.host.extraction
        if cluster is None or open_id is None or extraction is None:
            self.screen.notify("No other article carries this quote.", timeout=2)
            return
        from reader.ui.corpus_views.quote_sources import QuoteSources

        quote = extraction.quotes[index].text
        self.screen.app.push_screen(QuoteSources(quote, cluster, open_id), self._read_quote_in)

    def _read_quote_in(self, occurrence: QuoteOccurrence | None) -> None:
        """Open the occurrence's article; once it is shown, the quote is scrolled to and flashed."""
        if occurrence is None:
            return
        self._quote_to_reveal = (occurrence.article_id, occurrence.start, occurrence.end)
        self.host.open_from_palette(occurrence.article_id)

    def article_shown(self, article: Article) -> None:
        """An article is on screen: finish a jump to one of its quotes, if one was asked."""
        target, self._quote_to_reveal = self._quote_to_reveal, None
        if target is not None and target[0] == article.id:
            self.screen.query_one(ReadingPane).reveal(target[1], target[2])

    # -- people and timeline --------------------------------------------------------------------

    def people_across(self) -> None:
        from reader.ui.corpus_views.people_view import PeopleView

        query, scope = self._scope()
        analysis = self.host.library.analysis
        selection = self._selection(query)

        def quotes_of(name: str) -> list[QuoteOccurrence]:
            quotes = analysis.quotes_by(name)
            chosen = selection()
            if chosen is None:
                return quotes
            wanted = set(chosen)
            return [quote for quote in quotes if quote.article_id in wanted]

        view = PeopleView(scope, lambda: analysis.people(selection()), quotes_of)
        self.screen.app.push_screen(view, self._people_view_closed)

    def _people_view_closed(self, choice: PeopleChoice | None) -> None:
        from reader.core.cross_article import QuoteOccurrence

        if isinstance(choice, QuoteOccurrence):
            self._read_quote_in(choice)
        elif isinstance(choice, str):
            self.host.filter_by_person(choice)

    def timeline(self) -> None:
        from reader.ui.corpus_views.timeline_view import TimelineView

        query, scope = self._scope()
        analysis = self.host.library.analysis
        selection = self._selection(query)

        def chosen(term: str | None) -> None:
            if term:
                self.host.filter_by(with_date_term(query, term))

        library = self.host.library
        view = TimelineView(
            scope, lambda bucket: analysis.timeline(selection(), bucket), lambda: library.date_sources(selection())
        )
        self.screen.app.push_screen(view, chosen)

    # -- near-duplicates ------------------------------------------------------------------------

    def find_copies(self) -> None:
        self.in_thread(self._find_copies, "copies")

    def _find_copies(self) -> None:
        representatives = self.host.library.analysis.duplicate_representatives()
        copies = {article_id: kept for article_id, kept in representatives.items() if article_id != kept}
        if not get_current_worker().is_cancelled:
            self.screen.post_message(CopiesFound(copies))

    def copies_found(self, message: CopiesFound) -> None:
        self.copies = MappingProxyType(message.copies)
        self.screen.query_one(ArticleList).set_copies(self.copies, collapse=self.collapse_copies)
        self.host.update_info()

    def toggle_copies(self) -> None:
        self.collapse_copies = not self.collapse_copies
        self.screen.query_one(ArticleList).set_copies(self.copies, collapse=self.collapse_copies)
        self.host.update_info()
        count = len(self.copies)
        if self.collapse_copies:
            hidden = f"{count:,} near-duplicate article{'s' if count != 1 else ''} hidden"
            self.screen.notify(f"Copies collapsed: {hidden}.", timeout=2)
        else:
            self.screen.notify("Copies shown (marked ≈).", timeout=2)

    # -- quote sheet ----------------------------------------------------------------------------

    def export_quotes(self) -> None:
        from reader.ui.corpus_views.export_quotes import ExportQuotes

        query, scope = self._scope()

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.in_thread(partial(self._export_quotes, query, path), "export")

        dialog = ExportQuotes(f"Every quote of {scope}", Path.home() / DEFAULT_SHEET_NAME)
        self.screen.app.push_screen(dialog, chosen)

    def _export_quotes(self, query: str, path: Path) -> None:
        # The sheet is made by the same functions as ``reader quotes``, so both agree.
        from reader.core.cross_article.quote_sheet import SHEET_FORMATS, format_for

        make_sheet = SHEET_FORMATS[format_for(path) or "csv"]
        quotes = self.host.library.analysis.quotes(self._selection(query)())
        try:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(make_sheet(quotes))
        except OSError as error:
            self.screen.post_message(QuotesExported(path, 0, f"{type(error).__name__}: {error}"))
            return
        self.screen.post_message(QuotesExported(path, len(quotes)))

    def quotes_exported(self, message: QuotesExported) -> None:
        if message.error is not None:
            self.screen.notify(visible(f"Quotes not exported: {message.error}", 300), severity="error", markup=False)
            return
        self.screen.notify(f"{message.count:,} quotes written to {visible(message.path, 200)}", timeout=8, markup=False)
