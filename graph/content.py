"""Policy content as graph rows: what a load writes and what a snapshot reads.

Loaders (YAML, RDF) turn a validated bundle into `GraphContent`; graph.store
writes it in one transaction; graph.store also reads it back in the same shape,
which is what snapshots and RDF export are built from. Nodes are keyed by kind
(the Neo4j label), edges by their `Relation` (from kind, type, to kind).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, LiteralString

# Node kinds a policy load owns (Decision and PolicySet are written elsewhere).
POLICY_NODE_LABELS: tuple[LiteralString, ...] = (
    "Tenant",
    "Purpose",
    "Role",
    "Principal",
    "ApiKey",
    "Jurisdiction",
    "Region",
    "Certification",
    "Capability",
    "SensitivityLabel",
    "EntityType",
    "DataSource",
    "Document",
    "Intent",
    "ThreatCategory",
    "Provider",
    "Model",
    "Policy",
    # the `detection:` settings (loaders/detection_spec.py)
    "DetectionSettings",
    "DetectionRecognizer",
    "ValueList",
    # the `drift:` settings (loaders/drift_spec.py)
    "DriftSettings",
    "DriftLimit",
    # the `governance:` settings (loaders/governance_spec.py)
    "GovernanceSettings",
)


@dataclass(frozen=True, slots=True)
class Relation:
    source: LiteralString
    type: LiteralString
    target: LiteralString

    @property
    def key(self) -> str:
        return f"{self.source}-{self.type}->{self.target}"


# Every structural edge a policy load owns, by the kinds at each end.
RELATIONS: tuple[Relation, ...] = (
    Relation("Principal", "MEMBER_OF", "Tenant"),
    # Tenant scope: an item without this edge is shared by every tenant (a value list
    # without one applies to every tenant's requests and answers).
    Relation("DataSource", "BELONGS_TO", "Tenant"),
    Relation("Document", "BELONGS_TO", "Tenant"),
    Relation("Role", "BELONGS_TO", "Tenant"),
    Relation("Intent", "BELONGS_TO", "Tenant"),
    Relation("Policy", "BELONGS_TO", "Tenant"),
    Relation("ValueList", "BELONGS_TO", "Tenant"),
    Relation("Principal", "HAS_ROLE", "Role"),
    Relation("ApiKey", "IDENTIFIES", "Principal"),
    Relation("Role", "CAN_ACCESS", "DataSource"),
    Relation("Region", "IN", "Jurisdiction"),
    Relation("SensitivityLabel", "SUBLABEL_OF", "SensitivityLabel"),
    Relation("EntityType", "INDICATES", "SensitivityLabel"),
    Relation("DataSource", "RESIDES_IN", "Region"),
    Relation("DataSource", "HAS_LABEL", "SensitivityLabel"),
    Relation("DataSource", "DERIVED_FROM", "DataSource"),
    Relation("DataSource", "DERIVED_FROM", "Document"),
    Relation("Document", "PART_OF", "DataSource"),
    Relation("Document", "HAS_LABEL", "SensitivityLabel"),
    Relation("Document", "DERIVED_FROM", "DataSource"),
    Relation("Document", "DERIVED_FROM", "Document"),
    Relation("Intent", "REQUIRES", "Capability"),
    Relation("Provider", "HOSTED_IN", "Region"),
    Relation("Provider", "HOLDS", "Certification"),
    Relation("Model", "OFFERED_BY", "Provider"),
    Relation("Model", "HAS_CAPABILITY", "Capability"),
    Relation("Policy", "APPLIES_TO", "Intent"),
    Relation("Policy", "APPLIES_TO", "Role"),
    Relation("Policy", "APPLIES_TO", "Tenant"),
    Relation("Policy", "GOVERNS", "SensitivityLabel"),
    Relation("Policy", "REQUIRES_CERTIFICATION", "Certification"),
    Relation("Policy", "RESTRICTS_TO", "Jurisdiction"),
    Relation("Policy", "RESTRICTS_TO", "Region"),
    Relation("Policy", "FORBIDS", "Provider"),
    Relation("Policy", "FORBIDS", "Model"),
    Relation("Policy", "PREFERS", "Model"),
    Relation("Policy", "PREFERS", "Provider"),
    Relation("DetectionRecognizer", "DETECTS", "EntityType"),
    Relation("ValueList", "MARKS", "EntityType"),
)

RELATION_BY_KEY: Mapping[str, Relation] = {r.key: r for r in RELATIONS}

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    props: Row = field(default_factory=dict)


@dataclass(slots=True)
class GraphContent:
    """Rows per node kind (each with an `id`) and edges per relation key."""

    nodes: dict[str, list[Row]] = field(default_factory=dict)
    edges: dict[str, list[Edge]] = field(default_factory=dict)

    def add_node(self, kind: str, row: Row) -> None:
        self.nodes.setdefault(kind, []).append(row)

    def add_edge(self, relation: Relation, source: str, target: str, **props: Any) -> None:
        self.edges.setdefault(relation.key, []).append(Edge(source, target, props))

    def ids(self, kind: str) -> set[str]:
        return {row["id"] for row in self.nodes.get(kind, [])}

    def count(self) -> tuple[int, int]:
        return (
            sum(len(rows) for rows in self.nodes.values()),
            sum(len(edges) for edges in self.edges.values()),
        )


def relation(source: str, type_: str, target: str) -> Relation:
    return RELATION_BY_KEY[f"{source}-{type_}->{target}"]
