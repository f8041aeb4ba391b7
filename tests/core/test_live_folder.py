"""The live folder's core: which changes matter, what a sync of some files changed, and the watcher
noticing changes by notification, by watchfiles' polling, and by a scan when watchfiles is gone."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core import live_folder
from reader.core.library import Library
from reader.core.live_folder import FolderEvents, FolderWatcher, _Classifier
from reader.core.models import FolderChanges, SyncReport

ADDED, MODIFIED, DELETED = 1, 2, 3
STORM = "---\ntitle: Storm hits the coast\ndate: 2024-05-02\n---\n\nA storm hit the coast overnight.\n"
FLOOD = "---\ntitle: Flood in the valley\ndate: 2024-05-03\n---\n\nThe river rose in the night.\n"
WAIT = 20.0  # seconds an event may take on a loaded machine before the test gives up


@pytest.fixture
def corpus(seeds: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(seeds, tmp_path / "corpus"))


# -- which changes matter ------------------------------------------------------------------------


def test_article_files_are_kept_and_hidden_or_other_files_ignored(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    classifier = _Classifier(tmp_path)
    classifier.learn_folders()
    events = classifier.classify(
        [
            (ADDED, str(tmp_path / "new.md")),
            (MODIFIED, str(tmp_path / "sub" / "Changed.TXT")),
            (DELETED, str(tmp_path / "gone.markdown")),
            (ADDED, str(tmp_path / ".new.md.swp")),  # an editor's swap file
            (ADDED, str(tmp_path / ".git" / "objects" / "x.txt")),
            (DELETED, str(tmp_path / "4913")),  # vim's probe file: not a folder we knew
            (MODIFIED, str(tmp_path / "image.png")),
            (MODIFIED, str(tmp_path / "sub")),  # a folder's time changed: its files say what
            (ADDED, "/elsewhere/outside.txt"),
        ]
    )
    assert events == FolderEvents(
        frozenset({tmp_path / "new.md", tmp_path / "sub" / "Changed.TXT", tmp_path / "gone.markdown"})
    )


def test_a_folder_moved_in_or_out_or_the_root_deleted_asks_for_a_scan(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    classifier = _Classifier(tmp_path)
    classifier.learn_folders()
    (tmp_path / "batch").mkdir()
    assert classifier.classify([(ADDED, str(tmp_path / "batch"))]).rescan
    (tmp_path / "old").rmdir()
    assert classifier.classify([(DELETED, str(tmp_path / "old"))]).rescan
    assert classifier.classify([(DELETED, str(tmp_path / "batch"))]).rescan  # learnt when it came
    assert classifier.classify([(DELETED, str(tmp_path))]).rescan
    assert not classifier.classify([(DELETED, str(tmp_path / "never-a-folder"))])


@given(
    st.lists(
        st.tuples(
            st.sampled_from([ADDED, MODIFIED, DELETED]),
            st.lists(st.sampled_from(["a", ".h", "b.txt", "c.MD", "d.markdown", "e.txt~", "f.md.swp", "sub"]),
                     min_size=1, max_size=4),
        ),
        max_size=30,
    )
)
def test_only_visible_article_files_under_the_root_are_ever_reported(changes: list[tuple[int, list[str]]]) -> None:
    root = Path("/nowhere/root")  # nothing exists there: every path is classified by its name
    events = _Classifier(root).classify((change, str(root.joinpath(*parts))) for change, parts in changes)
    for path in events.paths:
        parts = path.relative_to(root).parts
        assert not any(part.startswith(".") for part in parts)
        assert path.suffix.lower() in {".txt", ".md", ".markdown"}
    expected = {
        root.joinpath(*parts)
        for _, parts in changes
        if not any(part.startswith(".") for part in parts) and Path(parts[-1]).suffix.lower() in {".txt", ".md", ".markdown"}
    }
    assert events.paths == expected


# -- what a sync of some files changed -----------------------------------------------------------


def test_changes_pair_renames_by_text_and_tell_a_first_build() -> None:
    before = {"a.txt": (1, 1, "A"), "b.txt": (2, 2, "B"), "c.txt": (3, 3, "C"), "sub/d.txt": (4, 4, "D")}
    after = {"a.txt": (1, 5, "A2"), "b2.txt": (2, 2, "B"), "new.txt": (9, 9, "N"), "e/d.txt": (4, 4, "D")}
    changes = FolderChanges.between(before, after, SyncReport())
    assert changes.added == ("new.txt",)
    assert changes.changed == ("a.txt",)
    assert changes.removed == ("c.txt",)
    assert set(changes.renamed) == {("b.txt", "b2.txt"), ("sub/d.txt", "e/d.txt")}
    assert not changes.first and changes.any
    assert FolderChanges.between({}, after, SyncReport(), first=True).first


_STATES = st.dictionaries(
    st.sampled_from(["a.txt", "b.txt", "sub/a.txt", "c.md", "d.md", "e/f.txt"]),
    st.tuples(st.integers(1, 3), st.integers(1, 3), st.sampled_from(["X", "Y", "Z"])),
)


@given(_STATES, _STATES)
def test_every_article_is_accounted_for_once(before: dict[str, tuple[int, int, str]], after: dict[str, tuple[int, int, str]]) -> None:
    changes = FolderChanges.between(before, after, SyncReport())
    olds = [old for old, _ in changes.renamed]
    news = [new for _, new in changes.renamed]
    assert sorted([*changes.removed, *olds]) == sorted(before.keys() - after.keys())
    assert sorted([*changes.added, *news]) == sorted(after.keys() - before.keys())
    assert all(before[old][2] == after[new][2] for old, new in changes.renamed)  # the same text
    assert set(changes.changed) == {i for i in before.keys() & after.keys() if before[i] != after[i]}


def test_identical_copies_leaving_pair_with_the_same_file_name_first() -> None:
    before = {"x/story.txt": (1, 1, "S"), "y/other.txt": (1, 1, "S")}
    after = {"z/story.txt": (1, 1, "S")}
    changes = FolderChanges.between(before, after, SyncReport())
    assert changes.renamed == (("x/story.txt", "z/story.txt"),)
    assert changes.removed == ("y/other.txt",)


def test_a_sync_of_some_files_reads_only_those(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.core.pipeline import stages

    with Library(corpus) as library:
        library.sync()
        read: list[Path] = []
        original = stages.load_article
        monkeypatch.setattr(stages, "load_article", lambda path, root: read.append(path) or original(path, root))
        (corpus / "storm.md").write_text(STORM)
        (corpus / "000_f0edc72787384ae1.txt").rename(corpus / "renamed.txt")
        (corpus / "003_72929514e6e39e36.txt").unlink()
        with open(corpus / "004_17e534690fb10171.txt", "a", encoding="utf-8") as changed:
            changed.write("\nA late paragraph.\n")
        paths = [
            corpus / "storm.md",
            corpus / "000_f0edc72787384ae1.txt",
            corpus / "renamed.txt",
            corpus / "003_72929514e6e39e36.txt",
            corpus / "004_17e534690fb10171.txt",
            corpus / "001_b1f3a68a7abbe948.txt",  # reported, but unchanged: not read
        ]
        changes = library.sync_changes(paths)
        assert changes.added == ("storm.md",)
        assert changes.changed == ("004_17e534690fb10171.txt",)
        assert changes.removed == ("003_72929514e6e39e36.txt",)
        assert changes.renamed == (("000_f0edc72787384ae1.txt", "renamed.txt"),)
        assert not changes.first and changes.complete
        assert sorted(path.name for path in read) == ["004_17e534690fb10171.txt", "renamed.txt", "storm.md"]
        rows = library.summaries_for(["storm.md", "renamed.txt"])
        assert rows["storm.md"].title == "Storm hits the coast"
        assert {summary.id for summary in library.summaries()} == {
            "001_b1f3a68a7abbe948.txt", "002_cad27db6ce727891.txt", "004_17e534690fb10171.txt",
            "renamed.txt", "storm.md",
        }


def test_the_first_sync_of_a_folder_is_a_first_build(corpus: Path) -> None:
    with Library(corpus) as library:
        first = library.sync_changes()
        assert first.first and not first.complete and first.any  # the list reads every row
        assert len(library.summaries()) == 5
        (corpus / "storm.md").write_text(STORM)
        again = library.sync_changes()
        assert not again.first and again.added == ("storm.md",)


# -- the watcher ---------------------------------------------------------------------------------


class Collector:
    """Gathers what a watcher reports; ``wait_for`` blocks on the watcher's own calls, no polling."""

    def __init__(self) -> None:
        self.events = FolderEvents()
        self.states: list[tuple[str, bool]] = []
        self._changed = threading.Condition()

    def on_events(self, events: FolderEvents) -> None:
        with self._changed:
            self.events = self.events | events
            self._changed.notify_all()

    def on_state(self, how: str, fallback: bool) -> None:
        with self._changed:
            self.states.append((how, fallback))
            self._changed.notify_all()

    def wait_for(self, condition, timeout: float = WAIT) -> bool:  # type: ignore[no-untyped-def]
        with self._changed:
            return self._changed.wait_for(condition, timeout)


