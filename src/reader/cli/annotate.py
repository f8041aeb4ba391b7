"""``reader highlight add|list|remove``: the user's highlights and notes, kept outside the files."""

from __future__ import annotations

import argparse
from pathlib import Path

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
from reader.core.loader import load_article, load_corpus
from reader.core.models import Article, ParagraphKind
from reader.core.tags import Annotations, Highlight, Placed, TagStore, TagStoreError, anchor, find_typed, place
from reader.core.tags.anchoring import TextQuote
from reader.core.text import visible, visible_name

PREVIEW_CHARS = 100
MIN_ID_CHARS = 4  # of a highlight id, as git takes the start of a hash
EXAMPLES = """examples:
  reader highlight add article.txt --quote "incredibly patient" --note "check the source"
  reader highlight add article.txt --note "a note on the whole article"
  reader highlight list article.txt       its note and highlights, with their ids
  reader highlight list ~/news --json     every annotated article of a folder
  reader highlight remove 3f9a1c           a highlight by id (four or more of its first characters)
  reader highlight remove article.txt --all

Highlights are kept in your data folder, never in the files. Each one keeps its
text and a little of the text around it, so it is found again after the file is
renamed, moved or edited elsewhere, and after small edits inside the passage;
one that cannot be found is listed as orphaned, never dropped."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    adding = actions.add_parser(
        "add",
        help="highlight a passage of a file (with a note), or write a note on the whole file",
        description="With --quote: highlight that passage (found whatever its case, spacing or "
        "quotation marks), with --note as its note. With --note alone: the note on the whole "
        "article (it replaces the one before).",
    )
    adding.add_argument("file", metavar="PATH", help="an article file")
    adding.add_argument("--quote", metavar="TEXT", help="the passage to highlight, as it is in the file")
    adding.add_argument("--note", metavar="TEXT", help="a note (on the highlight, or on the article without --quote)")
    adding.add_argument(
        "--occurrence", metavar="N", type=int, default=None, help="which occurrence of the quote (1 is the first)"
    )
    add_json_flag(adding)
    listing = actions.add_parser(
        "list",
        help="list highlights and notes: all, a file's, or a folder's",
        description="With no PATH: every highlighted or noted article. With a file: its note and "
        "highlights, each with its id and whether it is still found in the text. With a folder: "
        "each annotated article in it.",
    )
    listing.add_argument("path", metavar="PATH", nargs="?", help="an article file or a folder")
    add_json_flag(listing)
    removing = actions.add_parser(
        "remove",
        help="remove highlights by id, or a file's highlights or note",
        description="Remove highlights by id (as 'reader highlight list' shows them; a unique "
        "start of one will do), or with a file: the highlights overlapping --quote, its --note, or --all.",
    )
    removing.add_argument("targets", metavar="ID_OR_PATH", nargs="+", help="highlight ids, or one article file")
    removing.add_argument("--quote", metavar="TEXT", help="with a file: remove the highlights over this passage")
    removing.add_argument("--note", action="store_true", help="with a file: remove the note on the article")
    removing.add_argument("--all", action="store_true", help="with a file: remove every highlight and the note")
    add_json_flag(removing)


def run(options: argparse.Namespace) -> int:
    try:
        if options.action == "add":
            return _add(options)
        if options.action == "list":
            return _list(options)
        return _remove(options)
    except TagStoreError as error:
        warn(f"error: {error}")
        return EXIT_SKIPPED


# -- add ---------------------------------------------------------------------------------------------


def _add(options: argparse.Namespace) -> int:
    if options.quote is None and options.note is None:
        raise UsageError("give --quote TEXT (and perhaps --note TEXT), or --note TEXT for the whole article")
    if options.quote is not None and not options.quote.strip():
        raise UsageError("--quote is empty")
    article = load_file(options.file)
    if article is None:
        return EXIT_SKIPPED
    with TagStore() as store:
        if options.quote is None:
            store.annotations.set_article_note(article, options.note)
        else:
            span = _quote_span(article, options.quote, options.occurrence)
            if span is None:
                return EXIT_SKIPPED
            highlight = store.annotations.add_highlight(article, *span, note=options.note or "")
            if not options.json:
                print(f"{highlight.id}  {visible_name(article.id, limit=200)}: {_preview(highlight.text)}")
        annotations = store.annotations.annotations_for(article)
    if options.json:
        print_json(_entry_of(article, annotations))
    elif options.quote is None:
        print(f"{visible_name(article.id, limit=200)}: {'note saved' if annotations.note else 'note removed'}")
    return EXIT_OK


def _quote_span(article: Article, quote: str, occurrence: int | None) -> tuple[int, int] | None:
    """Where the quote is in the article, or None after saying in one line why not."""
    found = find_typed(article.text, quote)
    # The headline is shown above the text, not in it: a passage there is highlighted only if
    # it is nowhere else.
    titles = [(p.start, p.end) for p in article.paragraphs if p.kind is ParagraphKind.TITLE]
    in_body = [(s, e) for s, e in found if not any(ts <= s and e <= te for ts, te in titles)]
    found = in_body or found
    if not found:
        closest = anchor(article.text, TextQuote(quote.strip()))
        hint = f"; closest passage: {_preview(article.text[closest.start : closest.end])}" if closest else ""
        warn(f"error: the quote is not in {visible_name(article.path, limit=200)}{hint}")
        return None
    if occurrence is not None:
        if not 1 <= occurrence <= len(found):
            raise UsageError(f"--occurrence {occurrence}: the quote occurs {len(found)} time(s)")
        return found[occurrence - 1]
    if len(found) > 1:
        warn(f"the quote occurs {len(found)} times; highlighted the first (--occurrence N picks another)")
    return found[0]


# -- list --------------------------------------------------------------------------------------------


def _list(options: argparse.Namespace) -> int:
    if options.path is None:
        return _list_store(options.json)
    path = existing_path(options.path)
    if not path.is_dir():
        article = load_file(options.path)
        if article is None:
            return EXIT_SKIPPED
        with TagStore() as store:
            annotations = store.annotations.annotations_for(article)
        _print_many([_entry_of(article, annotations)], options.json, "", single=True)
        return EXIT_OK
    with corpus_progress("Loading", enabled=not options.json) as on_progress:
        corpus = load_corpus(path, on_progress=on_progress)
    with TagStore() as store:
        found = store.annotations.annotations_for_many(corpus.articles)
    shown = [_entry_of(article, found[article.path]) for article in corpus.articles if found[article.path]]
    _print_many(shown, options.json, f"none of the {len(corpus.articles)} articles in {path} has highlights or notes")
    for issue in corpus.skipped:
        warn(str(issue))
    return EXIT_SKIPPED if corpus.skipped else EXIT_OK


def _list_store(as_json: bool) -> int:
    """Every annotated article the store knows, each placed in its file as it is now, if there."""
    with TagStore() as store:
        articles = store.annotations.export_articles()
    shown = []
    for item in articles:
        annotations = Annotations(item.note, item.note_updated, item.highlights)
        loaded = load_article(Path(item.path), Path(item.path).parent) if item.path else None
        placed = place(loaded.text, annotations) if isinstance(loaded, Article) else None
        shown.append(_article_json(item.path, item.path, item.title, annotations, placed))
    _print_many(shown, as_json, "no highlights or notes yet; add some with: reader highlight add PATH --quote TEXT")
    return EXIT_OK


def _print_many(shown: list[dict[str, object]], as_json: bool, nothing: str, *, single: bool = False) -> None:
    """Articles as text, or as a JSON list (one object for ``single``); ``nothing``: said when empty."""
    if as_json:
        print_json(shown[0] if single else shown)
    elif not shown:
        warn(nothing)
    for entry in [] if as_json else shown:
        _print_article(entry)


def _entry_of(article: Article, annotations: Annotations) -> dict[str, object]:
    return _article_json(article.id, str(article.path), article.title, annotations, place(article.text, annotations))


def _article_json(
    name: str, path: str, title: str, annotations: Annotations, placed: list[Placed] | None
) -> dict[str, object]:
    """An article's note and highlights; ``placed`` None: the file is not there to place them in."""
    rows = placed if placed is not None else [Placed(h, None, None, False) for h in annotations.highlights]
    return {
        "id": name,
        "path": path,
        "title": title,
        "note": annotations.note,
        "highlights": [_highlight_json(item, "missing file" if placed is None else None) for item in rows],
    }


