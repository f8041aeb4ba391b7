"""A copy of a quote with the words an outlet changed marked, and its wording in a few words.

Removed words are struck through and inserted ones underlined, in the text colour on tints of
the theme's error and success colours (``theme_colours``: the text reads on them at WCAG AA in
every theme), so they differ by colour and without it too;
a change that may alter the meaning (a negation, a number, a name) is bold as well and named
after the copy's wording ("⚠ negation"). Long unchanged stretches are shortened around "…" so
every change stays in view.
"""

from __future__ import annotations

from textual.content import Content

from reader.core.cross_article import QuoteOccurrence
from reader.core.cross_article.wording import WordChange, WordingComparison
from reader.core.text import visible

REMOVED_STYLE = "strike $reader-text on $reader-removed"
INSERTED_STYLE = "underline $reader-text on $reader-inserted"
SIGNIFICANT_STYLE = "bold"
CUT_STYLE = "$reader-muted"
CHANGED_STYLE = "$reader-text on $reader-reworded"
REASONS_STYLE = "bold $reader-text on $reader-removed"
KEPT_CHARS = 60
"""Of an unchanged stretch longer than twice this, only this much is kept on each side."""


def marked_quote(text: str, wording: WordingComparison | None, limit: int = 600) -> Content:
    """``text`` in curly quotes with ``wording``'s changes marked in place, at most ``limit``
    characters between the quote marks."""
    changes = sorted(wording.changes, key=lambda change: change.start) if wording is not None else []
    parts: list[Content] = []
    position = 0
    for index, change in enumerate(changes):
        parts.append(_kept(text[position : change.start], first=index == 0, last=False))
        parts.extend(_marked(change, text))
        position = max(position, change.end)
    parts.append(_kept(text[position:], first=not changes, last=True))
    marked = Content("").join(parts)
    if len(marked.plain) > limit:
        marked = marked[: limit - 1] + Content("…")
    return Content("“") + marked + Content("”")


def _kept(stretch: str, *, first: bool, last: bool) -> Content:
    """Unchanged words, elided in the middle when long (at the quote's ends, on the far side)."""
    shown = visible(stretch, limit=None)
    if len(shown) <= 2 * KEPT_CHARS + 1:
        return Content(shown)
    if first and last:
        return Content(shown)
    if first:
        return Content("…" + shown[-KEPT_CHARS:])
    if last:
        return Content(shown[:KEPT_CHARS] + "…")
    return Content(shown[:KEPT_CHARS] + " … " + shown[-KEPT_CHARS:])


def _marked(change: WordChange, text: str) -> list[Content]:
    """The removed words (struck), then the inserted ones as the copy has them (underlined)."""
    emphasis = f" {SIGNIFICANT_STYLE}" if change.significant else ""
    found: list[Content] = []
    if change.removed and not change.inside:  # cut at an end: only say that something was cut
        found.append(Content.styled("…", CUT_STYLE))
    elif change.removed:
        removed = Content.styled(visible(" ".join(change.removed), limit=200), REMOVED_STYLE + emphasis)
        # Replaced words stand before their replacement; removed ones after the word they followed.
        found.extend([removed, Content(" ")] if change.inserted else [Content(" "), removed])
    if change.inserted:
        found.append(Content.styled(visible(text[change.start : change.end], limit=200), INSERTED_STYLE + emphasis))
    return found


def wording_label(member: QuoteOccurrence) -> Content:
    """The copy's wording against the earliest: "same", "shortened", "changed ⚠ negation"."""
    wording = member.wording
    if wording is None:
        return Content("")
    if wording.wording != "changed":
        return Content.styled(wording.wording, "$reader-muted")
    reasons = sorted({reason for change in wording.changes for reason in change.reasons})
    label = Content.styled("changed", CHANGED_STYLE)
    if reasons:
        label += Content(" ") + Content.styled(f"⚠ {', '.join(reasons)}", REASONS_STYLE)
    return label
