"""Every copy of a quote across articles, with the words each outlet changed: choose one to read it there."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.core.cross_article import QuoteCluster, QuoteOccurrence
from reader.core.text import visible
from reader.ui.corpus_views.wording_marks import INSERTED_STYLE, REMOVED_STYLE, marked_quote, wording_label
from reader.ui.layout_text import ReadableOptionList

QUOTE_PREVIEW_CHARS = 200


def occurrence_label(occurrence: QuoteOccurrence, role: str = "") -> Content:
    """Title, then outlet, date, file (and ``role``: "this article", "earliest") and the copy's
    wording, then the quote as worded in that article, its changed words marked."""
    meta = " · ".join(
        part
        for part in (
            visible(occurrence.outlet or "", 60),
            occurrence.date.strftime("%Y-%m-%d") if occurrence.date is not None else "undated",
            visible(occurrence.article_id, 60),
            role,
        )
        if part
    )
    wording = wording_label(occurrence)
    marked = occurrence.wording is not None and bool(occurrence.wording.changes)
    limit = QUOTE_PREVIEW_CHARS * 3 if marked else QUOTE_PREVIEW_CHARS  # room for the words it changed
    return Content.assemble(
        (visible(occurrence.title or occurrence.article_id, 200), "bold"),
        "\n",
        (meta, "$reader-muted"),
        *((" · ", wording) if wording.plain else ()),
        "\n",
        marked_quote(occurrence.text, occurrence.wording, limit=limit).stylize_before("italic"),
    )


def speakers_line(speakers: Sequence[tuple[str, int]], unnamed: int) -> Content:
    """Who the copies credit the quote to: the best supported speaker, and when the copies
    disagree, everyone else they credit (with how many articles say so)."""
    if not speakers:
        return Content.styled("No copy names the speaker", "$reader-muted")

    def credit(name: str, count: int) -> str:
        return f"{visible(name, 60)} ({count} article{'s' if count != 1 else ''})"

    # Spaces between styled parts stay plain: Textual drops a styled part's leading space.
    line = Content.assemble(("Said by", "$reader-muted"), " ", (credit(*speakers[0]), "bold"))
    if len(speakers) > 1:
        others = ", ".join(credit(name, count) for name, count in speakers[1:])
        line += Content.assemble(" · ", ("speakers disagree, also credited to", "$reader-warning"), " ", others)
    if unnamed:
        line += Content.assemble(" · ", (f"{unnamed} name{'s' if unnamed == 1 else ''} no one", "$reader-muted"))
    return line


def _role(member: QuoteOccurrence, cluster: QuoteCluster, open_id: str) -> str:
    roles = []
    if member.article_id == open_id:
        roles.append("this article")
    if member.article_id == cluster.first.article_id:
        roles.append("earliest")
    return ", ".join(roles)


class QuoteSources(ModalScreen[QuoteOccurrence | None]):
    """Every copy of the quote, earliest first, each against the earliest copy of its words.

    Enter jumps to the chosen article with the quote in view; Esc closes.
    """

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="sources.close"),
    ]

    def __init__(self, quote: str, cluster: QuoteCluster, open_id: str) -> None:
        super().__init__()
        self.quote = quote
        self.cluster = cluster
        self.open_id = open_id
        self.occurrences = cluster.members

    def compose(self) -> ComposeResult:
        with Vertical(id="sources-dialog", classes="corpus-view-dialog") as dialog:
            others = len(self.cluster.elsewhere(self.open_id))
            title = f"Also in {others} article{'s' if others != 1 else ''}"
            reworded = len(self.cluster.reworded_ids)
            if reworded:
                title += f" · reworded in {reworded} of {self.cluster.article_count}"
            dialog.border_title = title
            dialog.border_subtitle = "enter read it there · esc close"
            yield Static(self._heading(), id="sources-quote")
            yield Static(speakers_line(self.cluster.speakers, self.cluster.unnamed), id="sources-speakers")
            roles = [_role(member, self.cluster, self.open_id) for member in self.occurrences]
            labels = [occurrence_label(member, role) for member, role in zip(self.occurrences, roles, strict=True)]
            separated = [item for label in labels for item in (None, Option(label))][1:]  # a rule between copies
            yield ReadableOptionList(*separated, id="sources-list")

    def _heading(self) -> Content:
        heading = Content(f"“{visible(self.quote, QUOTE_PREVIEW_CHARS)}”")
        if not self.cluster.reworded_ids:
            return heading
        return Content.assemble(
            heading,
            "\nEach copy against the earliest copy of its words: ",
            ("removed", REMOVED_STYLE),
            ", ",
            ("inserted", INSERTED_STYLE),
            (" · ⚠ may change the meaning" if self.cluster.significant else ""),
        )

    def on_mount(self) -> None:
        options = self.query_one("#sources-list", OptionList)
        elsewhere = [index for index, member in enumerate(self.occurrences) if member.article_id != self.open_id]
        options.highlighted = elsewhere[0] if elsewhere else 0
        options.focus()

    @on(OptionList.OptionSelected, "#sources-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.occurrences[event.option_index])
