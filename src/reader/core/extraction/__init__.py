"""Quotes and people in an article: who is named, who is quoted, and what they said.

Pure rules over the text (no model, no download): quote marks are paired with a stack, names are
found from capitalisation plus context and small lexicons, and speakers from the attribution
clauses around each quote. ``extract`` takes about a millisecond for a typical article.

    from reader.core.extraction import extract
    found = extract(article_text)
    found.quotes[0].speaker, found.people[0].name
"""

from __future__ import annotations

from reader.core.extraction.document import analyse
from reader.core.extraction.model import Extraction, Person, Quote
from reader.core.extraction.nonquotes import exclude_non_quotes
from reader.core.extraction.persons import find_people, gender_of, name_kind
from reader.core.extraction.quote_marks import find_spans, link
from reader.core.extraction.speakers import NONE, attribute
from reader.core.extraction_version import EXTRACTION_VERSION  # kept apart: a sync reads it
from reader.core.models import Article

__all__ = ["EXTRACTION_VERSION", "Extraction", "Person", "Quote", "extract", "extract_article"]


def extract(text: str) -> Extraction:
    """Quotes (with speakers) and people (with canonical names and mentions) found in ``text``."""
    document = analyse(text)
    spans = find_spans(document)
    exclude_non_quotes(document, spans)
    link(spans)
    people = find_people(document, spans)
    speakers = attribute(document, spans, people)
    quotes: list[Quote] = []
    quoted: set[int] = set()
    for index, span in enumerate(spans):
        if span.excluded:
            continue
        attribution = speakers.get(index)
        if attribution is not None and attribution.cluster is not None:
            quoted.add(attribution.cluster)
        quotes.append(
            Quote(
                text=text[span.start : span.end],
                start=span.start,
                end=span.end,
                speaker=attribution.speaker if attribution else None,
                speaker_kind=attribution.kind if attribution else NONE,
            )
        )
    persons = [
        Person(
            name=cluster.name,
            aliases=tuple(sorted(cluster.surfaces, key=lambda s: (-cluster.surfaces[s], s))),
            mentions=len(cluster.spans),
            quoted=cluster.id in quoted,
            spans=tuple(cluster.spans),
            name_kind=name_kind(cluster),
            gender=gender_of(cluster),
        )
        for cluster in people.clusters
        if cluster.spans
    ]
    persons.sort(key=lambda person: (-person.mentions, person.spans[0]))
    quotes.sort(key=lambda quote: (quote.start, -quote.end))
    return Extraction(tuple(quotes), tuple(persons))


def extract_article(article: Article) -> Extraction:
    """``extract`` over the article's text; every offset points into ``article.text``."""
    return extract(article.text)
