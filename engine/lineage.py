"""Label inheritance along lineage: which labels an item carries, and why.

An item (Document or DataSource) carries a label when a path leads from it,
through PART_OF and DERIVED_FROM edges, to a node that HAS_LABEL that label,
unless a DERIVED_FROM edge on the way declares that its transform removes the
label or one of the label's ancestors (removing `pii` removes `contact_info`).
Label ancestors (SUBLABEL_OF) are implied: carrying `contact_info` means
carrying `pii` too. The graph returns raw paths, or the upstream subgraph of an
item (`Upstream`, from which `label_paths` finds the paths worth keeping); this
module decides, purely.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from engine.model import LabelEvidence


@dataclass(frozen=True, slots=True)
class Hop:
    """One edge on a raw path: its type and the labels it removes (DERIVED_FROM only)."""

    type: str
    removes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RawLabelPath:
    """item -[hops]-> holder -[HAS_LABEL]-> label, as the graph found it."""

    nodes: tuple[str, ...]  # "Kind:id", item first, label holder last
    hops: tuple[Hop, ...]  # len(nodes) - 1 edges between them
    label: str


@dataclass(frozen=True, slots=True)
class UpstreamEdge:
    """A PART_OF or DERIVED_FROM edge in an item's upstream subgraph."""

    target: str  # "Kind:id"
    hop: Hop


@dataclass(frozen=True, slots=True)
class UpstreamNode:
    retired: bool = False
    labels: tuple[str, ...] = ()  # what the node HAS_LABEL itself
    out: tuple[UpstreamEdge, ...] = ()


@dataclass(frozen=True, slots=True)
class Upstream:
    """Every node an item reaches along PART_OF/DERIVED_FROM (itself included), each
    once, with its own labels and outgoing lineage edges.

    The graph finds this set breadth-first, so its size is the number of nodes
    upstream, whereas the number of paths through a lineage DAG grows exponentially
    with its depth (a 20,000-document catalog already has items with thousands).
    """

    item: str  # "Kind:id"
    nodes: Mapping[str, UpstreamNode] = field(default_factory=dict)


Ancestry = Callable[[str], tuple[str, ...]]
"""label id -> the label and its ancestors, nearest first (Snapshot.label_ancestry)."""


def survives(path: RawLabelPath, ancestry: Ancestry) -> bool:
    """False when a transform on the path removes the label or one of its ancestors."""
    family = set(ancestry(path.label))
    return not any(hop.removes & family for hop in path.hops)


def effective_labels(
    paths: Iterable[RawLabelPath], ancestry: Ancestry
) -> tuple[LabelEvidence, ...]:
    """One justification per effective label: the shortest surviving path, then ancestors.

    Ancestors get the path of their descendant extended with SUBLABEL_OF hops, so
    the reason a request counts as `pii` still reads end to end.
    """
    best: dict[str, LabelEvidence] = {}

    def order(path: RawLabelPath) -> tuple[int, tuple[str, ...], tuple[str, ...], str]:
        return len(path.nodes), path.nodes, tuple(h.type for h in path.hops), path.label

    for path in sorted(paths, key=order):
        if not survives(path, ancestry):
            continue
        chain: list[str] = []
        for node, hop in zip(path.nodes, path.hops, strict=False):
            chain += [node, hop.type]
        chain += [path.nodes[-1], "HAS_LABEL", f"SensitivityLabel:{path.label}"]
        family = ancestry(path.label)
        for depth, label in enumerate(family):
            extended = tuple(chain)
            for ancestor in family[1 : depth + 1]:
                extended += ("SUBLABEL_OF", f"SensitivityLabel:{ancestor}")
            current = best.get(label)
            if current is None or len(extended) < len(current.path):
                best[label] = LabelEvidence(label=label, path=extended)
    return tuple(sorted(best.values(), key=lambda e: e.label))


def label_paths(upstream: Upstream, ancestry: Ancestry, max_hops: int) -> list[RawLabelPath]:
    """Per label held upstream, the path `effective_labels` would pick among all raw
    paths: the shortest one that survives (no retired node, no hop removing the label's
    family, at most `max_hops` hops), the first by node ids among equals.

    Both passes are breadth-first, once per label, over the edges that label may cross.
    """
    held: dict[str, set[str]] = {}
    for key, node in upstream.nodes.items():
        if not node.retired:
            for label in node.labels:
                held.setdefault(label, set()).add(key)
    paths = []
    for label in sorted(held):
        path = _shortest_path(upstream, held[label], frozenset(ancestry(label)), max_hops)
        if path is not None:
            paths.append(RawLabelPath(nodes=path[0], hops=path[1], label=label))
    return paths


def _shortest_path(
    upstream: Upstream, targets: set[str], family: frozenset[str], max_hops: int
) -> tuple[tuple[str, ...], tuple[Hop, ...]] | None:
    def crossable(edge: UpstreamEdge) -> bool:
        node = upstream.nodes.get(edge.target)
        return node is not None and not node.retired and not edge.hop.removes & family

    # Distances from the item, then (walking back over the same edges) to a target.
    start = upstream.item
    if start not in upstream.nodes or upstream.nodes[start].retired:
        return None
    reached = {start: 0}
    incoming: dict[str, list[str]] = {}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        if reached[key] == max_hops:
            continue
        for edge in upstream.nodes[key].out:
            if crossable(edge):
                incoming.setdefault(edge.target, []).append(key)
                if edge.target not in reached:
                    reached[edge.target] = reached[key] + 1
                    queue.append(edge.target)
    to_target = {key: 0 for key in targets if key in reached}
    queue = deque(to_target)
    while queue:
        key = queue.popleft()
        for previous in incoming.get(key, ()):
            if previous not in to_target:
                to_target[previous] = to_target[key] + 1
                queue.append(previous)
    if start not in to_target:
        return None
    # Greedy from the item: the smallest next node that still leads to a target in
    # the fewest hops gives the lexicographically first of the shortest paths; between
    # parallel edges to it, the first type (effective_labels' order).
    nodes, hops = [start], []
    while to_target[nodes[-1]]:
        remaining = to_target[nodes[-1]]
        steps = [
            e
            for e in upstream.nodes[nodes[-1]].out
            if crossable(e) and to_target.get(e.target) == remaining - 1
        ]
        target = min(e.target for e in steps)
        edge = min((e for e in steps if e.target == target), key=lambda e: e.hop.type)
        nodes.append(edge.target)
        hops.append(edge.hop)
    return tuple(nodes), tuple(hops)
