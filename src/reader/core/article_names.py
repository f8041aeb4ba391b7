"""Which file names are articles, and the id an article file gets: the loader's naming rules,
apart from its reading side (front matter, YAML, structure), so that a scan of a folder that
only compares names and ``stat``s (a re-open) does not import what reads a file."""

from __future__ import annotations

import os
from pathlib import Path

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
_SUFFIX_TUPLE = tuple(ARTICLE_SUFFIXES)


def is_article_name(name: str) -> bool:
    """A visible file with an article's suffix (``splitext`` and a set cost twice as much, and
    a re-open of 100k files asks 100k times)."""
    return not name.startswith(".") and name.lower().endswith(_SUFFIX_TUPLE)


def relative_id(path: Path | str, root: Path) -> str:
    """The article's id: its path under the root, always valid UTF-8.

    A file name that is not UTF-8 reaches Python with lone surrogates, which SQLite and Whoosh
    refuse; its id spells the odd bytes as ``\\xff`` instead (``Article.path`` keeps them).
    """
    prefix = str(root) + os.sep
    text = os.fspath(path)
    # Under the root, the root is a folder; otherwise the corpus is this one file.
    relative = text[len(prefix) :].replace(os.sep, "/") if text.startswith(prefix) else os.path.basename(text)
    if not relative.isascii():
        relative = os.fsencode(relative).decode("utf-8", "backslashreplace")
    return relative
