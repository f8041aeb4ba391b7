"""Highlights and notes exported and imported: JSON round trips exactly, Markdown reads well."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.loader import load_article
from reader.core.models import Article
from reader.core.tags import AnnotatedArticle, Highlight, TagStore, TextQuote
from reader.core.tags.annotation_exchange import dump, import_text, markdown, parse
from reader.core.tags.annotation_values import clean_note
from reader.core.tags.exchange import ExchangeError

STORM = """---
title: Storm floods the harbour town
outlet: The Kellbridge Post
date: 2024-03-02
---
Heavy rain overnight flooded the harbour town of Kellbridge. Council workers spent the morning \
pumping out basements. The mayor said the “new flood wall” had held.

Forecasters expect more rain on Thursday.
"""


def write(path: Path, text: str) -> Article:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    article = load_article(path, path.parent)
    assert isinstance(article, Article)
    return article


def span(article: Article, passage: str) -> tuple[int, int]:
    start = article.text.index(passage)
    return start, start + len(passage)


def annotated_store(path: Path, corpus: Path) -> TagStore:
    store = TagStore(path)
    article = write(corpus / "storm.txt", STORM)
    store.annotations.add_highlight(article, *span(article, "Council workers spent the morning"), note="Who paid?\n\n- overtime")
    store.annotations.add_highlight(article, *span(article, "the “new flood wall” had held."))
    store.annotations.set_article_note(article, "Local angle.")
    store.add([article], ["weather"])
    edited = write(corpus / "storm.txt", STORM.replace("Thursday", "Friday"))  # an earlier text: an alias
    store.annotations.annotations_for(edited)
    other = write(corpus / "sub" / "other.txt", "Bakery closes\n\nThe bakery on the corner closed on Friday.")
    store.annotations.set_article_note(other, "=SUM(A1) is text, not a formula")
    return store


def test_export_then_import_elsewhere_gives_back_the_same_export(tmp_path: Path) -> None:
    with annotated_store(tmp_path / "a.sqlite3", tmp_path / "corpus") as first:
        exported = dump(first.annotations.export_articles(), "json")
    with TagStore(tmp_path / "b.sqlite3") as second:
        report = import_text(second.annotations, exported)
        again = dump(second.annotations.export_articles(), "json")
    assert (report.added, report.unchanged, report.skipped) == (4, 0, ())
    assert again == exported
    document = json.loads(exported)
    assert [len(item["highlights"]) for item in document["articles"]] == [2, 0]
    assert document["articles"][0]["aliases"] and document["articles"][0]["sketch"]
    selector = document["articles"][0]["highlights"][0]["target"]["selector"]
    assert [item["type"] for item in selector] == ["TextQuoteSelector", "TextPositionSelector"]


def test_importing_twice_adds_nothing_the_second_time(tmp_path: Path) -> None:
    with annotated_store(tmp_path / "a.sqlite3", tmp_path / "corpus") as store:
        exported = dump(store.annotations.export_articles(), "json")
        report = import_text(store.annotations, exported)
        assert (report.added, report.unchanged) == (0, 4)
        assert dump(store.annotations.export_articles(), "json") == exported


def test_a_newer_note_in_an_import_wins_and_an_older_one_does_not(tmp_path: Path) -> None:
    with annotated_store(tmp_path / "a.sqlite3", tmp_path / "corpus") as store:
        document = json.loads(dump(store.annotations.export_articles(), "json"))
        highlight = document["articles"][0]["highlights"][0]
        highlight["note"], highlight["modified"] = "newer", "2999-01-01T00:00:00+00:00"
        document["articles"][0]["note"], document["articles"][0]["note_updated"] = "older", "2000-01-01T00:00:00+00:00"
        import_text(store.annotations, json.dumps(document))
        [storm, _] = store.annotations.export_articles()
    assert storm.highlights[0].note == "newer"
    assert storm.note == "Local angle."


def test_entries_that_cannot_be_used_are_reported_with_why(tmp_path: Path) -> None:
    good = {"id": "abc123", "target": {"selector": [{"type": "TextQuoteSelector", "exact": "Council"}]}}
    document = {
        "reader_highlights": 1,
        "articles": [
            {"fingerprint": "f" * 64, "highlights": [good, {"id": "x", "target": {}}, "nope"]},
            {"fingerprint": "not hex"},
            [],
            {"fingerprint": "e" * 64, "highlights": [{"id": "bad id!", "target": good["target"]}]},
            {"fingerprint": "d" * 64, "note": 5},
        ],
    }
    articles, skipped = parse(json.dumps(document))
    assert [len(article.highlights) for article in articles] == [1, 0]
    assert [str(row) for row in skipped] == [
        "article 1, highlight 2: no target selectors",
        "article 1, highlight 3: not a JSON object",
        "article 2: fingerprint is not 64 hexadecimal digits",
        "article 3: not a JSON object",
        "article 4, highlight 1: id is missing or not letters and digits",
        "article 5: note is not text",
    ]
    with TagStore(tmp_path / "s.sqlite3") as store:
        assert import_text(store.annotations, json.dumps(document)).added == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("# Highlights\n\n## A title", "import the JSON one"),
        ("{not json", "not valid JSON"),
        ('{"reader_tags": 1, "rows": []}', "not a highlights export"),
        ('{"reader_highlights": 1}', "no 'articles' list"),
        ("tag,path\nx,y", "not a JSON highlights export"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_whole(text: str, message: str) -> None:
    with pytest.raises(ExchangeError, match=message):
        parse(text)


def test_markdown_groups_highlights_by_article_as_block_quotes_with_their_notes() -> None:
    article = AnnotatedArticle(
        fingerprint="f" * 64,
        path="/news/storm.txt",
        title="Storm floods\nthe town",
        date="2024-03-02",
        outlet="The Kellbridge Post",
        note="Local angle.",
        highlights=(
            Highlight("a1", TextQuote("Council workers\nspent the morning"), 0, 10, note="Who paid?"),
            Highlight("a2", TextQuote("The wall held."), 20, 30),
        ),
    )
    assert markdown([article]) == (
        "# Highlights\n\n"
        "## Storm floods the town\n\n"
        "- File: /news/storm.txt\n- Date: 2024-03-02\n- Outlet: The Kellbridge Post\n\n"
        "Local angle.\n\n"
        "> Council workers\n> spent the morning\n\n"
        "Who paid?\n\n"
        "> The wall held.\n"
    )
    assert markdown([]) == "# Highlights\n\n"


# -- any valid export survives dump and parse ---------------------------------------------------------

_hex64 = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
_moments = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)).map(
    lambda moment: moment.replace(tzinfo=dt.UTC, microsecond=0).isoformat(timespec="seconds")
)
_notes = st.text(max_size=80).map(clean_note)
_highlights = st.builds(
    Highlight,
    id=st.text(alphabet="0123456789abcdef", min_size=12, max_size=12),
    quote=st.builds(TextQuote, st.text(min_size=1, max_size=60).filter(str.strip), st.text(max_size=32), st.text(max_size=32)),
    start=st.integers(0, 10_000),
    end=st.just(10_001),
    note=_notes,
    created=_moments,
    updated=_moments,
)
_articles = st.builds(
    AnnotatedArticle,
    fingerprint=_hex64,
    path=st.text(max_size=40).filter(lambda text: "\x00" not in text),
    sketch=st.none() | st.integers(0, 2**64 - 1),
    aliases=st.lists(_hex64, max_size=2).map(tuple),
    title=st.text(max_size=40),
    date=st.text(max_size=12),
    outlet=st.text(max_size=20),
    note=_notes,
    note_updated=_moments,
    highlights=st.lists(_highlights, max_size=3).map(tuple),
)


@given(st.lists(_articles, max_size=4))
def test_any_valid_export_survives_dump_and_parse(articles: list[AnnotatedArticle]) -> None:
    parsed, skipped = parse(dump(articles, "json"))
    assert skipped == []
    assert parsed == articles


def test_no_control_character_reaches_an_export(tmp_path: Path) -> None:
    hostile = "\x1b]0;PWNED\x07 \u202e \x9b2J"
    article = AnnotatedArticle(
        fingerprint="f" * 64,
        path=f"/news/\udcff{hostile}.txt",
        title=hostile,
        outlet=hostile,
        note=hostile,
        highlights=(Highlight("a1", TextQuote(hostile), 0, 10, note=clean_note(hostile)),),
    )
    unsafe = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]] + ["\u202e", "\udcff"]
    for export_format in ("md", "json"):
        text = dump([article], export_format)
        assert not [char for char in unsafe if char in text], export_format
    [back], _ = parse(dump([article], "json"))
    assert back.path == article.path and back.title == hostile  # escaped, not lost
    assert "\x1b" not in clean_note(hostile)
