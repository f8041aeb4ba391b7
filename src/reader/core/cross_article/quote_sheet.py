"""The quote sheet: every quote of a selection of articles as CSV, JSON or a Markdown table.

``reader quotes`` and the app's export write it with the same functions, so both agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from reader.core.cross_article.results import QuoteOccurrence
from reader.core.csv_safety import write_csv
from reader.core.text import visible

FIELDS = (
    "speaker", "quote", "outlet", "date", "file", "title", "cluster", "cluster_articles", "start", "end",
    "wording", "changes",
)
"""``wording``: same, shortened, extended or changed against the earliest copy of the quote (empty
when no other article carries it); ``changes``: a changed copy's words, "not → never (negation)"."""

Row = dict[str, object]


def _row(quote: QuoteOccurrence) -> Row:
    return {
        "speaker": quote.speaker,
        "quote": quote.text,
        "outlet": quote.outlet,
        "date": quote.date.isoformat() if quote.date is not None else None,
        "file": quote.article_id,
        "title": quote.title,
        "cluster": quote.cluster_id,
        "cluster_articles": quote.cluster_articles,
        "start": quote.start,
        "end": quote.end,
        "wording": quote.wording.wording if quote.wording is not None else None,
        "changes": _changes_text(quote),
    }


def _changes_text(quote: QuoteOccurrence) -> str | None:
    if quote.wording is None or quote.wording.wording != "changed":
        return None
    return quote.wording.changes_text() or None


def _json_row(quote: QuoteOccurrence) -> Row:
    """The row with a changed copy's changes as objects, as ``reader clusters --json`` gives them."""
    row = _row(quote)
    if quote.wording is not None and quote.wording.wording == "changed":
        row["changes"] = [change.as_dict() for change in quote.wording.changes]
    return row


def as_csv(quotes: Sequence[QuoteOccurrence]) -> str:
    """RFC 4180 CSV with a header row; empty cells for missing values, no cell a live formula."""
    return write_csv(FIELDS, (list(_row(quote).values()) for quote in quotes))


def as_json(quotes: Sequence[QuoteOccurrence]) -> str:
    """One JSON array of objects, one per quote."""
    return json.dumps([_json_row(quote) for quote in quotes], ensure_ascii=False, indent=1) + "\n"


def _cell(value: object) -> str:
    if value is None:
        return ""
    return visible(value, limit=None).replace("\\", "\\\\").replace("|", "\\|")


def as_markdown(quotes: Sequence[QuoteOccurrence]) -> str:
    """A Markdown table: one line per quote, pipes escaped, line breaks flattened."""
    lines = ["| " + " | ".join(FIELDS) + " |", "|" + "---|" * len(FIELDS)]
    lines.extend("| " + " | ".join(_cell(value) for value in _row(quote).values()) + " |" for quote in quotes)
    return "\n".join(lines) + "\n"


SHEET_FORMATS: dict[str, Callable[[Sequence[QuoteOccurrence]], str]] = {
    "csv": as_csv,
    "json": as_json,
    "md": as_markdown,
}
"""Format name (``reader quotes --format``) -> the function that writes the sheet."""


def format_for(path: Path) -> str | None:
    """The sheet format a file name asks for by its ending (.csv, .json, .md), or None."""
    name = path.suffix.lower().lstrip(".")
    return name if name in SHEET_FORMATS else None
