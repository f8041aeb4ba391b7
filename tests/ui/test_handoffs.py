"""Hand-offs driven as a user would: e, v, y and O with fake programs that record what they got."""

from __future__ import annotations

import base64
import os
import re
import stat
import webbrowser
from pathlib import Path

import pytest

from reader.ui.reading.quotes_panel import QuotesPanel
from tests.ui.conftest import idle, main_screen, running, until

OSC52 = re.compile(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


def fake_program(folder: Path, name: str, body: str) -> Path:
    """A shell script standing in for a real program; it writes what it was given to a file."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def recorded_escapes(pilot, monkeypatch: pytest.MonkeyPatch) -> list[str]:  # type: ignore[no-untyped-def]
    """What the app writes to its terminal from now on (the headless driver drops it otherwise)."""
    written: list[str] = []
    monkeypatch.setattr(pilot.app._driver, "write", written.append)
    return written


def recorded_notices(pilot, monkeypatch: pytest.MonkeyPatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Every notification from now on (waiting for the app to be idle clears those shown)."""
    said: list[str] = []
    notify = pilot.app.notify

    def record(message: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        said.append(message)
        return notify(message, *args, **kwargs)

    monkeypatch.setattr(pilot.app, "notify", record)
    return said


def osc52_payloads(written: list[str]) -> list[str]:
    return [base64.b64decode(found).decode("utf-8") for text in written for found in OSC52.findall(text)]


async def test_e_edits_the_file_in_the_editor_and_indexes_it_again(
    own_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "editor.log"
    editor = fake_program(
        tmp_path / "bin", "editor", f'echo "$@" > {log}\nfor file; do :; done\nprintf "\\n\\nZanzibar appears after editing.\\n" >> "$file"'
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{editor} --wait")
    async with running(own_corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("enter")
        await idle(pilot)
        opened = screen.open_article
        assert opened is not None
        await pilot.press("e")
        await until(pilot, lambda: screen.open_article is not None and "Zanzibar" in screen.open_article.text)
        await idle(pilot)
        assert log.read_text().split() == ["--wait", str(own_corpus / opened.id)]
        assert screen.reading_pane.article is not None and "Zanzibar" in screen.reading_pane.article.text
        await pilot.press("slash", *"zanzibar")
        await until(pilot, lambda: screen.result is not None and screen.result.query == "zanzibar")
        assert [hit.id for hit in screen.result.hits] == [opened.id]


async def test_e_without_a_change_reindexes_nothing_and_says_so(
    own_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", str(fake_program(tmp_path / "bin", "look", "exit 0")))
    async with running(own_corpus) as pilot:
        said = recorded_notices(pilot, monkeypatch)
        await pilot.press("e")
        await idle(pilot)
        assert said == ["The file was not changed."]


async def test_v_pipes_the_clean_text_to_the_pager(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", str(fake_program(tmp_path / "bin", "pager", f"cat > {out}")))
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        await pilot.press("down", "enter")  # seed 000: has page furniture
        await idle(pilot)
        await pilot.press("v")
        await until(pilot, out.exists)
        paged = out.read_text(encoding="utf-8")
        article = screen.open_article
        assert article is not None
        assert paged.startswith(article.title[:40])
        assert "\x1b" not in paged  # not less -R: no colours
        assert "Kim Kardashian is still in the process of saving her marriage" in paged
        assert "View this post on Instagram" in paged  # furniture, folded to one line each
        assert max(len(line) for line in paged.splitlines()) <= 100


async def test_y_copies_the_chosen_quote_with_speaker_and_source_through_osc52(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clipboard = tmp_path / "clipboard.txt"
    bin_dir = tmp_path / "bin"
    fake_program(bin_dir, "xclip", f"cat > {clipboard}")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("TMUX", raising=False)
    monkeypatch.delenv("STY", raising=False)
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        written = recorded_escapes(pilot, monkeypatch)
        await pilot.press("enter")
        await idle(pilot)
        await pilot.press("quotation_mark", "down", "down", "down")
        panel = screen.query_one(QuotesPanel)
        assert screen.focused is panel and panel.highlighted == 3
        await pilot.press("y")
        await until(pilot, clipboard.exists)
        await idle(pilot)
        quote = screen.extraction.quotes[3]  # type: ignore[union-attr]
        expected = (
            f"“{' '.join(quote.text.split()).rstrip(',')}” — {quote.speaker}\n"
            f"“{screen.open_article.title}”, 2020-09-07, {corpus / screen.open_article.id}"  # type: ignore[union-attr]
        )
        assert osc52_payloads(written) == [expected]
        assert clipboard.read_text(encoding="utf-8") == expected
        assert pilot.app.clipboard == expected


async def test_y_elsewhere_copies_the_path_and_wraps_osc52_for_tmux(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        written = recorded_escapes(pilot, monkeypatch)
        said = recorded_notices(pilot, monkeypatch)
        await pilot.press("down", "y")
        await idle(pilot)
        path = str(corpus / screen.article_list.current_id)  # type: ignore[operator]
        assert osc52_payloads([text for text in written if text.startswith("\x1b]52")]) == [path]
        wrapped = [text for text in written if text.startswith("\x1bPtmux;")]
        assert len(wrapped) == 1 and wrapped[0].endswith("\x1b\\")
        inner = wrapped[0].removeprefix("\x1bPtmux;").removesuffix("\x1b\\").replace("\x1b\x1b", "\x1b")
        assert osc52_payloads([inner]) == [path]
        assert said == [f"Copied the path through the terminal (OSC 52): {path}"]


@pytest.fixture
def browser_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``$BROWSER`` is a fake browser; the webbrowser module reads it afresh for this test."""
    log = tmp_path / "browser.log"
    browser = fake_program(tmp_path / "bin", "browser", f'echo "$@" >> {log}')
    monkeypatch.setenv("BROWSER", str(browser))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    return log


async def test_o_opens_the_articles_url_in_the_browser(own_corpus: Path, browser_log: Path) -> None:
    (own_corpus / "linked.md").write_text(
        "---\ntitle: A linked story\ndate: 2020-09-08\nurl: https://example.com/2020/09/08/linked\n---\nBody.\n"
    )
    (own_corpus / "canonical.txt").write_text("Canonical story\n\nBody.\n\nCanonical URL: https://example.org/c\n")
    async with running(own_corpus) as pilot:
        screen = main_screen(pilot)
        screen.article_list.move_to("linked.md")
        await pilot.press("O")  # on the list's row, without opening it
        await until(pilot, browser_log.exists)
        screen.article_list.move_to("canonical.txt")
        await pilot.press("enter")
        await idle(pilot)
        await pilot.press("O")
        await until(pilot, lambda: len(browser_log.read_text().splitlines()) == 2)
        assert browser_log.read_text().splitlines() == ["https://example.com/2020/09/08/linked", "https://example.org/c"]


async def test_o_without_a_url_says_so(corpus: Path, browser_log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with running(corpus) as pilot:
        said = recorded_notices(pilot, monkeypatch)
        await pilot.press("down", "O")
        await idle(pilot)
        assert not browser_log.exists()
        assert said == [
            "This article has no web address: no url in its front matter and no canonical link in its text."
        ]


async def test_the_palette_and_the_help_offer_every_handoff(corpus: Path) -> None:
    from textual.widgets import Static

    from reader.ui.palette import ReaderCommands

    async with running(corpus) as pilot:
        screen = main_screen(pilot)
        names = [name for name, _, _ in ReaderCommands._actions(None, screen)]  # type: ignore[arg-type]
        for name in ("Edit the article's file", "Read in the pager", "Copy quote or path", "Open the web page"):
            assert name in names
        await pilot.press("question_mark")
        await idle(pilot)
        table = str(pilot.app.screen.query_one("#help-table", Static).render())
        for binding_id in ("edit_file", "page_article", "copy", "open_url", "mark_all_read", "undo_mark_read"):
            assert binding_id in table
