"""Everyone across the articles (all of them, or the current search): who is named, who is quoted.

The counts come from the corpus analysis, which takes a while on a large corpus, so the view
opens at once and fills in from thread workers. One row per person: articles that give only a
surname count for the one person of the corpus with that surname (the row says how many such
inferred links it holds), and a surname that several people share has a row of its own that
says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.core.cross_article import PersonAcross, QuoteOccurrence
from reader.core.text import visible
from reader.ui.corpus_views.quote_sources import occurrence_label

PEOPLE_SORTS: dict[str, Callable[[PersonAcross], tuple[object, ...]]] = {
    "articles": lambda person: (-person.article_count, -person.quote_count, person.name.casefold()),
    "quotes": lambda person: (-person.quote_count, -person.article_count, person.name.casefold()),
    "mentions": lambda person: (-person.mention_count, -person.article_count, person.name.casefold()),
    "name": lambda person: (person.name.casefold(),),
}
"""The orders ``s`` cycles through, and a header click picks: counts high to low, names A to Z."""

COLUMNS = (("Person", "name", 36), ("Articles", "articles", 8), ("Quotes", "quotes", 6),
           ("Mentions", "mentions", 8), ("", "role", 9))
"""Label, key (a sort order, for header clicks) and width in cells of each column."""

PeopleChoice = QuoteOccurrence | str
"""What the view closes with: a quote to open, or a person's name to filter the list by."""


def name_cell(person: PersonAcross) -> Content:
    """The name, with a mark when articles that give only the surname were linked to the person
    ("+2 by surname") or when a bare surname stays unlinked because several people share it."""
    name = Content(visible(person.name, 80))
    if person.linked_ids:
        return Content.assemble(name, (f" +{len(person.linked_ids)} by surname", "$text-accent"))
    if person.shared_by:
        return Content.assemble(name, (f" ? {len(person.shared_by)} share it", "$text-warning"))
    return name


def links_note(person: PersonAcross) -> Content:
    """Under a chosen person: which of their articles were linked by surname only, and how the
    name is otherwise written, or who shares a surname left unlinked."""
    parts: list[str] = []
    if person.linked_ids:
        count = len(person.linked_ids)
        listed = ", ".join(visible(article_id, 40) for article_id in person.linked_ids[:3])
        more = f" and {count - 3} more" if count > 3 else ""
        articles = "1 article names" if count == 1 else f"{count} articles name"
        parts.append(f"Inferred: {articles} them by surname only ({listed}{more})")
    if person.spellings:
        parts.append("also written " + ", ".join(visible(spelling, 60) for spelling in person.spellings[:4]))
    if person.shared_by:
        shared = ", ".join(visible(name, 60) for name in person.shared_by)
        parts.append(f"A surname only, not linked: {shared} share it")
    return Content(" · ".join(parts))


