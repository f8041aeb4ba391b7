"""The corpus analysis: quote clusters, people, duplicates and dates, kept in one SQLite file.

It is fed ``ArticleAnalysis`` records by the index build and sync, and updated in place: a
changed file replaces only its own rows and re-links only the quotes and copies it touches.
Everything here can be rebuilt from the files, so the database lives in the corpus cache and a
damaged or outdated one is thrown away (``reset`` tells the caller to feed every record again).

Quote matching: each distinct quote key is a "variant" indexed by its hashed word 3-grams. Two
variants are linked when they share at least ``MIN_SHARED_GRAMS`` grams covering at least
``MIN_CONTAINMENT`` of the shorter one, so a truncated, split or re-punctuated quote joins the
full one. A cluster is a connected component of linked variants, named by its smallest variant
id (stable while that wording exists). Near-duplicate articles are linked the same way through
MinHash band keys and grouped by component.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections import Counter
from itertools import chain
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from reader.core.sqlite_transactions import immediate_transaction
from reader.core.across.graph import components, walk_components
from reader.core.across.neardup import DUPLICATE_SIMILARITY, band_keys, similarity
from reader.core.across.normalise import file_order_key, key_grams, name_key
from reader.core.across.records import ArticleAnalysis
from reader.core.across.results import (
    Bucket,
    DuplicateGroup,
    DuplicateMember,
    PersonAcross,
    QuoteCluster,
    QuoteOccurrence,
    Timeline,
)
from reader.core.across.timeline import build_timeline
from reader.core.paths import corpus_cache_dir

SCHEMA_VERSION = "1"
MIN_SHARED_GRAMS = 4
MIN_CONTAINMENT = 0.6
MAX_GRAM_POSTINGS = 2000  # a 3-gram in more distinct quotes than this is a stock phrase
MAX_BAND_POSTINGS = 2000  # a band key shared this widely marks boilerplate stubs, not copies
_CHUNK = 900  # stays under SQLite's limit on bound parameters

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
    variant INTEGER
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
    PRIMARY KEY (article_id, key)
) WITHOUT ROWID;
CREATE INDEX people_key ON people(key);
CREATE TABLE bands(band INTEGER NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (band, article_id))
    WITHOUT ROWID;
CREATE TABLE dup_links(low TEXT NOT NULL, high TEXT NOT NULL, PRIMARY KEY (low, high)) WITHOUT ROWID;
CREATE INDEX dup_links_high ON dup_links(high, low);
"""

# Members are listed in order of appearance: dated first, by date, then in file order.
_APPEARANCE = "a.date IS NULL, a.date, a.order_key"
_OCCURRENCE_COLUMNS = (
    "q.article_id, a.title, q.text, q.quote_start, q.quote_end, q.speaker, a.outlet, a.date, "
    "v.cluster, v.key"
)


def analysis_db_path(root: Path) -> Path:
    """Where the analysis of the corpus at ``root`` is kept: its private cache folder."""
    return corpus_cache_dir(root) / "across.sqlite3"


def _stored_holders(
    db: sqlite3.Connection, table: str, key: str, holder: str, wanted: Iterable[int]
) -> dict[int, list[Any]]:
    """Which stored rows of ``table`` hold each wanted key: ``{key: [holder, ...]}``.

    The wanted keys go into a temporary table joined in SQL, so a large store is searched by
    its index instead of one query per key. ``table``, ``key`` and ``holder`` are our own names.
    """
    holders: dict[int, list[Any]] = {}
    if not db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
        return holders
    scratch = f"wanted_{table}"
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {scratch}(k INTEGER PRIMARY KEY)")
    db.execute(f"DELETE FROM {scratch}")
    db.executemany(f"INSERT OR IGNORE INTO {scratch} VALUES (?)", ((value,) for value in wanted))
    for value, owner in db.execute(
        f"SELECT t.{key}, t.{holder} FROM {table} t JOIN {scratch} w ON w.k = t.{key}"
    ):
        holders.setdefault(value, []).append(owner)
    db.execute(f"DELETE FROM {scratch}")
    return holders


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def _stored_date(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _loaded_date(value: str | None) -> dt.date | dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)


