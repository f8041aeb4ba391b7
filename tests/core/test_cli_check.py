"""``reader check``: what it prints for the seeds and for bad files, and its exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def reader(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_check_seeds_lists_all_five_with_titles_and_the_002_date(seeds: Path) -> None:
    result = reader("check", seeds)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if not line.startswith(" ")] == [
        *(path.name for path in sorted(seeds.glob("*.txt"))),
        "5 loaded, 0 skipped, 0 warnings",
    ]
    assert "  title:  Kim Kardashian remaining incredibly patient over husband Kanye Wests unlikely bid for presidency" in lines
    assert "  title:  If one thinks Kim Kardashian has had it with Kanye West and his weird behavior… (derived)" in lines
    date_of_002 = lines[lines.index("002_cad27db6ce727891.txt") + 2]
    assert date_of_002 == "  date:   2020-09-07"


def test_check_without_a_path_uses_the_bundled_seeds(tmp_path: Path) -> None:
    result = reader("check", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"][:3] for row in rows] == ["000", "001", "002", "003", "004"]


def test_check_json_gives_one_row_per_file(seeds: Path) -> None:
    rows = [json.loads(line) for line in reader("check", seeds, "--json").stdout.splitlines()]
    row = rows[2]
    assert (row["status"], row["title_derived"], row["date"], row["tags"]) == (
        "loaded", False, "2020-09-07T20:19:33", ["latest", "tv"],
    )
    assert rows[3]["title_derived"] is True


def test_some_files_skipped_exits_1_and_names_each_once(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Good\n\nBody.\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    os.mkfifo(tmp_path / "pipe.md")
    result = reader("check", tmp_path)
    assert result.returncode == 1
    assert result.stdout.count("empty.txt") == 1
    assert result.stdout.count("pipe.md") == 1
    assert "  skipped: empty file" in result.stdout
    assert "  skipped: a named pipe, not an article file" in result.stdout
    assert result.stdout.splitlines()[-1] == "1 loaded, 2 skipped, 0 warnings"


def test_json_output_keeps_controls_and_bidi_out_of_the_terminal(tmp_path: Path) -> None:
    (tmp_path / "e\x1b]0;x\x07\u202e.txt").write_text("Title\n\nBody.\n")
    (tmp_path / os.fsdecode(b"bad\xff.txt")).write_text("Title\n\nBody.\n")
    result = subprocess.run(
        [sys.executable, "-m", "reader", "check", str(tmp_path), "--json"], capture_output=True, timeout=60
    )
    assert result.returncode == 0
    for byte in (b"\x1b", b"\x07", b"\xe2\x80\xae", b"\xff"):
        assert byte not in result.stdout
    paths = sorted(json.loads(line)["path"] for line in result.stdout.decode().splitlines())
    assert [os.fsencode(path) for path in paths] == sorted(os.fsencode(p) for p in tmp_path.iterdir())


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = reader("check", tmp_path / "missing")
    assert missing.returncode == 2
    assert "no such file or folder" in missing.stderr
    assert reader("check", "--bogus").returncode == 2


def test_a_single_file_with_a_leading_dash_can_be_checked(tmp_path: Path) -> None:
    (tmp_path / "-rf.txt").write_text("Dash\n\nBody.\n")
    result = reader("check", "./-rf.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "  title:  Dash" in result.stdout


def test_check_says_where_a_date_was_found(tmp_path: Path) -> None:
    (tmp_path / "2020-09-07-wire.txt").write_text("Wire story\n\nNothing in the text dates it.\n")
    (tmp_path / "posted.txt").write_text("A post\n\nPosted on September 8, 2020 by admin\n\nText.\n")
    (tmp_path / "fm.md").write_text("---\ntitle: T\ndate: 2020-09-09\n---\nBody.\n")
    result = reader("check", tmp_path)
    dates = [line for line in result.stdout.splitlines() if line.startswith("  date:")]
    assert dates == [
        "  date:   2020-09-07 (from the file path)",
        "  date:   2020-09-09",
        "  date:   2020-09-08 (from a 'Published' line)",
    ]
    rows = [json.loads(line) for line in reader("check", tmp_path, "--json").stdout.splitlines()]
    assert [row["date_source"] for row in rows] == ["path", "front-matter", "published"]
