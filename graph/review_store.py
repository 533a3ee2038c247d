"""The review queue in Neo4j: holds, verdicts, expiry, serving and the outbox.

Each function is one transaction (graph/review_queries.py has the Cypher and the
model). Tenancy is enforced here, where the rows are read: a review of another
tenant is reported exactly like one that does not exist.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from neo4j import ManagedTransaction

from engine.errors import Conflict, Forbidden, NotFound, ReviewQueueFull
from engine.model import Principal
from engine.review import Hold, ReviewStatus, ReviewVerdict, expired
from graph import review_queries as q
from graph.connection import GraphClient, records


@dataclass(frozen=True, slots=True)
class StoredReview:
    id: str
    tenant_id: str
    principal_id: str
    kind: str
    status: ReviewStatus
    created_at: datetime
    expires_at: datetime
    reasons: tuple[Mapping[str, Any], ...]
    request: Mapping[str, Any]
    decided_at: datetime | None = None
    reviewer_id: str | None = None
    verdict_reason: str | None = None
    served_at: datetime | None = None
    serve_status: str | None = None  # "served" | "failed"
    serve_error: str | None = None
    answer: Mapping[str, Any] | None = None  # until answer_expires_at, then None
    answer_expires_at: datetime | None = None
    event: str | None = None  # the latest change
    pending_events: tuple[str, ...] = ()  # changes not yet announced, oldest first
    webhook_status: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    status: ReviewStatus | None = ReviewStatus.PENDING
    principal_id: str | None = None
    kind: str | None = None
    since: datetime | None = None
    limit: int = 50


def hold(client: GraphClient, held: Hold, *, limit: int, retry_after_s: float) -> int:
    """Store a held request; the tenant's queue depth with it. ReviewQueueFull when the
    tenant already has `limit` pending holds (nothing is stored then)."""
    rows = client.write(
        records,
        q.HOLD,
        id=held.decision_id,
        tenant_id=held.tenant_id,
        principal_id=held.principal_id,
        kind=held.kind.value,
        created_at=held.created_at.isoformat(),
        expires_at=held.expires_at.isoformat(),
        reasons=json.dumps(
            [{"policy_id": r.policy_id, "sentence": r.sentence} for r in held.reasons]
        ),
        request=json.dumps(held.request, separators=(",", ":")),
        limit=limit,
    )
    if not rows:
        raise ReviewQueueFull(
            f"tenant {held.tenant_id} already has {limit} requests waiting for review "
            f"(GOVROUTE_REVIEW_QUEUE_LIMIT); decision {held.decision_id} was not held: "
            "retry once reviewers have caught up",
            retry_after=retry_after_s,
        )
    return int(rows[0]["depth"])


def get_review(client: GraphClient, review_id: str, tenant_id: str, now: datetime) -> StoredReview:
    """The review of `tenant_id` with this id (expired first if its time has come)."""
    client.write(records, q.EXPIRE_ONE, id=review_id, now=now.isoformat())
    rows = client.read(records, q.GET_REVIEW, id=review_id, now=now.isoformat())
    if not rows or rows[0]["tenant_id"] != tenant_id:
        raise NotFound(f"no review {review_id} in tenant {tenant_id}")
    return _review(rows[0])


def list_reviews(
    client: GraphClient, tenant_id: str, filters: ReviewFilter, now: datetime
) -> list[StoredReview]:
    expire_due(client, now)  # the queue a reviewer sees never offers what has expired
    rows = client.read(
        records,
        q.LIST_REVIEWS,
        tenant_id=tenant_id,
        status=filters.status.value if filters.status else None,
        principal_id=filters.principal_id,
        kind=filters.kind,
        since=filters.since.isoformat() if filters.since else None,
        limit=filters.limit,
        now=now.isoformat(),
    )
    return [_review(row) for row in rows]


def decide_review(
    client: GraphClient,
    review_id: str,
    reviewer: Principal,
    verdict: ReviewVerdict,
    reason: str,
    now: datetime,
) -> StoredReview:
    """Approve or reject a pending hold of the reviewer's tenant, in one transaction.

    NotFound: no such review in the reviewer's tenant. Forbidden: the reviewer is the
    requester. Conflict: already decided, or expired (the expiry is recorded then)."""
    outcome = client.write(_decide, review_id, reviewer, verdict, reason, now)
    if isinstance(outcome, StoredReview):
        return outcome
    raise outcome


def _decide(
    tx: ManagedTransaction,
    review_id: str,
    reviewer: Principal,
    verdict: ReviewVerdict,
    reason: str,
    now: datetime,
) -> StoredReview | Conflict:
    at = now.isoformat()
    rows = records(tx, q.LOCK_REVIEW, id=review_id, now=at)
    if not rows or rows[0]["tenant_id"] != reviewer.tenant:
        raise NotFound(f"no review {review_id} in tenant {reviewer.tenant}")
    current = _review(rows[0])
    if current.status is not ReviewStatus.PENDING:
        by = f" by {current.reviewer_id}" if current.reviewer_id else ""
        return Conflict(
            f"review {review_id} is already {current.status.value}{by} at "
            f"{current.decided_at.isoformat() if current.decided_at else '?'}: "
            f"{current.verdict_reason or 'no reason given'}"
        )
    if current.principal_id == reviewer.id:
        raise Forbidden(
            f"principal {reviewer.id} requested {review_id} and may not review its own "
            "request: another reviewer of the tenant must"
        )
    if expired(current.expires_at, now):
        records(tx, q.EXPIRE_ONE, id=review_id, now=at)
        return Conflict(
            f"review {review_id} expired at {current.expires_at.isoformat()} and was refused; "
            "it can no longer be approved or rejected"
        )
    status = ReviewStatus.APPROVED if verdict is ReviewVerdict.APPROVE else ReviewStatus.REJECTED
    records(
        tx,
        q.DECIDE_REVIEW,
        id=review_id,
        status=status.value,
        at=at,
        reviewer_id=reviewer.id,
        reason=reason,
    )
    rows = records(tx, q.GET_REVIEW, id=review_id, now=at)
    return _review(rows[0])


def expire_due(client: GraphClient, now: datetime) -> list[str]:
    rows = client.write(records, q.EXPIRE_DUE, now=now.isoformat())
    return [row["id"] for row in rows]


def claim_serving(
    client: GraphClient, now: datetime, *, lease_s: float, limit: int
) -> list[tuple[str, Mapping[str, Any]]]:
    rows = client.write(records, q.CLAIM_SERVING, now=now.isoformat(), lease_s=lease_s, limit=limit)
    return [(row["id"], json.loads(row["request"])) for row in rows]


def record_served(
    client: GraphClient,
    review_id: str,
    at: datetime,
    *,
    answer: Mapping[str, Any] | None,
    error: str | None,
    keep_s: float,
) -> None:
    """The approved request's outcome: its answer, kept for the poller `keep_s` seconds."""
    client.write(
        records,
        q.SERVED,
        id=review_id,
        at=at.isoformat(),
        serve_status="failed" if error else "served",
        event="serve_failed" if error else "served",
        error=error,
        answer=json.dumps(answer, separators=(",", ":")) if answer is not None else None,
        answer_expires_at=(at + timedelta(seconds=keep_s)).isoformat(),
    )


