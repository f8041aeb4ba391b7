"""``reader quotes``, ``reader people`` and ``reader clusters``: exports and figures on the seeds."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.cross_article.quote_sheet import FIELDS, as_csv, as_json, as_markdown
from reader.core.cross_article import QuoteOccurrence
from reader.core.extraction import extract_article
from reader.core.library import Library
from reader.core.loader import load_corpus

TRICKY = [
    QuoteOccurrence(
        article_id="dir/a, b.txt",
        title='He said "no"',
        text='“Yes,” she said, "and then\nsome" | more',
        start=10,
        end=52,
        speaker="Ann Lee",
        outlet=None,
        date=dt.date(2020, 9, 7),
        cluster_id=3,
        cluster_articles=2,
    ),
    QuoteOccurrence("b.txt", "B", "=cmd|' /C calc'!A0", 0, 18, None, "Gazette", None, None, 1),
]
PEOPLE_QUOTE = "Kim and Kanye are doing well. Kanye is in a better mental state"


def test_csv_round_trips_through_a_csv_reader() -> None:
    rows = list(csv.reader(io.StringIO(as_csv(TRICKY), newline="")))
    assert rows[0] == list(FIELDS)
    assert rows[1] == [
        "Ann Lee", '“Yes,” she said, "and then\nsome" | more', "", "2020-09-07", "dir/a, b.txt",
        'He said "no"', "3", "2", "10", "52", "", "",  # no wording worked out for it
    ]
    assert rows[2][:7] == ["", "'=cmd|' /C calc'!A0", "Gazette", "", "b.txt", "B", ""]  # no live formula
    assert len(rows) == 3


def test_json_is_one_array_of_objects() -> None:
    data = json.loads(as_json(TRICKY))
    assert [row["quote"] for row in data] == [quote.text for quote in TRICKY]
    assert data[1]["cluster"] is None and data[0]["date"] == "2020-09-07"


def test_markdown_keeps_each_quote_on_one_row_and_escapes_pipes() -> None:
    lines = as_markdown(TRICKY).splitlines()
    assert len(lines) == 4
    assert lines[2].startswith("| Ann Lee | “Yes,” she said, \"and then some\" \\| more |")
    assert lines[2].count(" | ") == len(FIELDS) - 1


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(list(args))
    return status, capsys.readouterr().out


def test_quote_sheet_of_the_seeds_puts_the_people_quote_in_one_cluster(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "quotes.csv"
    status, _ = run_cli(capsys, "quotes", "--path", str(seeds), "-o", str(sheet))
    assert status == 0
    with open(sheet, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    people_rows = [row for row in rows if row["quote"].startswith("Kim and Kanye are doing well")]
    assert {row["file"][:3] for row in people_rows} == {"000", "001", "002"}
    assert len({row["cluster"] for row in people_rows}) == 1
    assert {row["cluster_articles"] for row in people_rows} == {"3"}
    expected = sum(len(extract_article(article).quotes) for article in load_corpus(seeds).articles)
    assert len(rows) == expected


def test_quote_sheet_of_a_query_has_only_matching_articles(
    seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run_cli(capsys, "quotes", '"Taylor Swift"', "--path", str(seeds), "--format", "json")
    assert status == 0
    assert {row["file"][:3] for row in json.loads(out)} == {"003"}


def test_clusters_json_has_the_seed_cluster_first_seen_in_the_dated_article(
    seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run_cli(capsys, "clusters", "--path", str(seeds), "--json")
    assert status == 0
    clusters = [json.loads(line) for line in out.splitlines()]
    (people_cluster,) = [
        c for c in clusters if any(m["quote"].startswith(PEOPLE_QUOTE) for m in c["members"])
    ]
    assert {m["file"][:3] for m in people_cluster["members"]} == {"000", "001", "002"}
    assert people_cluster["articles"] == 3
    assert people_cluster["first"]["file"].startswith("002")  # the only dated one: 2020-09-07


def test_people_counts_match_extraction_file_by_file(seeds: Path) -> None:
    with Library(seeds) as library:
        library.sync()
        for article in load_corpus(seeds).articles:
            expected = {p.name: (p.mentions, p.quoted) for p in extract_article(article).people}
            found = {p.name: (p.mention_count, p.quoted) for p in library.analysis.people([article.id])}
            assert found == expected, article.id


def test_people_across_the_seeds_add_up(seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    articles = load_corpus(seeds).articles
    status, out = run_cli(capsys, "people", "--path", str(seeds), "--json")
    assert status == 0
    people = {row["name"]: row for row in map(json.loads, out.splitlines())}
    for name in ("Kim Kardashian", "Kanye West"):
        per_file = [p for a in articles for p in extract_article(a).people if p.name == name]
        assert people[name]["articles"] == len(per_file)
        assert people[name]["mentions"] == sum(p.mentions for p in per_file)


def test_human_output_is_one_line_per_person(seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run_cli(capsys, "people", "--path", str(seeds))
    lines = out.splitlines()
    assert status == 0
    assert lines[0].split() == ["name", "articles", "mentions", "quotes"]
    assert lines[-1] == f"{len(lines) - 2} people"
    assert any(line.startswith("Kim Kardashian ") for line in lines)


def test_duplicates_listing_on_a_folder_with_a_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (Path(__file__).parents[2] / "seeds" / "000_f0edc72787384ae1.txt").read_text(encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text(text + "\n\nShare this story with your friends.\n", encoding="utf-8")
    status, out = run_cli(capsys, "clusters", "--path", str(folder), "--duplicates", "--json")
    assert status == 0
    (group,) = [json.loads(line) for line in out.splitlines()]
    assert [m["file"] for m in group["members"]] == ["a.txt", "b.txt"]


def test_library_sync_keeps_the_clusters_up_to_date(seeds: Path, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for source in sorted(seeds.iterdir())[:3]:
        (folder / source.name).write_bytes(source.read_bytes())

    def people_cluster(library: Library) -> set[str]:
        library.sync()
        found = [c for c in library.analysis.clusters() if any(m.text.startswith(PEOPLE_QUOTE) for m in c.members)]
        return {article_id[:3] for c in found for article_id in c.article_ids}

    with Library(folder) as library:
        assert people_cluster(library) == {"000", "001", "002"}
        changed = next(folder.glob("001_*"))
        changed.write_text("A new headline\n\nThe article was rewritten without any quote at all.\n", encoding="utf-8")
        assert people_cluster(library) == {"000", "002"}
        next(folder.glob("002_*")).unlink()
        assert people_cluster(library) == set()
