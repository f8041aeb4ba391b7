"""``reader people [QUERY]``: everyone the articles name, how widely, and whether they are quoted.

One line per person of the corpus: the spellings of a full name count together, and an article
that gives only a surname counts for the one person the corpus gives that surname (a link the
output marks as inferred); a surname several people share stays apart and says who they are.
"""

from __future__ import annotations

import argparse

from reader.cli.common import add_json_flag, add_path_option, print_json
from reader.cli.selection import add_query_argument, matching_ids, open_analysis
from reader.core.cross_article import PersonAcross
from reader.core.text import visible


def configure(parser: argparse.ArgumentParser) -> None:
    add_query_argument(parser, "people")
    add_path_option(parser)
    add_json_flag(parser)


def run(options: argparse.Namespace) -> int:
    library, analysis, status = open_analysis(options, quiet=options.json)
    people = analysis.people(matching_ids(library, options.query))
    if options.json:
        for person in people:
            print_json(person_json(person))
        return status
    width = max((len(visible(person.name, limit=40)) for person in people), default=4)
    print(f"{'name':<{width}}  articles  mentions  quotes")
    for person in people:
        role = "" if person.quoted else "  (only mentioned)"
        print(
            f"{visible(person.name, limit=40):<{width}}  {person.article_count:>8}  "
            f"{person.mention_count:>8}  {person.quote_count:>6}{role}{_note(person)}"
        )
    print(f"{len(people)} people")
    return status


def person_json(person: PersonAcross) -> dict[str, object]:
    return {
        "name": person.name,
        "articles": person.article_count,
        "mentions": person.mention_count,
        "quotes": person.quote_count,
        "quoted": person.quoted,
        "article_ids": list(person.article_ids),
        "also_written": list(person.spellings),
        "linked_by_surname": list(person.linked_ids),
        "surname_shared_by": list(person.shared_by),
    }


def _note(person: PersonAcross) -> str:
    """What the one line cannot show otherwise: inferred links, and a surname left unlinked."""
    if person.linked_ids:
        count = len(person.linked_ids)
        return f"  (+{count} article{'s' if count != 1 else ''} by surname only, linked)"
    if person.shared_by:
        return f"  (surname only; not linked: {', '.join(visible(name, limit=40) for name in person.shared_by)})"
    return ""
