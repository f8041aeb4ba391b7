"""The shortcuts search takes on a large folder must never change what is found.

Each shortcut is forced here on a small index and held to Whoosh's own ranking or to the full
evaluation: the best few with early termination (phrases settled best first, MaxScore for a
prefix of many words, title first), postings decoded without their positions, term lists read
from the raw table, typos expanded from memory, the cache of common words, and the count that
turns into an estimate ("about N") only past its budget.
"""

from __future__ import annotations

import heapq
import itertools
import pickle
import random
import zlib
from array import array
from collections.abc import Callable, Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import segmented_library
from whoosh.query import AndNot

from reader.core.index import (
    block_directory,
    compiler,
    expansions,
    in_place,
    maxscore,
    merging,
    postings,
    ranking,
    segment,
    term_table,
)
from reader.core.index.compiler import QueryCompiler
from reader.core.index.expansions import Expansions
from reader.core.index.highlight import match_spans, snippet
from reader.core.index.query import Word, parse, prefix_ahead
from reader.core.index.ranking import best_matches
from reader.core.index.schema import HAS_FIELD, NAME_FIELDS, TAG_FIELD, TEXT_FIELDS
from reader.core.index.segment import SearchCache
from reader.core.index.terms import term_spans, text_term
from reader.core.library import Library

# A prefix with words from very common to rare, as a large folder's vocabulary is.
_COMMON = ["zorab", "zorbin", "zorcal"]
_RARE = [f"zor{chr(100 + n)}{chr(100 + m)}an" for n in range(5) for m in range(5)]
_FILLER = [
    "river", "bridge", "orchard", "apple", "comet", "minister",
    "market", "striker", "goal", "court", "verdict", "harvest",
]


def _article(rng: random.Random, number: int) -> str:
    words = [rng.choice(_FILLER) for _ in range(rng.randint(20, 90))]
    if rng.random() < 0.9:
        words.insert(rng.randrange(len(words)), "zorab")
    if rng.random() < 0.4:
        words.insert(rng.randrange(len(words)), "zorbin")
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), "zorcal")
    for rare in rng.sample(_RARE, rng.choice([0, 0, 0, 1, 2])):
        words.insert(rng.randrange(len(words)), rare)
    title = " ".join([rng.choice(_FILLER).title(), *([rng.choice(_RARE)] if number % 11 == 0 else [])])
    return f"---\ntitle: {title}\ndate: 2021-0{1 + number % 9}-1{number % 9}\n---\n\n{' '.join(words)}.\n"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    rng = random.Random(3)
    texts = [_article(rng, number) for number in range(400)]
    opened = segmented_library(tmp_path_factory.mktemp("paths"), texts, 9, "\nA zorab correction about the river.\n")
    yield opened
    opened.close()


def _compiled(library: Library, query: str) -> tuple[object, object]:
    searcher = library._index()._current()
    return searcher, QueryCompiler(searcher.reader(), Expansions()).compile(parse(query))


def _whooshbest_matches(searcher: object, compiled: object, limit: int) -> list[tuple[float, int]]:
    found = dict(searcher.search(compiled, limit=None).items())  # type: ignore[attr-defined]
    if isinstance(compiled, AndNot):
        # Whoosh's AndNotMatcher lets through a segment's first match when the excluded part
        # starts on an earlier document (its _find_first compares ids without skipping the
        # excluded part ahead): the kept part's matches minus the excluded part's are the truth.
        excluded = searcher.search(compiled.b, limit=None).docs()  # type: ignore[attr-defined]
        found = {docnum: score for docnum, score in found.items() if docnum not in excluded}
    return sorted(((score, docnum) for docnum, score in found.items()), key=lambda pair: (-pair[0], pair[1]))[:limit]


QUERIES = ["zor*", "zorbn~2", "zorcla~", "zorab", "zorbin zorab", '"river bridge"', '"zorab river"', "zor* -river", "title:zor*"]


