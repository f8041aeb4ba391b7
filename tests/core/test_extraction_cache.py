"""Kept extractions: a rebuild reuses them, other rules or a damaged file never serve stale ones,
and texts gone from the corpus do not pile up."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.core.extraction.cache as cache_module
from reader.core.extraction import Extraction, extract_article
from reader.core.extraction.cache import ExtractionCache, decode, encode, prune_extractions, text_key
from reader.core.index.catalog import Catalog
from reader.core.library import Library
from reader.core.loader import load_article
from reader.core.models import Article
from reader.core.paths import IndexFolder


class FakeCatalog:
    """A catalog listing ``listed`` articles, of which only ``articles`` have fingerprints."""

    def __init__(self, articles: list[Article], listed: int) -> None:
        self.rows = {article.id: (article.size, article.mtime_ns, article.fingerprint) for article in articles}
        self.listed = listed

    def counts(self) -> tuple[int, int]:
        return self.listed, self.listed

    def stats(self) -> dict[str, tuple[int, int, str]]:
        return self.rows


def seed_articles(seeds: Path) -> list[Article]:
    loaded = [load_article(path, seeds) for path in sorted(seeds.iterdir())]
    return [article for article in loaded if isinstance(article, Article)]


@pytest.fixture
def no_extraction(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Extraction that records each text it is asked for (and still extracts)."""
    asked: list[str] = []

    def extracting(article: Article) -> Extraction:
        asked.append(article.id)
        return extract_article(article)

    monkeypatch.setattr(cache_module, "extract_article", extracting)
    return asked


def test_stored_form_gives_back_the_same_extraction(seeds: Path) -> None:
    for article in seed_articles(seeds):
        found = extract_article(article)
        assert found.quotes or found.people
        assert decode(article.text, encode(found)) == found


def test_second_extraction_of_a_text_comes_from_the_cache(
    tmp_path: Path, seeds: Path, no_extraction: list[str]
) -> None:
    articles = seed_articles(seeds)
    first = ExtractionCache(tmp_path / "kept.sqlite3")
    made = [first.extract(article) for article in articles]
    first.close()
    assert len(no_extraction) == len(articles)
    again = ExtractionCache(tmp_path / "kept.sqlite3")
    assert [again.extract(article) for article in articles] == made
    again.close()
    assert len(no_extraction) == len(articles)  # nothing extracted the second time


def test_a_connection_keeps_a_small_page_cache(tmp_path: Path) -> None:
    """Each build worker holds one connection for a whole chunk: SQLite's 2 MB default filled up."""
    kept = ExtractionCache(tmp_path / "kept.sqlite3")
    assert kept._db is not None
    assert kept._db.execute("PRAGMA cache_size").fetchone() == (-cache_module._PAGE_CACHE_KIB,)
    kept.close()


def test_a_text_differing_only_in_case_is_extracted_again(tmp_path: Path, seeds: Path) -> None:
    """The fingerprint ignores case; the key must not: capitals decide who is a person."""
    article = seed_articles(seeds)[0]
    assert text_key(article.text) != text_key(article.text.lower())
    kept = ExtractionCache(tmp_path / "kept.sqlite3")
    kept.put(article.text, article.fingerprint, extract_article(article))
    assert kept.get(article.text.lower()) is None
    kept.close()


def test_other_extraction_rules_clear_the_cache(
    tmp_path: Path, seeds: Path, monkeypatch: pytest.MonkeyPatch, no_extraction: list[str]
) -> None:
    article = seed_articles(seeds)[0]
    kept = ExtractionCache(tmp_path / "kept.sqlite3")
    kept.extract(article)
    kept.close()
    monkeypatch.setattr(cache_module, "EXTRACTION_VERSION", cache_module.EXTRACTION_VERSION + 1)
    reopened = ExtractionCache(tmp_path / "kept.sqlite3")
    assert reopened.entries() == 0
    reopened.extract(article)
    reopened.close()
    assert no_extraction == [article.id, article.id]


def test_a_damaged_file_is_started_again(tmp_path: Path, seeds: Path) -> None:
    path = tmp_path / "kept.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    kept = ExtractionCache.open(path)
    assert kept is not None
    article = seed_articles(seeds)[0]
    assert kept.extract(article) == extract_article(article)
    kept.close()


def test_a_damaged_entry_is_extracted_again(tmp_path: Path, seeds: Path) -> None:
    article = seed_articles(seeds)[0]
    kept = ExtractionCache(tmp_path / "kept.sqlite3")
    kept._pending.append((text_key(article.text), article.fingerprint, b"\x00garbage"))
    kept.flush()
    assert kept.get(article.text) is None
    assert kept.extract(article) == extract_article(article)
    kept.close()


def test_entries_of_texts_gone_are_pruned_once_they_add_up(tmp_path: Path, seeds: Path) -> None:
    articles = seed_articles(seeds)
    path = tmp_path / "kept.sqlite3"
    kept = ExtractionCache(path)
    for number in range(150):  # texts since edited away
        kept.put(f"Old text {number}", f"gone-{number}", Extraction((), ()))
    for article in articles:
        kept.extract(article)
    kept.close()
    assert prune_extractions(path, FakeCatalog(articles, listed=10_000)) == 0  # few next to a big corpus
    assert prune_extractions(path, FakeCatalog(articles, listed=len(articles))) == 150
    reopened = ExtractionCache(path)
    assert reopened.entries() == len(articles)
    reopened.close()


def test_rebuild_after_a_format_change_extracts_nothing_again(
    tmp_path: Path, seeds: Path, no_extraction: list[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in seeds.iterdir():
        (corpus / path.name).write_bytes(path.read_bytes())
    first = Library(corpus)
    first.sync()
    before = [(hit.id, hit.title) for hit in first.search("said").hits]
    extracted = len(no_extraction)
    assert extracted == len(list(corpus.iterdir()))
    catalog = Catalog(IndexFolder.of(corpus.resolve()).catalog_path)
    catalog.set_meta("format", "0/whoosh-0")
    catalog.close()
    second = Library(corpus)
    report = second.sync()
    assert report.added == extracted
    assert len(no_extraction) == extracted  # every extraction came from the cache
    assert [(hit.id, hit.title) for hit in second.search("said").hits] == before


def test_sync_drops_the_entries_of_edited_texts(tmp_path: Path, seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "_DEAD_SLACK", 0)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in seeds.iterdir():
        (corpus / path.name).write_bytes(path.read_bytes())
    library = Library(corpus)
    library.sync()
    edited = sorted(corpus.iterdir())[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nA paragraph added later.\n", encoding="utf-8")
    library.sync()
    kept = ExtractionCache(IndexFolder.of(corpus.resolve()).extraction_cache_path)
    assert kept.entries() == len(list(corpus.iterdir()))  # the old text's entry went
    kept.close()


def test_a_rebuild_asked_for_extracts_everything_again(tmp_path: Path, seeds: Path, no_extraction: list[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in seeds.iterdir():
        (corpus / path.name).write_bytes(path.read_bytes())
    library = Library(corpus)
    library.sync()
    files = len(list(corpus.iterdir()))
    assert len(no_extraction) == files
    library.sync(rebuild=True)
    assert len(no_extraction) == 2 * files
