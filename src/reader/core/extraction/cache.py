"""Extraction results kept by the exact text they came from, so that rebuilding an index (a new
index format or schema, a damaged index) does not extract every article again.

An entry is keyed by a digest of the exact text, not by ``Article.fingerprint``: that one
ignores case and spacing, and both change what extraction finds and where. Each entry also
carries the article's fingerprint, so ``prune`` can drop the entries of texts the corpus no
longer holds. The file is cleared whenever ``EXTRACTION_VERSION`` (or how entries are stored)
changes, never by the index format. SQLite in WAL mode: a crash loses at most the entries of a
batch not yet committed, and any error makes the cache step aside (the build extracts instead).
"""

from __future__ import annotations

import hashlib
import marshal
import sqlite3
import threading
from collections.abc import Collection
from pathlib import Path
from typing import Any, Protocol

from reader.core.extraction import EXTRACTION_VERSION, extract_article
from reader.core.extraction.model import Extraction, Person, Quote
from reader.core.models import Article
from reader.core.sqlite_access import immediate_transaction, journal_mode_wal

_LAYOUT = 1  # bump when the stored form of an entry changes
_BATCH = 250  # entries written per transaction
_TIMEOUT = 30.0  # seconds to wait for another build process's transaction
# Pages kept by each connection, in KiB. Each build worker has one: SQLite's default (2 MB) filled
# up through a chunk; entries are written once and read once, so pages missed come from the OS
# cache (a 100k chunk, first build and rebuild: ~2 MB less a worker at its peak, the same CPU).
_PAGE_CACHE_KIB = 256
_DEAD_SHARE = 10  # entries are pruned once those of gone texts may pass 1/10 of the corpus
_DEAD_SLACK = 100
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS extractions (key BLOB PRIMARY KEY, fingerprint TEXT NOT NULL, data BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS extractions_by_fingerprint ON extractions (fingerprint)",
)


def _stamp() -> str:
    return f"extraction-{EXTRACTION_VERSION}/layout-{_LAYOUT}/marshal-{marshal.version}"


def text_key(text: str) -> bytes:
    """The digest an entry is found by: equal only for the same characters."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def encode(extraction: Extraction) -> bytes:
    """Plain tuples, marshalled: a quote's text is left out (it is ``text[start:end]``)."""
    quotes = tuple((q.start, q.end, q.speaker, q.speaker_kind) for q in extraction.quotes)
    people = tuple((p.name, p.aliases, p.mentions, p.quoted, p.spans, p.name_kind, p.gender) for p in extraction.people)
    return marshal.dumps((quotes, people))


def decode(text: str, data: bytes) -> Extraction:
    """The extraction ``encode`` stored for ``text``; raises ValueError when it is not one."""
    try:
        quotes, people = marshal.loads(data)  # noqa: S302 - our own entries, in the private cache
        return Extraction(
            tuple(Quote(text[start:end], start, end, speaker, kind) for start, end, speaker, kind in quotes),
            tuple(Person(*fields) for fields in people),
        )
    except (EOFError, TypeError, ValueError) as error:
        raise ValueError(f"not a stored extraction: {error}") from error


