"""The look of the main states, pinned: the same scenes ``reader screenshots`` draws."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ui.app import ReaderApp
from reader.ui.screenshot_scenes import SCENES, corpus_for, prepare_state


@pytest.mark.parametrize("name", list(SCENES))
def test_scene_looks_as_before(name: str, seeds: Path, tmp_path: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    prepare_state(seeds)
    shot = SCENES[name]
    root = corpus_for(name, tmp_path)
    assert snap_compare(ReaderApp(root, steady=True), terminal_size=shot.size, run_before=shot)
