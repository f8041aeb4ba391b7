"""Every test runs with its own empty state folder, so nothing touches the user's real data."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from reader.core.library import Library

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="session", autouse=True)
def session_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """State written by module- and session-scoped fixtures, which run before any test's own
    ``private_home``, goes here too: never into the user's real folders."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("READER_HOME", str(tmp_path_factory.mktemp("session-home")))
        yield


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point all state (tags, settings, indexes) at a fresh folder for this test."""
    home = tmp_path_factory.mktemp("reader-home")
    monkeypatch.setenv("READER_HOME", str(home))
    return home


@pytest.fixture
def seeds() -> Path:
    return SEEDS


# A program's lines that make a sync of 10 or more files build in two worker processes.
FORCED_WORKERS = (
    "import reader.core.pipeline.build as build\n"
    "build.PARALLEL_MIN_FILES, build.FIRST_CHUNK, build.worker_count = 10, 10, lambda: 2\n"
    "build._run_here = None  # no building in this process: the workers must do it\n"
)


def write_text(folder: Path, name: str, text: str) -> Path:
    """Write an article file (its folders made as needed)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def printed_by(program: str, folder: Path, home: Path) -> list[str]:
    """The words ``program`` prints, run in a fresh Python with ``folder`` as its argument and
    ``home`` as the reader's state (a build's worker processes need a process of their own)."""
    env = {**os.environ, "READER_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-c", program, str(folder)], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def segmented_library(folder: Path, texts: list[str], changed_every: int, correction: str) -> Library:
    """A library of ``texts`` built as a large build leaves it: several segments, written by
    workers, then every ``changed_every``-th file changed (``correction`` added), so its old
    document is deleted in place. The caller closes it."""
    import reader.core.pipeline.build as build
    from reader.core.index import merging
    from reader.core.library import Library

    for number, text in enumerate(texts):
        (folder / f"{number:03}.md").write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "PARALLEL_MIN_FILES", 10)
        patch.setattr(build, "FIRST_CHUNK", 10)
        patch.setattr(build, "worker_count", lambda: 3)
        patch.setattr(merging, "SMALL_SEGMENT", 0)  # several segments, as a large build leaves
        opened = Library(folder)
        opened.sync()
    for number in range(0, len(texts), changed_every):
        path = folder / f"{number:03}.md"
        path.write_text(path.read_text(encoding="utf-8") + correction, encoding="utf-8")
    opened.sync()
    return opened
