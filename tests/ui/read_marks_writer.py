"""Marks articles read in a loop, printing each number once the mark is on disk (for the crash
test, which kills this process at random moments)."""

from __future__ import annotations

import sys
from pathlib import Path

from reader.ui.settings import update_read_marks


def main() -> None:
    root, prefix, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    print("ready", flush=True)
    for number in range(count):
        update_read_marks(root, {f"{prefix}-{number}": True, f"{prefix}-{number - 1}-unread": False})
        print(number, flush=True)


if __name__ == "__main__":
    main()
