"""Near-duplicate articles on literal texts: exact copy, copy with boilerplate, rewritten lead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.core.cross_article import CorpusAnalysis, analysis_record
from reader.core.cross_article.neardup import signature, similarity
from reader.core.loader import load_corpus

LEAD = (
    "The city council voted on Tuesday night to close the old harbour bridge to cars from the first "
    "of May, ending months of argument over the crumbling structure that links the two halves of town."
)
REWRITTEN_LEAD = (
    "Cars will be banned from the harbour bridge from May after councillors backed the closure in a "
    "late vote, settling a long fight about the ageing crossing between the east and west sides."
)
BODY = """Engineers told the council in January that the bridge deck had lost a third of its strength since the last inspection, and that heavy traffic was speeding up the damage to the steel beams underneath.

Shop owners on the east bank had argued that a closure would cut them off from customers, and a petition against it gathered more than four thousand names in three weeks before it was handed in.

The council leader said the decision had not been easy but that safety had to come first, and promised a free shuttle bus across the river for as long as the bridge stays closed to traffic.

Walkers and cyclists will still be allowed to cross, and the council hopes to choose a design for a replacement bridge by the end of the year, with building work starting the following spring."""
BOILERPLATE = """Share this article on Facebook, Twitter and WhatsApp and sign up to our free daily newsletter for more local news delivered to your inbox every morning.

Copyright 2024 Riverside Media Group. All rights reserved. This material may not be published, broadcast, rewritten or redistributed."""
UNRELATED = """A rare white stork has been spotted nesting on a church tower in the village for the first time in more than a century, delighting bird watchers who have travelled from across the country.

The pair arrived in early March and have been seen carrying sticks to the top of the tower, where volunteers put up a wooden platform two years ago in the hope of tempting them back.

Experts say the birds were wiped out in the region by hunting and the loss of wet meadows, and that a breeding pair would be a sign that restoration work on the flood plain is paying off."""

FILES = {
    "original.txt": ("2024-04-02", f"Harbour bridge to close\n\n{LEAD}\n\n{BODY}"),
    "exact.txt": ("2024-04-03", f"Harbour bridge to close\n\n{LEAD}\n\n{BODY}"),
    "boilerplate.txt": ("2024-04-03", f"Bridge closure approved\n\n{LEAD}\n\n{BODY}\n\n{BOILERPLATE}"),
    "rewritten.txt": ("2024-04-01", f"Council backs bridge ban\n\n{REWRITTEN_LEAD}\n\n{BODY}"),
    "unrelated.txt": ("2024-04-02", f"Storks return to village\n\n{UNRELATED}"),
}


@dataclass(frozen=True)
class NoExtraction:
    quotes: tuple[object, ...] = ()
    people: tuple[object, ...] = ()


def write_corpus(folder: Path, files: dict[str, tuple[str, str]]) -> Path:
    folder.mkdir()
    for name, (date, text) in files.items():
        (folder / name).write_text(f"---\ndate: {date}\n---\n{text}\n", encoding="utf-8")
    return folder


@pytest.fixture
def analysis(tmp_path: Path) -> CorpusAnalysis:
    corpus = load_corpus(write_corpus(tmp_path / "corpus", FILES))
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update(analysis_record(article, NoExtraction()) for article in corpus.articles)
    return store


def test_similarity_estimates_order_the_cases() -> None:
    original = signature(f"{LEAD}\n\n{BODY}")
    assert similarity(original, signature(f"{LEAD}\n\n{BODY}")) == 1.0
    assert similarity(original, signature(f"{LEAD}\n\n{BODY}\n\n{BOILERPLATE}")) >= 0.6
    assert similarity(original, signature(f"{REWRITTEN_LEAD}\n\n{BODY}")) >= 0.5
    assert similarity(original, signature(UNRELATED)) < 0.1


def test_a_stub_has_no_signature() -> None:
    assert signature("Breaking: more to follow.") == b""


def test_copies_form_one_group_and_the_unrelated_article_stays_out(analysis: CorpusAnalysis) -> None:
    (group,) = analysis.duplicates()
    assert set(group.article_ids) == {"original.txt", "exact.txt", "boilerplate.txt", "rewritten.txt"}
    assert analysis.duplicate_group_of("unrelated.txt") is None


def test_the_earliest_article_represents_the_group(analysis: CorpusAnalysis) -> None:
    group = analysis.duplicate_group_of("exact.txt")
    assert group is not None
    assert group.representative.article_id == "rewritten.txt"
    assert group.article_ids == ("rewritten.txt", "original.txt", "boilerplate.txt", "exact.txt")
    assert group.representative.similarity == 1.0
    assert all(0.5 <= member.similarity <= 1.0 for member in group.members)


def test_representatives_map_every_copy_to_the_earliest(analysis: CorpusAnalysis) -> None:
    assert analysis.duplicate_representatives() == {
        "original.txt": "rewritten.txt",
        "exact.txt": "rewritten.txt",
        "boilerplate.txt": "rewritten.txt",
        "rewritten.txt": "rewritten.txt",
    }


def test_removing_the_bridging_copies_keeps_the_rest_grouped(analysis: CorpusAnalysis) -> None:
    analysis.update([], removed_ids=["original.txt", "rewritten.txt"])
    (group,) = analysis.duplicates()
    assert group.article_ids == ("boilerplate.txt", "exact.txt")  # same day: file order
    analysis.update([], removed_ids=["exact.txt"])
    assert analysis.duplicates() == []
    assert analysis.duplicate_group_of("boilerplate.txt") is None


def test_a_changed_file_leaves_its_group(tmp_path: Path, analysis: CorpusAnalysis) -> None:
    changed = write_corpus(tmp_path / "changed", {"exact.txt": ("2024-04-03", f"Storks\n\n{UNRELATED}")})
    (article,) = load_corpus(changed).articles
    analysis.update([analysis_record(article, NoExtraction())])
    assert sorted(sorted(group.article_ids) for group in analysis.duplicates()) == [
        ["boilerplate.txt", "original.txt", "rewritten.txt"],
        ["exact.txt", "unrelated.txt"],  # it is now a copy of the stork story
    ]


def test_seeds_have_no_duplicates_though_three_share_a_quote(seeds: Path, tmp_path: Path) -> None:
    store = CorpusAnalysis(tmp_path / "across.sqlite3")
    store.update(analysis_record(article, NoExtraction()) for article in load_corpus(seeds).articles)
    assert store.duplicates() == []


def test_group_dates_survive_the_store(analysis: CorpusAnalysis) -> None:
    group = analysis.duplicate_group_of("original.txt")
    assert group is not None
    assert [member.date for member in group.members][:2] == [dt.date(2024, 4, 1), dt.date(2024, 4, 2)]