def watch(root: Path, mode: str, collector: Collector) -> FolderWatcher:
    watcher = FolderWatcher(root, collector.on_events, mode=mode, on_state=collector.on_state)
    watcher.start()
    assert collector.wait_for(lambda: collector.states), "the watcher never said how it watches"
    return watcher


def write_until_seen(collector: Collector, path: Path, text: str) -> None:
    """Write the file until the watcher reports it: a watcher just started (or restarted) may
    take its first look at the folder after the first write, which it then cannot tell apart."""
    deadline = time.monotonic() + WAIT
    while path not in collector.events.paths and time.monotonic() < deadline:
        path.write_text(f"{text}\n{time.monotonic()}\n")
        collector.wait_for(lambda: path in collector.events.paths, timeout=1)
    assert path in collector.events.paths, collector.events


@pytest.mark.parametrize("mode", ["auto", "poll"])
def test_the_watcher_reports_added_changed_and_deleted_files(tmp_path: Path, mode: str) -> None:
    (tmp_path / "old.txt").write_text(FLOOD)
    collector = Collector()
    watcher = watch(tmp_path, mode, collector)
    try:
        write_until_seen(collector, tmp_path / "new.md", STORM)
        (tmp_path / "old.txt").unlink()
        assert collector.wait_for(lambda: tmp_path / "old.txt" in collector.events.paths), collector.events
        (tmp_path / "sub").mkdir()  # a folder moved in: notifications may name only the folder
        (tmp_path / "sub" / "inner.md").write_text(STORM)
        assert collector.wait_for(lambda: collector.events.rescan or tmp_path / "sub" / "inner.md" in collector.events.paths)
    finally:
        started = time.monotonic()
        watcher.stop()
    assert not watcher.running and time.monotonic() - started < 3


