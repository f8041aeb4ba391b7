"""``reader clusters`` and ``reader quotes`` tell which copies of a quote changed its words."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from reader.cli import main

REWORDED = Path(__file__).resolve().parents[1] / "fixtures" / "reworded"
PEOPLE_QUOTE = "Kim and Kanye are doing well. Kanye is in a better mental state"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(list(args))
    return status, capsys.readouterr().out


def test_clusters_json_reports_same_shortened_and_not_changed_to_never(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run_cli(capsys, "clusters", "--path", str(REWORDED), "--json")
    assert status == 0
    (cluster,) = [json.loads(line) for line in out.splitlines()]
    assert cluster["first"]["file"] == "01_gazette.md"
    assert (cluster["reworded"], cluster["significant"]) == (1, True)
    assert cluster["text"].startswith("We will not close")  # the outlets' shared wording, not the reworded one
    members = {member["outlet"]: member for member in cluster["members"]}
    assert {outlet: member["wording"] for outlet, member in members.items()} == {
        "Riverton Gazette": "same",
        "Valley Courier": "shortened",
        "Evening Herald": "changed",
    }
    assert "changes" not in members["Riverton Gazette"] and "changes" not in members["Valley Courier"]
    assert not members["Valley Courier"]["significant"]
    herald = members["Evening Herald"]
    assert herald["significant"] is True
    (change,) = herald["changes"]
    assert (change["from"], change["to"], change["significant"], change["reasons"]) == ("not", "never", True, ["negation"])
    assert herald["quote"][change["start"] : change["end"]] == "never"


def test_clusters_text_shows_each_copys_wording(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run_cli(capsys, "clusters", "--path", str(REWORDED))
    assert status == 0
    lines = out.splitlines()
    assert "reworded in 1 ⚠ the meaning may differ" in lines[0]
    assert "      shortened" in lines
    assert "      ⚠ changed: not → never (negation)" in lines
    assert lines[-1] == "1 quote in 2 or more articles"


@pytest.mark.parametrize("flag", ["--changed", "--significant"])
def test_changed_and_significant_keep_only_reworded_clusters(
    flag: str, seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run_cli(capsys, "clusters", "--path", str(REWORDED), flag, "--json")
    assert status == 0 and len(out.splitlines()) == 1
    status, out = run_cli(capsys, "clusters", "--path", str(seeds), flag)
    assert status == 0
    assert out.splitlines() == [f"0 {'significantly ' if flag == '--significant' else ''}reworded quotes in 2 or more articles"]


def test_the_seeds_clusters_stay_and_none_is_reworded(seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run_cli(capsys, "clusters", "--path", str(seeds), "--json")
    assert status == 0
    clusters = [json.loads(line) for line in out.splitlines()]
    (people,) = [c for c in clusters if any(m["quote"].startswith(PEOPLE_QUOTE) for m in c["members"])]
    assert {m["file"][:3] for m in people["members"]} == {"000", "001", "002"}
    assert all(c["reworded"] == 0 and not c["significant"] for c in clusters)
    assert {m["wording"] for c in clusters for m in c["members"]} <= {"same", "shortened", "extended"}


def test_the_quote_sheet_has_a_wording_column_in_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run_cli(capsys, "quotes", "--path", str(REWORDED))
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [(row["outlet"], row["wording"], row["changes"]) for row in rows] == [
        ("Riverton Gazette", "same", ""),
        ("Valley Courier", "shortened", ""),
        ("Evening Herald", "changed", "not → never (negation)"),
    ]
    _, out = run_cli(capsys, "quotes", "--path", str(REWORDED), "--format", "json")
    herald = json.loads(out)[2]
    assert herald["wording"] == "changed"
    assert [(c["from"], c["to"], c["significant"]) for c in herald["changes"]] == [("not", "never", True)]
    _, out = run_cli(capsys, "quotes", "--path", str(REWORDED), "--format", "md")
    header, _, *rows = out.splitlines()
    assert header.endswith("| wording | changes |")
    assert rows[2].endswith("| changed | not → never (negation) |")


def test_a_quote_no_other_article_carries_has_an_empty_wording(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("Title\n\n“We will build a new school on the old market site,” she said.\n")
    status, out = run_cli(capsys, "quotes", "--path", str(tmp_path), "--format", "json")
    assert status == 0
    (row,) = json.loads(out)
    assert (row["wording"], row["changes"]) == (None, None)


def test_changed_does_not_go_with_duplicates(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["clusters", "--path", str(REWORDED), "--duplicates", "--changed"])
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and "--duplicates" in err
