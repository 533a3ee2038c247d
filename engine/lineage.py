"""Label inheritance along lineage: which labels an item carries, and why.

An item (Document or DataSource) carries a label when a path leads from it,
through PART_OF and DERIVED_FROM edges, to a node that HAS_LABEL that label,
unless a DERIVED_FROM edge on the way declares that its transform removes the
label or one of the label's ancestors (removing `pii` removes `contact_info`).
Label ancestors (SUBLABEL_OF) are implied: carrying `contact_info` means
carrying `pii` too. The graph returns raw paths; this module decides, purely.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

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
    for path in sorted(paths, key=lambda p: (len(p.nodes), p.nodes, p.label)):
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
