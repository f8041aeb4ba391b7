"""The open article: read from its file in a worker, shown with the search's matches marked, then
its quotes and people, found in the same worker."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.worker import get_current_worker

from reader.core.library import Library
from reader.core.models import Article, LoadIssue
from reader.core.text import visible
from reader.ui.controller import Controller
from reader.ui.messages import ArticleLoaded, ExtractionLoaded, PeopleLinked
from reader.ui.reading.decorations import with_quote_marks
from reader.ui.reading.people_panel import PeoplePanel
from reader.ui.reading.quotes_panel import QuotesPanel
from reader.ui.reading.reading_pane import ReadingPane

if TYPE_CHECKING:
    from reader.core.cross_article import SurnameLink
    from reader.core.extraction import Extraction  # imported by the library when first needed


class ReadingController(Controller):
    """The article in the reading pane, and its quotes and people in the side panel."""

    def __init__(self, screen: Screen[Any], library: Library) -> None:
        super().__init__(screen)
        self.library = library
        self.article: Article | None = None
        self.extraction: Extraction | None = None
        self.links: dict[str, SurnameLink] = {}
        self._place: float | None = None  # where to scroll the article read again to

    def load(self, article_id: str, terms: frozenset[str], *, keep_place: bool = False) -> None:
        """Read the article (marking ``terms``, the open search's), then find its quotes;
        ``keep_place``: the same article read again (its file changed), scrolled as it was."""
        self._place = self.screen.query_one(ReadingPane).scroll_y if keep_place else None
        self.extraction = None
        self.links = {}
        self.screen.query_one(QuotesPanel).show_message("Finding quotes…")
        self.screen.query_one(PeoplePanel).show_message("Finding people…")
        self.in_thread(partial(self._load, article_id, terms), "article")

    def _load(self, article_id: str, terms: frozenset[str]) -> None:
        article = self.library.article(article_id)
        marks: list[tuple[int, int]] = []
        if isinstance(article, Article) and terms:
            marks = list(self.library.term_spans(article.text, terms))
        if get_current_worker().is_cancelled:
            return
        self.screen.post_message(ArticleLoaded(article, marks))
        if not isinstance(article, Article):
            return
        try:
            extraction = self.library.extraction(article_id)
        except Exception as error:  # noqa: BLE001 - the text still reads fine without quotes
            self.screen.post_message(ExtractionLoaded(article_id, None, f"{type(error).__name__}: {error}"))
            return
        if get_current_worker().is_cancelled:
            return
        self.screen.post_message(ExtractionLoaded(article_id, extraction))
        if any(person.name_kind in ("surname", "given") for person in extraction.people):
            links = self._person_links(article_id)
            if links and not get_current_worker().is_cancelled:
                self.screen.post_message(PeopleLinked(article_id, links))

    def _person_links(self, article_id: str) -> dict[str, SurnameLink]:
        """What the corpus makes of the article's bare surnames; nothing if it cannot be read."""
        try:
            return self.library.analysis.person_links(article_id)
        except Exception:  # noqa: BLE001 - the people are shown without links then
            return {}

    def people_linked(self, message: PeopleLinked) -> None:
        """Show which of the open article's surnames the corpus links to a person."""
        self.links = message.links
        self.screen.query_one(PeoplePanel).show_links(message.links)
        linked = {name: link.linked for name, link in message.links.items() if link.linked}
        if linked:
            self.screen.query_one(QuotesPanel).show_speaker_links(linked)

    def linked_name(self, name: str) -> str:
        """The person a name of the open article stands for across the corpus (itself if none)."""
        link = self.links.get(name)
        return link.linked if link is not None and link.linked else name

    def loaded(self, message: ArticleLoaded, user_tags: tuple[str, ...]) -> Article | None:
        """Show the article (with the user's tags), or why it could not be opened."""
        article = message.article
        if isinstance(article, LoadIssue):
            self.article = None
            why = f"This article could not be opened: {visible(article.reason, 300)}"
            self.screen.query_one(ReadingPane).clear(why)
            self.screen.query_one(QuotesPanel).show_message("No article")
            self.screen.query_one(PeoplePanel).show_message("No article")
            return None
        self.article = article
        pane = self.screen.query_one(ReadingPane)
        pane.show_article(article, user_tags=user_tags, marks=message.marks)
        if self._place:
            pane.scroll_to(y=self._place, animate=False, immediate=True)
        self._place = None
        return article

    def extraction_loaded(self, message: ExtractionLoaded) -> bool:
        """Show the open article's quotes and people; True when they were found."""
        quotes_panel = self.screen.query_one(QuotesPanel)
        people_panel = self.screen.query_one(PeoplePanel)
        if message.extraction is None:
            quotes_panel.show_message(visible(f"Quotes unavailable: {message.error}", 200))
            people_panel.show_message("People unavailable")
            return False
        self.extraction = message.extraction
        quotes = message.extraction.quotes
        quotes_panel.show_quotes(quotes)
        people_panel.show_people(message.extraction.people)
        text = self.article.text if self.article is not None else ""
        marked = [with_quote_marks(text, quote.start, quote.end) for quote in quotes]
        self.screen.query_one(ReadingPane).set_quotes(marked)
        return True
