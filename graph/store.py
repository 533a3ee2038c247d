"""Reading and writing policy content and PolicySet versions.

A policy load is declarative: the content is the whole truth for the node kinds
a load owns. Applying it upserts every node, retires the ones that disappeared
(retired, not deleted, so past decisions keep their provenance), replaces the
structural edges, and records a new active PolicySet, all in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction

from engine.errors import Conflict, InvalidPolicyData, NotFound, Problem
from graph import lifecycle_queries, queries
from graph.connection import GraphClient, records
from graph.content import POLICY_NODE_LABELS, RELATIONS, Edge, GraphContent


@dataclass(frozen=True, slots=True)
class PolicySetInfo:
    id: str
    version: int
    content_hash: str
    author: str
    message: str
    created_at: str
    status: str
    node_count: int = 0
    edge_count: int = 0
    kind: str = "policy"  # or "catalog": a bulk catalog load (never 'active')


@dataclass(frozen=True, slots=True)
class LoadOutcome:
    changed: bool
    policy_set: PolicySetInfo | None
    nodes: int
    edges: int
    retired: int = 0


def active_policy_set(client: GraphClient) -> PolicySetInfo | None:
    rows = client.read(records, queries.ACTIVE_POLICY_SET)
    return policy_set_info(rows[0]["ps"]) if rows else None


def list_policy_sets(client: GraphClient) -> list[PolicySetInfo]:
    return [PolicySetInfo(**row) for row in client.read(records, queries.LIST_POLICY_SETS)]


def policy_set_content(client: GraphClient, version: int) -> tuple[PolicySetInfo, dict[str, Any]]:
    """The canonical content recorded with a version (what a rollback re-applies)."""
    rows = client.read(records, queries.POLICY_SET_BY_VERSION, version=version)
    if not rows:
        raise NotFound(f"no PolicySet version {version}")
    ps = rows[0]["ps"]
    if ps.get("kind", "policy") != "policy":
        raise NotFound(f"PolicySet v{version} is a {ps['kind']} load, not policy content")
    return policy_set_info(ps), json.loads(ps["content"])


@dataclass(frozen=True, slots=True)
class Promotion:
    """Apply an existing candidate's content as that version itself (activation), by
    `by` (principal id) / `by_name`; `rebased_from`: its base version, when the active
    version moved since it was staged and the activation was told to proceed anyway."""

    version: int
    by: str
    by_name: str = ""
    rebased_from: int | None = None


ActiveCheck = Callable[["PolicySetInfo | None"], None]
"""Called inside the write transaction with the active version; raises to refuse the
write (so a rule checked against the active version cannot be outrun by another load)."""


def apply_policy_content(
    client: GraphClient,
    content: GraphContent,
    *,
    content_hash: str,
    canonical: str,
    author: str,
    message: str,
    now: datetime | None = None,
    guard: Callable[[ManagedTransaction], bool] | None = None,
    then: Callable[[ManagedTransaction, PolicySetInfo], None] | None = None,
    promote: Promotion | None = None,
    check_active: ActiveCheck | None = None,
    provenance: Mapping[str, str | int | None] | None = None,
) -> LoadOutcome:
    """Write content as the active PolicySet, in one transaction: a new version (unless
    it equals the active one), or with `promote` the candidate version it was staged as.

    `guard` runs first in the write's transaction; when it returns False nothing is
    written (a drift rollback acts only while the version it judged is still active).
    `check_active` is called with the active version and raises to refuse the write.
    `then` runs last in it, with the new version (the rollback records its evidence):
    the change and what explains it commit together or not at all.
    `provenance`: extra properties for a new version (a rollback's reason and evidence).
    """
    nodes, edges = content.count()
    active = active_policy_set(client)
    if promote is None and active is not None and active.content_hash == content_hash:
        return LoadOutcome(changed=False, policy_set=active, nodes=nodes, edges=edges)
    created = (now or datetime.now(UTC)).isoformat()

    def work(tx: ManagedTransaction) -> tuple[PolicySetInfo, int] | None:
        if guard is not None and not guard(tx):
            return None
        current = records(tx, queries.ACTIVE_POLICY_SET)
        previous = policy_set_info(current[0]["ps"]) if current else None
        if check_active is not None:
            check_active(previous)
        _refuse_dangling_catalog(tx, content)
        _refuse_catalog_takeover(tx, content)
        if promote is None:
            version = int(records(tx, queries.MAX_POLICY_SET_VERSION)[0]["version"]) + 1
        else:
            version = promote.version
        retired = _write_content(tx, content, version)
        policy_ids = sorted(content.ids("Policy"))
        if promote is not None:
            info = _promote(tx, promote, previous, policy_ids, created)
            return info, retired
        records(
            tx,
            queries.CREATE_POLICY_SET,
            id=f"policyset-v{version}",
            version=version,
            content_hash=content_hash,
            author=author,
            message=message,
            created_at=created,
            content=canonical,
            node_count=nodes,
            edge_count=edges,
            policy_ids=policy_ids,
            previous_version=previous.version if previous else None,
            # None means "not recorded"; in a Cypher `+=` it would remove the default.
            provenance={k: v for k, v in (provenance or {}).items() if v is not None},
        )
        info = PolicySetInfo(
            id=f"policyset-v{version}",
            version=version,
            content_hash=content_hash,
            author=author,
            message=message,
            created_at=created,
            status="active",
            node_count=nodes,
            edge_count=edges,
        )
        if then is not None:
            then(tx, info)
        return info, retired

    written = client.write(work)
    if written is None:
        return LoadOutcome(changed=False, policy_set=None, nodes=nodes, edges=edges)
    info, retired = written
    return LoadOutcome(changed=True, policy_set=info, nodes=nodes, edges=edges, retired=retired)


def _write_content(tx: ManagedTransaction, content: GraphContent, version: int) -> int:
    """Upsert every node, retire the missing ones, replace the structural edges."""
    retired = 0
    for kind in POLICY_NODE_LABELS:
        rows = content.nodes.get(kind, [])
        if rows:
            tx.run(queries.UPSERT_NODES[kind], rows=rows).consume()
        found = records(
            tx, queries.RETIRE_MISSING[kind], ids=[r["id"] for r in rows], version=version
        )
        retired += int(found[0]["retired"])
    for rel in RELATIONS:
        tx.run(queries.DELETE_EDGES[rel.key]).consume()
        rel_rows = [_edge_row(e) for e in content.edges.get(rel.key, [])]
        if rel_rows:
            tx.run(queries.CREATE_EDGES[rel.key], rows=rel_rows).consume()
    return retired


def _promote(
    tx: ManagedTransaction,
    promote: Promotion,
    previous: PolicySetInfo | None,
    policy_ids: list[str],
    at: str,
) -> PolicySetInfo:
    rows = records(
        tx,
        lifecycle_queries.PROMOTE_CANDIDATE,
        version=promote.version,
        at=at,
        by=promote.by,
        by_name=promote.by_name,
        previous_version=previous.version if previous else None,
        rebased_from=promote.rebased_from,
        policy_ids=policy_ids,
    )
    if not rows:
        # Raised inside the transaction: the content written above is rolled back too.
        raise Conflict(f"PolicySet v{promote.version} is no longer a candidate; nothing changed")
    return policy_set_info(rows[0]["ps"])


def stage_candidate(
    client: GraphClient,
    content: GraphContent,
    *,
    content_hash: str,
    canonical: str,
    author: str,
    message: str,
    now: datetime | None = None,
    author_id: str | None = None,
) -> PolicySetInfo:
    """Record content as a candidate version: checked against the catalog like a load,
    but nothing it describes is written, so the active version keeps serving.

    `author_id`: the admin principal who staged it (prov:wasAttributedTo), whom the
    approvals must exclude."""
    nodes, edges = content.count()

    def work(tx: ManagedTransaction) -> PolicySetInfo:
        _refuse_dangling_catalog(tx, content)
        _refuse_catalog_takeover(tx, content)
        rows = records(
            tx,
            queries.CREATE_CANDIDATE,
            content_hash=content_hash,
            author=author,
            message=message,
            created_at=(now or datetime.now(UTC)).isoformat(),
            content=canonical,
            node_count=nodes,
            edge_count=edges,
            author_id=author_id,
        )
        return policy_set_info(rows[0]["ps"])

    return client.write(work)


@dataclass(frozen=True, slots=True)
class Rollout:
    """A candidate under shadow (decided beside the active version, never served) or
    canary (serving the principals `selects` picks); `percent` of principals by a
    stable hash, plus named tenants and principals."""

    policy_set: PolicySetInfo
    mode: str  # "shadow" | "canary"
    percent: float = 0.0
    tenants: tuple[str, ...] = ()
    principals: tuple[str, ...] = ()
    since: str = ""
    by: str = ""


ROLLOUT_MODES = ("shadow", "canary")


def rollout_candidate(client: GraphClient) -> Rollout | None:
    rows = client.read(records, queries.ROLLOUT_CANDIDATE)
    return _rollout(rows[0]["ps"]) if rows else None


def start_rollout(
    client: GraphClient,
    version: int,
    mode: str,
    *,
    by: str,
    percent: float = 0.0,
    tenants: Collection[str] = (),
    principals: Collection[str] = (),
    now: datetime | None = None,
) -> Rollout:
    """Put candidate `version` under shadow or canary (ending any other rollout)."""
    if mode not in ROLLOUT_MODES:
        raise InvalidPolicyData(
            [Problem("<rollout>", f"v{version}", "mode", f"{mode!r} is not one of {ROLLOUT_MODES}")]
        )
    if not 0.0 <= percent <= 100.0:
        raise InvalidPolicyData(
            [Problem("<rollout>", f"v{version}", "percent", f"{percent} is not within 0-100")]
        )
    rows = client.write(
        lambda tx: records(
            tx,
            queries.SET_ROLLOUT,
            version=version,
            mode=mode,
            percent=float(percent),
            tenants=sorted(tenants),
            principals=sorted(principals),
            at=(now or datetime.now(UTC)).isoformat(),
            by=by,
        )
    )
    if not rows:
        raise NotFound(f"no candidate PolicySet version {version}")
    return _rollout(rows[0]["ps"])


def end_rollout(
    client: GraphClient, version: int, *, reason: str, now: datetime | None = None
) -> PolicySetInfo | None:
    """Stop the rollout of `version` (None when it had none); the reason is kept on it."""
    rows = client.write(
        lambda tx: records(
            tx,
            queries.END_ROLLOUT,
            version=version,
            reason=reason,
            at=(now or datetime.now(UTC)).isoformat(),
        )
    )
    return policy_set_info(rows[0]["ps"]) if rows else None


def _rollout(ps: dict[str, Any]) -> Rollout:
    return Rollout(
        policy_set=policy_set_info(ps),
        mode=str(ps["rollout"]),
        percent=float(ps.get("canary_percent") or 0.0),
        tenants=tuple(ps.get("canary_tenants") or ()),
        principals=tuple(ps.get("canary_principals") or ()),
        since=str(ps.get("rollout_since") or ""),
        by=str(ps.get("rollout_by") or ""),
    )


def read_policy_content(
    client: GraphClient, kinds: Collection[str] = POLICY_NODE_LABELS
) -> tuple[PolicySetInfo | None, GraphContent]:
    """The active policy content as stored, in one consistent read.

    `kinds` limits the read to those node kinds and the edges leaving them (a
    snapshot needs no documents, principals or data sources).
    """

    def work(tx: ManagedTransaction) -> tuple[PolicySetInfo | None, GraphContent]:
        ps_rows = records(tx, queries.ACTIVE_POLICY_SET)
        content = GraphContent()
        for kind in POLICY_NODE_LABELS:
            if kind in kinds:
                content.nodes[kind] = [r["row"] for r in records(tx, queries.READ_NODES[kind])]
        for rel in RELATIONS:
            if rel.source not in kinds:
                continue
            content.edges[rel.key] = [
                Edge(r["source"], r["target"], r["props"])
                for r in records(tx, queries.READ_EDGES[rel.key])
            ]
        return (policy_set_info(ps_rows[0]["ps"]) if ps_rows else None), content

    return client.read(work)


def _refuse_dangling_catalog(tx: ManagedTransaction, content: GraphContent) -> None:
    dangling = records(
        tx,
        queries.CATALOG_DANGLING_REFERENCES,
        data_sources=sorted(content.ids("DataSource")),
        labels=sorted(content.ids("SensitivityLabel")),
        documents=sorted(content.ids("Document")),
    )
    if dangling:
        raise InvalidPolicyData(
            [
                Problem(
                    source="<graph>",
                    location=f"catalog document {row['document']}",
                    path=row["relation"],
                    message=f"still points at {row['target']!r}, which this content removes",
                )
                for row in dangling
            ]
        )


def _refuse_catalog_takeover(tx: ManagedTransaction, content: GraphContent) -> None:
    taken = records(tx, queries.CATALOG_ID_COLLISIONS, ids=sorted(content.ids("Document")))
    if taken:
        raise InvalidPolicyData(
            [
                Problem(
                    source="<graph>",
                    location=f"document {row['id']}",
                    path="documents",
                    message="is a catalog document; policy content cannot redefine it",
                )
                for row in taken
            ]
        )


def _edge_row(edge: Edge) -> dict[str, Any]:
    return {"source": edge.source, "target": edge.target, "props": edge.props}


def policy_set_info(ps: dict[str, Any]) -> PolicySetInfo:
    """A PolicySet node's properties as a value (policy and catalog kinds alike)."""
    return PolicySetInfo(
        id=ps["id"],
        version=int(ps["version"]),
        content_hash=ps["content_hash"],
        author=ps.get("author", ""),
        message=ps.get("message", ""),
        created_at=str(ps.get("created_at", "")),
        status=ps.get("status", ""),
        node_count=int(ps.get("node_count", 0)),
        edge_count=int(ps.get("edge_count", 0)),
        kind=ps.get("kind", "policy"),
    )
