"""Run as a process by the saved-search tests: saves searches in a loop, printing each acknowledgement.

``python saved_searches_writer.py DB PREFIX COUNT [PEERS]`` prints ``ready`` once the store is
open, then for each number N below COUNT saves the search ``PREFIX-N`` (query ``storm N``) as
opened in the folder ``corpus``, having listed ``PREFIX/N-0.txt`` … ``PREFIX/N-2.txt``, in one
``save`` call, then marks the search ``shared`` opened with ``PREFIX/N.txt`` and prints ``N TIME``
only after both returned (TIME: the system-wide monotonic clock when that save began; a time
taken after it could come later than a peer's whole run, had this process been descheduled).
With PEERS, after its first write it waits until PEERS writers in all have saved theirs, so they
go on writing together.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from reader.core.tags import TagStore
from reader.core.tags.saved_searches import SavedSearches

CORPUS = "corpus"
IDS_PER_SEARCH = 3


def ids_for(prefix: str, number: int) -> list[str]:
    return [f"{prefix}/{number}-{part}.txt" for part in range(IDS_PER_SEARCH)]


def wait_for_peers(saved: SavedSearches, peers: int) -> None:
    deadline = time.monotonic() + 60
    while len([search for search in saved.all() if search.name.endswith("-0")]) < peers:
        if time.monotonic() > deadline:
            raise SystemExit("the other writers never started")
        time.sleep(0.002)


def main(database: str, prefix: str, count: int, peers: int) -> None:
    store = TagStore(Path(database))
    saved = SavedSearches(store, CORPUS)
    saved.save("shared", "shared")  # every writer also rewrites one search they all share
    print("ready", flush=True)
    for number in range(count):
        began = time.monotonic()
        saved.save(f"{prefix}-{number}", f"storm {number}", seen=ids_for(prefix, number))
        saved.mark_opened("shared", [f"{prefix}/{number}.txt"])
        print(number, began, flush=True)
        if number == 0 and peers:
            wait_for_peers(saved, peers)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if sys.argv[4:] else 0)
