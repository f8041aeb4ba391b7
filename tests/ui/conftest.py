"""Helpers for driving the app with Pilot: a steady app (no blink) and waiting on its workers."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.ui.screenshot_scenes import wait_until_idle
from reader.core.library import Library
from reader.core.paths import HOME_ENV
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from reader.ui.reading import reading_pane
from tests.conftest import SEEDS

SIZE = (150, 42)


@pytest.fixture(autouse=True)
def lasting_flash(monkeypatch: pytest.MonkeyPatch) -> None:
    """A flashed quote stays marked for the whole test: waiting for workers on a loaded machine
    can take longer than the 1.2 s flash, which made assertions on it a race."""
    monkeypatch.setattr(reading_pane, "FLASH_SECONDS", 600.0)


@pytest.fixture(scope="session")
def seeds_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample articles indexed once per session; each test starts from a copy of it."""
    home = tmp_path_factory.mktemp("seeds-index")
    previous = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = str(home)
    try:
        with Library(SEEDS) as library:
            library.sync()
    finally:
        if previous is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = previous
    yield home / "cache"


@pytest.fixture
def corpus(seeds: Path, seeds_cache: Path, private_home: Path) -> Path:
    """The sample articles with a current index in this test's own state folder."""
    shutil.copytree(seeds_cache, private_home / "cache", dirs_exist_ok=True)
    return seeds


@pytest.fixture
def own_corpus(seeds: Path, tmp_path: Path) -> Path:
    """A private copy of the sample articles, for tests that add files to the folder."""
    return Path(shutil.copytree(seeds, tmp_path / "corpus"))


@asynccontextmanager
async def running(root: Path, size: tuple[int, int] = SIZE) -> AsyncIterator[Pilot[None]]:
    """The app on ``root``, started, its list loaded and its index synced."""
    app = ReaderApp(root, steady=True)
    async with app.run_test(size=size) as pilot:
        await wait_until_idle(pilot)
        yield pilot


def main_screen(pilot: Pilot[None]) -> MainScreen:
    screen = pilot.app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen


async def idle(pilot: Pilot[None]) -> None:
    await wait_until_idle(pilot)


async def until(pilot: Pilot[None], condition: Callable[[], bool], *, tries: int = 500) -> None:
    """Let the app run until ``condition`` holds (a debounce timer firing, say); fail if never."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("the app never reached the expected state")
