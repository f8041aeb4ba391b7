"""Saved searches in the user-data store: names, replacing, renaming, what each found when opened,
the schema upgrade from a store that only had tags, and counts on a folder."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.library import Library
from reader.core.paths import corpus_key
from reader.core.tags import TagStore
from reader.core.tags.saved_searches import (
    MAX_NAME_LENGTH,
    SavedSearches,
    SavedSearchError,
    normalise_name,
    pack_ids,
    unpack_ids,
)
from reader.core.tags.store import SCHEMA_VERSION


@pytest.fixture
def store(tmp_path: Path) -> TagStore:
    with TagStore(tmp_path / "user.sqlite3") as opened:
        yield opened


def test_saved_searches_are_listed_by_name_and_found_ignoring_case(store: TagStore) -> None:
    saved = SavedSearches(store, "corpus-a")
    saved.save("kanye", "kanye -divorce")
    saved.save("  Apple   pie ", "title:apple")
    assert [(search.name, search.query) for search in saved.all()] == [
        ("Apple pie", "title:apple"),
        ("kanye", "kanye -divorce"),
    ]
    found = saved.get("KANYE")
    assert found is not None and found.query == "kanye -divorce"
    assert found.seen is None and found.new_among(["a.txt"]) is None  # never opened here


def test_what_a_search_listed_when_opened_is_kept_per_folder(store: TagStore) -> None:
    here, there = SavedSearches(store, "corpus-a"), SavedSearches(store, "corpus-b")
    here.save("storms", "storm", seen=["a.txt", "b.txt"])
    assert here.get("storms").new_among(["a.txt", "b.txt", "c.txt"]) == {"c.txt"}  # type: ignore[union-attr]
    assert there.get("storms").seen is None  # type: ignore[union-attr]
    assert there.mark_opened("storms", ["x.txt"])
    assert there.get("storms").new_among(["x.txt", "y.txt"]) == {"y.txt"}  # type: ignore[union-attr]
    assert here.mark_opened("Storms", ["a.txt", "b.txt", "c.txt"])
    assert here.get("storms").new_among(["a.txt", "b.txt", "c.txt"]) == frozenset()  # type: ignore[union-attr]
    assert not here.mark_opened("gone", ["a.txt"])


def test_saving_again_replaces_and_a_new_query_forgets_what_the_old_one_found(store: TagStore) -> None:
    saved = SavedSearches(store, "corpus-a")
    saved.save("news", "storm", seen=["a.txt"])
    saved.save("NEWS", "storm")  # the same query in another case of the name: kept, respelt
    again = saved.get("news")
    assert again is not None and again.name == "NEWS" and again.seen == {"a.txt"}
    saved.save("news", "flood")
    assert saved.get("news").seen is None  # type: ignore[union-attr]
    with pytest.raises(SavedSearchError, match="already a saved search named news"):
        saved.save("news", "rain", replace=False)
    assert saved.get("news").query == "flood"  # type: ignore[union-attr]


def test_rename_keeps_what_it_found_and_refuses_a_name_in_use(store: TagStore) -> None:
    saved = SavedSearches(store, "corpus-a")
    saved.save("storms", "storm", seen=["a.txt"])
    saved.save("floods", "flood")
    renamed = saved.rename("storms", "Weather")
    assert (renamed.name, renamed.query, renamed.seen) == ("Weather", "storm", frozenset({"a.txt"}))
    assert saved.get("storms") is None
    assert saved.rename("weather", "WEATHER").name == "WEATHER"  # another case of its own name
    with pytest.raises(SavedSearchError, match="already a saved search named floods"):
        saved.rename("weather", "Floods")
    with pytest.raises(SavedSearchError, match="no saved search is named nothing"):
        saved.rename("nothing", "something")


def test_remove_forgets_the_search_and_what_it_found_everywhere(store: TagStore, tmp_path: Path) -> None:
    SavedSearches(store, "corpus-a").save("storms", "storm", seen=["a.txt"])
    SavedSearches(store, "corpus-b").mark_opened("storms", ["b.txt"])
    assert SavedSearches(store).remove("STORMS")
    assert not SavedSearches(store).remove("storms")
    with sqlite3.connect(tmp_path / "user.sqlite3") as check:
        assert check.execute("SELECT count(*) FROM saved_search_openings").fetchone() == (0,)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("x" * (MAX_NAME_LENGTH + 1), "at most 80 characters"),
        ("bad\x1b]0;title\x07name", "cannot hold control characters"),
        ("right\u202eleft", "cannot hold control characters"),
    ],
)
def test_a_bad_name_is_refused_with_one_line(store: TagStore, name: str, message: str) -> None:
    with pytest.raises(SavedSearchError, match=message):
        SavedSearches(store).save(name, "storm")


def test_an_empty_or_overlong_query_is_refused(store: TagStore) -> None:
    with pytest.raises(SavedSearchError, match="no query"):
        SavedSearches(store).save("empty", "   ")
    with pytest.raises(SavedSearchError, match="too long"):
        SavedSearches(store).save("long", "storm " * 300)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_name_is_either_refused_or_saved_and_found_as_written(name: str) -> None:
    try:
        cleaned = normalise_name(name)
    except SavedSearchError:
        return
    assert cleaned == " ".join(cleaned.split()) and 0 < len(cleaned) <= MAX_NAME_LENGTH
    assert normalise_name(cleaned) == cleaned


@settings(max_examples=200, deadline=None)
@given(st.frozensets(st.text(max_size=40)))
def test_the_ids_a_search_found_survive_packing(ids: frozenset[str]) -> None:
    assert unpack_ids(pack_ids(ids)) == ids  # newlines, quotes, any character in a file name


def test_a_store_with_only_tags_is_upgraded_and_keeps_them(tmp_path: Path, seeds: Path) -> None:
    path = tmp_path / "user.sqlite3"
    with TagStore(path) as store:
        article = Library(seeds).article("001_b1f3a68a7abbe948.txt")
        store.add([article], ["kept"])  # type: ignore[list-item]
    with sqlite3.connect(path) as downgrade:  # what version 3 had: tags and highlights, no saved searches
        downgrade.executescript(
            "DROP TABLE saved_search_openings; DROP TABLE saved_searches; PRAGMA user_version = 3;"
        )
    with TagStore(path) as store:
        assert store.all_tags() == [("kept", 1)]
        SavedSearches(store, "x").save("storms", "storm")
        assert [search.name for search in SavedSearches(store).all()] == ["storms"]
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_statuses_count_the_folder_and_what_is_new_since_last_opened(tmp_path: Path, seeds: Path) -> None:
    corpus = Path(shutil.copytree(seeds, tmp_path / "corpus"))
    with Library(corpus) as library:
        library.sync()
        ids = library.matching_ids("kanye")
        assert len(ids) == 5
        library.saved_searches().save("kanye", "kanye", seen=ids)
        library.saved_searches().save("never here", "kim")
        SavedSearches(library._required_tags(), "elsewhere").save("broken", "title:(")
        (corpus / "tour.md").write_text("---\ntitle: Kanye tours\n---\n\nKanye West tours Europe.\n")
        library.sync()
        statuses = {status.search.name: status for status in library.saved_search_statuses()}
    assert (statuses["kanye"].count, statuses["kanye"].new) == (6, 1)
    assert statuses["never here"].count == 5 and statuses["never here"].new is None
    assert statuses["broken"].count is None and statuses["broken"].error is not None
    assert library.saved_searches().corpus == corpus_key(corpus)
