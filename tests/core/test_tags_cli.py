"""``reader tag`` and ``reader tags`` as a user runs them: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reader.cli import main

SEED = "001_b1f3a68a7abbe948.txt"
SEEDS_FOLDER = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def corpus(seeds: Path, tmp_path: Path) -> Path:
    """A private copy of the sample articles (tests may rename and edit it)."""
    return Path(shutil.copytree(seeds, tmp_path / "corpus"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_add_list_and_remove_tags_of_a_file(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = str(corpus / SEED)
    assert run(capsys, "tag", "add", article, "patience", "Kim K") == (
        0, f"{SEED}: Kim K, patience\n", "",
    )
    assert run(capsys, "tag", "add", str(corpus / "002_cad27db6ce727891.txt"), "Patience")[0] == 0
    assert run(capsys, "tag", "list") == (0, "     2  patience\n     1  Kim K\n", "")
    status, out, _ = run(capsys, "tag", "list", "--json")
    assert (status, json.loads(out)) == (0, [{"tag": "patience", "count": 2}, {"tag": "Kim K", "count": 1}])
    status, out, _ = run(capsys, "tag", "list", article, "--json")
    assert json.loads(out) == {"id": SEED, "path": str(corpus / SEED), "tags": ["Kim K", "patience"]}
    assert run(capsys, "tag", "remove", article, "KIM K") == (0, f"{SEED}: patience\n", "")
    assert run(capsys, "tag", "remove", article, "patience") == (0, f"{SEED}: (no tags)\n", "")


def test_list_of_a_folder_shows_each_tagged_article(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "tag", "add", str(corpus / SEED), "patience")
    (corpus / "notes").mkdir()
    (corpus / SEED).rename(corpus / "notes" / "renamed.txt")
    assert run(capsys, "tag", "list", str(corpus)) == (0, "notes/renamed.txt: patience\n", "")
    status, out, _ = run(capsys, "tag", "list", str(corpus), "--json")
    listed = json.loads(out)
    assert status == 0 and len(listed) == 5
    assert [item["tags"] for item in listed if item["tags"]] == [["patience"]]
    run(capsys, "tag", "remove", str(corpus / "notes" / "renamed.txt"), "patience")
    assert run(capsys, "tag", "list", str(corpus)) == (0, "", f"reader: none of the 5 articles in {corpus} has tags\n")


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("", "a tag cannot be empty"),
        ("bad\x1b]0;title\x07tag", "contains an invisible or control character (U+001B)"),
    ],
)
def test_a_bad_tag_is_a_usage_error(corpus: Path, capsys: pytest.CaptureFixture[str], tag: str, message: str) -> None:
    status, out, err = run(capsys, "tag", "add", str(corpus / SEED), "good", tag)
    assert (status, out) == (2, "")
    assert message in err and err.count("\n") == 1 and "\x1b" not in err
    assert run(capsys, "tag", "list") == (  # nothing was stored, not even the good tag
        0, "", "reader: no tags yet; add some with: reader tag add PATH TAG...\n",
    )


def test_a_file_that_cannot_be_read_is_one_line_and_status_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    status, out, err = run(capsys, "tag", "add", str(binary), "photo")
    assert (status, out) == (1, "")
    assert err == f"reader: error: {binary}: skipped: binary file, not text\n"


def test_a_missing_file_or_a_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "tag", "add", str(tmp_path / "nope.txt"), "x") == (
        2, "", f"reader: error: no such file or folder: {tmp_path / 'nope.txt'}\n",
    )
    status, _, err = run(capsys, "tag", "add", str(tmp_path), "x")
    assert status == 2 and "is a folder; give one article file" in err


@pytest.mark.parametrize("suffix", ["json", "csv"])
def test_export_to_a_file_and_import_elsewhere_round_trips(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    run(capsys, "tag", "add", str(corpus / SEED), "patience", "café ☕")
    backup = tmp_path / f"tags.{suffix}"
    assert run(capsys, "tags", "export", "-o", str(backup)) == (0, "", f"reader: exported 2 tags to {backup}\n")
    status, exported, _ = run(capsys, "tags", "export", "--format", suffix)
    assert status == 0 and backup.read_bytes().decode("utf-8") == exported

    monkeypatch.setenv("READER_HOME", str(tmp_path / "other-machine"))
    assert run(capsys, "tags", "import", str(backup)) == (
        0, f"imported {backup}: 2 tags added, 0 already there, 0 rows skipped\n", "",
    )
    assert run(capsys, "tags", "export", "--format", suffix)[1] == exported
    assert run(capsys, "tag", "list", str(corpus / SEED))[1] == f"{SEED}: café ☕, patience\n"


def test_import_reports_skipped_rows_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "hand-made.csv"
    export.write_text(
        "tag,fingerprint,path\n"
        f"kept,{'ab' * 32},/somewhere/a.txt\n"
        "lost,not-a-fingerprint,/somewhere/b.txt\n",
        encoding="utf-8",
    )
    status, out, err = run(capsys, "tags", "import", str(export), "--json")
    assert status == 1
    assert json.loads(out) == {
        "added": 1,
        "unchanged": 0,
        "skipped": [{"where": "line 3", "reason": "fingerprint is not 64 hexadecimal digits"}],
    }
    assert err == "reader: skipped line 3: fingerprint is not 64 hexadecimal digits\n"


def test_import_of_a_file_that_is_not_an_export_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_bytes(b"\xff\xfe\xfa not utf-8")
    assert run(capsys, "tags", "import", str(bogus)) == (1, "", f"reader: error: {bogus} is not UTF-8 text (byte 0)\n")
    bogus.write_text("hello,world\n1,2\n", encoding="utf-8")
    assert run(capsys, "tags", "import", str(bogus)) == (
        1, "", "reader: error: not a tag export, and no row names an article file "
        f"(line 1: no file 'hello' in {SEEDS_FOLDER})\n",
    )


def test_help_is_available_for_every_action(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["tag", "--help"], ["tag", "add", "--help"], ["tag", "list", "--help"],
                 ["tags", "export", "--help"], ["tags", "import", "--help"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 0
        assert "usage: reader" in capsys.readouterr().out


# A CSV a person writes by hand: path,tag rows, paths under --path (default: the sample articles)

def test_a_hand_written_path_tag_csv_is_imported(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (corpus / "sub").mkdir()
    (corpus / "002_cad27db6ce727891.txt").rename(corpus / "sub" / "moved.txt")
    sheet = tmp_path / "mine.csv"
    sheet.write_text(
        "Path,Tag\n"
        f"{SEED},patience\n"
        "sub/moved.txt,long read\n"
        "./sub/moved.txt,Long Read\n"  # the same file and tag again: counted once
        "missing.txt,patience\n"
        f"{SEED},\n"
        "sub,patience\n"
        f"{SEED},bad\x1btag\n",
        encoding="utf-8",
    )
    status, out, err = run(capsys, "tags", "import", str(sheet), "--path", str(corpus))
    assert status == 1
    assert out == f"imported {sheet}: 2 tags added, 0 already there, 4 rows skipped\n"
    assert err.splitlines() == [
        f"reader: skipped line 5: no file 'missing.txt' in {corpus}",
        f"reader: skipped line 6: no tag for {SEED}",
        "reader: skipped line 7: sub is a folder, not an article file",
        "reader: skipped line 8: tag 'bad␛tag' contains an invisible or control character (U+001B)",
    ]
    assert run(capsys, "tag", "list", str(corpus)) == (0, f"{SEED}: patience\nsub/moved.txt: long read\n", "")
    status, out, _ = run(capsys, "tags", "import", str(sheet), "--path", str(corpus), "--json")
    assert (json.loads(out)["added"], json.loads(out)["unchanged"], len(json.loads(out)["skipped"])) == (0, 2, 4)


def test_path_tags_rows_split_tags_on_semicolons(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "mine.csv"
    sheet.write_text(f'path,tags\r\n{SEED},"kim; kanye ;;patience"\r\n', encoding="utf-8")
    assert run(capsys, "tags", "import", str(sheet), "--path", str(corpus))[0] == 0
    assert run(capsys, "tag", "list", str(corpus / SEED)) == (0, f"{SEED}: kanye, kim, patience\n", "")


def test_the_header_is_optional_and_the_sample_articles_are_the_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "mine.csv"
    sheet.write_text(f"{SEED},patience;celebrity\n002_cad27db6ce727891.txt,celebrity,tv\n", encoding="utf-8")
    status, out, _ = run(capsys, "tags", "import", str(sheet))
    assert (status, out) == (0, f"imported {sheet}: 4 tags added, 0 already there, 0 rows skipped\n")
    assert run(capsys, "tag", "list") == (0, "     2  celebrity\n     1  patience\n     1  tv\n", "")


def test_a_hand_written_csv_loses_no_formula_looking_tag(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Cells a spreadsheet would run get a leading ' in our exports; a CSV saved from one keeps it."""
    sheet = tmp_path / "mine.csv"
    sheet.write_text(f"path,tag\n{SEED},'=1+1\n{SEED},'tis\n", encoding="utf-8")
    assert run(capsys, "tags", "import", str(sheet), "--path", str(corpus))[0] == 0
    assert run(capsys, "tag", "list", str(corpus / SEED)) == (0, f"{SEED}: 'tis, =1+1\n", "")


def test_an_absolute_path_is_taken_as_it_is(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "mine.csv"
    sheet.write_text(f"path,tag\n{corpus / SEED},patience\n", encoding="utf-8")
    assert run(capsys, "tags", "import", str(sheet), "--path", str(tmp_path))[0] == 0
    assert run(capsys, "tag", "list", str(corpus / SEED)) == (0, f"{SEED}: patience\n", "")
