"""The synthetic news corpus every benchmark uses, and the helpers they share.

The generator is deterministic: the same seed writes the same files, so figures from different
runs and scripts are comparable. Vocabulary is Zipf-distributed (60,000 made-up words), every
fourth word a function word, with names, quotes, outlets and dates, about a third of the files
with YAML front matter. 10k articles are about 61 MB, 100k about 604 MB.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import time
from collections.abc import Callable
from pathlib import Path

GENERATOR_VERSION = "1"  # bump when the corpus written changes: kept corpora are then rewritten

_SYLLABLES = [
    "ka", "ro", "mi", "ten", "sa", "lo", "ver", "an", "del", "tri", "po", "gus", "ne", "ar", "ish",
    "el", "on", "ra", "vi", "qu", "bel", "cor", "dan", "fis", "gor", "hal", "jun",
]
_FUNCTION_WORDS = [
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "was", "on", "with", "he",
    "she", "said", "as", "at", "by", "from", "his", "her",
]
_FIRST = ["Kim", "Taylor", "Joe", "Ana", "José", "Priya", "Li", "Omar", "Zoë", "Søren", "Amélie", "Kanye"]
_LAST = ["Kardashian", "Swift", "Biden", "Müller", "García", "Rao", "Chen", "Haddad", "Ødegaard", "West"]
OUTLETS = ["People", "Daily Mail", "Reuters", "Le Monde", "The Guardian", "Der Spiegel"]


class Corpus:
    """A deterministic synthetic news corpus: Zipf-distributed vocabulary, names, quotes, dates."""

    def __init__(self, seed: int = 7, vocabulary: int = 60_000) -> None:
        self.random = random.Random(seed)
        words: set[str] = set()
        while len(words) < vocabulary:
            words.add("".join(self.random.choice(_SYLLABLES) for _ in range(self.random.randint(1, 4))))
        self.words = sorted(words)
        self.random.shuffle(self.words)
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        total = 0.0
        self.cumulative: list[float] = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def sentence(self, count: int) -> str:
        picked = self.random.choices(self.words, cum_weights=self.cumulative, k=count)
        for position in range(0, count, 4):
            picked[position] = self.random.choice(_FUNCTION_WORDS)
        return " ".join(picked)

    def article(self, number: int) -> str:
        rng = self.random
        title = self.sentence(rng.randint(6, 11)).title()
        person = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        paragraphs = []
        for paragraph in range(rng.randint(4, 8)):
            text = ". ".join(self.sentence(rng.randint(10, 22)).capitalize() for _ in range(rng.randint(2, 4)))
            if paragraph % 2 == 1:
                text += f". “{self.sentence(rng.randint(8, 16)).capitalize()},” {person} said."
            else:
                text += "."
            paragraphs.append(text)
        if number % 3:
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            front = f"---\ntitle: {title}\ndate: 20{rng.randint(15, 24)}-{month:02}-{day:02}\n"
            front += f"source: {rng.choice(OUTLETS)}\n---\n"
            return front + "\n\n".join(paragraphs) + "\n"
        return title + "\n\n" + "\n\n".join(paragraphs) + "\n"

    def write(self, folder: Path, count: int) -> None:
        for number in range(count):
            sub = folder / f"{number // 1000:03}"
            if number % 1000 == 0:
                sub.mkdir(parents=True, exist_ok=True)
            (sub / f"{number:06}.md").write_text(self.article(number), encoding="utf-8")

    def queries(self, per_kind: int) -> dict[str, list[str]]:
        """Queries like a reader's: mid-frequency words, pairs, phrases, prefixes, typos."""
        rng = random.Random(11)
        middle = self.words[200:4000]
        phrases = []
        while len(phrases) < per_kind:
            sample = self.article(rng.randint(0, 10**6)).split("\n\n")[-1].split()
            start = rng.randint(0, max(0, len(sample) - 3))
            pair = [word.strip(".,“”") for word in sample[start : start + 2]]
            if all(word.isalpha() for word in pair) and len(pair) == 2:
                phrases.append(f'"{pair[0]} {pair[1]}"')

        def typo(word: str) -> str:
            spot = rng.randint(1, len(word) - 2) if len(word) > 3 else 1
            return word[:spot] + word[spot + 1 : spot + 2] + word[spot : spot + 1] + word[spot + 2 :]

        return {
            "term": [rng.choice(middle) for _ in range(per_kind)],
            "and": [f"{rng.choice(middle)} {rng.choice(middle)}" for _ in range(per_kind)],
            "phrase": phrases,
            "prefix": [rng.choice([w for w in middle if len(w) >= 5])[:3] + "*" for _ in range(per_kind)],
            "fuzzy": [typo(rng.choice([w for w in middle if len(w) >= 6])) + "~" for _ in range(per_kind)],
        }


def timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the build workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def machine_load() -> str:
    """The 1-minute load average: other work on the machine slows every figure."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def corpus_folder(work: Path, size: int) -> Path:
    """The corpus of ``size`` articles under ``work``, written first if it is not there yet.

    Written into a temporary sibling and renamed, with a marker naming the generator version,
    so an interrupted write is never taken for a corpus (writing 100k files takes minutes).
    """
    root = work / f"corpus-{size}"
    marker = work / f"corpus-{size}.complete"
    if marker.exists() and marker.read_text(encoding="utf-8").strip() == GENERATOR_VERSION and root.is_dir():
        return root
    partial = work / f"corpus-{size}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)
    marker.unlink(missing_ok=True)
    started = time.perf_counter()
    Corpus().write(partial, size)
    partial.rename(root)
    marker.write_text(GENERATOR_VERSION + "\n", encoding="utf-8")
    print(f"wrote {size:,} articles to {root} in {time.perf_counter() - started:.0f} s")
    return root
