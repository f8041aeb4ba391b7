"""``reader show``: one article as the reading pane presents it, as text, Markdown and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main

ARTICLE = """---
title: "Council votes *yes* on the [harbour] plan"
date: 2020-09-07
outlet: The Gazette
url: https://gazette.example/2020/09/07/harbour
tags: [local, harbour]
---
# Not a heading, a line of the body

"We will build it," said Mayor Ann Lee. Critics were unmoved.

Share this article on Facebook

1. A numbered line stays text.
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "harbour.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_text_is_what_the_reading_pane_shows(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "show", str(article))
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == ["Council votes *yes* on the [harbour] plan", "The Gazette · 2020-09-07", "#local #harbour"]
    assert lines[3].startswith("────")
    assert "\x1b" not in out  # piped: no colours, no wrapping
    assert '"We will build it," said Mayor Ann Lee. Critics were unmoved.' in lines
    assert "Share this article on Facebook" in lines  # furniture, folded to one line


def test_text_wraps_at_the_width_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "long.txt"
    path.write_text("A headline\n\n" + "word " * 60 + "\n", encoding="utf-8")
    status, out, _ = run(capsys, "show", str(path), "--width", "30")
    assert status == 0
    assert max(len(line) for line in out.splitlines()) <= 30
    assert out.count("word") == 60


def test_markdown_has_front_matter_the_body_and_the_quotes(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["tag", "add", str(article), "to read"])
    capsys.readouterr()
    status, out, _ = run(capsys, "show", str(article), "--format", "md")
    assert status == 0
    front, body = out.split("---\n")[1], out.split("---\n", 2)[2]
    assert front.splitlines() == [
        'title: "Council votes *yes* on the [harbour] plan"',
        'date: "2020-09-07"',
        'outlet: "The Gazette"',
        'url: "https://gazette.example/2020/09/07/harbour"',
        'tags: ["to read", "local", "harbour"]',
    ]
    assert "# Council votes \\*yes\\* on the \\[harbour\\] plan" in body
    assert "\\# Not a heading, a line of the body" in body
    assert "1\\. A numbered line stays text." in body
    assert "Share this article" not in body  # page furniture is left out of notes
    assert body.rstrip().endswith("## Quotes\n\n- “We will build it” — Ann Lee")


def test_json_has_everything(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "show", str(article), "--format", "json")
    shown = json.loads(out)
    assert status == 0
    assert (shown["title"], shown["date"], shown["date_source"]) == (
        "Council votes *yes* on the [harbour] plan", "2020-09-07", "front-matter"
    )
    assert [paragraph["kind"] for paragraph in shown["paragraphs"]] == ["body", "body", "furniture", "body"]
    assert shown["quotes"] == [{"text": "We will build it,", "speaker": "Ann Lee", "start": 81, "end": 98}]
    assert shown["people"][0]["name"] == "Ann Lee"


def test_a_found_date_says_where_it_came_from(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "2020-09-07-wire.txt"
    path.write_text("Wire story\n\nLawmakers voted on Monday.\n", encoding="utf-8")
    assert run(capsys, "show", str(path))[1].splitlines()[1] == "2020-09-07 (from the file path)"


def test_bad_paths_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "show", str(tmp_path / "missing.txt")) == (
        2, "", f"reader: error: no such file: {tmp_path / 'missing.txt'}\n"
    )
    assert run(capsys, "show", str(tmp_path))[0] == 2
    (tmp_path / "empty.txt").write_text("")
    status, out, err = run(capsys, "show", str(tmp_path / "empty.txt"))
    assert (status, out) == (1, "") and err.endswith("skipped: empty file\n")
    with pytest.raises(SystemExit) as stopped:
        main(["show", str(tmp_path / "empty.txt"), "--format", "pdf"])
    assert stopped.value.code == 2


def test_text_from_the_file_is_shown_literally(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hostile.txt"
    path.write_bytes(b"Title \x1b]0;pwned\x07 here\n\nBody \x1b[31mred\x1b[0m text.\n")
    status, out, _ = run(capsys, "show", str(path))
    assert status == 0 and "\x1b" not in out and "\x07" not in out
