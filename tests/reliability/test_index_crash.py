"""A hundred SIGKILLs at random moments of indexing: the next start is always usable."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("reader.core.index") is None, reason="the index has not landed yet"
)

RUNS = 100
ARTICLES = 8  # few, so one sync takes a fraction of a second and 100 kills stay fast
MAX_KILL_DELAY = 0.4  # seconds: about one sync of this folder, so kills land all along it
DRIVER = Path(__file__).with_name("index_crash_driver.py")


@pytest.mark.slow
def test_killed_indexing_always_leaves_a_usable_index(tmp_path: Path, private_home: Path, seeds: Path) -> None:
    folder = tmp_path / "corpus"
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
        env={**os.environ, "READER_HOME": str(private_home)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout.splitlines()[-1])
    assert summary["failures"] == [], result.stderr[-2000:]
    assert summary["runs"] == RUNS
    # The test means something only if most kills hit a sync in progress.
    assert summary["killed_mid_sync"] >= RUNS // 2, summary
