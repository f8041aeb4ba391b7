"""Remembering that part of a corpus's derived state is damaged, until a sync repairs it.

A read that fails (a search, a snippet, the list) cannot repair anything itself: it may run in
another process than the next sync, or while one runs. It checks what it can at once (the
index files' checksums, ``PRAGMA quick_check`` on the SQLite catalogs), writes what it found
here, next to the index, and says so; the next sync, from any process, reads this note first
and rebuilds what it names. The note is a small JSON file written atomically: no SQLite file,
which may be the damaged part. ``Checks`` runs those checks for one corpus.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from reader.core.files import write_atomically
from reader.core.index.catalog import Catalog, CatalogError
from reader.core.index.locking import CorpusLock, LockTimeout
from reader.core.index.query import QueryError
from reader.core.paths import IndexFolder

INDEX = "index"
CATALOG = "catalog"
ANALYSIS = "analysis"
PARTS = (INDEX, CATALOG, ANALYSIS)


def _path(folder: IndexFolder) -> Path:
    return folder.base / "damaged.json"


def read_damage(folder: IndexFolder) -> dict[str, str]:
    """Each damaged part (``INDEX``, ``CATALOG``, ``ANALYSIS``) with why; empty when none."""
    try:
        found = json.loads(_path(folder).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {INDEX: "a note of damage could not be read"}  # check the index, to be safe
    if not isinstance(found, dict):
        return {INDEX: "a note of damage could not be read"}
    return {part: str(why) for part, why in found.items() if part in PARTS}


def mark_damaged(folder: IndexFolder, part: str, why: str) -> None:
    """Note that ``part`` must be rebuilt by the next sync, and why (for its message)."""
    damage = read_damage(folder)
    damage.setdefault(part, why)
    write_atomically(_path(folder), json.dumps(damage, sort_keys=True))


def clear_damage(folder: IndexFolder, parts: set[str]) -> None:
    """Forget ``parts`` once they are rebuilt (a part noted meanwhile stays noted)."""
    damage = {part: why for part, why in read_damage(folder).items() if part not in parts}
    if damage:
        write_atomically(_path(folder), json.dumps(damage, sort_keys=True))
    else:
        _path(folder).unlink(missing_ok=True)


def remove_damaged_stores(folder: IndexFolder, noted: dict[str, str]) -> list[str]:
    """Delete the catalog and the analysis files ``noted`` as damaged (closed by the caller);
    what to tell the user."""
    told = []
    for part, path, done in (
        (CATALOG, folder.catalog_path, "the article catalog was damaged ({}); it has been rebuilt"),
        (ANALYSIS, folder.analysis_path, "the cross-article analysis was damaged ({}); it has been made again"),
    ):
        if part in noted:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            told.append(done.format(noted[part]))
    return told


def quick_check(path: Path) -> str | None:
    """What ``PRAGMA quick_check`` finds wrong with the SQLite file at ``path``, or None.

    A file that is not there is not damaged (it is made anew when needed).
    """
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10.0)
    except sqlite3.Error as error:
        return str(error) or type(error).__name__
    try:
        rows = db.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.Error as error:
        return str(error) or type(error).__name__
    finally:
        db.close()
    lines = [line.strip() for row in rows if row and row[0] != "ok" for line in str(row[0]).splitlines()]
    problems = [line for line in lines if line and not line.startswith("***")]
    if not problems:
        return None
    more = f" and {len(problems) - 2} more problems" if len(problems) > 3 else ""
    return "; ".join(problems[: 2 if more else 3]) + more


def described(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


class IndexReadError(QueryError):
    """A search failed because the index (or the catalog) could not be read. What is damaged
    has been checked and noted: the next sync repairs it (the app starts one at once)."""


def _unreadable(what: str, found: str) -> IndexReadError:
    return IndexReadError(f"{what} could not be read ({found}); it is repaired at the next sync")


def open_catalog(path: Path, notes: list[str]) -> Catalog:
    """The catalog at ``path``; made anew (and said so in ``notes``) when it cannot be opened."""
    try:
        return Catalog(path)
    except CatalogError as error:
        if isinstance(error.__cause__, sqlite3.OperationalError):  # busy or locked: not damage
            raise
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        notes.append(f"the article catalog was damaged ({error}); it has been rebuilt")
        return Catalog(path)


class Checks:
    """The checks a failed read (or the app, in the background) runs on one corpus's state."""

    def __init__(self, folder: IndexFolder) -> None:
        self.folder = folder

    def noted(self) -> dict[str, str]:
        return read_damage(self.folder)

    def verify(self) -> str | None:
        """Every file of the index against its checksum (all read); skipped while a sync holds
        the index (it checks what it opens). What is damaged is noted, and returned."""
        from reader.core.index.index_files import verify_index  # imports Whoosh

        lock = CorpusLock(self.folder.lock_path)
        try:
            lock.acquire(timeout=0)
        except LockTimeout:
            return None
        try:
            found = verify_index(self.folder.index_dir)
        finally:
            lock.release()
        if found is not None:
            mark_damaged(self.folder, INDEX, found)
        return found

    def index_failed(self, error: BaseException) -> str | None:
        """A read of the index failed: check all of it, and the catalogs; note what is damaged
        and return it. None when every file is sound and the error is the system's (no file
        handle left, a disk gone): that is no damage, and nothing is to be rebuilt."""
        from reader.core.index.index_files import verify_index  # imports Whoosh

        self.stores()
        found = verify_index(self.folder.index_dir)
        if found is None and isinstance(error, OSError) and not isinstance(error, FileNotFoundError):
            return None
        found = found or described(error)
        mark_damaged(self.folder, INDEX, found)
        return found

    def index_read_error(self, error: Exception) -> IndexReadError:
        """The error a search reports when the index could not be read (checked and noted)."""
        found = self.index_failed(error)
        if found is None:
            return IndexReadError(f"the search index could not be read ({described(error)})")
        return _unreadable("the search index", found)

    def catalog_read_error(self, error: Exception) -> IndexReadError:
        """The same for the catalog. A busy or locked catalog, or a failing disk, is no damage:
        that error goes on."""
        if isinstance(error, sqlite3.OperationalError):
            raise error
        return _unreadable("the article catalog", self.catalog_failed(error))

    def catalog_failed(self, error: BaseException) -> str:
        """A read of the catalog failed: ``PRAGMA quick_check`` it, and note it damaged either
        way (a row that does not decode is damage quick_check cannot see)."""
        found = self.stores().get(CATALOG) or described(error)
        mark_damaged(self.folder, CATALOG, found)
        return found

    def stores(self) -> dict[str, str]:
        """``PRAGMA quick_check`` on the catalog and the analysis; each damaged one, noted."""
        found: dict[str, str] = {}
        for part, path in ((CATALOG, self.folder.catalog_path), (ANALYSIS, self.folder.analysis_path)):
            problem = quick_check(path)
            if problem is not None:
                mark_damaged(self.folder, part, problem)
                found[part] = problem
        return found
