"""Paged reads of stored decisions, for the audit export (lifecycle/audit_export.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from graph import chain_queries as q
from graph.connection import GraphClient, records


@dataclass(frozen=True, slots=True)
class StoredDecision:
    id: str
    created_at: str
    record: str
    withheld_kinds: dict[str, str]  # withheld item id -> Document | DataSource


def iter_decisions(
    client: GraphClient,
    *,
    since: str,
    until: str | None = None,
    tenant: str | None = None,
    page: int = 1000,
) -> Iterator[StoredDecision]:
    """Decisions made in [since, until) (ISO 8601 datetimes), of one tenant or all, oldest
    first, read `page` at a time: each page starts after the last (created_at, id) seen,
    so memory holds one page however many there are."""
    after_at, after_id = since, ""
    while True:
        rows = client.read(
            records,
            q.READ_DECISION_PAGE,
            after_at=after_at,
            after_id=after_id,
            until=until,
            tenant=tenant,
            limit=page,
        )
        for r in rows:
            if r["record"] is None:
                continue  # a Decision node without a record was not written by govroute
            yield StoredDecision(
                r["id"],
                r["created_at"],
                r["record"],
                {w["id"]: w["kind"] for w in r["withheld_kinds"]},
            )
        if len(rows) < page:
            return
        after_at, after_id = rows[-1]["created_at"], rows[-1]["id"]


def read_dpv_mappings(client: GraphClient) -> dict[tuple[str, str], str]:
    """(Purpose | SensitivityLabel, id) -> the DPV IRI it is declared to stand for."""
    rows = client.read(records, q.READ_DPV_MAPPINGS)
    return {(r["kind"], r["id"]): r["dpv"] for r in rows}
