"""The files a sync queues for the build, kept as columns rather than one object per file.

A first open of 100,000 files queues 100,000 jobs, held by the main process for the whole
build: as ``FileJob`` objects, each with its ``Path``, they took ~40 MB there (and as long to
pickle to the workers). Here a job is a path text, two integers in arrays and a fingerprint
slot; a ``FileJob`` is made only when one is read (in the worker that builds it).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from reader.core.pipeline.build import FileJob


class FileJobs(Sequence["FileJob"]):
    """A sequence of ``FileJob`` stored column by column; a slice is another ``FileJobs``."""

    __slots__ = ("_fingerprints", "_index", "_mtimes", "_paths", "_sizes")

    def __init__(self) -> None:
        self._paths: list[str] = []
        self._sizes = array("q")
        self._mtimes = array("q")
        self._fingerprints: list[str | None] = []  # what the catalog knew of the text, if anything
        self._index = bytearray()  # 0: only the cross-article record is wanted

    def add(
        self, path: str, size: int, mtime_ns: int, known_fingerprint: str | None = None, index: bool = True
    ) -> None:
        self._paths.append(path)
        self._sizes.append(size)
        self._mtimes.append(mtime_ns)
        self._fingerprints.append(known_fingerprint)
        self._index.append(index)

    def extend(self, jobs: Iterable[FileJob]) -> None:
        for job in jobs:
            self.add(str(job.path), job.size, job.mtime_ns, job.known_fingerprint, job.index)

    @property
    def paths(self) -> list[str]:
        """Each job's path, as text."""
        return self._paths

    def __len__(self) -> int:
        return len(self._paths)

    @overload
    def __getitem__(self, position: int) -> FileJob: ...

    @overload
    def __getitem__(self, position: slice) -> FileJobs: ...

    def __getitem__(self, position: int | slice) -> FileJob | FileJobs:
        if isinstance(position, slice):
            part = FileJobs()
            part._paths = self._paths[position]
            part._sizes = self._sizes[position]
            part._mtimes = self._mtimes[position]
            part._fingerprints = self._fingerprints[position]
            part._index = self._index[position]
            return part
        from reader.core.pipeline.build import FileJob

        return FileJob(
            Path(self._paths[position]),
            self._sizes[position],
            self._mtimes[position],
            self._fingerprints[position],
            bool(self._index[position]),
        )

    def __iter__(self) -> Iterator[FileJob]:
        for position in range(len(self._paths)):
            yield self[position]

    def __repr__(self) -> str:
        return f"FileJobs({len(self)} files)"