class ExtractionCache:
    """One process's connection to a corpus's kept extractions. Not for sharing between threads."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._pending: list[tuple[bytes, str, bytes]] = []
        self._db: sqlite3.Connection | None = _connect(path)
        # Empty when opened (a first build): no look-up can find anything, so none is made.
        self._filled = self._db.execute("SELECT 1 FROM extractions LIMIT 1").fetchone() is not None

    @classmethod
    def open(cls, path: Path) -> ExtractionCache | None:
        """The cache at ``path``, or None when it cannot be used (the build then extracts)."""
        try:
            return cls(path)
        except sqlite3.DatabaseError as error:
            if type(error) is not sqlite3.DatabaseError:
                return None  # locked, or out of space: this build does without
        except OSError:
            return None
        forget_extractions(path)  # "file is not a database": start it again
        try:
            return cls(path)
        except (OSError, sqlite3.Error):
            return None

    def extract(self, article: Article) -> Extraction:
        """``extract_article``, from the cache when this exact text was extracted before."""
        key = text_key(article.text)
        kept = self._get(key, article.text)
        if kept is not None:
            return kept
        found = extract_article(article)
        self._put(key, article.fingerprint, found)
        return found

    def get(self, text: str) -> Extraction | None:
        return self._get(text_key(text), text)

    def put(self, text: str, fingerprint: str, extraction: Extraction) -> None:
        """Keep ``extraction``; written with the next batch (or at ``close``)."""
        self._put(text_key(text), fingerprint, extraction)

    def _get(self, key: bytes, text: str) -> Extraction | None:
        if self._db is None or not self._filled:
            return None
        try:
            row = self._db.execute("SELECT data FROM extractions WHERE key = ?", (key,)).fetchone()
            return None if row is None else decode(text, row[0])
        except ValueError:
            return None  # a damaged entry: extracted again, and replaced
        except sqlite3.Error:
            self._step_aside()
            return None

    def _put(self, key: bytes, fingerprint: str, extraction: Extraction) -> None:
        if self._db is None:
            return
        self._pending.append((key, fingerprint, encode(extraction)))
        self._filled = True
        if len(self._pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the pending entries; on an error (a full disk, a lock held too long) the cache
        steps aside for the rest of this build instead of failing it."""
        if self._db is None or not self._pending:
            return
        try:
            with immediate_transaction(self._db, self._lock) as db:
                db.executemany("INSERT OR REPLACE INTO extractions VALUES (?, ?, ?)", self._pending)
            self._pending.clear()
        except sqlite3.Error:
            self._step_aside()

    def _step_aside(self) -> None:
        self._pending.clear()
        if self._db is not None:
            self._db.close()
            self._db = None

    def prune(self, live_fingerprints: Collection[str]) -> int:
        """Drop the entries of texts whose fingerprint is not in ``live_fingerprints``; how many."""
        self.flush()
        if self._db is None:
            return 0
        with immediate_transaction(self._db, self._lock) as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS live (fingerprint TEXT PRIMARY KEY)")
            db.execute("DELETE FROM live")
            db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((f,) for f in live_fingerprints))
            dropped = db.execute("DELETE FROM extractions WHERE fingerprint NOT IN (SELECT fingerprint FROM live)")
            db.execute("DELETE FROM live")
        return int(dropped.rowcount)

    def entries(self) -> int:
        if self._db is None:
            return 0
        return int(self._db.execute("SELECT COUNT(*) FROM extractions").fetchone()[0])

    def close(self) -> None:
        """Write what is pending and let go of the file."""
        self.flush()
        self._step_aside()


class CatalogLike(Protocol):
    """What pruning reads of ``reader.core.index.catalog.Catalog``."""

    def counts(self) -> tuple[int, int]: ...

    def stats(self) -> dict[str, tuple[int, int, str]]: ...


def prune_extractions(path: Path, catalog: CatalogLike) -> int:
    """Keep the cache from growing without bound: once it holds more entries than the
    catalog's articles could account for, drop those whose text's fingerprint no article has
    (the catalog is read whole only then). How many went."""
    if not path.exists():
        return 0
    cache = ExtractionCache.open(path)
    if cache is None:
        return 0
    try:
        listed = catalog.counts()[0]
        if cache.entries() <= listed + listed // _DEAD_SHARE + _DEAD_SLACK:
            return 0
        return cache.prune({fingerprint for _, _, fingerprint in catalog.stats().values()})
    except sqlite3.Error:
        return 0  # pruned another time
    finally:
        cache.close()


def forget_extractions(path: Path) -> None:
    """Delete the cache (a rebuild from scratch was asked for); the next build fills it again."""
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        part.unlink(missing_ok=True)


def _connect(path: Path) -> sqlite3.Connection:
    """Open (making) the file, and clear it if other extraction rules or another layout made it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = sqlite3.connect(path, timeout=_TIMEOUT, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA synchronous = NORMAL")  # a cache: a lost last batch is extracted again
        db.execute(f"PRAGMA cache_size = -{_PAGE_CACHE_KIB}")
        journal_mode_wal(db, _TIMEOUT)
        with immediate_transaction(db, threading.Lock()):
            for statement in _SCHEMA:
                db.execute(statement)
            _clear_if_stale(db)
    except BaseException:
        db.close()
        raise
    return db


def _clear_if_stale(db: sqlite3.Connection) -> None:
    row: Any = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
    if row is not None and row[0] == _stamp():
        return
    db.execute("DELETE FROM extractions")
    db.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (_stamp(),))
