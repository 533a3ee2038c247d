"""A policy bundle as the pure core sees it, without Neo4j.

`offline_world` builds the snapshot straight from the loader's `GraphContent`;
the principal and the facts of context items come from a small walk over that
content's edges, answering what `graph.facts` (PRINCIPAL_BY_KEY, ITEM_FACTS)
answers from the server: PART_OF / DERIVED_FROM up to HAS_LABEL, then
`engine.lineage.effective_labels`; grants from the roles' CAN_ACCESS edges.
tests/test_golden.py proves both give equal decisions for every golden case.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from engine.detect import Detector
from engine.errors import NotFound
from engine.lineage import Ancestry, Hop, RawLabelPath, effective_labels
from engine.model import AccessGrant, ItemFacts, Principal, Snapshot
from graph.content import RELATION_BY_KEY, GraphContent, relation
from graph.queries import LINEAGE_MAX_HOPS
from graph.snapshot import build_snapshot
from loaders.bundle import Bundle
from loaders.graph_mapping import to_graph

OFFLINE_VERSION = "offline"

# "Kind:id" -> outgoing lineage edges: (edge number, type, "Kind:id" target, removes)
_Lineage = dict[str, list[tuple[int, str, str, frozenset[str]]]]


@dataclass(frozen=True, slots=True)
class _Walk:
    """The content's edges indexed once for item facts."""

    kinds: dict[str, str]  # item id -> "Document" | "DataSource"
    lineage: _Lineage
    held: dict[str, list[str]]  # "Kind:id" -> labels it HAS_LABEL
    owner: dict[str, str]  # document id -> the data source it is PART_OF
    tenants: dict[str, str]  # data source / document id -> the tenant it BELONGS_TO


@dataclass(frozen=True, slots=True)
class OfflineWorld:
    bundle: Bundle
    content: GraphContent
    snapshot: Snapshot
    detector: Detector
    _walk: _Walk = field(repr=False, compare=False)

    def principal(self, principal_id: str) -> Principal:
        """The principal as the content declares it (tenant, roles, role permissions)."""
        row = next(
            (r for r in self.content.nodes.get("Principal", []) if r["id"] == principal_id), None
        )
        if row is None:
            known = ", ".join(sorted(self.content.ids("Principal"))) or "none"
            raise NotFound(f"no principal {principal_id!r} in the policy (known: {known})")
        roles = self._targets("Principal", "HAS_ROLE", "Role", principal_id)
        tenants = self._targets("Principal", "MEMBER_OF", "Tenant", principal_id)
        role_rows = [r for r in self.content.nodes.get("Role", []) if r["id"] in roles]
        permissions = {p for r in role_rows for p in r.get("permissions") or ()}
        # As graph.facts resolves it: the principal's own default, else its roles'
        # (the loader refuses roles that disagree).
        role_purposes = [r["default_purpose"] for r in role_rows if r.get("default_purpose")]
        return Principal(
            id=principal_id,
            tenant=tenants[0] if tenants else "",
            roles=frozenset(roles),
            name=str(row.get("name") or ""),
            permissions=frozenset(permissions),
            default_purpose=row.get("default_purpose") or min(role_purposes, default=None),
            record_prompts=any(
                bool(t.get("record_prompts"))
                for t in self.content.nodes.get("Tenant", [])
                if t["id"] in tenants[:1]
            ),
        )

    def principal_ids(self) -> list[str]:
        return sorted(self.content.ids("Principal"))

    def document_ids(self) -> list[str]:
        return sorted(self.content.ids("Document") | self.content.ids("DataSource"))

    def item_facts(
        self, ids: Sequence[str], roles: frozenset[str], tenant: str
    ) -> dict[str, ItemFacts]:
        """What ITEM_FACTS answers, from the content's edges (each edge at most once per
        path, at most LINEAGE_MAX_HOPS of them, to every node that HAS_LABEL).

        An item of another tenant (its own BELONGS_TO, else its data source's) is
        unknown to the caller, as in the graph."""
        walk = self._walk
        out: dict[str, ItemFacts] = {}
        for item_id in sorted(set(ids)):
            kind = walk.kinds.get(item_id)
            source = item_id if kind == "DataSource" else walk.owner.get(item_id, "")
            item_tenant = walk.tenants.get(item_id) or walk.tenants.get(source) or ""
            if kind is None or item_tenant not in ("", tenant):
                out[item_id] = ItemFacts(id=item_id, found=False)
                continue
            paths = _label_paths(walk, (f"{kind}:{item_id}",), (), frozenset())
            out[item_id] = ItemFacts(
                id=item_id,
                found=True,
                kind=kind,
                source=source,
                labels=effective_labels(paths, self.snapshot.label_ancestry),
                grants=self._grants(source, roles),
                tenant=item_tenant,
            )
        return out

    def facts_under(
        self, live: Mapping[str, ItemFacts], roles: frozenset[str], tenant: str
    ) -> dict[str, ItemFacts]:
        """Facts the serving graph gave (or a decision recorded), as this content would
        give them. Items the content declares are read from it whole; catalog documents
        (bulk data, never policy content) keep the labels the graph found and take this
        content's grants on their data source; facts the graph could not give stay so.
        Shadow, canary and replay decide a candidate on these."""
        declared = [i for i, f in live.items() if not f.unavailable and i in self._walk.kinds]
        out = dict(live) | self.item_facts(declared, roles, tenant)
        for item_id, facts in live.items():
            if item_id not in self._walk.kinds and facts.found and not facts.unavailable:
                out[item_id] = replace(facts, grants=self._grants(facts.source, roles))
        return out

    def _grants(self, source: str, roles: frozenset[str]) -> tuple[AccessGrant, ...]:
        access = self.content.edges.get(relation("Role", "CAN_ACCESS", "DataSource").key, [])
        grants: dict[str, set[str]] = {}
        for e in access:
            if e.target == source and e.source in roles:
                grants.setdefault(e.source, set()).update(e.props.get("purposes") or ())
        return tuple(AccessGrant(r, frozenset(p)) for r, p in sorted(grants.items()))

    def _targets(self, source: str, type_: str, target: str, of: str) -> list[str]:
        edges = self.content.edges.get(relation(source, type_, target).key, [])
        return sorted(e.target for e in edges if e.source == of)


