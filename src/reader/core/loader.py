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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from reader.core.dates import find_date, parse_date
from reader.core.fingerprint import fingerprint
from reader.core.frontmatter_safe import split_front_matter
from reader.core.models import Article, Corpus, LoadIssue, ParagraphKind
from reader.core.structure import (
    MAX_HEADLINE_CHARS,
    author_from_box,
    canonical_link,
    classify,
    derive_title,
    reads_as_headline,
    split_paragraphs,
)
from reader.core.text import clean_text, decode, fold_spaces, visible, visible_name

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
MAX_FILE_BYTES = 20 * 1024 * 1024  # larger files are skipped: no article is this long
MAX_TEXT_CHARS = 1_000_000  # longer text is cut (with a note) for display and indexing
BINARY_SAMPLE = 8192
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])

_OUTLET_KEYS = ("outlet", "source", "publisher", "publication", "site_name", "site", "website")
_AUTHOR_KEYS = ("author", "authors", "byline", "creator", "writer")
_URL_KEYS = ("url", "link", "canonical_url", "canonical", "source_url", "permalink")
_DATE_KEYS = ("date", "published", "published_at", "pubdate", "publish_date", "created", "time")
_TAG_KEYS = ("tags", "categories", "category", "keywords")
_TITLE_KEYS = ("title", "headline")
_CONSUMED_KEYS = frozenset(_TITLE_KEYS + _OUTLET_KEYS + _AUTHOR_KEYS + _URL_KEYS + _DATE_KEYS + _TAG_KEYS)
# What each known field must hold; other shapes are coerced or dropped (``_checked``).
_FIELD_KINDS = (
    dict.fromkeys(_TITLE_KEYS, "title") | dict.fromkeys(_OUTLET_KEYS, "text") | dict.fromkeys(_AUTHOR_KEYS, "names")
    | dict.fromkeys(_URL_KEYS, "url") | dict.fromkeys(_DATE_KEYS, "date") | dict.fromkeys(_TAG_KEYS, "tags")
)
_NUMBER_RE = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_DATE_SHAPE_RE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T_-].*)?")

