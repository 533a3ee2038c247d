"""Reading recorded decisions for replay: streamed in pages, never all in memory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from graph import replay_queries
from graph.connection import GraphClient, records

PAGE = 5000


def recorded_decisions(
    client: GraphClient,
    since: datetime,
    until: datetime,
    *,
    tenant: str | None = None,
    page: int = PAGE,
) -> Iterator[str]:
    """The stored record (its JSON string) of every decision created in [since, until),
    oldest first; one read transaction per page."""
    after, after_id = since.isoformat(), ""
    while True:
        rows = client.read(
            records,
            replay_queries.DECISIONS_PAGE,
            after=after,
            after_id=after_id,
            until=until.isoformat(),
            tenant=tenant,
            page=page,
        )
        for row in rows:
            if row["record"] is not None:
                yield str(row["record"])
        if len(rows) < page:
            return
        after, after_id = rows[-1]["created_at"], rows[-1]["id"]


def decision_versions(
    client: GraphClient, since: datetime, until: datetime, *, tenant: str | None = None
) -> list[str]:
    """The PolicySet ids that decided the window's decisions."""
    rows = client.read(
        records,
        replay_queries.DECISION_VERSIONS,
        since=since.isoformat(),
        until=until.isoformat(),
        tenant=tenant,
    )
    return sorted(str(r["version"]) for r in rows if r["version"] is not None)
