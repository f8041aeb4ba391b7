"""How the search index's files are read: one positioned read per lookup, no memory maps.

Whoosh's own reading path maps each segment and then copies every part of it into a
``BytesIO``: opening a 100k-article index held about 950 MB (the index mapped, and copied).
Its fallback without maps reads through three layers of Python file objects, a seek and a read
per lookup, which made prefix and fuzzy searches two to four times slower. Segments are
therefore written as separate files (not one compound file) and read here with ``os.pread``:
only the blocks a search touches are read, and no memory holds more than they need.
"""

from __future__ import annotations

import os
import threading
from array import array
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import _SIZEMAP, StructFile
from whoosh.system import IS_LITTLE

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
