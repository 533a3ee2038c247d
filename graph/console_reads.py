"""What the console's pages read from the graph, as frozen values (api/console/ renders
them). Every read takes the tenant it is scoped to, or None for every tenant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from graph import console_queries as q
from graph.connection import GraphClient, records


@dataclass(frozen=True, slots=True)
class Bucket:
    """A count summed over tenants for one hour (`read_hourly`: tenant_id is ""), or over
    the window for one tenant (`read_window_totals`: start is "")."""

    tenant_id: str
    start: str  # the hour, as Neo4j writes a datetime: 2026-12-07T10:00:00Z
    kind: str
    key: str
    key2: str
    count: int


@dataclass(frozen=True, slots=True)
class DecisionFilter:
    """The decision list's filters; None (or empty) means "any"."""

    since: datetime
    until: datetime
    tenant: str | None = None
    principal: str | None = None
    outcomes: tuple[str, ...] = ()
    policy: str | None = None
    intent: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page of the list ends: the next page starts after it."""

    created_at: str
    id: str


@dataclass(frozen=True, slots=True)
class DecisionRow:
    id: str
    created_at: str
    tenant_id: str
    principal_id: str
    outcome: str
    intent_id: str | None
    purpose: str | None
    policy_version: str


@dataclass(frozen=True, slots=True)
class DecisionPage:
    rows: tuple[DecisionRow, ...]
    next: Cursor | None  # None on the last page


def read_hourly(
    client: GraphClient,
    *,
    since: datetime,
    until: datetime,
    kinds: Sequence[str],
    tenant: str | None,
) -> list[Bucket]:
    """Counts per hour and key of the window, summed over the tenants read."""
    rows = client.read(
        records, q.READ_HOURLY, since=since.isoformat(), until=until.isoformat(),
        kinds=list(kinds), tenant=tenant,
    )  # fmt: skip
    return [
        Bucket("", r["start"], r["kind"], r["key"], r["key2"] or "", int(r["count"])) for r in rows
    ]


def read_window_totals(
    client: GraphClient,
    *,
    since: datetime,
    until: datetime,
    kinds: Sequence[str],
    tenant: str | None,
) -> list[Bucket]:
    """Counts per tenant and key over the whole window."""
    rows = client.read(
        records, q.READ_WINDOW_TOTALS, since=since.isoformat(), until=until.isoformat(),
        kinds=list(kinds), tenant=tenant,
    )  # fmt: skip
    return [
        Bucket(r["tenant_id"], "", r["kind"], r["key"], r["key2"] or "", int(r["count"]))
        for r in rows
    ]


def list_decisions(
    client: GraphClient, where: DecisionFilter, *, after: Cursor | None, limit: int
) -> DecisionPage:
    """One page of matching decisions, newest first."""
    rows = client.read(
        records,
        q.LIST_DECISIONS,
        since=where.since.isoformat(),
        until=where.until.isoformat(),
        tenant=where.tenant,
        principal=where.principal,
        outcomes=list(where.outcomes) or None,
        policy=where.policy,
        intent=where.intent,
        label=where.label,
        after_at=after.created_at if after else None,
        after_id=after.id if after else None,
        limit=limit + 1,  # one more than shown: is there a next page?
    )
    shown = [DecisionRow(**r) for r in rows[:limit]]
    more = len(rows) > limit and shown
    return DecisionPage(tuple(shown), Cursor(shown[-1].created_at, shown[-1].id) if more else None)


def read_tenants(client: GraphClient) -> list[tuple[str, str]]:
    """(id, name) of every tenant."""
    return [(r["id"], r["name"]) for r in client.read(records, q.READ_TENANTS)]
