"""The folder compared with the catalog: which files to read, which are unchanged, which are gone.

Only ``stat`` is used (size and mtime), never the files' contents: one ``stat`` per file, and no
``Path`` nor generator step for a file that did not change. At 100,000 files that ``stat`` is
most of a re-open, so the common entry (a plain article file) is handled inline here; anything
else (a symlink, a folder, an odd file, an error) goes through the loader's own rules.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.article_names import ARTICLE_SUFFIXES, is_article_name  # the loader's rules, not its reading side
from reader.core.article_names import relative_id as _relative_id
from reader.core.models import LoadIssue
from reader.core.pipeline.job_columns import FileJobs

Known = dict[str, tuple[int, int, str]]
"""What the catalog knows: article id -> (size, mtime_ns, fingerprint)."""


def relative_id(path: Path | str, root: Path) -> str:
    """The article id the loader gives ``path``: the same rule, so the catalog and the files agree."""
    return _relative_id(path, root)


@dataclass(slots=True)
class FolderScan:
    """The folder compared with the catalog: what to read, and what is gone."""

    jobs: FileJobs = field(default_factory=FileJobs)
    seen: set[str] = field(default_factory=set)  # the ids of the catalog's rows whose file is there
    still_skipped: set[Path] = field(default_factory=set)
    unchanged: int = 0
    new: list[str] = field(default_factory=list)  # the paths of files the catalog has no row for
    issues: list[LoadIssue] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # each file's ``state_line``, for ``digest``

    @property
    def digest(self) -> str:
        """The folder's ``folder_digest``: the catalog's, when it knows every file as it is."""
        return digest_of_lines(self.lines)


def state_line(article_id: str, size: int, mtime_ns: int) -> str:
    """One file's state as text, its id length first, so that no set of files reads like another."""
    return f"{len(article_id)} {article_id} {size} {mtime_ns}"


def folder_digest(states: Iterable[tuple[str, int, int]]) -> str:
    """A digest of (id, size, mtime_ns) triples in any order: two sets have the same exactly
    when they hold the same files with the same size and mtime."""
    return digest_of_lines([state_line(*state) for state in states])


_LINES_HASHED_AT_ONCE = 4_096


