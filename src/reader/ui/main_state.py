"""The state of the main screen that its tests, the palette and the controllers read.

Each part is owned by one controller; the screen only lends it out, through these properties.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from reader.core.models import Article, ArticleSummary, SearchResult, SyncReport
from reader.ui.corpus_views.corpus_views_controller import CorpusViewsController
from reader.ui.listing.list_controller import ListController
from reader.ui.reading.reading_controller import ReadingController
from reader.ui.searching.search_controller import SearchController

if TYPE_CHECKING:
    from reader.core.extraction import Extraction  # imported by the library when first needed


class MainState:
    """Read-only views of the controllers' state, for the main screen to inherit."""

    listing: ListController
    reading: ReadingController
    search: SearchController
    corpus_views: CorpusViewsController

    @property
    def summaries(self) -> dict[str, ArticleSummary]:
        return self.listing.summaries

    @property
    def read_ids(self) -> set[str]:
        return self.listing.read_ids

    @property
    def open_article(self) -> Article | None:
        return self.reading.article

    @property
    def extraction(self) -> Extraction | None:
        return self.reading.extraction

    @property
    def sync_running(self) -> bool:
        return self.listing.sync_running

    @property
    def last_sync(self) -> SyncReport | None:
        return self.listing.last_sync

    @property
    def query_text(self) -> str:
        return self.search.query_text

    @property
    def result(self) -> SearchResult | None:
        return self.search.result

    @property
    def copies(self) -> Mapping[str, str]:
        return self.corpus_views.copies

    @property
    def collapse_copies(self) -> bool:
        return self.corpus_views.collapse_copies
