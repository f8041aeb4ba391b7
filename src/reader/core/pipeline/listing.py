"""The first pass over a folder never seen before: a catalog row for every file, in seconds.

Building the index reads, analyses and indexes each file (a few milliseconds each, minutes
for 100,000); the list needs only what a row shows (title, date, outlet, author, size) and
what tells a file's changes (size, mtime, fingerprint): a sixth of a millisecond, loading
each file without classifying its paragraphs (``load_article(structure=False)``). The sync
lists the first screenful itself while it scans the folder; the build's worker processes
list the rest, in batches, before they build anything (``build.run_chunks``), each batch
committed at once (``Catalog.put_listed``), so the list fills on both cores. The build then
replaces each row with its full one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reader.core.index.catalog import Catalog, CatalogEntry
from reader.core.loader import load_article
from reader.core.models import Article, LoadIssue

BATCH = 1_000  # files per batch listed by a worker process: a few per second on each core


@dataclass(frozen=True, slots=True)
class Listing:
    """Files to list ahead of the build (``paths``, as text: 100k ``Path`` objects weigh ~25 MB),
    in the catalog at ``catalog_path``; ``on_listed(count)`` is told how many rows have been
    written so far, after each batch."""

    catalog_path: Path
    paths: list[str]
    on_listed: Callable[[int], None]

    def batches(self) -> list[list[str]]:
        return [self.paths[start : start + BATCH] for start in range(0, len(self.paths), BATCH)]

    def run_here(self, root: Path, stop: Callable[[], bool]) -> None:
        """List every batch in this process (no worker processes to do it)."""
        catalog = Catalog(self.catalog_path)
        try:
            listed = 0
            for batch in self.batches():
                if stop():
                    return
                listed += list_files(root, catalog, (Path(path) for path in batch))
                self.on_listed(listed)
        finally:
            catalog.close()


def catalog_entry(article: Article, tags: tuple[str, ...] = (), warnings: tuple[str, ...] = ()) -> CatalogEntry:
    """What the catalog keeps of an article (``tags``: the user's; ``warnings``: the loader's)."""
    return CatalogEntry(
        id=article.id,
        path=article.path,
        size=article.size,
        mtime_ns=article.mtime_ns,
        fingerprint=article.fingerprint,
        title=article.title,
        date=article.date,
        date_text=article.date_text,
        date_source=article.date_source,
        outlet=article.outlet,
        author=article.author,
        tags=tags,
        warnings=warnings,
    )


def listing_entry(path: Path, root: Path) -> CatalogEntry | None:
    """A list row for one file (its author only from the front matter), or None when the file
    cannot be read: the build says why."""
    loaded = load_article(path, root, structure=False)
    return None if isinstance(loaded, LoadIssue) else catalog_entry(loaded)


def list_files(root: Path, catalog: Catalog, paths: Iterable[Path]) -> int:
    """Commit a row for each of ``paths`` that can be read, in one transaction; how many."""
    entries = [entry for entry in (listing_entry(path, root) for path in paths) if entry is not None]
    with catalog.transaction() as db:
        Catalog.put_listed(db, entries)
    return len(entries)


_catalogs: dict[Path, Catalog] = {}  # a worker process's catalog connections, kept between batches


def list_batch(root: Path, catalog_path: Path, paths: list[str]) -> int:
    """In a worker process: list one batch of files; how many rows it wrote."""
    catalog = _catalogs.get(catalog_path)
    if catalog is None:
        catalog = _catalogs[catalog_path] = Catalog(catalog_path)
    return list_files(root, catalog, (Path(path) for path in paths))


def close_catalogs() -> None:
    """In a worker process that has listed its batches and now builds: close their catalog
    connections (their page cache, ~2 MB, would be held through the build for nothing)."""
    for catalog in _catalogs.values():
        catalog.close()
    _catalogs.clear()
