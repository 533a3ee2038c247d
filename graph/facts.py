"""Request-time reads: who is calling, and what the graph says about their context."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from engine.lineage import (
    Ancestry,
    Hop,
    Upstream,
    UpstreamEdge,
    UpstreamNode,
    effective_labels,
    label_paths,
)
from engine.model import AccessGrant, ItemFacts, Limits, Principal
from graph import queries
from graph.connection import GraphClient, records


def hash_api_key(key: str) -> str:
    """Keys are stored as the hex SHA-256 of their UTF-8 bytes, never in clear."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def principal_for_key(client: GraphClient, key: str) -> Principal | None:
    return principal_for_key_hash(client, hash_api_key(key))


def principal_for_key_hash(client: GraphClient, key_hash: str) -> Principal | None:
    """The principal an API key (by its stored hash) identifies, with roles and limits."""
    rows = client.read(records, queries.PRINCIPAL_BY_KEY, key_hash=key_hash)
    if not rows:
        return None
    row = rows[0]
    return Principal(
        id=row["id"],
        tenant=row["tenant"],
        roles=frozenset(row["roles"]),
        name=row["name"] or "",
        permissions=frozenset(row["permissions"]),
        principal_limits=_limits(row["principal_rpm"], row["principal_tpm"]),
        tenant_limits=_limits(row["tenant_rpm"], row["tenant_tpm"]),
        # The load refuses roles that disagree, so there is at most one distinct role value.
        default_purpose=row["default_purpose"] or min(row["role_purposes"], default=None),
        record_prompts=bool(row["record_prompts"]),
    )


def _limits(rpm: int | None, tpm: int | None) -> Limits | None:
    if rpm is None and tpm is None:
        return None
    return Limits(requests_per_minute=rpm, tokens_per_minute=tpm)


def item_facts(
    client: GraphClient,
    ids: Iterable[str],
    roles: Iterable[str],
    ancestry: Ancestry,
    *,
    tenant: str,
) -> dict[str, ItemFacts]:
    """Facts for every referenced id as `tenant` may see them, in one query; unknown ids
    and ids of other tenants' items come back alike, found=False."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = client.read_once(queries.ITEM_FACTS, ids=wanted, roles=sorted(roles), tenant=tenant)
    return {row["item_id"]: facts_from_row(row, ancestry) for row in rows}


def upstream_of(item: str, nodes: Iterable[Mapping[str, Any]]) -> Upstream:
    """engine.lineage's view of the `upstream` list the graph's upstream walk returns."""
    return Upstream(
        item=item,
        nodes={
            n["key"]: UpstreamNode(
                retired=n["retired"],
                labels=tuple(n["labels"]),
                out=tuple(
                    UpstreamEdge(e["target"], Hop(e["type"], frozenset(e["removes"])))
                    for e in n["out"]
                ),
            )
            for n in nodes
        },
    )


def facts_from_row(row: Mapping[str, Any], ancestry: Ancestry) -> ItemFacts:
    if not row["found"]:
        return ItemFacts(id=row["item_id"], found=False)
    upstream = upstream_of(f"{row['kind']}:{row['item_id']}", row["upstream"])
    grants: dict[str, set[str]] = {}
    for g in row["grants"]:
        grants.setdefault(g["role"], set()).update(g["purposes"] or ())
    return ItemFacts(
        id=row["item_id"],
        found=True,
        kind=row["kind"],
        source=row["source"],
        labels=effective_labels(
            label_paths(upstream, ancestry, queries.LINEAGE_MAX_HOPS), ancestry
        ),
        grants=tuple(AccessGrant(role, frozenset(p)) for role, p in sorted(grants.items())),
        tenant=row.get("tenant") or "",
    )