def purge_answers(client: GraphClient, now: datetime) -> int:
    return int(client.write(records, q.PURGE_ANSWERS, now=now.isoformat())[0]["purged"])


def claim_events(
    client: GraphClient, now: datetime, *, lease_s: float, limit: int
) -> list[StoredReview]:
    rows = client.write(records, q.CLAIM_EVENTS, now=now.isoformat(), lease_s=lease_s, limit=limit)
    return [_review(row) for row in rows]


def event_done(client: GraphClient, review_id: str, event: str, webhook_status: str) -> None:
    client.write(records, q.EVENT_DONE, id=review_id, event=event, webhook_status=webhook_status)


def queue_depth(client: GraphClient, now: datetime) -> dict[str, int]:
    rows = client.read(records, q.QUEUE_DEPTH, now=now.isoformat())
    return {row["tenant_id"]: int(row["depth"]) for row in rows}


def _review(row: Mapping[str, Any]) -> StoredReview:
    def when(key: str) -> datetime | None:
        raw = row.get(key)
        return datetime.fromisoformat(raw) if raw else None

    def parsed(key: str) -> Any:
        raw = row.get(key)
        return json.loads(raw) if raw else None

    created, expires = when("created_at"), when("expires_at")
    assert created is not None
    assert expires is not None
    return StoredReview(
        id=row["id"],
        tenant_id=row["tenant_id"],
        principal_id=row["principal_id"],
        kind=row["kind"],
        status=ReviewStatus(row["status"]),
        created_at=created,
        expires_at=expires,
        reasons=tuple(parsed("reasons") or ()),
        request=parsed("request") or {},
        decided_at=when("decided_at"),
        reviewer_id=row.get("reviewer_id"),
        verdict_reason=row.get("verdict_reason"),
        served_at=when("served_at"),
        serve_status=row.get("serve_status"),
        serve_error=row.get("serve_error"),
        answer=parsed("answer"),
        answer_expires_at=when("answer_expires_at"),
        event=row.get("event"),
        pending_events=tuple(row.get("pending_events") or ()),
        webhook_status=row.get("webhook_status"),
    )
