"""The README stands on its own in a clone: every link and picture is in the repository, and its
keys table lists every key of the main screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINK = re.compile(r"\]\(([^)\s]+)\)")
KEY_NAMES = {
    "slash": "/", "question_mark": "?", "quotation_mark": '"', "left_square_bracket": "[",
    "right_square_bracket": "]", "escape": "esc", "down": "↓", "up": "↑", "pagedown": "pgdn",
    "pageup": "pgup", "right": "→", "left": "←", "right_parenthesis": ")", "left_parenthesis": "(",
    "shift+down": "shift+↓", "shift+up": "shift+↑",
}


def test_every_link_and_picture_of_the_readme_is_in_the_repository() -> None:
    targets = [target for target in LINK.findall(README) if not target.startswith(("http://", "https://", "#"))]
    assert targets, "the README has no local links to check"
    for target in targets:
        assert not target.startswith(("/", "..")), f"{target} points outside the repository"
        assert (ROOT / target.split("#")[0]).exists(), f"{target} is missing"
    assert "shared/" not in README and "/work/" not in README


def test_the_benchmark_gold_notes_point_inside_the_repository() -> None:
    for note in [*ROOT.glob("benchmarks/extraction_gold*/README*.md"), ROOT / "benchmarks" / "eval_extract.py"]:
        text = note.read_text(encoding="utf-8")
        assert "shared/gold" not in text and "GUIDELINES" not in text, note
        for target in LINK.findall(text):
            assert (note.parent / target).exists(), f"{note}: {target} is missing"


def _keys_table() -> str:
    start = README.index("| key | does |")
    return README[start : README.index("\n\n", start)]


@pytest.mark.parametrize("screen", ["main", "list", "pane"])
def test_the_keys_table_lists_every_key(screen: str) -> None:
    from textual.binding import Binding

    from reader.ui.listing.article_list import ArticleList
    from reader.ui.main_screen import MainScreen
    from reader.ui.reading.reading_pane import ReadingPane

    widget = {"main": MainScreen, "list": ArticleList, "pane": ReadingPane}[screen]
    table = _keys_table()
    keys_of: dict[str, list[str]] = {}
    for binding in Binding.make_bindings(widget.BINDINGS):
        keys_of.setdefault(binding.id or binding.action, []).append(KEY_NAMES.get(binding.key, binding.key))
    for binding_id, keys in keys_of.items():
        assert any(f"`{key}`" in table for key in keys), f"{binding_id} ({', '.join(keys)}) is not in the keys table"
