"""Run as a process by the tag store tests: tags articles in a loop, printing each acknowledgement.

``python tags_writer.py DB PREFIX COUNT [PEERS]`` prints ``ready`` once the store is open, then
for each number N below COUNT adds the tags ``PREFIX-N-a`` and ``PREFIX-N-b`` to three articles
of its own and to one article every writer shares, in one ``add`` call, and prints ``N TIME``
only after it returned (TIME: the system-wide monotonic clock). With PEERS, after its first
write it waits until PEERS writers in all have written theirs, so they go on writing together.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from reader.core.fingerprint import fingerprint
from reader.core.tags import TagStore

SHARED_PATH = Path("/corpus/shared.txt")
SHARED_TEXT = "An article every writer tags."
ARTICLES_PER_WRITE = 3


@dataclass(frozen=True)
class Ref:
    path: Path
    fingerprint: str


def refs_for(prefix: str, number: int) -> list[Ref]:
    own = [
        Ref(Path(f"/corpus/{prefix}/{number}-{part}.txt"), fingerprint(f"{prefix} {number} {part}"))
        for part in range(ARTICLES_PER_WRITE)
    ]
    return [*own, Ref(SHARED_PATH, fingerprint(SHARED_TEXT))]


def wait_for_peers(store: TagStore, peers: int) -> None:
    shared = Ref(SHARED_PATH, fingerprint(SHARED_TEXT))
    deadline = time.monotonic() + 60
    while len([tag for tag in store.tags_for(shared) if tag.endswith("-0-a")]) < peers:
        if time.monotonic() > deadline:
            raise SystemExit("the other writers never started")
        time.sleep(0.002)


def main(database: str, prefix: str, count: int, peers: int) -> None:
    store = TagStore(Path(database))
    print("ready", flush=True)
    for number in range(count):
        store.add(refs_for(prefix, number), [f"{prefix}-{number}-a", f"{prefix}-{number}-b"])
        print(number, time.monotonic(), flush=True)
        if number == 0 and peers:
            wait_for_peers(store, peers)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if sys.argv[4:] else 0)