def _highlight_json(item: Placed, state: str | None) -> dict[str, object]:
    highlight: Highlight = item.highlight
    if state is None:
        state = "orphaned" if item.orphaned else ("exact" if item.exact else "fuzzy")
    return {
        "id": highlight.id,
        "text": highlight.text,
        "note": highlight.note,
        "state": state,  # exact, fuzzy (re-attached after edits inside it), orphaned, missing file
        "start": item.start,
        "end": item.end,
        "created": highlight.created,
        "updated": highlight.updated,
    }


def _print_article(entry: dict[str, object]) -> None:
    print(f"{visible_name(entry['id'], limit=200)}  {visible(entry['title'], 120)}")
    if entry["note"]:
        print(f"  note: {_indented(str(entry['note']))}")
    highlights = entry["highlights"]
    assert isinstance(highlights, list)
    for item in highlights:
        state = "" if item["state"] in ("exact", "fuzzy") else f"  ({item['state']})"
        print(f"  {item['id']}  {_preview(item['text'])}{state}")
        if item["note"]:
            print(f"    — {_indented(item['note'], 6)}")


# -- remove ------------------------------------------------------------------------------------------


def _remove(options: argparse.Namespace) -> int:
    first = Path(options.targets[0]).expanduser()
    if len(options.targets) == 1 and first.is_file():
        return _remove_from_file(options)
    if options.quote is not None or options.note or options.all:
        raise UsageError("--quote, --note and --all need one article file, not highlight ids")
    with TagStore() as store:
        ids = [_one_id(store, target) for target in options.targets]
        removed = store.annotations.remove_highlights(ids)
    if options.json:
        print_json({"removed": ids})
    else:
        print(f"removed {removed} highlight{'s' if removed != 1 else ''}")
    return EXIT_OK


