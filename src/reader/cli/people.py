"""``reader people [QUERY]``: everyone the articles name, how widely, and whether they are quoted."""

from __future__ import annotations

import argparse

from reader.cli.common import add_json_flag, add_path_option, print_json
from reader.cli.selection import add_query_argument, matching_ids, open_analysis
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
            print_json(
                {
                    "name": person.name,
                    "articles": person.article_count,
                    "mentions": person.mention_count,
                    "quotes": person.quote_count,
                    "quoted": person.quoted,
                    "article_ids": list(person.article_ids),
                }
            )
        return status
    width = max((len(visible(person.name, limit=40)) for person in people), default=4)
    print(f"{'name':<{width}}  articles  mentions  quotes")
    for person in people:
        role = "" if person.quoted else "  (only mentioned)"
        print(
            f"{visible(person.name, limit=40):<{width}}  {person.article_count:>8}  "
            f"{person.mention_count:>8}  {person.quote_count:>6}{role}"
        )
    print(f"{len(people)} people")
    return status
