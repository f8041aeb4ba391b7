"""The corpus loader on literal files: one rule per test, the awkward cases included."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import socket
from pathlib import Path

import pytest

from reader.core.loader import MAX_FILE_BYTES, iter_article_files, load_article, load_corpus
from reader.core.models import Article, LoadIssue, ParagraphKind

needs_non_root = pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: permission bits do not stop root from reading",
)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def load(folder: Path, name: str, data: bytes | str) -> Article:
    loaded = load_article(write(folder, name, data), folder)
    assert isinstance(loaded, Article), loaded
    return loaded


def skipped(folder: Path) -> dict[str, str]:
    return {issue.path.name: issue.reason for issue in load_corpus(folder).skipped}


# Seeds


def test_the_seeds_load_with_sensible_titles(seeds: Path) -> None:
    corpus = load_corpus(seeds)
    titles = {article.id[:3]: (article.title, article.title_derived) for article in corpus.articles}
    assert titles == {
        "000": ("Kim Kardashian still in the process of saving marriage with Kanye", False),
        "001": (
            "Source Says Kim Kardashian Is Being ‘Incredibly Patient’ With Kanye West’s Presidential Run; "
            "Marriage ‘Still Needs Work’",
            False,
        ),
        "002": (
            "Kim Kardashian remaining incredibly patient over husband Kanye Wests unlikely bid for presidency",
            False,
        ),
        "003": ("If one thinks Kim Kardashian has had it with Kanye West and his weird behavior…", True),
        "004": ("Kim K and Kanye Focus on Kids as They Live Separate Lives", False),
    }
    assert corpus.issues == ()


def test_seed_002_front_matter_gives_date_tags_and_metadata(seeds: Path) -> None:
    article = load_article(next(seeds.glob("002_*")), seeds)
    assert isinstance(article, Article)
    assert article.date == dt.datetime(2020, 9, 7, 20, 19, 33)
    assert article.date_label == "2020-09-07"
    assert article.tags == ("latest", "tv")
    assert article.metadata["section"] == "content"
    assert article.text.startswith(article.title + "\n\n")


def test_seed_furniture_is_marked_and_kept(seeds: Path) -> None:
    article = load_article(next(seeds.glob("000_*")), seeds)
    assert isinstance(article, Article)
    furniture = [article.paragraph_text(p) for p in article.paragraphs if p.kind is ParagraphKind.FURNITURE]
    assert furniture[0] == "View this post on Instagram"
    assert furniture[2].startswith("A post shared by Kim Kardashian West")
    assert furniture[3] == "Featured image used courtesy of\u00a0Sky Cinema/Shutterstock"
    assert "does not provide trading" in furniture[4]
    original = next(seeds.glob("000_*")).read_text(encoding="utf-8").replace("\r\n", "\n")
    assert article.text == original  # marking furniture never deletes text


def test_seed_001_author_comes_from_the_about_box(seeds: Path) -> None:
    article = load_article(next(seeds.glob("001_*")), seeds)
    assert isinstance(article, Article)
    assert article.author == "Raquel Harris"
    tail = [article.paragraph_text(p) for p in article.paragraphs[-6:]]
    assert tail[0] == "About RaquelHarris" and tail[-1] == "Leave a Reply"
    assert all(p.kind is ParagraphKind.FURNITURE for p in article.paragraphs[-6:])


# Encodings and clean-up


def test_bom_does_not_hide_front_matter(tmp_path: Path) -> None:
    article = load(tmp_path, "a.md", codecs.BOM_UTF8 + b"---\ntitle: Hi\ndate: 2021-02-03\n---\nBody.\n")
    assert (article.title, article.date, article.warnings) == ("Hi", dt.date(2021, 2, 3), ())


def test_utf16_file_is_loaded_with_a_note(tmp_path: Path) -> None:
    article = load(tmp_path, "a.txt", codecs.BOM_UTF16_LE + "Headline\n\nBody “q”.\n".encode("utf-16-le"))
    assert (article.title, article.warnings) == ("Headline", ("decoded as UTF-16",))
    assert "“q”" in article.text


def test_latin1_pound_sign_is_read(tmp_path: Path) -> None:
    article = load(tmp_path, "a.txt", "Prices\n\nIt cost £40.\n".encode("latin-1"))
    assert "£40" in article.text
    assert article.warnings == ("not UTF-8; decoded as cp1252",)


def test_crlf_and_cr_files_split_into_paragraphs(tmp_path: Path) -> None:
    article = load(tmp_path, "a.txt", b"Headline\r\n\r\nOne.\r\rTwo.\r\n")
    assert [article.paragraph_text(p) for p in article.paragraphs] == ["Headline", "One.", "Two."]


def test_nbsp_and_curly_quotes_are_kept_exactly(tmp_path: Path) -> None:
    body = "“It’s fine,”\u00a0she said. ‘Quite’ \"so\"."
    article = load(tmp_path, "a.txt", f"Headline\n\n{body}\n")
    assert article.paragraph_text(article.paragraphs[1]) == body


def test_control_characters_are_made_visible_with_a_warning(tmp_path: Path) -> None:
    body = b"A body long enough to read as text, with a NUL \x00 and a screen clear \x1b[2J and a C1 \xc2\x9b."
    article = load(tmp_path, "a.txt", b"Title \x1b]0;x\x07\n\n" + body + b"\n")
    assert article.title == "Title \u241b]0;x\u2407"
    assert "\x1b" not in article.text and "\x00" not in article.text and "\x9b" not in article.text
    assert article.warnings == ("control characters shown as symbols",)


def test_bidi_overrides_are_removed(tmp_path: Path) -> None:
    article = load(tmp_path, "a.txt", "Head\u202eline\n\nBody\u2066.\n")
    assert article.title == "Headline"
    assert article.warnings == ("removed bidirectional-override characters",)


# Front matter through the loader


def test_malformed_yaml_is_loaded_as_text_with_a_warning(tmp_path: Path) -> None:
    text = "---\ntitle: [unclosed\n---\nThe body.\n"
    article = load(tmp_path, "a.md", text)
    assert article.text == text
    assert article.title == "The body."
    assert article.warnings == ("malformed front matter at line 3; shown as text",)


def test_a_leading_rule_loses_no_text_and_is_no_title(tmp_path: Path) -> None:
    text = "---\n\nThe first paragraph, which is prose of some length and ends like a sentence.\n\n---\n\nMore.\n"
    article = load(tmp_path, "a.md", text)
    assert article.text == text
    assert article.title == "The first paragraph, which is prose of some length and ends like a sentence"
    assert article.title_derived


def test_front_matter_that_is_a_list_is_body(tmp_path: Path) -> None:
    text = "---\n- one\n- two\n---\nBody.\n"
    article = load(tmp_path, "a.md", text)
    assert (article.text, article.metadata) == (text, {})


def test_no_and_leading_zeros_stay_strings(tmp_path: Path) -> None:
    article = load(tmp_path, "a.md", "---\ntitle: Norway\ncountry: NO\nzip: 012345\n---\nBody.\n")
    assert article.metadata == {"country": "NO", "zip": "012345"}


def test_tags_and_categories_are_not_repeated_in_metadata(seeds: Path) -> None:
    article = load_article(next(seeds.glob("002_*")), seeds)
    assert isinstance(article, Article)
    assert sorted(article.metadata) == ["description", "extends", "featured", "image", "section"]


def test_front_matter_fields_fill_the_article(tmp_path: Path) -> None:
    article = load(
        tmp_path,
        "a.md",
        "---\nTitle: The title\nauthor: [Ann, Bob]\nurl: https://www.example.com/x\n"
        "tags: [Politics, politics, UK]\ncategories: news, world\ndate: Mon, 07 Sep 2020 20:19:33 +0000\n---\nBody.\n",
    )
    assert article.title == "The title"
    assert article.author == "Ann, Bob"
    assert article.url == "https://www.example.com/x"
    assert article.outlet == "example.com"
    assert article.tags == ("Politics", "UK", "news", "world")
    assert article.date == dt.datetime(2020, 9, 7, 20, 19, 33)


def test_an_unparseable_date_is_kept_as_text(tmp_path: Path) -> None:
    article = load(tmp_path, "a.md", "---\ntitle: T\ndate: the day after\n---\nBody.\n")
    assert (article.date, article.date_text, article.date_label) == (None, "the day after", "the day after")
    assert article.warnings == ("date 'the day after' not understood; kept as text",)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "JAVASCRIPT:x"])
def test_a_url_that_is_not_a_web_address_is_no_link(tmp_path: Path, url: str) -> None:
    article = load(tmp_path, "a.md", f"---\ntitle: T\nurl: '{url}'\n---\nBody.\n")
    assert (article.url, article.outlet) == (None, None)
    assert article.metadata == {"url": url}
    assert "is not a web address" in article.warnings[0]


def test_yaml_escapes_cannot_smuggle_controls_into_metadata(tmp_path: Path) -> None:
    article = load(tmp_path, "a.md", '---\ntitle: "a\\e[2Jb"\nnote: "\\e]0;x\\a\\u202e"\ntags: ["\\0t"]\n---\nBody.\n')
    assert article.title == "a\u241b[2Jb"
    assert article.metadata == {"note": "\u241b]0;x\u2407"}
    assert article.tags == ("\u2400t",)


# Titles


def test_a_file_starting_with_prose_gets_a_derived_title(tmp_path: Path) -> None:
    article = load(tmp_path, "a.txt", "If one thinks this is a headline, one is wrong, since it is prose.\n\nMore.\n")
    assert (article.title, article.title_derived) == ("If one thinks this is a headline, one is wrong, since it is prose", True)
    assert article.paragraphs[0].kind is ParagraphKind.BODY


def test_a_markdown_heading_is_a_headline(tmp_path: Path) -> None:
    article = load(tmp_path, "a.md", "# The headline\n\nBody.\n")
    assert (article.title, article.paragraphs[0].kind) == ("The headline", ParagraphKind.TITLE)


def test_a_file_of_only_punctuation_is_titled_by_its_name(tmp_path: Path) -> None:
    assert load(tmp_path, "odd\x1bname.txt", "* * *\n").title == "odd\\x1bname"  # a name: spelled as an escape


# Files that are not articles


def test_an_empty_file_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "blank.txt", "\n \n")
    assert skipped(tmp_path) == {"empty.txt": "empty file", "blank.txt": "empty file"}


def test_a_binary_file_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "image.md", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    assert skipped(tmp_path) == {"image.md": "binary file, not text"}


def test_a_huge_file_is_skipped_without_reading_it(tmp_path: Path) -> None:
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.write(b"Headline\n\nBody.\n")
        handle.truncate(MAX_FILE_BYTES + 1)
    assert skipped(tmp_path) == {"huge.txt": "file is 20.0 MB, over the 20 MB limit for an article"}


def test_a_fifo_is_skipped_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    assert skipped(tmp_path) == {"pipe.md": "a named pipe, not an article file"}
    # Opened directly (as when the app re-reads an article) it must not block either.
    issue = load_article(tmp_path / "pipe.md", tmp_path)
    assert isinstance(issue, LoadIssue) and issue.reason == "a named pipe, not an article file"


def test_a_fifo_given_as_the_path_is_reported(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    assert [issue.reason for issue in load_corpus(tmp_path / "pipe.md").skipped] == ["a named pipe, not an article file"]


def test_a_socket_is_skipped(tmp_path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "s.md"))
    server.close()
    assert skipped(tmp_path) == {"s.md": "a socket, not an article file"}


def test_a_symlink_loop_is_survived(tmp_path: Path) -> None:
    os.symlink("b.md", tmp_path / "a.md")
    os.symlink("a.md", tmp_path / "b.md")
    (tmp_path / "sub").mkdir()
    os.symlink("..", tmp_path / "sub" / "up")
    write(tmp_path, "sub/real.txt", "Real\n\nBody.\n")
    corpus = load_corpus(tmp_path)
    assert [article.id for article in corpus.articles] == ["sub/real.txt"]
    assert {issue.path.name: issue.reason for issue in corpus.skipped} == {
        "a.md": "broken or looping symlink",
        "b.md": "broken or looping symlink",
        "up": "symlinked folder not followed (its files are read under their own names)",
    }


def test_a_symlink_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/secret.txt", "Secret\n\nBody.\n")
    (tmp_path / "corpus").mkdir()
    os.symlink(outside, tmp_path / "corpus" / "link.txt")
    os.symlink("/etc/passwd", tmp_path / "corpus" / "passwd.md")
    assert skipped(tmp_path / "corpus") == {
        "link.txt": "symlink points outside the folder; not followed",
        "passwd.md": "symlink points outside the folder; not followed",
    }


def test_a_file_turned_into_a_symlink_after_the_walk_is_checked_when_read(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/secret.txt", "Secret\n\nBody.\n")
    corpus = tmp_path / "corpus"
    write(corpus, "inside.txt", "Inside\n\nBody.\n")
    os.symlink(outside, corpus / "leaves.txt")
    os.symlink("inside.txt", corpus / "stays.txt")
    refused = load_article(corpus / "leaves.txt", corpus)
    assert isinstance(refused, LoadIssue)
    assert (refused.reason, refused.skipped) == ("symlink points outside the folder; not followed", True)
    followed = load_article(corpus / "stays.txt", corpus)
    assert isinstance(followed, Article) and followed.title == "Inside"


def test_a_symlink_inside_the_folder_is_read(tmp_path: Path) -> None:
    write(tmp_path, "real.txt", "Real\n\nBody.\n")
    os.symlink("real.txt", tmp_path / "alias.md")
    assert [article.id for article in load_corpus(tmp_path).articles] == ["alias.md", "real.txt"]


def test_a_directory_named_like_an_article_is_walked(tmp_path: Path) -> None:
    write(tmp_path, "x.md/inner.txt", "Inner\n\nBody.\n")
    corpus = load_corpus(tmp_path)
    assert ([a.id for a in corpus.articles], corpus.issues) == (["x.md/inner.txt"], ())


@needs_non_root
def test_an_unreadable_file_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "locked.txt", "Locked\n\nBody.\n").chmod(0)
    assert skipped(tmp_path) == {"locked.txt": "cannot be read (Permission denied)"}


@needs_non_root
def test_an_unreadable_folder_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "locked/a.txt", "Locked\n\nBody.\n")
    (tmp_path / "locked").chmod(0)
    try:
        assert skipped(tmp_path) == {"locked": "folder cannot be read (Permission denied)"}
    finally:
        (tmp_path / "locked").chmod(0o700)


def test_a_refused_open_is_reported_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The permission path without needing a non-root user: the open itself is refused."""
    locked = write(tmp_path, "locked.txt", "Locked\n\nBody.\n")
    write(tmp_path, "open.txt", "Open\n\nBody.\n")
    real_open = os.open

    def refusing_open(path, flags, *args):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["open.txt"]
    assert [(i.path.name, i.reason) for i in corpus.skipped] == [("locked.txt", "cannot be read (Permission denied)")]


