"""Sync: only what changed is read; renames, deletions, damage and killed runs are handled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import reader.core.pipeline.build as build
import reader.core.pipeline.stages as stages
from reader.core.index.catalog import Catalog
from reader.core.index.locking import CorpusLock, LockTimeout
from reader.core.paths import IndexFolder
from reader.core.library import Library
from reader.core.paths import corpus_cache_dir
from tests.conftest import FORCED_WORKERS, printed_by


def write(folder: Path, name: str, title: str, body: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write(folder, "a.txt", "Apples in autumn", "The orchard harvest of apples was early this year.")
    write(folder, "b.txt", "Bridges of Paris", "A walk along the river under old stone bridges.")
    write(folder, "sub/c.md", "Comets tonight", "Astronomers say a bright comet will be visible.")
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the build reads (in this process: small syncs never start workers)."""
    seen: list[Path] = []
    original = stages.load_article

    def counting(path: Path, root: Path):  # type: ignore[no-untyped-def]
        seen.append(path)
        return original(path, root)

    monkeypatch.setattr(stages, "load_article", counting)
    return seen


def ids(library: Library, query: str) -> list[str]:
    return [hit.id for hit in library.search(query).hits]


def test_first_sync_indexes_every_file(corpus: Path) -> None:
    with Library(corpus) as library:
        report = library.sync()
        assert (report.added, report.updated, report.removed, report.unchanged) == (3, 0, 0, 0)
        assert [s.id for s in library.summaries()] == ["a.txt", "b.txt", "sub/c.md"]
        assert library.summaries()[1].title == "Bridges of Paris"
        assert ids(library, "comet") == ["sub/c.md"]


def test_unchanged_folder_reads_no_file(corpus: Path, reads: list[Path]) -> None:
    Library(corpus).sync()
    reads.clear()
    report = Library(corpus).sync()
    assert reads == []
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 3)


def test_changed_file_is_reindexed_alone(corpus: Path, reads: list[Path]) -> None:
    library = Library(corpus)
    library.sync()
    reads.clear()
    write(corpus, "b.txt", "Bridges of Prague", "Charles bridge at dawn, crowded by noon.")
    report = library.sync()
    assert reads == [corpus.resolve() / "b.txt"]
    assert (report.updated, report.unchanged) == (1, 2)
    assert ids(library, "prague") == ["b.txt"]
    assert ids(library, "paris") == []
    assert library.search("bridges").total == 1  # no stale duplicate of the old version


def test_touched_file_with_same_text_is_not_reindexed(corpus: Path) -> None:
    library = Library(corpus)
    library.sync()
    path = corpus / "a.txt"
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    report = library.sync()
    assert (report.updated, report.unchanged) == (0, 3)
    again = library.sync()
    assert again.unchanged == 3  # the new mtime was recorded: nothing is read the third time


def test_added_and_deleted_files(corpus: Path) -> None:
    library = Library(corpus)
    library.sync()
    write(corpus, "d.txt", "Dunes", "Wind shapes the desert dunes.")
    (corpus / "a.txt").unlink()
    report = library.sync()
    assert (report.added, report.removed, report.unchanged) == (1, 1, 2)
    assert ids(library, "dunes") == ["d.txt"]
    assert ids(library, "orchard") == []
    assert [s.id for s in library.summaries()] == ["b.txt", "d.txt", "sub/c.md"]


def test_renamed_file_is_reported_as_a_rename(corpus: Path) -> None:
    library = Library(corpus)
    library.sync()
    (corpus / "a.txt").rename(corpus / "apples.txt")
    report = library.sync()
    assert (report.renamed, report.added, report.removed) == (1, 0, 0)
    assert ids(library, "orchard") == ["apples.txt"]


def test_skipped_file_is_remembered_without_reading_it_again(corpus: Path, reads: list[Path]) -> None:
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    library = Library(corpus)
    first = library.sync()
    assert [issue.reason for issue in first.issues if issue.skipped] == ["empty file"]
    reads.clear()
    second = library.sync()
    assert reads == []
    assert [issue.reason for issue in second.issues if issue.skipped] == ["empty file"]
    write(corpus, "empty.txt", "Now full", "It has words now.")
    third = library.sync()
    assert third.added == 1 and not [issue for issue in third.issues if issue.skipped]


