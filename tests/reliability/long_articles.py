"""Articles made of long unbroken tokens, built into a folder (tests and the benchmark share them).

Each is literal text a scraper really leaves behind: one word of 900,000 characters, a base64
image inline, minified script, a list of very long links, runs of one character, and a page
of one-letter words. The blob article also has a plain paragraph with a quote and a word to
search for, so n/N and the quote highlighting are exercised next to the blob.
"""

from __future__ import annotations

import base64
import random
from pathlib import Path

ONE_WORD_CHARS = 900_000
SEARCH_WORD = "council"


def _script(rng: random.Random, chars: int) -> str:
    pieces = ["var a=1;", "function(b){return b+1};", "if(x){y()}else{z()};", '"str",', "'q'", "{a:[1,2,3]}"]
    out: list[str] = []
    size = 0
    while size < chars:
        piece = rng.choice(pieces)
        out.append(piece)
        size += len(piece)
    return "".join(out)


def long_articles(scale: float = 1.0) -> dict[str, str]:
    """File name -> text. ``scale`` shrinks everything but the 900,000-character word."""
    rng = random.Random(14)
    blob = base64.b64encode(rng.randbytes(int(300_000 * scale))).decode("ascii")
    link = "https://example.com/track?" + "&".join(f"utm_{i}=abcdefgh" for i in range(150))
    return {
        "one_word.txt": "One word\n\n" + "x" * ONE_WORD_CHARS + "\n",
        "base64_blob.md": (
            "---\ntitle: The chart the council published\n---\n\n"
            f"The {SEARCH_WORD} said on Monday it would publish the chart.\n\n"
            f"![chart](data:image/png;base64,{blob})\n\n"
            f"“We will act,” the {SEARCH_WORD} leader said. The {SEARCH_WORD} meets again in May.\n"
        ),
        "minified_script.txt": "Minified script\n\n<script>" + _script(rng, int(200_000 * scale)) + "</script>\n",
        "long_links.txt": "Links\n\n" + "\n".join(f"{link}&n={i}" for i in range(int(100 * scale))) + "\n",
        "runs.txt": (
            "Runs of one character\n\n"
            + "=" * int(200_000 * scale)
            + "\n\n"
            + "!" * int(100_000 * scale)
            + "\n\n"
            + "a " * int(100_000 * scale)
            + "\n"
        ),
    }


def build(root: Path, scale: float = 1.0) -> dict[str, str]:
    """Write the articles into ``root``; return what was written."""
    articles = long_articles(scale)
    root.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (root / name).write_text(text, encoding="utf-8")
    return articles
