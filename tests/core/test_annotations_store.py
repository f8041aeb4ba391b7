"""Highlights and notes in the user-data store: they follow the article like tags, are placed
again in the text as it is now, merge when they overlap, and never leave the store by accident."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.core.loader import load_article
from reader.core.models import Article
from reader.core.tags import Annotations, TagStore, place
from reader.core.tags.store import SCHEMA_VERSION

STORM = """Storm Floods the Harbour Town

Heavy rain overnight flooded the harbour town of Kellbridge, closing the coast road and leaving \
dozens of shops under water. Council workers spent the morning pumping out basements while \
volunteers handed out sandbags at the ferry terminal. The mayor said the new flood wall had held \
along most of the front but failed near the old fish market.

Forecasters expect more rain on Thursday, and the council has asked people living near the \
river to keep their sandbags in place until the weekend.
"""

COUNCIL = "Council workers spent the morning pumping out basements while volunteers handed out sandbags at the ferry terminal."


def write(path: Path, text: str) -> Article:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    article = load_article(path, path.parent)
    assert isinstance(article, Article)
    return article


def load(path: Path) -> Article:
    article = load_article(path, path.parent)
    assert isinstance(article, Article)
    return article


def span(article: Article, passage: str) -> tuple[int, int]:
    start = article.text.index(passage)
    return start, start + len(passage)


@pytest.fixture
def store() -> TagStore:
    with TagStore() as opened:
        yield opened


def test_a_highlight_with_a_note_is_still_there_after_reopening(tmp_path: Path) -> None:
    article = write(tmp_path / "storm.txt", STORM)
    with TagStore() as store:
        highlight = store.annotations.add_highlight(article, *span(article, COUNCIL), note="check the numbers")
        store.annotations.set_article_note(article, "Local angle for the flood piece.")
    with TagStore() as reopened:
        found = reopened.annotations.annotations_for(article)
    assert found.note == "Local angle for the flood piece."
    assert [(h.id, h.text, h.note) for h in found.highlights] == [(highlight.id, COUNCIL, "check the numbers")]
    assert len(highlight.id) == 12


def test_spaces_at_the_ends_of_a_selection_are_left_out(store: TagStore, tmp_path: Path) -> None:
    article = write(tmp_path / "storm.txt", STORM)
    start, end = span(article, COUNCIL)
    highlight = store.annotations.add_highlight(article, start - 1, end + 1)
    assert highlight.text == COUNCIL
    with pytest.raises(ValueError, match="empty"):
        store.annotations.add_highlight(article, start - 1, start)


def test_highlights_follow_a_rename_then_an_edit_elsewhere(store: TagStore, tmp_path: Path) -> None:
    article = write(tmp_path / "storm.txt", STORM)
    store.annotations.add_highlight(article, *span(article, COUNCIL), note="numbers")
    (tmp_path / "storm.txt").rename(tmp_path / "storm-2024.txt")
    assert len(store.annotations.annotations_for(load(tmp_path / "storm-2024.txt")).highlights) == 1
    edited = write(tmp_path / "storm-2024.txt", STORM.replace("Forecasters expect more rain", "Forecasters now expect rain"))
    [placed] = place(edited.text, store.annotations.annotations_for(edited))
    assert placed.exact and edited.text[placed.start : placed.end] == COUNCIL
    assert placed.highlight.note == "numbers"


def test_a_file_renamed_and_edited_at_once_is_found_by_its_sketch(store: TagStore, tmp_path: Path) -> None:
    article = write(tmp_path / "storm.txt", STORM)
    other = write(tmp_path / "other.txt", "Other news\n\nThe bakery on the corner closed for good on Friday.")
    store.annotations.add_highlight(article, *span(article, COUNCIL), note="numbers")
    (tmp_path / "storm.txt").unlink()
    moved = write(tmp_path / "archive" / "storm-2024.txt", STORM.replace("Forecasters expect", "Forecasters now expect"))
    assert store.annotations.annotations_for(moved) == Annotations()  # neither its path nor its text is known
    assert store.follow_edited_moves([tmp_path / "storm.txt"], [other, moved]) == [moved]
    [placed] = place(moved.text, store.annotations.annotations_for(moved))
    assert placed.exact and placed.highlight.note == "numbers"
    assert store.follow_edited_moves([tmp_path / "storm.txt"], [other]) == []  # taken once only


def test_an_edit_inside_the_passage_re_attaches_it_and_a_rewrite_orphans_it(store: TagStore, tmp_path: Path) -> None:
    article = write(tmp_path / "storm.txt", STORM)
    store.annotations.add_highlight(article, *span(article, COUNCIL))
    edited = write(tmp_path / "storm.txt", STORM.replace("spent the morning", "spent all morning"))
    [placed] = place(edited.text, store.annotations.annotations_for(edited))
    assert not placed.orphaned and not placed.exact
    assert edited.text[placed.start : placed.end] == COUNCIL.replace("the morning", "all morning")
    rewritten = write(tmp_path / "storm.txt", STORM.replace(COUNCIL, "Nobody was out in the streets that night."))
    [placed] = place(rewritten.text, store.annotations.annotations_for(rewritten))
    assert placed.orphaned and placed.highlight.text == COUNCIL  # kept, never dropped


def test_an_identical_copy_is_another_article_without_the_highlights(store: TagStore, tmp_path: Path) -> None:
    article = write(tmp_path / "storm.txt", STORM)
    copy = write(tmp_path / "storm-copy.txt", STORM)
    store.annotations.add_highlight(article, *span(article, COUNCIL))
    assert store.annotations.annotations_for(copy) == Annotations()
    assert len(store.annotations.annotations_for(article).highlights) == 1


def test_overlapping_highlights_merge_keeping_the_older_id_and_every_note(store: TagStore, tmp_path: Path) -> None:
    article = write(tmp_path / "storm.txt", STORM)
    first = store.annotations.add_highlight(article, *span(article, "Council workers spent the morning"), note="one")
    merged = store.annotations.add_highlight(article, *span(article, "the morning pumping out basements"), note="two")
    apart = store.annotations.add_highlight(article, *span(article, "Forecasters expect more rain"))
    found = store.annotations.annotations_for(article).highlights
    assert [h.id for h in found] == [first.id, apart.id] and merged.id == first.id
    assert found[0].text == "Council workers spent the morning pumping out basements"
    assert found[0].note == "one\n\ntwo"


def test_notes_can_be_changed_and_taken_off(store: TagStore, tmp_path: Path) -> None:
    article = write(tmp_path / "storm.txt", STORM)
    highlight = store.annotations.add_highlight(article, *span(article, COUNCIL))
    assert store.annotations.set_highlight_note(highlight.id, "  line one\r\nline two  \n\n").note == "  line one\nline two"
    assert store.annotations.annotations_for(article).notes == ("  line one\nline two",)
    store.annotations.set_highlight_note(highlight.id, "")
    assert store.annotations.annotations_for(article).notes == ()
    with pytest.raises(KeyError):
        store.annotations.set_highlight_note("000000000000", "x")


def test_an_article_is_forgotten_only_when_it_carries_nothing(store: TagStore, tmp_path: Path) -> None:
    article = write(tmp_path / "storm.txt", STORM)
    highlight = store.annotations.add_highlight(article, *span(article, COUNCIL))
    store.add([article], ["weather"])
    store.remove([article], ["weather"])  # the highlight keeps the article
    assert len(store.annotations.annotations_for(article).highlights) == 1
    store.add([article], ["weather"])
    assert store.annotations.remove_highlights([highlight.id]) == 1
    assert store.tags_for(article) == ("weather",)  # the tag keeps it
    store.remove([article], ["weather"])
    store.annotations.set_article_note(article, "a note alone")
    store.annotations.set_article_note(article, "")
    with sqlite3.connect(store.path) as check:
        assert check.execute("SELECT count(*) FROM articles").fetchone() == (0,)
        assert check.execute("SELECT count(*) FROM annotated").fetchone() == (0,)


def test_highlights_are_found_by_a_short_id(store: TagStore, tmp_path: Path) -> None:
    article = write(tmp_path / "storm.txt", STORM)
    highlight = store.annotations.add_highlight(article, *span(article, COUNCIL))
    assert store.annotations.find(highlight.id[:4].upper()) == [(str(article.path), highlight)]
    assert store.annotations.find("") == []


def test_every_change_moves_the_generation(store: TagStore, tmp_path: Path) -> None:
    article = write(tmp_path / "storm.txt", STORM)
    seen = [store.generation()]
    highlight = store.annotations.add_highlight(article, *span(article, COUNCIL))
    seen.append(store.generation())
    store.annotations.set_highlight_note(highlight.id, "n")
    seen.append(store.generation())
    store.annotations.set_article_note(article, "n")
    seen.append(store.generation())
    store.annotations.remove_highlights([highlight.id])
    seen.append(store.generation())
    assert seen == sorted(set(seen))


def test_tags_and_annotations_come_in_one_look_up(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "storm.txt", STORM)
    other = write(tmp_path / "other.txt", "Other news\n\nNothing happened today. Really nothing.")
    store.add([storm], ["weather"])
    store.annotations.set_article_note(other, "why keep this?")
    found = store.user_data_for_many([storm, other])
    assert found[storm.path].tags == ("weather",) and not found[storm.path].annotations
    assert found[other.path].tags == () and found[other.path].annotations.note == "why keep this?"
    assert found[other.path].annotations.digest != ""


def test_a_store_of_version_2_gets_the_new_tables_and_keeps_its_tags(tmp_path: Path) -> None:
    article = write(tmp_path / "storm.txt", STORM)
    path = tmp_path / "v2.sqlite3"
    with TagStore(path) as store:
        store.add([article], ["weather"])
    with sqlite3.connect(path) as old:
        old.execute("DROP TABLE highlights")
        old.execute("DROP TABLE annotated")
        old.executescript("DROP TABLE saved_search_openings; DROP TABLE saved_searches;")
        old.execute("PRAGMA user_version = 2")
    with TagStore(path) as migrated:
        assert migrated.tags_for(article) == ("weather",)
        migrated.annotations.add_highlight(article, *span(article, COUNCIL))
        assert len(migrated.annotations.annotations_for(article).highlights) == 1
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