def test_file_that_becomes_unreadable_leaves_the_index(corpus: Path) -> None:
    library = Library(corpus)
    library.sync()
    (corpus / "b.txt").write_bytes(b"\x00\x01\x02" * 400)
    report = library.sync()
    assert report.removed == 1
    assert ids(library, "bridges") == []
    assert [issue.reason for issue in report.issues if issue.skipped] == ["binary file, not text"]


def test_index_lives_in_the_private_cache_not_the_corpus(corpus: Path, private_home: Path) -> None:
    Library(corpus).sync()
    before = sorted(p.relative_to(corpus) for p in corpus.rglob("*"))
    assert all(not name.name.startswith((".", "_")) for name in before)
    folder = IndexFolder.of(corpus.resolve())
    assert private_home in folder.index_dir.parents
    assert folder.index_dir.stat().st_mode & 0o077 == 0
    assert corpus_cache_dir(corpus).stat().st_mode & 0o777 == 0o700


def test_rebuild_starts_from_scratch(corpus: Path) -> None:
    library = Library(corpus)
    library.sync()
    report = library.sync(rebuild=True)
    assert (report.added, report.unchanged, report.messages) == (3, 0, ())
    assert library.search("apples").total == 1


def test_format_change_rebuilds_and_says_why(corpus: Path) -> None:
    Library(corpus).sync()
    catalog = Catalog(IndexFolder.of(corpus.resolve()).catalog_path)
    catalog.set_meta("format", "0/whoosh-0")
    catalog.close()
    report = Library(corpus).sync()
    assert report.added == 3
    assert report.messages == ("the index was made by another version of reader; it has been rebuilt",)


@pytest.mark.parametrize("damage", ["garbage_toc", "truncated_segment", "missing_segment", "wrong_owner_mode"])
def test_damaged_index_is_rebuilt_and_the_user_told(corpus: Path, damage: str) -> None:
    Library(corpus).sync()
    index_dir = IndexFolder.of(corpus.resolve()).index_dir
    toc = next(index_dir.glob("_*.toc"))
    segment = next(index_dir.glob("*.pst"))  # a segment's postings
    if damage == "garbage_toc":
        toc.write_bytes(b"not a table of contents" * 10)
    elif damage == "truncated_segment":
        segment.write_bytes(segment.read_bytes()[:100])
    elif damage == "missing_segment":
        segment.unlink()
    else:
        index_dir.chmod(0o777)
    library = Library(corpus)
    report = library.sync()
    assert report.added == 3
    assert len(report.messages) == 1 and report.messages[0].startswith("the search index was damaged (")
    assert ids(library, "comet") == ["sub/c.md"]


def test_damaged_catalog_is_rebuilt(corpus: Path) -> None:
    with Library(corpus) as library:
        library.sync()
    IndexFolder.of(corpus.resolve()).catalog_path.write_bytes(b"garbage" * 1000)
    library = Library(corpus)
    report = library.sync()
    assert report.added == 3
    assert any(message.startswith("the article catalog was damaged") for message in report.messages)


