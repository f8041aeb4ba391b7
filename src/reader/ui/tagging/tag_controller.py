"""Tagging from the main screen: the editor for one article or a whole search, and the filter.

The library is called in thread workers; saved tags come back as messages, and the list and
the reading pane are brought in step with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from textual.screen import Screen

from reader.core.files import DiskFull
from reader.core.library import Library, QueryError
from reader.core.models import ArticleSummary
from reader.core.tags.spelling import TagError, tag_key  # not the package: its exchange code loads late
from reader.core.text import visible
from reader.ui.controller import Controller
from reader.ui.listing.article_list import ArticleList
from reader.ui.messages import TagsFailed, TagsSaved
from reader.ui.reading.reading_pane import ReadingPane

# The dialogs are imported when first opened, not at start-up.
if TYPE_CHECKING:
    from reader.ui.tagging.tag_editor import TagEdit


class TagHost(Protocol):
    """What tagging needs of the screen it serves."""

    library: Library

    @property
    def summaries(self) -> dict[str, ArticleSummary]: ...

    @property
    def query_text(self) -> str: ...

    def forget_orders(self) -> None: ...

    def refresh_search(self) -> None: ...

    def filter_by_tag(self, tag: str) -> None: ...


class TagController(Controller):
    """``t``, ``T`` and ``ctrl+t``, and keeping the list and pane in step with saved tags."""

    def __init__(self, screen: Screen[Any], host: TagHost) -> None:
        super().__init__(screen)
        self.host = host

    def target(self) -> str | None:
        """The article a key acts on: the one under the list's cursor when the list has the
        keyboard (or nothing is open), else the open one."""
        article_list = self.screen.query_one(ArticleList)
        if self.screen.focused is article_list or article_list.open_id is None:
            return article_list.current_id
        return article_list.open_id

    def edit_tags(self) -> None:
        article_id = self.target()
        if article_id is None:
            self.screen.notify("No article to tag.", severity="warning")
            return
        summary = self.host.summaries.get(article_id)
        title = summary.title if summary else article_id
        current = summary.tags if summary else ()
        self.in_thread(partial(self._open_tag_editor, [article_id], title, current), "tags")

    def tag_results(self) -> None:
        query = self.host.query_text
        if not query:
            self.screen.notify("Search first: this tags every article the search finds.", severity="warning")
            return
        self.in_thread(partial(self._tag_all_results, query), "tags")

    def _tag_all_results(self, query: str) -> None:
        try:
            result = self.host.library.search(query, limit=None)
        except QueryError as error:
            self.screen.post_message(TagsFailed(str(error)))
            return
        ids = list(dict.fromkeys(hit.id for hit in result.hits))
        if not ids:
            self.screen.post_message(TagsFailed("the search found no articles to tag"))
            return
        summaries = self.host.summaries
        tag_sets = [set(summaries[i].tags) if i in summaries else set() for i in ids]
        common = sorted(set.intersection(*tag_sets)) if tag_sets else []
        subject = f"All {len(ids):,} articles matching {query}"
        known = self.host.library.all_tags()
        self.screen.app.call_from_thread(self._show_tag_editor, ids, subject, tuple(common), known)

    def _open_tag_editor(self, article_ids: list[str], subject: str, current: Sequence[str]) -> None:
        known = self.host.library.all_tags()
        self.screen.app.call_from_thread(self._show_tag_editor, article_ids, subject, current, known)

    def _show_tag_editor(
        self, article_ids: list[str], subject: str, current: Sequence[str], known: list[tuple[str, int]]
    ) -> None:
        from reader.ui.tagging.tag_editor import TagEditor

        def saved(edit: TagEdit | None) -> None:
            if edit:
                self.in_thread(partial(self._save_tags, article_ids, edit), "tags", exclusive=False)

        self.screen.app.push_screen(TagEditor(subject, current, known), saved)

    def _save_tags(self, article_ids: list[str], edit: TagEdit) -> None:
        library = self.host.library
        try:
            if edit.removed:
                library.remove_tags(article_ids, list(edit.removed))
            if edit.added:
                library.add_tags(article_ids, list(edit.added))
        except DiskFull as error:  # names the full folder and what was (not) saved
            self.screen.post_message(TagsFailed(str(error), whole=True))
            return
        except (TagError, OSError, KeyError, RuntimeError) as error:
            # A bad tag, a vanished article or an unavailable tag store: one line, no traceback.
            self.screen.post_message(TagsFailed(str(error)))
            return
        self.screen.post_message(TagsSaved(article_ids, edit.added, edit.removed))

    def saved(self, message: TagsSaved) -> None:
        """Show the saved tags in the list and the pane, without reading the catalog again."""
        removed = {tag_key(tag) for tag in message.removed}
        article_list = self.screen.query_one(ArticleList)
        for article_id in message.article_ids:
            summary = self.host.summaries.get(article_id)
            if summary is None:
                continue
            kept = [tag for tag in summary.tags if tag_key(tag) not in removed]
            have = {tag_key(tag) for tag in kept}
            kept += [tag for tag in message.added if tag_key(tag) not in have]
            updated = summary.with_tags(tuple(kept))
            self.host.summaries[article_id] = updated
            article_list.replace_summary(updated)
            if article_id == article_list.open_id:
                self.screen.query_one(ReadingPane).set_user_tags(updated.tags)
        self.host.forget_orders()
        if "tag:" in self.host.query_text:
            self.host.refresh_search()  # the article may have joined or left a tag filter
        count = len(message.article_ids)
        self.screen.notify(f"Tags saved for {count:,} article{'s' if count != 1 else ''}.")

    def failed(self, message: TagsFailed) -> None:
        text = message.error[:1].upper() + message.error[1:] if message.whole else f"Tags not saved: {message.error}"
        self.screen.notify(visible(text, 300), severity="error", markup=False)

    def filter_by_tag(self) -> None:
        """``T``: pick one of the user's tags and list its articles."""
        self.in_thread(self._open_tag_picker, "tags")

    def _open_tag_picker(self) -> None:
        from reader.ui.tagging.tag_picker import TagPicker

        known = self.host.library.all_tags()
        self.screen.app.call_from_thread(self.screen.app.push_screen, TagPicker(known), self._tag_picked)

    def _tag_picked(self, tag: str | None) -> None:
        if tag:
            self.host.filter_by_tag(tag)
