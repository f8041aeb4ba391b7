"""The one main screen: composes the panes and mediates between them through their messages.

Widgets never talk to each other or to the library; they post messages here, and this screen
calls the library in thread workers and sends results back down with plain method calls.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header
from textual.worker import get_current_worker

from reader.core.library import ArticleSummary, QueryError, SearchHit, SearchResult, SyncReport
from reader.core.models import Article, LoadIssue
from reader.core.ordering import sort_summaries
from reader.core.text import visible
from reader.ui.messages import (
    ArticleLoaded,
    ExtractionLoaded,
    FirstScreenLoaded,
    SearchFailed,
    SearchFinished,
    SnippetsMade,
    SummariesLoaded,
    SyncFinished,
    SyncProgress,
)
from reader.ui.screens.across_actions import AcrossActions
from reader.ui.screens.tagging import TagActions
from reader.ui.settings import SORTS, save_read_marks
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.people_panel import PeoplePanel
from reader.ui.widgets.quotes_panel import QuotesPanel
from reader.ui.widgets.reading_pane import ReadingPane
from reader.ui.widgets.search_bar import SearchBar
from reader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from reader.core.extraction import Extraction
    from reader.ui.app import ReaderApp

SEARCH_LIMIT = 200
"""Hits fetched as you type: a few screens' worth, cheap to rank. Scrolling near the end of
them fetches more (``MORE_FACTOR`` times as many)."""

FIRST_SCREEN_ROWS = 200
"""Rows read for the first paint, before the whole list: more than a terminal shows at once."""

MORE_FACTOR = 5
MORE_MARGIN = 20
"""Rows from the end of the hits at which the next batch is fetched."""


PROGRESS_INTERVAL = 0.1

PANES = ("search", "articles", "reader", "quotes", "people")
"""The order ``tab`` walks through."""


QUOTE_MARKS = "\"'“”‘’«»„‚‹›"


def with_quote_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """A quote's span widened to take in its quotation marks, which the extractor leaves out."""
    if start > 0 and text[start - 1] in QUOTE_MARKS:
        start -= 1
    if end < len(text) and text[end] in QUOTE_MARKS:
        end += 1
    return start, end


def quote_query_value(value: str) -> str:
    """A value for a ``field:"..."`` query; double quotes inside it would end the phrase."""
    return '"' + " ".join(value.replace('"', " ").split()) + '"'


def skipped_files_message(skipped: Sequence[LoadIssue], root: Path, shown: int = 3) -> str:
    """Name the first few files that were skipped and why; point to ``reader check`` for all."""
    lines = [f"{len(skipped):,} file(s) skipped:"]
    for issue in skipped[:shown]:
        try:
            name = issue.path.relative_to(root)
        except ValueError:
            name = issue.path
        lines.append(visible(f"{name}: {issue.reason}", 200))
    if len(skipped) > shown:
        lines.append(f"… and {len(skipped) - shown:,} more; 'reader check' lists them all.")
    return "\n".join(lines)


