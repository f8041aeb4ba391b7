"""A tag belongs to an article file: identical copies present at once are two articles, while
renames and moves are still followed by content; tag counts and ``tag:`` counts agree."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.library import Library
from reader.core.loader import load_article
from reader.core.models import Article
from reader.core.tags import TagStore, dump_rows, import_text

HARBOUR = "Harbour Wall Holds\n\nThe new harbour wall held through the night, the council said on {day}.\n"
OTHER = "Library Budget Passes\n\nThe council voted to fund a branch library in the old tram depot.\n"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "May Day")


def load(path: Path) -> Article:
    article = load_article(path, path.parent)
    assert isinstance(article, Article)
    return article


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    status = main([str(arg) for arg in args])
    return status, capsys.readouterr().out


def tags_listed(capsys: pytest.CaptureFixture[str], path: Path) -> list[str]:
    status, out = run(capsys, "tag", "list", path, "--json")
    assert status == 0
    return list(json.loads(out)["tags"])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text(HARBOUR.format(day="Monday"), encoding="utf-8")
    (root / "other.txt").write_text(OTHER, encoding="utf-8")
    return root


def test_tagging_a_file_does_not_tag_its_identical_copy(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(folder / "a.txt", folder / "b.txt")  # cp a.txt b.txt
    assert run(capsys, "tag", "add", folder / "a.txt", "onlyA")[0] == 0
    assert tags_listed(capsys, folder / "a.txt") == ["onlyA"]
    assert tags_listed(capsys, folder / "b.txt") == []
    assert run(capsys, "tag", "add", folder / "b.txt", "onlyB")[0] == 0
    assert tags_listed(capsys, folder / "a.txt") == ["onlyA"]
    assert tags_listed(capsys, folder / "b.txt") == ["onlyB"]
    status, out = run(capsys, "tag", "list", "--json")
    assert json.loads(out) == [{"tag": "onlyA", "count": 1}, {"tag": "onlyB", "count": 1}]


def test_a_copy_made_after_tagging_is_untagged_in_search_too(folder: Path) -> None:
    with Library(folder) as library:
        library.sync()
        library.add_tags(["a.txt"], ["harbour"])
        shutil.copy(folder / "a.txt", folder / "copy.txt")
        library.sync()
        assert [hit.id for hit in library.search("tag:harbour").hits] == ["a.txt"]
        assert library.tags_of("copy.txt") == ()


def test_a_rename_and_a_move_still_carry_the_tags_and_leave_the_copy_alone(folder: Path) -> None:
    shutil.copy(folder / "a.txt", folder / "b.txt")
    with Library(folder) as library:
        library.sync()
        library.add_tags(["a.txt"], ["onlyA"])
        (folder / "2024").mkdir()
        os.rename(folder / "a.txt", folder / "2024" / "renamed.txt")
        report = library.sync()
        assert report.renamed == 1
        assert [hit.id for hit in library.search("tag:onlyA").hits] == ["2024/renamed.txt"]
        assert library.tags_of("2024/renamed.txt") == ("onlyA",)
        assert library.tags_of("b.txt") == ()
        os.rename(folder / "2024" / "renamed.txt", folder / "moved-again.txt")
        library.sync()
        assert [hit.id for hit in library.search("tag:onlyA").hits] == ["moved-again.txt"]
        assert library.tags_of("b.txt") == ()


def test_a_whole_folder_moved_keeps_each_copy_with_its_own_tags(tmp_path: Path, folder: Path) -> None:
    shutil.copy(folder / "a.txt", folder / "b.txt")
    with TagStore() as store:
        store.add([load(folder / "a.txt")], ["first"])
        store.add([load(folder / "b.txt")], ["second"])
        moved = tmp_path / "archive"
        os.rename(folder, moved)
        found = store.tags_for_many([load(moved / "b.txt"), load(moved / "a.txt")])
        assert found == {moved / "b.txt": ("second",), moved / "a.txt": ("first",)}
        # One at a time, in either order, as index workers ask: the same answer.
        assert store.tags_for(load(moved / "a.txt")) == ("first",)
        assert store.tags_for(load(moved / "b.txt")) == ("second",)


def test_bulk_tagged_copies_count_the_same_in_tag_list_and_in_tag_search(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "news"
    root.mkdir()
    for number, day in enumerate(DAYS):
        (root / f"wall-{number}.txt").write_text(HARBOUR.format(day=day), encoding="utf-8")
    for number in range(3):  # the same story saved again under other names, as scrapers do
        shutil.copy(root / f"wall-{number}.txt", root / f"wall-{number}-copy.txt")
    (root / "budget.txt").write_text(OTHER, encoding="utf-8")
    with Library(root) as library:
        library.sync()
        result = library.search("harbour", limit=None)
        assert result.total == len(DAYS) + 3
        library.add_tags([hit.id for hit in result.hits], ["bulk"])
        assert library.all_tags() == [("bulk", result.total)]
        assert library.search("tag:bulk", limit=None).total == result.total
    status, out = run(capsys, "tag", "list")
    assert status == 0 and out.split() == [str(result.total), "bulk"]


def test_export_and_import_elsewhere_keep_copies_apart(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(folder / "a.txt", folder / "b.txt")
    with TagStore() as store:
        store.add([load(folder / "a.txt")], ["first"])
        store.add([load(folder / "b.txt")], ["second"])
        exported = store.export_rows()
    for export_format in ("json", "csv"):
        monkeypatch.setenv("READER_HOME", str(tmp_path / f"machine-{export_format}"))
        with TagStore() as other:
            report = import_text(other, dump_rows(exported, export_format))
            assert (report.added, report.unchanged, report.skipped) == (2, 0, ())
            assert other.export_rows() == exported
            assert other.tags_for(load(folder / "a.txt")) == ("first",)
            assert other.tags_for(load(folder / "b.txt")) == ("second",)
