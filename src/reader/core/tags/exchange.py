"""Tags in and out of the store as JSON or CSV: a round trip that reports every row it skips.

Besides its own exports (which name each article by fingerprint and last path), an import takes
the CSV a person writes by hand: ``path,tag`` rows (or ``path,tags`` with tags separated by
``;``), with or without that header line. Its paths are placed by the caller (``resolve``), which
knows the folder of articles; a row that names no readable article file is reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from reader.core.csv_safety import restore, write_csv
from reader.core.tags.spelling import TagError, normalise_tag, tag_key
from reader.core.tags.store import TagRef, TagRow, TagStore

EXPORT_FORMATS = ("json", "csv")
FIELDS = ("tag", "path", "fingerprint", "added", "sketch", "aliases")
_REQUIRED_COLUMNS = ("tag", "fingerprint")
_FORMAT_MARKER = "reader_tags"  # top-level key of a JSON export, holding the format version
_PLAIN_COLUMNS = ("path", "tag", "tags")
_TAG_SEPARATOR = ";"
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")
_SKETCH = re.compile(r"[0-9a-f]{16}")


class ExchangeError(ValueError):
    """The file as a whole cannot be read as tags; ``str(error)`` is one line."""


@dataclass(frozen=True, slots=True)
class SkippedRow:
    where: str  # "line 4" in a CSV file, "row 3" in a JSON file
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int  # tags that were new to their article
    unchanged: int  # tags the article already had
    skipped: tuple[SkippedRow, ...]


def dump_rows(rows: Iterable[TagRow], export_format: str) -> str:
    """The rows as a JSON document or a CSV table with a header line."""
    if export_format == "json":
        document = {_FORMAT_MARKER: 1, "rows": [_as_json(row) for row in rows]}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if export_format == "csv":
        # CRLF line ends (RFC 4180): a CR inside a cell gets quoted. A cell a spreadsheet would
        # run as a formula (a tag "=cmd|…") gets a leading ', which the import takes off again.
        return write_csv(FIELDS, map(_csv_cells, rows))
    raise ValueError(f"unknown export format {export_format!r}; use one of {', '.join(EXPORT_FORMATS)}")


def parse_rows(text: str) -> tuple[list[TagRow], list[SkippedRow]]:
    """Read an export (JSON or CSV, told apart by the first character); bad rows are reported.

    Raises ``ExchangeError`` when the file as a whole is unreadable.
    """
    text = text.removeprefix("\ufeff")
    stripped = text.lstrip()
    if not stripped:
        raise ExchangeError("the file is empty")
    raw_rows = _json_rows(stripped) if stripped[0] in "[{" else _csv_rows(text)
    rows: list[TagRow] = []
    skipped: list[SkippedRow] = []
    for where, raw in raw_rows:
        if isinstance(raw, str):
            skipped.append(SkippedRow(where, raw))
            continue
        try:
            rows.append(_row(raw))
        except ValueError as error:
            skipped.append(SkippedRow(where, str(error)))
    return rows, skipped


Resolver = Callable[[str], TagRef | str]
"""A path as written in a hand-made CSV -> the article file it names, or why there is none."""


@dataclass(frozen=True, slots=True)
class PlainRow:
    """One row of a hand-written ``path,tag(s)`` CSV, its tags already checked."""

    where: str
    path: str
    tags: tuple[str, ...]


def import_text(store: TagStore, text: str, resolve: Resolver | None = None) -> ImportReport:
    """Merge an export, or a hand-written ``path,tag`` CSV whose paths ``resolve`` places, into
    the store; every row is either imported or reported as skipped."""
    plain = parse_plain(text)
    if plain is None:
        rows, skipped = parse_rows(text)
        added, unchanged = store.import_rows(rows)
        return ImportReport(added, unchanged, tuple(skipped))
    if resolve is None:
        raise ExchangeError("a path,tag CSV needs the folder its paths are in")
    return _import_plain(store, *plain, resolve)


def parse_plain(text: str) -> tuple[list[PlainRow], list[SkippedRow], bool] | None:
    """The rows of a hand-written ``path,tag`` or ``path,tags`` CSV, and whether it has a header
    line (it is optional); None when the text is JSON or one of the program's own exports."""
    text = text.removeprefix("\ufeff")
    stripped = text.lstrip()
    if not stripped or stripped[0] in "[{":
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        table = [(reader.line_num, values) for values in reader]
    except csv.Error as error:
        raise ExchangeError(f"not valid CSV: line {reader.line_num}: {error}") from error
    first = next((values for _, values in table if values), [])
    names = [restore(name).strip().casefold() for name in first]
    if "fingerprint" in names:
        return None
    header = any(name in _PLAIN_COLUMNS for name in names)
    rows: list[PlainRow] = []
    skipped: list[SkippedRow] = []
    previous_end = 0
    for line_end, values in table:
        where, previous_end = f"line {previous_end + 1}", line_end
        if not values or (values is first and header):
            continue
        cells = [restore(value).strip() for value in values]
        try:
            rows.append(_plain_row(where, cells, names if header else None))
        except ValueError as error:
            skipped.append(SkippedRow(where, str(error)))
    return rows, skipped, header


