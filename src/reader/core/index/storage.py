"""How the search index's files are read: one positioned read per lookup, no memory maps.

Whoosh's own reading path maps each segment and then copies every part of it into a
``BytesIO``: opening a 100k-article index held about 950 MB (the index mapped, and copied).
Its fallback without maps reads through three layers of Python file objects, a seek and a read
per lookup, which made prefix and fuzzy searches two to four times slower. Segments are
therefore written as separate files (not one compound file) and read here with ``os.pread``:
only the blocks a search touches are read, and no memory holds more than they need.
"""

from __future__ import annotations

import json
import os
import threading
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import _SIZEMAP, StructFile
from whoosh.system import IS_LITTLE

from reader.core.files import write_atomically

SIZES_FILE = "sizes.json"
_PREAD = getattr(os, "pread", None)


class _PositionedFile(StructFile):  # type: ignore[misc]  # Whoosh is untyped
    """A segment file whose random reads are single ``pread`` calls.

    Like Whoosh's in-memory files, ``get`` leaves the stream position alone, so sequential
    reads (``read``, ``seek``) and random reads can be mixed, and random reads from several
    threads never disturb each other.
    """

    def __init__(self, path: str, name: str, **options: Any) -> None:
        super().__init__(open(path, "rb"), name=name, **options)  # noqa: SIM115 - closed by close()
        self._descriptor = self.file.fileno()
        self._lock = threading.Lock()

    def get(self, position: int, length: int) -> bytes:
        if _PREAD is not None:
            read: bytes = _PREAD(self._descriptor, length, position)
            return read
        with self._lock:  # no pread (Windows): seek, read and put the position back
            here = self.file.tell()
            self.file.seek(position)
            found: bytes = self.file.read(length)
            self.file.seek(here)
            return found

    def get_array(self, position: int, typecode: str, length: int) -> array[Any]:
        values = array(typecode)
        values.frombytes(self.get(position, length * _SIZEMAP[typecode]))
        if IS_LITTLE:
            values.byteswap()
        return values


class IndexStorage(FileStorage):  # type: ignore[misc]  # Whoosh is untyped
    """The index folder; its files open as ``_PositionedFile``.

    ``supports_mmap=False`` also keeps an older compound segment, should one be opened, from
    being copied into memory (it is read through Whoosh's slower sub-file path instead).
    """

    def __init__(self, path: str) -> None:
        super().__init__(path, supports_mmap=False)

    def open_file(self, name: str, **options: Any) -> StructFile:
        return _PositionedFile(self._fpath(name), name, **options)


def _segment_prefixes(indexname: str, segments: Iterable[Any]) -> set[str]:
    return {f"{indexname}_{segment.segid}" for segment in segments}


def record_sizes(index_dir: Path, indexname: str, segments: Iterable[Any]) -> None:
    """Remember the size of every file of ``segments``; call it before they are committed.

    Segment files never change once written, so one that is later missing or of another size
    was damaged (a truncated copy, a full disk, a stray delete) and the index must be rebuilt.
    Whoosh cannot tell: a postings file has no trailer to check.
    """
    prefixes = _segment_prefixes(indexname, segments)
    sizes = {
        entry.name: entry.stat().st_size
        for entry in os.scandir(index_dir)
        if entry.name.split(".", 1)[0] in prefixes
    }
    write_atomically(index_dir / SIZES_FILE, json.dumps(sizes, sort_keys=True))


def size_damage(index_dir: Path, indexname: str, segments: Iterable[Any]) -> str | None:
    """Which file of ``segments`` is missing or not its recorded size; None when all are."""
    try:
        recorded = json.loads((index_dir / SIZES_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None  # an index with no commit yet
    except (OSError, ValueError) as error:
        return f"its list of file sizes cannot be read ({type(error).__name__})"
    if not isinstance(recorded, dict):
        return "its list of file sizes is not a list of sizes"
    prefixes = _segment_prefixes(indexname, segments)
    for name, size in recorded.items():
        if name.split(".", 1)[0] not in prefixes:
            continue
        try:
            actual = (index_dir / name).stat().st_size
        except FileNotFoundError:
            return f"{name} is missing"
        if actual != size:
            return f"{name} has {actual:,} bytes, not {size:,}"
    return None
