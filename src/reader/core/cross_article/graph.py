"""Connected components, the one grouping rule shared by quote clusters and duplicate groups.

Links are stored pairwise; a group is whatever the links connect. Components are recomputed
only around what changed, by walking outwards from the touched nodes.
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


def walk_components(
    start: Collection[Node], links_touching: Callable[[Collection[Node]], Iterable[tuple[Node, Node]]]
) -> list[set[Node]]:
    """The components holding the ``start`` nodes, found by walking their links outwards.

    The walk goes a whole frontier at a time, so it costs a few queries per step of distance,
    not one per node.
    """
    seen = set(start)
    frontier: Collection[Node] = seen
    links: list[tuple[Node, Node]] = []
    while frontier:
        found = list(links_touching(frontier))
        links.extend(found)
        frontier = {node for link in found for node in link} - seen
        seen |= frontier
    return components(seen, links)
