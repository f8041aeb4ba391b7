"""Which stored article a file is: the tag store's identity rules (see ``store`` for the why).

A tag belongs to an article file. A file is the article last seen at its path when its text is
one that article has had, or close to it (an edit); otherwise it takes over an article that had
its text only if that article's own file is gone (a rename or a move). Two files present at once
are two articles, so an identical copy never shares the original's tags.

Everything here runs inside a transaction the store opened; nothing commits.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from reader.core.fingerprint import sketch, sketch_distance
from reader.core.sqlite_access import slices

# Sketches of the same article after a small edit differ in a few bits; unrelated texts in about
# 32 (+-4). Up to 20 is three deviations away from a chance match.
SAME_ARTICLE_MAX_DISTANCE = 20
_WHOLE_TABLE_AT = 5000  # look-ups beyond this read the whole (small) table instead of IN (...)
_SIGN_BIT = 1 << 63


class TagRef(Protocol):
    """Anything that names an article file: ``Article``, a search catalog row, ..."""

    @property
    def path(self) -> Path: ...

    @property
    def fingerprint(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Known:
    """An article as the store knows it."""

    id: int
    path: str | None  # where its file was last seen; None when unknown or taken over
    fingerprint: str
    sketch: int | None


class Probe:
    """What the store reads from a ref. The path text and the sketch cost time on 100k refs, so
    each is worked out at most once, and only for the refs that need it."""

    __slots__ = ("_path", "_path_as_text", "_ref", "_sketch", "_sketch_known", "fingerprint")

    def __init__(self, path: Path | None, fingerprint: str, ref: object = None,
                 sketch_value: int | None = None) -> None:
        self._path = path
        self._path_as_text: str | bool | None = False  # False: not worked out yet
        self.fingerprint = fingerprint
        self._ref = ref
        self._sketch = sketch_value
        self._sketch_known = ref is None

    @classmethod
    def of(cls, ref: TagRef) -> Probe:
        return cls(ref.path, ref.fingerprint or "", ref)

    @property
    def name(self) -> str:
        return self._path.name if self._path is not None else ""

    @property
    def path(self) -> str | None:
        """The path as stored, or None when unknown or not valid UTF-8 (then found by text only)."""
        if self._path_as_text is False:
            self._path_as_text = None if self._path is None else _path_text(self._path)
        return self._path_as_text  # type: ignore[return-value]

    @property
    def sketch(self) -> int | None:
        if not self._sketch_known:
            self._sketch_known = True
            given = getattr(self._ref, "sketch", None)
            text = getattr(self._ref, "text", None)
            if isinstance(given, int):
                self._sketch = given
            elif isinstance(text, str):
                self._sketch = sketch(text)
        return self._sketch


@dataclass(frozen=True, slots=True)
class Resolution:
    """The stored article of each probe (None: not known), and the articles whose file now
    holds a different article (their path is to be forgotten)."""

    found: list[Known | None]
    displaced: list[Known]

    def changes(self, probes: Sequence[Probe]) -> bool:
        """Whether recording would change the store: a file moved or edited, or one displaced."""
        if self.displaced:
            return True
        pairs = zip(self.found, probes, strict=True)
        return any(known is not None and _moved_or_edited(known, probe) for known, probe in pairs)


def resolve(connection: sqlite3.Connection, probes: Sequence[Probe]) -> Resolution:
    """Which stored article each probe is: at its own path first, then by its text (moves only)."""
    texts = by_fingerprint(connection, {probe.fingerprint for probe in probes if probe.fingerprint})
    at_path = _by_path(connection, probes)
    names = {os.path.basename(path) for path in at_path}  # a probe's path is text only if needed
    found: list[Known | None] = []
    displaced: list[Known] = []
    for probe in probes:
        known = at_path.get(probe.path) if probe.name in names and probe.path is not None else None
        if known is not None and not _same_article(known, probe, texts):
            displaced.append(known)
            known = None
        found.append(known)
    _take_over_moved(found, probes, texts)
    return Resolution(found, displaced)


def record(connection: sqlite3.Connection, probes: Sequence[Probe], resolution: Resolution) -> None:
    """Write down what a resolution learnt: where articles are now, and which files were taken over."""
    forget_paths(connection, resolution.displaced)
    for known, probe in zip(resolution.found, probes, strict=True):
        if known is not None and _moved_or_edited(known, probe):
            _record_move(connection, known, probe)


def follow_edited_moves(
    connection: sqlite3.Connection, gone_paths: Sequence[str], arrived: Sequence[Probe]
) -> list[int]:
    """Files renamed *and* edited since they were last seen are found neither at their path nor
    by their text: give each stored article whose file is among ``gone_paths`` (and really gone)
    to the file of ``arrived`` whose sketch is nearest to its own, if near enough, and the file
    is no stored article yet. Return the indexes in ``arrived`` of the files that took one over.
    """
    lost = [
        known for known in _by_path_texts(connection, gone_paths)
        if known.sketch is not None and not _is_there(known.path)
    ]
    if not lost:
        return []
    texts = by_fingerprint(connection, {probe.fingerprint for probe in arrived if probe.fingerprint})
    at_path = _by_path(connection, arrived)
    free = [index for index, probe in enumerate(arrived)
            if probe.fingerprint not in texts and (probe.path is None or probe.path not in at_path)]
    taken: list[int] = []
    for known in lost:
        assert known.sketch is not None
        near = [(sketch_distance(known.sketch, sketch_value), index) for index in free
                if index not in taken and (sketch_value := arrived[index].sketch) is not None]
        distance, index = min(near, default=(SAME_ARTICLE_MAX_DISTANCE + 1, -1))
        if distance <= SAME_ARTICLE_MAX_DISTANCE:
            _record_move(connection, known, arrived[index])
            taken.append(index)
    return taken


def _by_path_texts(connection: sqlite3.Connection, paths: Sequence[str]) -> list[Known]:
    query = "SELECT id, path, fingerprint, sketch FROM articles WHERE path IN"
    return [
        _known(row)
        for chunk in slices(sorted(set(paths)))
        for row in connection.execute(f"{query} ({marks(len(chunk))})", chunk)
    ]


def articles_for_writing(connection: sqlite3.Connection, probes: Sequence[Probe]) -> list[int]:
    """The article id of each probe (to tag it), recording where it is now, or a new article."""
    resolution = resolve(connection, probes)
    record(connection, probes, resolution)
    made: dict[str | None, int] = {}  # the same new file twice in one call is one article
    ids: list[int] = []
    for known, probe in zip(resolution.found, probes, strict=True):
        if known is not None:
            ids.append(known.id)
        elif probe.path is not None and probe.path in made:
            ids.append(made[probe.path])
        else:
            made[probe.path] = new_article(connection, probe, probe.path)
            ids.append(made[probe.path])
    return ids


def article_for_import(
    connection: sqlite3.Connection, probe: Probe, aliases: Sequence[str], claimed: set[int]
) -> int:
    """The article an exported row names, or a new one. Rows of one export name different
    articles (``claimed``: those taken by other paths of this import); a row merges into an
    article here when that is the article at its path, or one with its text, preferably one
    whose file is here, with its file name."""
    texts = {probe.fingerprint, *aliases}
    known_texts = by_fingerprint(connection, texts)
    at_path = _by_path(connection, [probe]).get(probe.path) if probe.path is not None else None
    had_texts = at_path is not None and any(
        known.id == at_path.id for text in texts for known in known_texts.get(text, ())
    )
    if at_path is not None and (had_texts or _same_article(at_path, probe, known_texts)):
        chosen: Known | None = at_path
    else:
        options = {known.id: known for text in texts for known in known_texts.get(text, ()) if known.id not in claimed}
        chosen = min(
            options.values(),
            key=lambda known: (not _is_there(known.path), os.path.basename(known.path or "") != probe.name, known.id),
            default=None,
        )
    # A different article at the row's path now: the row's article is found by its text later.
    article_id = chosen.id if chosen is not None else new_article(connection, probe, None if at_path else probe.path)
    add_fingerprints(connection, article_id, texts)
    return article_id


def new_article(connection: sqlite3.Connection, probe: Probe, path: str | None) -> int:
    """A new stored article for the probe's file at ``path``; any other article there is displaced."""
    if path is not None:
        connection.execute("UPDATE articles SET path = NULL WHERE path = ?", (path,))
    article_id = connection.execute(
        "INSERT INTO articles (path, fingerprint, sketch) VALUES (?, ?, ?)",
        (path, probe.fingerprint, signed(probe.sketch)),
    ).lastrowid
    assert article_id is not None
    add_fingerprints(connection, article_id, [probe.fingerprint])
    return article_id


