"""The one main screen: composes the panes and the controllers, and mediates between them.

Widgets never talk to each other or to the library; they post messages here. Each feature's
state and work lives in a controller (the list and sync, searching, tagging, the views across
articles) that calls the library in thread workers; their results come back here as messages,
and this screen hands them to the controller concerned and keeps the panes in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header

from reader.core.library import Library
from reader.core.models import Article
from reader.core.ordering import HIT_ORDERS, LIST_ORDERS
from reader.ui import messages, panes
from reader.ui.annotating.annotation_controller import AnnotationController
from reader.ui.corpus_views.corpus_views_controller import CorpusViewsController
from reader.ui.footer import ReaderFooter
from reader.ui.handoffs.handoff_controller import HANDOFF_BINDINGS, HandoffActions, HandoffController
from reader.ui.listing.article_list import ArticleList
from reader.ui.listing.list_controller import ListController
from reader.ui.listing.status_bar import StatusBar, coverage, describe, listed
from reader.ui.long_lived import settle_long_lived
from reader.ui.main_state import MainState
from reader.ui.reading.highlights_panel import HighlightsPanel
from reader.ui.reading.people_panel import PeoplePanel
from reader.ui.reading.quotes_panel import QuotesPanel
from reader.ui.reading.reading_controller import ReadingController
from reader.ui.reading.reading_pane import ReadingPane
from reader.ui.saved_searches.saved_search_controller import (
    SAVED_SEARCH_BINDINGS,
    SavedSearchActions,
    SavedSearchController,
)
from reader.ui.searching.search_bar import SearchBar
from reader.ui.searching.search_controller import SearchController, quote_query_value
from reader.ui.settings import Settings
from reader.ui.tagging.tag_controller import TagController
from reader.ui.watching.live_controller import LIVE_BINDINGS, LiveActions, LiveController

if TYPE_CHECKING:
    pass  # imported by the library when first needed

class MainScreen(MainState, HandoffActions, LiveActions, SavedSearchActions, Screen[None]):
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
        Binding("p", "focus_pane('people')", "People", id="people"),
        Binding("quotation_mark", "focus_pane('quotes')", "Quotes", show=False, id="quotes"),
        Binding("H", "focus_pane('highlights')", "Highlights", show=False, id="highlights"),
        Binding("a", "note", "Note", id="note"),
        Binding("u", "toggle_read", "Read/unread", show=False, id="toggle_read"),
        Binding("A", "mark_all_read", "Mark all read", show=False, id="mark_all_read"),
        Binding("ctrl+z", "undo_mark_read", "Undo mark all read", show=False, id="undo_mark_read"),
        *HANDOFF_BINDINGS,
        Binding("s", "cycle_sort", "Sort", id="cycle_sort"),
        Binding("P", "people_across", "People across articles", show=False, id="people_across"),
        Binding("L", "timeline", "Timeline", show=False, id="timeline"),
        Binding("D", "toggle_copies", "Collapse copies", show=False, id="toggle_copies"),
        *SAVED_SEARCH_BINDINGS,
        *LIVE_BINDINGS,
        Binding("escape", "back", "Back", show=False, id="back"),
    ]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (130, "-wide"), (180, "-widest")]
    """Under 100 columns one pane shows at a time; under 130 the side panel opens on demand;
    from 180 the list and the text share the room evenly (the text's lines stop at 100)."""

    class SettingsChanged(Message):
        """The sort or the last article open changed: the app saves the settings."""

    def __init__(self, library: Library, settings: Settings, read_ids: set[str]) -> None:
        super().__init__()
        self.library = library
        self.settings = settings
        self.listing = ListController(self, library, read_ids)
        self.reading = ReadingController(self, library)
        self.search = SearchController(self, self)
        self.tagging = TagController(self, self)
        self.corpus_views = CorpusViewsController(self, self)
        self.corpus_views.collapse_copies = settings.collapse_copies
        self.handoffs = HandoffController(self, self)
        self.annotating = AnnotationController(self, self)
        self.live = LiveController(self, self)
        self.saved = SavedSearchController(self, self)

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="☰")
        yield SearchBar(id="search")
        yield StatusBar(id="status")
        with Horizontal(id="panes"):
            yield ArticleList(id="articles")
            yield ReadingPane(id="reader")
            with Vertical(id="side"):
                yield from panes.side_panels()
        yield ReaderFooter()

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
        self.search_bar.cursor_blink = getattr(self.app, "cursor_blink", True)
        self.article_list.set_read_ids(self.read_ids)
        self.article_list.set_new_ids(self.listing.new_ids)
        self.article_list.empty_message = "Loading…"
        self.query_one(QuotesPanel).show_message("Open an article to see its quotes")
        self.query_one(PeoplePanel).show_message("Open an article to see who is in it")
        self.query_one(HighlightsPanel).show_message("Open an article to see your highlights")
        self.article_list.focus()
        self.listing.load_first_screen(self.settings.sort)
        self.listing.watch_folder()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """Remember which pane has the keyboard; narrow layouts show panes by it."""
        panes.mark_focus(self, event.widget)

    def focus_pane(self, name: str) -> None:
        panes.focus_pane(self, name)

    # -- the list and the sync ------------------------------------------------------------------

    def on_first_screen_loaded(self, message: messages.FirstScreenLoaded) -> None:
        if message.rows and not self.summaries:
            self.article_list.show(message.rows, keep=self.last_article_id)
            self.status.info = f"{message.total:,} articles · reading the whole list…"
        # After this frame: the load holds the GIL for a while and would delay it.
        self.call_after_refresh(lambda: self.listing.load_summaries(self.settings.sort, then_sync=True))

    def on_summaries_loaded(self, message: messages.SummariesLoaded) -> None:
        if message.then_sync:
            # After the list is painted: the sync thread would otherwise compete for the GIL
            # with the first frame. The folder is watched before the sync looks at it: nothing is missed.
            self.call_after_refresh(self.start_sync)
            self.live.start(self.settings.watch)
        first_load = self.listing.keep(message)
        if self.query_text:
            self.refresh_search()
        else:
            self.show_all(keep=self.listing.row_to_keep(self.open_id, self.last_article_id))
        last = self.last_article_id
        if first_load and last in self.summaries and self.open_id is None:
            self.article_list.move_to(last)
            self.open(last, focus=False)
        self.call_after_refresh(settle_long_lived)  # the rows just read live as long as the list

    def start_sync(self, rebuild: bool = False) -> None:
        self.listing.start_sync(rebuild)

    def on_sync_progress(self, message: messages.SyncProgress) -> None:
        self.listing.sync_progress(message)

    def on_catalog_grew(self, message: messages.CatalogGrew) -> None:
        if self.listing.catalog_grew(message) and self.query_text:
            self.refresh_search()  # more articles are searchable

    def on_sync_finished(self, message: messages.SyncFinished) -> None:
        changed = self.listing.sync_finished(message)
        self.live.kick()  # changes seen while it ran
        if message.report is None:
            self.show_all()
            return
        if changed:
            self.listing.load_summaries(self.settings.sort)
        if message.changes is not None:
            self.live.arrived(message.changes)
        self.find_copies()
        self.update_info()
        self.listing.after_sync()

    @property
    def sort(self) -> str:
        """The order in effect: hits and the whole list each keep their own."""
        return self.settings.search_sort if self.query_text else self.settings.sort

    def forget_orders(self) -> None:
        self.listing.forget_orders()

    def refresh_search(self, *, keep_place: bool = False) -> None:
        self.search.refresh(keep_place=keep_place)

    def show_all(self, keep: str | None = None) -> None:
        rows = self.listing.shown_summaries(self.sort)
        self.article_list.show(rows, keep=keep, empty_message=self.listing.empty_message())
        self.update_info()

    def on_folder_checked(self, message: messages.FolderChecked) -> None:
        if self.listing.folder_checked(message):  # the folder went or came back: list again
            self.refresh_search() if self.query_text else self.show_all(keep=self.article_list.current_id)

    def find_copies(self) -> None:
        self.corpus_views.find_copies()

    def update_info(self) -> None:
        # Counted over the read marks (few), not the articles (100k): this runs at every search.
        unread = len(self.summaries) - len(self.summaries.keys() & self.read_ids)
        found = self.extraction
        self.status.info, self.status.short_info = describe(
            listed(self.article_list.row_count, self.result), unread, self.sort,
            open_counts=(len(found.quotes), len(found.people)) if found is not None else None,
            collapsed=self.collapse_copies,
            new=self.article_list.count_listed(self.listing.new_ids), searched=coverage(self.result),
        )

    @on(ArticleList.CursorMoved)
    def _cursor_moved(self, message: ArticleList.CursorMoved) -> None:
        self.search.cursor_moved(message.index, message.count)

    @on(ArticleList.Chosen)
    def _article_chosen(self, message: ArticleList.Chosen) -> None:
        self.open(message.article_id)

    # -- opening an article ---------------------------------------------------------------------

    @property
    def last_article_id(self) -> str | None:
        return self.settings.last_article_in(self.library.root)

    def open(self, article_id: str, *, focus: bool = True) -> None:
        """Open an article in the reading pane and mark it read."""
        self.article_list.set_open(article_id)
        self.mark_read([article_id], read=True)
        self.remember_open(article_id)
        self.reading.load(article_id, self.result.terms if self.result is not None else frozenset())
        if focus:
            self.focus_pane("reader")

    def remember_open(self, article_id: str) -> None:
        self.settings.remember_article(self.library.root, article_id)
        self.settings_changed()

    def settings_changed(self) -> None:
        self.post_message(self.SettingsChanged())

    def on_article_loaded(self, message: messages.ArticleLoaded) -> None:
        article = self.reading.loaded(message, self._user_tags(message))
        self.annotating.article_shown(article)
        if article is not None:
            self.corpus_views.article_shown(article)

    def _user_tags(self, message: messages.ArticleLoaded) -> tuple[str, ...]:
        article = message.article
        summary = self.summaries.get(article.id) if isinstance(article, Article) else None
        return summary.tags if summary is not None else ()

    def on_extraction_loaded(self, message: messages.ExtractionLoaded) -> None:
        if message.article_id != self.open_id:
            return
        if self.reading.extraction_loaded(message):
            self.update_info()
            self.corpus_views.find_clusters(message.article_id)

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

    # -- messages for the controllers -----------------------------------------------------------

    @on(messages.ForController)
    def _for_controller(self, message: messages.ForController) -> None:
        message.deliver()

    @on(SearchBar.QueryChanged)
    def _query_changed(self, message: SearchBar.QueryChanged) -> None:
        self.search.query_changed(message.query)

    def on_search_finished(self, message: messages.SearchFinished) -> None:
        if self.search.finished(message):
            self.listing.tell_missing(message.result.missing)

    def on_search_failed(self, message: messages.SearchFailed) -> None:
        self.search.failed(message)

    @on(ArticleList.SnippetsWanted)
    def _snippets_wanted(self, message: ArticleList.SnippetsWanted) -> None:
        self.search.snippets_wanted(message.hits)

    def on_snippets_made(self, message: messages.SnippetsMade) -> None:
        self.search.snippets_made(message)

    def on_tags_saved(self, message: messages.TagsSaved) -> None:
        self.tagging.saved(message)

    def on_tags_failed(self, message: messages.TagsFailed) -> None:
        self.tagging.failed(message)

    def on_people_linked(self, message: messages.PeopleLinked) -> None:
        if message.article_id == self.open_id:
            self.reading.people_linked(message)

    def on_clusters_found(self, message: messages.ClustersFound) -> None:
        self.corpus_views.clusters_found(message)

    def on_copies_found(self, message: messages.CopiesFound) -> None:
        self.corpus_views.copies_found(message)

    def on_quotes_exported(self, message: messages.QuotesExported) -> None:
        self.corpus_views.quotes_exported(message)

    def on_quotes_panel_sources_wanted(self, message: QuotesPanel.SourcesWanted) -> None:
        self.corpus_views.sources_wanted(message.index)

    @on(messages.AnnotationMessage)
    def _annotations(self, message: messages.AnnotationMessage) -> None:
        self.annotating.handle(message)

    # -- reading state --------------------------------------------------------------------------

    def mark_read(self, article_ids: Iterable[str], *, read: bool) -> None:
        self.listing.mark_read(article_ids, read=read)
        self.update_info()

    # -- keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tag_results":
            return True if self.query_text else None  # shown greyed out until there is a search
        if action == "step_match":
            return bool(self.reading_pane.marks) or None
        return True

    def action_focus_search(self) -> None:
        if self.focused is self.search_bar:
            # Priority bindings see every "/": one typed in the bar stays text.
            self.search_bar.insert_text_at_cursor("/")
        else:
            self.focus_pane("search")
            self.search.prepare()

    def action_cycle_pane(self, step: int) -> None:
        self.focus_pane(panes.next_pane(self.focused, step))

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

    def action_focus_pane(self, name: str) -> None:
        self.focus_pane(name)

    def action_note(self) -> None:
        self.annotating.edit_note()

    def action_toggle_read(self) -> None:
        article_id = self.tagging.target()
        if article_id is not None:
            self.mark_read([article_id], read=article_id not in self.read_ids)

    def action_cycle_sort(self) -> None:
        searching = bool(self.query_text)
        orders = HIT_ORDERS if searching else LIST_ORDERS
        current = self.sort
        following = orders[(orders.index(current) + 1) % len(orders)] if current in orders else orders[0]
        if searching:
            self.settings.search_sort = following
            self.refresh_search()
        else:
            self.settings.sort = following
            self.show_all(keep=self.article_list.current_id)
        self.post_message(self.SettingsChanged())
        self.notify(f"Sorted by {following}", timeout=1.5)

    def action_back(self) -> None:
        """Esc: from the reading pane or side panel back to the list; in the list, clear the search."""
        if self.focused is self.article_list:
            if self.query_text:
                self.search_bar.set_query("")
            return
        self.focus_pane("articles")

    def action_edit_tags(self) -> None:
        self.tagging.edit_tags()

    def action_tag_results(self) -> None:
        self.tagging.tag_results()

    def action_filter_by_tag(self) -> None:
        self.tagging.filter_by_tag()

    def action_people_across(self) -> None:
        self.corpus_views.people_across()

    def action_timeline(self) -> None:
        self.corpus_views.timeline()

    def action_toggle_copies(self) -> None:
        self.corpus_views.toggle_copies()
        self.settings.collapse_copies = self.corpus_views.collapse_copies
        self.post_message(self.SettingsChanged())

    def action_mark_all_read(self) -> None:
        self.listing.mark_all_read(self.article_list.article_ids)
        self.update_info()

    def action_undo_mark_read(self) -> None:
        self.listing.undo_mark_all_read()
        self.update_info()

    def target_article(self) -> str | None:
        return self.tagging.target()

    def on_file_edited(self, message: messages.FileEdited) -> None:
        """The file changed in the editor was indexed again: list it anew, and show it if open."""
        if self.handoffs.file_edited(message):
            self.forget_orders()
            self.listing.load_summaries(self.settings.sort)
            if message.article_id == self.open_id:
                self.open(message.article_id, focus=False)

    def action_export_quotes(self) -> None:
        self.corpus_views.export_quotes()

    # -- for the palette ------------------------------------------------------------------------

    def people_names(self) -> list[str]:
        """The open article's people, by the names they are linked to across the corpus."""
        names = [self.reading.linked_name(person.name) for person in self.extraction.people] if self.extraction else []
        return list(dict.fromkeys(names))

    def open_from_palette(self, article_id: str) -> None:
        if self.query_text and self.article_list.index_of(article_id) is None:
            self.search_bar.set_query("")
        self.article_list.move_to(article_id)
        self.open(article_id)
