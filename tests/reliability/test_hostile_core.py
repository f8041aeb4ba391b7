"""The core APIs over the hostile folder: each file decided in time, nothing unsafe kept."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_cases import CASES, UNREADABLE, Case, Expect, build
from reliability_helpers import PER_FILE_SECONDS, TERMINAL_UNSAFE

from reader.core.library import Library
from reader.core.loader import load_article, load_corpus
from reader.core.models import Article, LoadIssue
from reader.core.text import visible


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in (*_strings(key), *_strings(item))]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _strings(item)]
    return []


def _unsafe_in(article: Article) -> list[str]:
    """Every field of an article a view could print, with any terminal-unsafe character found."""
    fields = [article.title, article.author, article.outlet, article.url, article.date_text, article.text,
              *article.tags, *article.warnings, *_strings(article.metadata)]
    return [text[:60] for text in fields if text and TERMINAL_UNSAFE.search(text)]


def _loadable(cases: tuple[Case, ...]) -> list[tuple[Case, str]]:
    return [(case, relative) for case in cases for relative in case.paths if case.expect is not Expect.HIDDEN]


def test_every_file_is_decided_in_time_and_as_expected(hostile: tuple[Path, tuple[Case, ...]]) -> None:
    root, cases = hostile
    for case, relative in _loadable(cases):
        started = time.perf_counter()
        loaded = load_article(root / relative, root)
        elapsed = time.perf_counter() - started
        assert elapsed < PER_FILE_SECONDS, (case.name, elapsed)
        if case.expect is Expect.SKIPPED:
            assert isinstance(loaded, LoadIssue) and loaded.reason, case.name
            continue
        assert isinstance(loaded, Article), (case.name, loaded)
        assert _unsafe_in(loaded) == [], case.name
        assert bool(loaded.warnings) is (case.expect is Expect.WARNED), (case.name, loaded.warnings)


def _article(root: Path, name: str) -> Article:
    loaded = load_article(root / f"{name}.md", root)
    assert isinstance(loaded, Article), loaded
    return loaded


def test_front_matter_attacks_keep_all_text_and_a_body_title(hostile: tuple[Path, tuple[Case, ...]]) -> None:
    root, _ = hostile
    expected_titles = {
        "deep_nesting": "Body of deep nesting.",
        "nesting_1000": "Body.",
        "deep_indent_nesting": "Body.",
        "alias_bomb": "The body of the alias bomb.",
        "huge_front_matter": "Body.",
        "malformed_yaml": "Body after bad YAML.",
    }
    for name, title in expected_titles.items():
        article = _article(root, name)
        original = (root / f"{name}.md").read_text(encoding="utf-8")
        assert article.text == original[: len(article.text)], name  # nothing dropped or altered
        assert (article.title, article.metadata) == (title, {}), name
        assert article.warnings[0].endswith("; shown as text"), name


def test_bom_front_matter_and_yaml_1_1_values(hostile: tuple[Path, tuple[Case, ...]]) -> None:
    root, _ = hostile
    assert _article(root, "utf8_bom_front_matter").title == "BOM title"
    assert _article(root, "yaml_1_1_values").metadata == {"country": "NO", "zip": "012345", "flag": "yes", "n": "1e3"}


def test_leading_rule_and_non_mapping_front_matter_are_body(hostile: tuple[Path, tuple[Case, ...]]) -> None:
    root, _ = hostile
    for name in ("leading_rule", "front_matter_list", "front_matter_scalar"):
        article = _article(root, name)
        assert article.text == (root / f"{name}.md").read_text(encoding="utf-8"), name
        assert not article.title.startswith("-"), name


def test_huge_and_long_files_are_capped(hostile: tuple[Path, tuple[Case, ...]]) -> None:
    root, _ = hostile
    issue = load_article(root / "huge.md", root)
    assert isinstance(issue, LoadIssue) and "over the 20 MB limit" in issue.reason
    long_text = _article(root, "long_text")
    assert long_text.truncated and len(long_text.text) <= 1_000_000


_NOT_UTF8_NAME = frozenset({"bad_bytes_name"})


@pytest.fixture
def synced(tmp_path: Path) -> Iterator[Library]:
    build(tmp_path)
    with Library(tmp_path) as library:
        library.sync()
        yield library


def test_a_file_name_that_is_not_utf8_can_be_indexed(tmp_path: Path) -> None:
    build(tmp_path, leave_out=frozenset(case.name for case in CASES) - _NOT_UTF8_NAME)
    with Library(tmp_path) as library:
        report = library.sync()
        assert report.articles == 1


def test_the_library_indexes_and_searches_the_hostile_folder(synced: Library) -> None:
    summaries = synced.summaries()
    assert len(summaries) >= 30
    for summary in summaries:
        assert not TERMINAL_UNSAFE.search(summary.title), summary.id
        assert not TERMINAL_UNSAFE.search(visible(summary.id)), summary.id
        assert isinstance(synced.article(summary.id), Article), summary.id
    result = synced.search("body")
    assert result.hits
    for hit in result.hits:
        assert not TERMINAL_UNSAFE.search(hit.snippet + hit.title), hit.id


def test_markup_words_are_searchable_as_plain_text(synced: Library) -> None:
    assert any(hit.id == "markup_title.md" for hit in synced.search("quit").hits)


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: permission bits do not stop root from reading")
def test_an_unreadable_file_is_skipped_and_the_rest_loads(tmp_path: Path) -> None:
    build(tmp_path, with_unreadable=True, leave_out=frozenset(case.name for case in CASES))
    (tmp_path / "readable.md").write_text("Readable\n\nBody.\n")
    corpus = load_corpus(tmp_path)
    assert [article.id for article in corpus.articles] == ["readable.md"]
    assert [(issue.path.name, issue.reason) for issue in corpus.skipped] == [
        (UNREADABLE.relative, "cannot be read (Permission denied)")
    ]
