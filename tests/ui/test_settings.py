"""What the app remembers: atomic writes, damaged files, the theme between runs."""

from __future__ import annotations

import json
from pathlib import Path

from reader.core.paths import settings_path
from reader.ui.settings import Settings, load_read_marks, read_marks_path, save_read_marks
from tests.ui.conftest import idle, running


def test_settings_round_trip_and_leave_no_temp_files(tmp_path: Path) -> None:
    settings = Settings(theme="nord", sort="title", keymap={"list.down": "ctrl+n"})
    settings.remember_article(tmp_path, "a.txt")
    settings.save()
    loaded = Settings.load()
    assert loaded == settings
    assert loaded.last_article_in(tmp_path) == "a.txt"
    assert [path.name for path in settings_path().parent.iterdir()] == ["settings.json"]


def test_a_damaged_settings_file_gives_the_defaults() -> None:
    settings_path().write_text("{not json")
    assert Settings.load() == Settings()
    settings_path().write_text(json.dumps({"sort": "sideways", "theme": 3, "keymap": {"x": 1}}))
    assert Settings.load() == Settings()


def test_read_marks_are_kept_per_folder(tmp_path: Path) -> None:
    save_read_marks(tmp_path / "one", {"a.txt", "b.txt"})
    assert load_read_marks(tmp_path / "one") == {"a.txt", "b.txt"}
    assert load_read_marks(tmp_path / "two") == set()
    read_marks_path(tmp_path / "one").write_text("[1, 2")
    assert load_read_marks(tmp_path / "one") == set()


async def test_the_chosen_theme_is_used_again_next_time(corpus: Path) -> None:
    async with running(corpus) as pilot:
        pilot.app.theme = "nord"
        await idle(pilot)
    assert json.loads(settings_path().read_text())["theme"] == "nord"
    async with running(corpus) as pilot:
        assert pilot.app.theme == "nord"
