"""The review operations, one function each: what the API routes and `govroute review`
both call (docs/review.md). Who may do what is decided here, not in the callers:

- the requester polls its own held request (and reads the answer once served);
- a principal whose roles grant `review` lists, reads, approves and rejects the held
  requests of its own tenant, never its own; one with `audit` may read them;
- another tenant's review is reported exactly like an unknown id.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from engine.decision import Decision
from engine.errors import Forbidden, InvalidRequest, NotAuthenticated, NotFound
from engine.model import Principal
from engine.review import Hold, ReviewKind, ReviewVerdict, hold_for
from graph.connection import GraphClient
from graph.facts import principal_for_key
from graph.review_store import (
    ReviewFilter,
    StoredReview,
    decide_review,
    get_review,
    hold,
    list_reviews,
)
from loaders.spec import Permission

REVIEW_KEY_ENV = "GOVROUTE_REVIEW_KEY"
MAX_REASON_CHARS = 2_000
MAX_LIST = 500


def poll_url(review_id: str) -> str:
    return f"/v1/reviews/{review_id}"


def hold_decision(
    graph: GraphClient,
    decision: Decision,
    principal: Principal,
    kind: ReviewKind,
    params: Mapping[str, Any],
    *,
    limit: int,
    retry_after_s: float,
) -> tuple[Hold, int]:
    """Store a `review` decision's held request; the hold and the tenant's queue depth.
    ReviewQueueFull (429) when the tenant's queue is full: nothing is held then."""
    held = hold_for(decision, principal, kind, params)
    depth = hold(graph, held, limit=limit, retry_after_s=retry_after_s)
    return held, depth


def held_answer(held: Hold) -> dict[str, Any]:
    """The body of a 202 "held for review" answer (POST /v1/decide; `govroute` field of
    a held chat completion)."""
    return {
        "status": "held_for_review",
        "decision_id": held.decision_id,
        "review_id": held.decision_id,
        "poll_url": poll_url(held.decision_id),
        "expires_at": held.expires_at.isoformat(),
        "reasons": [{"policy_id": r.policy_id, "sentence": r.sentence} for r in held.reasons],
    }


def poll(graph: GraphClient, review_id: str, principal: Principal, now: datetime) -> dict[str, Any]:
    """GET /v1/reviews/{id}: the requester's view (with the answer once served), or a
    reviewer's or auditor's of the same tenant (with the held request, never the answer,
    which carries pseudonyms restored for the requester alone)."""
    review = get_review(graph, review_id, principal.tenant, now)
    if review.principal_id == principal.id:
        return review_view(review, requester=True)
    if {Permission.REVIEW, Permission.AUDIT} & principal.permissions:
        return review_view(review, requester=False)
    raise NotFound(f"no review {review_id} in tenant {principal.tenant}")


def queue(
    graph: GraphClient, reviewer: Principal, filters: ReviewFilter, now: datetime
) -> list[dict[str, Any]]:
    """The reviewer's tenant's reviews, oldest first (pending ones by default)."""
    _require_reviewer(reviewer)
    if not 1 <= filters.limit <= MAX_LIST:
        raise InvalidRequest(f"limit must be 1 to {MAX_LIST}, not {filters.limit}", field="limit")
    return [
        review_view(r, requester=False) for r in list_reviews(graph, reviewer.tenant, filters, now)
    ]


def detail(
    graph: GraphClient, reviewer: Principal, review_id: str, now: datetime
) -> dict[str, Any]:
    _require_reviewer(reviewer)
    return review_view(get_review(graph, review_id, reviewer.tenant, now), requester=False)


def approve(
    graph: GraphClient, reviewer: Principal, review_id: str, reason: str, now: datetime
) -> dict[str, Any]:
    """Approve a pending hold; a chat request is then served by the API's review worker."""
    return _decide(graph, reviewer, review_id, ReviewVerdict.APPROVE, reason, now)


def reject(
    graph: GraphClient, reviewer: Principal, review_id: str, reason: str, now: datetime
) -> dict[str, Any]:
    """Reject a pending hold: it is refused, and never sent anywhere."""
    return _decide(graph, reviewer, review_id, ReviewVerdict.REJECT, reason, now)


def _decide(
    graph: GraphClient,
    reviewer: Principal,
    review_id: str,
    verdict: ReviewVerdict,
    reason: str,
    now: datetime,
) -> dict[str, Any]:
    _require_reviewer(reviewer)
    text = reason.strip()
    if not text:
        raise InvalidRequest(
            f"a reviewer must say why they {verdict.value}: give a reason", field="reason"
        )
    if len(text) > MAX_REASON_CHARS:
        raise InvalidRequest(
            f"reason is {len(text)} characters; at most {MAX_REASON_CHARS}", field="reason"
        )
    decided = decide_review(graph, review_id, reviewer, verdict, text, now)
    return review_view(decided, requester=False)


def reviewer_for_key(graph: GraphClient, key: str | None) -> Principal:
    """The reviewer `key` identifies, for the CLI (--key or GOVROUTE_REVIEW_KEY)."""
    if not key:
        raise NotAuthenticated(
            f"give a reviewer's API key with --key or {REVIEW_KEY_ENV}: the verdict is "
            "recorded as that principal's"
        )
    principal = principal_for_key(graph, key)
    if principal is None:
        raise NotAuthenticated("unknown or revoked API key")
    _require_reviewer(principal)
    return principal


def _require_reviewer(principal: Principal) -> None:
    if Permission.REVIEW not in principal.permissions:
        raise Forbidden(
            f"principal {principal.id} has no role with the 'review' permission "
            f"(roles: {', '.join(sorted(principal.roles)) or 'none'})"
        )


def review_view(review: StoredReview, *, requester: bool) -> dict[str, Any]:
    """One review as the API answers it (docs/review.md shows each field)."""
    verdict = (
        None
        if review.decided_at is None
        else {
            "reviewer_id": review.reviewer_id,
            "decided_at": review.decided_at.isoformat(),
            "reason": review.verdict_reason,
        }
    )
    served = (
        None
        if review.served_at is None
        else {
            "status": review.serve_status,
            "at": review.served_at.isoformat(),
            "error": review.serve_error,
            "answer_kept_until": review.answer_expires_at.isoformat()
            if review.answer_expires_at
            else None,
        }
    )
    out: dict[str, Any] = {
        "id": review.id,
        "decision_id": review.id,
        "kind": review.kind,
        "status": review.status.value,
        "tenant_id": review.tenant_id,
        "principal_id": review.principal_id,
        "created_at": review.created_at.isoformat(),
        "expires_at": review.expires_at.isoformat(),
        "reasons": [dict(r) for r in review.reasons],
        "verdict": verdict,
        "served": served,
        "poll_url": poll_url(review.id),
    }
    if requester:
        out["answer"] = dict(review.answer) if review.answer is not None else None
    else:
        # The webhook's fate of the latest change (api/review/webhook.py), for operators.
        out["webhook"] = review.webhook_status
        held = review.request.get("decision", {})
        out["request"] = {
            "messages": [{"role": r, "content": c} for r, c in held.get("messages", [])],
            "context": [{"id": i, "text": t} for i, t in held.get("context", [])],
            "labels": held.get("labels", []),
            "route": [m for m in held.get("route", []) if m],
            "redactions": [
                {"segment": s, "start": a, "end": b, "entity_type": e, "label": lb, "action": ac}
                for s, a, b, e, lb, ac, _ in held.get("redactions", [])
            ],
            "purpose": held.get("purpose"),
            "policy_version": held.get("policy_version"),
        }
    return out
