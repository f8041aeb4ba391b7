"""A minimal word-level edit script between two quotes: Myers' diff with a step budget.

Tags are one per word: ``KEEP`` (in both), ``REMOVE`` (only in the earlier), ``INSERT`` (only in
the later). Myers' greedy algorithm costs O((N+M)·D) for D edits, near linear for copies of one
quote; past the budget the differing middle becomes one replacement, still a correct script.
"""

from __future__ import annotations

from collections.abc import Sequence

KEEP, REMOVE, INSERT = "=", "-", "+"


def edit_script(earlier: Sequence[str], later: Sequence[str], budget: int) -> list[str]:
    """A minimal edit script from ``earlier`` to ``later``: a tag per kept, removed or inserted word.

    The common start and end are kept first (the usual case: a change or two inside a long
    quote); past the step budget the middle becomes one replacement.
    """
    head = 0
    while head < min(len(earlier), len(later)) and earlier[head] == later[head]:
        head += 1
    tail = 0
    while tail < min(len(earlier), len(later)) - head and earlier[-1 - tail] == later[-1 - tail]:
        tail += 1
    middle_earlier = earlier[head : len(earlier) - tail]
    middle_later = later[head : len(later) - tail]
    middle = _myers(middle_earlier, middle_later, budget)
    if middle is None:
        middle = [REMOVE] * len(middle_earlier) + [INSERT] * len(middle_later)
    return [KEEP] * head + middle + [KEEP] * tail


def _myers(earlier: Sequence[str], later: Sequence[str], budget: int) -> list[str] | None:
    """Myers' greedy shortest edit script, or None when it would take more than ``budget`` steps.

    ``furthest[k]`` is how far along ``earlier`` the best path on diagonal k (x - y) reaches; a
    copy of it is kept per edit count to walk the path back.
    """
    n, m = len(earlier), len(later)
    if not n or not m:
        return [REMOVE] * n + [INSERT] * m
    offset = n + m + 1
    furthest = [0] * (2 * offset + 1)
    trace: list[list[int]] = []
    steps = 0
    for edits in range(n + m + 1):
        trace.append(furthest[offset - edits : offset + edits + 1])
        for diagonal in range(-edits, edits + 1, 2):
            x = _step(furthest, offset, diagonal, edits)
            start = x
            while x < n and x - diagonal < m and earlier[x] == later[x - diagonal]:
                x += 1
            furthest[offset + diagonal] = x
            steps += x - start + 1
            if x >= n and x - diagonal >= m:
                return _walk_back(trace, n, m)
        steps += edits
        if steps > budget:
            return None
    raise AssertionError("unreachable: n + m edits always suffice")


def _step(furthest: Sequence[int], offset: int, diagonal: int, edits: int) -> int:
    """Where diagonal ``diagonal`` starts with one more edit: from above (insert) or the left (remove)."""
    if diagonal == -edits or (
        diagonal != edits and furthest[offset + diagonal - 1] < furthest[offset + diagonal + 1]
    ):
        return furthest[offset + diagonal + 1]
    return furthest[offset + diagonal - 1] + 1


def _walk_back(trace: Sequence[Sequence[int]], n: int, m: int) -> list[str]:
    """Recover the edit script from the saved frontiers, last edit first."""
    x, y = n, m
    tags: list[str] = []
    for edits in range(len(trace) - 1, 0, -1):
        frontier = trace[edits]  # the frontier before this edit, indexed by diagonal + edits
        diagonal = x - y
        previous = _previous_diagonal(frontier, diagonal, edits)
        previous_x = frontier[previous + edits]
        previous_y = previous_x - previous
        while x > previous_x and y > previous_y:
            tags.append(KEEP)
            x, y = x - 1, y - 1
        tags.append(INSERT if x == previous_x else REMOVE)
        x, y = previous_x, previous_y
    tags.extend(KEEP * x)
    tags.reverse()
    return tags


def _previous_diagonal(frontier: Sequence[int], diagonal: int, edits: int) -> int:
    if diagonal == -edits or (diagonal != edits and frontier[diagonal - 1 + edits] < frontier[diagonal + 1 + edits]):
        return diagonal + 1
    return diagonal - 1


def slide_to_ends(tags: list[str], earlier: Sequence[str], later: Sequence[str]) -> list[str]:
    """Move a first or last run of only removals (or only insertions) to the quote's end it can reach.

    Minimal scripts can tie: "the man said the plan" to "the plan" removes "man said the" as
    well as "the man said"; the second is a cut at the start, not a change inside the quote.
    """
    runs = _tag_runs(tags)
    if runs and runs[0][0] > 0:
        tags = _slide_first_run(tags, runs[0][0], earlier, later)
        runs = _tag_runs(tags)
    if runs and runs[-1][0] > 0 and runs[-1][1] < len(tags):
        backwards = _slide_first_run(tags[::-1], len(tags) - runs[-1][1], earlier[::-1], later[::-1])
        tags = backwards[::-1]
    return tags


def _tag_runs(tags: Sequence[str]) -> list[tuple[int, int]]:
    """Where the runs of edits stand in a script: (first tag, past the last tag)."""
    runs: list[tuple[int, int]] = []
    for index, tag in enumerate(tags):
        if tag == KEEP:
            continue
        if runs and runs[-1][1] == index:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs


def _slide_first_run(tags: list[str], start: int, earlier: Sequence[str], later: Sequence[str]) -> list[str]:
    """Slide the run of edits after the first ``start`` kept words to the very start, if it is all
    removals or all insertions and the kept words repeat at its end (so the script stays minimal)."""
    end = start
    while end < len(tags) and tags[end] != KEEP:
        end += 1
    kinds = set(tags[start:end])
    if start == 0 or len(kinds) != 1:
        return tags
    words = earlier if kinds == {REMOVE} else later
    length = end - start
    if list(words[:start]) != list(words[length : length + start]):
        return tags
    return [*tags[start:end], *tags[:start], *tags[end:]]
