"""The SQLite file the cross-article analysis lives in: its schema, and opening it safely.

Everything in it can be rebuilt from the files, so it lives in the corpus cache, and a file that
is outdated (another schema version) or damaged is emptied and made again: ``reset`` tells the
caller that every record has to be fed again.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import AbstractContextManager
from pathlib import Path

from reader.core.cross_article.holder_tables import RECENT_SCHEMA
from reader.core.sqlite_access import immediate_transaction, journal_mode_wal

SCHEMA_VERSION = "3"  # 3: recent twins of the gram and band tables (holder_tables)
_UPGRADABLE = "2"  # 2: people have a kind of name, a gender and a surname (linking across articles)

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles(
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    outlet TEXT,
    date TEXT,
    order_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    signature BLOB NOT NULL,
    dup_group TEXT
);
CREATE INDEX articles_dup_group ON articles(dup_group);
CREATE TABLE variants(
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    gram_count INTEGER NOT NULL,
    cluster INTEGER NOT NULL
);
CREATE INDEX variants_cluster ON variants(cluster);
CREATE TABLE quotes(
    article_id TEXT NOT NULL,
    quote_start INTEGER NOT NULL,
    quote_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker TEXT,
    speaker_key TEXT,
    variant INTEGER,
    wording TEXT,
    changes TEXT
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_variant ON quotes(variant);
CREATE INDEX quotes_speaker ON quotes(speaker_key);
CREATE TABLE grams(gram INTEGER NOT NULL, variant INTEGER NOT NULL, PRIMARY KEY (gram, variant))
    WITHOUT ROWID;
CREATE TABLE quote_links(low INTEGER NOT NULL, high INTEGER NOT NULL, PRIMARY KEY (low, high))
    WITHOUT ROWID;
CREATE INDEX quote_links_high ON quote_links(high, low);
CREATE TABLE statement_links(article_id TEXT NOT NULL, low INTEGER NOT NULL, high INTEGER NOT NULL);
CREATE INDEX statement_links_article ON statement_links(article_id);
CREATE INDEX statement_links_low ON statement_links(low);
CREATE INDEX statement_links_high ON statement_links(high);
CREATE TABLE people(
    article_id TEXT NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    quoted INTEGER NOT NULL,
    kind TEXT NOT NULL,
    gender TEXT NOT NULL,
    surname TEXT NOT NULL,
    PRIMARY KEY (article_id, key)
) WITHOUT ROWID;
CREATE INDEX people_key ON people(key);
CREATE INDEX people_surname ON people(surname, kind);
CREATE TABLE wording_dirty(variant INTEGER PRIMARY KEY);
CREATE TABLE bands(band INTEGER NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (band, article_id))
    WITHOUT ROWID;
CREATE TABLE dup_links(low TEXT NOT NULL, high TEXT NOT NULL, PRIMARY KEY (low, high)) WITHOUT ROWID;
CREATE INDEX dup_links_high ON dup_links(high, low);
"""


class AnalysisFile:
    """One open analysis file. Safe to share between threads: every use holds ``lock``; several
    processes may open the same file (SQLite's write-ahead log keeps readers and the one writer
    apart)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.reset = False  # True when the file was new, outdated or damaged and is now empty
        self.lock = threading.RLock()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.OperationalError:
            raise  # locked or unreadable: someone else's problem to report, not a reason to delete
        except sqlite3.DatabaseError:  # not a database, or a damaged one: it is only a cache
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        try:
            journal_mode_wal(db, 30)  # another process may be making the same new file
            db.execute("PRAGMA synchronous=NORMAL")
            # 8 MB: at 100k the gram and band tables (~115 MB) outgrow any cache worth its memory;
            # pages missed come from the OS cache, and a first build costs the same CPU as with 32 MB
            db.execute("PRAGMA cache_size=-8000")
            db.execute("BEGIN IMMEDIATE")  # two processes opening a new file: one creates it
            version = _schema_version(db)
            if version == _UPGRADABLE:
                _add_wording(db)
                _add_recent_tables(db)
            elif version != SCHEMA_VERSION:
                self.reset = True
                _create_schema(db)
            db.execute("COMMIT")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One atomic change: everything inside is written, or nothing is."""
        return immediate_transaction(self.db, self.lock)

    def close(self) -> None:
        with self.lock:
            self.db.close()


def _tables(db: sqlite3.Connection) -> list[str]:
    return [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]


def _schema_version(db: sqlite3.Connection) -> str | None:
    if "meta" not in _tables(db):
        return None
    row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    return row[0] if row else None


def _create_schema(db: sqlite3.Connection) -> None:
    """Drop whatever the file held and make the current tables, empty."""
    for table in _tables(db):
        db.execute(f'DROP TABLE IF EXISTS "{table}"')
    _run(db, _SCHEMA)
    db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    _run(db, RECENT_SCHEMA)


def _run(db: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _add_recent_tables(db: sqlite3.Connection) -> None:
    """Upgrade a version 2 file in place: its rows stay, new gram and band rows go to the
    recent tables (empty)."""
    _run(db, RECENT_SCHEMA)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,))


def _add_wording(db: sqlite3.Connection) -> None:
    """Give a file made before quotes had their wording stored the columns for it, every
    cluster marked to be compared: the records stay, nothing is read from the files again."""
    if "wording_dirty" in _tables(db):
        return
    db.execute("ALTER TABLE quotes ADD COLUMN wording TEXT")
    db.execute("ALTER TABLE quotes ADD COLUMN changes TEXT")
    db.execute("CREATE TABLE wording_dirty(variant INTEGER PRIMARY KEY)")
    db.execute("INSERT INTO wording_dirty SELECT id FROM variants")
