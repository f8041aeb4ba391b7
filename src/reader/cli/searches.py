"""``reader searches list|add|remove|rename``: the saved searches the app lists with ``S``.

Saved searches are kept in the user-data store beside the tags. ``list`` runs each on a folder
(``--path``, brought up to date first) and says how many articles it finds and how many of them
are new since it was last opened in the app in that folder; ``add`` counts what the query finds
now as seen, as saving it in the app does.
"""

from __future__ import annotations

import argparse

from reader.cli.common import (
    EXIT_OK,
    EXIT_SKIPPED,
    UsageError,
    add_json_flag,
    add_path_option,
    corpus_path,
    print_json,
    warn,
)
from reader.cli.progress import corpus_progress
from reader.core.library import Library, QueryError
from reader.core.tags import TagStore
from reader.core.tags.saved_searches import SavedSearchError, SavedSearches, SavedSearchStatus
from reader.core.text import visible

EXAMPLES = """examples:
  reader searches add "Kanye, not divorce" 'kanye -divorce'
  reader searches list --path ~/news          each with its count and what is new
  reader searches rename "Kanye, not divorce" kanye
  reader searches remove kanye

Names are matched ignoring case. In the app, S lists the saved searches and
ctrl+s saves the search in the bar."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        help="list the saved searches with their counts in a folder",
        description="Every saved search, A to Z, with how many articles of the folder it finds and "
        "how many of them are new since it was last opened there (none opened: never opened there).",
    )
    add_path_option(listing)
    add_json_flag(listing)
    adding = actions.add_parser(
        "add",
        help="save a query under a name",
        description="Save QUERY (the query language of reader search) under NAME. What it finds now "
        "in the folder counts as seen.",
    )
    adding.add_argument("name", metavar="NAME", help="the name (at most 80 characters)")
    adding.add_argument("query", metavar="QUERY", help="the query, as for reader search")
    adding.add_argument("--replace", action="store_true", help="replace a saved search of that name")
    add_path_option(adding)
    add_json_flag(adding)
    removing = actions.add_parser("remove", help="forget a saved search", description="Forget a saved search.")
    removing.add_argument("name", metavar="NAME")
    add_json_flag(removing)
    renaming = actions.add_parser("rename", help="rename a saved search", description="Rename a saved search.")
    renaming.add_argument("name", metavar="NAME")
    renaming.add_argument("new_name", metavar="NEW_NAME")
    add_json_flag(renaming)


def run(options: argparse.Namespace) -> int:
    try:
        if options.action in ("list", "add"):
            return _with_corpus(options)
        with TagStore() as store:
            saved = SavedSearches(store)
            return _remove(saved, options) if options.action == "remove" else _rename(saved, options)
    except SavedSearchError as error:
        raise UsageError(str(error)) from error
    except RuntimeError as error:  # the store cannot be opened (TagStoreError) or is not available
        warn(f"error: {error}")
        return EXIT_SKIPPED


def _with_corpus(options: argparse.Namespace) -> int:
    with Library(corpus_path(options)) as library:
        if options.action == "add":
            _check_new(library, options)
        with corpus_progress("Indexing", enabled=not options.json) as on_progress:
            report = library.sync(on_progress, on_wait=None if options.json else warn)
        for message in report.messages:
            warn(message)
        if options.action == "add":
            return _add(library, options)
        return _list(library.saved_search_statuses(), options.json)


def _check_new(library: Library, options: argparse.Namespace) -> None:
    """Refuse a bad name, a query that cannot run, or a name in use, before indexing anything."""
    from reader.core.index.query import parse

    try:
        parse(options.query)
    except QueryError as error:
        raise UsageError(str(error)) from error
    existing = library.saved_searches().get(options.name)
    if existing is not None and not options.replace:
        raise UsageError(f"there is already a saved search named {visible(existing.name, 80)} (--replace replaces it)")


def _add(library: Library, options: argparse.Namespace) -> int:
    try:
        ids = library.matching_ids(options.query)
    except QueryError as error:
        raise UsageError(str(error)) from error
    saved = library.saved_searches().save(options.name, options.query, seen=ids, replace=options.replace)
    if options.json:
        print_json({"name": saved.name, "query": saved.query, "count": len(ids)})
    else:
        print(f"saved {visible(saved.name, 80)}: {len(ids):,} article{'s' if len(ids) != 1 else ''} now")
    return EXIT_OK


def _list(statuses: list[SavedSearchStatus], as_json: bool) -> int:
    if as_json:
        print_json([_status_json(status) for status in statuses])
    elif not statuses:
        warn("no saved searches yet; add one with: reader searches add NAME QUERY")
    for status in statuses if not as_json else ():
        print(f"{visible(status.search.name, 80)}: {_counts(status)}  (query: {visible(status.search.query, 300)})")
    return EXIT_SKIPPED if any(status.error for status in statuses) else EXIT_OK


def _counts(status: SavedSearchStatus) -> str:
    if status.error is not None or status.count is None:
        return f"cannot run: {status.error}"
    counted = f"{status.count:,} article{'s' if status.count != 1 else ''}"
    if status.new is None:
        return f"{counted}, never opened in this folder"
    return f"{counted}, {status.new:,} new since last opened"


def _status_json(status: SavedSearchStatus) -> dict[str, object]:
    search = status.search
    return {
        "name": search.name,
        "query": search.query,
        "created": search.created,
        "opened": search.opened,
        "count": status.count,
        "new": status.new,
        "error": status.error,
    }


def _remove(saved: SavedSearches, options: argparse.Namespace) -> int:
    found = saved.get(options.name)
    if found is None or not saved.remove(found.name):
        warn(f"error: no saved search is named {options.name}")
        return EXIT_SKIPPED
    if options.json:
        print_json({"removed": found.name, "query": found.query})
    else:
        print(f"removed {visible(found.name, 80)} (query: {visible(found.query, 300)})")
    return EXIT_OK


def _rename(saved: SavedSearches, options: argparse.Namespace) -> int:
    if saved.get(options.name) is None:
        warn(f"error: no saved search is named {options.name}")
        return EXIT_SKIPPED
    renamed = saved.rename(options.name, options.new_name)
    if options.json:
        print_json({"name": renamed.name, "query": renamed.query})
    else:
        print(f"renamed to {visible(renamed.name, 80)}")
    return EXIT_OK
