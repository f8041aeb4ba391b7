"""``reader clusters``: quotes carried by several articles, each copy's wording against the earliest
(or, with --duplicates, copied articles)."""

from __future__ import annotations

import argparse

from reader.cli.common import UsageError, add_json_flag, add_path_option, print_json
from reader.cli.selection import open_analysis
from reader.core.cross_article import DuplicateGroup, QuoteCluster, QuoteOccurrence
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
        "--changed",
        action="store_true",
        help="only quotes whose words some article changed (not only cut): reworded quotes",
    )
    parser.add_argument(
        "--significant",
        action="store_true",
        help="only quotes reworded in a way that may change the meaning (a negation, a number or a name)",
    )
    parser.add_argument(
        "--duplicates",
        action="store_true",
        help="list groups of near-duplicate articles (syndicated or rewritten copies) instead",
    )


def run(options: argparse.Namespace) -> int:
    if options.duplicates and (options.changed or options.significant):
        raise UsageError("--changed and --significant choose quotes; they do not go with --duplicates")
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
    if options.changed or options.significant:
        clusters = [cluster for cluster in clusters if cluster.reworded_ids]
    if options.significant:
        clusters = [cluster for cluster in clusters if cluster.significant]
    for cluster in clusters:
        if options.json:
            print_json(_cluster_json(cluster))
        else:
            _print_cluster(cluster)
    if not options.json:
        print(_summary(len(clusters), options))
    return status


def _summary(count: int, options: argparse.Namespace) -> str:
    kind = "significantly reworded " if options.significant else "reworded " if options.changed else ""
    return f"{count} {kind}quote{'s' if count != 1 else ''} in {options.min_articles} or more articles"


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
        "reworded": len(cluster.reworded_ids),
        "significant": cluster.significant,
        "members": [_member_json(member) for member in cluster.members],
    }


def _member_json(member: QuoteOccurrence) -> dict[str, object]:
    """A copy where it stands, and its ``wording`` (``changes`` when changed) against the earliest."""
    wording = member.wording.as_dict() if member.wording is not None else {"wording": None, "significant": False}
    return {
        "file": member.article_id,
        "title": member.title,
        "quote": member.text,
        "start": member.start,
        "end": member.end,
        "speaker": member.speaker,
        "outlet": member.outlet,
        "date": _date(member.date),
        **wording,
    }


def _print_cluster(cluster: QuoteCluster) -> None:
    first = cluster.first
    outlets = f", {cluster.outlet_count} outlets" if cluster.outlet_count else ""
    when = f" on {first.date:%Y-%m-%d}" if first.date is not None else ""
    reworded = len(cluster.reworded_ids)
    changed = f"; reworded in {reworded}" if reworded else ""
    warning = " ⚠ the meaning may differ" if cluster.significant else ""
    print(
        f"cluster {cluster.id}: {cluster.article_count} articles{outlets}; "
        f"first in {visible_name(first.article_id, limit=80)}{when}{changed}{warning}"
    )
    print(f"  “{visible(cluster.text, limit=200)}”")
    if cluster.speakers:
        print(f"  speaker: {speaker_summary(cluster)}")
    for member in cluster.members:
        speaker = f" — {visible(member.speaker, limit=40)}" if member.speaker else ""
        print(f"    {visible_name(member.article_id, limit=60)}: “{visible(member.text, limit=80)}”{speaker}")
        if member.wording is not None and member.wording.wording != "same":
            mark = "⚠ " if member.wording.significant else ""
            print(f"      {mark}{visible(member.wording.as_text(), limit=200)}")


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