# Walking


def test_a_single_file_can_be_the_corpus(tmp_path: Path) -> None:
    path = write(tmp_path, "one.txt", "One\n\nBody.\n")
    corpus = load_corpus(path)
    assert [(a.id, a.title) for a in corpus.articles] == [("one.txt", "One")]


def test_folders_are_walked_recursively_in_a_stable_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a/z.md", "a/b/c.markdown", "A.TXT", "notes.html", "c.rst"):
        write(tmp_path, name, "Headline\n\nBody.\n")
    assert [a.id for a in load_corpus(tmp_path).articles] == ["A.TXT", "b.txt", "a/z.md", "a/b/c.markdown"]


def test_hidden_files_and_folders_are_ignored(tmp_path: Path) -> None:
    write(tmp_path, ".hidden.txt", "Hidden\n\nBody.\n")
    write(tmp_path, ".git/x.md", "Hidden\n\nBody.\n")
    write(tmp_path, "shown.txt", "Shown\n\nBody.\n")
    assert [item.name for item in iter_article_files(tmp_path)] == ["shown.txt"]


def test_warnings_become_issues_that_are_not_skips(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Head\u202eline\n\nBody.\n")
    corpus = load_corpus(tmp_path)
    assert corpus.skipped == ()
    assert [(issue.path.name, issue.reason, issue.skipped) for issue in corpus.issues] == [
        ("a.txt", "removed bidirectional-override characters", False)
    ]


def test_progress_is_reported_per_file(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        write(tmp_path, name, "Headline\n\nBody.\n")
    seen: list[tuple[int, int]] = []
    load_corpus(tmp_path, on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_corpus(tmp_path / "missing")


# Dates and links found outside the front matter

def test_a_front_matter_date_is_marked_as_such_and_wins(tmp_path: Path) -> None:
    article = load(tmp_path, "2021-01-01-x.md", "---\ntitle: T\ndate: 2020-09-07\n---\nPublished 8 September 2020\n")
    assert (article.date, article.date_source) == (dt.date(2020, 9, 7), "front-matter")


def test_a_published_line_dates_an_article_without_front_matter(tmp_path: Path) -> None:
    article = load(tmp_path, "a.txt", "Kim and Kanye\n\nPublished: 7 September 2020\n\nKim said things.\n")
    assert (article.date, article.date_source, article.date_label) == (dt.date(2020, 9, 7), "published", "2020-09-07")


def test_a_dated_front_matter_url_dates_the_article(tmp_path: Path) -> None:
    article = load(tmp_path, "a.md", "---\ntitle: T\nurl: https://example.com/2020/09/07/kim\n---\nBody.\n")
    assert (article.date, article.date_source) == (dt.date(2020, 9, 7), "url")


def test_the_path_under_the_folder_dates_the_article_last(tmp_path: Path) -> None:
    article = load(tmp_path, "2020/09/07/story.txt", "Kim and Kanye\n\nBody of the story.\n")
    assert (article.date, article.date_source) == (dt.date(2020, 9, 7), "path")


def test_an_unreadable_front_matter_date_gives_way_to_a_found_one_and_is_kept(tmp_path: Path) -> None:
    article = load(tmp_path, "2020-09-07-x.md", "---\ntitle: T\ndate: the day after\n---\nBody.\n")
    assert (article.date, article.date_source, article.date_text) == (dt.date(2020, 9, 7), "path", "the day after")


def test_an_article_without_any_date_stays_undated(tmp_path: Path) -> None:
    article = load(tmp_path, "000_f0edc72787384ae1.txt", "Kim and Kanye\n\nIn October 2019 they met.\n")
    assert (article.date, article.date_source) == (None, None)


def test_a_canonical_link_in_the_text_is_the_articles_url(tmp_path: Path) -> None:
    article = load(tmp_path, "a.txt", "Kim and Kanye\n\nBody.\n\nOriginally published at https://people.com/kim-kanye.\n")
    assert article.url == "https://people.com/kim-kanye"
    assert article.outlet is None  # a link the text states does not name the outlet
    front = load(tmp_path, "b.md", "---\ntitle: T\nurl: https://a.com/x\n---\nCanonical URL: https://b.com/y\n")
    assert front.url == "https://a.com/x"


def test_a_link_that_is_not_a_web_address_is_not_detected(tmp_path: Path) -> None:
    article = load(tmp_path, "a.txt", "Kim\n\nCanonical URL: javascript:alert(1)\n\nSource: https://x.com/a\n")
    assert article.url is None
