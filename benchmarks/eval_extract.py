"""Score quote and people extraction against hand-made gold files, and time it.

    .venv/bin/python benchmarks/eval_extract.py benchmarks/extraction_gold_seeds
    .venv/bin/python benchmarks/eval_extract.py benchmarks/extraction_gold --details

Each gold file is JSON naming its article ("file"), its people (name, aliases, mentions) and its
quotes (text, speaker); see docs/annotation.md. The article is looked for next to the
gold file, then in --texts, then in the bundled sample articles. It is loaded the way the app
loads it (front matter dropped except the title), and extracted from ``Article.text``.

Figures printed: people precision/recall/F1, strict (same canonical name) and lenient (the name
found is the gold name or one of its aliases); mention-count accuracy over the people found;
quote span precision/recall/F1 (exact text); speaker accuracy over the quotes found, exact and
coarse (named person / source or outlet / none); and milliseconds per article.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.extraction import Extraction, extract_article
from reader.core.loader import load_article
from reader.core.models import Article
from reader.core.paths import bundled_seeds

TIMING_ROUNDS = 20


@dataclass
class Tally:
    """Counts summed over articles; the figures are computed from them at the end."""

    strict_true: int = 0
    lenient_true: int = 0
    predicted_people: int = 0
    gold_people: int = 0
    counts_right: int = 0
    quotes_true: int = 0
    predicted_quotes: int = 0
    gold_quotes: int = 0
    speaker_exact: int = 0
    speaker_coarse: int = 0
    milliseconds: list[tuple[float, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _f1(true: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = true / predicted if predicted else 1.0
    recall = true / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _coarse(speaker: str | None, person_names: set[str]) -> str:
    if speaker is None:
        return "none"
    return "person" if speaker in person_names else "source"


def _predicted_coarse(kind: str) -> str:
    return {"person": "person", "none": "none"}.get(kind, "source")


def find_text(gold_path: Path, name: str, texts: Path | None) -> Path | None:
    for folder in (gold_path.parent, texts, bundled_seeds()):
        if folder is not None and (folder / name).is_file():
            return folder / name
    return None


def score_article(gold: dict[str, Any], found: Extraction, tally: Tally, label: str) -> None:
    gold_people = gold.get("people", [])
    tally.gold_people += len(gold_people)
    tally.predicted_people += len(found.people)
    unmatched_strict = {person["name"] for person in gold_people}
    unmatched_lenient = list(gold_people)
    for person in found.people:
        if person.name in unmatched_strict:
            unmatched_strict.discard(person.name)
            tally.strict_true += 1
        match = next(
            (
                g
                for g in unmatched_lenient
                if person.name == g["name"] or person.name in g.get("aliases", ()) or g["name"] in person.aliases
            ),
            None,
        )
        if match is None:
            tally.notes.append(f"{label}: extra person {person.name!r} ({person.mentions})")
            continue
        unmatched_lenient.remove(match)
        tally.lenient_true += 1
        if person.mentions == match["mentions"]:
            tally.counts_right += 1
        else:
            tally.notes.append(
                f"{label}: {match['name']!r} mentions {person.mentions}, gold {match['mentions']}"
            )
        if person.name != match["name"]:
            tally.notes.append(f"{label}: named {person.name!r}, gold {match['name']!r}")
    for missing in unmatched_lenient:
        tally.notes.append(f"{label}: missed person {missing['name']!r}")

    names = {person["name"] for person in gold_people}
    gold_quotes = gold.get("quotes", [])
    tally.gold_quotes += len(gold_quotes)
    tally.predicted_quotes += len(found.quotes)
    remaining = Counter(quote["text"] for quote in gold_quotes)
    speakers: dict[str, list[str | None]] = {}
    for quote in gold_quotes:
        speakers.setdefault(quote["text"], []).append(quote["speaker"])
    for quote in found.quotes:
        if remaining[quote.text] <= 0:
            tally.notes.append(f"{label}: extra quote {quote.text[:60]!r}")
            continue
        remaining[quote.text] -= 1
        tally.quotes_true += 1
        expected = speakers[quote.text].pop(0)
        if quote.speaker == expected:
            tally.speaker_exact += 1
        else:
            tally.notes.append(f"{label}: speaker {quote.speaker!r}, gold {expected!r}: {quote.text[:50]!r}")
        if _predicted_coarse(quote.speaker_kind) == _coarse(expected, names):
            tally.speaker_coarse += 1
    for text, left in remaining.items():
        if left > 0:
            tally.notes.append(f"{label}: missed quote {text[:60]!r}")


def _time(article: Article) -> tuple[float, float]:
    """Milliseconds per extraction: (wall clock, CPU). CPU time is steadier on a busy machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(TIMING_ROUNDS):
        extract_article(article)
    return (
        (time.perf_counter() - wall) * 1000 / TIMING_ROUNDS,
        (time.process_time() - cpu) * 1000 / TIMING_ROUNDS,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path, metavar="GOLD_DIR", help="folder of gold *.json files")
    parser.add_argument("--texts", type=Path, default=None, help="folder holding the article files")
    parser.add_argument("--details", action="store_true", help="list every disagreement")
    options = parser.parse_args(argv)
    gold_files = sorted(options.gold.glob("*.json"))
    if not gold_files:
        print(f"eval_extract: no gold *.json files in {options.gold}", file=sys.stderr)
        return 2
    tally = Tally()
    for gold_path in gold_files:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text_path = find_text(gold_path, gold["file"], options.texts)
        if text_path is None:
            print(f"eval_extract: {gold['file']} not found; skipped", file=sys.stderr)
            continue
        article = load_article(text_path, text_path.parent)
        if not isinstance(article, Article):
            print(f"eval_extract: {article}", file=sys.stderr)
            continue
        score_article(gold, extract_article(article), tally, gold["file"])
        tally.milliseconds.append(_time(article))

    strict = _f1(tally.strict_true, tally.predicted_people, tally.gold_people)
    lenient = _f1(tally.lenient_true, tally.predicted_people, tally.gold_people)
    spans = _f1(tally.quotes_true, tally.predicted_quotes, tally.gold_quotes)
    matched = tally.quotes_true or 1
    print(f"articles scored:       {len(tally.milliseconds)}")
    print(f"people strict  P/R/F1: {strict[0]:.3f} / {strict[1]:.3f} / {strict[2]:.3f}")
    print(f"people lenient P/R/F1: {lenient[0]:.3f} / {lenient[1]:.3f} / {lenient[2]:.3f}")
    print(f"mention counts right:  {tally.counts_right / (tally.lenient_true or 1):.3f} ({tally.counts_right}/{tally.lenient_true})")
    print(f"quote spans    P/R/F1: {spans[0]:.3f} / {spans[1]:.3f} / {spans[2]:.3f}")
    print(f"speaker exact:         {tally.speaker_exact / matched:.3f} ({tally.speaker_exact}/{tally.quotes_true})")
    print(f"speaker coarse:        {tally.speaker_coarse / matched:.3f} ({tally.speaker_coarse}/{tally.quotes_true})")
    count = len(tally.milliseconds) or 1
    wall = sum(w for w, _ in tally.milliseconds) / count
    cpu = sum(c for _, c in tally.milliseconds) / count
    slowest = max((c for _, c in tally.milliseconds), default=0.0)
    print(f"ms per article:        {cpu:.2f} CPU, {wall:.2f} wall (slowest {slowest:.2f} CPU)")
    if options.details:
        for note in tally.notes:
            print(f"  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