def digest_of_lines(lines: list[str]) -> str:
    """The digest of the lines sorted and joined by newlines, hashed a part at a time: the
    whole text (and its bytes) of 100k lines was ~20 MB more at the end of a build."""
    lines.sort()
    digest = hashlib.blake2b(digest_size=32)
    for start in range(0, len(lines), _LINES_HASHED_AT_ONCE):
        part = "\n".join(lines[start : start + _LINES_HASHED_AT_ONCE])
        digest.update(("\n" + part if start else part).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


class _Comparison:
    """One scan's state: each file found is compared with what the catalog knows of it."""

    def __init__(
        self,
        root: Path,
        known: Known | None,
        pending: set[str],
        skipped_known: dict[Path, Any],
        on_new: Callable[[str], None] | None,
    ) -> None:
        self.root = root
        self.known = known
        self.pending = pending
        self.skipped_by_text = {str(path): skipped for path, skipped in skipped_known.items()}
        self.on_new = on_new
        self.scan = FolderScan()

    def file(self, article_id: str, path_text: str, info: os.stat_result) -> None:
        """An article file and its ``stat``: unchanged, or a job (changed, pending or new)."""
        self.scan.lines.append(state_line(article_id, info.st_size, info.st_mtime_ns))
        if self.known is None:  # unchanged (or still skipped) if the digest is the catalog's
            self.scan.unchanged += 1
            return
        before = self.known.get(article_id)
        if before is None:
            self._unknown(path_text, info)
            return
        self.scan.seen.add(article_id)  # only these: a first open's 100k ids would be kept for nothing
        if article_id in self.pending:  # listed, not yet indexed: built in full, not listed again
            self.scan.jobs.add(path_text, info.st_size, info.st_mtime_ns)
        elif before[0] == info.st_size and before[1] == info.st_mtime_ns:
            self.scan.unchanged += 1
        else:
            self.scan.jobs.add(path_text, info.st_size, info.st_mtime_ns, before[2])

    def _unknown(self, path_text: str, info: os.stat_result) -> None:
        """A file the catalog has no row for: skipped before and still the same, or new."""
        skipped = self.skipped_by_text.get(path_text)
        if skipped is not None and (skipped.size, skipped.mtime_ns) == (info.st_size, info.st_mtime_ns):
            self.scan.issues.append(LoadIssue(Path(path_text), skipped.reason, True))
            self.scan.still_skipped.add(Path(path_text))
            return
        self.scan.jobs.add(path_text, info.st_size, info.st_mtime_ns)
        self.scan.new.append(path_text)
        if self.on_new is not None:
            self.on_new(path_text)

    def item(self, item: tuple[str, os.stat_result] | LoadIssue) -> None:
        """What the loader's rules made of an entry that is not a plain article file."""
        if isinstance(item, LoadIssue):
            self.scan.issues.append(item)
        else:
            self.file(relative_id(item[0], self.root), item[0], item[1])


def scan_folder(
    root: Path,
    known: Known | None,
    pending: set[str],
    skipped_known: dict[Path, Any],
    on_new: Callable[[str], None] | None = None,
) -> FolderScan:
    """Every article file of ``root`` (the loader's ``scan_article_files``, in its order): new,
    changed and pending ones (listed, not yet indexed) become jobs; ``on_new(path)`` is told of
    each new file as the scan finds it. With ``known`` None, every file counts as unchanged:
    that holds only if the scan's ``digest`` is the catalog's ``FOLDER_DIGEST`` (the skipped
    files among them are then still skipped: ``still_skipped``)."""
    comparison = _Comparison(root, known, pending, skipped_known, on_new)
    resolved = root.expanduser().resolve()
    if not resolved.is_dir() or os.sep != "/":
        from reader.core.loader import scan_article_files

        for item in scan_article_files(root):
            comparison.item(item)
        return comparison.scan
    seen_dirs: set[tuple[int, int]] = set()
    stack = [str(resolved)]
    while stack:
        folder = stack.pop()
        subfolders: list[str] = []
        _scan_one_folder(folder, resolved, comparison, seen_dirs, subfolders)
        stack.extend(reversed(subfolders))
    return comparison.scan


def _scan_one_folder(
    folder: str, root: Path, comparison: _Comparison, seen_dirs: set[tuple[int, int]], subfolders: list[str]
) -> None:
    """The entries of one folder, in name order, as ``scan_article_files`` walks them. A scan
    that only makes a digest (no jobs) takes plain article files in any order: their lines are
    sorted anyway; the other entries (folders, refusals) still come in name order."""
    lines = comparison.scan.lines if comparison.known is None else None  # a digest is all it makes
    try:
        folder_stat = os.stat(folder)
        key = (folder_stat.st_dev, folder_stat.st_ino)
        if key in seen_dirs:
            return
        seen_dirs.add(key)
        with os.scandir(folder) as listing:
            entries = list(listing) if lines is not None else sorted(listing, key=_name)
    except OSError as error:
        comparison.item(LoadIssue(Path(folder), f"folder cannot be read ({error.strerror or error})", True))
        return
    root_text = str(root)
    relative = folder[len(root_text) + 1 :] + "/" if folder != root_text else ""
    ascii_folder = relative.isascii()
    others: list[os.DirEntry[str]] = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        info = _plain_article_stat(entry, name)
        if info is None and lines is None:  # among the files, in name order: jobs in the loader's order
            _other_entry(entry, name, root, comparison, subfolders)
        elif info is None:
            others.append(entry)
        elif not (ascii_folder and name.isascii()):
            comparison.file(relative_id(entry.path, root), entry.path, info)
        elif lines is not None:  # ``comparison.file`` inlined: most of a re-open is this line
            lines.append(f"{len(relative) + len(name)} {relative}{name} {info.st_size} {info.st_mtime_ns}")
            comparison.scan.unchanged += 1
        else:
            comparison.file(relative + name, entry.path, info)
    for entry in sorted(others, key=_name):
        _other_entry(entry, entry.name, root, comparison, subfolders)


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _other_entry(
    entry: os.DirEntry[str], name: str, root: Path, comparison: _Comparison, subfolders: list[str]
) -> None:
    """Anything but a plain article file: a folder to walk and a file that is no article are
    told here; the rest (a symlink, an odd file, an error) by the loader's rules, imported then."""
    try:
        if not entry.is_symlink():
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(entry.path)
                return
            if not is_article_name(name):
                return
    except OSError:
        pass  # the loader's rules tell it
    from reader.core.loader import _scan_entry

    for item in _scan_entry(entry, root, subfolders):
        comparison.item(item)


def _plain_article_stat(entry: os.DirEntry[str], name: str) -> os.stat_result | None:
    """The ``stat`` of a regular, non-symlink article file; None for anything else (or an
    error), which the loader's ``_scan_entry`` then judges."""
    try:
        if not (is_article_name(name) and entry.is_file(follow_symlinks=False)):
            return None
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def given_paths(paths: Iterable[Path]) -> list[Path]:
    """Each path once, its folder resolved (the file itself may be a symlink, and stays one)."""
    return list(dict.fromkeys(Path(path).parent.resolve() / Path(path).name for path in paths))


def scan_paths(root: Path, known: Known, paths: Sequence[Path]) -> tuple[FileJobs, list[str], int]:
    """Only these files (``given_paths``: the caller knows they changed): the jobs, the ids of
    those gone, and how many are unchanged. A path that is not a plain article file is left to
    a full sync."""
    jobs = FileJobs()
    removed: list[str] = []
    unchanged = 0
    for given in paths:
        if not _is_plain_article_path(given, root):
            continue
        article_id = relative_id(given, root)
        try:
            info = os.stat(given)
        except FileNotFoundError:
            if article_id in known:
                removed.append(article_id)
            continue
        before = known.get(article_id)
        if before is not None and (before[0], before[1]) == (info.st_size, info.st_mtime_ns):
            unchanged += 1
        else:
            jobs.add(str(given), info.st_size, info.st_mtime_ns, before[2] if before else None)
    return jobs, removed, unchanged


def _is_plain_article_path(path: Path, root: Path) -> bool:
    """An article file name inside the root, not hidden and not a symlink.

    Anything else is left to a full sync, which applies the loader's rules to it.
    """
    try:
        parts = path.relative_to(root if root.is_dir() else root.parent).parts
    except ValueError:
        return False
    hidden = any(part.startswith(".") for part in parts)
    return bool(parts) and not hidden and path.suffix.lower() in ARTICLE_SUFFIXES and not path.is_symlink()


def still_skipped(scan: FolderScan, skipped_known: dict[Path, Any]) -> FolderScan:
    """A digest-only scan whose digest is the catalog's: every skipped file is still there as
    it was (the digest covers them), so each is reported again and none counts as unchanged."""
    for path, skipped in sorted(skipped_known.items()):
        scan.issues.append(LoadIssue(path, skipped.reason, True))
        scan.still_skipped.add(path)
    scan.unchanged -= len(skipped_known)
    return scan
