"""The across-articles views, driven by keys: quote sources, people, timeline, copies, export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from textual.widgets import Static, DataTable, Input, OptionList

from reader.core.library import Library
from reader.ui.corpus_views.export_quotes import ExportQuotes
from reader.ui.corpus_views.people_view import PeopleView
from reader.ui.corpus_views.quote_sources import QuoteSources
from reader.ui.corpus_views.timeline_view import TimelineView
from reader.ui.reading.quotes_panel import QuotesPanel
from tests.ui.conftest import idle, main_screen, running
from tests.ui.test_palette import run_command

PEOPLE_QUOTE_FILE = "000_f0edc72787384ae1.txt"
"""Carries the People magazine quote that two other seed articles carry too."""

LEAD = (
    "The city council voted on Tuesday night to close the old harbour bridge to cars from the first "
    "of May, ending months of argument over the crumbling structure that links the two halves of town."
)
BODY = """Engineers told the council in January that the bridge deck had lost a third of its strength since the last inspection, and that heavy traffic was speeding up the damage to the steel beams underneath.

Shop owners on the east bank had argued that a closure would cut them off from customers, and a petition against it gathered more than four thousand names in three weeks before it was handed in.

The council leader said the decision had not been easy but that safety had to come first, and promised a free shuttle bus across the river for as long as the bridge stays closed to traffic."""
STORKS = """A rare white stork has been spotted nesting on a church tower in the village for the first time in more than a century, delighting bird watchers who have travelled from across the country.

The pair arrived in early March and have been seen carrying sticks to the top of the tower, where volunteers put up a wooden platform two years ago in the hope of tempting them back."""
MARKET = """The farmers market will move to the station square for the summer while the old hall is repaired, traders were told at a meeting on Monday evening that ran late into the night.

