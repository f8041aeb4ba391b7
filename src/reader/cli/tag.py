"""``reader tag add|remove|list``: the user's tags on article files, kept outside the files."""

from __future__ import annotations

import argparse

from reader.cli.common import (
    EXIT_OK,
    EXIT_SKIPPED,
    UsageError,
    add_json_flag,
    existing_path,
    load_file,
    print_json,
    warn,
)
from reader.cli.progress import corpus_progress
from reader.core.loader import load_corpus
from reader.core.models import Article
from reader.core.tags import TagError, TagStore, TagStoreError, normalise_tag
from reader.core.text import visible, visible_name

EXAMPLES = """examples:
  reader tag add article.txt patience "long read"
  reader tag remove article.txt "long read"
  reader tag list                 every tag, most used first
  reader tag list ~/news --json   each article's tags, as JSON

Tags are kept in your data folder, never in the files, and follow an article
file when it is renamed, moved or lightly edited; an identical copy of a file
is another article, with tags of its own."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, text in (("add", "give an article file tags"), ("remove", "take tags off an article file")):
        action = actions.add_parser(name, help=text, description=text)
        action.add_argument("file", metavar="PATH", help="an article file")
        action.add_argument("tags", metavar="TAG", nargs="+", help="a tag (quote tags with spaces)")
        add_json_flag(action)
    listing = actions.add_parser(
        "list",
        help="list tags: all with counts, a file's, or each article's in a folder",
        description="With no PATH: every tag and how many articles carry it, most used first. "
        "With a file: its tags. With a folder: each tagged article and its tags.",
    )
    listing.add_argument("path", metavar="PATH", nargs="?", help="an article file or a folder")
    add_json_flag(listing)


def run(options: argparse.Namespace) -> int:
    try:
        if options.action == "list":
            return _list(options)
        return _change(options)
    except TagError as error:
        raise UsageError(str(error)) from error
    except TagStoreError as error:
        warn(f"error: {error}")
        return EXIT_SKIPPED


def _change(options: argparse.Namespace) -> int:
    tags = [normalise_tag(tag) for tag in options.tags]  # refuse a bad tag before reading the file
    article = load_file(options.file)
    if article is None:
        return EXIT_SKIPPED
    with TagStore() as store:
        if options.action == "add":
            store.add([article], tags)
        else:
            store.remove([article], tags)
        _show_article(article, store.tags_for(article), options.json)
    return EXIT_OK


def _list(options: argparse.Namespace) -> int:
    if options.path is None:
        with TagStore() as store:
            counts = store.all_tags()
        if options.json:
            print_json([{"tag": tag, "count": count} for tag, count in counts])
        elif not counts:
            warn("no tags yet; add some with: reader tag add PATH TAG...")
        else:
            for tag, count in counts:
                print(f"{count:>6}  {visible(tag)}")
        return EXIT_OK
    path = existing_path(options.path)
    if not path.is_dir():
        article = load_file(options.path)
        if article is None:
            return EXIT_SKIPPED
        with TagStore() as store:
            _show_article(article, store.tags_for(article), options.json)
        return EXIT_OK
    with corpus_progress("Loading", enabled=not options.json) as on_progress:
        corpus = load_corpus(path, on_progress=on_progress)
    with TagStore() as store:
        tags = store.tags_for_many(corpus.articles)
    if options.json:
        print_json([_article_json(article, tags[article.path]) for article in corpus.articles])
    else:
        tagged = [article for article in corpus.articles if tags[article.path]]
        for article in tagged:
            print(f"{visible_name(article.id, limit=200)}: {_joined(tags[article.path])}")
        if not tagged:
            warn(f"none of the {len(corpus.articles)} articles in {path} has tags")
    for issue in corpus.skipped:
        warn(str(issue))
    return EXIT_SKIPPED if corpus.skipped else EXIT_OK


def _joined(tags: tuple[str, ...]) -> str:
    return ", ".join(visible(tag) for tag in tags)


def _article_json(article: Article, tags: tuple[str, ...]) -> dict[str, object]:
    return {"id": article.id, "path": str(article.path), "tags": list(tags)}


def _show_article(article: Article, tags: tuple[str, ...], as_json: bool) -> None:
    if as_json:
        print_json(_article_json(article, tags))
    else:
        print(f"{visible_name(article.id, limit=200)}: {_joined(tags) or '(no tags)'}")
