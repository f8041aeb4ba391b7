"""The build's worker processes (``WorkerPool``): plain child Pythons answering pickled calls."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import reader.core.pipeline.build as build
import reader.core.pipeline.stages as stages
import reader.core.pipeline.workers as workers
from reader.core.library import Library
from tests.conftest import FORCED_WORKERS, printed_by


def _write_articles(folder: Path, count: int) -> None:
    folder.mkdir()
    for number in range(count):
        (folder / f"{number:03}.txt").write_text(f"Story {number}\n\nshared words and word{number}.\n")


def _parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(build, "FIRST_CHUNK", 10)
    monkeypatch.setattr(build, "worker_count", lambda: 2)


def test_calls_are_answered_by_other_processes_with_their_progress() -> None:
    with workers.WorkerPool(2) as pool:
        answers = [pool.submit(os.getpid) for _ in range(4)]
        pids = {future.result(timeout=60) for future in answers}
        assert pool.submit(divmod, 7, 2).result(timeout=60) == (3, 1)
        assert pool.submit(stages._report, 5).result(timeout=60) is None
        assert pool.progress.get(timeout=60) == 5
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2


def test_a_call_that_fails_raises_its_error_and_the_worker_carries_on() -> None:
    with workers.WorkerPool(1) as pool:
        with pytest.raises(ValueError, match="invalid literal"):
            pool.submit(int, "not a number").result(timeout=60)
        assert pool.submit(int, "12").result(timeout=60) == 12


def test_a_worker_that_dies_breaks_the_pool() -> None:
    with workers.WorkerPool(1) as pool:
        with pytest.raises(workers.BrokenProcessPool):
            pool.submit(os._exit, 3).result(timeout=60)
        with pytest.raises(workers.BrokenProcessPool):
            pool.submit(os.getpid).result(timeout=60)


def test_terminate_ends_a_busy_worker_at_once() -> None:
    pool = workers.WorkerPool(1)
    pool.submit(time.sleep, 600)
    started = time.monotonic()
    pool.terminate()
    pool.close()
    assert time.monotonic() - started < 30
    assert all(worker.process.poll() is not None for worker in pool._workers)


def test_workers_that_cannot_start_leave_the_build_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "many"
    _write_articles(folder, 40)
    _parallel(monkeypatch)
    monkeypatch.setattr(workers, "_MODULE", "reader.no_such_module")  # each worker fails at once
    built_here: list[int] = []
    run_here = build._run_here
    monkeypatch.setattr(build, "_run_here", lambda *args: built_here.append(len(args[2])) or run_here(*args))
    library = Library(folder)
    assert library.sync().added == 40
    assert built_here == [40]
    assert library.search("shared").total == 40
    assert [hit.id for hit in library.search("word17").hits] == ["017.txt"]


def test_a_frozen_app_builds_in_its_own_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers.sys, "frozen", True, raising=False)
    with pytest.raises(workers.BrokenProcessPool):
        workers.WorkerPool(2)


def test_a_worker_closes_its_listing_catalog_once_it_builds(tmp_path: Path) -> None:
    import reader.core.pipeline.listing as listing
    from reader.core.index.catalog import Catalog

    folder = tmp_path / "few"
    _write_articles(folder, 4)
    catalog_path = tmp_path / "catalog.db"
    Catalog(catalog_path).close()
    paths = sorted(str(path) for path in folder.iterdir())
    assert listing.list_batch(folder, catalog_path, paths[:2]) == 2
    assert catalog_path in listing._catalogs
    build._build_in_worker(folder, tmp_path, [], None)
    assert listing._catalogs == {}
    assert listing.list_batch(folder, catalog_path, paths[2:]) == 2  # a late batch opens it again
    listing.close_catalogs()
    catalog = Catalog(catalog_path)
    assert catalog.counts()[0] == 4
    catalog.close()


class _Fussy(Exception):
    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"{first} {second}")


def test_an_error_that_would_not_unpickle_is_sent_as_a_plain_one() -> None:
    assert isinstance(workers._portable(ValueError("plain")), ValueError)
    sent = workers._portable(_Fussy("needs", "two"))
    assert type(sent) is RuntimeError and str(sent) == "_Fussy: needs two"


def _not_importable_in_a_worker() -> None:
    """Defined in a test module, which the worker processes cannot import."""


def test_a_call_the_worker_cannot_unpickle_fails_alone() -> None:
    with workers.WorkerPool(1) as pool:
        with pytest.raises(ModuleNotFoundError):
            pool.submit(_not_importable_in_a_worker).result(timeout=60)
        assert pool.submit(int, "3").result(timeout=60) == 3


def test_the_main_process_of_a_parallel_build_never_imports_the_stages(tmp_path: Path, private_home: Path) -> None:
    """The workers extract and index; while they build, the process that sends them chunks and
    commits what comes back holds neither the extraction rules nor ``multiprocessing`` (it
    starts plain Pythons)."""
    folder = tmp_path / "many"
    _write_articles(folder, 40)
    program = (
        "import sys\n"
        + FORCED_WORKERS
        + "heavy = ('reader.core.pipeline.stages', 'reader.core.extraction', 'multiprocessing')\n"
        "imported, chunks = set(), build.run_chunks\n"
        "def watched(*args):\n"
        "    for chunk in chunks(*args):\n"
        "        imported.update(name for name in heavy if name in sys.modules)\n"
        "        yield chunk\n"
        "build.run_chunks = watched\n"
        "from pathlib import Path\n"
        "from reader.core.library import Library\n"
        "library = Library(Path(sys.argv[1]))\n"
        "print(library.sync().added, library.search('shared').total, sorted(imported))\n"
    )
    assert printed_by(program, folder, private_home) == ["40", "40", "[]"]