def _plain_row(where: str, cells: list[str], names: list[str] | None) -> PlainRow:
    """Path and tags of one row: by column name under a header, else the path then its tags."""
    if names is None:
        path, written = cells[0], cells[1:]
    else:
        named = dict(zip(names, cells, strict=False))
        path, written = named.get("path", ""), [named.get("tag", ""), named.get("tags", "")]
    if not path:
        raise ValueError("no path")
    tags: list[str] = []
    for cell in written:
        for piece in cell.split(_TAG_SEPARATOR):
            if piece.strip():
                try:
                    tags.append(normalise_tag(piece))
                except TagError as error:
                    raise ValueError(str(error)) from error
    if not tags:
        raise ValueError(f"no tag for {path}")
    return PlainRow(where, path, tuple(tags))


def _import_plain(
    store: TagStore, rows: list[PlainRow], skipped: list[SkippedRow], header: bool, resolve: Resolver
) -> ImportReport:
    """Tag each file the rows place with their tags (one transaction per tag); count what is new.

    A file without a header of which no row names an article is taken for what it most likely
    is, a file that is not about tags at all, and refused in one line."""
    placed: dict[str, TagRef | str] = {}  # a path as written -> its article, or why there is none
    wanted: dict[Path, tuple[TagRef, dict[str, str]]] = {}  # a file -> its article, tag key -> tag
    for row in rows:
        if row.path not in placed:
            placed[row.path] = resolve(row.path)
        found = placed[row.path]
        if isinstance(found, str):
            skipped.append(SkippedRow(row.where, found))
            continue
        tags = wanted.setdefault(found.path, (found, {}))[1]
        for tag in row.tags:
            tags.setdefault(tag_key(tag), tag)
    skipped.sort(key=lambda row: int(row.where.split()[-1]))
    if not wanted and not header and skipped:
        raise ExchangeError(f"not a tag export, and no row names an article file ({skipped[0]})")
    before = store.tags_for_many(ref for ref, _ in wanted.values())
    to_add: dict[str, tuple[str, list[TagRef]]] = {}  # tag key -> the tag, the articles lacking it
    unchanged = 0
    for path, (ref, tags) in wanted.items():
        had = {tag_key(tag) for tag in before[path]}
        for key, tag in tags.items():
            if key in had:
                unchanged += 1
            else:
                to_add.setdefault(key, (tag, []))[1].append(ref)
    for tag, refs in to_add.values():
        store.add(refs, [tag])
    return ImportReport(sum(len(refs) for _, refs in to_add.values()), unchanged, tuple(skipped))


