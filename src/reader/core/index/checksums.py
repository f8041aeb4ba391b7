"""A checksum for every file of the search index, written at commit and checked on the way in.

Whoosh cannot tell a damaged index: a postings or stored-fields file has no trailer to check,
so a byte flipped in place (a bad sector, a stray write) made some searches fail while every
sync said "no changes". As Lucene does with its per-file footers, each segment file's size,
modification time and CRC-32 are recorded when the segment is committed (files never change
after that), and the table of contents' once it is written. Checking is cheap by default: a
file whose size and modification time are as recorded is taken as it was (a ``stat``); one
that differs is read again and its CRC compared. A full check reads every file; it runs in the
background when the app opens a folder and whenever a read of the index fails.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.core.files import write_atomically

MANIFEST_FILE = "checksums.json"
_OLD_SIZES_FILE = "sizes.json"  # sizes only, written before checksums were kept
_CHUNK = 1 << 20

Record = tuple[int, int, int | None]
"""(size, mtime_ns, CRC-32 or None when only the size is known)."""


@dataclass(frozen=True, slots=True)
class Damage:
    """What a check found wrong: the files (for the message) and the segments they belong to."""

    problems: tuple[str, ...]  # "MAIN_x.pst does not match its checksum", ...
    segments: frozenset[str]  # segment ids whose files are damaged

    def __str__(self) -> str:
        more = len(self.problems) - 1
        return self.problems[0] + (f" (and {more} more file{'s' if more != 1 else ''})" if more else "")


def crc_of(path: Path) -> int:
    """CRC-32 of a whole file, read a megabyte at a time (zlib releases the GIL meanwhile)."""
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


def _segment_of(name: str, indexname: str) -> str | None:
    """The segment id of a segment file's name, None for other files."""
    stem = name.split(".", 1)[0]
    prefix = f"{indexname}_"
    if not stem.startswith(prefix):
        return None
    return stem[len(prefix) :].split("_", 1)[0]


def _load(index_dir: Path) -> dict[str, Any] | None:
    """The manifest, or the older list of sizes as one; None when there is neither."""
    try:
        found = json.loads((index_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
        if isinstance(found, dict) and isinstance(found.get("files"), dict):
            return found
        return {"files": {}, "unreadable": "its list of checksums is not a list of checksums"}
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as error:
        return {"files": {}, "unreadable": f"its list of checksums cannot be read ({type(error).__name__})"}
    try:
        sizes = json.loads((index_dir / _OLD_SIZES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(sizes, dict):
        return None
    return {"files": {name: [size, None, None] for name, size in sizes.items() if isinstance(size, int)}}


def _record(entry: Any) -> Record | None:
    if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], int):
        size, mtime, crc = entry
        return size, mtime if isinstance(mtime, int) else -1, crc if isinstance(crc, int) else None
    return None


def record_segments(index_dir: Path, indexname: str, segments: Iterable[Any]) -> None:
    """Record every file of ``segments``; call it before they are committed.

    Files recorded before with the same size and modification time keep their checksum, so a
    commit reads only its new files.
    """
    live = {segment.segid for segment in segments}
    before = _load(index_dir) or {"files": {}}
    known = {name: _record(entry) for name, entry in before["files"].items()}
    files: dict[str, list[int | None]] = {}
    for entry in os.scandir(index_dir):
        if _segment_of(entry.name, indexname) not in live:
            continue
        info = entry.stat()
        old = known.get(entry.name)
        if old is not None and old[2] is not None and (old[0], old[1]) == (info.st_size, info.st_mtime_ns):
            files[entry.name] = list(old)
        else:
            files[entry.name] = [info.st_size, info.st_mtime_ns, crc_of(Path(entry.path))]
    manifest = {"files": files, "toc": before.get("toc")}
    write_atomically(index_dir / MANIFEST_FILE, json.dumps(manifest, sort_keys=True))
    (index_dir / _OLD_SIZES_FILE).unlink(missing_ok=True)


def record_toc(index_dir: Path, toc_name: str) -> None:
    """Record the table of contents just committed (its segments were recorded before it)."""
    manifest = _load(index_dir) or {"files": {}}
    path = index_dir / toc_name
    info = path.stat()
    manifest.pop("unreadable", None)
    manifest["toc"] = [toc_name, info.st_size, info.st_mtime_ns, crc_of(path)]
    write_atomically(index_dir / MANIFEST_FILE, json.dumps(manifest, sort_keys=True))


def verify_toc(index_dir: Path, toc_name: str) -> str | None:
    """What is wrong with the table of contents ``toc_name`` (always read: it is small), or
    with the list of checksums; None when it is as recorded, or was not recorded."""
    manifest = _load(index_dir)
    if manifest is None:
        return None  # an index with no commit yet
    if "unreadable" in manifest:
        return str(manifest["unreadable"])
    toc = _toc_record(manifest, toc_name)
    problem = _check(index_dir / toc_name, toc, full=True) if toc is not None else None
    return f"{toc_name} {problem}" if problem is not None else None


def verify(index_dir: Path, indexname: str, segments: Iterable[Any], *, full: bool) -> Damage | None:
    """What is wrong with the files of ``segments``, or None.

    ``full`` reads every recorded file; otherwise only those whose size or modification time
    changed are read (a file of another size is damaged without reading it).
    """
    manifest = _load(index_dir)
    if manifest is None or "unreadable" in manifest:
        return None  # no commit yet; an unreadable list is for ``verify_toc`` to report
    live = {segment.segid for segment in segments}
    problems: list[str] = []
    damaged: set[str] = set()
    for name, entry in sorted(manifest["files"].items()):
        segid = _segment_of(name, indexname)
        record = _record(entry)
        if segid not in live or record is None:
            continue
        problem = _check(index_dir / name, record, full=full)
        if problem is not None:
            problems.append(f"{name} {problem}")
            damaged.add(segid)  # type: ignore[arg-type]  # live ids are strings
    if not problems:
        return None
    return Damage(tuple(problems), frozenset(damaged))


def _toc_record(manifest: dict[str, Any], toc_name: str) -> Record | None:
    """The record of ``toc_name``; None when the manifest was written for another one (a
    commit that died between its table of contents and this record)."""
    toc = manifest.get("toc")
    if isinstance(toc, list) and len(toc) == 4 and toc[0] == toc_name:
        return _record(toc[1:])
    return None


def _check(path: Path, record: Record, *, full: bool) -> str | None:
    """Why the file at ``path`` is not the one recorded, or None."""
    size, mtime, crc = record
    try:
        info = path.stat()
    except FileNotFoundError:
        return "is missing"
    if info.st_size != size:
        return f"has {info.st_size:,} bytes, not {size:,}"
    if crc is None or (not full and info.st_mtime_ns == mtime):
        return None
    try:
        if crc_of(path) != crc:
            return "does not match its checksum"
    except OSError as error:
        return f"cannot be read ({error.strerror or type(error).__name__})"
    return None
