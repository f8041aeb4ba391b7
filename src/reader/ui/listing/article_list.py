"""The article list, drawn with the Line API so 100k rows cost no more than the visible ones."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.core.models import ArticleSummary, SearchHit, Snippet
from reader.core.text import visible
from reader.ui.layout_text import component_style, content_strip, in_colour

ONE_LINE_WIDTH = 60
"""From this width a row fits title, tags, outlet and date on one line."""

_OUTLET_CELLS = 16  # the most an outlet column takes; less when the listed outlets are shorter
_DATE_CELLS = 10
_TAGS_CELLS = 28
_MIN_TAGS_CELLS = 6  # tags squeezed below this are left to the reading pane

class ArticleList(ScrollView, can_focus=True):
    """Articles (or ranked search hits with snippets) with a cursor; Enter or a click opens one."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("home,g", "cursor_first", "First", show=False, id="list.first"),
        Binding("end,G", "cursor_last", "Last", show=False, id="list.last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("enter", "choose", "Open", id="list.open"),
    ]

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--new",
        "article-list--open",
        "article-list--meta",
        "article-list--tags",
        "article-list--snippet",
        "article-list--match",
        "article-list--empty",
        "article-list--copy",
        "article-list--annotated",
    }

    DEFAULT_CSS = """
    ArticleList { overflow-x: hidden; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """Index of the highlighted row."""

    class Chosen(Message):
        """The user asked to open an article (Enter or click)."""

        def __init__(self, article_id: str) -> None:
            self.article_id = article_id
            super().__init__()

    class SnippetsWanted(Message):
        """Hits on screen whose snippets have not been made yet."""

        def __init__(self, hits: list[SearchHit]) -> None:
            self.hits = hits
            super().__init__()

    class CursorMoved(Message):
        """The highlighted row changed; carries its position for the status line."""

        def __init__(self, article_id: str | None, index: int, count: int) -> None:
            self.article_id = article_id
            self.index = index
            self.count = count
            super().__init__()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[ArticleSummary] = []
        self._row_of: dict[str, int] = {}
        self._hits: Mapping[str, SearchHit] = {}
        # Snippets are made off the UI thread (each reads a file) and arrive after the hits.
        self._snippets: dict[str, Snippet] = {}
        self._snippets_asked: set[str] = set()
        self._snippets_wanted: list[SearchHit] = []
        self._read_ids: Collection[str] = frozenset()
        self._new_ids: Collection[str] = frozenset()
        self.open_id: str | None = None
        self.empty_message = ""
        self._given: list[ArticleSummary] = []  # the rows as given, before copies are collapsed
        self.copies: Mapping[str, str] = {}
        """Near-duplicate id -> the id of the article standing for its group; marked ≈."""
        self.collapse_copies = False
        self._outlet_cells = 0  # widths of the columns the listed rows need (0: none has one)
        self._date_cells = 0

    # -- data in ------------------------------------------------------------------------------

    def show(
        self,
        rows: Sequence[ArticleSummary],
        *,
        hits: Mapping[str, SearchHit] | None = None,
        keep: str | None = None,
        empty_message: str = "No articles",
    ) -> None:
        """Replace the rows; the cursor stays on ``keep`` (an article id) when it is still listed."""
        self._given = list(rows)
        if self.collapse_copies:
            self._rows = [row for row in self._given if row.id not in self.copies]
            keep = self.copies.get(keep, keep) if keep else keep
        else:
            self._rows = list(self._given)
        self._row_of = {row.id: index for index, row in enumerate(self._rows)}
        self._measure_columns()
        self._hits = hits or {}
        self._snippets = {}
        self._snippets_asked = set()
        self._snippets_wanted = []
        self.empty_message = empty_message
        self._update_virtual_size()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor = self._row_of.get(keep, 0) if keep else 0
        self.refresh()

    def _measure_columns(self) -> None:
        """Outlet and date columns as wide as the listed rows need, so no title is cut beside
        empty columns (the date's text is not parsed: 100k rows are measured on every show)."""
        outlets = (len(row.outlet) for row in self._rows if row.outlet)
        self._outlet_cells = min(max(outlets, default=0), _OUTLET_CELLS)
        self._date_cells = _DATE_CELLS if any(row.date_key or row.date_text for row in self._rows) else 0

    def set_copies(self, copies: Mapping[str, str], *, collapse: bool) -> None:
        """Mark near-duplicates; with ``collapse``, list only the article standing for each group."""
        self.copies = copies
        self.collapse_copies = collapse
        self.show(self._given, hits=self._hits, keep=self.current_id, empty_message=self.empty_message)

    def add_snippets(self, snippets: Mapping[str, Snippet]) -> None:
        self._snippets.update(snippets)
        self.refresh()

    def set_read_ids(self, read_ids: Collection[str]) -> None:
        """The set of read article ids (shared, not copied: call ``refresh`` after changing it)."""
        self._read_ids = read_ids
        self.refresh()

    def set_new_ids(self, new_ids: Collection[str]) -> None:
        """The ids marked new (shared like the read ids: call ``refresh`` after changing it)."""
        self._new_ids = new_ids
        self.refresh()

    def replace_summary(self, summary: ArticleSummary) -> None:
        """Update one row in place (its tags changed)."""
        index = self._row_of.get(summary.id)
        if index is not None:
            self._rows[index] = summary
            self.refresh()

    def set_open(self, article_id: str | None) -> None:
        self.open_id = article_id
        self.refresh()

    # -- data out -----------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def article_ids(self) -> list[str]:
        return [row.id for row in self._rows]

    @property
    def current_id(self) -> str | None:
        if 0 <= self.cursor < len(self._rows):
            return self._rows[self.cursor].id
        return None

    def index_of(self, article_id: str) -> int | None:
        return self._row_of.get(article_id)

    def neighbour_of(self, article_id: str | None, step: int) -> str | None:
        """The id ``step`` rows away from ``article_id`` (or from the cursor), if any."""
        index = self._row_of.get(article_id, self.cursor) if article_id else self.cursor
        target = index + step
        if 0 <= target < len(self._rows):
            return self._rows[target].id
        return None

    def next_marked(self, marked: Collection[str]) -> str | None:
        """The first of ``marked`` listed after the cursor, wrapping round; None if none is listed."""
        rows = sorted(self._row_of[article_id] for article_id in marked if article_id in self._row_of)
        if not rows:
            return None
        after = [row for row in rows if row > self.cursor]
        return self._rows[(after or rows)[0]].id

    def count_listed(self, ids: Collection[str]) -> int:
        return sum(1 for article_id in ids if article_id in self._row_of)

    def nearest_kept(self, gone: Collection[str]) -> str | None:
        """The row to keep the cursor on when ``gone`` leave the list: the current one, else the
        next that stays, else the one before."""
        index = min(self.cursor, len(self._rows) - 1)
        if index < 0:
            return None
        for position in [*range(index, len(self._rows)), *range(index - 1, -1, -1)]:
            if self._rows[position].id not in gone:
                return self._rows[position].id
        return None

    def move_to(self, article_id: str) -> None:
        index = self._row_of.get(article_id)
        if index is not None:
            self.cursor = index

    # -- geometry -----------------------------------------------------------------------------

    @property
    def row_height(self) -> int:
        lines = 1 if self.scrollable_content_region.width >= ONE_LINE_WIDTH else 2
        return lines + (1 if self._hits else 0)

    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width
        self.virtual_size = Size(width, len(self._rows) * self.row_height)

    def on_resize(self, _: events.Resize) -> None:
        self._update_virtual_size()
        self._scroll_cursor_into_view()

    def _scroll_cursor_into_view(self) -> None:
        height = self.row_height
        top = self.cursor * height
        view = self.scrollable_content_region.height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif top + height > self.scroll_y + view:
            self.scroll_to(y=top + height - view, animate=False, immediate=True)

    # -- cursor -------------------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self._rows) - 1))

    def watch_cursor(self) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.CursorMoved(self.current_id, self.cursor, len(self._rows)))

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height // self.row_height)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_first(self) -> None:
        self.cursor = 0

    def action_cursor_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def action_page_down(self) -> None:
        self.cursor += self._page_rows()

    def action_page_up(self) -> None:
        self.cursor -= self._page_rows()

    def action_choose(self) -> None:
        if (article_id := self.current_id) is not None:
            self.post_message(self.Chosen(article_id))

    def on_click(self, event: events.Click) -> None:
        index = (event.y + round(self.scroll_y)) // self.row_height
        if 0 <= index < len(self._rows):
            self.cursor = index
            self.action_choose()

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = round(self.scroll_y) + y
        height = self.row_height
        index, line_in_row = divmod(line, height)
        if not self._rows:
            style = self.get_visual_style("article-list--empty")
            text = Content(f"  {self.empty_message}" if y == 1 else "")
            return content_strip(self, text, width, style)
        if index >= len(self._rows):
            return Strip.blank(width, self.get_visual_style().rich_style)
        row = self._row_line(self._rows[index], line_in_row, width)
        if index != self.cursor:
            return content_strip(self, row, width, self.get_visual_style())
        # The cursor row is all in the cursor's text colour: muted and coloured parts are made
        # to read on the list's background, not on the cursor.
        style = self.get_visual_style("article-list--cursor")
        return in_colour(content_strip(self, row, width, style), RichStyle(color=style.rich_style.color))

    def _row_line(self, summary: ArticleSummary, line_in_row: int, width: int) -> Content:
        one_line = width >= ONE_LINE_WIDTH
        if line_in_row == 0:
            return self._title_line(summary, width, with_meta=one_line)
        if line_in_row == 1 and not one_line:
            return Content("  ") + self._meta(summary)
        hit = self._hits.get(summary.id)
        if hit is None:
            return Content("")
        snippet = self._snippets.get(hit.id)
        if snippet is None:
            self._ask_for_snippet(hit)
            return Content.styled("  …", ".article-list--snippet")
        return self._snippet_line(snippet, width - 2)

    def _ask_for_snippet(self, hit: SearchHit) -> None:
        """Collect the hits drawn without a snippet; ask for them all once the frame is drawn."""
        if hit.id in self._snippets_asked:
            return
        self._snippets_asked.add(hit.id)
        self._snippets_wanted.append(hit)
        if len(self._snippets_wanted) == 1:
            self.call_after_refresh(self._request_snippets)

    def _request_snippets(self) -> None:
        wanted, self._snippets_wanted = self._snippets_wanted, []
        if wanted:
            self.post_message(self.SnippetsWanted(wanted))

    def _title_line(self, summary: ArticleSummary, width: int, *, with_meta: bool) -> Content:
        unread = summary.id not in self._read_ids
        if summary.id == self.open_id:
            mark = ("▸ ", ".article-list--open")
        elif summary.id in self._new_ids:
            mark = ("✚ ", ".article-list--new")
        elif unread:
            mark = ("● ", ".article-list--unread")
        else:
            mark = ("  ", "")
        title = Content.styled(visible(summary.title, 300), "bold" if unread else "")
        if summary.id in self.copies:
            title = Content.assemble(("≈ ", ".article-list--copy"), title)
        if not with_meta:
            return Content.assemble(mark, title)
        # Tags take at most a quarter of the row and never leave the title less than half of
        # it (or less than all of itself): the reading pane shows them in full.
        fixed = self._columns(summary, tags_cells=0).cell_length
        keep = min(title.cell_length, (width - 2) // 2)
        tags_cells = min(_TAGS_CELLS, (width - fixed) // 4, width - 5 - fixed - keep)
        right = self._columns(summary, tags_cells=tags_cells)
        room = max(width - 2 - right.cell_length - 2, 8)
        title = title.truncate(room, ellipsis=True, pad=True)
        return Content.assemble(mark, title, "  ", right)

    def _columns(self, summary: ArticleSummary, *, tags_cells: int) -> Content:
        """Tags (in at most ``tags_cells``), outlet and date, each column only when used."""
        parts: list[Content] = []
        tags = Content.styled(self._tags_text(summary), ".article-list--tags")
        marks = self._annotation_marks(summary)
        if marks:
            parts.append(marks)
        if tags and tags_cells >= _MIN_TAGS_CELLS:
            parts.append(tags.truncate(tags_cells, ellipsis=True))
        if self._outlet_cells:
            outlet = Content.styled(visible(summary.outlet or "", 80), ".article-list--meta")
            parts.append(outlet.truncate(self._outlet_cells, ellipsis=True, pad=True))
        if self._date_cells:
            date = Content.styled(visible(summary.date_label, 40), ".article-list--meta")
            parts.append(date.truncate(self._date_cells, ellipsis=True, pad=True))
        return Content(" ").join(parts)

    @staticmethod
    def _annotation_marks(summary: ArticleSummary) -> Content:
        """▌ and the count for the user's highlights, ✎ for notes: what the user wrote on it."""
        marks = [f"▌{summary.highlights}" if summary.highlights else "", "✎" if summary.notes else ""]
        return Content.styled(" ".join(mark for mark in marks if mark), ".article-list--annotated")

    def _meta(self, summary: ArticleSummary) -> Content:
        parts: list[Content | str] = [
            Content.styled(visible(text, 80), ".article-list--meta")
            for text in (summary.outlet, summary.date_label)
            if text
        ]
        if summary.tags:
            parts.append(Content.styled(self._tags_text(summary), ".article-list--tags"))
        if summary.highlights or summary.notes:
            parts.append(self._annotation_marks(summary))
        return Content(" · ").join(parts)

    @staticmethod
    def _tags_text(summary: ArticleSummary) -> str:
        return " ".join(f"#{visible(tag, 40)}" for tag in summary.tags)

    def _snippet_line(self, snippet: Snippet, width: int) -> Content:
        # Snippets come from article text, already free of control characters; newlines are
        # swapped one for one so the highlight offsets still line up.
        text, highlights = snippet
        text = text.replace("\n", " ")
        # Start the line shortly before the first match so it is never cut off the right edge.
        shift = 0
        if highlights and highlights[0][1] > width - 4:
            shift = max(0, highlights[0][0] - width // 4)
        line = Content.styled(("…" if shift else "") + text[shift:], ".article-list--snippet")
        match = component_style(self, "article-list--match")
        offset = 1 if shift else 0
        for start, end in highlights:
            if end > shift:
                line = line.stylize(match, max(start - shift, 0) + offset, end - shift + offset)
        return Content("  ") + line
