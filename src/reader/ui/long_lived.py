"""Keep the garbage collector off the objects a session holds for its whole length.

At 100k articles the app holds about 200k objects the collector tracks (a list row per
article, the widgets, their caches). A full collection walks every one of them: 100-170 ms
holding the GIL, every few seconds while the user types, and a search that meets one takes
that much longer. Frozen objects are left out of every collection; they are still freed as
soon as nothing refers to them, as list rows are when the list is read again.

With the session's objects frozen, the oldest generation the collector keeps is nearly empty,
and CPython then runs a full collection each time its young generations have filled 100
times: with the default 700 objects, every 70,000 containers made, about once per cold prefix
search at 100k (30 full collections of 30-120 ms in a 40-query typing run). A young generation
of ``YOUNG_OBJECTS`` lets a search's short-lived containers die by reference counting before
any collection looks at them, and a full collection comes once per 2 million.
"""

from __future__ import annotations

import gc

YOUNG_OBJECTS = 20_000
"""Containers made (less those freed) before a young collection: one walks them in ~2 ms."""


def settle_long_lived() -> None:
    """Collect once, then freeze whatever is still alive, and collect the young rarely.

    The collection first frees the cycles that died since the last settling (a frozen cycle
    that dies is only found then), so calling this at each reading of the list leaks nothing
    that the next one does not free."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, middle, oldest)
