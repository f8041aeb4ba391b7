"""Connected components, the one grouping rule shared by quote clusters and duplicate groups.

Links are stored pairwise; a group is whatever the links connect. Components are recomputed
only around what changed (a walk from the touched nodes), or all at once after a large batch.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable
from typing import TypeVar

Node = TypeVar("Node", bound=Hashable)


def components(nodes: Iterable[Node], links: Iterable[tuple[Node, Node]]) -> list[set[Node]]:
    """All connected components of a graph (union-find), isolated nodes included."""
    parent: dict[Node, Node] = {node: node for node in nodes}

    def root(node: Node) -> Node:
        top = node
        while parent[top] != top:
            top = parent[top]
        while parent[node] != top:
            parent[node], node = top, parent[node]
        return top

    for first, second in links:
        parent.setdefault(first, first)
        parent.setdefault(second, second)
        first_root, second_root = root(first), root(second)
        if first_root != second_root:
            parent[second_root] = first_root
    groups: dict[Node, set[Node]] = {}
    for node in parent:
        groups.setdefault(root(node), set()).add(node)
    return list(groups.values())


def groups_around(
    touched: Collection[Node],
    links_touching: Callable[[Collection[Node]], Iterable[tuple[Node, Node]]],
    everything: Callable[[], tuple[Iterable[Node], Iterable[tuple[Node, Node]]]],
    limit: int = 20_000,
) -> list[set[Node]]:
    """The components holding the touched nodes (and only those), found by walking links.

    The walk goes a whole frontier at a time, so a batch of touched nodes costs a few queries,
    not one per node. When it reaches more than ``limit`` nodes (a first build), one pass over
    ``everything`` (every node and link) is cheaper, and every component is returned.
    """
    seen = set(touched)
    frontier: Collection[Node] = seen
    links: list[tuple[Node, Node]] = []
    while frontier:
        found = list(links_touching(frontier))
        links.extend(found)
        frontier = {node for link in found for node in link} - seen
        seen |= frontier
        if len(seen) > limit:
            nodes, every_link = everything()
            return components(nodes, every_link)
    return components(seen, links)
