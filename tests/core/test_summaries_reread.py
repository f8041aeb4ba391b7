"""Reading the list again while a build adds rows: the summaries whose rows did not change are
kept (one copy in memory, not two), every other row is read anew, and the result is the list a
fresh reading gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.library import Library
from reader.core.models import ArticleSummary
from tests.conftest import write_text


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write_text(folder, "a.md", "---\ntitle: Apples in autumn\ndate: 2021-10-02\noutlet: Daily Fruit\n---\n\nThe orchard.\n")
    write_text(folder, "b.md", "---\ntitle: Bridges of Paris\ndate: 2021-10-02\noutlet: Daily Fruit\n---\n\nA walk.\n")
    write_text(folder, "c.md", "---\ntitle: Comets tonight\n---\n\nAstronomers say a bright comet is coming.\n")
    return folder


def by_id(summaries: list[ArticleSummary]) -> dict[str, ArticleSummary]:
    return {summary.id: summary for summary in summaries}


def test_a_second_reading_keeps_the_unchanged_rows_and_reads_the_changed_and_new(corpus: Path) -> None:
    with Library(corpus) as library:
        library.sync()
        before = by_id(library.summaries())
        write_text(corpus, "b.md", "---\ntitle: Bridges of Rome\ndate: 2021-10-02\n---\n\nA walk.\n")
        write_text(corpus, "d.md", "---\ntitle: Dunes\n---\n\nSand.\n")
        library.add_tags(["c.md"], ["space"])
        library.sync()
        again = library.summaries(known=before)
        assert [summary.id for summary in again] == ["a.md", "b.md", "c.md", "d.md"]
        assert again[0] is before["a.md"]
        assert again[1] is not before["b.md"] and again[1].title == "Bridges of Rome" and again[1].outlet is None
        assert again[2] is not before["c.md"] and again[2].tags == ("space",)
        assert again == library.summaries()  # the same rows a reading from nothing gives


def test_a_summary_whose_path_or_date_was_converted_is_kept_while_its_row_is_the_same(corpus: Path) -> None:
    with Library(corpus) as library:
        library.sync()
        before = by_id(library.summaries())
        assert before["a.md"].path.name == "a.md" and before["b.md"].date is not None  # converted, as a drawn row's
        write_text(corpus, "b.md", "---\ntitle: Bridges of Paris\ndate: 2021-10-03\noutlet: Daily Fruit\n---\n\nA longer walk.\n")
        library.sync()
        again = by_id(library.summaries(known=before))
        assert again["a.md"] is before["a.md"] and again["c.md"] is before["c.md"]
        assert again["b.md"] is not before["b.md"] and again["b.md"].date_label == "2021-10-03"


def test_rows_share_one_string_for_a_repeated_outlet_and_date(corpus: Path) -> None:
    with Library(corpus) as library:
        library.sync()
        first, second = library.summaries()[:2]
        assert first.outlet == "Daily Fruit" and first.outlet is second.outlet
        assert first.date_key == "2021-10-02" and first.date_key is second.date_key
