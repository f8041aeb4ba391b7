"""A folder of hostile article files, built fresh for the reliability tests.

Every case is one entry of ``CASES``: a name, what the folder gets, and what ``reader`` must do
with it. ``CASES.md`` beside this file lists the same cases with their outcome for the notes.
"""

from __future__ import annotations

import codecs
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

HUGE_FILE_BYTES = 21 * 1024 * 1024  # over the 20 MB cap; sparse, so it costs nothing to make


class Expect(str, Enum):
    """What loading the folder must do with a case."""

    LOADED = "loaded"  # an article, no warning needed
    WARNED = "loaded with a warning"  # an article, plus a warning naming the file
    SKIPPED = "skipped"  # not an article; named once in the skipped list with its reason
    HIDDEN = "hidden"  # not read, but counted and named by ``reader check``


# Escape sequences a file may try to send to the terminal; none may reach it.
OSC_TITLE = "\x1b]0;PWNED-TITLE\x07"
OSC_LINK = "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\"
CLEAR_SCREEN = "\x1b[2J"
C1_CSI = "\x9b2J"
RLO = "\u202e"
MARKUP = "[/] [@click=app.quit]quit[/] [link=file:///etc/passwd]x[/link] [bold]bold"
# Payload text that would only appear in the terminal if an escape sequence got through.
INJECTED_PAYLOADS = ("PWNED-TITLE", "https://evil.example/")


@dataclass(frozen=True)
class Case:
    name: str  # also the case's file name stem, unless ``file_name`` says otherwise
    expect: Expect
    what: str  # one line for CASES.md
    make: Callable[[Path], None]  # writes the case under the folder
    file_name: str | None = None  # the path relative to the folder that the outcome names
    also: tuple[str, ...] = ()  # more paths of the same case with the same outcome

    @property
    def relative(self) -> str:
        return self.file_name if self.file_name is not None else f"{self.name}.md"

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.relative, *self.also)