_RULE_LINES = re.compile(r"^[ \t]*(?:[-*_=~][ \t]*){3,}$", re.MULTILINE)
_LINE_MARKERS = re.compile(r"^[ \t]*(?:#+|[-*•>])[ \t]+", re.MULTILINE)  # Markdown heading, bullet, quote
_BARE_HOST = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:[/?#]|$)")

ProgressCallback = Callable[[int, int], None]


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _is_article_name(name: str) -> bool:
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES


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
    root = root.expanduser().resolve()
    if root.is_file():
        yield root
        return
    if not root.is_dir():
        try:
            yield LoadIssue(root, f"{_kind_of(root.stat().st_mode)}, not an article file", True)
        except OSError as error:
            yield LoadIssue(root, f"cannot be examined ({error.strerror or error})", True)
        return
    seen_dirs: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            folder_stat = folder.stat()
            key = (folder_stat.st_dev, folder_stat.st_ino)
            if key in seen_dirs:
                continue
            seen_dirs.add(key)
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            yield LoadIssue(folder, f"folder cannot be read ({error.strerror or error})", True)
            continue
        subfolders: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                if on_hidden is not None and _is_hidden_worth_naming(entry):
                    on_hidden(Path(entry.path))
                continue
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    issue = _symlink_refusal(path, root)
                    if issue is None:
                        yield path
                    elif _is_article_name(entry.name) or path.is_dir():
                        yield issue
                    continue
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(path)
                    continue
                if not _is_article_name(entry.name):
                    continue
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as error:
                yield LoadIssue(path, f"cannot be examined ({error.strerror or error})", True)
                continue
            if stat.S_ISREG(mode):
                yield path
            else:
                yield LoadIssue(path, f"{_kind_of(mode)}, not an article file", True)
        stack.extend(reversed(subfolders))


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


def read_file_bytes(path: Path) -> tuple[bytes, os.stat_result, bool]:
    """Read a regular file without blocking or following a last-moment symlink.

    Returns the bytes (at most ``MAX_FILE_BYTES``), the stat taken on the open file, and whether
    the file was bigger than that. Raises ``OSError`` or ``ValueError`` with a readable reason.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno != errno.ELOOP or not path.is_symlink():
            raise
        # O_NOFOLLOW refuses every symlink; the caller has checked where this one leads. A
        # loop made since then fails here again, with "too many levels of symbolic links".
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
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(descriptor)
    return data[:MAX_FILE_BYTES], info, len(data) > MAX_FILE_BYTES


def _looks_binary(data: bytes) -> bool:
    sample = data[:BINARY_SAMPLE]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return (b"\x00" in sample and controls > len(sample) // 20) or controls > len(sample) // 4


def _as_text(value: Any) -> str | None:
    """A front-matter value as one line of text (lists joined), or None when empty."""
    if value is None:
        return None
    if isinstance(value, list):
        parts = [_as_text(item) for item in value]
        value = ", ".join(part for part in parts if part)
    elif isinstance(value, dict):
        value = value.get("name") or value.get("title") or ""
    text = fold_spaces(clean_text(str(value))[0].replace("\n", " "))
    return text or None


def _named(value: Any) -> bool:
    """Text, or a mapping with a name (``publisher: {name: Gazette}``, as JSON-LD writes it)."""
    if isinstance(value, dict):
        return isinstance(value.get("name") or value.get("title"), str)
    return isinstance(value, str)


def _checked(kind: str, value: Any) -> tuple[Any, str | None]:
    """A known field's value in the shape its kind needs, and what was done to it, if anything."""
    if isinstance(value, str):
        if kind == "tags" and _NUMBER_RE.fullmatch(value.strip()):
            return [value.strip()], f"is a number, not a list of tags; read as the tag {value.strip()!r}"
        return value, None
    if kind == "date":
        return None, f"is {'a list' if isinstance(value, list) else 'a mapping'}, not a date; ignored"
    if kind == "tags" and isinstance(value, dict):
        return None, "is a mapping, not a list of tags; ignored"
    if isinstance(value, dict):
        if kind in ("text", "names"):
            return (value, None) if _named(value) else (None, "is a mapping without a name; ignored")
        return None, "is a mapping, not text; ignored"
    items = [item for item in value if isinstance(item, str) or (kind == "names" and _named(item))]
    if kind in ("names", "tags"):
        return items, None if len(items) == len(value) else "holds lists or mappings; those items ignored"
    if not items:
        return None, "is a list with no text in it; ignored"
    if kind == "url":
        return items[0], "is a list, not text; its first item kept"
    return items, "is a list, not text; its items joined"


def _checked_fields(metadata: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The metadata with each known field coerced or dropped, and one warning per field changed."""
    checked: dict[str, Any] = {}
    warnings: list[str] = []
    for key, value in metadata.items():
        kind = _FIELD_KINDS.get(key.lower())
        if kind is None or value is None:
            checked[key] = value
            continue
        fixed, problem = _checked(kind, value)
        if problem is not None:
            warnings.append(f"front matter field {visible(key, limit=40)!r} {problem}")
        if fixed is not None:
            checked[key] = fixed
    return checked, warnings


def _first(metadata: dict[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {key.lower(): value for key, value in metadata.items()}
    for key in keys:
        if lowered.get(key) not in (None, "", []):
            return lowered[key]
    return None


def _tags(metadata: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for key, value in metadata.items():
        if key.lower() not in _TAG_KEYS:
            continue
        items = value if isinstance(value, list) else str(value).split(",")
        for item in items:
            tag = _as_text(item)
            if tag and tag.casefold() not in {existing.casefold() for existing in found}:
                found.append(tag)
    return tuple(found)


def _outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.") or None


def _is_web_address(url: str) -> bool:
    """Only http(s) addresses, or a bare host name, may become links; never javascript: or file:."""
    scheme = urlsplit(url).scheme.lower()
    if scheme:
        return scheme in ("http", "https") and url.lower().startswith(("http://", "https://"))
    return _BARE_HOST.match(url) is not None


def _clean_metadata(value: Any) -> Any:
    """Front-matter values with control characters defused: YAML escapes (``"\\e"``) make new
    ones after the file's text was cleaned."""
    if isinstance(value, str):
        return clean_text(value)[0]
    if isinstance(value, list):
        return [_clean_metadata(item) for item in value]
    if isinstance(value, dict):
        return {_clean_metadata(str(key)): _clean_metadata(item) for key, item in value.items()}
    return value


def _title_from_prose(text: str, spans: list[tuple[int, int]]) -> tuple[str, bool]:
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


def _relative_id(path: Path, root: Path) -> str:
    """The article's id: its path under the root, always valid UTF-8.

    A file name that is not UTF-8 reaches Python with lone surrogates, which SQLite and Whoosh
    refuse; its id spells the odd bytes as ``\\xff`` instead (``Article.path`` keeps them).
    """
    prefix = str(root) + os.sep
    text = str(path)
    # Under the root, the root is a folder; otherwise the corpus is this one file.
    relative = text[len(prefix) :].replace(os.sep, "/") if text.startswith(prefix) else path.name
    if not relative.isascii():
        relative = os.fsencode(relative).decode("utf-8", "backslashreplace")
    return relative


def load_article(path: Path, root: Path) -> Article | LoadIssue:
    """Load one file into an ``Article``, or say in one line why it cannot be shown.

    A symlink is checked again here, not only when the folder was walked: it may have been
    changed since, and the app re-reads articles long after the walk.
    """
    if path.is_symlink():
        refusal = _symlink_refusal(path, root if root.is_dir() else root.parent)
        if refusal is not None:
            return refusal
    try:
        data, info, _ = read_file_bytes(path)
    except ValueError as error:
        return LoadIssue(path, str(error), True)
    except OSError as error:
        return LoadIssue(path, f"cannot be read ({error.strerror or error})", True)
    if _looks_binary(data):
        return LoadIssue(path, "binary file, not text", True)
    decoded = decode(data)
    text, notes = clean_text(decoded.text)
    warnings: list[str] = [decoded.note] if decoded.note else []
    warnings.extend(notes)
    front = split_front_matter(text)
    if front.warning:
        warnings.append(front.warning)
    warnings.extend(front.field_warnings)
    metadata, field_notes = _checked_fields(_clean_metadata(front.metadata))
    warnings.extend(field_notes)
    # A refused YAML tag on the title (or the whole block): the body is no headline either.
    title_from_name = front.refused_tag or any(key.lower() in _TITLE_KEYS for key in front.refused_fields)
    content = front.content
    truncated = len(content) > MAX_TEXT_CHARS
    if truncated:
        cut = content.rfind("\n\n", 0, MAX_TEXT_CHARS)
        content = content[: cut if cut > MAX_TEXT_CHARS // 2 else MAX_TEXT_CHARS]
        warnings.append(f"longer than {MAX_TEXT_CHARS:,} characters; truncated for display and search")
    if not content.strip() and not metadata:
        return LoadIssue(path, "empty file", True)

    title = _as_text(_first(metadata, _TITLE_KEYS))
    title_derived = False
    if title_from_name and not title:
        title, title_derived = visible_name(path.stem, limit=MAX_HEADLINE_CHARS), True
        full_text = content
        paragraphs = classify(full_text, split_paragraphs(content), has_headline=False)
    elif title:
        prefix = title + "\n\n"
        spans = [(0, len(title))] + split_paragraphs(content, offset=len(prefix))
        full_text = prefix + content
        paragraphs = classify(full_text, spans, has_headline=True)
    else:
        spans = split_paragraphs(content)
        if front.after_rejected_block is None:
            title, title_derived = _title_from_prose(content, spans)
            headline = not title_derived
        else:
            rest = front.after_rejected_block
            title, title_derived = _title_from_prose(rest, split_paragraphs(rest))
            headline = False  # the first paragraph is the rejected block, not a headline
        title = title or visible_name(path.stem, limit=MAX_HEADLINE_CHARS)
        full_text = content
        paragraphs = classify(full_text, spans, has_headline=headline)

    date, date_text = parse_date(_first(metadata, _DATE_KEYS))
    if date_text:
        problem = "is not a real date" if _DATE_SHAPE_RE.fullmatch(date_text) else "not understood"
        warnings.append(f"date {visible(date_text, limit=60)!r} {problem}; kept as text")
    url = _as_text(_first(metadata, _URL_KEYS))
    consumed = _CONSUMED_KEYS
    if url is not None and not _is_web_address(url):
        warnings.append(f"url {visible(url, limit=80)!r} is not a web address; not kept as a link")
        consumed = _CONSUMED_KEYS - frozenset(_URL_KEYS)  # kept as plain metadata instead
        url = None
    outlet = _as_text(_first(metadata, _OUTLET_KEYS)) or _outlet_from_url(url)
    url = url or canonical_link(full_text)
    article_id = _relative_id(path, root)
    date_source = "front-matter" if date is not None else None
    if date is None and (found := find_date(full_text, url=url, path=article_id)) is not None:
        date, date_source = found
    author = _as_text(_first(metadata, _AUTHOR_KEYS))
    if author is None:
        for paragraph in paragraphs:
            if paragraph.kind is ParagraphKind.FURNITURE:
                author = author_from_box(full_text[paragraph.start : paragraph.end]) or author
    extra = {key: value for key, value in metadata.items() if key.lower() not in consumed}
    return Article(
        id=article_id,
        path=path,
        title=title,
        title_derived=title_derived,
        text=full_text,
        paragraphs=tuple(paragraphs),
        date=date,
        date_text=date_text,
        date_source=date_source,
        outlet=outlet,
        author=author,
        url=url,
        tags=_tags(metadata),
        metadata=extra,
        size=info.st_size,
        mtime_ns=info.st_mtime_ns,
        fingerprint=fingerprint(full_text),
        truncated=truncated,
        warnings=tuple(warnings),
        encoding=decoded.encoding,
    )


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
