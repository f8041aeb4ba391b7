"""How much quote clustering and near-duplicate detection add to an index build.

Generates synthetic corpora (default 1k and 10k articles) in memory in which many articles carry
the same quotes (whole, truncated, split, re-cased, with "[insertions]") and some are copies of
others (exact, with boilerplate, with a rewritten lead). Extraction is not timed: the index build
runs it anyway, so the quotes are handed over as a ready extraction. Prints, per size:
- records: ``analysis_record`` for every article in one process (the build spreads it over its
  worker processes, so its share of wall time there is this divided by the workers),
- update: ``CorpusAnalysis.update`` of a full first build (quote linking, clustering,
  duplicate bands and groups, all SQLite writes),
- wording: comparing every cluster member with the earliest copy of its words, stored once
  after the build (and after one changed or removed file: only the clusters they touch),
- one changed file and one removed file, as a sync would apply them,
- the questions the CLI and the app ask, and what comparing wordings at read time would add,
- what was found, as a sanity check.

    .venv/bin/python benchmarks/bench_across.py [SIZES ...]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from reader.core.cross_article import ArticleAnalysis, CorpusAnalysis, analysis_record
from reader.core.extraction import Extraction, Person, Quote
from reader.core.models import Article, Paragraph, ParagraphKind

CHUNK = 1000  # articles per update, like the index build's commits
SYLLABLES = "ka ri to ne sa mu lo pe di fa go hu ji ve wa yo zu be ci da".split()
BOILERPLATE = (
    "Share this article with your friends and sign up to our newsletter for the latest news every "
    "morning. Copyright Example Media, all rights reserved; do not republish without permission."
)




class Generator:
    """Reproducible articles that share quotes and copy each other the way news does."""

    def __init__(self, seed: int = 7) -> None:
        self.random = random.Random(seed)
        self.words = list({self._word() for _ in range(6000)})
        self.statements = [self.sentence(15, 40) for _ in range(400)]
        self.speakers = [f"{self._word().title()} {self._word().title()}" for _ in range(300)]

    def _word(self) -> str:
        return "".join(self.random.choice(SYLLABLES) for _ in range(self.random.randint(1, 4)))

    def sentence(self, low: int, high: int) -> str:
        words = self.random.choices(self.words, k=self.random.randint(low, high))
        return " ".join(words).capitalize() + "."

    def quote_variant(self, statement: str) -> list[str]:
        """The statement as one outlet quotes it: whole, cut, split, re-cased, with an insertion or
        with a word changed."""
        words = statement.rstrip(".").split()
        style = self.random.random()
        if style < 0.3:
            return [statement]
        if style < 0.5:
            return [" ".join(words[: self.random.randint(8, len(words))])]
        if style < 0.7:
            cut = len(words) // 2
            return [" ".join(words[:cut]) + ",", " ".join(words[cut:]) + "."]
        if style < 0.85:
            return [statement.upper()]
        at = self.random.randint(1, len(words) - 1)
        if style < 0.93:
            return [" ".join([*words[:at], f"[{self._word()}]", *words[at:]])]
        return [" ".join([*words[:at], self._word(), *words[at + 1 :]])]  # reworded: one word replaced

    def article(self, index: int) -> tuple[str, list[tuple[str, str]]]:
        """Prose paragraphs with quotes woven in; returns the text and (quote, speaker) pairs."""
        parts: list[str] = []
        quotes: list[tuple[str, str]] = []
        for _ in range(self.random.randint(5, 9)):
            paragraph = " ".join(self.sentence(8, 20) for _ in range(self.random.randint(2, 4)))
            if self.random.random() < 0.6:
                shared = self.random.random() < 0.5
                statement = self.random.choice(self.statements) if shared else self.sentence(8, 25)
                speaker = self.random.choice(self.speakers)
                for piece in self.quote_variant(statement):
                    quotes.append((piece, speaker))
                    paragraph += f" “{piece}” said {speaker}. {self.sentence(10, 20)}"
            parts.append(paragraph)
        return "\n\n".join(parts), quotes


def build_article(article_id: str, title: str, body: str, date: dt.date | None) -> Article:
    text = f"{title}\n\n{body}"
    paragraphs = [Paragraph(0, len(title), ParagraphKind.TITLE)]
    offset = len(title) + 2
    for chunk in body.split("\n\n"):
        paragraphs.append(Paragraph(offset, offset + len(chunk), ParagraphKind.BODY))
        offset += len(chunk) + 2
    return Article(article_id, Path("/bench") / article_id, title, False, text, tuple(paragraphs), date=date)


def make_corpus(size: int) -> list[tuple[Article, Extraction]]:
    generator = Generator()
    items: list[tuple[Article, Extraction]] = []
    for index in range(size):
        date = dt.date(2020, 1, 1) + dt.timedelta(days=generator.random.randint(0, 365))
        if items and generator.random.random() < 0.1:  # a copy of an earlier article
            original, extraction = generator.random.choice(items)
            body = original.text.split("\n\n", 1)[1]
            kind = generator.random.random()
            if kind < 0.3:
                body = f"{body}\n\n{BOILERPLATE}"
            elif kind < 0.6:
                body = generator.sentence(20, 40) + "\n\n" + body.split("\n\n", 1)[-1]
            article = build_article(f"copy/{index:06d}.txt", original.title, body, date)
            quotes = tuple(
                Quote(q.text, at, at + len(q.text), q.speaker, q.speaker_kind)
                for q in extraction.quotes
                if (at := article.text.find(q.text)) >= 0
            )
            items.append((article, Extraction(quotes, ())))
            continue
        body, pairs = generator.article(index)
        article = build_article(f"{index // 1000:03d}/{index:06d}.txt", generator.sentence(5, 10), body, date)
        found = []
        cursor = 0
        for text, speaker in pairs:
            at = article.text.find(text, cursor)
            found.append(Quote(text, at, at + len(text), speaker, "person" if speaker else "none"))
            cursor = at + len(text)
        speakers = {quote.speaker for quote in found if quote.speaker}
        mentioned = set(generator.random.sample(generator.speakers, 3)) - speakers
        people = tuple(
            Person(name, (), generator.random.randint(1, 6), name in speakers, ()) for name in sorted(speakers | mentioned)
        )
        items.append((article, Extraction(tuple(found), people)))
    return items


try:  # the same script measures a tree from before quotes had their wording compared
    from reader.core.cross_article.wording import cluster_wording
except ImportError:
    cluster_wording = None


def refresh_wording(store: CorpusAnalysis):  # type: ignore[no-untyped-def]
    """The store's wording refresh, or nothing on a tree that has none."""
    return getattr(store, "refresh_wording", lambda: 0)


