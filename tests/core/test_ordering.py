"""The list orders: the SQL form (first screen at start-up) must give the Python form's rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.index.catalog import Catalog, CatalogEntry
from reader.core.paths import IndexFolder
from reader.core.library import Library
from reader.core.ordering import LIST_ORDERS, sort_summaries

# Letters whose case rules differ between str.lower, str.casefold and SQLite's lower().
_TRICKY = "aAbBzZßẞİıÉéœŒﬁ ǅǆ-1"
_titles = st.text(alphabet=_TRICKY, min_size=1, max_size=6)
_outlets = st.none() | st.sampled_from(["BBC", "bbc", "Ärzte Zeitung", "ärzte zeitung", "", "Reuters"])
_dates = st.none() | st.sampled_from(
    [dt.date(2020, 9, 7), dt.date(2020, 9, 8), dt.datetime(2020, 9, 7, 20, 19, 33), dt.date(1999, 1, 1)]
)
_articles = st.lists(st.tuples(_titles, _outlets, _dates), min_size=1, max_size=25)


def _write_catalog(root: Path, articles: list[tuple[str, str | None, dt.date | None]]) -> None:
    entries = [
        CatalogEntry(
            id=f"{number:03}.md",
            path=root / f"{number:03}.md",
            size=1,
            mtime_ns=1,
            fingerprint=f"f{number}",
            title=title,
            date=date,
            date_text=date.isoformat() if date else None,
            outlet=outlet,
        )
        for number, (title, outlet, date) in enumerate(articles)
    ]
    catalog = Catalog(IndexFolder.of(root).catalog_path)
    with catalog.transaction() as db:
        db.execute("DELETE FROM articles")
        Catalog.put(db, entries)
    catalog.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(articles=_articles, count=st.integers(min_value=1, max_value=30))
def test_first_screen_from_sql_is_the_start_of_the_sorted_list(
    tmp_path: Path, articles: list[tuple[str, str | None, dt.date | None]], count: int
) -> None:
    root = tmp_path.resolve()
    _write_catalog(root, articles)
    with Library(root) as library:
        everything = library.summaries()
        for order in LIST_ORDERS:
            first, total = library.first_summaries(order, count)
            assert total == len(articles)
            expected = [summary.id for summary in sort_summaries(everything, order)[:count]]
            assert [summary.id for summary in first] == expected, order


def test_orders_on_a_small_example(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    _write_catalog(
        root,
        [
            ("straße", "bbc", dt.date(2020, 1, 1)),
            ("Apple", None, None),
            ("STRASSE", "Reuters", dt.date(2021, 1, 1)),
            ("banana", "BBC", dt.date(2019, 1, 1)),
        ],
    )
    with Library(root) as library:
        titles = {order: [s.title for s in library.first_summaries(order, 10)[0]] for order in LIST_ORDERS}
    assert titles["date"] == ["STRASSE", "straße", "banana", "Apple"]  # newest first, undated last
    assert titles["title"] == ["Apple", "banana", "STRASSE", "straße"]  # ß folds to ss; newer first
    assert titles["outlet"] == ["straße", "banana", "STRASSE", "Apple"]  # BBC=bbc, then Reuters, then none
