"""Every test runs with its own empty state folder, so nothing touches the user's real data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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
