"""The hostile folder, built once per session for every reliability test."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile_cases import Case, build


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[Case, ...]]:
    """A folder holding every hostile case, and the cases that could be made here."""
    root = tmp_path_factory.mktemp("hostile")
    return root, build(root)
