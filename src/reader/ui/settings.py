"""What the app remembers between runs: theme, sort, collapsed copies, keymap, last article, how
the folder is watched and
read marks.

Plain JSON under the user's data directory (``reader.core.paths``), written atomically (temp
file + ``os.replace``) so a crash mid-write never leaves a half file. Nothing here imports
Textual, so it is cheap to load before the first frame and easy to test.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reader.core.files import write_atomically
from reader.core.live_folder import WATCH_MODES
from reader.core.ordering import HIT_ORDERS, LIST_ORDERS
from reader.core.paths import corpus_key, read_marks_path, settings_path


def _read_json(path: Path) -> Any:
    """The JSON in ``path``, or None when it is missing or damaged (settings are never fatal)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass
class Settings:
    """User preferences shared by every corpus, plus the last article open in each one."""

    theme: str | None = None
    sort: str = "date"  # the order of the whole list
    search_sort: str = "relevance"  # the order of search hits
    collapse_copies: bool = False  # D: near-duplicate copies listed as one row
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys, e.g. "list.down": "j,down,ctrl+n"
    last_article: dict[str, str] = field(default_factory=dict)  # corpus key -> article id
    watch: str = "auto"  # the live folder: "auto" (notifications, else polling), "poll" or "off"

    @classmethod
    def load(cls) -> Settings:
        raw = _read_json(settings_path())
        if not isinstance(raw, dict):
            return cls()
        settings = cls()
        if isinstance(raw.get("theme"), str):
            settings.theme = raw["theme"]
        if raw.get("sort") in LIST_ORDERS:
            settings.sort = raw["sort"]
        if raw.get("search_sort") in HIT_ORDERS:
            settings.search_sort = raw["search_sort"]
        if isinstance(raw.get("collapse_copies"), bool):
            settings.collapse_copies = raw["collapse_copies"]
        if raw.get("watch") in WATCH_MODES:
            settings.watch = raw["watch"]
        if isinstance(raw.get("keymap"), dict):
            settings.keymap = {
                str(key): str(value) for key, value in raw["keymap"].items() if isinstance(value, str)
            }
        if isinstance(raw.get("last_article"), dict):
            settings.last_article = {
                str(key): str(value)
                for key, value in raw["last_article"].items()
                if isinstance(value, str)
            }
        return settings

    def save(self) -> None:
        write_atomically(settings_path(), json.dumps(asdict(self), indent=2, ensure_ascii=False))

    def last_article_in(self, root: Path) -> str | None:
        return self.last_article.get(corpus_key(root))

    def remember_article(self, root: Path, article_id: str | None) -> None:
        key = corpus_key(root)
        if article_id is None:
            self.last_article.pop(key, None)
        else:
            self.last_article[key] = article_id


def load_read_marks(root: Path) -> set[str]:
    raw = _read_json(read_marks_path(root))
    if not isinstance(raw, list):
        return set()
    return {item for item in raw if isinstance(item, str)}


def save_read_marks(root: Path, read_ids: set[str]) -> None:
    write_atomically(read_marks_path(root), json.dumps(sorted(read_ids), ensure_ascii=False))


@contextmanager
def _marks_locked(path: Path) -> Iterator[None]:
    """Hold the read marks of one folder against other processes (an OS lock: none is left
    behind by a killed process)."""
    if sys.platform == "win32":  # no flock: two instances on one folder are the user's affair there
        yield
        return
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def update_read_marks(root: Path, changes: Mapping[str, bool]) -> set[str]:
    """Apply this process's changes (article id -> read) to the marks on disk and return them:
    marks another instance made on the same folder in the meantime are kept."""
    with _marks_locked(read_marks_path(root)):
        marks = load_read_marks(root)
        marks |= {article_id for article_id, read in changes.items() if read}
        marks -= {article_id for article_id, read in changes.items() if not read}
        save_read_marks(root, marks)
    return marks