def offline_world(bundle: Bundle, *, version: str = OFFLINE_VERSION) -> OfflineWorld:
    content = to_graph(bundle)
    snapshot = build_snapshot(content, version=version, content_hash=bundle.content_hash())
    return OfflineWorld(bundle, content, snapshot, Detector.for_snapshot(snapshot), _index(content))


def label_facts(
    item_id: str, label: str, ancestry: Ancestry, grants: Sequence[AccessGrant]
) -> ItemFacts:
    """A readable document that carries one label directly (impact probes)."""
    path = RawLabelPath(nodes=(f"Document:{item_id}",), hops=(), label=label)
    return ItemFacts(
        id=item_id,
        found=True,
        kind="Document",
        source=item_id,
        labels=effective_labels([path], ancestry),
        grants=tuple(grants),
    )


def _index(content: GraphContent) -> _Walk:
    kinds = {
        row["id"]: kind
        for kind in ("DataSource", "Document")
        for row in content.nodes.get(kind, [])
    }
    lineage: _Lineage = {}
    held: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    tenants: dict[str, str] = {}
    number = 0
    for key, edges in content.edges.items():
        rel = RELATION_BY_KEY[key]
        for e in edges:
            number += 1
            node = f"{rel.source}:{e.source}"
            if rel.type in ("PART_OF", "DERIVED_FROM"):
                removes = frozenset(e.props.get("removes") or ())
                lineage.setdefault(node, []).append(
                    (number, rel.type, f"{rel.target}:{e.target}", removes)
                )
            if rel.type == "PART_OF":
                owner[e.source] = e.target
            if rel.type == "HAS_LABEL":
                held.setdefault(node, []).append(e.target)
            if rel.type == "BELONGS_TO" and rel.source in ("DataSource", "Document"):
                tenants[e.source] = e.target
    return _Walk(kinds, lineage, held, owner, tenants)


def _label_paths(
    walk: _Walk, nodes: tuple[str, ...], hops: tuple[Hop, ...], used: frozenset[int]
) -> Iterator[RawLabelPath]:
    for label in walk.held.get(nodes[-1], ()):
        yield RawLabelPath(nodes=nodes, hops=hops, label=label)
    if len(hops) == LINEAGE_MAX_HOPS:
        return
    for edge_number, type_, target, removes in walk.lineage.get(nodes[-1], ()):
        if edge_number not in used:
            yield from _label_paths(
                walk, (*nodes, target), (*hops, Hop(type_, removes)), used | {edge_number}
            )
