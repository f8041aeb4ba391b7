"""A segment written without Whoosh's pool (``segment_writer``) must be, to Whoosh, its own.

Whoosh's own reader is the judge: every term's postings (documents, weights, positions), the
term statistics the scorer uses, field lengths, the stored id and the date column are read
back through Whoosh and compared with the documents that went in.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.reading import SegmentReader

from reader.core.index.documents import IndexDocument, analysed_fields, index_date
from reader.core.index.schema import build_schema
from reader.core.index.segment_writer import BLOCK_SIZE, FLUSH_EVERY, SMALL_BLOCK, SegmentBuilder

_WORDS = st.sampled_from(["river", "bridge", "rivers", "Ünal", "the", "U.S", "3.5", "court", "verdict", "a"])


def _text(words: list[str]) -> str:
    return " ".join(words)


_DOCUMENTS = st.lists(
    st.builds(
        lambda title, body, people, tags, day: (title, body, people, tags, day),
        st.lists(_WORDS, max_size=4).map(_text),
        st.lists(_WORDS, max_size=60).map(_text),
        st.lists(st.sampled_from(["Ada Lovelace", "Alan Turing", "Grace Hopper"]), max_size=2),
        st.lists(st.sampled_from(["long read", "Politics"]), max_size=2),
        st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1))),
    ),
    min_size=1,
    max_size=200,  # past BLOCK_SIZE: common words take several blocks
)


def _documents(raw: list[tuple[str, str, list[str], list[str], dt.date | None]]) -> list[IndexDocument]:
    return [
        IndexDocument(
            id=f"{number:04}.md",
            title=title,
            body=f"{title}\n\n{body}",
            people=tuple(people),
            tags=tuple(tags),
            outlet="Reuters" if number % 3 else None,
            date=day,
        )
        for number, (title, body, people, tags, day) in enumerate(raw)
    ]


def _read_back(documents: list[IndexDocument], flush_every: int = FLUSH_EVERY) -> None:
    """Write the documents as a segment, open it with Whoosh, and compare everything."""
    staging = Path(tempfile.mkdtemp())
    try:
        builder = SegmentBuilder(staging, flush_every)
        for document in documents:
            builder.add(document)
        segment = builder.finish()
        storage = FileStorage(str(staging))
        schema = build_schema()
        with SegmentReader(storage, schema, segment, generation=0) as reader:
            _compare(reader, schema, documents)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _compare(reader: object, schema: object, documents: list[IndexDocument]) -> None:
    expected: dict[tuple[str, str], dict[int, list[int]]] = {}
    for docnum, document in enumerate(documents):
        for field, terms in analysed_fields(document).items():
            length = reader.doc_field_length(docnum, field) or 0  # type: ignore[attr-defined]
            assert length == _byte_length(sum(map(len, terms.values())))
            for term, where in terms.items():
                expected.setdefault((field, term), {})[docnum] = where
        assert reader.stored_fields(docnum) == {"id": document.id}  # type: ignore[attr-defined]
    found: dict[tuple[str, str], dict[int, list[int]]] = {}
    for field, raw in reader.all_terms():  # type: ignore[attr-defined]
        if field in ("id", "date"):
            continue
        term = raw.decode("utf-8")
        matcher = reader.postings(field, raw)  # type: ignore[attr-defined]
        decode = schema[field].format.decode_positions  # type: ignore[index]
        postings = found.setdefault((field, term), {})
        while matcher.is_active():
            positions = decode(matcher.value())
            assert matcher.weight() == len(positions)
            postings[matcher.id()] = positions
            matcher.next()
        info = reader.term_info(field, raw)  # type: ignore[attr-defined]
        assert info.doc_frequency() == len(postings)
        assert info.max_weight() == max(len(where) for where in postings.values())
        assert info.weight() == sum(len(where) for where in postings.values())
    assert found == expected
    for docnum, document in enumerate(documents):
        assert reader.has_deletions() is False  # type: ignore[attr-defined]
        assert ("id", document.id.encode()) in reader  # type: ignore[operator]
    dates = reader.column_reader("date")  # type: ignore[attr-defined]
    for docnum, document in enumerate(documents):
        wanted = index_date(document.date)
        if wanted is not None:
            assert dates[docnum] == wanted


def _byte_length(length: int) -> int:
    from whoosh.util.numeric import byte_to_length, length_to_byte

    return int(byte_to_length(length_to_byte(length)))


@settings(max_examples=15, deadline=None)
@given(_DOCUMENTS)
def test_whoosh_reads_back_every_posting(raw: list[tuple[str, str, list[str], list[str], dt.date | None]]) -> None:
    _read_back(_documents(raw))


@settings(max_examples=15, deadline=None)
@given(_DOCUMENTS, st.integers(1, 40))
def test_postings_gone_to_runs_on_disk_read_back_the_same(
    raw: list[tuple[str, str, list[str], list[str], dt.date | None]], flush_every: int
) -> None:
    _read_back(_documents(raw), flush_every)


def _segment_bytes(documents: list[IndexDocument], flush_every: int, staging: Path) -> dict[str, bytes]:
    staging.mkdir()
    builder = SegmentBuilder(staging, flush_every)
    for document in documents:
        builder.add(document)
    segment = builder.finish()
    prefix = f"MAIN_{segment.segid}"
    files = {path.name.replace(prefix, "MAIN"): path.read_bytes() for path in staging.iterdir() if path.is_file()}
    assert all(name.startswith("MAIN") for name in files), "every run file is removed once merged"
    return files


def test_a_segment_merged_from_runs_is_the_one_written_from_memory(tmp_path: Path) -> None:
    """Byte for byte: the runs change how much is held, not what is written (long positions
    in one run and short ones in another included)."""
    documents = [
        IndexDocument(id=f"{n}.md", title="t", body="river " * (n % 3 + 1) + "bridge")
        for n in range(2 * BLOCK_SIZE + 5)
    ]
    documents.insert(100, IndexDocument(id="long.md", title="long", body="word " * 70_000 + "river bridge"))
    whole = _segment_bytes(documents, len(documents) + 1, tmp_path / "whole")
    assert {"MAIN.pst", "MAIN.trm"} <= whole.keys()
    assert _segment_bytes(documents, 37, tmp_path / "runs") == whole


def test_blocks_of_every_kind_and_long_texts() -> None:
    """A word in more documents than a block holds (small and packed blocks both), and a text
    longer than two-byte positions reach."""
    documents = [
        IndexDocument(id=f"{n}.md", title="t", body="river " * (n % 3 + 1) + "bridge")
        for n in range(2 * BLOCK_SIZE + 5)
    ]
    documents.append(IndexDocument(id="long.md", title="long", body="word " * 70_000 + "river bridge"))
    documents += [IndexDocument(id=f"few{n}.md", title="few", body="orchard") for n in range(SMALL_BLOCK)]
    _read_back(documents)
    _read_back(documents, 50)


def test_a_segment_commits_into_an_index_whoosh_searches(tmp_path: Path) -> None:
    from whoosh import query

    from reader.core.index.index_files import commit, create_index

    staging = tmp_path / "staging"
    staging.mkdir()
    builder = SegmentBuilder(staging)
    builder.add(IndexDocument(id="a.md", title="River", body="the river bridge"))
    builder.add(IndexDocument(id="b.md", title="Bridge", body="a bridge over the river"))
    index_dir = tmp_path / "index"
    ix = create_index(index_dir)
    commit(ix, index_dir, [], staging, builder.finish())
    with ix.searcher() as searcher:
        hits = searcher.search(query.Phrase("body", ["river", "bridg"]))
        assert [hit["id"] for hit in hits] == ["a.md"]
    assert TOC.read(ix.storage, ix.indexname).segments


def test_small_segments_merged_are_the_segment_their_documents_make(tmp_path: Path) -> None:
    """Merged after the build, small segments become, byte for byte, the one segment their
    documents would have made (lengths, dates, ids, postings, the fields' total lengths), in
    place of the first of them; a segment the build did not make stays."""
    from reader.core.index.index_files import commit, create_index, merge_small_segments

    texts = [("River news", "the river " * (n % 5 + 1), ["Ada Lovelace"], [], None) for n in range(4 * BLOCK_SIZE)]
    documents = _documents(texts)  # blocks of every kind: many postings a term, and few
    documents.insert(
        300, IndexDocument(id="long.md", title="long", body="word " * 70_000 + "river", date=dt.date(2020, 1, 2))
    )
    index_dir = tmp_path / "index"
    ix = create_index(index_dir)
    made: set[str] = set()
    for number, start in enumerate(range(0, len(documents), 150)):
        staging = tmp_path / f"chunk{number}"
        staging.mkdir()
        builder = SegmentBuilder(staging, 40)
        for document in documents[start : start + 150]:
            builder.add(document)
        segment = builder.finish()
        commit(ix, index_dir, [], staging, segment)
        made.add(segment.segid)
    before = [segment.segid for segment in ix._read_toc().segments]
    merge_small_segments(ix, index_dir, tmp_path, made - {before[0]})
    after = ix._read_toc().segments
    assert [segment.segid for segment in after[:1]] == before[:1]
    assert len(after) == 2 and len(before) == 4
    merged = {
        path.name.replace(f"MAIN_{after[1].segid}", "MAIN"): path.read_bytes()
        for path in index_dir.iterdir()
        if path.name.startswith(f"MAIN_{after[1].segid}")
    }
    whole = _segment_bytes(documents[150:], 1_000, tmp_path / "whole")
    assert merged == whole
    (tmp_path / "one").mkdir()
    one = _built(SegmentBuilder(tmp_path / "one"), documents[150:])
    assert after[1]._fieldlengths == one._fieldlengths  # type: ignore[attr-defined]
    assert not list(tmp_path.glob("merge-*")), "the merge's staging folder is removed"


def _built(builder: SegmentBuilder, documents: list[IndexDocument]) -> object:
    for document in documents:
        builder.add(document)
    return builder.finish()
