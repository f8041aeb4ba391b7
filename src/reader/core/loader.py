"""Loading a folder (or one file) of articles, treating every byte in it as untrusted.

Only regular files under the chosen root are read: symlinks that leave the folder, named pipes,
devices and directory cycles are reported and passed over, so loading can neither hang nor
escape the folder. Every file that is skipped or worked around is reported once, with why.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.core.article_names import ARTICLE_SUFFIXES as ARTICLE_SUFFIXES  # the loader's name for it, kept
from reader.core.article_names import is_article_name as _is_article_name
from reader.core.article_names import relative_id as _relative_id
from reader.core.dates import find_date, parse_date
from reader.core.fingerprint import fingerprint
from reader.core.front_matter_fields import (
    AUTHOR_KEYS,
    CONSUMED_KEYS,
    DATE_KEYS,
    DATE_SHAPE_RE,
    OUTLET_KEYS,
    TITLE_KEYS,
    URL_KEYS,
    as_text,
    by_lower_key,
    checked_fields,
    clean_metadata,
    first,
    is_web_address,
    outlet_from_url,
    tags_of,
)
from reader.core.frontmatter_safe import FrontMatter, split_front_matter
from reader.core.models import Article, Corpus, LoadIssue, Paragraph, ParagraphKind
from reader.core.structure import (
    MAX_HEADLINE_CHARS,
    author_from_box,
    canonical_link,
    classify,
    derive_title,
    iter_paragraphs,
    reads_as_headline,
    split_paragraphs,
)
from reader.core.text import clean_text, decode, is_clean_utf8, visible, visible_name

MAX_FILE_BYTES = 20 * 1024 * 1024  # larger files are skipped: no article is this long
MAX_TEXT_CHARS = 1_000_000  # longer text is cut (with a note) for display and indexing
BINARY_SAMPLE = 8192
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)

_RULE_LINES = re.compile(r"^[ \t]*(?:[-*_=~][ \t]*){3,}$", re.MULTILINE)
_LINE_MARKERS = re.compile(r"^[ \t]*(?:#+|[-*•>])[ \t]+", re.MULTILINE)  # Markdown heading, bullet, quote

ProgressCallback = Callable[[int, int], None]


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def iter_article_files(
    root: Path, on_hidden: Callable[[Path], None] | None = None
) -> Iterator[Path | LoadIssue]:
    """Yield the article files under ``root`` in a stable order, and an issue for each refusal.

    Hidden files and folders are not read; ``on_hidden`` is told of each hidden folder and
    each hidden file with an article's name. Symlinked folders are not followed (that is how
    cycles and escapes start); a symlinked file is read only if it stays inside the root.
    """
    for item in scan_article_files(root, on_hidden):
        yield item if isinstance(item, LoadIssue) else Path(item[0])


def scan_article_files(
    root: Path, on_hidden: Callable[[Path], None] | None = None
) -> Iterator[tuple[str, os.stat_result] | LoadIssue]:
    """``iter_article_files`` with each file's ``stat`` (its target's, for a symlink), the path
    as text: a sync compares 100k files with the catalog by size and mtime, and one ``stat``
    and no ``Path`` per file is most of what makes that quick."""
    root = root.expanduser().resolve()
    if root.is_file():
        yield str(root), root.stat()
        return
    if not root.is_dir():
        try:
            yield LoadIssue(root, f"{_kind_of(root.stat().st_mode)}, not an article file", True)
        except OSError as error:
            yield LoadIssue(root, f"cannot be examined ({error.strerror or error})", True)
        return
    seen_dirs: set[tuple[int, int]] = set()
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            folder_stat = os.stat(folder)
            key = (folder_stat.st_dev, folder_stat.st_ino)
            if key in seen_dirs:
                continue
            seen_dirs.add(key)
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            yield LoadIssue(Path(folder), f"folder cannot be read ({error.strerror or error})", True)
            continue
        subfolders: list[str] = []
        for entry in entries:
            if entry.name.startswith("."):
                if on_hidden is not None and _is_hidden_worth_naming(entry):
                    on_hidden(Path(entry.path))
                continue
            yield from _scan_entry(entry, root, subfolders)
        stack.extend(reversed(subfolders))


def _scan_entry(
    entry: os.DirEntry[str], root: Path, subfolders: list[str]
) -> Iterator[tuple[str, os.stat_result] | LoadIssue]:
    """One directory entry: an article file with its stat, a refusal, or a folder to walk."""
    try:
        if entry.is_symlink():
            path = Path(entry.path)
            issue = _symlink_refusal(path, root)
            if issue is None:
                yield entry.path, os.stat(entry.path)
            elif _is_article_name(entry.name) or path.is_dir():
                yield issue
            return
        if entry.is_dir(follow_symlinks=False):
            subfolders.append(entry.path)
            return
        if not _is_article_name(entry.name):
            return
        info = entry.stat(follow_symlinks=False)
    except OSError as error:
        yield LoadIssue(Path(entry.path), f"cannot be examined ({error.strerror or error})", True)
        return
    if stat.S_ISREG(info.st_mode):
        yield entry.path, info
    else:
        yield LoadIssue(Path(entry.path), f"{_kind_of(info.st_mode)}, not an article file", True)


def _is_hidden_worth_naming(entry: os.DirEntry[str]) -> bool:
    """A hidden folder (it may hold articles) or hidden article file, not ``.DS_Store`` and kin."""
    try:
        return entry.is_dir(follow_symlinks=False) or os.path.splitext(entry.name)[1].lower() in ARTICLE_SUFFIXES
    except OSError:
        return False


def _symlink_refusal(path: Path, root: Path) -> LoadIssue | None:
    """Why a symlink is passed over, or None when it is an article file inside the root."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return LoadIssue(path, "broken or looping symlink", True)
    if not _within(target, root):
        return LoadIssue(path, "symlink points outside the folder; not followed", True)
    if target.is_dir():
        return LoadIssue(path, "symlinked folder not followed (its files are read under their own names)", True)
    if not _is_article_name(path.name) or not target.is_file():
        return LoadIssue(path, "symlink to something that is not an article file", True)
    return None


