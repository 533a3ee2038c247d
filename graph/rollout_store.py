"""Reads behind the rollout commands: stored shadow changes, and names a canary targets."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from graph import rollout_queries
from graph.connection import GraphClient, records


def read_shadow_changes(client: GraphClient, version: str, since: str) -> list[dict[str, Any]]:
    """The stored shadow decisions of candidate `version` ("policyset-v7") decided at or
    after `since` (ISO 8601), oldest first, as `lifecycle.outcome_diff.Change` rows."""
    return client.read(records, rollout_queries.SHADOW_CHANGES, version=version, since=since)


def unknown_names(
    client: GraphClient, tenants: Collection[str], principals: Collection[str]
) -> tuple[list[str], list[str]]:
    """The tenants and principals among those given that the graph does not have."""
    rows = client.read(
        records,
        rollout_queries.KNOWN_NAMES,
        tenants=sorted(tenants),
        principals=sorted(principals),
    )
    row = rows[0]
    return (
        sorted(set(tenants) - set(row["tenants"])),
        sorted(set(principals) - set(row["principals"])),
    )