class PeopleView(ModalScreen[PeopleChoice | None]):
    """Enter on a person lists their quotes; Enter on a quote opens it; f filters the list."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="people_view.close"),
        Binding("s", "cycle_sort", "Sort", id="people_view.sort"),
        Binding("f", "filter", "Filter list by person", id="people_view.filter"),
        Binding("tab", "switch_pane", "People/quotes", show=False, id="people_view.switch"),
    ]

    class PeopleCounted(Message):
        def __init__(self, people: list[PersonAcross]) -> None:
            self.people = people
            super().__init__()

    class QuotesFound(Message):
        def __init__(self, name: str, quotes: list[QuoteOccurrence]) -> None:
            self.name = name
            self.quotes = quotes
            super().__init__()

    def __init__(
        self,
        scope: str,
        count_people: Callable[[], list[PersonAcross]],
        quotes_of: Callable[[str], list[QuoteOccurrence]],
    ) -> None:
        """``count_people`` and ``quotes_of`` are slow: they run in this view's workers."""
        super().__init__()
        self.scope = scope
        self._count_people = count_people
        self._quotes_of = quotes_of
        self.people: list[PersonAcross] = []
        self.sort = "articles"
        self.quotes: tuple[QuoteOccurrence, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(id="people-dialog", classes="corpus-view-dialog") as dialog:
            dialog.border_title = f"People across {visible(self.scope, 80)}"
            table: DataTable[object] = DataTable(id="people-table", cursor_type="row", zebra_stripes=True)
            table.loading = True
            yield table
            yield Static(Content("Choose a person to see their quotes"), id="people-quotes-title")
            note = Static(Content(""), id="people-links")
            note.display = False
            yield note
            yield OptionList(id="people-quotes")

    def on_mount(self) -> None:
        table = self.query_one("#people-table", DataTable)
        # Fixed widths: DataTable does not measure Content cells, and names come as Content.
        for label, key, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        self._load_people()

    @work(thread=True, exclusive=True, group="people-view")
    def _load_people(self) -> None:
        people = self._count_people()
        if not get_current_worker().is_cancelled:
            self.post_message(self.PeopleCounted(people))

    def on_people_view_people_counted(self, message: PeopleCounted) -> None:
        self.people = message.people
        table = self.query_one("#people-table", DataTable)
        table.loading = False
        self._fill_table()
        table.focus()  # not before: a loading widget cannot take focus

    def _fill_table(self) -> None:
        table = self.query_one("#people-table", DataTable)
        self.people.sort(key=PEOPLE_SORTS[self.sort])
        table.clear()
        for index, person in enumerate(self.people):
            role = Content.styled(*(("quoted", "$reader-success") if person.quoted else ("mentioned", "$reader-muted")))
            table.add_row(
                name_cell(person).truncate(COLUMNS[0][2], ellipsis=True),
                person.article_count,
                person.quote_count,
                person.mention_count,
                role,
                key=str(index),
            )
        dialog = self.query_one("#people-dialog")
        keys = "enter their quotes · f filter list · tab switch · esc close"
        dialog.border_subtitle = f"sorted by {self.sort} (s) · {keys}"

    @property
    def highlighted_person(self) -> PersonAcross | None:
        table = self.query_one("#people-table", DataTable)
        if not self.people or not 0 <= table.cursor_row < len(self.people):
            return None
        return self.people[table.cursor_row]

    def action_cycle_sort(self) -> None:
        orders = list(PEOPLE_SORTS)
        self.sort = orders[(orders.index(self.sort) + 1) % len(orders)]
        self._fill_table()

    @on(DataTable.HeaderSelected, "#people-table")
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        if event.column_key.value in PEOPLE_SORTS:
            self.sort = event.column_key.value
            self._fill_table()

    @on(DataTable.RowSelected, "#people-table")
    def _person_chosen(self, event: DataTable.RowSelected) -> None:
        person = self.highlighted_person
        if person is None:
            return
        title = self.query_one("#people-quotes-title", Static)
        title.update(Content(f"Quotes by {visible(person.name, 80)}…"))
        self._load_quotes(person.name)
        note = self.query_one("#people-links", Static)
        note.update(links_note(person))
        note.display = bool(person.linked_ids or person.spellings or person.shared_by)

    @work(thread=True, exclusive=True, group="people-view-quotes")
    def _load_quotes(self, name: str) -> None:
        quotes = self._quotes_of(name)
        if not get_current_worker().is_cancelled:
            self.post_message(self.QuotesFound(name, quotes))

    def on_people_view_quotes_found(self, message: QuotesFound) -> None:
        self.show_quotes(message.name, message.quotes)

    def show_quotes(self, name: str, quotes: Sequence[QuoteOccurrence]) -> None:
        self.quotes = tuple(quotes)
        count = len(self.quotes)
        title = self.query_one("#people-quotes-title", Static)
        title.update(Content(f"{count} quote{'s' if count != 1 else ''} by {visible(name, 80)}"))
        options = self.query_one("#people-quotes", OptionList)
        options.clear_options()
        if not self.quotes:
            empty = Content("No quotes attributed; f lists the articles that name them")
            options.add_option(Option(empty, disabled=True))
            return
        options.add_options(Option(occurrence_label(quote)) for quote in self.quotes)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#people-quotes")
    def _quote_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.quotes):
            self.dismiss(self.quotes[event.option_index])

    def action_filter(self) -> None:
        person = self.highlighted_person
        if person is not None:
            self.dismiss(person.name)

    def action_switch_pane(self) -> None:
        table = self.query_one("#people-table", DataTable)
        options = self.query_one("#people-quotes", OptionList)
        (options if table.has_focus else table).focus()
