"""Messages that worker threads post back to the main screen: the only way they talk to the UI."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from reader.core.models import Article, ArticleSummary, FolderChanges, LoadIssue, SearchResult, SyncReport

if TYPE_CHECKING:
    from pathlib import Path

    from reader.core.cross_article import QuoteCluster, SurnameLink
    from reader.core.extraction import Extraction
    from reader.core.tags.annotation_values import Annotations, Placed


class FirstScreenLoaded(Message):
    """The first rows of the list, in its order, and how many articles there are in all."""

    def __init__(self, rows: list[ArticleSummary], total: int) -> None:
        self.rows = rows
        self.total = total
        super().__init__()


class SummariesLoaded(Message):
    """Every article the catalog knows, and already sorted in ``order`` for the list."""

    def __init__(
        self,
        summaries: list[ArticleSummary],
        order: str,
        ordered: list[ArticleSummary],
        *,
        then_sync: bool = False,
        error: str | None = None,
    ) -> None:
        self.summaries = summaries
        self.error = error  # why the catalog could not be read (the sync may repair it)
        self.order = order
        self.ordered = ordered
        self.then_sync = then_sync  # the first load: bring the index up to date next
        super().__init__()


class SyncProgress(Message):
    """How far the sync has gone; a newer one replaces an unhandled older one."""

    def __init__(self, done: int, total: int) -> None:
        self.done = done
        self.total = total
        super().__init__()

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SyncProgress)


class CatalogGrew(Message):
    """The sync gave the catalog more rows (listed ahead of the build, or indexed): ``listed``
    in all, ``indexed`` of them searchable. A newer one replaces an unhandled older one."""

    def __init__(self, listed: int, indexed: int) -> None:
        self.listed = listed
        self.indexed = indexed
        super().__init__()

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CatalogGrew)


class SyncFinished(Message):
    def __init__(
        self, report: SyncReport | None, error: str | None = None, *, changes: FolderChanges | None = None
    ) -> None:
        self.report = report
        self.error = error
        self.changes = changes  # which articles it added, changed, renamed and removed
        super().__init__()


class FolderChecked(Message):
    """What a look at the folder found: whether it is there (not deleted, its disk not
    unmounted), and whether damage to the index was noted (a sync repairs it)."""

    def __init__(self, present: bool, damaged: bool = False) -> None:
        self.present = present
        self.damaged = damaged
        super().__init__()


class SearchFinished(Message):
    """Hits for ``query`` in ``sort`` order, plus where its terms occur in the open article (n/N)."""

    def __init__(
        self, query: str, sort: str, result: SearchResult, marks: dict[str, list[tuple[int, int]]]
    ) -> None:
        self.query = query
        self.sort = sort
        self.result = result
        self.marks = marks  # article id -> spans; only for the article open when it ran
        super().__init__()


class SnippetsMade(Message):
    """Snippets of some hits of ``query``, made in a worker because each reads a file."""

    def __init__(self, query: str, snippets: dict[str, tuple[str, tuple[tuple[int, int], ...]]]) -> None:
        self.query = query
        self.snippets = snippets
        super().__init__()


class SearchFailed(Message):
    def __init__(self, query: str, sort: str, error: str) -> None:
        self.query = query
        self.sort = sort
        self.error = error
        super().__init__()


class ArticleLoaded(Message):
    def __init__(self, article: Article | LoadIssue, marks: list[tuple[int, int]]) -> None:
        self.article = article
        self.marks = marks
        super().__init__()


class ExtractionLoaded(Message):
    """The quotes and people of one article, or why they could not be found."""

    def __init__(self, article_id: str, extraction: Extraction | None, error: str | None = None) -> None:
        self.article_id = article_id
        self.extraction = extraction
        self.error = error
        super().__init__()


class PeopleLinked(Message):
    """The open article's bare surnames, each with the person the corpus links it to (or the
    people who share it): found after its people, from the corpus analysis."""

    def __init__(self, article_id: str, links: dict[str, SurnameLink]) -> None:
        self.article_id = article_id
        self.links = links
        super().__init__()


class TagsSaved(Message):
    """Tags were changed for ``article_ids``; the list and pane show the new ones."""

    def __init__(self, article_ids: list[str], added: tuple[str, ...], removed: tuple[str, ...]) -> None:
        self.article_ids = article_ids
        self.added = added
        self.removed = removed
        super().__init__()


class TagsFailed(Message):
    """``error`` says why the tags were not saved; ``whole``: it says itself what was saved
    (a full disk), so it is shown as it is."""

    def __init__(self, error: str, *, whole: bool = False) -> None:
        self.error = error
        self.whole = whole
        super().__init__()


class ClustersFound(Message):
    """The quote clusters of one article, by quote span: what "also in N articles" is made of."""

    def __init__(self, article_id: str, clusters: dict[tuple[int, int], QuoteCluster]) -> None:
        self.article_id = article_id
        self.clusters = clusters
        super().__init__()


class CopiesFound(Message):
    """Near-duplicate articles: copy id -> id of the article that stands for its group."""

    def __init__(self, copies: dict[str, str]) -> None:
        self.copies = copies
        super().__init__()


class QuotesExported(Message):
    """A quote sheet was written to ``path`` (or could not be: ``error``)."""

    def __init__(self, path: Path, count: int, error: str | None = None) -> None:
        self.path = path
        self.count = count
        self.error = error
        super().__init__()


class FileEdited(Message):
    """An article's file was changed in the editor and indexed again (or could not be: ``error``)."""

    def __init__(self, article_id: str, error: str | None = None) -> None:
        self.article_id = article_id
        self.error = error
        super().__init__()


class AnnotationMessage(Message):
    """Any message about highlights and notes: the main screen hands them all to annotating."""


class AnnotationsLoaded(AnnotationMessage):
    """The user's note on one article and its highlights, placed in its text as it is now.

    ``saved``: after a change (the list's marks and a ``note:`` search follow); ``chosen``: the
    highlight just made or changed; ``edit_note``: open the note editor on it next.
    """

    def __init__(
        self,
        article_id: str,
        annotations: Annotations,
        placed: list[Placed],
        *,
        saved: bool = False,
        chosen: str | None = None,
        edit_note: bool = False,
    ) -> None:
        self.article_id = article_id
        self.annotations = annotations
        self.placed = placed
        self.saved = saved
        self.chosen = chosen
        self.edit_note = edit_note
        super().__init__()


class NoteReady(AnnotationMessage):
    """The note of an article not open (chosen in the list) is read: the editor can open."""

    def __init__(self, article_id: str, title: str, note: str) -> None:
        self.article_id = article_id
        self.title = title
        self.note = note
        super().__init__()


class AnnotationsFailed(AnnotationMessage):
    def __init__(self, error: str) -> None:
        self.error = error
        super().__init__()


class ForController(Message):
    """A result for the controller whose worker (or watcher thread) made it: the main screen
    hands it over by calling ``deliver`` on the UI thread, without a handler of its own."""

    def __init__(self, deliver: Callable[[], None]) -> None:
        self.deliver = deliver
        super().__init__()
