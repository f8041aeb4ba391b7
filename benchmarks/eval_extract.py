"""Score quote and people extraction against hand-made gold files, and time it.

    .venv/bin/python benchmarks/eval_extract.py benchmarks/extraction_gold_seeds
    .venv/bin/python benchmarks/eval_extract.py benchmarks/extraction_gold
    .venv/bin/python benchmarks/eval_extract.py benchmarks/extraction_gold_news --details
    .venv/bin/python benchmarks/eval_extract.py --survey /path/to/unannotated/folder

Each gold file is JSON naming its article ("file"), its people (name, aliases, mentions) and its
quotes (text, speaker); docs/annotation.md gives the annotation rules (and
benchmarks/extraction_gold_news/README.md the decisions of issue 12). The article is looked for
next to the gold file, then in --texts, then in the bundled sample articles. It is loaded the way the app
loads it (front matter dropped except the title), and extracted from ``Article.text``.

Figures printed: people precision/recall/F1, strict (same canonical name) and lenient (the name
found is the gold name or one of its aliases); the share of matched people whose mention count is
exact and within one; quote span precision/recall/F1 (exact text); speaker accuracy over the
quotes found, exact and by kind (named person / source or organisation / none); and CPU
milliseconds per article.

``--survey`` runs over a folder nobody annotated (every .txt and .md under it) and prints what a
user would notice: how many quotes show no speaker, how many of those sit right next to a
"said Name" / "Name said" that the extractor missed, the number of quotes and people, and the time.
It prints no article text unless ``--examples N`` asks for some (for local study only).
"""

from __future__ import annotations

import argparse
import json
import re
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
    counts_near: int = 0
    quotes_true: int = 0
    predicted_quotes: int = 0
    gold_quotes: int = 0
    speaker_exact: int = 0
    speaker_kind: int = 0
    milliseconds: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _f1(true: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = true / predicted if predicted else 1.0
    recall = true / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _gold_kind(speaker: str | None, person_names: set[str]) -> str:
    if speaker is None:
        return "none"
    return "person" if speaker in person_names else "source"


def _predicted_kind(kind: str) -> str:
    return {"person": "person", "none": "none"}.get(kind, "source")


def find_text(gold_path: Path, name: str, texts: Path | None) -> Path | None:
    for folder in (gold_path.parent, texts, bundled_seeds()):
        if folder is not None and (folder / name).is_file():
            return folder / name
    return None


def _score_people(gold_people: list[dict[str, Any]], found: Extraction, tally: Tally, label: str) -> None:
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
        tally.counts_right += person.mentions == match["mentions"]
        tally.counts_near += abs(person.mentions - match["mentions"]) <= 1
        if person.mentions != match["mentions"]:
            tally.notes.append(f"{label}: {match['name']!r} mentions {person.mentions}, gold {match['mentions']}")
        if person.name != match["name"]:
            tally.notes.append(f"{label}: named {person.name!r}, gold {match['name']!r}")
    for missing in unmatched_lenient:
        tally.notes.append(f"{label}: missed person {missing['name']!r}")


def _score_quotes(gold: dict[str, Any], found: Extraction, tally: Tally, label: str) -> None:
    names = {person["name"] for person in gold.get("people", [])}
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
        tally.speaker_kind += _predicted_kind(quote.speaker_kind) == _gold_kind(expected, names)
    for text, left in remaining.items():
        if left > 0:
            tally.notes.append(f"{label}: missed quote {text[:60]!r}")


def score_article(gold: dict[str, Any], found: Extraction, tally: Tally, label: str) -> None:
    _score_people(gold.get("people", []), found, tally, label)
    _score_quotes(gold, found, tally, label)


def _cpu_ms(article: Article, rounds: int) -> float:
    """CPU milliseconds per extraction (steadier than wall time on a shared machine)."""
    start = time.process_time()
    for _ in range(rounds):
        extract_article(article)
    return (time.process_time() - start) * 1000 / rounds


def _load(path: Path) -> Article | None:
    article = load_article(path, path.parent)
    if not isinstance(article, Article):
        print(f"eval_extract: {article}", file=sys.stderr)
        return None
    return article


def _report_gold(tally: Tally, details: bool) -> None:
    strict = _f1(tally.strict_true, tally.predicted_people, tally.gold_people)
    lenient = _f1(tally.lenient_true, tally.predicted_people, tally.gold_people)
    spans = _f1(tally.quotes_true, tally.predicted_quotes, tally.gold_quotes)
    matched = tally.quotes_true or 1
    people = tally.lenient_true or 1
    print(f"articles scored:        {len(tally.milliseconds)}")
    print(f"people strict  P/R/F1:  {strict[0]:.3f} / {strict[1]:.3f} / {strict[2]:.3f}")
    print(f"people lenient P/R/F1:  {lenient[0]:.3f} / {lenient[1]:.3f} / {lenient[2]:.3f}")
    print(f"mention counts exact:   {tally.counts_right / people:.3f} ({tally.counts_right}/{tally.lenient_true})")
    print(f"mention counts +-1:     {tally.counts_near / people:.3f} ({tally.counts_near}/{tally.lenient_true})")
    print(f"quote spans    P/R/F1:  {spans[0]:.3f} / {spans[1]:.3f} / {spans[2]:.3f}")
    print(f"speaker exact:          {tally.speaker_exact / matched:.3f} ({tally.speaker_exact}/{tally.quotes_true})")
    print(f"speaker kind:           {tally.speaker_kind / matched:.3f} ({tally.speaker_kind}/{tally.quotes_true})")
    count = len(tally.milliseconds) or 1
    mean = sum(tally.milliseconds) / count
    print(f"ms per article (CPU):   {mean:.2f} (slowest {max(tally.milliseconds, default=0.0):.2f})")
    if details:
        for note in tally.notes:
            print(f"  {note}")


def run_gold(folder: Path, texts: Path | None, details: bool) -> int:
    gold_files = sorted(folder.glob("*.json"))
    if not gold_files:
        print(f"eval_extract: no gold *.json files in {folder}", file=sys.stderr)
        return 2
    tally = Tally()
    for gold_path in gold_files:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text_path = find_text(gold_path, gold["file"], texts)
        if text_path is None:
            print(f"eval_extract: {gold['file']} not found; skipped", file=sys.stderr)
            continue
        article = _load(text_path)
        if article is None:
            continue
        score_article(gold, extract_article(article), tally, gold["file"])
        tally.milliseconds.append(_cpu_ms(article, TIMING_ROUNDS))
    _report_gold(tally, details)
    return 0


# --- survey of an unannotated folder ---------------------------------------------------------
_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|der|da|di|le|la|bin|al))*"
_SAID = r"(?:said|says)"
# "…," said Jo Bloggs / "…," said chief executive Jo Bloggs / "…," Jo Bloggs said
_SAID_AFTER = re.compile(rf"^[,.!?]?[’'\"”]?\s*(?:{_SAID}\s+(?:[a-z][\w-]*\s+){{0,4}}{_NAME}|{_NAME}\s+{_SAID})\b")
# Jo Bloggs said: "…" / said Jo Bloggs: "…"
_SAID_BEFORE = re.compile(rf"(?:{_NAME}\s+{_SAID}|{_SAID}\s+(?:[a-z][\w-]*\s+){{0,4}}{_NAME})\s*[,:]?\s*$")