@pytest.mark.parametrize("limit", [1, 3, 10])
@pytest.mark.parametrize("query", QUERIES)
def test_the_best_few_are_whooshs_best_few(library: Library, query: str, limit: int) -> None:
    searcher, compiled = _compiled(library, query)
    expected = _whooshbest_matches(searcher, compiled, limit)
    ranked, total, _ = best_matches(searcher, compiled, limit)
    assert expected, "a query that matches nothing proves little"
    assert [docnum for _, docnum in ranked] == [docnum for _, docnum in expected]
    for (score, _), (whoosh_score, _) in zip(ranked, expected):
        assert score == pytest.approx(whoosh_score, rel=1e-9)
    assert total >= len(ranked)


def test_a_prefix_of_common_words_scores_few_and_counts_exactly(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    scored: list[int] = []
    original = maxscore._Held.scored

    def spy(held: maxscore._Held, found: segment.Segment, docs: Iterable[int]) -> dict[int, float]:
        docs = list(docs)
        scored.extend(docs)
        return original(held, found, docs)

    monkeypatch.setattr(maxscore._Held, "scored", spy)
    searcher, compiled = _compiled(library, "zor*")
    ranked, total, estimated = best_matches(searcher, compiled, 3)
    pruned = len(scored)
    full, exact_total, full_estimated = best_matches(searcher, compiled, 10_000)
    assert ranked == full[:3]
    assert not estimated and not full_estimated and total == exact_total == len(full)
    assert pruned < len(full) / 2, "only the documents whose bound reaches the bar should be scored"


@pytest.mark.parametrize(("common_share", "short_lists"), [(0.0, 0.0), (0.5, 0.0), (1.0, 0.0), (0.15, 100.0)])
@pytest.mark.parametrize("query", ["zor*", "zorbn~2"])
def test_the_best_few_of_many_terms_do_not_depend_on_the_common_share(
    library: Library, monkeypatch: pytest.MonkeyPatch, common_share: float, short_lists: float, query: str
) -> None:
    monkeypatch.setattr(maxscore, "COMMON_SHARE", common_share)  # 1.0: every term taken as held
    monkeypatch.setattr(maxscore, "SHORT_LISTS", short_lists)  # 0: always bounded; 100: always read in full
    searcher, compiled = _compiled(library, query)
    full, exact_total, _ = best_matches(searcher, compiled, 10_000)
    for limit in (1, 3, 10):
        assert best_matches(searcher, compiled, limit) == (full[:limit], exact_total, False)


def test_a_prefixs_title_scores_are_those_of_every_term_to_the_bit(library: Library) -> None:
    searcher, compiled = _compiled(library, "zor*")
    title = compiled.b  # type: ignore[attr-defined]
    deleted = 0
    for sub, _ in searcher.leaf_searchers():  # type: ignore[attr-defined]
        found = segment.Segment(sub)
        totals = maxscore.term_totals(found, title)
        assert totals == maxscore.every_term(segment.Segment(sub), title, None).scores
        assert not found.deleted.intersection(totals)
        deleted += len(found.deleted)
    assert deleted, "the segments should hold deleted documents"


def _ranked_with(monkeypatch: pytest.MonkeyPatch) -> list[float | None]:
    """The bars ``best_matches`` ranks the segments with, one per ranking of them all."""
    floors: list[float | None] = []
    original = ranking._ranked

    def spy(*arguments: object) -> ranking._Ranking:
        floors.append(arguments[4])  # type: ignore[arg-type]
        return original(*arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(ranking, "_ranked", spy)
    return floors


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_a_prefix_is_ranked_under_a_bar_from_the_best_title_scores(
    library: Library, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    searcher, compiled = _compiled(library, "zor*")
    full, exact_total, _ = best_matches(searcher, compiled, 10_000)
    floors = _ranked_with(monkeypatch)
    assert best_matches(searcher, compiled, limit) == (full[:limit], exact_total, False)
    assert floors[0] is not None and floors[0] > 0.0
    assert floors[-1] is None or full[limit - 1][0] >= floors[-1]  # (a bar none of the best few missed)


def test_a_bar_the_best_few_do_not_reach_is_dropped_and_the_search_run_again(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    searcher, compiled = _compiled(library, "zor*")
    full, exact_total, _ = best_matches(searcher, compiled, 10_000)
    monkeypatch.setattr(ranking, "_optional_floor", lambda optional, limit: full[0][0] * 2)  # above every score
    floors = _ranked_with(monkeypatch)
    assert best_matches(searcher, compiled, 3) == (full[:3], exact_total, False)
    assert floors == [full[0][0] * 2, None]


def test_the_count_is_exact_within_its_budget_and_about_past_it(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    searcher, compiled = _compiled(library, '"zorab river"')
    ranked, exact, estimated = best_matches(searcher, compiled, 2)
    assert not estimated and exact == len(_whooshbest_matches(searcher, compiled, 10_000))
    monkeypatch.setattr(ranking, "COUNT_BUDGET", 3)
    again, about, estimated = best_matches(searcher, compiled, 2)
    assert again == ranked
    both = len(_whooshbest_matches(searcher, _compiled(library, "zorab river")[1], 10_000))
    assert estimated and exact < both  # most articles with both words do not hold the phrase
    assert 0 < about <= both


def test_the_library_says_the_total_is_an_estimate(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranking, "COUNT_BUDGET", 3)
    library._index()._forget()
    result = library.search('"zorab river"', limit=2)
    assert result.estimated and result.total > len(result.hits)
    assert not library.search("zorcal", limit=2).estimated


def test_the_cache_of_common_words_changes_nothing(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segment, "CACHE_MIN_POSTINGS", 1)
    searcher, compiled = _compiled(library, '"zorab river" OR zor*')
    cache = SearchCache()
    first = best_matches(searcher, compiled, 10, cache)
    assert cache.postings, "lists were kept"
    assert best_matches(searcher, compiled, 10, cache) == first == best_matches(searcher, compiled, 10)


def test_the_cache_drops_the_least_recently_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segment, "CACHE_MIN_POSTINGS", 1)
    monkeypatch.setattr(segment, "CACHED_POSTINGS", 40)
    cache = SearchCache()
    for number in range(5):
        cache.keep((number, "body", b"x"), list(range(10)), [1.0] * 10)
        cache.scored((0, "body", b"x"))  # the first stays in use
    assert (0, "body", b"x") in cache.postings and (1, "body", b"x") not in cache.postings
    assert sum(len(ids) for ids, _ in cache.postings.values()) <= 40


@pytest.mark.parametrize(
    "weights",
    [None, 2.0, tuple(float(n % 5 + 1) for n in range(60))],
    ids=["all ones", "all the same", "each its own"],
)
def test_a_block_is_read_without_its_positions(weights: object) -> None:
    ids = [3, 1, 1, 250, 70000, 2]
    deltas = tuple(ids * 10)
    values = tuple(bytes([n % 256]) * (n % 7) for n in range(60))
    raw = pickle.dumps((deltas, weights, values), 2)
    found = postings._ids_and_weights(raw, 60)
    assert found is not None
    expected_weights = [1.0 if weights is None else weights] * 60 if not isinstance(weights, tuple) else list(weights)
    positions, read_weights = found
    assert positions == list(itertools.accumulate(deltas)) and list(read_weights) == expected_weights
    head = zlib.decompressobj().decompress(zlib.compress(raw), postings._scored_size(60))
    assert postings._ids_and_weights(head, 60) == found


def test_a_block_laid_out_otherwise_is_refused() -> None:
    assert postings._ids_and_weights(pickle.dumps(([1, 2], None, ()), 4), 2) is None
    assert postings._ids_and_weights(b"\x80\x02(garbage", 2) is None
    assert postings._ids_and_weights(pickle.dumps(((1, 2), None, ()), 2), 3) is None


def test_term_lists_read_from_the_table_equal_whooshs(library: Library) -> None:
    reader = library._index()._current().reader()
    for leaf, _ in reader.leaf_readers():
        for field in [*TEXT_FIELDS, *NAME_FIELDS, TAG_FIELD, HAS_FIELD]:  # (the last ends the table)
            for prefix in ["zor", "z", "ri", "zzz", "\uffff", ""]:
                expected = [(raw.decode(), info.doc_frequency()) for raw, info in leaf.iter_prefix(field, prefix)]
                assert list(expansions.prefix_counts(leaf, field, prefix)) == expected
                assert list(expansions.prefix_counts(leaf, field, prefix, 2)) == expected[:2]
    assert expansions._successor(b"\x01ab\xff\xff") == b"\x01ac"
    assert expansions._successor(b"\xff") is None


def _whoosh_directory(leaf: object, field: str, term: bytes, info: object) -> block_directory.Directory:
    walked = block_directory.Directory()
    matcher = postings._leaf_matcher(leaf, field, term, info)
    position = matcher._baseoffset
    while True:
        matcher._goto(position)
        walked.add(matcher)
        if matcher._lastblock:
            return walked
        position = matcher._nextoffset


def test_a_list_read_in_one_piece_has_whooshs_blocks(library: Library) -> None:
    read = 0
    for leaf, _ in library._index()._current().reader().leaf_readers():
        for field, term in leaf.all_terms():
            info = term_table.term_info(leaf, field, term)
            if info.is_inlined():
                continue
            found = block_directory.read_directory(leaf._terms._postfile, info)
            assert found is not None, (field, term)
            directory, data = found
            expected = _whoosh_directory(leaf, field, term, info)
            assert [getattr(directory, part) for part in block_directory.Directory.__slots__] == [
                getattr(expected, part) for part in block_directory.Directory.__slots__
            ]
            start = info.extent()[0]
            ends = directory.ends
            assert data[directory.where[0] - start : ends[0] - start] == leaf._terms._postfile.get(directory.where[0], ends[0] - directory.where[0])
            read += 1
    assert read, "the fixture's common words are written in blocks"


def test_the_term_table_gives_whooshs_entries(library: Library) -> None:
    for leaf, _ in library._index()._current().reader().leaf_readers():
        terms = list(leaf.all_terms())
        asked = [*terms, *((field, term + b"q") for field, term in terms[::5]), ("title", b"nowhere"), ("notes", b"zorab")]
        for field, term in asked:
            found = term_table.term_info(leaf, field, term)
            expected = leaf._terms.term_info(field, term) if (field, term) in leaf else None
            assert (found is None) == (expected is None), (field, term)
            if found is not None:
                assert (found.doc_frequency(), found.max_weight(), found.min_length(), found.extent()) == (
                    expected.doc_frequency(), expected.max_weight(), expected.min_length(), expected.extent()
                )


def test_the_idf_worked_out_from_the_kept_entries_is_whooshs(library: Library) -> None:
    searcher = library._index()._current()
    searcher._idf_cache.clear()  # the idf is then worked out from the kept entries, not Whoosh's
    for term in ["zorab", "zorbin", "river", "zordfan"]:
        for sub, _ in searcher.leaf_searchers():
            if ("body", term) not in sub.reader():  # (Whoosh's scorer needs the term in the segment)
                continue
            kept = segment.Segment(sub, SearchCache()).scorer("body", term, 1.0).scorer.idf
            assert ("body", term) in searcher._idf_cache
            assert kept == searcher.weighting.idf(searcher, "body", term)


def test_typos_expand_as_whoosh_would(library: Library) -> None:
    reader = library._index()._current().reader()
    for typo in ["zorba~", "zrab~", "zoarb~", "rievr~", "zorcla~2", "q~"]:
        word = parse(typo)
        target = text_term(word.text)  # type: ignore[union-attr]
        wider = word.distance + 1 if word.distance < 2 else word.distance  # type: ignore[union-attr]
        expected = {
            term: reader.doc_frequency("body", term)
            for leaf, _ in reader.leaf_readers()
            for term in leaf.terms_within("body", target, wider, prefix=1)
            if expansions.typo_distance(target, term) <= word.distance  # type: ignore[union-attr]
        }
        assert QueryCompiler(reader, Expansions())._fuzzy_terms("body", word) == expected  # type: ignore[arg-type]


def test_a_longer_prefix_is_a_part_of_the_last_ones_lists(library: Library) -> None:
    reader = library._index()._current().reader()
    kept = Expansions()
    QueryCompiler(reader, kept)._prefix_terms("body", "zo")
    known = kept.known_prefix("body", "zorc")
    walked = QueryCompiler(reader, Expansions())._prefix_terms("body", "zorc")
    assert known is not None and any(found.terms for found in walked)
    assert [(found.terms, found.counts) for found in known] == [(found.terms, found.counts) for found in walked]


def test_prefixes_are_kept_up_to_a_number_of_terms(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    reader = library._index()._current().reader()
    kept = Expansions()
    walker = QueryCompiler(reader, kept)
    size = sum(len(found.terms) for found in walker._prefix_terms("body", "zor"))
    monkeypatch.setattr(expansions, "MAX_CACHED_PREFIX_TERMS", size + 1)
    walker._prefix_terms("body", "ri")
    assert kept.known_prefix("body", "zor") is None and kept.known_prefix("body", "ri") is not None


@given(
    st.lists(st.dictionaries(st.sampled_from("abcdefghij"), st.integers(1, 30), max_size=10), min_size=1, max_size=5),
    st.integers(1, 6),
)
def test_the_commonest_terms_are_those_of_the_highest_totals(counts: list[dict[str, int]], number: int) -> None:
    segments = [
        expansions.SegmentTerms(None, [term.encode() for term in sorted(found)], [found[term] for term in sorted(found)])
        for found in counts
    ]
    totals: dict[str, int] = {}
    for found in counts:
        for term, count in found.items():
            totals[term] = totals.get(term, 0) + count
    expected = sorted(heapq.nlargest(number, sorted(totals), key=totals.__getitem__))
    assert [term.decode() for term in expansions.commonest(segments, number)] == expected


def test_a_prefixs_walk_gives_the_tables_entries_of_its_terms(library: Library) -> None:
    reader = library._index()._current().reader()
    infos = term_table.TermInfos()
    terms = QueryCompiler(reader, Expansions(), infos)._expand("body", parse("zor*"))  # type: ignore[arg-type]
    assert len(terms) == compiler.MAX_EXPANSIONS
    # (every segment's walk was whole: the body's entries and the title's, found or not)
    assert len(infos._known) == 2 * len(terms) * len(reader.leaf_readers())
    for leaf, _ in reader.leaf_readers():
        found = expansions.prefix_terms(leaf, "body", "zor")
        for term in [*found.terms, b"zorq"]:
            expected = term_table._table_value(leaf._terms._tindex, leaf._terms._keycoder("body", term))
            assert found.entry(term) == expected
        for field, term in itertools.product(["body", "title"], terms):
            raw = term.encode()
            kept, looked_up = infos.get(leaf, field, raw), term_table.term_info(leaf, field, raw)
            assert (kept is None) == (looked_up is None)
            if kept is not None:
                assert (kept.doc_frequency(), kept.extent(), kept.max_weight()) == (
                    looked_up.doc_frequency(), looked_up.extent(), looked_up.max_weight()
                )


def test_a_walk_cut_short_keeps_only_the_entries_it_met(library: Library) -> None:
    reader = library._index()._current().reader()
    infos = term_table.TermInfos()
    cut = [expansions.prefix_terms(leaf, "title", "zor", 1) for leaf, _ in reader.leaf_readers()]
    met = {found.terms[0] for found in cut if found.terms}
    assert met and not any(found.complete for found in cut if found.terms)
    QueryCompiler(reader, Expansions(), infos)._keep_entries("title", cut, sorted({*met, b"zorq"}))
    assert {key[2] for key in infos._known} == met  # (a term not met may be there all the same)
    assert all(info is not None for info in infos._known.values())


def test_marking_finds_what_the_index_matched(library: Library) -> None:
    result = library.search("zor*", limit=5)
    assert result.hits
    for hit in result.hits:
        assert any(text_term(hit.snippet[a:b]) in result.terms for a, b in hit.highlights)


@given(
    st.text(alphabet="ab .Ué_1\n", max_size=80),
    st.sets(st.sampled_from(["a", "b", "ab", "u.s", "ue", "1", "a_b", "b.a"])),
)
def test_match_spans_equal_the_analysis_spans(text: str, terms: set[str]) -> None:
    assert match_spans(text, frozenset(terms)) == term_spans(text, terms)


_STEMMED_WORDS = ["dying", "die", "ability", "able", "Abilities", "running", "runs", "skies", "sky",
                  "generously", "happy", "HAPPINESS", "U.S", "Müller", "muller", "Straße", "strasse",
                  "relational", "relate", "sensitivity", "early", "only", "x"]


@given(
    st.lists(st.sampled_from(_STEMMED_WORDS), max_size=12),
    st.lists(st.sampled_from([" ", ". ", ".", "-", "\n", "’", "_"]), min_size=12, max_size=12),
    st.sets(st.sampled_from(_STEMMED_WORDS), min_size=1, max_size=4),
)
def test_match_spans_find_every_word_whose_stem_differs_from_it(
    words: list[str], gaps: list[str], wanted: set[str]
) -> None:
    """Words whose term is not their own beginning (``dying`` → ``die``) are found all the same."""
    text = "".join(word + gap for word, gap in zip(words, gaps, strict=False))
    terms = frozenset(text_term(word) for word in wanted)
    assert match_spans(text, terms) == term_spans(text, terms)


def test_a_snippet_marks_every_form_of_a_term() -> None:
    text = "Runs rerun. The runner ran; run.x and run, RUN!"
    shown, spans = snippet(text, frozenset({text_term("run")}))
    assert [shown[a:b] for a, b in spans] == ["Runs", "run", "RUN"]


def test_the_command_line_says_about(library: Library, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import main

    monkeypatch.setattr(ranking, "COUNT_BUDGET", 3)
    monkeypatch.setattr(merging, "SMALL_SEGMENT", 0)  # the command's own build keeps its two segments
    assert main(["search", '"zorab river"', "--path", str(library.root), "--limit", "2"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("about ") and last.endswith("matching articles (showing 2)"), last
    assert main(["search", "zorcal", "--path", str(library.root), "--limit", "2"]) == 0
    assert not capsys.readouterr().out.strip().splitlines()[-1].startswith("about")


_HEADER_ITEM = st.one_of(
    st.integers(min_value=-(2**31), max_value=2**31 - 1),
    st.floats(allow_nan=False),
    st.none(),
    st.booleans(),
)


@given(st.tuples(*[_HEADER_ITEM] * 6))
def test_a_block_header_is_read_as_pickle_reads_it(header: tuple[object, ...]) -> None:
    raw = pickle.dumps(header, 2)
    found = block_directory.block_header(b"ab" + raw + b"\x80\x05rest", 2)
    assert found == (pickle.loads(raw), 2 + len(raw))  # noqa: S301 - made just above


def test_a_block_header_laid_out_otherwise_is_refused() -> None:
    assert block_directory.block_header(pickle.dumps((1, 2**40, 0.5, None, 3, 4), 2), 0) is None  # a long integer
    assert block_directory.block_header(pickle.dumps((1, 2, 3), 2), 0) is None  # three numbers
    assert block_directory.block_header(pickle.dumps((1, 2, 0.5, None, 3, 4), 4), 0) is None  # another protocol


@pytest.mark.parametrize("common_share", [0.0, 0.5])
def test_a_bound_holds_every_score_and_the_scores_are_exact_to_the_bit(
    library: Library, monkeypatch: pytest.MonkeyPatch, common_share: float
) -> None:
    monkeypatch.setattr(maxscore, "COMMON_SHARE", common_share)
    searcher, compiled = _compiled(library, "zor*")
    query = compiled.a  # type: ignore[attr-defined]
    for sub, _ in searcher.leaf_searchers():  # type: ignore[attr-defined]
        found = segment.Segment(sub)
        held = maxscore._held(found, query, {})
        expected: dict[int, float] = {}
        for term in query.alternatives:  # what AnyTerm adds up, in its order
            for docnum, score in zip(*found.term_scores(query.fieldname, term, query.boost, None), strict=True):
                expected[docnum] = expected.get(docnum, 0.0) + score
        assert list(held.matched()) == sorted(expected) and held.count == len(expected)
        assert (held.slack > 0) == (common_share > 0)  # the most common words taken as held
        assert all(held.bound(docnum) >= score for docnum, score in expected.items())
        assert held.scored(segment.Segment(sub), expected) == expected


def test_weights_read_in_place_are_the_decoded_blocks(library: Library) -> None:
    checked = kept = 0
    for leaf, _ in library._index()._current().reader().leaf_readers():
        for field, term in leaf.all_terms():
            info = term_table.term_info(leaf, field, term)
            ids, weights = postings.Postings(leaf, field, term, info).everything()
            fresh = postings.Postings(leaf, field, term, info)  # no block decoded: read in place
            assert fresh.all_ids() == ids
            kept += fresh._weights is not None  # every block's weights read with its ids
            assert fresh.weights_of(list(range(1, len(ids), 3))) == list(weights)[1::3]
            fresh.find(ids[::50])  # some blocks decoded: their weights taken from there
            assert fresh.weights_of(list(range(len(ids)))) == list(weights)
            checked += not info.is_inlined()
    assert checked, "the fixture's common words are written in blocks"
    assert kept, "the lists of this index's large blocks keep their weights read with their ids"


def test_a_block_laid_out_otherwise_gives_no_weights_in_place() -> None:
    assert in_place.weights_at(pickle.dumps(((1, 2), None, ()), 2), 2, [0]) is None
    assert in_place.weights_at(pickle.dumps(((1, 2), None, ()), 5), 2, [0]) is None
    assert in_place.ids_only(b"\x80\x05\x95garbage", 2) is None


@given(
    st.integers(min_value=0, max_value=255),
    st.integers(min_value=-(2**31), max_value=2**31 - 1),
    st.floats(allow_nan=False),
    st.tuples(*[st.integers(min_value=0, max_value=255)] * 3),
)
def test_a_usual_block_header_is_read_as_pickle_reads_it(
    count: int, last_id: int, top: float, small: tuple[int, int, int]
) -> None:
    header = (count, last_id, top, *small)
    raw = pickle.dumps(header, 2)
    found = block_directory.usual_header(b"ab" + raw + b"\x80\x05rest", 2)
    assert found == (count, last_id, small[0], 2 + len(raw))


def test_a_block_header_of_another_shape_is_left_to_the_opcode_reader() -> None:
    for header in [(1, 2, 0.5, None, 3, 4), (300, 2, 0.5, 0, 3, 4), (1, 2, 1, 0, 3, 4), (1, 2, 0.5, 0, 3, 300)]:
        raw = pickle.dumps(header, 2)
        assert block_directory.usual_header(raw, 0) is None
        assert block_directory.block_header(raw, 0) == (header, len(raw))


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        (array("f", [1.0, 2.5, 3.0, 1.0, 7.0]), [1.0, 2.5, 3.0, 1.0, 7.0]),
        (None, [1.0] * 5),
        (3.0, [3.0] * 5),
        (0.1, None),  # one weight for all that a 4-byte float cannot hold: decoded instead
    ],
    ids=["each its own", "all ones", "all the same", "all the same, inexact"],
)
def test_a_block_is_read_in_place_within_the_whole_list(weights: object, expected: list[float] | None) -> None:
    ids = [5, 9, 70, 71, 200000]
    deltas = array("I", [ids[0], *(b - a for a, b in itertools.pairwise(ids))])
    block = pickle.dumps((deltas, weights, None), 5)
    whole = b"before" + block + b"after"
    at, end = len(b"before"), len(b"before") + len(block)
    assert in_place.ids_only(block, 5) == ids
    assert in_place.ids_only(whole, 5, at, end) == ids
    read = in_place.whole_list(whole, 0, _directory((at, end, 5, ids[-1])), _never_decoded)
    assert read is not None and read[0] == ids
    if expected is None:
        assert read[1] is None and in_place.weights_at(whole, 5, [1], at, end) is None
        return
    assert read[1] is not None and list(read[1]) == expected
    assert in_place.weights_at(whole, 5, [1, 4], at, end) == [expected[1], expected[4]]
    assert in_place.ids_only(whole, 5, at, at + 80) is None  # the block cut short: not read past its end
    assert in_place.ids_only(whole, 4, at, end) is None  # not the count its header gives


def _directory(*blocks: tuple[int, int, int, int]) -> block_directory.Directory:
    """A directory of blocks given as (where, end, count, last id)."""
    directory = block_directory.Directory()
    for where, end, count, last_id in blocks:
        directory.add_block(where, end, last_id, count, 0)
    return directory


def _never_decoded(number: int) -> tuple[list[int], list[float]]:
    raise AssertionError(f"block {number} is laid out as this index lays them out")


def _decoded(blocks: dict[int, tuple[list[int], list[float]]]) -> Callable[[int], tuple[list[int], list[float]]]:
    return blocks.__getitem__


def test_a_whole_list_runs_its_blocks_on_and_decodes_the_odd_one() -> None:
    first, second = [3, 8, 20], [25, 26, 400]
    arrays = pickle.dumps((array("I", [3, 5, 12]), array("f", [1.0, 2.0, 1.0]), None), 5)
    small = pickle.dumps(((25, 1, 374), (2.0, 2.0, 3.0), ()), 5)  # Whoosh's tuples: decoded
    whole = arrays + small
    directory = _directory((0, len(arrays), 3, 20), (len(arrays), len(whole), 3, 400))
    found = in_place.whole_list(whole, 0, directory, _decoded({1: (second, [2.0, 2.0, 3.0])}))
    assert found is not None
    assert found[0] == first + second
    assert found[1] is not None and list(found[1]) == [1.0, 2.0, 1.0, 2.0, 2.0, 3.0]
    inexact = in_place.whole_list(whole, 0, directory, _decoded({1: (second, [0.1, 2.0, 3.0])}))
    assert inexact is not None and inexact[0] == first + second and inexact[1] is None
    wrong_last = _directory((0, len(arrays), 3, 19), (len(arrays), len(whole), 3, 400))
    assert in_place.whole_list(whole, 0, wrong_last, _decoded({1: (second, [2.0] * 3)})) is None
    backwards = in_place.whole_list(whole, 0, directory, _decoded({1: ([10, 26, 400], [2.0] * 3)}))
    assert backwards is None  # a block starting before the one before it ended


@pytest.mark.parametrize(
    ("typed", "ahead"),
    [
        ("zor", "zor"),
        ("the river zorab", "zorab"),
        ("(rive", "rive"),
        ('"a phrase" zorc', "zorc"),
        ("zo", None),  # too short to be worth it
        ('"the zor', None),  # inside a phrase
        ("title:zor", None),  # a field's word
        ("-zor", None),
        ("zor*", None),
        ("zor~", None),
        ("zor ", None),
        ("", None),
    ],
)
def test_the_last_word_typed_is_the_prefix_worked_out_ahead(typed: str, ahead: str | None) -> None:
    assert prefix_ahead(typed) == (None if ahead is None else Word(ahead, None, "prefix"))


def test_a_prefix_worked_out_ahead_is_not_walked_again_and_finds_the_same(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = library._index()
    index._forget()
    cold = library.search("zor*", limit=20)
    index._forget()
    index.prepare("the river zor")
    walked: list[str] = []
    walk = compiler.prefix_terms
    monkeypatch.setattr(compiler, "prefix_terms", lambda leaf, field, *rest: walked.append(field) or walk(leaf, field, *rest))
    ahead = library.search("zor*", limit=20)
    assert walked == []
    assert cold.hits and [(hit.id, hit.score) for hit in ahead.hits] == [(hit.id, hit.score) for hit in cold.hits]
    assert (ahead.total, ahead.terms) == (cold.total, cold.terms)
    library.search("zora*", limit=20)  # a longer prefix is a part of the remembered lists
    assert walked == ["title"] * len(list(index._current().reader().leaf_readers()))