def add_fingerprints(connection: sqlite3.Connection, article_id: int, texts: Iterable[str]) -> None:
    connection.executemany(
        "INSERT OR IGNORE INTO fingerprints (fingerprint, article_id) VALUES (?, ?)",
        [(text, article_id) for text in texts if text],
    )


def forget_paths(connection: sqlite3.Connection, articles: Sequence[Known]) -> None:
    """These articles' files now hold other articles: they are found by their text from now on."""
    connection.executemany("UPDATE articles SET path = NULL WHERE id = ?", [(known.id,) for known in articles])


def by_fingerprint(connection: sqlite3.Connection, fingerprints: set[str]) -> dict[str, list[Known]]:
    """Every stored article that has had each text (identical copies are several)."""
    query = (
        "SELECT f.fingerprint, a.id, a.path, a.fingerprint, a.sketch FROM fingerprints f "
        "JOIN articles a ON a.id = f.article_id"
    )
    if len(fingerprints) > _WHOLE_TABLE_AT:
        rows = connection.execute(query).fetchall()
    else:
        rows = [
            row
            for chunk in slices(sorted(fingerprints))
            for row in connection.execute(f"{query} WHERE f.fingerprint IN ({marks(len(chunk))})", chunk)
        ]
    found: dict[str, list[Known]] = {}
    for row in sorted(rows, key=lambda row: row[1]):
        if row[0] in fingerprints:
            found.setdefault(row[0], []).append(_known(row[1:]))
    return found




