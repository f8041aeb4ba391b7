"""``reader highlight`` and ``reader highlights`` as a user runs them: output, exit codes, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reader.cli import main

SWIFT = "003_72929514e6e39e36.txt"


@pytest.fixture
def corpus(seeds: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(seeds, tmp_path / "corpus"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_add_a_highlight_with_a_note_then_list_it(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = str(corpus / SWIFT)
    status, out, err = run(capsys, "highlight", "add", article, "--quote", "taylor  SWIFT, was NOT\nauthorized", "--note", "tour dates?")
    highlight_id = out.split()[0]
    assert (status, out, err) == (0, f"{highlight_id}  {SWIFT}: “Taylor Swift, was not authorized”\n", "")
    assert run(capsys, "highlight", "add", article, "--note", "Whole article.\nTwo lines.")[:2] == (0, f"{SWIFT}: note saved\n")
    status, out, _ = run(capsys, "highlight", "list", article)
    assert status == 0
    assert out.splitlines()[1:] == [
        "  note: Whole article.",
        "        Two lines.",
        f"  {highlight_id}  “Taylor Swift, was not authorized”",
        "    — tour dates?",
    ]
    status, out, _ = run(capsys, "highlight", "list", article, "--json")
    listed = json.loads(out)
    assert listed["note"] == "Whole article.\nTwo lines."
    assert [(h["id"], h["text"], h["note"], h["state"]) for h in listed["highlights"]] == [
        (highlight_id, "Taylor Swift, was not authorized", "tour dates?", "exact")
    ]


def test_a_quote_that_is_not_in_the_file_is_one_line_and_status_1(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "highlight", "add", str(corpus / SWIFT), "--quote", "Taylor Swift was not authorised by the latter")
    assert (status, out) == (1, "")
    assert err.startswith("reader: error: the quote is not in ") and "closest passage: “Taylor Swift, was not authorized by the latter”" in err
    assert err.count("\n") == 1


def test_several_occurrences_take_the_first_or_the_one_asked_for(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = str(corpus / SWIFT)
    status, _, err = run(capsys, "highlight", "add", article, "--quote", "Kanye West")
    assert status == 0 and "occurs 7 times; highlighted the first" in err
    status, out, _ = run(capsys, "highlight", "add", article, "--quote", "Kanye West", "--occurrence", "2", "--json")
    text = (corpus / SWIFT).read_text(encoding="utf-8")
    first = text.index("Kanye West")
    second = text.index("Kanye West", first + 1)
    assert status == 0 and [h["start"] for h in json.loads(out)["highlights"]][:2] == [first, second]
    status, _, err = run(capsys, "highlight", "add", article, "--quote", "Kanye West", "--occurrence", "9")
    assert (status, err) == (2, "reader: error: --occurrence 9: the quote occurs 7 time(s)\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["highlight", "add", "{article}"], "give --quote TEXT"),
        (["highlight", "add", "{article}", "--quote", " "], "--quote is empty"),
        (["highlight", "add", "{corpus}", "--quote", "x"], "is a folder; give one article file"),
        (["highlight", "add", "{corpus}/nope.txt", "--quote", "x"], "no such file or folder"),
        (["highlight", "remove", "{article}"], "say what to remove"),
        (["highlight", "remove", "abc"], "at least 4 characters"),
        (["highlight", "remove", "abcdef"], "no highlight abcdef"),
        (["highlight", "remove", "abcdef", "--all"], "need one article file"),
    ],
)
def test_usage_errors_are_one_line_and_status_2(
    corpus: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    filled = [part.format(article=corpus / SWIFT, corpus=corpus) for part in argv]
    status, out, err = run(capsys, *filled)
    assert (status, out) == (2, "")
    assert message in err and err.count("\n") == 1


def test_remove_by_id_by_quote_and_everything(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = str(corpus / SWIFT)
    first = run(capsys, "highlight", "add", article, "--quote", "Taylor Swift")[1].split()[0]
    run(capsys, "highlight", "add", article, "--quote", "Kim Kardashian")
    run(capsys, "highlight", "add", article, "--note", "n")
    assert run(capsys, "highlight", "remove", first[:5]) == (0, "removed 1 highlight\n", "")
    assert run(capsys, "highlight", "remove", article, "--quote", "kim kardashian")[1] == f"{SWIFT}: removed 1 highlight\n"
    assert run(capsys, "highlight", "remove", article, "--all")[1] == f"{SWIFT}: removed 0 highlights and the note\n"
    assert run(capsys, "highlight", "list", "--json")[1] == "[]\n"


def test_list_of_a_folder_and_of_everything(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "highlight", "add", str(corpus / SWIFT), "--quote", "Taylor Swift")
    status, out, _ = run(capsys, "highlight", "list", str(corpus), "--json")
    assert status == 0 and [entry["id"] for entry in json.loads(out)] == [SWIFT]
    (corpus / SWIFT).write_text("Rewritten\n\nNothing of what was here is left.", encoding="utf-8")
    status, out, _ = run(capsys, "highlight", "list")
    assert status == 0 and "(orphaned)" in out  # kept, and said to be lost
    (corpus / SWIFT).unlink()
    status, out, _ = run(capsys, "highlight", "list", "--json")
    assert json.loads(out)[0]["highlights"][0]["state"] == "missing file"


def test_export_markdown_and_json_and_import_elsewhere(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "highlight", "add", str(corpus / SWIFT), "--quote", "Taylor Swift", "--note", "why her?")
    status, out, _ = run(capsys, "highlights", "export")
    assert status == 0
    assert out.startswith("# Highlights\n\n## If one thinks Kim Kardashian")
    assert f"- File: {corpus / SWIFT}\n" in out and "\n> Taylor Swift\n\nwhy her?\n" in out
    assert run(capsys, "highlights", "export", "--path", str(tmp_path / "nowhere"))[0] == 2
    other = tmp_path / "other"
    other.mkdir()
    assert run(capsys, "highlights", "export", "--path", str(other)) == (0, "# Highlights\n\n", "")
    backup = tmp_path / "backup.json"
    assert run(capsys, "highlights", "export", "-o", str(backup))[0] == 0
    exported = backup.read_text(encoding="utf-8")
    monkeypatch.setenv("READER_HOME", str(tmp_path / "elsewhere"))
    status, out, _ = run(capsys, "highlights", "import", str(backup))
    assert (status, out) == (0, f"imported {backup}: 1 highlights and notes added, 0 already there, 0 entries skipped\n")
    assert run(capsys, "highlights", "export", "--format", "json")[1] == exported


def test_import_of_a_file_that_is_not_an_export_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    markdown = tmp_path / "notes.md"
    markdown.write_text("# Highlights\n", encoding="utf-8")
    status, out, err = run(capsys, "highlights", "import", str(markdown))
    assert (status, out) == (1, "")
    assert err == "reader: error: not a JSON highlights export (the Markdown export is for reading; import the JSON one)\n"


def test_help_is_available_for_every_action(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["highlight"], ["highlight", "add"], ["highlight", "list"], ["highlight", "remove"],
                 ["highlights"], ["highlights", "export"], ["highlights", "import"]):
        with pytest.raises(SystemExit) as stopped:
            main([*argv, "--help"])
        assert stopped.value.code == 0
        assert "usage: reader" in capsys.readouterr().out


def test_a_passage_also_in_the_headline_is_highlighted_in_the_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "flood.txt"
    article.write_text("Harbour floods again\n\nThe harbour floods again, said the mayor. Nobody was hurt.", encoding="utf-8")
    status, out, err = run(capsys, "highlight", "add", str(article), "--quote", "harbour floods again", "--json")
    assert (status, err) == (0, "")
    assert json.loads(out)["highlights"][0]["start"] == len("Harbour floods again\n\nThe ")
