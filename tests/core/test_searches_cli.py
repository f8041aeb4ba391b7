"""``reader searches`` as a user runs it: output, JSON, exit codes and one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reader.cli import main


@pytest.fixture
def corpus(seeds: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(seeds, tmp_path / "corpus"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_add_list_rename_and_remove(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "searches", "list", "--path", str(corpus)) == (
        0, "", "reader: no saved searches yet; add one with: reader searches add NAME QUERY\n",
    )
    assert run(capsys, "searches", "add", "Kanye", "kanye", "--path", str(corpus)) == (
        0, "saved Kanye: 5 articles now\n", "",
    )
    assert run(capsys, "searches", "add", "never opened", "kim", "--json")[1] == (
        '{"name": "never opened", "query": "kim", "count": 5}\n'
    )
    (corpus / "tour.md").write_text("---\ntitle: Kanye tours\n---\n\nKanye West tours Europe.\n", encoding="utf-8")
    status, out, _ = run(capsys, "searches", "list", "--path", str(corpus))
    assert status == 0
    assert out.splitlines() == [
        "Kanye: 6 articles, 1 new since last opened  (query: kanye)",
        "never opened: 5 articles, never opened in this folder  (query: kim)",
    ]
    status, out, _ = run(capsys, "searches", "list", "--path", str(corpus), "--json")
    listed = json.loads(out)
    assert [(item["name"], item["count"], item["new"], item["error"]) for item in listed] == [
        ("Kanye", 6, 1, None), ("never opened", 5, None, None),
    ]
    assert run(capsys, "searches", "rename", "KANYE", "Kanye West") == (0, "renamed to Kanye West\n", "")
    assert run(capsys, "searches", "remove", "kanye west", "--json") == (
        0, '{"removed": "Kanye West", "query": "kanye"}\n', "",
    )
    assert run(capsys, "searches", "remove", "never opened") == (0, "removed never opened (query: kim)\n", "")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("add", "", "kanye"), "a saved search needs a name"),
        (("add", "x" * 81, "kanye"), "at most 80 characters"),
        (("add", "bad", "title:("), "nothing to search for"),
        (("add", "bad", "foo:bar"), "unknown field foo:"),
        (("add", "bad\x1bname", "kanye"), "cannot hold control characters"),
    ],
)
def test_a_bad_name_or_query_is_a_usage_error(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str) -> None:
    status, out, err = run(capsys, "searches", *argv)
    assert (status, out) == (2, "")
    assert err.startswith("reader: error: ") and message in err and err.count("\n") == 1


def test_a_name_in_use_needs_replace(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "searches", "add", "news", "kanye")[0] == 0
    status, _, err = run(capsys, "searches", "add", "NEWS", "kim")
    assert status == 2 and "already a saved search named news (--replace replaces it)" in err
    assert run(capsys, "searches", "add", "NEWS", "kim", "--replace")[0] == 0
    status, out, _ = run(capsys, "searches", "list", "--json")
    assert [(item["name"], item["query"]) for item in json.loads(out)] == [("NEWS", "kim")]


def test_removing_or_renaming_what_is_not_there_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "searches", "remove", "nothing") == (1, "", "reader: error: no saved search is named nothing\n")
    assert run(capsys, "searches", "rename", "nothing", "x") == (1, "", "reader: error: no saved search is named nothing\n")
    run(capsys, "searches", "add", "a", "kanye")
    run(capsys, "searches", "add", "b", "kim")
    status, _, err = run(capsys, "searches", "rename", "a", "B")
    assert status == 2 and "already a saved search named b" in err


def test_a_saved_query_that_no_longer_runs_is_listed_with_why(capsys: pytest.CaptureFixture[str]) -> None:
    from reader.core.tags import TagStore
    from reader.core.tags.saved_searches import SavedSearches

    with TagStore() as store:
        SavedSearches(store).save("old", "title:(")  # saved by an older version, say
    status, out, _ = run(capsys, "searches", "list")
    assert status == 1 and out.startswith("old: cannot run: nothing to search for")


def test_help_shows_the_actions(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_status:
        main(["searches", "--help"])
    assert exit_status.value.code == 0
    out = capsys.readouterr().out
    for action in ("list", "add", "remove", "rename", "examples:"):
        assert action in out
