"""Search as you type: the query in the bar, the search running for it, and its result.

One search runs at a time, in a thread (the event loop never waits for it). A query typed while
it runs stops it at its next check (``Library.search``'s ``stop``), unless it searches the same
(a closing quote), and the newest query is searched as soon as it has ended: stale queries
never queue up, and never run to the end for nothing. Only the newest query's hits are ever
shown. Scrolling near the end of the hits fetches more.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import Any, Protocol

from textual.screen import Screen

from reader.core.index.query import SearchCancelled, parse
from reader.core.library import Library, QueryError
from reader.core.models import Article, ArticleSummary, SearchHit, SearchResult
from reader.core.text import visible
from reader.ui.controller import Controller
from reader.ui.listing.article_list import ArticleList
from reader.ui.listing.status_bar import StatusBar
from reader.ui.messages import SearchFailed, SearchFinished, SnippetsMade
from reader.ui.reading.reading_pane import ReadingPane

SEARCH_LIMIT = 50
"""Hits fetched as you type: two lines each, so a few screens' worth, and the fewer wanted the
higher the bar a match must pass (a prefix's common words and a phrase's positions are read
for fewer documents: at 100k a final query costs about a fifth less than with 200). Scrolling
near the end of them fetches more (``MORE_FACTOR`` times as many)."""

MORE_FACTOR = 5
MORE_MARGIN = 20
"""Rows from the end of the hits at which the next batch is fetched."""


def quote_query_value(value: str) -> str:
    """A value for a ``field:"..."`` query; double quotes inside it would end the phrase."""
    return '"' + " ".join(value.replace('"', " ").split()) + '"'


def _same_search(first: tuple[str, str], second: tuple[str, str]) -> bool:
    """Whether two (query, sort) search the same: a phrase's closing quote or a closing
    parenthesis typed changes the text, not the search, and the running one is let finish
    (the index keeps its hits for the newer query)."""
    if first[1] != second[1]:
        return False
    if first[0] == second[0]:
        return True
    try:
        return parse(first[0]) == parse(second[0])
    except QueryError:
        return False


class SearchHost(Protocol):
    """What searching needs of the screen it serves."""

    library: Library

    @property
    def summaries(self) -> dict[str, ArticleSummary]: ...

    @property
    def open_article(self) -> Article | None: ...

    @property
    def sort(self) -> str: ...

    def show_all(self, keep: str | None = None) -> None: ...

    def update_info(self) -> None: ...


class SearchController(Controller):
    def __init__(self, screen: Screen[Any], host: SearchHost) -> None:
        super().__init__(screen)
        self.host = host
        self.query_text = ""
        self.result: SearchResult | None = None
        self.running = False
        self._stop_running = threading.Event()  # set: the running search is stale, give it up
        self._again_limit: int | None = None
        self._running: tuple[str, str] = ("", "")  # the query and sort being searched
        self._keep_place = False
        self._prepared = False  # the index opened for searching, at the first "/"

    def prepare(self) -> None:
        """"/" gave the search bar the keyboard: open the index now, while the first key is typed."""
        if not self._prepared:
            self._prepared = True
            self.in_thread(self.host.library.prepare_search, "search-prepare", exclusive=False)

    def query_changed(self, query: str) -> None:
        """The bar's text changed (after its debounce): search it, or show every article."""
        self.query_text = query
        self.screen.query_one(StatusBar).error = ""
        if not query:
            self.result = None
            self._stop_running.set()  # a search still running is for a query no longer there
            self.host.show_all(keep=self.screen.query_one(ArticleList).open_id)
            self.screen.query_one(ReadingPane).set_marks([])
            return
        self.refresh()

    def refresh(self, *, limit: int | None = None, keep_place: bool = False) -> None:
        """Search the current query again (the sort or the tags changed, or more hits are wanted);
        ``keep_place``: the cursor stays on its article (the folder changed under the search)."""
        if not self.query_text:
            return
        self._keep_place = self._keep_place or keep_place
        if self.running:
            self._again_limit = limit or SEARCH_LIMIT
            if not _same_search((self.query_text, self.host.sort), self._running):
                self._stop_running.set()
            return
        self.running = True
        self._again_limit = None
        self._running = (self.query_text, self.host.sort)
        self._stop_running = threading.Event()
        work = partial(self._search, self.query_text, self.host.sort, limit or SEARCH_LIMIT, self._stop_running)
        self.in_thread(work, "search")

    def _ended(self, query: str, sort: str) -> bool:
        """Note a search ended; run the newest query if this one is stale. True if it is current."""
        self.running = False
        again, self._again_limit = self._again_limit, None
        current = (query, sort) == (self.query_text, self.host.sort)
        if again is not None or not current:
            self.refresh(limit=again)
        return current and again is None

    def _search(self, query: str, sort: str, limit: int, stop: threading.Event) -> None:
        """Search in a thread. Always reports back, so the controller knows the search ended."""
        library = self.host.library
        try:
            result = library.search(query, limit=limit, sort=sort, stop=stop.is_set)
        except SearchCancelled:
            self.screen.post_message(SearchFailed(query, sort, ""))  # stale: nothing to show
            return
        except QueryError as error:
            self.screen.post_message(SearchFailed(query, sort, str(error)))
            return
        except Exception as error:  # noqa: BLE001 - the index went away mid-search: say so, carry on
            self.screen.post_message(SearchFailed(query, sort, f"search failed: {type(error).__name__}: {error}"))
            return
        marks: dict[str, list[tuple[int, int]]] = {}
        article = self.host.open_article
        if article is not None and result.terms:
            marks[article.id] = list(library.term_spans(article.text, result.terms))
        self.screen.post_message(SearchFinished(query, sort, result, marks))
        if not stop.is_set():  # the user may pause here: get a "*" after the last word ready
            library.prepare_search(query)

    def finished(self, message: SearchFinished) -> bool:
        """Show the hits of a search that is still current; True when they were shown."""
        if not self._ended(message.query, message.sort):
            return False  # stale: the newest query is already being searched
        previous, self.result = self.result, message.result
        hits: dict[str, SearchHit] = {}
        rows: list[ArticleSummary] = []
        for hit in message.result.hits:
            summary = self.host.summaries.get(hit.id)
            if summary is not None and hit.id not in hits:
                hits[hit.id] = hit
                rows.append(summary)
        article_list = self.screen.query_one(ArticleList)
        # A bigger batch of the same query keeps the cursor where the user scrolled to.
        same_query = previous is not None and previous.query == message.query
        grown = same_query and previous is not None and len(previous.hits) < len(message.result.hits)
        keep = article_list.current_id if grown or self._keep_place else None
        self._keep_place = False
        article_list.show(rows, hits=hits, empty_message=f"No articles match {visible(message.query, 80)}", keep=keep)
        if self.host.open_article is not None:
            self.screen.query_one(ReadingPane).set_marks(message.marks.get(self.host.open_article.id, []))
        self.host.update_info()
        return True

    def failed(self, message: SearchFailed) -> None:
        if self._ended(message.query, message.sort) and message.error:
            self.screen.query_one(StatusBar).error = visible(message.error, 200)

    def cursor_moved(self, index: int, count: int) -> None:
        """Near the end of a search's hits, fetch the next batch if the search found more."""
        result = self.result
        if result is None or index < count - MORE_MARGIN:
            return
        if len(result.hits) < result.total and not self.running:
            self.refresh(limit=len(result.hits) * MORE_FACTOR)

    def snippets_wanted(self, hits: list[SearchHit]) -> None:
        """Rows of hits came into view: make their snippets (each reads a file) in a worker."""
        if self.result is not None:
            self.in_thread(partial(self._make_snippets, self.result.query, hits), "snippets", exclusive=False)

    def _make_snippets(self, query: str, hits: list[SearchHit]) -> None:
        snippets = {hit.id: (hit.snippet, hit.highlights) for hit in hits}
        self.screen.post_message(SnippetsMade(query, snippets))

    def snippets_made(self, message: SnippetsMade) -> None:
        if self.result is not None and message.query == self.result.query:
            self.screen.query_one(ArticleList).add_snippets(message.snippets)
