"""Rows handed from a build worker to the main process through a file, not through memory."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

Row = TypeVar("Row")


class Spilled(Generic[Row]):
    """Rows written to a file in the chunk's staging folder as they are made and read back one
    at a time. A chunk's texts and cross-article records for 16,000 articles, sent to the main
    process as lists, held a few hundred MB there (and in the worker) during a 100k build."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._file: IO[bytes] | None = None

    def add(self, row: Row) -> None:
        if self._file is None:
            self._file = open(self.path, "ab")  # noqa: SIM115 - closed by close()
        pickle.dump(row, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __getstate__(self) -> dict[str, Any]:
        self.close()  # what travels to the main process is the path and the count
        return {"path": self.path, "count": self.count}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path, self.count, self._file = state["path"], state["count"], None

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Row]:
        self.close()
        if not self.count:
            return
        with open(self.path, "rb") as spilled:
            for _ in range(self.count):
                row: Row = pickle.load(spilled)  # noqa: S301 - our own worker's file, in our private cache
                yield row