class CorpusAnalysis:
    """Cross-article analysis of one corpus, stored at ``db_path`` and updated incrementally.

    Safe to share between threads (calls are serialised); several processes may open the same
    file (SQLite's write-ahead log keeps readers and the one writer apart).
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.reset = False  # True when the file was new, outdated or damaged and is now empty
        self._lock = threading.RLock()
        db_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open()
        except sqlite3.OperationalError:
            raise  # locked or unreadable: someone else's problem to report, not a reason to delete
        except sqlite3.DatabaseError:  # not a database, or a damaged one: it is only a cache
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.db_path, isolation_level=None, check_same_thread=False, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA cache_size=-32000")  # 32 MB: the gram and band indexes stay in memory
            db.execute("BEGIN IMMEDIATE")  # two processes opening a new file: one creates it
            tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            version = None
            if "meta" in tables:
                row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                version = row[0] if row else None
            if version != SCHEMA_VERSION:
                self.reset = True
                for table in tables:
                    db.execute(f'DROP TABLE IF EXISTS "{table}"')
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            db.execute("COMMIT")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One atomic change: everything inside is written, or nothing is."""
        return immediate_transaction(self._db, self._lock)

    # ------------------------------------------------------------------ updating

    def update(self, records: Iterable[ArticleAnalysis], removed_ids: Iterable[str] = ()) -> None:
        """Store new or changed articles and forget removed ones, re-linking only what they touch."""
        fresh = {record.id: record for record in records}
        leaving = set(removed_ids) | fresh.keys()
        if not leaving:
            return
        with self._transaction() as db:
            stale_variants = self._drop_quotes(db, leaving)
            touched_articles = self._drop_articles(db, leaving)
            self._insert_articles(db, fresh.values())
            created, statement_links = self._insert_quotes(db, fresh.values())
            orphans, orphan_neighbours = self._drop_orphan_variants(db, stale_variants)
            quote_links = self._link_quotes(db, created)
            self._recluster(db, (stale_variants - orphans) | orphan_neighbours, quote_links + statement_links)
            self._link_duplicates(db, fresh.values())
            self._regroup(db, (touched_articles - leaving) | fresh.keys())

    def _drop_quotes(self, db: sqlite3.Connection, article_ids: Collection[str]) -> set[int]:
        """Delete the quotes (and statement links) of these articles; return the variants they used."""
        used: set[int] = set()
        for chunk in _chunks(sorted(article_ids)):
            marks = ",".join("?" * len(chunk))
            used.update(
                row[0]
                for row in db.execute(
                    f"SELECT DISTINCT variant FROM quotes "
                    f"WHERE variant IS NOT NULL AND article_id IN ({marks})",
                    chunk,
                )
            )
            db.execute(f"DELETE FROM quotes WHERE article_id IN ({marks})", chunk)
            db.execute(f"DELETE FROM statement_links WHERE article_id IN ({marks})", chunk)
        return used

    def _drop_articles(self, db: sqlite3.Connection, article_ids: Collection[str]) -> set[str]:
        """Delete the rows of these articles; return the articles their duplicate links reached."""
        reached: set[str] = set()
        for chunk in _chunks(sorted(article_ids)):
            marks = ",".join("?" * len(chunk))
            reached.update(
                row[0]
                for row in db.execute(
                    f"SELECT high FROM dup_links WHERE low IN ({marks}) "
                    f"UNION SELECT low FROM dup_links WHERE high IN ({marks})",
                    [*chunk, *chunk],
                )
            )
            db.execute(f"DELETE FROM dup_links WHERE low IN ({marks}) OR high IN ({marks})", [*chunk, *chunk])
            db.executemany(
                "DELETE FROM bands WHERE band = ? AND article_id = ?",
                [
                    (band, article_id)
                    for article_id, packed in db.execute(
                        f"SELECT id, signature FROM articles WHERE id IN ({marks})", chunk
                    ).fetchall()
                    for band in band_keys(packed)
                ],
            )
            db.execute(f"DELETE FROM people WHERE article_id IN ({marks})", chunk)
            db.execute(f"DELETE FROM articles WHERE id IN ({marks})", chunk)
        return reached

    def _insert_articles(self, db: sqlite3.Connection, records: Iterable[ArticleAnalysis]) -> None:
        rows = []
        people = []
        for record in records:
            rows.append(
                (
                    record.id,
                    record.title,
                    record.outlet,
                    _stored_date(record.date),
                    file_order_key(record.id),
                    record.fingerprint,
                    record.signature,
                )
            )
            merged: dict[str, list[Any]] = {}
            for person in record.people:
                if not person.key:
                    continue
                entry = merged.setdefault(person.key, [person.name, 0, False])
                entry[1] += person.mentions
                entry[2] = entry[2] or person.quoted
            people.extend(
                (record.id, key, name, mentions, int(quoted))
                for key, (name, mentions, quoted) in merged.items()
            )
        db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, NULL)", rows)
        db.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?)", people)

    def _insert_quotes(
        self, db: sqlite3.Connection, records: Iterable[ArticleAnalysis]
    ) -> tuple[dict[int, frozenset[int]], list[tuple[int, int]]]:
        """Store the quotes and their statement links, creating a variant for each new key.

        Returns the created variants (with their grams) and the statement links.
        """
        records = list(records)
        grams_of = {quote.key: quote.grams for record in records for quote in record.quotes if quote.key}
        keys = sorted(grams_of)
        variant_of: dict[str, int] = {}
        next_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM variants").fetchone()[0]
        if next_id > 1:
            for chunk in _chunks(keys):
                marks = ",".join("?" * len(chunk))
                variant_of.update(
                    (key, variant)
                    for variant, key in db.execute(
                        f"SELECT id, key FROM variants WHERE key IN ({marks})", chunk
                    )
                )
        created: dict[int, frozenset[int]] = {}
        for key in keys:
            if key not in variant_of:
                variant_of[key] = next_id
                created[next_id] = grams_of[key]
                next_id += 1
        db.executemany(
            "INSERT INTO variants VALUES (?, ?, ?, ?)",
            [
                (variant, key, len(created[variant]), variant)
                for key, variant in variant_of.items()
                if variant in created
            ],
        )
        db.executemany(
            "INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    record.id,
                    quote.start,
                    quote.end,
                    quote.text,
                    quote.speaker,
                    name_key(quote.speaker) if quote.speaker else None,
                    variant_of.get(quote.key),
                )
                for record in records
                for quote in record.quotes
            ],
        )
        statement_links = [
            (record.id, min(first, second), max(first, second))
            for record in records
            for previous, quote in zip(record.quotes, record.quotes[1:])
            if quote.continues
            and (first := variant_of.get(previous.key)) is not None
            and (second := variant_of.get(quote.key)) is not None
            and first != second
        ]
        db.executemany("INSERT INTO statement_links VALUES (?, ?, ?)", statement_links)
        return created, [(low, high) for _, low, high in statement_links]

    def _drop_orphan_variants(
        self, db: sqlite3.Connection, candidates: set[int]
    ) -> tuple[set[int], set[int]]:
        """Delete variants no quote uses any more; return them and the variants they were linked to."""
        orphans = []
        for chunk in _chunks(sorted(candidates)):
            marks = ",".join("?" * len(chunk))
            still_used = {
                row[0]
                for row in db.execute(
                    f"SELECT DISTINCT variant FROM quotes WHERE variant IN ({marks})", chunk
                )
            }
            orphans.extend(variant for variant in chunk if variant not in still_used)
        neighbours: set[int] = set()
        for chunk in _chunks(orphans):
            marks = ",".join("?" * len(chunk))
            neighbours.update(
                row[0]
                for row in db.execute(
                    f"SELECT high FROM quote_links WHERE low IN ({marks}) "
                    f"UNION SELECT low FROM quote_links WHERE high IN ({marks})",
                    [*chunk, *chunk],
                )
            )
            keys = db.execute(f"SELECT id, key FROM variants WHERE id IN ({marks})", chunk).fetchall()
            db.executemany(
                "DELETE FROM grams WHERE gram = ? AND variant = ?",
                [(gram, variant) for variant, key in keys for gram in key_grams(key)],
            )
            db.execute(
                f"DELETE FROM quote_links WHERE low IN ({marks}) OR high IN ({marks})", [*chunk, *chunk]
            )
            db.execute(f"DELETE FROM variants WHERE id IN ({marks})", chunk)
        return set(orphans), neighbours - set(orphans)

    def _link_quotes(
        self, db: sqlite3.Connection, created: dict[int, frozenset[int]]
    ) -> list[tuple[int, int]]:
        """Link each new variant to every variant, old or new, that it nearly contains or is contained in.

        Only grams held by two variants or more can link anything, so the rest are dropped
        first (in C, by counting); most quotes are said once and leave at that step.
        """
        if not created:
            return []
        holders: dict[int, list[int]] = _stored_holders(
            db, "grams", "gram", "variant", (gram for grams in created.values() for gram in grams)
        )
        counts = Counter(chain.from_iterable(created.values()))
        shared = {gram for gram, count in counts.items() if count > 1} | holders.keys()
        sizes = {variant: len(grams) for variant, grams in created.items()}
        for chunk in _chunks(sorted(set(chain.from_iterable(holders.values())))):
            marks = ",".join("?" * len(chunk))
            sizes.update(db.execute(f"SELECT id, gram_count FROM variants WHERE id IN ({marks})", chunk))
        candidates = {}
        for variant, grams in created.items():
            common = grams & shared
            if len(common) >= MIN_SHARED_GRAMS:
                candidates[variant] = common
                for gram in common:
                    holders.setdefault(gram, []).append(variant)
        links = []
        for variant, common in candidates.items():
            overlap = Counter(
                chain.from_iterable(
                    found for gram in common if len(found := holders[gram]) <= MAX_GRAM_POSTINGS
                )
            )
            for other, count in overlap.items():
                if other == variant or (other in candidates and other < variant) or count < MIN_SHARED_GRAMS:
                    continue
                if count >= MIN_CONTAINMENT * min(sizes[variant], sizes[other]):
                    links.append((min(variant, other), max(variant, other)))
        db.executemany("INSERT OR IGNORE INTO quote_links VALUES (?, ?)", links)
        db.executemany(  # in key order: into a large table, twice as fast as hash order
            "INSERT INTO grams VALUES (?, ?)",
            sorted((gram, variant) for variant, grams in created.items() for gram in grams),
        )
        return links

    def _recluster(
        self, db: sqlite3.Connection, split_suspects: set[int], added_links: list[tuple[int, int]]
    ) -> None:
        """Keep each variant's cluster the smallest variant id of its connected component.

        Components that lost links (around ``split_suspects``) may have split: they are walked
        afresh. Elsewhere links were only added, which can only merge clusters, so merging their
        names is enough; a first build never walks at all.
        """
        walked = walk_components(
            split_suspects, lambda nodes: self._links_touching(db, ("quote_links", "statement_links"), nodes)
        )
        walked_nodes = set().union(*walked)
        current = self._clusters_now(db, walked_nodes)
        db.executemany(
            "UPDATE variants SET cluster = ? WHERE id = ?",
            [
                (name, variant)
                for group in walked
                for name in [min(group)]
                for variant in group
                if current[variant] != name
            ],
        )
        merging = [(low, high) for low, high in added_links if low not in walked_nodes]
        names = self._clusters_now(db, {variant for link in merging for variant in link})
        renamed = components(
            (), [(names[low], names[high]) for low, high in merging if names[low] != names[high]]
        )
        db.executemany(
            "UPDATE variants SET cluster = ? WHERE cluster = ?",
            [(min(group), old) for group in renamed for old in group if old != min(group)],
        )

    def _clusters_now(self, db: sqlite3.Connection, variants: Collection[int]) -> dict[int, int]:
        current: dict[int, int] = {}
        for chunk in _chunks(sorted(variants)):
            marks = ",".join("?" * len(chunk))
            current.update(db.execute(f"SELECT id, cluster FROM variants WHERE id IN ({marks})", chunk))
        return current

    def _link_duplicates(self, db: sqlite3.Connection, records: Iterable[ArticleAnalysis]) -> None:
        """Link each new article to the stored and new articles whose text it nearly repeats."""
        signatures = {record.id: record.signature for record in records if record.signature}
        if not signatures:
            return
        bands = {article_id: band_keys(packed) for article_id, packed in signatures.items()}
        holders: dict[int, list[str]] = _stored_holders(
            db, "bands", "band", "article_id", (band for keys in bands.values() for band in keys)
        )
        counts = Counter(chain.from_iterable(bands.values()))
        shared = {band for band, count in counts.items() if count > 1} | holders.keys()
        for article_id, keys in bands.items():
            for band in shared.intersection(keys):
                holders.setdefault(band, []).append(article_id)
        known = dict(signatures)
        stored = sorted(set(chain.from_iterable(holders.values())) - known.keys())
        for chunk in _chunks(stored):
            marks = ",".join("?" * len(chunk))
            known.update(db.execute(f"SELECT id, signature FROM articles WHERE id IN ({marks})", chunk))
        compared: set[tuple[str, str]] = set()
        links = []
        for group in holders.values():
            if len(group) > MAX_BAND_POSTINGS:
                continue
            for index, first in enumerate(group):
                for second in group[index + 1 :]:
                    if first not in signatures and second not in signatures:
                        continue
                    pair = (first, second) if first < second else (second, first)
                    if pair in compared:
                        continue
                    compared.add(pair)
                    if similarity(known[first], known[second]) >= DUPLICATE_SIMILARITY:
                        links.append(pair)
        db.executemany("INSERT OR IGNORE INTO dup_links VALUES (?, ?)", links)
        db.executemany(
            "INSERT INTO bands VALUES (?, ?)",
            sorted((band, article_id) for article_id, keys in bands.items() for band in keys),
        )

    def _regroup(self, db: sqlite3.Connection, touched: set[str]) -> None:
        """Mark every article of a touched duplicate group with the group's earliest article."""
        groups = walk_components(touched, lambda nodes: self._links_touching(db, ("dup_links",), nodes))
        grouped = [group for group in groups if len(group) > 1]
        ordered = self._in_appearance_order(db, set().union(*grouped))
        rank = {article_id: index for index, article_id in enumerate(ordered)}
        changes = [(None, article_id) for group in groups if len(group) == 1 for article_id in group]
        for group in grouped:
            representative = min(group, key=rank.__getitem__)
            changes.extend((representative, article_id) for article_id in group)
        db.executemany("UPDATE articles SET dup_group = ? WHERE id = ?", changes)

    def _links_touching(
        self, db: sqlite3.Connection, tables: Sequence[str], nodes: Collection[Any]
    ) -> list[tuple[Any, Any]]:
        """Every stored link, in the given link tables, with an end among ``nodes``."""
        found: list[tuple[Any, Any]] = []
        for chunk in _chunks(sorted(nodes), _CHUNK // (2 * len(tables))):
            marks = ",".join("?" * len(chunk))
            query = " UNION ".join(
                f"SELECT low, high FROM {table} WHERE low IN ({marks}) "
                f"UNION SELECT low, high FROM {table} WHERE high IN ({marks})"
                for table in tables
            )
            found.extend(db.execute(query, list(chunk) * 2 * len(tables)))
        return found

    def _in_appearance_order(self, db: sqlite3.Connection, article_ids: Collection[str]) -> list[str]:
        found: list[tuple[bool, str, str, str]] = []
        for chunk in _chunks(sorted(article_ids)):
            marks = ",".join("?" * len(chunk))
            found.extend(
                (date is None, date or "", order_key, article_id)
                for article_id, date, order_key in db.execute(
                    f"SELECT id, date, order_key FROM articles WHERE id IN ({marks})", chunk
                )
            )
        return [row[3] for row in sorted(found)]

    # ------------------------------------------------------------------ reading

    def article_ids(self) -> set[str]:
        """Every article the analysis holds, so a caller can tell what it still has to feed."""
        with self._lock:
            return {row[0] for row in self._db.execute("SELECT id FROM articles")}

    def fingerprints(self) -> dict[str, str]:
        """Article id to the text fingerprint it was analysed with."""
        with self._lock:
            return dict(self._db.execute("SELECT id, fingerprint FROM articles"))

    @contextmanager
    def _selection(self, article_ids: Collection[str] | None) -> Iterator[Callable[[str, str], str]]:
        """Yield ``scope(table_and_alias, id_column)``: a FROM clause limited to the given ids.

        With ids, the clause starts from them (``selected CROSS JOIN …``), so a search of a
        few hundred hits reads those articles' rows, not the whole table; None is no limit.
        """
        with self._lock:
            if article_ids is None:
                yield lambda table, column: table
                return
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS selected(id TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM selected")
            self._db.executemany("INSERT OR IGNORE INTO selected VALUES (?)", ((i,) for i in article_ids))
            try:
                yield lambda table, column: f"selected s CROSS JOIN {table} ON {column} = s.id"
            finally:
                self._db.execute("DELETE FROM selected")

    def _occurrences(
        self, where: str, params: Sequence[Any], quotes: str = "quotes q"
    ) -> list[QuoteOccurrence]:
        rows = self._db.execute(
            f"SELECT {_OCCURRENCE_COLUMNS} FROM {quotes} JOIN articles a ON a.id = q.article_id "
            f"LEFT JOIN variants v ON v.id = q.variant WHERE {where} "
            f"ORDER BY {_APPEARANCE}, q.quote_start",
            params,
        ).fetchall()
        clusters = sorted({row[8] for row in rows if row[8] is not None})
        spread: dict[int, int] = {}
        for chunk in _chunks(clusters):
            marks = ",".join("?" * len(chunk))
            spread.update(
                self._db.execute(
                    "SELECT v.cluster, COUNT(DISTINCT q.article_id) FROM variants v "
                    f"JOIN quotes q ON q.variant = v.id WHERE v.cluster IN ({marks}) GROUP BY v.cluster",
                    chunk,
                )
            )
        return [
            QuoteOccurrence(
                article_id=article_id,
                title=title,
                text=text,
                start=start,
                end=end,
                speaker=speaker,
                outlet=outlet,
                date=_loaded_date(date),
                cluster_id=cluster,
                cluster_articles=spread.get(cluster, 1) if cluster is not None else 1,
            )
            for article_id, title, text, start, end, speaker, outlet, date, cluster, _ in rows
        ]

    def _clusters_of(self, cluster_ids: Iterable[int], min_articles: int) -> list[QuoteCluster]:
        rows_of: dict[int, list[tuple[Any, ...]]] = {}
        for chunk in _chunks(sorted(set(cluster_ids))):
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                f"SELECT {_OCCURRENCE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id "
                f"JOIN variants v ON v.id = q.variant WHERE v.cluster IN ({marks}) "
                f"ORDER BY {_APPEARANCE}, q.quote_start",
                chunk,
            ):
                rows_of.setdefault(row[8], []).append(row)
        found = []
        for cluster, rows in rows_of.items():
            carriers: dict[str, set[str]] = {}  # wording (key) -> the articles that carry it
            for row in rows:
                carriers.setdefault(row[9], set()).add(row[0])
            article_count = len(set().union(*carriers.values()))
            if article_count < min_articles:
                continue
            best = max(carriers, key=lambda key: (len(carriers[key]), len(key), key))
            members = tuple(
                QuoteOccurrence(
                    article_id, title, text, start, end, speaker, outlet, _loaded_date(date),
                    cluster, article_count,
                )
                for article_id, title, text, start, end, speaker, outlet, date, _, _ in rows
            )
            found.append(
                QuoteCluster(
                    id=cluster,
                    text=next(row[2] for row in rows if row[9] == best),
                    members=members,
                    article_count=article_count,
                    outlet_count=len({member.outlet.casefold() for member in members if member.outlet}),
                )
            )
        return found

    def clusters(self, min_articles: int = 2) -> list[QuoteCluster]:
        """Quotes carried by at least ``min_articles`` articles, the most widely carried first."""
        with self._lock:
            ids = [
                row[0]
                for row in self._db.execute(
                    "SELECT v.cluster FROM quotes q JOIN variants v ON v.id = q.variant "
                    "GROUP BY v.cluster HAVING COUNT(DISTINCT q.article_id) >= ?",
                    (min_articles,),
                )
            ]
            found = self._clusters_of(ids, min_articles)
        return sorted(found, key=lambda c: (-c.article_count, _appearance_key(c.first), c.id))

    def clusters_for(self, article_id: str, min_articles: int = 2) -> dict[tuple[int, int], QuoteCluster]:
        """The clusters of one article's quotes, keyed by each quote's (start, end) in it."""
        with self._lock:
            spans: dict[int, list[tuple[int, int]]] = {}
            for start, end, cluster in self._db.execute(
                "SELECT q.quote_start, q.quote_end, v.cluster FROM quotes q "
                "JOIN variants v ON v.id = q.variant "
                "WHERE q.article_id = ?",
                (article_id,),
            ):
                spans.setdefault(cluster, []).append((start, end))
            found = self._clusters_of(spans, min_articles)
        return {span: cluster for cluster in found for span in spans[cluster.id]}

    def quotes(self, article_ids: Collection[str] | None = None) -> list[QuoteOccurrence]:
        """Every quote of the given articles (all when None), in order of appearance."""
        with self._selection(article_ids) as scope:
            return self._occurrences("1", (), scope("quotes q", "q.article_id"))

    def quotes_by(self, person_name: str) -> list[QuoteOccurrence]:
        """The quotes attributed to a person across all articles, in order of appearance."""
        with self._lock:
            return self._occurrences("q.speaker_key = ?", (name_key(person_name),))

    def people(self, article_ids: Collection[str] | None = None) -> list[PersonAcross]:
        """Everyone the articles name, the most widely mentioned first."""
        with self._selection(article_ids) as scope:
            rows = self._db.execute(
                "SELECT p.key, p.name, p.article_id, p.mentions, p.quoted "
                f"FROM {scope('people p', 'p.article_id')} "
                "JOIN articles a ON a.id = p.article_id ORDER BY a.order_key"
            ).fetchall()
            said = dict(
                self._db.execute(
                    f"SELECT q.speaker_key, COUNT(*) FROM {scope('quotes q', 'q.article_id')} "
                    "WHERE q.speaker_key IS NOT NULL GROUP BY q.speaker_key"
                )
            )
        by_key: dict[str, list[tuple[str, str, int, int]]] = {}
        for key, name, article_id, mentions, quoted in rows:
            by_key.setdefault(key, []).append((name, article_id, mentions, quoted))
        found = []
        for key, entries in by_key.items():
            spellings = Counter(name for name, _, _, _ in entries)
            quote_count = said.get(key, 0)
            found.append(
                PersonAcross(
                    name=max(spellings, key=spellings.__getitem__),  # a tie goes to the first file
                    article_count=len(entries),
                    mention_count=sum(mentions for _, _, mentions, _ in entries),
                    quote_count=quote_count,
                    quoted=quote_count > 0 or any(quoted for _, _, _, quoted in entries),
                    article_ids=tuple(article_id for _, article_id, _, _ in entries),
                )
            )
        return sorted(found, key=lambda p: (-p.article_count, -p.mention_count, p.name.casefold()))

    def duplicates(self) -> list[DuplicateGroup]:
        """Every group of near-duplicate articles, the largest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT a.dup_group, a.id, a.title, a.outlet, a.date, a.signature FROM articles a "
                f"WHERE a.dup_group IS NOT NULL ORDER BY {_APPEARANCE}"
            ).fetchall()
        groups = _duplicate_groups(rows)
        return sorted(groups, key=lambda g: (-len(g.members), g.representative.article_id))

    def duplicate_representatives(self) -> dict[str, str]:
        """Every article that has near-duplicates, mapped to its group's representative.

        The representative maps to itself: a list marks the others as copies, or folds them away.
        """
        with self._lock:
            return dict(self._db.execute("SELECT id, dup_group FROM articles WHERE dup_group IS NOT NULL"))

    def duplicate_group_of(self, article_id: str) -> DuplicateGroup | None:
        """The near-duplicate group an article belongs to, or None when it has no copies."""
        with self._lock:
            rows = self._db.execute(
                "SELECT a.dup_group, a.id, a.title, a.outlet, a.date, a.signature FROM articles a "
                "WHERE a.dup_group = (SELECT dup_group FROM articles WHERE id = ?) "
                f"ORDER BY {_APPEARANCE}",
                (article_id,),
            ).fetchall()
        groups = _duplicate_groups(rows)
        return groups[0] if groups else None

    def timeline(self, article_ids: Collection[str] | None = None, bucket: Bucket = "day") -> Timeline:
        """Articles per day, week or month (all articles when ``article_ids`` is None)."""
        with self._selection(article_ids) as scope:
            rows = self._db.execute(
                f"SELECT a.id, a.date FROM {scope('articles a', 'a.id')} ORDER BY a.order_key"
            ).fetchall()
        return build_timeline(
            ((article_id, dt.date.fromisoformat(date[:10]) if date else None) for article_id, date in rows),
            bucket,
        )


def _appearance_key(occurrence: QuoteOccurrence) -> tuple[bool, str, str]:
    date = occurrence.date.isoformat() if occurrence.date is not None else ""
    return (occurrence.date is None, date, file_order_key(occurrence.article_id))


def _duplicate_groups(rows: list[tuple[Any, ...]]) -> list[DuplicateGroup]:
    by_group: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_group.setdefault(row[0], []).append(row)
    groups = []
    for representative_id, members in by_group.items():
        members.sort(key=lambda row: row[1] != representative_id)  # stable: keeps appearance order
        representative_signature = members[0][5]
        groups.append(
            DuplicateGroup(
                tuple(
                    DuplicateMember(
                        article_id=article_id,
                        title=title,
                        outlet=outlet,
                        date=_loaded_date(date),
                        similarity=similarity(representative_signature, packed) if index else 1.0,
                    )
                    for index, (_, article_id, title, outlet, date, packed) in enumerate(members)
                )
            )
        )
    return groups
