"""Export and import: an exact round trip, merging, and every skipped row reported with its reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.fingerprint import fingerprint, sketch
from reader.core.tags import (
    ExchangeError,
    SkippedRow,
    TagError,
    TagRow,
    TagStore,
    dump_rows,
    import_text,
    normalise_tag,
    parse_rows,
)

STORM = "Storm floods the harbour town of Kellbridge, closing the coast road and the ferry."
STORM_EDITED = "Storm floods the harbour town of Kellbridge, closing the coast road and the ferries."
BUDGET = "The city council voted seven to two to fund a new branch library in the old tram depot."
FP_STORM = fingerprint(STORM)
FP = "ab" * 32  # a well-formed fingerprint for hand-written rows


@dataclass(frozen=True)
class Ref:
    path: Path
    fingerprint: str
    text: str


def filled_store(path: Path) -> TagStore:
    """A store with mixed-case and Unicode tags, odd path characters and an edited article."""
    store = TagStore(path)
    storm = Ref(Path("/corpus/storm, \"final\".txt"), FP_STORM, STORM)
    budget = Ref(Path("/corpus/naïve/budget.txt"), fingerprint(BUDGET), BUDGET)
    store.add([storm, budget], ["News", "café ☕"])
    store.add([storm], ["weather"])
    store.add([Ref(storm.path, fingerprint(STORM_EDITED), STORM_EDITED)], ["edited"])
    return store


@pytest.mark.parametrize("export_format", ["json", "csv"])
def test_export_then_import_reproduces_the_store_exactly(tmp_path: Path, export_format: str) -> None:
    with filled_store(tmp_path / "original.sqlite3") as original:
        exported = original.export_rows()
        text = dump_rows(exported, export_format)
    assert len(exported) == 6
    assert {row.aliases for row in exported} == {(), (FP_STORM,)}  # the edit is remembered
    with TagStore(tmp_path / "restored.sqlite3") as restored:
        report = import_text(restored, text)
        assert (report.added, report.unchanged, report.skipped) == (6, 0, ())
        assert restored.export_rows() == exported
        assert dump_rows(restored.export_rows(), export_format) == text
        # The article is still found by the text it had before the edit (a copy elsewhere).
        assert restored.tags_for(Ref(Path("/backup/storm.txt"), FP_STORM, STORM)) == (
            "café ☕", "edited", "News", "weather",
        )


def test_importing_twice_merges_without_duplicates(tmp_path: Path) -> None:
    with filled_store(tmp_path / "original.sqlite3") as original:
        text = dump_rows(original.export_rows(), "csv")
        report = import_text(original, text)
        assert (report.added, report.unchanged) == (0, 6)
        assert len(original.export_rows()) == 6


def test_import_merges_into_existing_tags_keeping_their_spelling(tmp_path: Path) -> None:
    text = (
        "tag,fingerprint,path,added\n"
        f"NEWS,{FP_STORM},/elsewhere/storm.txt,2020-01-02T03:04:05+00:00\n"
        f"archive,{FP_STORM},/elsewhere/storm.txt,2020-01-02T03:04:05\n"
    )
    with TagStore(tmp_path / "tags.sqlite3") as store:
        storm = Ref(Path("/corpus/storm.txt"), FP_STORM, STORM)
        store.add([storm], ["news"])
        report = import_text(store, text)
        assert (report.added, report.unchanged, report.skipped) == (1, 1, ())
        assert store.tags_for(storm) == ("archive", "news")
        added = {row.tag: row.added for row in store.export_rows()}
        assert added == {"archive": "2020-01-02T03:04:05+00:00", "news": "2020-01-02T03:04:05+00:00"}


def test_csv_rows_that_cannot_be_used_are_reported_with_why(tmp_path: Path) -> None:
    text = (
        "tag,path,fingerprint,added,sketch,aliases\n"
        f"good,/a.txt,{FP},,,\n"
        f",/b.txt,{FP},,,\n"
        "no-fingerprint,/c.txt,,,,\n"
        "short,/d.txt,abc123,,,\n"
        f"\"bad\x1btag\",/e.txt,{FP},,,\n"
        f"{'x' * 65},/f.txt,{FP},,,\n"
        f"late,/g.txt,{FP},yesterday,,\n"
        f"sketchy,/h.txt,{FP},,xyz,\n"
        f"alias,/i.txt,{FP},,,not-a-fingerprint\n"
        f"extra,/j.txt,{FP},,,,surplus\n"
        "\n"
        f"\"two\nline path\",/k.txt,{FP},,,\n"
        f"also-good,,{FP.upper()},,,\n"
    )
    rows, skipped = parse_rows(text)
    assert [(row.tag, row.fingerprint, row.path) for row in rows] == [
        ("good", FP, "/a.txt"),
        ("also-good", FP, ""),
    ]
    assert skipped == [
        SkippedRow("line 3", "no tag"),
        SkippedRow("line 4", "no fingerprint"),
        SkippedRow("line 5", "fingerprint is not 64 hexadecimal digits"),
        SkippedRow("line 6", "tag 'bad␛tag' contains an invisible or control character (U+001B)"),
        SkippedRow("line 7", "a tag can have at most 64 characters; this one has 65"),
        SkippedRow("line 8", "'added' is not an ISO 8601 time: 'yesterday'"),
        SkippedRow("line 9", "sketch is not 16 hexadecimal digits"),
        SkippedRow("line 10", "an alias is not a 64-digit fingerprint"),
        SkippedRow("line 11", "more values than columns"),
        SkippedRow("line 13", "tag 'two line path' contains an invisible or control character (U+000A)"),
    ]


def test_json_rows_that_cannot_be_used_are_reported_with_why() -> None:
    text = (
        '{"reader_tags": 1, "rows": ['
        f'{{"tag": "good", "fingerprint": "{FP}", "sketch": "00000000000000ff", "aliases": []}},'
        '"just a string",'
        f'{{"tag": 7, "fingerprint": "{FP}"}},'
        f'{{"tag": "bad-alias", "fingerprint": "{FP}", "aliases": [1]}},'
        f'{{"tag": "nul", "fingerprint": "{FP}", "path": "/a\\u0000b"}}'
        "]}"
    )
    rows, skipped = parse_rows(text)
    assert rows == [TagRow(tag="good", fingerprint=FP, sketch=255)]
    assert skipped == [
        SkippedRow("row 2", "not a JSON object"),
        SkippedRow("row 3", "tag is not text"),
        SkippedRow("row 4", "aliases are not a list of fingerprints"),
        SkippedRow("row 5", "path contains a NUL character"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("  \n", "the file is empty"),
        ('{"rows": [', "not valid JSON: Expecting value (line 1)"),
        ('{"reader_tags": 1}', "a list of rows or an object with a 'rows' list"),
        ("name,fingerprint\nx,y\n", "CSV header lacks the column(s): tag"),
        ("[" * 100_000, "not valid JSON"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_whole(text: str, message: str) -> None:
    with pytest.raises(ExchangeError) as raised:
        parse_rows(text)
    assert message in str(raised.value)


def test_sketches_survive_the_round_trip() -> None:
    row = TagRow(tag="t", fingerprint=FP, path="/a.txt", added="2024-05-01T00:00:00+00:00",
                 sketch=sketch(STORM), aliases=(fingerprint(BUDGET),))
    for export_format in ("json", "csv"):
        assert parse_rows(dump_rows([row], export_format)) == ([row], [])


def _is_valid_tag(text: str) -> bool:
    try:
        normalise_tag(text)
    except TagError:
        return False
    return True


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_fingerprints = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
_rows = st.builds(
    TagRow,
    tag=st.text(min_size=1, max_size=80).filter(_is_valid_tag).map(normalise_tag),
    fingerprint=_fingerprints,
    path=st.text(max_size=60).filter(lambda path: "\x00" not in path and _encodable(path)),
    added=st.datetimes(timezones=st.just(dt.UTC)).map(lambda moment: moment.isoformat(timespec="seconds")),
    sketch=st.none() | st.integers(min_value=0, max_value=2**64 - 1),
    aliases=st.lists(_fingerprints, max_size=2).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(_rows, max_size=4), export_format=st.sampled_from(["json", "csv"]))
def test_any_valid_rows_survive_dump_and_parse(rows: list[TagRow], export_format: str) -> None:
    assert parse_rows(dump_rows(rows, export_format)) == (rows, [])


# Hand-written path,tag CSV

from reader.core.tags.exchange import parse_plain  # noqa: E402


def test_a_plain_csv_is_told_apart_from_an_export() -> None:
    assert parse_plain('{"reader_tags": 1, "rows": []}') is None
    assert parse_plain("tag,path,fingerprint\nx,a.txt," + "0" * 64 + "\n") is None
    rows, skipped, header = parse_plain("path,tags,note\na.txt,x;y,whatever\nb.txt,,\n") or ([], [], False)
    assert header and [(row.where, row.path, row.tags) for row in rows] == [("line 2", "a.txt", ("x", "y"))]
    assert [str(row) for row in skipped] == ["line 3: no tag for b.txt"]
    rows, skipped, header = parse_plain("a.txt,x,y;z\n\n,lonely\n") or ([], [], True)
    assert not header and [(row.path, row.tags) for row in rows] == [("a.txt", ("x", "y", "z"))]
    assert [str(row) for row in skipped] == ["line 3: no path"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_plain_rows_or_one_readable_error(text: str) -> None:
    try:
        parsed = parse_plain(text)
    except ExchangeError as error:
        assert "\n" not in str(error)
        return
    if parsed is not None:
        rows, skipped, _ = parsed
        assert all(row.path and row.tags for row in rows)
        assert all(row.where.startswith("line ") for row in skipped)
