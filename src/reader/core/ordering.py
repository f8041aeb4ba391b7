"""Every order articles are listed in, kept in one place, in both forms they are needed in:
Python, for lists in memory, and SQL, for the first screen of a large catalog (start-up paints
it before the rest is loaded). Tests hold the two to the same result."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from reader.core.models import ArticleSummary

LIST_ORDERS = ("date", "title", "outlet")
"""Orders of the whole article list: the app's ``s`` cycles through them."""

HIT_ORDERS = ("relevance", *LIST_ORDERS)
"""Orders of search hits in the app: relevance first, then those of the whole list."""

SEARCH_SORTS = ("relevance", "date", "newest", "oldest", "title", "outlet")
"""What ``Library.search(sort=...)`` and ``reader search --sort`` take ("newest" is "date")."""

INDEX_SORTS = ("relevance", "date", "newest", "oldest")
"""Orders the search index ranks in itself; the others are sorted from the catalog after."""

KEYED_SORTS = ("title", "outlet")
"""Search orders by a catalog field (A–Z, empty values last), not by anything the index holds."""

_NEWEST_FIRST = "COALESCE(date, '') DESC, id"
SQL_ORDER_BY = {
    "date": _NEWEST_FIRST,
    "title": f"casefold(title), {_NEWEST_FIRST}",
    "outlet": f"outlet IS NULL, casefold(COALESCE(outlet, '')), {_NEWEST_FIRST}",
}
"""``ORDER BY`` clauses over the catalog's articles table, whose rows come in id order like the
summaries do; ``casefold`` is ``str.casefold`` registered on the connection."""


def index_sort(sort: str) -> str:
    """The order to ask the index for: a keyed sort ranks by relevance first, then re-sorts."""
    if sort == "newest":
        return "date"
    return "relevance" if sort in KEYED_SORTS else sort


def field_sort_key(value: str | None) -> tuple[bool, str]:
    """How a keyed sort orders one field's values: A–Z ignoring case, missing values last."""
    return (not value, (value or "").casefold())


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
