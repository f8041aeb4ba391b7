"""The look of the main states, pinned: the same scenes ``reader screenshots`` draws."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ui.screenshot_scenes import SCENES, prepare_state
from reader.ui.app import ReaderApp


@pytest.mark.parametrize("name", list(SCENES))
def test_scene_looks_as_before(name: str, seeds: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    prepare_state(seeds)
    shot = SCENES[name]
    assert snap_compare(ReaderApp(seeds, steady=True), terminal_size=shot.size, run_before=shot)
