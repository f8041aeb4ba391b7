"""Highlights and notes: what they cost where it could be felt.

Prints, side by side, in one run (with the machine's load):
1. the build path: the user's data of each article as the index build reads it, tags only (as
   before highlights) vs. tags, highlights and notes in one look-up, per article;
2. placing highlights again in a long article: exact (edits elsewhere) and fuzzy (edits inside
   the passages), and placing them all in one pass;
3. export and import of many highlights (JSON), and the exact round trip.

    python benchmarks/bench_highlights.py [--articles 2000] [--highlights 5000]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from reader.core.fingerprint import fingerprint
from reader.core.tags import TagStore, describe
from reader.core.tags.anchoring import anchor_all
from reader.core.tags.annotation_exchange import dump, import_text

WORDS = [f"w{i}" for i in range(5000)] + "the a of and to in said was for on".split() * 200


@dataclass(frozen=True)
class Ref:
    path: Path
    text: str
    fingerprint: str
    title: str = "An article"
    outlet: str | None = None
    date_label: str = ""


def article(rng: random.Random, number: int, words: int) -> Ref:
    sentences = []
    for _ in range(words // 15):
        sentence = " ".join(rng.choice(WORDS) for _ in range(15))
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
    text = " ".join(sentences)
    return Ref(Path(f"/corpus/{number:06d}.txt"), text, fingerprint(text))


def timed(work) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def build_path(store: TagStore, refs: list[Ref]) -> None:
    tags_only = timed(lambda: [store.tags_for(ref) for ref in refs])
    everything = timed(lambda: [store.user_data_for(ref) for ref in refs])
    per = 1000 / len(refs)
    print(f"  tags only (before)              {tags_only * per:7.3f} ms/article")
    print(f"  tags, highlights, notes (now)   {everything * per:7.3f} ms/article  ({everything / tags_only:.2f}x)")


def placing(rng: random.Random) -> None:
    long = article(rng, 0, 170_000)  # about 1 MB of text
    spans = []
    for _ in range(20):
        start = rng.randrange(0, len(long.text) - 400)
        start = long.text.index(" ", start) + 1
        spans.append((start, long.text.index(".", start + 100) + 1))
    quotes = [(describe(long.text, s, e), s) for s, e in spans]
    moved = "A new first paragraph.\n\n" + long.text
    edited = long.text
    for start, end in spans:
        word = edited[start:end].split()[3]
        edited = edited[:start] + edited[start:end].replace(word, word.upper() + "X", 1) + edited[end:]
    exact = timed(lambda: anchor_all(moved, quotes))
    fuzzy = timed(lambda: anchor_all(edited, quotes))
    one = timed(lambda: anchor_all(edited, quotes[:1]))
    found = sum(1 for a in anchor_all(edited, quotes) if a is not None)
    print(f"  {len(long.text) / 1e6:.1f} MB article, 20 highlights, edits elsewhere (exact):  {exact * 1000:8.1f} ms")
    print(f"  the same, one word changed inside each (fuzzy):       {fuzzy * 1000:8.1f} ms  ({found}/20 re-attached)")
    print(f"  one fuzzy highlight alone:                            {one * 1000:8.1f} ms")


def exchange(store: TagStore, refs: list[Ref], count: int, folder: Path) -> None:
    rng = random.Random(7)
    for index in range(count):
        ref = refs[index % len(refs)]
        start = rng.randrange(0, len(ref.text) - 200)
        store.annotations.add_highlight(ref, start, start + 120, note=f"note {index}")
    exported = ""

    def export() -> None:
        nonlocal exported
        exported = dump(store.annotations.export_articles(), "json")

    out = timed(export)
    with TagStore(folder / "other.sqlite3") as other:
        back = timed(lambda: import_text(other.annotations, exported))
        same = dump(other.annotations.export_articles(), "json") == exported
    print(f"  export {count} highlights (JSON, {len(exported) / 1e6:.1f} MB): {out:6.2f} s")
    print(f"  import them into an empty store:           {back:6.2f} s  (export again identical: {same})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--highlights", type=int, default=5000)
    options = parser.parse_args()
    rng = random.Random(20261206)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    refs = [article(rng, number, 500) for number in range(options.articles)]
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        with TagStore(folder / "tags.sqlite3") as store:
            for ref in refs[:200]:  # a user who tagged and annotated 10% of them
                store.add([ref], ["kept"])
                store.annotations.set_article_note(ref, "a note")
            print(f"1. the build path, {options.articles} articles:")
            build_path(store, refs)
            print("2. placing highlights again:")
            placing(rng)
            print("3. export and import:")
            exchange(store, refs, options.highlights, folder)


if __name__ == "__main__":
    main()
