"""The Library facade on the bundled seeds, the start-up path, and the two search commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.library import Library
from reader.core.models import Article, LoadIssue


@pytest.fixture
def library(seeds: Path) -> Library:
    opened = Library(seeds)
    opened.sync()
    yield opened
    opened.close()


def test_incredibly_patient_finds_the_three_people_quote_articles_first(library: Library) -> None:
    hits = library.search("incredibly patient").hits
    assert {hit.id[:3] for hit in hits[:3]} == {"000", "001", "002"}


def test_person_query_finds_taylor_swift(library: Library) -> None:
    assert [hit.id[:3] for hit in library.search('person:"Taylor Swift"').hits] == ["003"]


def test_summaries_list_every_article_with_its_title(library: Library) -> None:
    summaries = library.summaries()
    assert [summary.id[:3] for summary in summaries] == ["000", "001", "002", "003", "004"]
    assert summaries[2].title.startswith("Kim Kardashian remaining incredibly patient")
    assert summaries[2].date_label == "2020-09-07"


def test_start_up_lists_articles_without_importing_whoosh(library: Library, seeds: Path) -> None:
    program = (
        "import sys; from pathlib import Path\n"
        "from reader.core.library import Library\n"
        f"summaries = Library(Path({str(seeds)!r})).summaries()\n"
        "print(len(summaries), 'whoosh' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, env=os.environ)
    assert result.stdout.split() == ["5", "False"]


def test_article_is_read_from_disk_and_outsiders_are_refused(library: Library) -> None:
    article = library.article("003_72929514e6e39e36.txt")
    assert isinstance(article, Article) and "Taylor Swift" in article.text
    assert isinstance(library.article("../../etc/passwd"), LoadIssue)


def test_extraction_is_cached_per_article_version(library: Library) -> None:
    first = library.extraction("000_f0edc72787384ae1.txt")
    assert first is library.extraction("000_f0edc72787384ae1.txt")
    assert first.quotes


def test_analysis_is_fed_by_sync(library: Library) -> None:
    assert library.analysis.article_ids() == {summary.id for summary in library.summaries()}


def test_term_spans_mark_the_matched_words_in_the_reading_pane(library: Library) -> None:
    result = library.search("kardashain~")
    article = library.article(result.hits[0].id)
    assert isinstance(article, Article)
    spans = library.term_spans(article.text, result.terms)
    assert spans and {article.text[a:b] for a, b in spans} == {"Kardashian"}


def test_search_command_json_lines(seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "incredibly patient", "--json", "--path", str(seeds)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"][:3] for line in lines[:3]] in (["002", "001", "000"], ["001", "002", "000"])
    assert set(lines[0]) == {"id", "path", "title", "date", "score", "snippet", "highlights", "tags"}
    first = lines[0]
    assert [first["snippet"][a:b].lower() for a, b in first["highlights"]][:2] == ["incredibly", "patient"]


@pytest.mark.parametrize("command", ["search", "quotes", "people"])
def test_an_odd_query_is_one_line_and_a_usage_error_for_every_command(
    seeds: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    assert main([command, "nope:(", "--path", str(seeds)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [
        "reader: error: unknown field nope:, use title:, person:, quoted:, quote:, outlet:, author:, tag:, highlight:, note:, has: or date:"
    ]


def test_search_command_human_output(seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", 'person:"Taylor Swift"', "--path", str(seeds)]) == 0
    out = capsys.readouterr().out
    assert "003_72929514e6e39e36.txt" in out and "[Taylor] [Swift]" in out
    assert out.rstrip().endswith("1 matching article")


def test_index_command_reports_counts(seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", str(seeds), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["articles"], first["added"], first["skipped"]) == (5, 5, [])
    assert main(["index", str(seeds)]) == 0
    assert capsys.readouterr().out.startswith("5 articles indexed in ")
    assert main(["index", str(seeds), "--rebuild", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 5
