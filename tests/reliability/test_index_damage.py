"""Issue 14, item 2: silent index damage is found, said truthfully, and repaired where it is.

Before, a byte flipped in place in a segment file (``.pst``, ``_stored.col``) or a catalog made
some searches fail with "the search index could not be read …; it is rebuilt at the next sync",
and the next sync said "no changes" and rebuilt nothing. Now every index file has a checksum
written at commit; a sync checks cheaply (size and time, the checksum when they changed), a
failed read checks everything (and ``PRAGMA quick_check`` on the catalogs) and notes what is
damaged, and the next sync rebuilds that: the damaged segment's articles, or the catalog.
Flips keep the file's modification time, as a bad sector would (a write that changes it is
caught by any sync).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability_helpers import assert_terminal_safe, run_reader

from reader.core.library import IndexReadError, Library
from reader.core.paths import HOME_ENV, IndexFolder
from reader.ui.app import ReaderApp
from reader.ui.screenshot_scenes import wait_until_idle

HALF = 30  # articles per sync: two syncs make two segments


def _corpus(folder: Path, seeds: Path, start: int, stop: int) -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.txt"))]
    for number in range(start, stop):
        (folder / f"{number:02d}.txt").write_text(texts[number % len(texts)] + f"\n\nmarker{number:02d}\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, seeds_path: Path) -> Iterator[tuple[Path, Path]]:
    """60 articles indexed in two syncs (two segments): (folder, the state folder)."""
    root = tmp_path_factory.mktemp("damage")
    folder = root / "corpus"
    folder.mkdir()
    home = root / "home"
    previous = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = str(home)
    try:
        for start in (0, HALF):
            _corpus(folder, seeds_path, start, start + HALF)
            with Library(folder) as library:
                library.sync()
    finally:
        if previous is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = previous
    yield folder, home


@pytest.fixture(scope="module")
def seeds_path() -> Path:
    return Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def state(built: tuple[Path, Path], private_home: Path) -> tuple[Path, IndexFolder]:
    """A fresh copy of the built state (times kept) in this test's own state folder."""
    folder, home = built
    shutil.copytree(home, private_home, dirs_exist_ok=True, copy_function=shutil.copy2)
    return folder, IndexFolder.of(folder.resolve())


def _flip(path: Path, position: int) -> None:
    """Change one byte in place, keeping size and modification time."""
    info = path.stat()
    data = bytearray(path.read_bytes())
    data[position] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _segments(index_dir: Path) -> list[str]:
    manifest = json.loads((index_dir / "checksums.json").read_text(encoding="utf-8"))
    return sorted({name.split(".", 1)[0] for name in manifest["files"]})


def _all_found(library: Library) -> bool:
    return all(
        [hit.id for hit in library.search(f"marker{n:02d}").hits] == [f"{n:02d}.txt"] for n in range(2 * HALF)
    )


