"""The tables from a hashed key to who holds it: ``grams`` (variants) and ``bands`` (articles).

Their keys are hashes, so every update's rows land all over the table: at 100k articles one
slice of a first build dirtied nearly every page of both (about 28,000), and every commit wrote
them all again. New rows go to a small ``<table>_recent`` twin instead, which stays in the page
cache; when it has taken ``RECENT_LIMIT`` rows it is moved into the large table in one pass in
key order, so the large table is rewritten a few times per build instead of once per commit.
Lookups and deletes see both parts, so the answers are those of one table.

Every function here runs inside the caller's transaction; table and column names are our own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

HOLDER_TABLES = {"grams": ("gram", "variant"), "bands": ("band", "article_id")}
RECENT_LIMIT = 300_000  # rows taken by a recent table before it is moved into its large one

RECENT_SCHEMA = """
CREATE TABLE grams_recent(gram INTEGER NOT NULL, variant INTEGER NOT NULL, PRIMARY KEY (gram, variant))
    WITHOUT ROWID;
CREATE TABLE bands_recent(band INTEGER NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (band, article_id))
    WITHOUT ROWID;
INSERT INTO meta VALUES ('grams_recent_rows', '0');
INSERT INTO meta VALUES ('bands_recent_rows', '0');
"""


def insert(db: sqlite3.Connection, table: str, rows: Iterable[tuple[Any, Any]]) -> None:
    """Add (key, holder) rows (in key order: into a large tree, twice as fast as hash order);
    move the recent rows into the large table when there are enough of them."""
    ordered = sorted(rows, key=itemgetter(0))
    db.executemany(f"INSERT INTO {table}_recent VALUES (?, ?)", ordered)
    taken = int(db.execute("SELECT value FROM meta WHERE key = ?", (f"{table}_recent_rows",)).fetchone()[0])
    taken += len(ordered)
    if taken >= RECENT_LIMIT:
        db.execute(f"INSERT INTO {table} SELECT * FROM {table}_recent")
        db.execute(f"DELETE FROM {table}_recent")
        taken = 0
    db.execute("UPDATE meta SET value = ? WHERE key = ?", (str(taken), f"{table}_recent_rows"))


def delete(db: sqlite3.Connection, table: str, rows: Iterable[tuple[Any, Any]]) -> None:
    """Remove (key, holder) rows from whichever part holds them."""
    key, holder = HOLDER_TABLES[table]
    listed = list(rows)
    for part in (table, f"{table}_recent"):
        db.executemany(f"DELETE FROM {part} WHERE {key} = ? AND {holder} = ?", listed)


def stored_holders(db: sqlite3.Connection, table: str, wanted: Iterable[int]) -> dict[int, list[Any]]:
    """Which stored rows hold each wanted key: ``{key: [holder, ...]}``.

    The wanted keys go into a temporary table joined in SQL, so a large store is searched by
    its index instead of one query per key. ``CROSS JOIN`` makes the few wanted keys the outer
    loop: left to itself SQLite scans the whole stored table, a cost growing with the corpus.
    """
    key, holder = HOLDER_TABLES[table]
    holders: dict[int, list[Any]] = {}
    parts = [part for part in (table, f"{table}_recent") if db.execute(f"SELECT 1 FROM {part} LIMIT 1").fetchone()]
    if not parts:
        return holders
    scratch = f"wanted_{table}"
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {scratch}(k INTEGER PRIMARY KEY)")
    db.execute(f"DELETE FROM {scratch}")
    # in key order, without repeats: appended to the scratch table's tree, and searched in the
    # stored table's order by the join
    db.executemany(f"INSERT INTO {scratch} VALUES (?)", zip(sorted(set(wanted))))
    for part in parts:
        joined = f"SELECT t.{key}, t.{holder} FROM {scratch} w CROSS JOIN {part} t ON t.{key} = w.k"
        for value, owner in db.execute(joined):
            holders.setdefault(value, []).append(owner)
    db.execute(f"DELETE FROM {scratch}")
    return holders
