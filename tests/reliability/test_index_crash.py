"""A hundred SIGKILLs at random moments of indexing: the next start is always usable."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("reader.core.index") is None, reason="the index has not landed yet"
)

RUNS = 100
ARTICLES = 6  # few, so one sync takes a fraction of a second and 100 kills stay fast
MAX_KILL_DELAY = 0.2  # seconds at most; the driver draws each kill within a warm sync's measured time
# The index fsyncs what it commits; on a RAM disk that costs nothing, so the runs stay fast.
FAST_DISK = Path("/dev/shm")
DRIVER = Path(__file__).with_name("index_crash_driver.py")


@pytest.mark.slow
def test_killed_indexing_always_leaves_a_usable_index(tmp_path: Path, private_home: Path, seeds: Path) -> None:
    home = private_home
    if FAST_DISK.is_dir() and os.access(FAST_DISK, os.W_OK):
        home = Path(tempfile.mkdtemp(prefix="reader-crash-", dir=FAST_DISK))
    try:
        _run_driver(tmp_path / "corpus", home, seeds)
    finally:
        if home != private_home:
            shutil.rmtree(home, ignore_errors=True)


def _run_driver(folder: Path, home: Path, seeds: Path) -> None:
    folder.mkdir()
    texts = [path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.txt"))]
    for number in range(ARTICLES):
        text = texts[number % len(texts)]
        (folder / f"{number:02d}.txt").write_text(f"{text}\n\nmarker{number:02d}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(DRIVER), str(folder), str(RUNS), "2024", str(MAX_KILL_DELAY)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "READER_HOME": str(home)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout.splitlines()[-1])
    assert summary["failures"] == [], result.stderr[-2000:]
    assert summary["runs"] == RUNS
    # The test means something only if most kills hit a sync in progress.
    assert summary["killed_mid_sync"] >= RUNS // 2, summary
