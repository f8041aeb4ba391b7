"""How the program's SQLite files (catalog, analysis) are changed and searched by many keys."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
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