def _said_name_nearby(text: str, start: int, end: int) -> bool:
    """Whether "said Name" / "Name said" sits right after the closing mark or before the opener."""
    after = text[end : end + 80]
    before = text[max(0, start - 1 - 80) : max(0, start - 1)]
    return bool(_SAID_AFTER.match(after) or _SAID_BEFORE.search(before))


@dataclass
class Survey:
    articles: int = 0
    quotes: int = 0
    people: int = 0
    unattributed: int = 0
    said_name_nearby: int = 0
    cpu_ms: float = 0.0
    examples: list[str] = field(default_factory=list)


def _survey_article(article: Article, survey: Survey, examples: int) -> None:
    start = time.process_time()
    found = extract_article(article)
    survey.cpu_ms += (time.process_time() - start) * 1000
    survey.articles += 1
    survey.quotes += len(found.quotes)
    survey.people += len(found.people)
    for quote in found.quotes:
        if quote.speaker is not None:
            continue
        survey.unattributed += 1
        nearby = _said_name_nearby(article.text, quote.start, quote.end)
        survey.said_name_nearby += nearby
        if len(survey.examples) < examples:
            context = article.text[max(0, quote.start - 120) : quote.end + 80].replace("\n", " ")
            survey.examples.append(f"{article.id}{' [said Name]' if nearby else ''}: …{context}…")


def run_survey(folder: Path, examples: int) -> int:
    paths = sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md") and p.is_file())
    if not paths:
        print(f"eval_extract: no .txt or .md files under {folder}", file=sys.stderr)
        return 2
    survey = Survey()
    for path in paths:
        article = _load(path)
        if article is not None:
            _survey_article(article, survey, examples)
    quotes = survey.quotes or 1
    print(f"articles:               {survey.articles}")
    print(f"quotes:                 {survey.quotes} ({survey.quotes / (survey.articles or 1):.1f} per article)")
    print(f"people:                 {survey.people} ({survey.people / (survey.articles or 1):.1f} per article)")
    print(f"quotes with no speaker: {survey.unattributed / quotes:.3f} ({survey.unattributed}/{survey.quotes})")
    print(f"  of which next to 'said Name' / 'Name said': {survey.said_name_nearby}")
    print(f"ms per article (CPU):   {survey.cpu_ms / (survey.articles or 1):.2f}")
    for example in survey.examples:
        print(f"  {example}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("folder", type=Path, metavar="FOLDER", help="folder of gold *.json files (or, with --survey, of articles)")
    parser.add_argument("--texts", type=Path, default=None, help="folder holding the article files")
    parser.add_argument("--details", action="store_true", help="list every disagreement with the gold")
    parser.add_argument("--survey", action="store_true", help="the folder holds unannotated articles: report unattributed quotes")
    parser.add_argument("--examples", type=int, default=0, metavar="N", help="with --survey: show N unattributed quotes in context")
    options = parser.parse_args(argv)
    if options.survey:
        return run_survey(options.folder, options.examples)
    return run_gold(options.folder, options.texts, options.details)


if __name__ == "__main__":
    sys.exit(main())
