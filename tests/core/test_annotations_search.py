"""``note:`` and ``highlight:`` find what the user wrote right after it was written, the list knows
which articles carry highlights and notes, and changes made elsewhere reach the index at the
next sync (as tags do)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.core.library import Library
from reader.core.models import Article
from reader.core.tags import TagStore, place

PATIENT = "000_f0edc72787384ae1.txt"
SWIFT = "003_72929514e6e39e36.txt"


@pytest.fixture
def corpus(seeds: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(seeds, tmp_path / "corpus"))


@pytest.fixture
def library(corpus: Path) -> Library:
    opened = Library(corpus)
    opened.sync()
    yield opened
    opened.close()


def passage(library: Library, article_id: str, words: str) -> tuple[int, int]:
    article = library.article(article_id)
    assert isinstance(article, Article)
    start = article.text.index(words)
    return start, start + len(words)


def ids(library: Library, query: str) -> list[str]:
    return [hit.id for hit in library.search(query).hits]


def test_a_highlight_and_its_note_are_searchable_at_once(library: Library) -> None:
    start, end = passage(library, SWIFT, "Taylor Swift")
    highlight = library.add_highlight(SWIFT, start, end, note="Check the tour dates with the label")
    assert ids(library, "highlight:swift") == [SWIFT]
    assert ids(library, 'note:"tour dates"') == [SWIFT]
    assert ids(library, "note:dated") == [SWIFT]  # notes are stemmed like the text
    assert SWIFT in ids(library, "label")  # plain words find notes too
    library.set_highlight_note(SWIFT, highlight.id, "")
    assert ids(library, "note:tour") == []
    assert ids(library, "highlight:swift") == [SWIFT]
    library.remove_highlight(SWIFT, highlight.id)
    assert ids(library, "highlight:swift") == []


def test_an_article_note_is_searchable_and_the_list_counts_it(library: Library) -> None:
    library.set_article_note(PATIENT, "Follow up: marriage counselling angle")
    start, end = passage(library, PATIENT, "Kim Kardashian")
    library.add_highlight(PATIENT, start, end)
    assert ids(library, "note:counselling") == [PATIENT]
    summary = {row.id: row for row in library.summaries()}[PATIENT]
    assert (summary.highlights, summary.notes) == (1, 1)
    assert library.annotations_of(PATIENT).note == "Follow up: marriage counselling angle"
    library.set_article_note(PATIENT, "")
    assert ids(library, "note:counselling") == []


def test_a_change_from_another_process_reaches_the_index_at_the_next_sync(library: Library, corpus: Path) -> None:
    article = library.article(SWIFT)
    assert isinstance(article, Article)
    with TagStore() as elsewhere:  # as `reader highlight add` does
        elsewhere.annotations.set_article_note(article, "written from the command line")
    assert ids(library, "note:command") == []
    report = library.sync()
    assert report.retagged == 1
    assert ids(library, "note:command") == [SWIFT]


def test_a_file_renamed_and_edited_between_two_syncs_keeps_its_highlight(library: Library, corpus: Path) -> None:
    start, end = passage(library, SWIFT, "Taylor Swift")
    library.add_highlight(SWIFT, start, end, note="keep me")
    old = corpus / SWIFT
    text = old.read_text(encoding="utf-8")
    old.unlink()
    paragraphs = text.split("\n\n")
    paragraphs[-1] = paragraphs[-1] + " A sentence added by an editor later."
    (corpus / "renamed" / "swift.txt").parent.mkdir()
    (corpus / "renamed" / "swift.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    library.sync()
    assert ids(library, 'note:"keep me"') == ["renamed/swift.txt"]
    article = library.article("renamed/swift.txt")
    assert isinstance(article, Article)
    [placed] = place(article.text, library.annotations_of("renamed/swift.txt"))
    assert placed.exact and article.text[placed.start : placed.end] == "Taylor Swift"


def test_highlighting_an_article_that_is_not_indexed_is_refused(library: Library) -> None:
    with pytest.raises(KeyError):
        library.add_highlight("nope.txt", 0, 5)


def test_has_finds_the_articles_the_user_keeps_something_on(library: Library) -> None:
    start, end = passage(library, SWIFT, "Taylor Swift")
    library.add_highlight(SWIFT, start, end)
    library.set_article_note(PATIENT, "a note")
    library.add_tags(["001_b1f3a68a7abbe948.txt"], ["kept"])
    assert ids(library, "has:highlight") == [SWIFT]
    assert ids(library, "has:notes") == [PATIENT]
    assert ids(library, "has:tag") == ["001_b1f3a68a7abbe948.txt"]
    assert sorted(ids(library, "has:highlight OR has:note")) == sorted([SWIFT, PATIENT])


def test_a_highlight_made_on_an_older_text_lands_on_the_passage_in_the_file_now(library: Library, corpus: Path) -> None:
    seen = library.article(SWIFT)
    assert isinstance(seen, Article)
    start, end = passage(library, SWIFT, "Taylor Swift")
    (corpus / SWIFT).write_text("An editor's new first line.\n\n" + seen.text, encoding="utf-8")
    highlight = library.add_highlight(SWIFT, start, end, seen_text=seen.text)
    assert highlight.text == "Taylor Swift" and highlight.start > start
    (corpus / SWIFT).write_text("Nothing left of it.", encoding="utf-8")
    with pytest.raises(ValueError, match="no longer in it"):
        library.add_highlight(SWIFT, start, end, seen_text=seen.text)