def marks(count: int) -> str:
    return ",".join("?" * count)


def signed(value: int | None) -> int | None:
    """A 64-bit sketch as SQLite stores integers (signed)."""
    return None if value is None else value - (value & _SIGN_BIT) * 2


def unsigned(value: int | None) -> int | None:
    return None if value is None else value & ((1 << 64) - 1)


def _path_text(path: Path) -> str | None:
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return text


def _known(row: Sequence[object]) -> Known:
    article_id, path, fingerprint, sketch_value = row
    assert isinstance(article_id, int) and (path is None or isinstance(path, str))
    assert sketch_value is None or isinstance(sketch_value, int)
    return Known(article_id, path, str(fingerprint), unsigned(sketch_value))


def _by_path(connection: sqlite3.Connection, probes: Sequence[Probe]) -> dict[str, Known]:
    """Stored articles at the probes' paths. For many probes, only those whose file name is
    among the stored ones have their path turned into text: that is most of the cost."""
    query = "SELECT id, path, fingerprint, sketch FROM articles"
    if len(probes) > _WHOLE_TABLE_AT:
        stored = {row[1]: _known(row) for row in connection.execute(f"{query} WHERE path IS NOT NULL")}
        names = {os.path.basename(path) for path in stored}
        wanted = {probe.path for probe in probes if probe.name in names}
        return {path: known for path, known in stored.items() if path in wanted}
    found: dict[str, Known] = {}
    for chunk in slices(sorted({probe.path for probe in probes if probe.path is not None})):
        for row in connection.execute(f"{query} WHERE path IN ({marks(len(chunk))})", chunk):
            found[row[1]] = _known(row)
    return found


def _same_article(known: Known, probe: Probe, texts: dict[str, list[Known]]) -> bool:
    """Whether the text at a known article's path is that article: a text it has had, or new
    text close to it (an edit); without sketches to compare, an edit is trusted."""
    if probe.fingerprint == known.fingerprint:
        return True
    if any(other.id == known.id for other in texts.get(probe.fingerprint, ())):
        return True
    if known.sketch is None or probe.sketch is None:
        return True
    return sketch_distance(known.sketch, probe.sketch) <= SAME_ARTICLE_MAX_DISTANCE


def _is_there(path: str | None) -> bool:
    return path is not None and os.path.lexists(path)


def _take_over_moved(found: list[Known | None], probes: Sequence[Probe], texts: dict[str, list[Known]]) -> None:
    """Give each probe not found at its path an article with its text whose own file is gone.

    Each article goes to one probe; a probe with the article's old file name first, so a folder
    moved elsewhere keeps each of its identical copies with its own tags.
    """
    waiting = [index for index, known in enumerate(found) if known is None and probes[index].fingerprint in texts]
    if not waiting:
        return
    claimed = {known.id for known in found if known is not None}
    old_names = {os.path.basename(known.path) for index in waiting for known in texts[probes[index].fingerprint]
                 if known.path is not None}
    # An unclaimed article at a path asked about now was displaced: its file holds another text.
    asked = {probe.path for probe in probes if probe.name in old_names}

    def free(known: Known) -> bool:
        return known.id not in claimed and (known.path is None or known.path in asked or not _is_there(known.path))

    for same_name_only in (True, False):
        for index in waiting:
            if found[index] is None:
                chosen = _free_article_for(probes[index], texts, free, same_name_only)
                if chosen is not None:
                    found[index] = chosen
                    claimed.add(chosen.id)


def _free_article_for(
    probe: Probe, texts: dict[str, list[Known]], free: Callable[[Known], bool], same_name_only: bool
) -> Known | None:
    """The free article with the probe's text to hand it (the same file name only, if asked)."""
    options = [
        known for known in texts[probe.fingerprint]
        if free(known) and (not same_name_only or os.path.basename(known.path or "") == probe.name)
    ]
    return min(options, key=lambda known: (known.fingerprint != probe.fingerprint, known.id), default=None)


def _moved_or_edited(known: Known, probe: Probe) -> bool:
    return probe.path is not None and bool(probe.fingerprint) and (known.path, known.fingerprint) != (
        probe.path, probe.fingerprint
    )


def _record_move(connection: sqlite3.Connection, known: Known, probe: Probe) -> None:
    """Make the probe's path and text the article's current ones."""
    connection.execute("UPDATE articles SET path = NULL WHERE path = ? AND id != ?", (probe.path, known.id))
    same_text = probe.fingerprint == known.fingerprint
    new_sketch = probe.sketch if probe.sketch is not None or not same_text else known.sketch
    connection.execute(
        "UPDATE articles SET path = ?, fingerprint = ?, sketch = ? WHERE id = ?",
        (probe.path, probe.fingerprint, signed(new_sketch), known.id),
    )
    add_fingerprints(connection, known.id, [probe.fingerprint])
