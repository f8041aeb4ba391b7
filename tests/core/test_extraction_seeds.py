"""The sample articles end to end: expected people and quotes, speed, and ``reader extract``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.extraction import extract_article
from reader.core.loader import load_article
from reader.core.models import Article



def load(seeds: Path, name: str) -> Article:
    article = load_article(seeds / name, seeds)
    assert isinstance(article, Article)
    return article


def test_front_matter_article_people_match_the_gold(seeds: Path) -> None:
    found = extract_article(load(seeds, "002_cad27db6ce727891.txt"))
    assert {p.name: p.mentions for p in found.people} == {
        "Kanye West": 18,
        "Kim Kardashian": 13,
        "Kris Jenner": 3,
        "North West": 2,
        "Saint West": 2,
        "Chicago West": 2,
        "Psalm West": 2,
    }


def test_nested_quote_article_matches_the_gold(seeds: Path) -> None:
    article = load(seeds, "004_17e534690fb10171.txt")
    found = extract_article(article)
    assert {p.name: p.mentions for p in found.people} == {
        "Kanye West": 25,
        "Kim Kardashian": 18,
        "Donald Trump": 2,
        "North West": 1,
        "Harriet Tubman": 1,
        "Brandon Bernard": 1,
    }
    assert len(found.quotes) == 20
    assert all(article.text[q.start : q.end] == q.text for q in found.quotes)
    speakers = [q.speaker for q in found.quotes]
    assert speakers[:3] == ["CELEB (earlier article)", "Kanye West", "DailyWire"]
    assert speakers.count("source (E! News)") == 7


def test_cli_prints_one_json_line_per_article(seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(path) for path in sorted(seeds.glob("*.txt"))]
    assert main(["extract", *files, "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    first = json.loads(lines[2])
    assert set(first) == {"path", "title", "people", "quotes"}
    assert set(first["people"][0]) == {"name", "aliases", "mentions", "quoted"}
    assert set(first["quotes"][0]) == {"text", "speaker", "start", "end"}


def test_cli_text_output_and_a_missing_file(seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["extract", str(seeds / "000_f0edc72787384ae1.txt"), str(seeds / "missing.txt")])
    captured = capsys.readouterr()
    assert status == 1
    assert "Kanye West: 10 mentions, quoted" in captured.out
    assert "missing.txt: skipped: no such file or folder" in captured.err
