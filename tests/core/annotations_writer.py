"""Run as a process by the highlight store tests: highlights sentences in a loop, printing each
acknowledgement.

``python annotations_writer.py DB PREFIX COUNT [PEERS]`` prints ``ready`` once the store is open,
then for each number N below COUNT highlights sentence N of an article of its own with the note
``PREFIX-N`` (for an odd N the highlight spans sentences N-1 and N, so it is merged with the one
before: a delete and an insert in one transaction), and sentence N of an article every writer
shares with the note ``PREFIX-N-shared``; it prints ``N TIME`` only after both returned. With
PEERS, after its first write it waits until PEERS writers in all have written theirs.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from reader.core.fingerprint import fingerprint
from reader.core.tags import TagStore

SHARED_PATH = Path("/corpus/shared.txt")
SENTENCES = 400  # more than any run writes before it is killed


@dataclass(frozen=True)
class Ref:
    path: Path
    text: str
    fingerprint: str
    title: str = "An article"
    outlet: str | None = None
    date_label: str = ""


def article_text(name: str) -> str:
    return " ".join(f"Sentence {number} of {name} is here." for number in range(SENTENCES))


def sentence(text: str, name: str, number: int) -> tuple[int, int]:
    start = text.index(f"Sentence {number} of {name} ")
    return start, text.index(".", start) + 1


def own_article(prefix: str) -> Ref:
    text = article_text(prefix)
    return Ref(Path(f"/corpus/{prefix}.txt"), text, fingerprint(text))


def shared_article() -> Ref:
    text = article_text("everyone")
    return Ref(SHARED_PATH, text, fingerprint(text))


def slot(name: str, peers: int, number: int) -> int:
    """The shared article's sentence a writer highlights at its write ``number``: never another's."""
    lane = int(name.rsplit("-", 1)[-1]) if name.rsplit("-", 1)[-1].isdigit() else 0
    return number * max(peers, 1) + lane


def wait_for_peers(store: TagStore, peers: int) -> None:
    deadline = time.monotonic() + 60
    while len(store.annotations.annotations_for(shared_article()).highlights) < peers:
        if time.monotonic() > deadline:
            raise SystemExit("the other writers never started")
        time.sleep(0.002)


def main(database: str, prefix: str, count: int, peers: int) -> None:
    store = TagStore(Path(database))
    own, shared = own_article(prefix), shared_article()
    print("ready", flush=True)
    for number in range(count):
        start, end = sentence(own.text, prefix, number)
        if number % 2:
            start = sentence(own.text, prefix, number - 1)[0]
        store.annotations.add_highlight(own, start, end, f"{prefix}-{number}")
        start, end = sentence(shared.text, "everyone", slot(prefix, peers, number))
        store.annotations.add_highlight(shared, start, end, f"{prefix}-{number}-shared")
        print(number, time.monotonic(), flush=True)
        if number == 0 and peers:
            wait_for_peers(store, peers)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if sys.argv[4:] else 0)