def test_without_watchfiles_the_folder_is_polled_and_the_user_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "watchfiles", None)  # as on a platform without its wheels
    monkeypatch.setattr(live_folder, "POLL_SECONDS", 0.2)
    collector = Collector()
    watcher = watch(tmp_path, "auto", collector)
    try:
        assert collector.wait_for(lambda: any("polling" in how for how, _ in collector.states))
        how, fallback = collector.states[-1]
        assert fallback and "notifications unavailable" in how
        write_until_seen(collector, tmp_path / "new.md", STORM)
    finally:
        watcher.stop()
    assert not watcher.running


def test_a_deleted_folder_is_reported_and_watched_again_when_it_is_back(tmp_path: Path) -> None:
    root = tmp_path / "news"
    root.mkdir()
    collector = Collector()
    watcher = watch(root, "auto", collector)
    try:
        write_until_seen(collector, root / "first.md", STORM)
        shutil.rmtree(root)
        assert collector.wait_for(lambda: collector.events.rescan)
        collector.events = FolderEvents()
        root.mkdir()
        assert collector.wait_for(lambda: collector.events.rescan)  # back: compare everything
        write_until_seen(collector, root / "storm.md", STORM)  # and watched again
    finally:
        watcher.stop()


def test_a_folder_deleted_and_made_again_at_once_is_watched_again(tmp_path: Path) -> None:
    """Made again at once, it usually gets the old one's inode back: only the notification that
    the folder itself was deleted tells that the old notifications are dead."""
    root = tmp_path / "news"
    root.mkdir()
    collector = Collector()
    watcher = watch(root, "auto", collector)
    try:
        write_until_seen(collector, root / "first.md", STORM)
        shutil.rmtree(root)
        root.mkdir()
        assert collector.wait_for(lambda: collector.events.rescan)
        write_until_seen(collector, root / "storm.md", STORM)  # watched again
    finally:
        watcher.stop()


def test_mode_off_starts_nothing(tmp_path: Path) -> None:
    watcher = FolderWatcher(tmp_path, lambda events: None, mode="off")
    watcher.start()
    assert not watcher.running
    with pytest.raises(ValueError, match="mode must be one of"):
        FolderWatcher(tmp_path, lambda events: None, mode="sometimes")


def test_forced_polling_from_the_environment_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """WATCHFILES_FORCE_POLLING (for network folders, whose changes raise no notification)."""
    monkeypatch.setenv("WATCHFILES_FORCE_POLLING", "1")
    collector = Collector()
    watcher = watch(tmp_path, "auto", collector)
    try:
        assert collector.states == [("watching the folder by polling it", False)]
        write_until_seen(collector, tmp_path / "new.md", STORM)
    finally:
        watcher.stop()


def test_polling_sees_a_file_written_twice_within_a_second(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """watchfiles' own poller compares times to the second and misses the second write: ours not."""
    monkeypatch.setattr(live_folder, "POLL_SECONDS", 0.2)
    path = tmp_path / "story.md"
    path.write_text(STORM)
    collector = Collector()
    watcher = watch(tmp_path, "poll", collector)
    try:
        for version in range(3):
            collector.events = FolderEvents()
            second = int(time.time())
            path.write_text(STORM + "x" * version)  # written again, the same second as before
            assert collector.wait_for(lambda: path in collector.events.paths), f"write {version} missed"
            assert version == 0 or int(time.time()) >= second
    finally:
        watcher.stop()


def test_polling_looks_at_visible_article_files_and_follows_no_folder_link(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "outside").mkdir()
    root = tmp_path / "root"
    root.mkdir()
    for name in ("a.txt", "sub/b.MD", ".hidden/c.md", "d.png", ".e.md"):
        target = root / name
        target.parent.mkdir(exist_ok=True)
        target.write_text(STORM)
    (tmp_path / "outside" / "f.md").write_text(STORM)
    (root / "linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    assert set(live_folder._snapshot(root)) == {str(root / "a.txt"), str(root / "sub" / "b.MD")}
    assert set(live_folder._snapshot(root / "a.txt")) == {str(root / "a.txt")}  # a folder of one file