def test_a_flipped_byte_is_found_by_the_check_and_only_its_segment_is_read_again(state) -> None:  # type: ignore[no-untyped-def]
    folder, where = state
    first, second = _segments(where.index_dir)
    postings = where.index_dir / f"{second}.pst"
    _flip(postings, postings.stat().st_size // 2)
    with Library(folder) as library:
        assert library.sync().messages == ()  # the cheap check: size and time are as recorded
        found = library.verify()  # the full check, as the app runs it in the background
        assert found == f"{second}.pst does not match its checksum"
        assert library.damage_noted()
        report = library.sync()
        assert report.messages == (
            f"the search index was damaged ({second}.pst does not match its checksum); "
            "the articles it held have been read again",
        )
        assert (report.added, report.unchanged) == (HALF, HALF)  # one segment's articles, not all
        assert not library.damage_noted()
        assert _all_found(library)
        assert library.sync().messages == () and library.verify() is None
    assert first in _segments(where.index_dir)  # the sound segment was kept


def test_a_search_that_cannot_read_the_index_says_what_is_damaged_and_the_next_sync_repairs_it(state) -> None:  # type: ignore[no-untyped-def]
    folder, where = state
    _, second = _segments(where.index_dir)
    stored = where.index_dir / f"{second}._stored.col"
    _flip(stored, stored.stat().st_size // 2)
    with Library(folder) as library:
        failures = []
        for number in range(2 * HALF):
            try:
                library.search(f"marker{number:02d}")
            except IndexReadError as error:
                failures.append(str(error))
        assert failures, "the flipped stored fields were never read"
        assert set(failures) == {
            f"the search index could not be read ({second}._stored.col does not match its checksum); "
            "it is repaired at the next sync"
        }
        report = library.sync()
        assert report.messages[0].startswith(f"the search index was damaged ({second}._stored.col")
        assert _all_found(library)


def test_a_byte_changed_by_a_write_is_caught_by_the_next_sync_without_a_failed_read(state) -> None:  # type: ignore[no-untyped-def]
    folder, where = state
    _, second = _segments(where.index_dir)
    terms = where.index_dir / f"{second}.trm"
    data = bytearray(terms.read_bytes())
    data[len(data) // 3] ^= 0x01
    terms.write_bytes(bytes(data))  # a new modification time: the cheap check reads it again
    with Library(folder) as library:
        report = library.sync()
        assert report.messages == (
            f"the search index was damaged ({second}.trm does not match its checksum); "
            "the articles it held have been read again",
        )
        assert report.added == HALF and _all_found(library)


def test_a_damaged_table_of_contents_rebuilds_the_index(state) -> None:  # type: ignore[no-untyped-def]
    folder, where = state
    (toc,) = where.index_dir.glob("_*.toc")
    _flip(toc, toc.stat().st_size - 3)
    with Library(folder) as library:
        found = library.verify()
        assert found is not None and found.startswith(f"{toc.name} ")
        report = library.sync()
        assert report.added == 2 * HALF
        assert report.messages[0].startswith("the search index was damaged (") and "rebuilt" in report.messages[0]
        assert _all_found(library)


@pytest.mark.parametrize("seed", range(12))
def test_any_flipped_byte_of_the_index_is_found_and_repaired(state, seed: int) -> None:  # type: ignore[no-untyped-def]
    """A byte anywhere in any file of the index: searches work or say the index could not be
    read (never another error), the full check names the damage, the next sync repairs it."""
    folder, where = state
    rng = random.Random(seed)
    files = sorted(path for path in where.index_dir.iterdir() if path.name != "checksums.json" and path.stat().st_size)
    target = rng.choice(files)
    _flip(target, rng.randrange(target.stat().st_size))
    with Library(folder) as library:
        for number in range(0, 2 * HALF, 7):
            try:
                library.search(f"marker{number:02d}")
            except IndexReadError as error:
                assert "could not be read" in str(error) and "repaired at the next sync" in str(error)
        found = library.verify()
        assert found is not None and target.name in found, (target.name, found)
        report = library.sync()
        assert any("damaged" in message for message in report.messages)
        assert _all_found(library)
        assert library.verify() is None and library.sync().messages == ()


def _corrupt_page(path: Path, page: int) -> None:
    """Garble the header of one page of an SQLite file (after writing its log back into it)."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    with open(path, "r+b") as handle:
        handle.seek(page * 4096)
        handle.write(b"\x5a\x5a\x5a\x5a")


def test_a_damaged_catalog_is_checked_when_a_read_fails_and_rebuilt_by_the_next_sync(state) -> None:  # type: ignore[no-untyped-def]
    folder, where = state
    _corrupt_page(where.catalog_path, 3)  # the articles table's first page
    with Library(folder) as library:
        assert library.summaries() == []  # no crash: the list is empty until the sync
        with pytest.raises(IndexReadError, match=r"^the article catalog could not be read \(Page 4: "):
            library.search("marker07")
        assert library.damage_noted()
        report = library.sync()
        assert report.messages[0].startswith("the article catalog was damaged (Page 4: ")
        assert report.messages[0].endswith("; it has been rebuilt")
        assert report.added == 2 * HALF
        assert len(library.summaries()) == 2 * HALF and _all_found(library)


def test_a_catalog_that_breaks_under_the_sync_is_checked_and_rebuilt_in_the_same_sync(state) -> None:  # type: ignore[no-untyped-def]
    folder, where = state
    _corrupt_page(where.catalog_path, 2)  # the index of the meta table, read by the sync only
    with Library(folder) as library:
        report = library.sync()
        assert report.messages[0].startswith("the article catalog was damaged (Page 3: ")
        assert report.added == 2 * HALF and _all_found(library)


def test_a_stored_text_that_does_not_decode_is_noted_and_the_catalog_rebuilt(state) -> None:  # type: ignore[no-untyped-def]
    folder, where = state
    db = sqlite3.connect(where.catalog_path)
    db.execute("UPDATE texts SET text = x'789c0badbeef' WHERE id = CAST('07.txt' AS BLOB)")
    db.commit()
    db.close()
    with Library(folder) as library:
        (hit,) = library.search("marker07").hits
        assert hit.snippet == ""  # shown without a snippet, not an error
        assert library.damage_noted()
        report = library.sync()
        assert report.messages[0].startswith("the article catalog was damaged (error: ")
        assert library.search("marker07").hits[0].snippet


def test_a_damaged_analysis_is_made_again(state) -> None:  # type: ignore[no-untyped-def]
    folder, where = state
    _corrupt_page(where.analysis_path, 3)
    with Library(folder) as library:
        report = library.sync()
        assert any(message.startswith("the cross-article analysis was damaged (") for message in report.messages)
        assert library.sync().messages == ()


def _unreadable_marker(folder: Path, private_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """A marker whose search fails on the damaged index, found on a copy of the state."""
    copy = tmp_path / "copy"
    shutil.copytree(private_home, copy, copy_function=shutil.copy2)
    with monkeypatch.context() as patch:
        patch.setenv(HOME_ENV, str(copy))
        with Library(folder) as library:
            for number in range(2 * HALF):
                try:
                    library.search(f"marker{number:02d}")
                except IndexReadError:
                    return number
    raise AssertionError("no search fails on the damaged index")


def test_the_search_command_repairs_a_damaged_index_and_answers(  # type: ignore[no-untyped-def]
    state, private_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, where = state
    _, second = _segments(where.index_dir)
    stored = where.index_dir / f"{second}._stored.col"
    _flip(stored, stored.stat().st_size // 2)
    number = _unreadable_marker(folder, private_home, tmp_path, monkeypatch)
    result = run_reader("search", f"marker{number:02d}", "--path", folder, files=2 * HALF, home=private_home)
    stderr = assert_terminal_safe(result.stderr)
    assert result.returncode == 0, stderr
    assert f"{number:02d}.txt" in assert_terminal_safe(result.stdout)
    assert f"reader: the search index could not be read ({second}._stored.col does not match its checksum)" in stderr
    assert f"reader: the search index was damaged ({second}._stored.col does not match its checksum)" in stderr


async def test_the_app_checks_the_index_in_the_background_and_repairs_it(state) -> None:  # type: ignore[no-untyped-def]
    folder, where = state
    _, second = _segments(where.index_dir)
    postings = where.index_dir / f"{second}.pst"
    _flip(postings, postings.stat().st_size // 2)
    app = ReaderApp(folder, steady=True)
    told: list[str] = []
    app.notify = lambda message, **_: told.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(140, 45)) as pilot:
        for _ in range(50):  # the start-up sync, the check after it, then the repairing sync
            await wait_until_idle(pilot)
            if any("damaged" in text for text in told) and not app.screen_stack[0].sync_running:
                break
        damaged = [text for text in told if "damaged" in text]
        assert damaged == [
            f"the search index was damaged ({second}.pst does not match its checksum); "
            "the articles it held have been read again"
        ]
    with Library(folder) as library:
        assert library.verify() is None and _all_found(library)
