"""The orders of the article list, kept in one place in both forms they are needed in:
Python, for lists in memory, and SQL, for the first screen of a large catalog (start-up paints
it before the rest is loaded). Tests hold the two to the same result."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.core.library import ArticleSummary

LIST_ORDERS = ("date", "title", "outlet")

_NEWEST_FIRST = "COALESCE(date, '') DESC, id"
SQL_ORDER_BY = {
    "date": _NEWEST_FIRST,
    "title": f"casefold(title), {_NEWEST_FIRST}",
    "outlet": f"outlet IS NULL, casefold(COALESCE(outlet, '')), {_NEWEST_FIRST}",
}
"""``ORDER BY`` clauses over the catalog's articles table, whose rows come in id order like the
summaries do; ``casefold`` is ``str.casefold`` registered on the connection."""


def sort_summaries(summaries: Sequence[ArticleSummary], order: str) -> list[ArticleSummary]:
    """Summaries (in id order) in ``order``: "date" (newest first), "title" (A–Z) or "outlet"
    (A–Z, then newest); unknown orders mean "date"."""
    # Undated articles ("" as the key) sort last when reversed; the sort is stable, so ties
    # keep id order.
    by_date = sorted(summaries, key=attrgetter("date_key"), reverse=True)
    if order == "title":
        return sorted(by_date, key=lambda summary: summary.title.casefold())
    if order == "outlet":
        return sorted(by_date, key=lambda summary: (summary.outlet is None, (summary.outlet or "").casefold()))
    return by_date
