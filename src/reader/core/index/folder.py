"""Where one corpus's index, catalog, lock and staging area live (no Whoosh needed to know)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reader.core.paths import corpus_cache_dir


@dataclass(frozen=True, slots=True)
class IndexFolder:
    """Where one corpus's derived state lives: all of it in the user's private cache.

    The folder is resolved once, when made, so a library keeps using the same files.
    """

    root: Path
    base: Path

    @classmethod
    def of(cls, root: Path) -> IndexFolder:
        return cls(root, corpus_cache_dir(root))

    @property
    def index_dir(self) -> Path:
        return self.base / "index"

    @property
    def catalog_path(self) -> Path:
        return self.base / "catalog.sqlite3"

    @property
    def lock_path(self) -> Path:
        return self.base / "write.lock"

    @property
    def staging_dir(self) -> Path:
        return self.base / "staging"
