"""List orders. Kept apart from the widgets so they can be tested and reused by the palette."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from reader.core.library import ArticleSummary


def sort_summaries(summaries: Sequence[ArticleSummary], order: str) -> list[ArticleSummary]:
    """Summaries in ``order``: "date" (newest first), "title" (A–Z) or "outlet" (A–Z, then newest)."""
    # Undated articles ("" as the key) sort last when reversed.
    by_date = sorted(summaries, key=attrgetter("date_key"), reverse=True)
    if order == "title":
        return sorted(by_date, key=lambda summary: summary.title.casefold())
    if order == "outlet":
        return sorted(by_date, key=lambda summary: (summary.outlet is None, (summary.outlet or "").casefold()))
    return by_date