def _as_json(row: TagRow) -> dict[str, object]:
    return {
        "tag": row.tag,
        "path": row.path,
        "fingerprint": row.fingerprint,
        "added": row.added,
        "sketch": None if row.sketch is None else f"{row.sketch:016x}",
        "aliases": list(row.aliases),
    }


def _csv_cells(row: TagRow) -> list[str]:
    values = _as_json(row)
    return [*(str(values[name] or "") for name in FIELDS[:-1]), " ".join(row.aliases)]


# Each raw row is a mapping to check, or a string: why it was skipped before it could be read.
_RawRows = list[tuple[str, Mapping[str, object] | str]]


def _json_rows(text: str) -> _RawRows:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ExchangeError(f"not valid JSON: {error.msg} (line {error.lineno})") from error
    except RecursionError as error:
        raise ExchangeError("not valid JSON: nested too deeply") from error
    items = document.get("rows") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise ExchangeError("JSON export must be a list of rows or an object with a 'rows' list")
    return [
        (f"row {number}", item if isinstance(item, dict) else "not a JSON object")
        for number, item in enumerate(items, start=1)
    ]


def _csv_rows(text: str) -> _RawRows:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        columns = [restore(name) for name in next(reader, [])]
        missing = [name for name in _REQUIRED_COLUMNS if name not in columns]
        if missing:
            raise ExchangeError(f"CSV header lacks the column(s): {', '.join(missing)}")
        found: _RawRows = []
        previous_end = reader.line_num
        for values in reader:
            where = f"line {previous_end + 1}"  # where the row starts: a quoted cell may span lines
            previous_end = reader.line_num
            if not values:
                continue  # a blank line is not a row
            if len(values) > len(columns):
                found.append((where, "more values than columns"))
            else:
                found.append((where, dict(zip(columns, map(restore, values), strict=False))))
    except csv.Error as error:
        raise ExchangeError(f"not valid CSV: line {reader.line_num}: {error}") from error
    return found


def _row(raw: Mapping[str, object]) -> TagRow:
    """One checked row, or ``ValueError`` saying what is wrong with it."""
    tag = text_field(raw, "tag")
    if not tag:
        raise ValueError("no tag")
    fingerprint = text_field(raw, "fingerprint").lower()
    if not fingerprint:
        raise ValueError("no fingerprint")
    if not _FINGERPRINT.fullmatch(fingerprint):
        raise ValueError("fingerprint is not 64 hexadecimal digits")
    path = text_field(raw, "path")
    if "\x00" in path:
        raise ValueError("path contains a NUL character")
    sketch = text_field(raw, "sketch").lower()
    if sketch and not _SKETCH.fullmatch(sketch):
        raise ValueError("sketch is not 16 hexadecimal digits")
    return TagRow(
        tag=normalise_tag(tag),
        fingerprint=fingerprint,
        path=path,
        added=timestamp(text_field(raw, "added"), "'added'"),
        sketch=int(sketch, 16) if sketch else None,
        aliases=_aliases(raw.get("aliases")),
    )


def text_field(raw: Mapping[str, object], key: str) -> str:
    """An exported record's text field ("" when absent); ``ValueError`` when it is not text."""
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key} is not text")
    return value


def timestamp(text: str, field: str = "") -> str:
    """An ISO 8601 time as the store writes it (UTC, seconds); empty stays empty (meaning now).
    ``field`` names the value in the error."""
    if not text:
        return ""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError as error:
        said = f"{field} is not" if field else "not"
        raise ValueError(f"{said} an ISO 8601 time: {text[:40]!r}") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _aliases(value: object) -> tuple[str, ...]:
    """Earlier fingerprints: a JSON list, or one CSV cell of space-separated digests."""
    if value is None:
        return ()
    items = value.split() if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError("aliases are not a list of fingerprints")
    aliases = tuple(item.lower() for item in items)
    for alias in aliases:
        if not _FINGERPRINT.fullmatch(alias):
            raise ValueError("an alias is not a 64-digit fingerprint")
    return aliases