def read_file_bytes(
    path: Path, symlink_refusal: Callable[[Path], str | None] = lambda _: None
) -> tuple[bytes, os.stat_result, bool]:
    """Read a regular file without blocking or following a symlink that ``symlink_refusal``
    refuses (it says why, raised as a ``ValueError``).

    Returns the bytes (at most ``MAX_FILE_BYTES``), the stat taken on the open file, and whether
    the file was bigger than that. Raises ``OSError`` or ``ValueError`` with a readable reason.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | _NO_FOLLOW
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno != errno.ELOOP or not path.is_symlink():
            raise
        # O_NOFOLLOW refuses every symlink: this one is checked only now, which spares every
        # other file an lstat. A loop made since the check fails again, with "too many levels
        # of symbolic links".
        refusal = symlink_refusal(path)
        if refusal is not None:
            raise ValueError(refusal) from None
        descriptor = os.open(os.path.realpath(path), flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{_kind_of(info.st_mode)}, not an article file")
        if info.st_size > MAX_FILE_BYTES:
            raise ValueError(
                f"file is {info.st_size / 1_048_576:.1f} MB, over the "
                f"{MAX_FILE_BYTES // 1_048_576} MB limit for an article"
            )
        data = _read_up_to(descriptor, MAX_FILE_BYTES + 1, info.st_size)
    finally:
        os.close(descriptor)
    return data[:MAX_FILE_BYTES], info, len(data) > MAX_FILE_BYTES


def _read_up_to(descriptor: int, limit: int, expected: int) -> bytes:
    """At most ``limit`` bytes of an open file, asking first for one more than its ``fstat``
    size (a file may grow while it is read): a buffered ``read(limit)`` allocates the whole
    20 MB limit for every 6 KB article, the larger part of reading one."""
    parts: list[bytes] = []
    got = 0
    wanted = min(expected + 1, limit)
    while got < limit:
        part = os.read(descriptor, wanted)
        if not part:
            break
        parts.append(part)
        got += len(part)
        wanted = min(max(wanted, 1 << 16), limit - got)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _looks_binary(data: bytes) -> bool:
    sample = data[:BINARY_SAMPLE]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return (b"\x00" in sample and controls > len(sample) // 20) or controls > len(sample) // 4


def _title_from_prose(text: str, spans: Iterable[tuple[int, int]]) -> tuple[str, bool]:
    """The title of a text without a front-matter title, and whether it was derived.

    The first paragraph is the headline when it reads as one; otherwise the title is made from
    the first paragraph with words in it (a ``---`` rule at the top is no title).
    """
    for index, (start, end) in enumerate(spans):
        paragraph = _LINE_MARKERS.sub("", _RULE_LINES.sub("", text[start:end])).strip()
        if not any(char.isalnum() for char in paragraph):
            continue
        if index == 0 and reads_as_headline(paragraph):
            return paragraph, False
        return derive_title(paragraph), True
    return "", True


def load_article(path: Path, root: Path, *, structure: bool = True) -> Article | LoadIssue:
    """Load one file into an ``Article``, or say in one line why it cannot be shown.

    A symlink is checked again here, not only when the folder was walked: it may have been
    changed since, and the app re-reads articles long after the walk. ``structure=False``
    leaves the paragraphs unclassified (no ``paragraphs``, no author from a byline box): what
    a list row needs, in half the time, for the first pass over a new folder.
    """
    read = _read_text(path, root)
    if isinstance(read, LoadIssue):
        return read
    text, info, encoding, warnings = read
    front = split_front_matter(text)
    warnings.extend(([front.warning] if front.warning else []) + list(front.field_warnings))
    metadata, field_notes = checked_fields(clean_metadata(front.metadata))
    warnings.extend(field_notes)
    content, truncated = _cut(front.content, warnings)
    if not content.strip() and not metadata:
        return LoadIssue(path, "empty file", True)
    fields = by_lower_key(metadata)
    body = _body(path, front, fields, content, structure)
    paragraphs = classify(body.text, body.spans, has_headline=body.headline) if structure else []
    date, date_text = parse_date(first(fields, DATE_KEYS))
    if date_text:
        problem = "is not a real date" if DATE_SHAPE_RE.fullmatch(date_text) else "not understood"
        warnings.append(f"date {visible(date_text, limit=60)!r} {problem}; kept as text")
    url, consumed = _web_address(fields, warnings)
    outlet = as_text(first(fields, OUTLET_KEYS)) or outlet_from_url(url)
    url = url or canonical_link(body.text)
    article_id = _relative_id(path, root)
    date_source = "front-matter" if date is not None else None
    if date is None and (found := find_date(body.text, url=url, path=article_id)) is not None:
        date, date_source = found
    return Article(
        id=article_id,
        path=path,
        title=body.title,
        title_derived=body.title_derived,
        text=body.text,
        paragraphs=tuple(paragraphs),
        date=date,
        date_text=date_text,
        date_source=date_source,
        outlet=outlet,
        author=as_text(first(fields, AUTHOR_KEYS)) or _author_in_box(body.text, paragraphs),
        url=url,
        tags=tags_of(metadata),
        metadata={key: value for key, value in metadata.items() if key.lower() not in consumed},
        size=info.st_size,
        mtime_ns=info.st_mtime_ns,
        fingerprint=fingerprint(body.text),
        truncated=truncated,
        warnings=tuple(warnings),
        encoding=encoding,
    )


def _read_text(path: Path, root: Path) -> tuple[str, os.stat_result, str, list[str]] | LoadIssue:
    """The file's text, cleaned, with its stat, its encoding and what decoding it took; or why
    it is not read (a symlink leaving the folder, an unreadable or binary file)."""
    def refusal(link: Path) -> str | None:
        issue = _symlink_refusal(link, root if root.is_dir() else root.parent)
        return None if issue is None else issue.reason

    if not _NO_FOLLOW and path.is_symlink() and (reason := refusal(path)) is not None:
        return LoadIssue(path, reason, True)  # no O_NOFOLLOW to refuse it when opened
    try:
        data, info, _ = read_file_bytes(path, refusal)
    except ValueError as error:
        return LoadIssue(path, str(error), True)
    except OSError as error:
        return LoadIssue(path, f"cannot be read ({error.strerror or error})", True)
    if _looks_binary(data):
        return LoadIssue(path, "binary file, not text", True)
    decoded = decode(data)
    if decoded.note is None and decoded.encoding == "utf-8" and is_clean_utf8(data):
        return decoded.text, info, decoded.encoding, []
    text, notes = clean_text(decoded.text)
    return text, info, decoded.encoding, ([decoded.note] if decoded.note else []) + notes


def _cut(content: str, warnings: list[str]) -> tuple[str, bool]:
    """The text cut at a paragraph end near ``MAX_TEXT_CHARS`` (with a warning), if longer."""
    if len(content) <= MAX_TEXT_CHARS:
        return content, False
    cut = content.rfind("\n\n", 0, MAX_TEXT_CHARS)
    warnings.append(f"longer than {MAX_TEXT_CHARS:,} characters; truncated for display and search")
    return content[: cut if cut > MAX_TEXT_CHARS // 2 else MAX_TEXT_CHARS], True


@dataclass(frozen=True, slots=True)
class _Body:
    """The article's title and text (a front-matter title becomes the text's first paragraph)."""

    title: str
    title_derived: bool
    text: str
    spans: list[tuple[int, int]]  # the paragraphs, when wanted (``structure``), else none
    headline: bool  # the first paragraph is the title


def _body(path: Path, front: FrontMatter, fields: dict[str, Any], content: str, structure: bool) -> _Body:
    """The title (front matter, else the prose, else the file name) and the text it heads, with
    its paragraphs if ``structure`` (a list row needs only the first few, for a title)."""
    title = as_text(first(fields, TITLE_KEYS))
    # A refused YAML tag on the title (or the whole block): the body is no headline either.
    title_from_name = front.refused_tag or any(key.lower() in TITLE_KEYS for key in front.refused_fields)
    spans = split_paragraphs(content, offset=len(title) + 2 if title else 0) if structure else []
    if title_from_name and not title:
        return _Body(visible_name(path.stem, limit=MAX_HEADLINE_CHARS), True, content, spans, False)
    if title:
        return _Body(title, False, f"{title}\n\n{content}", [(0, len(title)), *spans], True)
    if front.after_rejected_block is None:
        title, derived = _title_from_prose(content, spans if structure else iter_paragraphs(content))
        headline = not derived
    else:  # the first paragraph is the rejected block, not a headline
        rest = front.after_rejected_block
        (title, derived), headline = _title_from_prose(rest, iter_paragraphs(rest)), False
    return _Body(title or visible_name(path.stem, limit=MAX_HEADLINE_CHARS), derived, content, spans, headline)


def _web_address(fields: dict[str, Any], warnings: list[str]) -> tuple[str | None, frozenset[str]]:
    """The front matter's link, if it is a web address, and the keys the article's fields use
    (a link that is no web address stays as plain metadata, with a warning)."""
    url = as_text(first(fields, URL_KEYS))
    if url is None or is_web_address(url):
        return url, CONSUMED_KEYS
    warnings.append(f"url {visible(url, limit=80)!r} is not a web address; not kept as a link")
    return None, CONSUMED_KEYS - frozenset(URL_KEYS)


def _author_in_box(text: str, paragraphs: list[Paragraph]) -> str | None:
    """The author named in a byline box of the page furniture (the last one found)."""
    author = None
    for paragraph in paragraphs:
        if paragraph.kind is ParagraphKind.FURNITURE:
            author = author_from_box(text[paragraph.start : paragraph.end]) or author
    return author


def load_corpus(root: Path, on_progress: ProgressCallback | None = None) -> Corpus:
    """Load every article under ``root`` (a folder or one file); never raises for bad files."""
    root = root.expanduser().resolve()
    if not root.exists():
        raise FileNotFoundError(f"no such file or folder: {root}")
    hidden: list[Path] = []
    found = list(iter_article_files(root, on_hidden=hidden.append))
    files = [item for item in found if isinstance(item, Path)]
    issues: list[LoadIssue] = [item for item in found if isinstance(item, LoadIssue)]
    articles: list[Article] = []
    for done, path in enumerate(files, start=1):
        loaded = load_article(path, root)
        if isinstance(loaded, Article):
            articles.append(loaded)
            issues.extend(LoadIssue(path, warning, False) for warning in loaded.warnings)
        else:
            issues.append(loaded)
        if on_progress is not None:
            on_progress(done, len(files))
    return Corpus(root=root, articles=tuple(articles), issues=tuple(issues), hidden=tuple(hidden))
