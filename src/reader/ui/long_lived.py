"""Keep the garbage collector off the objects a session holds for its whole length.

At 100k articles the app holds about 200k objects the collector tracks (a list row per
article, the widgets, their caches). A full collection walks every one of them: 100-170 ms
holding the GIL, every few seconds while the user types, and a search that meets one takes
that much longer. Frozen objects are left out of every collection; they are still freed as
soon as nothing refers to them, as list rows are when the list is read again.
"""

from __future__ import annotations

import gc


def settle_long_lived() -> None:
    """Collect once, then freeze whatever is still alive.

    The collection first frees the cycles that died since the last settling (a frozen cycle
    that dies is only found then), so calling this at each reading of the list leaks nothing
    that the next one does not free."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