class MainScreen(TagActions, AcrossActions, Screen[None]):
    """Search bar, status line, article list, reading pane and the quotes-and-people panel."""

    BINDINGS = [
        # A priority binding: it moves the focus before the next key is handed to a widget, so
        # letters typed right after "/" land in the bar even while the app is busy indexing.
        Binding("slash", "focus_search", "Search", id="focus_search", priority=True),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, id="next_pane"),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id="previous_pane"),
        Binding("left_square_bracket", "step_article(-1)", "Previous article", show=False, id="previous_article"),
        Binding("right_square_bracket", "step_article(1)", "Next article", show=False, id="next_article"),
        Binding("n", "step_match(1)", "Next match", show=False, id="next_match"),
        Binding("N", "step_match(-1)", "Previous match", show=False, id="previous_match"),
        Binding("t", "edit_tags", "Tags", id="edit_tags"),
        Binding("T", "filter_by_tag", "Filter tag", id="filter_by_tag"),
        Binding("ctrl+t", "tag_results", "Tag results", id="tag_results"),
        Binding("p", "people", "People", id="people"),
        Binding("quotation_mark", "quotes", "Quotes", show=False, id="quotes"),
        Binding("u", "toggle_read", "Read/unread", show=False, id="toggle_read"),
        Binding("s", "cycle_sort", "Sort", id="cycle_sort"),
        Binding("P", "people_across", "People across articles", show=False, id="people_across"),
        Binding("L", "timeline", "Timeline", show=False, id="timeline"),
        Binding("D", "toggle_copies", "Collapse copies", show=False, id="toggle_copies"),
        Binding("escape", "back", "Back", show=False, id="back"),
    ]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (130, "-wide")]
    """Under 100 columns one pane shows at a time; under 130 the side panel opens on demand."""

    app: ReaderApp

    def __init__(self) -> None:
        super().__init__()
        self.summaries: dict[str, ArticleSummary] = {}
        self._sorted: dict[str, list[ArticleSummary]] = {}
        self.read_ids: set[str] = set()
        self.query_text = ""
        self.result: SearchResult | None = None
        self.open_article: Article | None = None
        self.extraction: Extraction | None = None
        self.sync_running = False
        self.last_sync: SyncReport | None = None
        self.search_running = False
        self._search_again_limit: int | None = None

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="☰")
        yield SearchBar(id="search")
        yield StatusBar(id="status")
        with Horizontal(id="panes"):
            yield ArticleList(id="articles")
            yield ReadingPane(id="reader")
            with Vertical(id="side"):
                quotes = QuotesPanel(id="quotes")
                quotes.border_title = "Quotes"
                yield quotes
                people = PeoplePanel(id="people")
                people.border_title = "People"
                yield people
        yield Footer()

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def reading_pane(self) -> ReadingPane:
        return self.query_one(ReadingPane)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def open_id(self) -> str | None:
        return self.article_list.open_id

    def on_mount(self) -> None:
        self.search_bar.cursor_blink = self.app.cursor_blink
        self.read_ids = self.app.read_ids
        self.article_list.set_read_ids(self.read_ids)
        self.article_list.empty_message = "Loading…"
        self.query_one(QuotesPanel).show_message("Open an article to see its quotes")
        self.query_one(PeoplePanel).show_message("Open an article to see who is in it")
        self.article_list.focus()
        self._load_first_screen()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """Remember which pane has the keyboard; narrow layouts show panes by it."""
        pane = self._pane_of(event.widget)
        if pane is not None:
            self._mark_focus(pane)

    def _mark_focus(self, pane: str) -> None:
        # On the panes container, not the screen: restyling the whole screen (footer and all)
        # on every focus change would cost a visible pause.
        panes = self.query_one("#panes")
        for name in ("list", "reader", "side"):
            panes.set_class(pane == name, f"-focus-{name}")

    @staticmethod
    def _pane_of(widget: Widget) -> str | None:
        if isinstance(widget, ReadingPane):
            return "reader"
        if isinstance(widget, (QuotesPanel, PeoplePanel)):
            return "side"
        if isinstance(widget, (ArticleList, SearchBar)):
            return "list"
        return None

    def focus_pane(self, name: str) -> None:
        """Focus a pane by id, first making it visible in layouts that hide it."""
        widget = self.query_one(f"#{name}")
        pane = self._pane_of(widget)
        if pane is not None:
            self._mark_focus(pane)
        # At once, not via widget.focus() (which waits a turn): keys typed right after "/" must
        # land in the search bar.
        self.set_focus(widget)

    # -- loading and syncing ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="summaries")
    def _load_first_screen(self) -> None:
        """A screenful of rows, in the list's order, read in milliseconds: at 100k articles
        the whole list takes half a second more, so it follows once this is on screen."""
        try:
            rows, total = self.app.library.first_summaries(self.app.settings.sort, FIRST_SCREEN_ROWS)
        except Exception:  # noqa: BLE001 - the whole-list load that follows says what is wrong
            rows, total = [], 0
        self.post_message(FirstScreenLoaded(rows, total))

    def on_first_screen_loaded(self, message: FirstScreenLoaded) -> None:
        if message.rows and not self.summaries:
            self.article_list.show(message.rows, keep=self.app.last_article_id)
            self.status.info = f"{message.total:,} articles · reading the whole list…"
            self.app.list_painted()
        # After this frame: the load holds the GIL for a while and would delay it.
        self.call_after_refresh(self._load_summaries, then_sync=True)

    @work(thread=True, exclusive=True, group="summaries")
    def _load_summaries(self, then_sync: bool = False) -> None:
        order = self.app.settings.sort
        try:
            summaries = self.app.library.summaries()
        except Exception as error:  # noqa: BLE001 - a damaged catalog: say so; the sync rebuilds it
            self.post_message(SummariesLoaded([], order, [], then_sync=then_sync, error=f"{type(error).__name__}: {error}"))
            return
        ordered = sort_summaries(summaries, order)  # here, not in the UI thread: 100k rows take a while
        if not get_current_worker().is_cancelled:
            self.post_message(SummariesLoaded(summaries, order, ordered, then_sync=then_sync))

    def on_summaries_loaded(self, message: SummariesLoaded) -> None:
        if message.then_sync:
            # After the list is painted: the sync thread would otherwise compete for the GIL
            # with the first frame.
            self.call_after_refresh(self.start_sync)
        if message.error is not None:
            self.notify(
                visible(f"The article list could not be read: {message.error}", 300), severity="error", markup=False
            )
        first_load = not self.summaries
        self.summaries = {summary.id: summary for summary in message.summaries}
        self._sorted = {message.order: message.ordered}
        if self.query_text:
            self.refresh_search()
        else:
            self._show_all(keep=self.article_list.current_id or self.app.last_article_id)
        if first_load and self.summaries:
            self.app.list_painted()
            last = self.app.last_article_id
            if last in self.summaries and self.open_id is None:
                self.article_list.move_to(last)
                self.open(last, focus=False)

    def start_sync(self, rebuild: bool = False) -> None:
        if self.sync_running:
            self.notify("The index is already being updated.", severity="warning")
            return
        self.sync_running = True
        self.status.progress_label = "Rebuilding" if rebuild else "Indexing"
        self.status.progress = (0, 0)
        if not self.summaries:
            self.article_list.empty_message = "Indexing the folder…"
            self.article_list.refresh()
        self._sync(rebuild)

    @work(thread=True, exclusive=True, group="sync")
    def _sync(self, rebuild: bool) -> None:
        last_post = 0.0

        def on_progress(done: int, total: int) -> None:
            nonlocal last_post
            now = time.monotonic()
            if now - last_post >= PROGRESS_INTERVAL or done >= total:
                last_post = now
                self.post_message(SyncProgress(done, total))

        try:
            report = self.app.library.sync(on_progress, rebuild=rebuild)
        except Exception as error:  # noqa: BLE001 - shown in one line; the app keeps running
            self.post_message(SyncFinished(None, f"{type(error).__name__}: {error}"))
            return
        self.post_message(SyncFinished(report))

    def on_sync_progress(self, message: SyncProgress) -> None:
        self.status.progress = (message.done, message.total)

    def on_sync_finished(self, message: SyncFinished) -> None:
        self.sync_running = False
        self.status.progress = None
        report = self.last_sync = message.report
        self.app.sync_done()
        if report is None:
            self.notify(visible(f"Indexing failed: {message.error}", 300), severity="error", markup=False)
            self._show_all()
            return
        for text in report.messages:
            self.notify(visible(text, 300), severity="warning", markup=False)
        skipped = [issue for issue in report.issues if issue.skipped]
        if skipped:
            self.notify(skipped_files_message(skipped, self.app.library.root), severity="warning", timeout=10, markup=False)
        if report.added or report.updated or report.removed or not self.summaries:
            self.notify(f"Index updated: {report.added:,} added, {report.updated:,} changed, {report.removed:,} removed.")
            self._load_summaries()
        self.find_copies()
        self._update_info()

    # -- the list -------------------------------------------------------------------------------

    @property
    def sort(self) -> str:
        """The order in effect: hits and the whole list each keep their own."""
        return self.app.settings.search_sort if self.query_text else self.app.settings.sort

    def forget_orders(self) -> None:
        """Sorted lists are cached per order; summaries changed, so sort again when asked."""
        self._sorted = {}

    def refresh_search(self, *, limit: int | None = None) -> None:
        """Search for the query in the bar. One search runs at a time: keys typed meanwhile
        are searched together as soon as it ends, so stale queries never queue up."""
        if not self.query_text:
            return
        if self.search_running:
            self._search_again_limit = limit or SEARCH_LIMIT
            return
        self.search_running = True
        self._search_again_limit = None
        self._run_search(self.query_text, self.sort, limit or SEARCH_LIMIT)

    def _search_ended(self, query: str, sort: str) -> bool:
        """Note a search ended; run the newest query if this one is stale. True if it is current."""
        self.search_running = False
        again, self._search_again_limit = self._search_again_limit, None
        current = (query, sort) == (self.query_text, self.sort)
        if again is not None or not current:
            self.refresh_search(limit=again)
        return current and again is None

    def sorted_summaries(self, order: str) -> list[ArticleSummary]:
        if order not in self._sorted:
            self._sorted[order] = sort_summaries(list(self.summaries.values()), order)
        return self._sorted[order]

    def _show_all(self, keep: str | None = None) -> None:
        rows = self.sorted_summaries(self.sort)
        empty = "Indexing the folder…" if self.sync_running else "No articles in this folder"
        self.article_list.show(rows, keep=keep, empty_message=empty)
        self._update_info()

    def _update_info(self) -> None:
        count = self.article_list.row_count
        if self.result is not None:
            total = max(self.result.total, count)
            about = "about " if self.result.estimated and total > count else ""
            shown = f"{about}{total:,} hit{'s' if total != 1 else ''} for {visible(self.result.query, 80)}"
            if total > count:
                shown = f"{count:,} of {shown}"
        else:
            shown = f"{count:,} article{'s' if count != 1 else ''}"
        unread = sum(1 for summary_id in self.summaries if summary_id not in self.read_ids)
        info = f"{shown} · {unread:,} unread · sorted by {self.sort}"
        if self.extraction is not None:
            quotes, people = len(self.extraction.quotes), len(self.extraction.people)
            info += f" · open: {quotes} quote{'s' if quotes != 1 else ''} (\"), {people} people (p)"
        self.status.info = info

    @on(ArticleList.CursorMoved)
    def _cursor_moved(self, message: ArticleList.CursorMoved) -> None:
        """Near the end of a search's hits, fetch the next batch if the search found more."""
        result = self.result
        if result is None or message.index < message.count - MORE_MARGIN:
            return
        if len(result.hits) < result.total and not self.search_running:
            self.refresh_search(limit=len(result.hits) * MORE_FACTOR)

    @on(ArticleList.Chosen)
    def _article_chosen(self, message: ArticleList.Chosen) -> None:
        self.open(message.article_id)

    # -- opening an article ---------------------------------------------------------------------

    def open(self, article_id: str, *, focus: bool = True) -> None:
        """Open an article in the reading pane and mark it read."""
        self.article_list.set_open(article_id)
        self.mark_read([article_id], read=True)
        self.app.remember_article(article_id)
        self.extraction = None
        self.query_one(QuotesPanel).show_message("Finding quotes…")
        self.query_one(PeoplePanel).show_message("Finding people…")
        terms = self.result.terms if self.result is not None else frozenset()
        self._load_article(article_id, terms)
        if focus:
            self.focus_pane("reader")

    @work(thread=True, exclusive=True, group="article")
    def _load_article(self, article_id: str, terms: frozenset[str]) -> None:
        library = self.app.library
        article = library.article(article_id)
        marks: list[tuple[int, int]] = []
        if isinstance(article, Article) and terms:
            marks = list(library.term_spans(article.text, terms))
        if get_current_worker().is_cancelled:
            return
        self.post_message(ArticleLoaded(article, marks))
        if not isinstance(article, Article):
            return
        try:
            extraction = library.extraction(article_id)
        except Exception as error:  # noqa: BLE001 - the text still reads fine without quotes
            self.post_message(ExtractionLoaded(article_id, None, f"{type(error).__name__}: {error}"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(ExtractionLoaded(article_id, extraction))

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        article = message.article
        if isinstance(article, LoadIssue):
            self.open_article = None
            self.reading_pane.clear(f"This article could not be opened: {visible(article.reason, 300)}")
            self.query_one(QuotesPanel).show_message("No article")
            self.query_one(PeoplePanel).show_message("No article")
            return
        self.open_article = article
        summary = self.summaries.get(article.id)
        self.reading_pane.show_article(
            article, user_tags=summary.tags if summary else (), marks=message.marks
        )
        self.reveal_quote_jumped_to(article)

    def on_extraction_loaded(self, message: ExtractionLoaded) -> None:
        if message.article_id != self.open_id:
            return
        quotes_panel = self.query_one(QuotesPanel)
        people_panel = self.query_one(PeoplePanel)
        if message.extraction is None:
            quotes_panel.show_message(visible(f"Quotes unavailable: {message.error}", 200))
            people_panel.show_message("People unavailable")
            return
        self.extraction = message.extraction
        quotes = message.extraction.quotes
        quotes_panel.show_quotes(quotes)
        people_panel.show_people(message.extraction.people)
        text = self.open_article.text if self.open_article is not None else ""
        self.reading_pane.set_quotes([with_quote_marks(text, quote.start, quote.end) for quote in quotes])
        self._update_info()
        self.find_clusters(message.article_id)

    # -- two-way links --------------------------------------------------------------------------

    @on(QuotesPanel.QuoteChosen)
    def _quote_chosen(self, message: QuotesPanel.QuoteChosen) -> None:
        if message.index >= len(self.reading_pane.quotes):
            return
        self.reading_pane.reveal(*self.reading_pane.quotes[message.index])

    @on(ReadingPane.QuoteInView)
    def _quote_in_view(self, message: ReadingPane.QuoteInView) -> None:
        self.query_one(QuotesPanel).follow_reading(message.index)

    @on(PeoplePanel.PersonChosen)
    def _person_chosen(self, message: PeoplePanel.PersonChosen) -> None:
        self.filter_by_person(message.name)

    @on(ReadingPane.MatchChanged)
    def _match_changed(self, message: ReadingPane.MatchChanged) -> None:
        self.status.error = ""
        self.notify(f"Match {message.index + 1} of {message.count}", timeout=1.5)

    def filter_by(self, query: str) -> None:
        """Show ``query`` in the search bar (so its syntax is learnt) and list its hits."""
        self.search_bar.set_query(query)
        self.focus_pane("articles")

    def filter_by_person(self, name: str) -> None:
        self.filter_by(f"person:{quote_query_value(name)}")

    def filter_by_tag(self, tag: str) -> None:
        self.filter_by(f"tag:{quote_query_value(tag)}")

    # -- searching ------------------------------------------------------------------------------

    @on(SearchBar.QueryChanged)
    def _query_changed(self, message: SearchBar.QueryChanged) -> None:
        self.query_text = message.query
        self.status.error = ""
        if not message.query:
            self.result = None
            self._show_all(keep=self.open_id)
            self.reading_pane.set_marks([])
            return
        self.refresh_search()

    @work(thread=True, exclusive=True, group="search")
    def _run_search(self, query: str, sort: str, limit: int) -> None:
        """Search in a thread. Always reports back, so the screen knows the search ended."""
        library = self.app.library
        try:
            result = library.search(query, limit=limit, sort=sort)
        except QueryError as error:
            self.post_message(SearchFailed(query, sort, str(error)))
            return
        except Exception as error:  # noqa: BLE001 - the index went away mid-search: say so, carry on
            self.post_message(SearchFailed(query, sort, f"search failed: {type(error).__name__}: {error}"))
            return
        marks: dict[str, list[tuple[int, int]]] = {}
        article = self.open_article
        if article is not None and result.terms:
            marks[article.id] = list(library.term_spans(article.text, result.terms))
        self.post_message(SearchFinished(query, sort, result, marks))

    def on_search_finished(self, message: SearchFinished) -> None:
        if not self._search_ended(message.query, message.sort):
            return  # stale: the newest query is already being searched
        previous, self.result = self.result, message.result
        hits: dict[str, SearchHit] = {}
        rows: list[ArticleSummary] = []
        for hit in message.result.hits:
            summary = self.summaries.get(hit.id)
            if summary is not None and hit.id not in hits:
                hits[hit.id] = hit
                rows.append(summary)
        empty = f"No articles match {visible(message.query, 80)}"
        # A bigger batch of the same query keeps the cursor where the user scrolled to.
        grown = previous is not None and previous.query == message.query and len(previous.hits) < len(message.result.hits)
        keep = self.article_list.current_id if grown else None
        self.article_list.show(rows, hits=hits, empty_message=empty, keep=keep)
        if self.open_article is not None:
            self.reading_pane.set_marks(message.marks.get(self.open_article.id, []))
        self._update_info()
        self.app.hits_shown()

    @on(ArticleList.SnippetsWanted)
    def _snippets_wanted(self, message: ArticleList.SnippetsWanted) -> None:
        if self.result is not None:
            self._make_snippets(self.result.query, message.hits)

    @work(thread=True, group="snippets")
    def _make_snippets(self, query: str, hits: list[SearchHit]) -> None:
        snippets = {hit.id: (hit.snippet, hit.highlights) for hit in hits}
        self.post_message(SnippetsMade(query, snippets))

    def on_snippets_made(self, message: SnippetsMade) -> None:
        if self.result is not None and message.query == self.result.query:
            self.article_list.add_snippets(message.snippets)

    def on_search_failed(self, message: SearchFailed) -> None:
        if self._search_ended(message.query, message.sort):
            self.status.error = visible(message.error, 200)

    # -- reading state --------------------------------------------------------------------------

    def mark_read(self, article_ids: Iterable[str], *, read: bool) -> None:
        for article_id in article_ids:
            if read:
                self.read_ids.add(article_id)
            else:
                self.read_ids.discard(article_id)
        self.article_list.refresh()
        self._update_info()
        self._save_read_marks(set(self.read_ids))

    @work(thread=True, exclusive=True, group="read-marks")
    def _save_read_marks(self, read_ids: set[str]) -> None:
        save_read_marks(self.app.library.root, read_ids)

    def action_toggle_read(self) -> None:
        article_id = self._tag_target()
        if article_id is not None:
            self.mark_read([article_id], read=article_id not in self.read_ids)

    # -- keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        if action == "tag_results":
            return True if self.query_text else None  # shown greyed out until there is a search
        if action == "step_match":
            return bool(self.reading_pane.marks) or None
        return True

    def action_focus_search(self) -> None:
        if self.focused is self.search_bar:
            self.search_bar.insert_text_at_cursor("/")  # priority bindings see every "/"; one typed in the bar stays text
        else:
            self.focus_pane("search")

    def action_cycle_pane(self, step: int) -> None:
        current = self.focused.id if self.focused is not None else None
        index = PANES.index(current) if current in PANES else 0
        self.focus_pane(PANES[(index + step) % len(PANES)])

    def action_step_article(self, step: int) -> None:
        article_id = self.article_list.neighbour_of(self.open_id, step)
        if article_id is None:
            self.notify("No more articles that way.", timeout=1.5)
            return
        self.article_list.move_to(article_id)
        self.open(article_id, focus=self.focused is not self.article_list)

    def action_step_match(self, step: int) -> None:
        if not self.reading_pane.jump_to_match(step):
            self.notify("No search matches in this article.", timeout=1.5)

    def action_people(self) -> None:
        self.focus_pane("people")

    def action_quotes(self) -> None:
        self.focus_pane("quotes")

    def action_cycle_sort(self) -> None:
        orders = ("relevance", *SORTS) if self.query_text else SORTS
        current = self.sort
        following = orders[(orders.index(current) + 1) % len(orders)] if current in orders else orders[0]
        self.app.set_sort(following, searching=bool(self.query_text))
        if self.query_text:
            self.refresh_search()
        else:
            self._show_all(keep=self.article_list.current_id)
        self.notify(f"Sorted by {following}", timeout=1.5)

    def action_back(self) -> None:
        """Esc: from the reading pane or side panel back to the list; in the list, clear the search."""
        if self.focused is self.article_list:
            if self.query_text:
                self.search_bar.set_query("")
            return
        self.focus_pane("articles")

    # -- for the palette ------------------------------------------------------------------------

    def people_names(self) -> list[str]:
        return [person.name for person in self.extraction.people] if self.extraction else []

    def titles(self) -> Iterable[tuple[str, str]]:
        """(id, title) of every known article, for "open by title"."""
        return ((summary.id, summary.title) for summary in self.summaries.values())

    def open_from_palette(self, article_id: str) -> None:
        if self.query_text and self.article_list.index_of(article_id) is None:
            self.search_bar.set_query("")
        self.article_list.move_to(article_id)
        self.open(article_id)