Stall holders said the new site would bring more people past their tables, though some worried about shade and the lack of water for the flower sellers during the hottest weeks."""

DATED_FILES = {
    "a_original.txt": ("2024-04-02", f"Harbour bridge to close\n\n{LEAD}\n\n{BODY}"),
    "b_copy.txt": ("2024-04-03", f"Harbour bridge to close\n\n{LEAD}\n\n{BODY}"),
    "c_storks.txt": ("2024-04-02", f"Storks return to village\n\n{STORKS}"),
    "d_market.txt": ("2024-04-10", f"Market moves for the summer\n\n{MARKET}"),
    "e_undated.txt": (None, f"Market traders meet\n\n{MARKET.replace('summer', 'autumn')}\n\n{STORKS}"),
}


@pytest.fixture
def dated_corpus(tmp_path: Path) -> Path:
    """Five articles over nine days, one undated, one an exact copy of another."""
    folder = tmp_path / "dated"
    folder.mkdir()
    for name, (date, text) in DATED_FILES.items():
        front = f"---\ndate: {date}\n---\n" if date else ""
        (folder / name).write_text(f"{front}{text}\n", encoding="utf-8")
    return folder


async def test_a_quote_carried_elsewhere_lists_those_articles_and_jumps_to_one(corpus: Path) -> None:
    async with running(corpus, size=(150, 30)) as pilot:
        screen = main_screen(pilot)
        screen.article_list.move_to(PEOPLE_QUOTE_FILE)
        await pilot.press("enter")
        await idle(pilot)
        quotes = screen.query_one(QuotesPanel)
        assert quotes.also_in.get(0) == 2
        assert "also in 2 articles" in str(quotes.get_option_at_index(0).prompt)
        await pilot.press("quotation_mark")
        await idle(pilot)
        await pilot.press("o")
        await idle(pilot)
        sources = pilot.app.screen
        assert isinstance(sources, QuoteSources)
        options = sources.query_one("#sources-list", OptionList)
        assert {member.article_id[:3] for member in sources.occurrences} == {"000", "001", "002"}
        assert options.option_count == len(sources.occurrences)  # every copy, this article's too
        assert options.highlighted is not None
        target = sources.occurrences[options.highlighted]  # the first copy in another article
        assert target.article_id != PEOPLE_QUOTE_FILE
        assert all(m.article_id == PEOPLE_QUOTE_FILE for m in sources.occurrences[: options.highlighted])
        assert "reworded" not in str(quotes.get_option_at_index(0).prompt)  # the seeds quote it word for word
        await pilot.press("enter")
        await idle(pilot)
        assert pilot.app.screen is screen
        assert screen.open_id == target.article_id
        pane = screen.reading_pane
        assert pane.article is not None and pane.article.id == target.article_id
        assert pane.flash_span == (target.start, target.end)
        line = pane.line_of_offset(target.start)
        assert pane.top_line <= line < pane.top_line + pane.scrollable_content_region.height


async def test_o_on_a_quote_no_other_article_carries_opens_nothing(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        screen.article_list.move_to(PEOPLE_QUOTE_FILE)
        await pilot.press("enter")
        await idle(pilot)
        quotes = screen.query_one(QuotesPanel)
        lonely = next(index for index in range(quotes.quote_count) if index not in quotes.also_in)
        await pilot.press("quotation_mark")
        quotes.highlighted = lonely
        await pilot.press("o")
        await idle(pilot)
        assert pilot.app.screen is screen


async def test_people_view_lists_everyone_and_opens_a_quote(corpus: Path) -> None:
    expected = Library(corpus).analysis.people()
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("P")
        await idle(pilot)
        view = pilot.app.screen
        assert isinstance(view, PeopleView)
        table = view.query_one("#people-table", DataTable)
        assert table.row_count == len(expected)
        assert {person.name for person in view.people} == {person.name for person in expected}
        top = max(expected, key=lambda person: (person.article_count, person.quote_count))
        assert view.highlighted_person is not None and view.highlighted_person.name == top.name
        await pilot.press("s")  # by quotes
        assert view.sort == "quotes"
        assert view.people[0].quote_count == max(person.quote_count for person in expected)
        await pilot.press("home", "enter")
        await idle(pilot)
        quoted = view.people[0]
        assert len(view.quotes) == quoted.quote_count
        assert view.query_one("#people-quotes", OptionList).has_focus
        first = view.quotes[0]
        await pilot.press("enter")
        await idle(pilot)
        assert pilot.app.screen is screen
        assert screen.open_id == first.article_id
        assert screen.reading_pane.flash_span == (first.start, first.end)


async def test_people_view_filters_the_list_by_the_chosen_person(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("P")
        await idle(pilot)
        view = pilot.app.screen
        assert isinstance(view, PeopleView)
        name = view.people[0].name
        await pilot.press("f")
        await idle(pilot)
        assert screen.search_bar.value == f'person:"{name}"'
        assert screen.article_list.row_count == view.people[0].article_count


async def test_people_view_of_a_search_counts_only_its_articles(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        screen.filter_by("date:2020-09")
        await idle(pilot)
        matched = screen.article_list.article_ids
        assert len(matched) == 1
        await pilot.press("P")
        await idle(pilot)
        view = pilot.app.screen
        assert isinstance(view, PeopleView)
        expected = Library(corpus).analysis.people(matched)
        assert sorted((p.name, p.article_count) for p in view.people) == sorted(
            (p.name, p.article_count) for p in expected
        )


async def test_timeline_counts_by_day_and_filters_by_the_chosen_day(dated_corpus: Path) -> None:
    async with running(dated_corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("L")
        await idle(pilot)
        view = pilot.app.screen
        assert isinstance(view, TimelineView)
        timeline = view.timeline
        assert timeline is not None and timeline.bucket == "day"
        assert [bucket.count for bucket in timeline.buckets] == [2, 1, 0, 0, 0, 0, 0, 0, 1]
        assert timeline.undated == 1
        bars = view.query_one("#timeline-bars", OptionList)
        assert bars.option_count == 10  # nine days, and the undated
        assert bars.highlighted == 0  # the busiest day
        summary = str(view.query_one("#timeline-summary", Static).render())
        assert summary == (
            "4 dated, by day: 4 from the front matter · 1 undated: no date in their front matter, text, URL or path"
        )
        assert str(bars.get_option_at_index(9).prompt).startswith("undated")
        await pilot.press("enter")
        await idle(pilot)
        assert screen.search_bar.value == "date:2024-04-02"
        assert sorted(screen.article_list.article_ids) == ["a_original.txt", "c_storks.txt"]


async def test_the_undated_are_a_row_of_the_timeline_that_lists_them(dated_corpus: Path) -> None:
    (dated_corpus / "2024-04-05-wire.txt").write_text("Wire\n\nNothing in the text dates it.\n")
    async with running(dated_corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("L")
        await idle(pilot)
        view = pilot.app.screen
        assert isinstance(view, TimelineView)
        summary = str(view.query_one("#timeline-summary", Static).render())
        assert summary.startswith("5 dated, by day: 4 from the front matter, 1 from the file path · 1 undated: ")
        await pilot.press("end", "enter")
        await idle(pilot)
        assert screen.search_bar.value == "date:none"
        undated = [name for name, (date, _) in DATED_FILES.items() if not date]
        assert screen.article_list.article_ids == undated


async def test_timeline_switches_to_weeks_and_picks_a_week_as_a_date_range(dated_corpus: Path) -> None:
    async with running(dated_corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("L")
        await idle(pilot)
        await pilot.press("b")
        await idle(pilot)
        view = pilot.app.screen
        assert isinstance(view, TimelineView) and view.timeline is not None
        assert view.timeline.bucket == "week"
        assert [bucket.count for bucket in view.timeline.buckets] == [3, 1]
        await pilot.press("down", "enter")
        await idle(pilot)
        assert screen.search_bar.value == "date:2024-04-08..2024-04-14"
        assert screen.article_list.article_ids == ["d_market.txt"]


async def test_copies_are_marked_and_collapse_into_their_original(dated_corpus: Path) -> None:
    async with running(dated_corpus) as pilot:
        screen = main_screen(pilot)
        assert dict(screen.copies) == {"b_copy.txt": "a_original.txt"}
        assert screen.article_list.row_count == 5
        assert "≈" in pilot.app.export_screenshot()
        await pilot.press("D")
        await idle(pilot)
        assert screen.article_list.row_count == 4
        assert "b_copy.txt" not in screen.article_list.article_ids
        await pilot.press("D")
        await idle(pilot)
        assert screen.article_list.row_count == 5


@pytest.mark.parametrize("ending", ["csv", "json"])
async def test_exporting_quotes_from_the_palette_writes_the_sheet(
    corpus: Path, tmp_path: Path, ending: str
) -> None:
    expected = Library(corpus).analysis.quotes()
    target = tmp_path / f"sheet.{ending}"
    async with running(corpus) as pilot:
        await run_command(pilot, "export quotes", "Export quotes of current result")
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportQuotes)
        assert dialog.query_one(Input).value == str(Path.home() / "reader-quotes.csv")
        dialog.query_one(Input).value = str(target)
        await pilot.press("enter")
        await idle(pilot)
        assert pilot.app.screen is main_screen(pilot)
    if ending == "csv":
        with open(target, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][:2] == ["speaker", "quote"]
        assert len(rows) == len(expected) + 1
        assert {row[1] for row in rows[1:]} == {quote.text for quote in expected}
    else:
        assert len(json.loads(target.read_text(encoding="utf-8"))) == len(expected)


async def test_exporting_to_a_path_without_a_known_ending_asks_again(corpus: Path, tmp_path: Path) -> None:
    async with running(corpus) as pilot:
        await run_command(pilot, "export quotes", "Export quotes of current result")
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportQuotes)
        dialog.query_one(Input).value = str(tmp_path / "sheet.xlsx")
        await pilot.press("enter")
        await idle(pilot)
        assert pilot.app.screen is dialog
        assert not (tmp_path / "sheet.xlsx").exists()