def _one_id(store: TagStore, target: str) -> str:
    if len(target.strip()) < MIN_ID_CHARS:
        raise UsageError(f"give at least {MIN_ID_CHARS} characters of a highlight id, not {visible(target, 40)!r}")
    found = store.annotations.find(target)
    if not found:
        raise UsageError(f"no highlight {visible(target, 40)} (see reader highlight list)")
    if len(found) > 1:
        raise UsageError(f"{visible(target, 40)} is the start of {len(found)} highlight ids; give more of it")
    return found[0][1].id


def _remove_from_file(options: argparse.Namespace) -> int:
    note = bool(options.note or options.all)
    if options.quote is None and not note:
        raise UsageError("with a file, say what to remove: --quote TEXT, --note or --all")
    article = load_file(options.targets[0])
    if article is None:
        return EXIT_SKIPPED
    with TagStore() as store:
        annotations = store.annotations.annotations_for(article)
        doomed = _highlights_to_remove(article, annotations, options.quote, everything=options.all)
        removed = store.annotations.remove_highlights(doomed)
        if note:
            store.annotations.set_article_note(article, "")
    if options.json:
        print_json({"id": article.id, "removed": doomed, "note_removed": note})
    else:
        also = " and the note" if note and annotations.note else ""
        print(f"{visible_name(article.id, limit=200)}: removed {removed} highlight{'s' if removed != 1 else ''}{also}")
    return EXIT_OK


def _highlights_to_remove(
    article: Article, annotations: Annotations, quote: str | None, *, everything: bool
) -> list[str]:
    """Ids of the highlights that are all of them, or that overlap the quote where they stand now."""
    placed = place(article.text, annotations)
    if everything:
        return [item.highlight.id for item in placed]
    spans = find_typed(article.text, quote) if quote is not None else []
    return [
        item.highlight.id
        for item in placed
        if item.start is not None and item.end is not None
        and any(item.start < end and start < item.end for start, end in spans)
    ]


# -- files -------------------------------------------------------------------------------------------


def _preview(text: object) -> str:
    return f"“{visible(' '.join(str(text).split()), PREVIEW_CHARS)}”"


def _indented(text: str, by: int = 8) -> str:
    return ("\n" + " " * by).join(visible(line, 300) for line in text.splitlines())
