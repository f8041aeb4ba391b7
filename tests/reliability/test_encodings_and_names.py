"""Western text that detectors take for Central European, the encoding said, odd characters in
file names spelled as escapes, and hidden files counted and named by ``reader check``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.loader import load_article, load_corpus
from reader.core.models import Article
from reader.core.text import decode, visible_name


def load_bytes(folder: Path, name: str, data: bytes) -> Article:
    path = folder / name
    path.write_bytes(data)
    article = load_article(path, folder)
    assert isinstance(article, Article)
    return article


def check(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    status = main(["check", *map(str, args)])
    return status, capsys.readouterr().out


# --- encodings ------------------------------------------------------------------------------------

SPANISH_LATIN1 = "Señor Muñoz scored 2½ goals.\n\nThe striker Señor Muñoz called it «great» and a 3×2 win.\n"


def test_latin1_that_a_detector_reads_as_cp1250_is_read_as_western(tmp_path: Path) -> None:
    article = load_bytes(tmp_path, "latin.txt", SPANISH_LATIN1.encode("latin-1"))
    assert article.title == "Señor Muñoz scored 2½ goals."
    assert "Seńor" not in article.text and "Muñoz called it «great» and a 3×2 win." in article.text
    assert article.encoding == "cp1252"
    assert article.warnings == ("not UTF-8; decoded as cp1252",)


@pytest.mark.parametrize(
    "text",
    [
        "Zażółć gęślą jaźń. Pan Kowalski powiedział, że sytuacja jest trudna dla wszystkich mieszkańców.",
        "Příliš žluťoučký kůň úpěl ďábelské ódy. Řekl, že to není pravda a že se vrátí zítra.",
    ],
)
def test_central_european_text_is_still_read_as_cp1250(text: str) -> None:
    decoded, note, encoding = decode(text.encode("cp1250"))
    assert decoded == text
    assert (note, encoding) == ("not UTF-8; decoded as cp1250", "cp1250")


def test_check_says_which_encoding_each_file_was_read_with(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "latin.txt").write_bytes(SPANISH_LATIN1.encode("latin-1"))
    (tmp_path / "plain.txt").write_text("Plain headline\n\nBody “quoted”.\n", encoding="utf-8")
    status, out = check(capsys, tmp_path, "--json")
    assert status == 0
    rows = {row["id"]: row for row in map(json.loads, out.splitlines())}
    assert (rows["latin.txt"]["encoding"], rows["plain.txt"]["encoding"]) == ("cp1252", "utf-8")
    status, out = check(capsys, tmp_path)
    assert "  encoding: cp1252" in out.splitlines()


# --- names ----------------------------------------------------------------------------------------


def test_visible_name_spells_every_odd_character_as_an_escape() -> None:
    assert visible_name("new\nline.md") == "new\\nline.md"
    assert visible_name("a\tb\rc") == "a\\tb\\rc"
    assert visible_name("esc-\x1b]0;x\x07.md") == "esc-\\x1b]0;x\\x07.md"
    assert visible_name("bidi-\u202edm.txt") == "bidi-\\u202edm.txt"
    assert visible_name(os.fsdecode(b"bad-\xff\xfe.txt")) == "bad-\\xff\\xfe.txt"
    assert visible_name("c1-\x9b.md") == "c1-\\x9b.md"
    assert visible_name("café ☕ “q”.md") == "café ☕ “q”.md"
    assert visible_name("x" * 10, limit=5) == "xxxx…"


def test_check_shows_a_newline_in_a_file_name_as_backslash_n(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "new\nline.md").write_text("Newline name\n\nBody.\n", encoding="utf-8")
    (tmp_path / "tab\there.md").write_text("", encoding="utf-8")  # skipped as empty: named too
    status, out = check(capsys, tmp_path)
    lines = out.splitlines()
    assert "new\\nline.md" in lines and str(tmp_path / "tab\\there.md") in lines
    assert "new line.md" not in lines and status == 1


def test_a_title_made_from_a_file_name_spells_its_newline(tmp_path: Path) -> None:
    article = load_bytes(tmp_path, "bad\nname.md", b"---\ntitle: !!python/name:os.system\n---\nBody line.\n")
    assert article.title == "bad\\nname"


# --- hidden files ---------------------------------------------------------------------------------


@pytest.fixture
def with_hidden(tmp_path: Path) -> Path:
    (tmp_path / "shown.md").write_text("Shown\n\nBody.\n", encoding="utf-8")
    (tmp_path / ".hidden.md").write_text("Hidden\n\nBody.\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.md").write_text("Hidden\n\nBody.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".draft.txt").write_text("Draft\n\nBody.\n", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")  # hidden, but no article would be read there
    return tmp_path


def test_the_loader_counts_hidden_files_and_folders(with_hidden: Path) -> None:
    corpus = load_corpus(with_hidden)
    assert [article.id for article in corpus.articles] == ["shown.md"]
    assert [path.relative_to(with_hidden).as_posix() for path in corpus.hidden] == [
        ".git", ".hidden.md", "sub/.draft.txt",
    ]


def test_check_counts_and_names_hidden_files(with_hidden: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = check(capsys, with_hidden)
    assert status == 0  # hidden files are not an error
    lines = out.splitlines()
    assert lines[-2] == "3 hidden files and folders not read: .git/, .hidden.md, sub/.draft.txt"
    assert lines[-1] == "1 loaded, 0 skipped, 0 warnings"
    status, out = check(capsys, with_hidden, "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(row["path"], row["status"]) for row in rows if row["status"] == "hidden"] == [
        (str(with_hidden / ".git"), "hidden"),
        (str(with_hidden / ".hidden.md"), "hidden"),
        (str(with_hidden / "sub" / ".draft.txt"), "hidden"),
    ]
