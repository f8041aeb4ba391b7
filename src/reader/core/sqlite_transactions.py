"""One way to make an atomic change to the program's SQLite files (catalog, analysis)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def immediate_transaction(db: sqlite3.Connection, lock: threading.Lock | threading.RLock) -> Iterator[sqlite3.Connection]:
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