CPU_SECONDS: dict[str, float] = {}  # CPU time of the big steps: less swayed by a busy machine


def timed(action, label: str = ""):  # type: ignore[no-untyped-def]
    started, cpu_started = time.perf_counter(), time.process_time()
    result = action()
    if label:
        CPU_SECONDS[label] = time.process_time() - cpu_started
    return result, time.perf_counter() - started


def bench(size: int) -> None:
    corpus = make_corpus(size)
    records, record_seconds = timed(lambda: [analysis_record(a, e) for a, e in corpus], "records")
    with tempfile.TemporaryDirectory() as folder:
        store = CorpusAnalysis(Path(folder) / "across.sqlite3")
        _, update_seconds = timed(lambda: store.update(records), "update")
        compared, wording_seconds = timed(refresh_wording(store), "wording")
        chunked = CorpusAnalysis(Path(folder) / "chunked.sqlite3")
        _, chunked_seconds = timed(
            lambda: [chunked.update(records[at : at + CHUNK]) for at in range(0, size, CHUNK)], "chunked"
        )
        same = sorted(map(sorted, (c.article_ids for c in chunked.clusters()))) == sorted(
            map(sorted, (c.article_ids for c in store.clusters()))
        )
        chunked.close()
        changed_article, changed_extraction = corpus[size // 2]
        edited = build_article(
            changed_article.id,
            changed_article.title,
            changed_article.text.split("\n\n", 1)[1] + "\n\nA late paragraph was added.",
            changed_article.date,
        )
        changed: ArticleAnalysis = analysis_record(edited, changed_extraction)
        _, change_seconds = timed(lambda: store.update([changed]))
        _, change_wording_seconds = timed(refresh_wording(store))
        _, remove_seconds = timed(lambda: store.update([], removed_ids=[corpus[size // 3][0].id]))
        _, remove_wording_seconds = timed(refresh_wording(store))
        clusters, clusters_seconds = timed(lambda: store.clusters(), "clusters")
        _, read_time_seconds = timed(lambda: [cluster_wording(c) for c in clusters] if cluster_wording else 0, "read time")
        groups, groups_seconds = timed(lambda: store.duplicates())
        _, for_seconds = timed(lambda: store.clusters_for(corpus[size // 4][0].id))
        people, people_seconds = timed(lambda: store.people())
        some_ids = [article.id for article, _ in corpus[: size // 10]]
        _, some_people_seconds = timed(lambda: store.people(some_ids))
        _, timeline_seconds = timed(lambda: store.timeline(some_ids, "week"))
        _, quotes_by_seconds = timed(lambda: store.quotes_by(people[0].name))
        database_mb = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1_048_576
        store.close()
    quotes = sum(len(record.quotes) for record in records)
    print(f"{size:>7,} articles, {quotes:,} quotes")
    cpu = CPU_SECONDS
    print(f"  records (1 process)      {record_seconds:7.2f} s  ({record_seconds / size * 1000:.2f} ms/article)"
          f"  cpu {cpu['records']:.2f} s")
    print(f"  update, full build       {update_seconds:7.2f} s  cpu {cpu['update']:.2f} s")
    print(f"  update, in {CHUNK}s        {chunked_seconds:7.2f} s  cpu {cpu['chunked']:.2f} s"
          f"  (as the index build commits; same clusters: {same})")
    print(f"  total added to a build   {record_seconds / 2 + max(update_seconds, chunked_seconds):7.2f} s"
          "  (records over 2 workers)")
    print(f"  wording of every cluster {wording_seconds:7.2f} s  cpu {cpu['wording']:.2f} s"
          f"  (once, after the build's last update; {compared:,} clusters)")
    print(f"  one changed file         {change_seconds * 1000:7.1f} ms"
          f"  + wording {change_wording_seconds * 1000:.1f} ms")
    print(f"  one removed file         {remove_seconds * 1000:7.1f} ms"
          f"  + wording {remove_wording_seconds * 1000:.1f} ms")
    print(f"  clusters() / duplicates() / clusters_for()  "
          f"{clusters_seconds * 1000:.0f} / {groups_seconds * 1000:.0f} / {for_seconds * 1000:.1f} ms"
          f"  (clusters() cpu {cpu['clusters'] * 1000:.0f} ms)")
    if cluster_wording is not None:
        reworded = sum(1 for cluster in clusters for member in cluster.members if getattr(member, "reworded", False))
        print(f"  comparing at read time instead: + {read_time_seconds * 1000:.0f} ms"
              f"  cpu {cpu['read time'] * 1000:.0f} ms  ({reworded:,} reworded copies stored)")
    print(f"  people() all / a tenth; quotes_by(); timeline(a tenth)  {people_seconds * 1000:.0f} / "
          f"{some_people_seconds * 1000:.0f}; {quotes_by_seconds * 1000:.0f}; {timeline_seconds * 1000:.0f} ms")
    print(f"  found {len(clusters):,} clusters in 2+ articles, {len(groups):,} duplicate groups "
          f"({sum(len(g.members) for g in groups):,} articles); database {database_mb:.1f} MB")


def main(argv: list[str]) -> None:
    for size in [int(arg) for arg in argv] or [1000, 10_000]:
        bench(size)


if __name__ == "__main__":
    main(sys.argv[1:])
