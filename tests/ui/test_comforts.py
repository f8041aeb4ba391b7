"""Reading comforts and the use of the window: mark all read (and undo), D kept between runs,
reading progress, ``?`` in the footer at every size, the list's width, the palette's screenshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from reader.core.paths import screenshot_dir, settings_path
from reader.core.tags import TagStore
from reader.ui.settings import load_read_marks
from tests.ui.conftest import idle, main_screen, running, until
from tests.ui.test_palette import run_command


async def test_a_marks_every_listed_article_read_and_ctrl_z_takes_it_back(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"divorce", "enter")
        await until(pilot, lambda: screen.result is not None and screen.result.query == "divorce")
        await idle(pilot)
        hits = set(screen.article_list.article_ids)
        assert 0 < len(hits) < 5 and not hits & screen.read_ids
        await pilot.press("A")
        await idle(pilot)
        assert screen.read_ids == hits
        assert load_read_marks(corpus) == hits
        assert f"· 0 unread" not in screen.status.info and f"{5 - len(hits)} unread" in screen.status.info
        await pilot.press("ctrl+z")
        await idle(pilot)
        assert screen.read_ids == set()
        assert load_read_marks(corpus) == set()
        await pilot.press("ctrl+z")  # nothing more to undo: no change
        await idle(pilot)
        assert screen.read_ids == set()


async def test_undo_is_in_the_palette_after_a_mark_all(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await run_command(pilot, "mark all read", "Mark all read")
        assert len(screen.read_ids) == 5
        await run_command(pilot, "undo mark", "Undo mark all read")
        assert screen.read_ids == set()


async def test_collapsed_copies_are_kept_between_runs(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        assert not screen.collapse_copies
        await pilot.press("D")
        await idle(pilot)
        assert "copies collapsed (D)" in screen.status.info
    assert json.loads(settings_path().read_text())["collapse_copies"] is True
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        assert screen.collapse_copies and screen.article_list.collapse_copies
        assert "copies collapsed (D)" in screen.status.info
        await pilot.press("D")
        await idle(pilot)
    assert json.loads(settings_path().read_text())["collapse_copies"] is False


async def test_the_reading_pane_header_shows_how_far_the_reader_is(corpus: Path) -> None:
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        pane = screen.reading_pane
        assert pane.border_title is None  # no article yet
        await pilot.press("enter")
        await idle(pilot)
        assert pane.border_title == "0%"
        await pilot.press("end")
        await idle(pilot)
        assert pane.border_title == "100%"
        await pilot.press("home", "space")
        await idle(pilot)
        expected = round(100 * pane.scroll_y / pane.max_scroll_y)
        assert pane.border_title == f"{expected}%" and 0 < expected < 100


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (140, 45), (200, 50)])
async def test_the_help_key_is_in_the_footer_at_every_size(corpus: Path, size: tuple[int, int]) -> None:
    async with running(corpus, size=size) as pilot:
        for keys in ((), ("enter",), ("quotation_mark",)):
            await pilot.press(*keys)
            await idle(pilot)
            help_key = next(key for key in pilot.app.screen.query(FooterKey) if key.action == "help")
            region = help_key.region
            assert region.width >= len("? Keys") and region.right <= size[0], (keys, region)
            palette = next(key for key in pilot.app.screen.query(FooterKey) if key.has_class("-command-palette"))
            assert not region.overlaps(palette.region)


async def test_at_80_columns_the_status_line_says_it_all_in_short(corpus: Path) -> None:
    async with running(corpus, size=(80, 24)) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"divorce", "enter")
        await until(pilot, lambda: screen.result is not None and screen.result.query == "divorce")
        await pilot.press("enter")
        await idle(pilot)
        assert len(screen.status.info) > 78
        shown = str(screen.status.render()).rstrip()
        assert shown == screen.status.short_info and "…" not in shown
        assert shown.startswith("3 hits for divorce · ") and shown.endswith(" people")
        assert " relevance · " in shown and " quotes, " in shown


async def test_at_200_columns_the_list_shows_whole_titles_beside_their_tags(corpus: Path) -> None:
    async with running(corpus) as pilot:
        summary = next(iter(main_screen(pilot).summaries.values()))
    with TagStore() as store:
        store.add([_ref(corpus / summary.id)], ["politics", "long read", "follow-up", "celebrity", "to check"])
    async with running(corpus, size=(200, 50)) as pilot:
        screen = main_screen(pilot)
        article_list = screen.article_list
        assert article_list.region.width >= 75
        for index, row_id in enumerate(article_list.article_ids):
            title = screen.summaries[row_id].title
            line = article_list.render_line(index).text
            shown = line[2:].split("  ")[0]
            assert shown.removesuffix("…") and title.startswith(shown.removesuffix("…"))
            assert len(shown) >= min(len(title), (article_list.region.width - 4) // 2)
            if row_id == summary.id:
                assert "#celebrity" in line


def _ref(path: Path):  # type: ignore[no-untyped-def]
    from reader.core.loader import load_article

    return load_article(path, path.parent)


async def test_the_palettes_screenshot_is_saved_where_a_folder_exists(corpus: Path, private_home: Path) -> None:
    async with running(corpus) as pilot:
        said: list[str] = []
        notify = pilot.app.notify
        pilot.app.notify = lambda message, *a, **k: said.append(str(message)) or notify(message, *a, **k)  # type: ignore[method-assign]
        await run_command(pilot, "screenshot", "Screenshot")
        folder = private_home / "data" / "screenshots"
        await until(pilot, lambda: folder.is_dir() and any(folder.glob("*.svg")))
        await until(pilot, lambda: any("Saved screenshot" in message for message in said))
        saved = next(folder.glob("*.svg"))
        assert saved.read_text(encoding="utf-8").startswith("<svg")
        assert any(str(saved) in message for message in said)


def test_screenshots_go_to_the_download_folder_when_there_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("READER_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    assert screenshot_dir() == tmp_path / "share" / "reader" / "screenshots"
    assert screenshot_dir().is_dir()
    (tmp_path / "Downloads").mkdir()
    assert screenshot_dir() == tmp_path / "Downloads"