def _write(relative: str, data: bytes | str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return make


def _symlink(relative: str, target: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        os.symlink(target, root / relative)

    return make


def _fifo(relative: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        os.mkfifo(root / relative)

    return make


def _socket(relative: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(str(root / relative))
        finally:
            server.close()

    return make


def _sparse(relative: str, size: int) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        with open(root / relative, "wb") as handle:
            handle.write(b"A headline\n\nBody.\n")
            handle.truncate(size)

    return make


def _folder_named_md(root: Path) -> None:
    (root / "folder.md").mkdir()
    (root / "folder.md" / "inside.txt").write_text("Inside a folder named folder.md\n\nBody text.\n")


def _hidden(root: Path) -> None:
    (root / ".hidden.md").write_text("A hidden file\n\nNever read.\n")
    (root / ".git").mkdir()
    (root / ".git" / "config.md").write_text("Inside a hidden folder\n\nNever read.\n")


def _loop_pair(root: Path) -> None:
    os.symlink("loop_b.md", root / "loop_a.md")
    os.symlink("loop_a.md", root / "loop_b.md")


def _folder_cycle(root: Path) -> None:
    (root / "cycle").mkdir()
    (root / "cycle" / "in_cycle.txt").write_text("A file in a folder with a cycle\n\nBody.\n")
    os.symlink("..", root / "cycle" / "back_up")


def _alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    return "---\n" + "\n".join(lines) + "\ntitle: Alias bomb\n---\nThe body of the alias bomb.\n"


_BAD_NAME = os.fsdecode(b"bad-\xff\xfe-bytes.txt")
_LONG_NAME = "long-" + "n" * 240 + ".txt"  # 249 bytes: near the 255-byte limit of most file systems

CASES: tuple[Case, ...] = (
    # Encodings
    Case("utf8_bom_front_matter", Expect.LOADED, "UTF-8 BOM before front matter: the front matter is still found",
         _write("utf8_bom_front_matter.md", codecs.BOM_UTF8 + b"---\ntitle: BOM title\ndate: 2021-02-03\n---\nBody after a BOM.\n")),
    Case("utf16_le", Expect.WARNED, "UTF-16 LE with BOM: decoded, noted",
         _write("utf16_le.md", codecs.BOM_UTF16_LE + "UTF-16 headline\n\nBody in UTF-16 “quoted”.\n".encode("utf-16-le"))),
    Case("utf16_be", Expect.WARNED, "UTF-16 BE with BOM: decoded, noted",
         _write("utf16_be.md", codecs.BOM_UTF16_BE + "UTF-16 BE headline\n\nBody.\n".encode("utf-16-be"))),
    Case("cp1252_pound", Expect.WARNED, "cp1252 bytes (a £ sign, curly quotes): decoded as cp1252, noted",
         _write("cp1252_pound.md", "Prices rise\n\nIt cost £40, “they said”.\n".encode("cp1252"))),
    Case("mixed_invalid_utf8", Expect.WARNED, "UTF-8 with stray invalid bytes: decoded by detection, noted",
         _write("mixed_invalid_utf8.md", "Mixed bytes headline\n\nCafé ".encode() + bytes(range(0x80, 0x100)) + b"\n")),
    Case("bom_then_bad_bytes", Expect.WARNED, "UTF-8 BOM followed by invalid UTF-8 bytes: replaced, noted",
         _write("bom_then_bad_bytes.md", codecs.BOM_UTF8 + b"BOM headline\n\nCaf\xe9 \xff\xfe.\n")),
    Case("utf16_without_bom", Expect.SKIPPED, "UTF-16 without a BOM: its NUL bytes read as binary, skipped",
         _write("utf16_without_bom.md", "No BOM headline\n\nBody text here.\n".encode("utf-16-le"))),
    Case("crlf_and_cr", Expect.LOADED, "CRLF and lone CR line ends: become newlines",
         _write("crlf_and_cr.md", b"CRLF headline\r\n\r\nFirst paragraph.\r\rSecond paragraph.\r\n")),
    # Front-matter attacks
    Case("deep_nesting", Expect.WARNED, "front matter nested 50,000 levels: refused before YAML sees it, kept as text",
         _write("deep_nesting.md", "---\nkey: " + "[" * 50_000 + "]" * 50_000 + "\n---\nBody of deep nesting.\n")),
    Case("nesting_1000", Expect.WARNED, "flow nesting 1,000 levels in a small block: refused by depth",
         _write("nesting_1000.md", "---\nkey: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n---\nBody.\n")),
    Case("deep_indent_nesting", Expect.WARNED, "front matter nested by indentation 200 levels: refused by depth",
         _write("deep_indent_nesting.md", "---\n" + "".join(" " * i + f"k{i}:\n" for i in range(200)) + "---\nBody.\n")),
    Case("alias_bomb", Expect.WARNED, "billion-laughs alias bomb: refused, kept as text",
         _write("alias_bomb.md", _alias_bomb())),
    Case("huge_front_matter", Expect.WARNED, "front matter of 200,000 characters: refused, kept as text",
         _write("huge_front_matter.md", "---\n" + "".join(f"key{i}: value\n" for i in range(20_000)) + "---\nBody.\n")),
    Case("front_matter_list", Expect.LOADED, "front matter that is a YAML list: kept as body text",
         _write("front_matter_list.md", "---\n- first item\n- second item\n---\nBody after a list.\n")),
    Case("front_matter_scalar", Expect.LOADED, "front matter that is a scalar: kept as body text",
         _write("front_matter_scalar.md", "---\nJust a sentence of prose.\n---\nBody after a scalar.\n")),
    Case("leading_rule", Expect.LOADED, "a --- horizontal rule at the top: not front matter, no text lost",
         _write("leading_rule.md", "---\n\nThe first paragraph after a rule.\n\n---\n\nThe second paragraph.\n")),
    Case("malformed_yaml", Expect.WARNED, "malformed YAML: loaded as text with a warning",
         _write("malformed_yaml.md", "---\ntitle: [unclosed\nauthor: : :\n---\nBody after bad YAML.\n")),
    Case("python_tag", Expect.WARNED, "YAML python/object tag on the title: field refused and named, title from the file name",
         _write("python_tag.md", "---\ntitle: !!python/object/apply:os.system ['touch PWNED']\n---\nBody.\n")),
    Case("yaml_1_1_values", Expect.LOADED, "NO, 012345, yes, 1e3 stay strings",
         _write("yaml_1_1_values.md", "---\ntitle: Norway\ncountry: NO\nzip: 012345\nflag: yes\nn: 1e3\n---\nBody.\n")),
    Case("unparseable_date", Expect.WARNED, "a date that is not a date: kept as text, warned",
         _write("unparseable_date.md", "---\ntitle: When\ndate: the day after tomorrow\n---\nBody.\n")),
    Case("yaml_escapes", Expect.LOADED, "YAML escapes make ESC, BEL, C1, NUL and RLO in values after clean-up: all defused",
         _write("yaml_escapes.md", '---\ntitle: "Esc \\e]0;PWNED-TITLE\\a \\x9b2J \\0 \\u202eevil"\n'
                'note: "\\e[2J\\u202e"\ntags: ["\\e]8;;https://evil.example/\\e\\\\t"]\n---\nBody.\n')),
    Case("link_schemes", Expect.WARNED, "front-matter url with javascript: scheme: not kept as a link, warned",
         _write("link_schemes.md", "---\ntitle: Links\nurl: javascript:alert(1)\nimage: file:///etc/passwd\n---\nBody.\n")),
    Case("file_url", Expect.WARNED, "front-matter url file:///etc/passwd: not kept as a link, warned",
         _write("file_url.md", "---\ntitle: File link\nlink: file:///etc/passwd\n---\nBody.\n")),
    Case("markup_in_tags", Expect.LOADED, "tags and author with markup: kept literally",
         _write("markup_in_tags.md", f"---\ntitle: Tags\nauthor: '[bold]Someone'\ntags: ['[/]', '[@click=app.quit]x']\n---\nBody {MARKUP}.\n")),
    # Special files
    Case("fifo", Expect.SKIPPED, "named pipe with an article name: skipped without blocking", _fifo("fifo.md")),
    Case("socket", Expect.SKIPPED, "Unix socket with an article name: skipped", _socket("socket.md")),
    Case("loop", Expect.SKIPPED, "symlink loop (two links to each other): both skipped", _loop_pair, "loop_a.md", ("loop_b.md",)),
    Case("passwd_link", Expect.SKIPPED, "symlink to /etc/passwd: not followed", _symlink("passwd_link.md", "/etc/passwd")),
    Case("dangling_link", Expect.SKIPPED, "dangling symlink: skipped", _symlink("dangling_link.md", "missing.md")),
    Case("inside_link", Expect.LOADED, "symlink to an article inside the folder: read",
         _symlink("inside_link.md", "crlf_and_cr.md")),
    Case("folder_md", Expect.LOADED, "a directory named folder.md: walked as a folder", _folder_named_md, "folder.md/inside.txt"),
    Case("folder_cycle", Expect.SKIPPED, "a symlink to a parent folder: not followed, no endless walk",
         _folder_cycle, "cycle/back_up"),
    Case("hidden", Expect.HIDDEN, "hidden files and folders: not read, counted and named", _hidden, ".hidden.md", (".git",)),
    # Odd file names
    Case("newline_name", Expect.LOADED, "newline in the file name", _write("new\nline.md", "Newline name\n\nBody.\n"), "new\nline.md"),
    Case("escape_name", Expect.LOADED, "OSC title sequence in the file name",
         _write("esc-\x1b]0;PWNED-TITLE\x07.md", "Escape name\n\nBody.\n"), "esc-\x1b]0;PWNED-TITLE\x07.md"),
    Case("bidi_name", Expect.LOADED, "RLO in the file name", _write(f"bidi-{RLO}dm.txt", "Bidi name\n\nBody.\n"), f"bidi-{RLO}dm.txt"),
    Case("bad_bytes_name", Expect.LOADED, "file name that is not valid UTF-8", _write(_BAD_NAME, "Bad bytes name\n\nBody.\n"), _BAD_NAME),
    Case("long_name", Expect.LOADED, "a 249-byte file name", _write(_LONG_NAME, "Long name\n\nBody.\n"), _LONG_NAME),
    Case("dash_name", Expect.LOADED, "a name starting with a dash", _write("-rf.md", "Dash name\n\nBody.\n"), "-rf.md"),
    # Sizes and content
    Case("huge", Expect.SKIPPED, "21 MB file: skipped as too large (sparse, so made in no time)", _sparse("huge.md", HUGE_FILE_BYTES)),
    Case("long_text", Expect.WARNED, "1.5 million characters on few lines: truncated for display, noted",
         _write("long_text.md", "Long text\n\n" + ("word " * 300_000) + "\n")),
    Case("empty", Expect.SKIPPED, "empty file: skipped", _write("empty.md", b"")),
    Case("blank", Expect.SKIPPED, "file of blank lines: skipped as empty", _write("blank.md", "\n \n\t\n")),
    Case("binary", Expect.SKIPPED, "binary bytes (a PNG header and NULs): skipped",
         _write("binary.md", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)),
    Case("nul_bytes", Expect.WARNED, "a few NUL bytes in text: shown as symbols, warned",
         _write("nul_bytes.md", b"NUL headline\n\nText with a NUL \x00 inside.\n")),
    # Markup and escape injection
    Case("markup_title", Expect.LOADED, "Rich/Textual markup in the title and body: kept literally",
         _write("markup_title.md", f"{MARKUP}\n\nBody with {MARKUP} inside.\n")),
    Case("escape_title", Expect.WARNED, "OSC 0 title, OSC 8 link, CSI 2J and C1 CSI in title and body: made visible",
         _write("escape_title.md", f"Title {OSC_TITLE} {CLEAR_SCREEN}\n\nBody {OSC_LINK} {CLEAR_SCREEN} {C1_CSI} end.\n")),
    Case("raw_c1_byte", Expect.WARNED, "a raw 0x9b byte (C1 CSI in Latin-1): decoded as cp1252, harmless",
         _write("raw_c1_byte.md", b"Raw C1 headline\n\nBody \x9b2J end.\n")),
    Case("rlo_text", Expect.WARNED, "RLO and isolates in title and body: removed",
         _write("rlo_text.md", f"Headline {RLO}desrever\u2066\n\nBody {RLO}txet\u2069.\n")),
)

# A file whose permissions make it unreadable; only meaningful for a user other than root.
UNREADABLE = Case("unreadable", Expect.SKIPPED, "a file without read permission: skipped (not as root)",
                  _write("unreadable.md", "Unreadable\n\nBody.\n"))


def build(root: Path, with_unreadable: bool = False, leave_out: frozenset[str] = frozenset()) -> tuple[Case, ...]:
    """Write every case (but those named in ``leave_out``) under ``root``; return those made."""
    made: list[Case] = []
    for case in (*CASES, UNREADABLE) if with_unreadable else CASES:
        if case.name in leave_out:
            continue
        try:
            case.make(root)
        except OSError as error:
            if case.name == "socket":  # a socket path may be too long on some systems
                continue
            raise error
        made.append(case)
    if with_unreadable:
        (root / UNREADABLE.relative).chmod(0)
    return tuple(made)
