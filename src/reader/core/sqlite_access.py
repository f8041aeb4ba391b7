"""How the program's SQLite files are opened, changed and searched by many keys."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MAX_BOUND_VALUES = 900
"""Values bound to one statement, well under SQLite's limit (999 in older builds)."""

KEYS = "(?keys)"
"""Stands in a statement for the parenthesised placeholders of one slice of keys."""


@contextmanager
def immediate_transaction(
    db: sqlite3.Connection, lock: threading.Lock | threading.RLock
) -> Iterator[sqlite3.Connection]:
    """Everything inside is written, or nothing is.

    ``BEGIN IMMEDIATE`` takes the write lock up front, so two processes never both read and
    then fail to write; the thread lock keeps one connection to one transaction at a time.
    """
    with lock:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def slices(values: Sequence[Any], size: int = MAX_BOUND_VALUES) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def for_keys(db: sqlite3.Connection, statement: str, keys: Iterable[Any]) -> Iterator[Any]:
    """Run ``statement`` over any number of keys, a slice at a time, and yield every row.

    Each ``(?keys)`` in the statement becomes ``(?, ?, …)`` for one slice of the keys (sorted,
    duplicates dropped), bound once per occurrence: ``WHERE low IN (?keys) OR high IN (?keys)``.
    Deletes and updates work the same way and yield nothing.
    """
    uses = statement.count(KEYS)
    if uses == 0:
        raise ValueError(f"the statement has no {KEYS}: {statement}")
    for part in slices(sorted(set(keys)), MAX_BOUND_VALUES // uses):
        bound = statement.replace(KEYS, f"({','.join('?' * len(part))})")
        yield from db.execute(bound, list(part) * uses).fetchall()


def run_for_keys(db: sqlite3.Connection, statement: str, keys: Iterable[Any]) -> None:
    """``for_keys`` for a statement that returns nothing (a delete or an update)."""
    for _ in for_keys(db, statement, keys):
        pass


def open_durable(path: Path, timeout: float) -> sqlite3.Connection:
    """Open (creating, readable by the user alone) a file of user data, in WAL mode with full
    syncs: a commit that returned is on disk. ``timeout``: seconds to wait for another writer."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # SQLite gives the -wal and -shm files the same mode
    connection = sqlite3.connect(
        path, timeout=timeout, isolation_level=None, check_same_thread=False
    )
    try:
        mode = journal_mode_wal(connection, timeout)
        if mode != "wal":
            raise sqlite3.DatabaseError(f"cannot switch to WAL mode (got {mode})")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        connection.close()
        raise
    return connection


def journal_mode_wal(connection: sqlite3.Connection, timeout: float) -> str:
    """Switch to WAL, waiting up to ``timeout`` for another process doing the same: SQLite
    answers "database is locked" at once there (no busy handler, to avoid a deadlock), which
    two instances opening a new store together meet."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return str(connection.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)
