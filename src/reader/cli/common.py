"""What every command shares: the corpus argument, exit codes, one-line errors, JSON output."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from reader.core.paths import bundled_seeds
from reader.core.text import visible

if TYPE_CHECKING:
    from reader.core.models import Article

EXIT_OK = 0
EXIT_SKIPPED = 1  # it ran, but some input was skipped (or nothing could be done with it)
EXIT_USAGE = 2


class ReaderArgumentParser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line and exits with status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class UsageError(Exception):
    """A problem with what the user asked for; reported in one line, exit status 2."""


def _existing_path(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such file or folder: {value}")
    return path


def add_corpus_argument(parser: argparse.ArgumentParser) -> None:
    """The corpus as the positional PATH (``reader``, ``reader index``, ``reader check``)."""
    parser.add_argument(
        "path",
        nargs="?",
        type=_existing_path,
        default=None,
        metavar="PATH",
        help="folder (or single file) of articles; default: the bundled sample articles",
    )


def add_path_option(parser: argparse.ArgumentParser) -> None:
    """The corpus as ``--path PATH`` (every other command that reads a whole corpus)."""
    parser.add_argument(
        "--path",
        type=_existing_path,
        default=None,
        metavar="PATH",
        help="folder of articles; default: the bundled sample articles",
    )


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def corpus_path(options: argparse.Namespace) -> Path:
    """The corpus the user chose, or the bundled seeds."""
    return (options.path or bundled_seeds()).expanduser().resolve()


# JSON escapes C0 controls itself; these it would print raw: DEL, C1 controls, bidi controls,
# and the lone surrogates a file name with invalid UTF-8 bytes decodes to.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def print_json(value: Any) -> None:
    """One JSON document (or JSON line) on stdout, UTF-8, readable text but no terminal controls."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    print(_JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text))


def warn(message: str) -> None:
    """One sanitised line on stderr."""
    print(f"reader: {visible(message, limit=1000)}", file=sys.stderr)


def run_guarded(run: Callable[[argparse.Namespace], int], options: argparse.Namespace) -> int:
    """Run a command; turn any failure into one readable line and a meaningful exit status."""
    try:
        return run(options)
    except UsageError as error:
        warn(f"error: {error}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (``reader search x | head``): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        warn(f"error: {error.strerror or error}{where}")
        return EXIT_SKIPPED
    except Exception as error:
        if os.environ.get("READER_DEBUG"):
            raise
        warn(f"internal error: {type(error).__name__}: {error} (set READER_DEBUG=1 for details)")
        return EXIT_SKIPPED


def existing_path(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.exists():
        raise UsageError(f"no such file or folder: {text}")
    return path.resolve()


def load_file(text: str) -> Article | None:
    """The article in the file, or None after saying in one line why it cannot be read."""
    from reader.core.loader import load_article  # only the commands that read a file load it
    from reader.core.models import LoadIssue

    path = existing_path(text)
    if path.is_dir():
        raise UsageError(f"{text} is a folder; give one article file")
    loaded = load_article(path, path.parent)
    if isinstance(loaded, LoadIssue):
        warn(f"error: {loaded}")
        return None
    return loaded
