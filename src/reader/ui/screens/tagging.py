"""Tag actions of the main screen: the editor for one article or a whole search, and the filter.

A mixin only to keep ``main.py`` readable: these methods are the main screen's, mediate the same
way (workers call the library, messages bring results back) and use its widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import work

from reader.core.library import ArticleSummary, QueryError
from reader.core.tags.spelling import TagError, tag_key  # not the package: its exchange code loads late
from reader.core.text import visible
from reader.ui.messages import TagsFailed, TagsSaved

# The dialogs are imported when first opened, not at start-up.
if TYPE_CHECKING:
    from reader.ui.screens.tag_editor import TagEdit
    from reader.ui.app import ReaderApp
    from reader.ui.widgets.article_list import ArticleList
    from reader.ui.widgets.reading_pane import ReadingPane


class TagActions:
    """``t``, ``T`` and ``ctrl+t``, and keeping the list and pane in step with saved tags."""

    if TYPE_CHECKING:
        app: ReaderApp
        summaries: dict[str, ArticleSummary]
        query_text: str
        article_list: ArticleList
        reading_pane: ReadingPane
        open_id: str | None
        focused: object

        def notify(self, message: str, *, severity: str = ..., timeout: float = ...) -> None: ...
        def post_message(self, message: object) -> bool: ...
        def forget_orders(self) -> None: ...
        def refresh_search(self) -> None: ...
        def filter_by_tag(self, tag: str) -> None: ...

    def _tag_target(self) -> str | None:
        if self.focused is self.article_list or self.open_id is None:
            return self.article_list.current_id
        return self.open_id

    def action_edit_tags(self) -> None:
        article_id = self._tag_target()
        if article_id is None:
            self.notify("No article to tag.", severity="warning")
            return
        summary = self.summaries.get(article_id)
        title = summary.title if summary else article_id
        current = summary.tags if summary else ()
        self._open_tag_editor([article_id], title, current)

    def action_tag_results(self) -> None:
        if not self.query_text:
            self.notify("Search first: this tags every article the search finds.", severity="warning")
            return
        self._tag_all_results(self.query_text)

    @work(thread=True, exclusive=True, group="tags")
    def _tag_all_results(self, query: str) -> None:
        try:
            result = self.app.library.search(query, limit=None)
        except QueryError as error:
            self.post_message(TagsFailed(str(error)))
            return
        ids = list(dict.fromkeys(hit.id for hit in result.hits))
        if not ids:
            self.post_message(TagsFailed("the search found no articles to tag"))
            return
        tag_sets = [set(self.summaries[i].tags) if i in self.summaries else set() for i in ids]
        common = sorted(set.intersection(*tag_sets)) if tag_sets else []
        subject = f"All {len(ids):,} articles matching {query}"
        known = self.app.library.all_tags()
        self.app.call_from_thread(self._show_tag_editor, ids, subject, tuple(common), known)

    @work(thread=True, exclusive=True, group="tags")
    def _open_tag_editor(self, article_ids: list[str], subject: str, current: Sequence[str]) -> None:
        known = self.app.library.all_tags()
        self.app.call_from_thread(self._show_tag_editor, article_ids, subject, current, known)

    def _show_tag_editor(
        self, article_ids: list[str], subject: str, current: Sequence[str], known: list[tuple[str, int]]
    ) -> None:
        from reader.ui.screens.tag_editor import TagEditor

        def saved(edit: TagEdit | None) -> None:
            if edit:
                self._save_tags(article_ids, edit)

        self.app.push_screen(TagEditor(subject, current, known), saved)

    @work(thread=True, group="tags")
    def _save_tags(self, article_ids: list[str], edit: TagEdit) -> None:
        library = self.app.library
        try:
            if edit.removed:
                library.remove_tags(article_ids, list(edit.removed))
            if edit.added:
                library.add_tags(article_ids, list(edit.added))
        except (TagError, OSError, KeyError, RuntimeError) as error:
            # A bad tag, a vanished article or an unavailable tag store: one line, no traceback.
            self.post_message(TagsFailed(str(error)))
            return
        self.post_message(TagsSaved(article_ids, edit.added, edit.removed))

    def on_tags_saved(self, message: TagsSaved) -> None:
        removed = {tag_key(tag) for tag in message.removed}
        for article_id in message.article_ids:
            summary = self.summaries.get(article_id)
            if summary is None:
                continue
            kept = [tag for tag in summary.tags if tag_key(tag) not in removed]
            have = {tag_key(tag) for tag in kept}
            kept += [tag for tag in message.added if tag_key(tag) not in have]
            updated = summary.with_tags(tuple(kept))
            self.summaries[article_id] = updated
            self.article_list.replace_summary(updated)
            if article_id == self.open_id:
                self.reading_pane.set_user_tags(updated.tags)
        self.forget_orders()
        if "tag:" in self.query_text:
            self.refresh_search()  # the article may have joined or left a tag filter
        count = len(message.article_ids)
        self.notify(f"Tags saved for {count:,} article{'s' if count != 1 else ''}.")

    def on_tags_failed(self, message: TagsFailed) -> None:
        self.notify(visible(f"Tags not saved: {message.error}", 300), severity="error", markup=False)

    def action_filter_by_tag(self) -> None:
        self._open_tag_picker()

    @work(thread=True, exclusive=True, group="tags")
    def _open_tag_picker(self) -> None:
        from reader.ui.screens.tag_picker import TagPicker

        known = self.app.library.all_tags()
        self.app.call_from_thread(self.app.push_screen, TagPicker(known), self._tag_picked)

    def _tag_picked(self, tag: str | None) -> None:
        if tag:
            self.filter_by_tag(tag)
