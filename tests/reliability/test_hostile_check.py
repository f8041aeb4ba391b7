"""``reader check`` over the hostile folder: no crash, no hang, every skip named once, nothing unsafe."""

from __future__ import annotations

import json
import os
from pathlib import Path

from reliability_helpers import assert_terminal_safe, run_reader
from hostile_cases import CASES, Case, Expect

from reader.core.text import visible_name


def test_the_folder_has_at_least_thirty_distinct_cases() -> None:
    assert len({case.name for case in CASES}) == len(CASES) >= 30


def test_cases_md_lists_every_case() -> None:
    listed = (Path(__file__).parent / "CASES.md").read_text(encoding="utf-8")
    missing = [case.name for case in CASES if f"`{case.name}`" not in listed]
    assert missing == []


def _rows(stdout: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines()]


def test_check_json_gives_each_case_its_outcome(hostile: tuple[Path, tuple[Case, ...]], private_home: Path) -> None:
    root, cases = hostile
    result = run_reader("check", root, "--json", files=len(cases) + 5, home=private_home)
    assert result.returncode == 1  # some files were skipped
    assert_terminal_safe(result.stdout)
    assert_terminal_safe(result.stderr)
    rows = _rows(result.stdout)
    by_path = {os.fsencode(str(row["path"])): row for row in rows}
    assert len(by_path) == len(rows)  # every file reported once
    for case in cases:
        for relative in case.paths:
            row = by_path.get(os.fsencode(str(root / relative)))
            if case.expect is Expect.HIDDEN:
                assert row is not None and row["status"] == "hidden", case.name
                continue
            assert row is not None, case.name
            if case.expect is Expect.SKIPPED:
                assert row["status"] == "skipped" and row["reason"], case.name
            else:
                assert row["status"] == "loaded", case.name
                assert bool(row["warnings"]) is (case.expect is Expect.WARNED), (case.name, row["warnings"])


def test_check_text_names_each_skipped_file_once_with_its_reason(
    hostile: tuple[Path, tuple[Case, ...]], private_home: Path
) -> None:
    root, cases = hostile
    result = run_reader("check", root, files=len(cases) + 5, home=private_home)
    assert result.returncode == 1
    text = assert_terminal_safe(result.stdout)
    assert_terminal_safe(result.stderr)
    lines = text.splitlines()
    skipped_cases = [case for case in cases if case.expect is Expect.SKIPPED]
    for case in skipped_cases:
        for relative in case.paths:
            shown = visible_name(root / relative, limit=300)
            assert lines.count(shown) == 1, case.name
            assert lines[lines.index(shown) + 1].startswith("  skipped: "), case.name
    total_skipped = sum(len(case.paths) for case in skipped_cases)
    assert lines[-1].split(", ")[1] == f"{total_skipped} skipped"


def test_no_markup_or_escape_payload_is_altered_or_live(
    hostile: tuple[Path, tuple[Case, ...]], private_home: Path
) -> None:
    root, cases = hostile
    rows = {row.get("id"): row for row in _rows(run_reader("check", root, "--json", files=len(cases) + 5, home=private_home).stdout)}
    assert rows["markup_title.md"]["title"] == "[/] [@click=app.quit]quit[/] [link=file:///etc/passwd]x[/link] [bold]bold"
    assert rows["escape_title.md"]["title"] == "Title \u241b]0;PWNED-TITLE\u2407 \u241b[2J"
    assert rows["markup_in_tags.md"]["tags"] == ["[/]", "[@click=app.quit]x"]
    assert rows["link_schemes.md"]["url"] is None
    assert rows["python_tag.md"]["title"] == "python_tag"  # the tagged title refused: from the name
    assert "!!python/object/apply:os.system" in rows["python_tag.md"]["warnings"][0]
    assert not (root / "PWNED").exists() and not Path("PWNED").exists()
