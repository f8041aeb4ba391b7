"""Loaded articles before and after a change to loading: every field of every file, compared.

    .venv/bin/python benchmarks/compare_loading.py --save /tmp/before.pickle FOLDER...
    .venv/bin/python benchmarks/compare_loading.py --against /tmp/before.pickle FOLDER...

Each file under each folder is loaded twice, as the build loads it and as the first pass lists
it (``structure=False``), and also through ``listing_entry`` (the list row). ``--save`` keeps
what came out; ``--against`` loads again and prints each difference, then how many there were.
``--hostile`` adds a fresh folder of the reliability suite's hostile files (built in a temporary
folder, so the same cases are made on both sides).
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from reader.core.loader import iter_article_files, load_article
from reader.core.models import LoadIssue
from reader.core.pipeline.listing import listing_entry

Outcome = dict[str, Any]


def _fields(loaded: object, fresh: bool) -> Any:
    """Every field of an article (or a refusal), with the temporary folder's name left out (and
    the modification time, for files made afresh on each run: ``fresh``)."""
    if isinstance(loaded, LoadIssue):
        return ("issue", loaded.reason, loaded.skipped)
    if loaded is None:
        return None
    values = dataclasses.asdict(loaded)  # type: ignore[call-overload]
    values.pop("path", None)
    if fresh:
        values.pop("mtime_ns", None)
    return values


def load_folder(root: Path, label: str, fresh: bool = False) -> Outcome:
    """What loading gives for each file under ``root``, keyed by ``label`` and its relative path."""
    root = root.resolve()
    found: Outcome = {}
    for item in iter_article_files(root):
        if isinstance(item, LoadIssue):
            continue
        key = f"{label}/{item.relative_to(root) if item != root else item.name}"
        found[key] = (
            _fields(load_article(item, root), fresh),
            _fields(load_article(item, root, structure=False), fresh),
            _fields(listing_entry(item, root), fresh),
        )
    return found


def _hostile(folder: Path) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "reliability"))
    from hostile_cases import build

    build(folder)
    return folder


def _differences(before: Outcome, after: Outcome) -> list[str]:
    lines = [f"only before: {key}" for key in sorted(before.keys() - after.keys())]
    lines += [f"only after: {key}" for key in sorted(after.keys() - before.keys())]
    for key in sorted(before.keys() & after.keys()):
        for kind, old, new in zip(("article", "listed", "row"), before[key], after[key], strict=True):
            if old != new:
                lines.append(f"{key} ({kind}): {_first_change(old, new)}")
    return lines


def _first_change(old: Any, new: Any) -> str:
    if isinstance(old, dict) and isinstance(new, dict):
        changed = [name for name in old.keys() | new.keys() if old.get(name) != new.get(name)]
        return "; ".join(f"{name}: {old.get(name)!r:.120} -> {new.get(name)!r:.120}" for name in sorted(changed))
    return f"{old!r:.200} -> {new!r:.200}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--hostile", action="store_true", help="add the reliability suite's hostile files")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--save", type=Path)
    what.add_argument("--against", type=Path)
    options = parser.parse_args()
    outcome: Outcome = {}
    with tempfile.TemporaryDirectory() as scratch:
        if options.hostile:
            outcome |= load_folder(_hostile(Path(scratch)), "hostile", fresh=True)
        for folder in options.folders:
            outcome |= load_folder(folder, folder.name)
    if options.save:
        options.save.write_bytes(pickle.dumps(outcome))
        print(f"{len(outcome):,} files loaded, saved to {options.save}")
        return
    before = pickle.loads(options.against.read_bytes())  # noqa: S301 - our own file
    differences = _differences(before, outcome)
    print("\n".join(differences[:50]))
    print(f"{len(outcome):,} files compared with {len(before):,}: {len(differences)} differences")


if __name__ == "__main__":
    main()
