"""``reader clusters``: quotes carried by several articles (or, with --duplicates, copied articles)."""

from __future__ import annotations

import argparse

from reader.cli.common import add_json_flag, add_path_option, print_json
from reader.cli.selection import open_analysis
from reader.core.cross_article import DuplicateGroup, QuoteCluster
from reader.core.text import visible, visible_name


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def configure(parser: argparse.ArgumentParser) -> None:
    add_path_option(parser)
    add_json_flag(parser)
    parser.add_argument(
        "--min-articles",
        type=_positive,
        default=2,
        metavar="N",
        help="list quotes carried by at least N articles (default: 2)",
    )
    parser.add_argument(
        "--duplicates",
        action="store_true",
        help="list groups of near-duplicate articles (syndicated or rewritten copies) instead",
    )


def run(options: argparse.Namespace) -> int:
    _, analysis, status = open_analysis(options, quiet=options.json)
    if options.duplicates:
        groups = analysis.duplicates()
        for group in groups:
            if options.json:
                print_json(_duplicates_json(group))
            else:
                _print_duplicates(group)
        if not options.json:
            print(f"{len(groups)} groups of near-duplicate articles")
        return status
    clusters = analysis.clusters(min_articles=options.min_articles)
    for cluster in clusters:
        if options.json:
            print_json(_cluster_json(cluster))
        else:
            _print_cluster(cluster)
    if not options.json:
        print(f"{len(clusters)} quotes in {options.min_articles} or more articles")
    return status


def _date(value: object) -> str | None:
    return value.isoformat() if value is not None else None  # type: ignore[attr-defined]


def _cluster_json(cluster: QuoteCluster) -> dict[str, object]:
    return {
        "cluster": cluster.id,
        "text": cluster.text,
        "articles": cluster.article_count,
        "outlets": cluster.outlet_count,
        "first": {"file": cluster.first.article_id, "date": _date(cluster.first.date)},
        "speaker": cluster.speaker,
        "speakers": [{"name": name, "articles": count} for name, count in cluster.speakers],
        "speakers_disagree": cluster.speakers_disagree,
        "unnamed": cluster.unnamed,
        "members": [
            {
                "file": member.article_id,
                "title": member.title,
                "quote": member.text,
                "start": member.start,
                "end": member.end,
                "speaker": member.speaker,
                "outlet": member.outlet,
                "date": _date(member.date),
            }
            for member in cluster.members
        ],
    }


def _print_cluster(cluster: QuoteCluster) -> None:
    first = cluster.first
    outlets = f", {cluster.outlet_count} outlets" if cluster.outlet_count else ""
    when = f" on {first.date:%Y-%m-%d}" if first.date is not None else ""
    print(
        f"cluster {cluster.id}: {cluster.article_count} articles{outlets}; "
        f"first in {visible_name(first.article_id, limit=80)}{when}"
    )
    print(f"  “{visible(cluster.text, limit=200)}”")
    if cluster.speakers:
        print(f"  speaker: {speaker_summary(cluster)}")
    for member in cluster.members:
        speaker = f" — {visible(member.speaker, limit=40)}" if member.speaker else ""
        print(f"    {visible_name(member.article_id, limit=60)}: “{visible(member.text, limit=80)}”{speaker}")


def speaker_summary(cluster: QuoteCluster) -> str:
    """"Chidi Okafor (3 articles); also credited to Ngozi Eze (1); 2 name no one"."""
    credited = [
        f"{visible(name, limit=40)} ({count} article{'s' if count != 1 else ''})" for name, count in cluster.speakers
    ]
    summary = credited[0]
    if len(credited) > 1:
        summary += "; speakers disagree, also credited to " + ", ".join(credited[1:])
    if cluster.unnamed:
        summary += f"; {cluster.unnamed} name{'s' if cluster.unnamed == 1 else ''} no one"
    return summary


def _duplicates_json(group: DuplicateGroup) -> dict[str, object]:
    return {
        "representative": group.representative.article_id,
        "members": [
            {
                "file": member.article_id,
                "title": member.title,
                "outlet": member.outlet,
                "date": _date(member.date),
                "similarity": round(member.similarity, 2),
            }
            for member in group.members
        ],
    }


def _print_duplicates(group: DuplicateGroup) -> None:
    first = group.representative
    print(f"{visible_name(first.article_id, limit=80)}: {visible(first.title, limit=80)}")
    for member in group.members[1:]:
        print(f"  copy ({member.similarity:.0%}): {visible_name(member.article_id, limit=80)}")
