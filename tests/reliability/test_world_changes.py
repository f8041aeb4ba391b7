"""Issue 14, item 7: the world changes underneath a running app.

A folder deleted (or its disk unmounted) while the app runs: searches stopped listing what is
gone only at the next sync, which nothing started. Now a search leaves out hits whose files
are gone and says so once; the app looks every few seconds whether its folder is still there,
hides its articles while it is not, and says so once; the next sync drops what is gone.

A full disk while indexing or tagging ended in "internal error: OperationalError: database or
disk is full" or "error: No space left on device (…/MAIN_x.pst)". Now it is one line naming
the folder that is full and what was not saved, and nothing saved before is lost. The disk is
made full by raising ENOSPC (or SQLite's "database or disk is full") at the write seams: the
segment writer, the list of checksums, the catalog, the tag store.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import reader.core.index.checksums as checksums
import reader.core.tags.store as tag_store
import reader.ui.listing.list_controller as list_controller
from reader.cli import main
from reader.core.files import DiskFull
from reader.core.index.catalog import Catalog
from reader.core.index.index_files import indexed_ids, open_index
from reader.core.index.segment_writer import SegmentBuilder
from reader.core.library import Library
from reader.core.paths import IndexFolder
from reader.ui.app import ReaderApp
from reader.ui.screenshot_scenes import wait_until_idle


def _write(folder: Path, name: str, marker: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Article {marker}\n\nThe council met about {marker} on Monday.\n", encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    for number in range(4):
        _write(folder, f"top{number}.txt", f"top{number}")
        _write(folder, f"sub/inner{number}.txt", f"inner{number}")
    return folder


def _ids(library: Library, query: str = "council") -> list[str]:
    return sorted(hit.id for hit in library.search(query).hits)


# -- a folder deleted or unmounted -------------------------------------------------------------


def test_a_deleted_subfolder_is_left_out_of_searches_and_dropped_at_the_next_sync(corpus: Path) -> None:
    with Library(corpus) as library:
        library.sync()
        shutil.rmtree(corpus / "sub")
        result = library.search("council")
        assert sorted(hit.id for hit in result.hits) == [f"top{n}.txt" for n in range(4)]
        assert (result.missing, result.total) == (4, 4)
        assert library.missing_ids() == {f"sub/inner{n}.txt" for n in range(4)}
        report = library.sync()
        assert report.removed == 4 and library.missing_ids() == frozenset()
        assert library.search("council").missing == 0


def test_an_unmounted_folder_lists_nothing_and_the_next_sync_drops_it(corpus: Path, tmp_path: Path) -> None:
    with Library(corpus) as library:
        library.sync()
        away = tmp_path / "away"
        away.mkdir()
        for child in list(corpus.iterdir()):  # an unmounted disk leaves its mount point empty
            shutil.move(str(child), away / child.name)
        assert not library.folder_present()
        result = library.search("council")
        assert (result.hits, result.missing, result.total) == ((), 8, 0)
        assert library.sync().removed == 8
        for child in list(away.iterdir()):  # mounted again
            shutil.move(str(child), corpus / child.name)
        assert library.folder_present() and library.sync().added == 8
        assert len(_ids(library)) == 8


async def test_the_app_hides_what_vanished_and_says_so_once(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(list_controller, "FOLDER_CHECK_SECONDS", 0.05)
    app = ReaderApp(corpus, steady=True)
    told: list[str] = []
    app.notify = lambda message, **_: told.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_until_idle(pilot)
        screen = app.screen_stack[0]

        async def until(condition: Callable[[], bool]) -> None:
            for _ in range(500):
                if condition():
                    return
                await pilot.pause()
            raise AssertionError("the app never reached the expected state")

        shutil.rmtree(corpus / "sub")
        for _ in range(2):  # the same search twice: told once
            screen.search_bar.set_query("")
            screen.search_bar.set_query("council")
            await until(lambda: screen.result is not None and screen.result.query == "council")
            await wait_until_idle(pilot)
            assert sorted(screen.article_list.article_ids) == [f"top{n}.txt" for n in range(4)]
        vanished = [text for text in told if "no longer in the folder" in text]
        assert vanished == [
            "4 articles are no longer in the folder (deleted or moved away); left out of the results,"
            " and dropped from the index at the next sync."
        ]

        away = tmp_path / "away"
        shutil.move(str(corpus), away)  # the whole folder goes
        await until(lambda: not screen.listing.folder_present)
        await wait_until_idle(pilot)
        assert screen.article_list.article_ids == []
        gone = [text for text in told if "is not there any more" in text]
        assert len(gone) == 1 and str(corpus) in gone[0]
        screen.search_bar.set_query("")
        await until(lambda: "is not there" in screen.article_list.empty_message)

        shutil.move(str(away), corpus)  # and comes back
        await until(lambda: screen.listing.folder_present)
        await until(lambda: len(screen.article_list.article_ids) == 4)  # the sync has not run yet
        assert [text for text in told if "is back" in text] == [f"The folder {corpus} is back."]
        assert len([text for text in told if "is not there any more" in text]) == 1


# -- a full disk --------------------------------------------------------------------------------


def _no_space(path: object = None) -> OSError:
    return OSError(errno.ENOSPC, "No space left on device", str(path) if path is not None else None)


def _add_more(corpus: Path) -> None:
    for number in range(3):
        _write(corpus, f"new{number}.txt", f"new{number}")


def _assert_nothing_lost(corpus: Path, library: Library) -> None:
    """What was indexed before is all there, once; the next sync (with space) adds the rest."""
    assert _ids(library) == sorted([f"top{n}.txt" for n in range(4)] + [f"sub/inner{n}.txt" for n in range(4)])
    report = library.sync()
    assert report.added == 3
    assert len(_ids(library)) == 11
    index = open_index(IndexFolder.of(corpus.resolve()).index_dir)
    assert set(indexed_ids(index).values()) == {1}


@pytest.mark.parametrize("seam", ["segment", "checksums", "catalog"])
def test_a_full_disk_while_indexing_names_the_folder_and_loses_nothing(
    corpus: Path, private_home: Path, monkeypatch: pytest.MonkeyPatch, seam: str
) -> None:
    with Library(corpus) as library:
        library.sync()
        _add_more(corpus)
        with monkeypatch.context() as patch:
            if seam == "segment":  # a worker writing the new segment's postings
                def full_segment(self: SegmentBuilder, document: object) -> None:
                    raise _no_space(self.staging / "MAIN_x.pst")

                patch.setattr(SegmentBuilder, "add", full_segment)
            elif seam == "checksums":  # the list of checksums, written at commit
                def full_write(path: Path, text: str) -> None:
                    raise _no_space(path)

                patch.setattr(checksums, "write_atomically", full_write)
            else:  # SQLite writing the catalog rows
                def full_catalog(db: sqlite3.Connection, entries: object) -> None:
                    raise sqlite3.OperationalError("database or disk is full")

                patch.setattr(Catalog, "put", staticmethod(full_catalog))
            with pytest.raises(DiskFull) as raised:
                library.sync()
        message = str(raised.value)
        assert "\n" not in message and message.startswith("no space left on the disk of ")
        assert str(private_home) in message  # the folder that is full: the index's, in the cache
        assert message.endswith("the index was not brought up to date; nothing indexed before is lost")
        _assert_nothing_lost(corpus, library)


def _full_tag_store(monkeypatch: pytest.MonkeyPatch) -> None:
    original = tag_store._bump_generation

    def full(connection: sqlite3.Connection) -> None:
        original(connection)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(tag_store, "_bump_generation", full)


def test_a_full_disk_while_tagging_names_the_folder_and_keeps_the_saved_tags(
    corpus: Path, private_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(corpus) as library:
        library.sync()
        library.add_tags(["top0.txt"], ["kept"])
        with monkeypatch.context() as patch:
            _full_tag_store(patch)
            with pytest.raises(DiskFull) as raised:
                library.add_tags(["top0.txt", "top1.txt"], ["lost"])
        assert str(raised.value) == (
            f"no space left on the disk of {private_home / 'data'}: the tags were not saved;"
            " the tags saved before are kept"
        )
        assert library.tags_of("top0.txt") == ("kept",) and library.tags_of("top1.txt") == ()
        assert _ids(library, "tag:kept") == ["top0.txt"] and _ids(library, "tag:lost") == []


def test_the_index_command_on_a_full_disk_prints_one_line_and_exits_1(
    corpus: Path, private_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["index", str(corpus), "--json"]) == 0
    _add_more(corpus)
    capsys.readouterr()

    def full_write(path: Path, text: str) -> None:
        raise _no_space(path)

    monkeypatch.setattr(checksums, "write_atomically", full_write)
    assert main(["index", str(corpus), "--json"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("reader: error: no space left on the disk of ")
    assert str(private_home) in err and "Traceback" not in err


async def test_the_app_says_which_folder_is_full_when_tags_cannot_be_saved(
    corpus: Path, private_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ReaderApp(corpus, steady=True)
    told: list[str] = []
    app.notify = lambda message, **_: told.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_until_idle(pilot)
        _full_tag_store(monkeypatch)
        await pilot.press("enter", "t")  # open the first article, edit its tags
        await wait_until_idle(pilot)
        await pilot.press(*"urgent", "enter", "escape")
        await wait_until_idle(pilot)
        (failure,) = [text for text in told if "space" in text]
        assert failure == (
            f"No space left on the disk of {private_home / 'data'}: the tags were not saved;"
            " the tags saved before are kept"
        )
        assert pilot.app.is_running