def test_run_killed_between_index_and_catalog_resumes_without_duplicates(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library(corpus)
    library.sync()
    write(corpus, "a.txt", "Apples in winter", "Stored apples keep until spring.")
    write(corpus, "e.txt", "Eclipses", "The moon hides the sun.")

    def killed(db, entries):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt  # as if the process died after the index commit

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(Catalog, "put", staticmethod(killed))
        library.sync()
    resumed = Library(corpus)
    report = resumed.sync()
    assert "the last indexing run was interrupted; it has been resumed" in report.messages
    assert resumed.search("apples").total == 1
    assert ids(resumed, "winter") == ["a.txt"]
    assert ids(resumed, "eclipses") == ["e.txt"]
    assert len(resumed.summaries()) == 4
    assert resumed.search("NOT zzz").total == 4  # every document exactly once


def test_lock_of_a_killed_process_is_recovered(corpus: Path, private_home: Path) -> None:
    lock_path = IndexFolder.of(corpus.resolve()).lock_path
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path\n"
            "from reader.core.index.locking import CorpusLock\n"
            "CorpusLock(Path(sys.argv[1])).acquire(); print('held', flush=True); time.sleep(60)",
            str(lock_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "READER_HOME": str(private_home)},
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(LockTimeout):
        CorpusLock(lock_path).acquire(timeout=0.2)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    holder.stdout.close()
    assert lock_path.exists()  # the file stays behind, but no lock does
    report = Library(corpus).sync()
    assert report.added == 3 and report.messages == ()


def test_second_writer_waits_for_the_first_and_finds_nothing_to_do(corpus: Path) -> None:
    Library(corpus).sync()
    write(corpus, "d.txt", "Dunes", "Wind shapes the desert dunes.")
    lock = CorpusLock(IndexFolder.of(corpus.resolve()).lock_path)
    lock.acquire()
    waits: list[str] = []
    reports = []
    other = Library(corpus)
    worker = threading.Thread(target=lambda: reports.append(other.sync(on_wait=waits.append)))
    worker.start()
    deadline = time.monotonic() + 10
    while not waits and time.monotonic() < deadline:
        time.sleep(0.01)
    assert waits and waits[0].startswith(f"waiting for process {os.getpid()}")
    assert other.search("apples").total == 1  # reading goes on while the writer waits
    lock.release()
    worker.join(10)
    assert reports and reports[0].added == 1


def test_tags_added_through_the_library_are_searchable_at_once(corpus: Path) -> None:
    library = Library(corpus)
    library.sync()
    library.add_tags(["a.txt", "b.txt"], ["Long read"])
    assert ids(library, 'tag:"long read"') == ["a.txt", "b.txt"] or sorted(ids(library, 'tag:"long read"')) == ["a.txt", "b.txt"]
    assert library.tags_of("a.txt") == ("Long read",)
    assert library.summaries()[0].tags == ("Long read",)
    assert library.all_tags() == [("Long read", 2)]
    library.remove_tags(["a.txt"], ["long read"])
    assert ids(library, 'tag:"long read"') == ["b.txt"]
    with pytest.raises(KeyError):
        library.add_tags(["nope.txt"], ["x"])


def test_tags_changed_by_another_process_are_picked_up_by_sync(corpus: Path) -> None:
    from reader.core.loader import load_article
    from reader.core.tags import TagStore

    library = Library(corpus)
    library.sync()
    article = load_article(corpus.resolve() / "sub" / "c.md", corpus.resolve())
    with TagStore() as store:
        store.add([article], ["space"])
    report = library.sync()
    assert report.retagged == 1
    assert ids(library, "tag:space") == ["sub/c.md"]
    assert library.sync().retagged == 0


def test_tags_follow_a_renamed_file(corpus: Path) -> None:
    library = Library(corpus)
    library.sync()
    library.add_tags(["a.txt"], ["fruit"])
    (corpus / "a.txt").rename(corpus / "fruit.txt")
    library.sync()
    assert ids(library, "tag:fruit") == ["fruit.txt"]


def test_parallel_build_in_worker_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "many"
    for number in range(60):
        write(folder, f"{number:03}.txt", f"Story {number}", f"word{number} shared text number {number}")
    monkeypatch.setattr(build, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(build, "FIRST_CHUNK", 10)
    monkeypatch.setattr(build, "worker_count", lambda: 2)
    progress: list[tuple[int, int]] = []
    library = Library(folder)
    report = library.sync(lambda done, total: progress.append((done, total)))
    assert report.added == 60
    assert progress[-1] == (60, 60)
    assert library.search("shared").total == 60
    assert [hit.id for hit in library.search("word42").hits] == ["042.txt"]
    assert len(build.chunked(list(range(60)), 2)) > 2  # one segment per chunk: 10, 10, then the rest evenly
    assert len(list(IndexFolder.of(folder.resolve()).index_dir.glob("*.pst"))) == 1  # small ones merged at the end


def test_sync_of_given_paths_looks_at_nothing_else(corpus: Path, reads: list[Path]) -> None:
    library = Library(corpus)
    library.sync()
    reads.clear()
    write(corpus, "b.txt", "Bridges of Rome", "Tiber bridges at night.")
    write(corpus, "a.txt", "Apples again", "A second harvest of apples.")  # changed, but not named
    (corpus / "sub" / "c.md").unlink()
    report = library.sync(paths=[corpus / "b.txt", corpus / "sub" / "c.md", corpus / "../outside.txt"])
    assert reads == [corpus.resolve() / "b.txt"]
    assert (report.updated, report.removed) == (1, 1)
    assert ids(library, "tiber") == ["b.txt"]
    assert ids(library, "orchard") == ["a.txt"]  # a.txt waits for a full sync
    assert library.sync().updated == 1


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc; none elsewhere, which skips that check)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_indexer_killed_mid_build_resumes_without_duplicates(tmp_path: Path, private_home: Path) -> None:
    folder = tmp_path / "big"
    for number in range(600):
        write(folder, f"{number:03}.txt", f"Report {number}", f"common words and unique{number} here")
    env = {**os.environ, "READER_HOME": str(private_home)}
    program = (  # small chunks, so commits are spread out and a kill lands between two of them
        "import sys\nimport reader.core.pipeline.build as build\n"
        "build.FIRST_CHUNK, build.MAX_CHUNK = 10, 50\n"
        "from reader.cli import main\nsys.exit(main(['index', sys.argv[1], '--json']))\n"
    )
    indexer = subprocess.Popen(
        [sys.executable, "-c", program, str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    catalog_path = IndexFolder.of(folder.resolve()).catalog_path
    deadline = time.monotonic() + 120
    committed = 0
    while time.monotonic() < deadline and indexer.poll() is None and not committed:
        if catalog_path.exists():
            catalog = Catalog(catalog_path)
            committed = catalog.counts()[1]  # indexed (rows listed ahead of the build do not count)
            catalog.close()
        time.sleep(0.02)  # polling for the first commit, not waiting for one
    workers = _children(indexer.pid)
    indexer.send_signal(signal.SIGKILL)
    indexer.wait()
    assert 0 < committed < 600, "the kill should land between the first and the last commit"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)  # polling for the orphaned workers to notice and leave
    assert not [pid for pid in workers if _alive(pid)], "worker processes outlived the killed indexer"
    library = Library(folder)
    report = library.sync()
    assert report.added + report.unchanged == 600
    assert library.search("common").total == 600  # every article once
    assert [hit.id for hit in library.search("unique599").hits] == ["599.txt"]


def test_a_file_name_that_is_not_utf8_is_indexed_and_found(corpus: Path) -> None:
    odd = os.fsdecode(b"caf\xe9-latin1.txt")  # a name from an old Windows or Latin-1 system
    write(corpus, odd, "Odd name", "Zebras graze near the river.")
    library = Library(corpus)
    assert library.sync().added == 4
    assert ids(library, "zebras") == ["caf\\xe9-latin1.txt"]  # the id spells the odd byte out
    assert library.sync().unchanged == 4  # and the scan finds it under the same id
    assert library.article("caf\\xe9-latin1.txt").path.name == odd  # type: ignore[union-attr]
    (corpus / odd).unlink()
    assert library.sync().removed == 1
    assert ids(library, "zebras") == []


def test_worker_processes_build_when_stderr_has_no_file_descriptor(tmp_path: Path, private_home: Path) -> None:
    """Inside the Textual app sys.stderr is a capture whose fileno() is -1."""
    folder = tmp_path / "many"
    for number in range(40):
        write(folder, f"{number:03}.txt", f"Story {number}", f"shared words {number}")
    program = (
        "import sys\n"
        "class Captured:\n"
        "    def write(self, text): return len(text)\n"
        "    def flush(self): pass\n"
        "    def fileno(self): return -1\n"
        "sys.stderr = Captured()\n"
        + FORCED_WORKERS
        + "from pathlib import Path\n"
        "from reader.core.library import Library\n"
        "library = Library(Path(sys.argv[1]))\n"
        "print(library.sync().added, library.search('shared').total)\n"
    )
    assert printed_by(program, folder, private_home) == ["40", "40"]


def test_index_files_read_the_same_without_pread(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no ``os.pread``: the fallback (seek, read, restore) must find the same."""
    import reader.core.index.storage as storage

    Library(corpus).sync()
    with_pread = ids(Library(corpus), "comet OR bridg*")
    monkeypatch.setattr(storage, "_PREAD", None)
    assert sorted(with_pread) == ["b.txt", "sub/c.md"]
    assert ids(Library(corpus), "comet OR bridg*") == with_pread
