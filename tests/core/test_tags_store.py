"""The tag store: identity that follows the article, bulk changes, autocomplete, safety of the file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.core import paths
from reader.core.loader import load_article
from reader.core.models import Article
from reader.core.tags import TagError, TagStore, TagStoreError
from reader.core.tags.store import SCHEMA_VERSION

STORM = """Storm Floods the Harbour Town

Heavy rain overnight flooded the harbour town of Kellbridge, closing the coast road and leaving \
dozens of shops under water. Council workers spent the morning pumping out basements while \
volunteers handed out sandbags at the ferry terminal. The mayor said the new flood wall had held \
along most of the front but failed near the old fish market, where the water rose above the kerb \
within an hour. Forecasters expect more rain on Thursday.
"""

BUDGET = """Council Approves Library Budget

The city council voted seven to two on Monday to fund a new branch library in the northern \
suburbs, ending a debate that has run for three years. The branch will open in the converted tram \
depot and stay open until nine in the evening, which supporters said would help students who work \
during the day. Opponents argued the money should go to road repairs first. Construction is due \
to begin in the spring.
"""

WRITER = Path(__file__).with_name("tags_writer.py")


@dataclass(frozen=True)
class CatalogRow:
    """A ref as the search catalog gives one: a path and a fingerprint, no text."""

    path: Path
    fingerprint: str


def write(path: Path, text: str) -> Article:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load(path)


def load(path: Path) -> Article:
    article = load_article(path, path.parent)
    assert isinstance(article, Article)
    return article


@pytest.fixture
def store() -> TagStore:
    with TagStore() as opened:
        yield opened


def test_the_store_lives_in_the_private_data_folder(store: TagStore, private_home: Path) -> None:
    assert store.path == paths.tag_db_path() == private_home / "data" / "tags.sqlite3"


def test_tags_are_sorted_case_insensitively_in_the_users_spelling(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "storm.txt", STORM)
    store.add([storm], ["weather", "Kellbridge", "apple", "Zoning"])
    assert store.tags_for(storm) == ("apple", "Kellbridge", "weather", "Zoning")


def test_a_tag_in_another_case_is_the_same_tag_with_the_new_spelling(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "storm.txt", STORM)
    store.add([storm], ["Nasa"])
    store.add([storm], ["NASA"])
    assert store.tags_for(storm) == ("NASA",)
    store.remove([storm], ["nasa"])
    assert store.tags_for(storm) == ()


def test_an_untagged_article_has_no_tags_and_the_file_is_never_written(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "storm.txt", STORM)
    before = storm.path.stat()
    store.add([storm], ["weather"])
    assert store.tags_for(write(tmp_path / "budget.txt", BUDGET)) == ()
    after = storm.path.stat()
    assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)
    assert storm.path.read_text(encoding="utf-8") == STORM


def test_tags_follow_a_rename_and_a_move_within_the_corpus(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "corpus" / "storm.txt", STORM)
    store.add([storm], ["weather"])
    renamed = tmp_path / "corpus" / "2024" / "kellbridge-floods.txt"
    renamed.parent.mkdir()
    os.rename(storm.path, renamed)
    assert store.tags_for(load(renamed)) == ("weather",)


def test_tags_follow_an_edit_after_a_rename_and_a_rename_after_an_edit(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "storm.txt", STORM)
    store.add([storm], ["weather"])
    os.rename(storm.path, tmp_path / "renamed.txt")
    assert store.tags_for(load(tmp_path / "renamed.txt")) == ("weather",)  # learns the new path
    edited = write(tmp_path / "renamed.txt", STORM.replace("dozens", "scores"))
    assert store.tags_for(edited) == ("weather",)  # learns the new text
    os.rename(edited.path, tmp_path / "final.txt")
    assert store.tags_for(load(tmp_path / "final.txt")) == ("weather",)


def test_a_copy_of_the_folder_elsewhere_holds_other_articles(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "corpus" / "storm.txt", STORM)
    store.add([storm], ["weather"])
    shutil.copytree(tmp_path / "corpus", tmp_path / "backup")
    copy = load(tmp_path / "backup" / "storm.txt")
    assert store.tags_for(copy) == ()  # the original is still there: the copy is another file
    store.add([copy], ["flood"])
    assert store.tags_for(storm) == ("weather",)
    assert store.tags_for(copy) == ("flood",)
    # Opening the copy did not move the article: an edit of the original still keeps its tags.
    edited = write(storm.path, STORM.replace("Thursday", "Friday"))
    assert store.tags_for(edited) == ("weather",)
    # The original gone, the folder moved: each file keeps its own tags.
    shutil.rmtree(tmp_path / "corpus")
    os.rename(tmp_path / "backup", tmp_path / "moved")
    assert store.tags_for(load(tmp_path / "moved" / "storm.txt")) == ("flood",)


def test_a_small_edit_in_place_keeps_the_tags(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "storm.txt", STORM)
    store.add([storm], ["weather"])
    edited = write(storm.path, STORM.replace("dozens", "scores"))
    assert edited.fingerprint != storm.fingerprint
    assert store.tags_for(edited) == ("weather",)
    # Moved later, a catalog row (no text) for it finds it by the fingerprint recorded above.
    os.rename(storm.path, tmp_path / "moved-later.txt")
    elsewhere = CatalogRow(tmp_path / "moved-later.txt", edited.fingerprint)
    assert store.tags_for(elsewhere) == ("weather",)


def test_a_different_article_written_over_the_file_does_not_inherit_its_tags(
    store: TagStore, tmp_path: Path
) -> None:
    storm = write(tmp_path / "news.txt", STORM)
    store.add([storm], ["weather"])
    budget = write(storm.path, BUDGET)
    assert store.tags_for(budget) == ()
    store.add([budget], ["council"])
    assert store.tags_for(budget) == ("council",)
    restored = write(storm.path, STORM)  # the old text back: its own tags again, by fingerprint
    assert store.tags_for(restored) == ("weather",)


def test_a_file_taken_over_by_another_article_lets_its_article_be_found_where_it_went(
    store: TagStore, tmp_path: Path
) -> None:
    latest = write(tmp_path / "latest.txt", STORM)
    store.add([latest], ["weather"])
    os.rename(latest.path, tmp_path / "2024-05-01.txt")  # rotated out; a new story takes the name
    generation = store.generation()
    assert store.tags_for(write(tmp_path / "latest.txt", BUDGET)) == ()
    assert store.generation() == generation + 1  # indexes look again for where it went
    assert store.tags_for(load(tmp_path / "2024-05-01.txt")) == ("weather",)


def test_a_store_of_version_1_is_migrated_and_copies_part(tmp_path: Path) -> None:
    storm = write(tmp_path / "storm.txt", STORM)
    copy = write(tmp_path / "storm-copy.txt", STORM)
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(
            "CREATE TABLE articles (id INTEGER PRIMARY KEY, path TEXT UNIQUE, fingerprint TEXT NOT NULL,"
            " sketch INTEGER);"
            "CREATE TABLE fingerprints (fingerprint TEXT PRIMARY KEY, article_id INTEGER NOT NULL"
            " REFERENCES articles(id) ON DELETE CASCADE) WITHOUT ROWID;"
            "CREATE INDEX fingerprints_by_article ON fingerprints(article_id);"
            "CREATE TABLE tags (article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
            " key TEXT NOT NULL, tag TEXT NOT NULL, added TEXT NOT NULL, PRIMARY KEY (article_id, key)) WITHOUT ROWID;"
            "CREATE INDEX tags_by_key ON tags(key);"
            "CREATE TABLE generation (value INTEGER NOT NULL); INSERT INTO generation (value) VALUES (7);"
            "PRAGMA user_version = 1;"
        )
        old.execute("INSERT INTO articles VALUES (1, ?, ?, NULL)", (str(storm.path), storm.fingerprint))
        old.execute("INSERT INTO fingerprints VALUES (?, 1)", (storm.fingerprint,))
        old.execute("INSERT INTO tags VALUES (1, 'weather', 'weather', '2024-01-01T00:00:00+00:00')")
    with TagStore(path) as migrated:
        assert migrated.tags_for(storm) == ("weather",)
        assert migrated.tags_for(copy) == ()
        migrated.add([copy], ["copy"])
        assert migrated.all_tags() == [("copy", 1), ("weather", 1)]
        assert migrated.generation() == 8
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_tags_for_many_keys_every_ref_by_its_path(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "storm.txt", STORM)
    budget = write(tmp_path / "budget.txt", BUDGET)
    store.add([storm, budget], ["news"])
    store.add([budget], ["council"])
    untagged = CatalogRow(tmp_path / "other.txt", "0" * 64)
    assert store.tags_for_many([storm, budget, untagged]) == {
        storm.path: ("news",),
        budget.path: ("council", "news"),
        untagged.path: (),
    }
    rows = [CatalogRow(Path(f"/corpus/{n}.txt"), f"{n:064x}") for n in range(2000)]
    assert set(store.tags_for_many(rows).values()) == {()}


def test_a_corpus_sized_lookup_finds_articles_by_text_and_by_path(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "storm.txt", STORM)
    budget = write(tmp_path / "budget.txt", BUDGET)
    store.add([storm, budget], ["news"])
    rows = [CatalogRow(Path(f"/corpus/{n}.txt"), f"{n:064x}") for n in range(6000)]
    edited_in_place = CatalogRow(storm.path, "e" * 64)  # new text, no text to compare: trusted
    (tmp_path / "elsewhere").mkdir()
    os.rename(budget.path, tmp_path / "elsewhere" / "budget.txt")
    moved = CatalogRow(tmp_path / "elsewhere" / "budget.txt", budget.fingerprint)
    found = store.tags_for_many([*rows, edited_in_place, moved])
    assert len(found) == 6002
    assert {path: tags for path, tags in found.items() if tags} == {
        storm.path: ("news",),
        moved.path: ("news",),
    }


def test_the_generation_moves_with_every_change_from_any_store(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "storm.txt", STORM)
    start = store.generation()
    store.tags_for(storm)
    assert store.generation() == start
    with TagStore(store.path) as other:  # another instance, as another process would have
        other.add([storm], ["weather"])
    assert store.generation() == start + 1
    store.remove([storm], ["weather"])
    assert store.generation() == start + 2


def test_bulk_add_is_one_transaction(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "storm.txt", STORM)
    broken = CatalogRow(tmp_path / "broken.txt", "")
    with pytest.raises(ValueError, match="has no fingerprint"):
        store.add([storm, broken], ["weather"])
    with pytest.raises(TagError):
        store.add([storm], ["weather", ""])
    assert store.tags_for(storm) == ()
    assert store.export_rows() == []


def test_all_tags_counts_articles_most_used_first(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "storm.txt", STORM)
    budget = write(tmp_path / "budget.txt", BUDGET)
    brief = write(tmp_path / "brief.txt", "Brief\n\nA short item about the ferry timetable.\n")
    store.add([storm, budget, brief], ["News"])
    store.add([storm], ["weather", "Kellbridge"])
    store.add([budget], ["news"])  # another spelling on one article: still one tag
    assert store.all_tags() == [("News", 3), ("Kellbridge", 1), ("weather", 1)]


def test_removing_the_last_tag_forgets_the_article(store: TagStore, tmp_path: Path) -> None:
    storm = write(tmp_path / "storm.txt", STORM)
    store.add([storm], ["weather", "flood"])
    store.remove([storm], ["weather", "never-added"])
    assert store.tags_for(storm) == ("flood",)
    store.remove([storm], ["FLOOD"])
    assert store.all_tags() == []
    with sqlite3.connect(store.path) as check:
        assert check.execute("SELECT COUNT(*) FROM articles").fetchone() == (0,)
        assert check.execute("SELECT COUNT(*) FROM fingerprints").fetchone() == (0,)


def test_the_store_file_is_private_and_in_wal_mode(store: TagStore, tmp_path: Path) -> None:
    store.add([write(tmp_path / "storm.txt", STORM)], ["weather"])
    for suffix in ("", "-wal"):
        mode = stat.S_IMODE(Path(f"{store.path}{suffix}").stat().st_mode)
        assert mode == 0o600, (suffix, oct(mode))
    with sqlite3.connect(store.path) as check:
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_file_that_is_not_a_store_is_refused_in_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "tags.sqlite3"
    bogus.write_bytes(b"these are not the tags you are looking for" * 100)
    with pytest.raises(TagStoreError, match="cannot open the tag store") as raised:
        TagStore(bogus)
    assert "\n" not in str(raised.value)
    assert bogus.read_bytes().startswith(b"these are not")  # never overwritten


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "tags.sqlite3"
    with sqlite3.connect(newer) as setup:
        setup.execute("PRAGMA user_version = 99")
    with pytest.raises(TagStoreError, match="newer version of reader"):
        TagStore(newer)


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    database = tmp_path / "tags.sqlite3"
    names, writes = ("left", "right", "third"), 60
    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER), str(database), name, str(writes), str(len(names))],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    acks = []
    for writer in writers:
        output, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0
        acks.append([line.split() for line in output.splitlines()[1:]])
    assert [[int(number) for number, _ in lines] for lines in acks] == [list(range(writes))] * 3
    # They did write at the same time: every writer's first write came before any writer's last.
    assert max(float(lines[0][1]) for lines in acks) < min(float(lines[-1][1]) for lines in acks)
    with TagStore(database) as store:
        counts = dict(store.all_tags())
        shared = store.tags_for(CatalogRow(Path("/corpus/shared.txt"), _shared_fingerprint()))
    expected = {f"{name}-{n}-{part}" for name in names for n in range(writes) for part in "ab"}
    assert counts == {tag: 4 for tag in expected}  # three own articles and the shared one
    assert set(shared) == expected


def _shared_fingerprint() -> str:
    from reader.core.fingerprint import fingerprint

    return fingerprint("An article every writer tags.")
