"""The review API: the requester's poll, and the reviewers' queue (docs/review.md).

GET  /v1/reviews/{id}                  the requester (or a reviewer/auditor) polls a hold
GET  /v1/admin/reviews                 the reviewer's tenant's queue, filtered
GET  /v1/admin/reviews/{id}            one review with its held (redacted) request
POST /v1/admin/reviews/{id}/approve    {"reason": ...}
POST /v1/admin/reviews/{id}/reject     {"reason": ...}

Each route is a thin shell over api/review/queue.py, which `govroute review` calls too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool

from api.deps import PrincipalDep
from api.review import queue
from api.review.desk import ReviewDesk, ReviewDeskDep
from api.review.schemas import ReviewOut, VerdictIn
from engine.model import Principal
from engine.review import ReviewStatus
from graph.connection import GraphClient
from graph.review_store import ReviewFilter

router = APIRouter(prefix="/v1", tags=["review"])

ReviewId = Annotated[str, Path(pattern=r"^dec_[0-9a-f]{32}$", description="The held decision's id")]
COMMON: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or unknown API key"},
    404: {"description": "No review with this id in the caller's tenant"},
    503: {"description": "The graph is unavailable"},
}
REVIEWER: dict[int | str, dict[str, Any]] = {
    **COMMON,
    403: {"description": "The key's roles lack the 'review' permission"},
}
VERDICT: dict[int | str, dict[str, Any]] = {
    **REVIEWER,
    400: {"description": "No reason, or one over 2000 characters"},
    409: {"description": "Already approved, rejected or expired"},
}
VERDICT[403] = {"description": "No 'review' permission, or the reviewer's own request"}


@router.get(
    "/reviews/{review_id}",
    response_model=ReviewOut,
    summary="Poll a held request: its status, the verdict, and once served the answer",
    responses=COMMON,
)
async def poll(review_id: ReviewId, principal: PrincipalDep, desk: ReviewDeskDep) -> Any:
    return await run_in_threadpool(queue.poll, desk.graph, review_id, principal, _now())


@router.get(
    "/admin/reviews",
    response_model=list[ReviewOut],
    summary="The review queue of the reviewer's tenant, oldest first",
    responses=REVIEWER,
)
async def list_reviews(
    principal: PrincipalDep,
    desk: ReviewDeskDep,
    status: Annotated[
        Literal["pending", "approved", "rejected", "expired", "all"],
        Query(description="Which reviews; 'all' for every status."),
    ] = "pending",
    principal_id: Annotated[str | None, Query(description="Only this requester's.")] = None,
    kind: Annotated[Literal["decide", "chat"] | None, Query()] = None,
    since: Annotated[datetime | None, Query(description="Held at or after (ISO 8601).")] = None,
    limit: Annotated[int, Query(ge=1, le=queue.MAX_LIST)] = 50,
) -> Any:
    filters = ReviewFilter(
        status=None if status == "all" else ReviewStatus(status),
        principal_id=principal_id,
        kind=kind,
        since=since if since is None or since.tzinfo else since.replace(tzinfo=UTC),
        limit=limit,
    )
    return await run_in_threadpool(queue.queue, desk.graph, principal, filters, _now())


@router.get(
    "/admin/reviews/{review_id}",
    response_model=ReviewOut,
    summary="One review with the held, already redacted request",
    responses=REVIEWER,
)
async def review_detail(review_id: ReviewId, principal: PrincipalDep, desk: ReviewDeskDep) -> Any:
    return await run_in_threadpool(queue.detail, desk.graph, principal, review_id, _now())


@router.post(
    "/admin/reviews/{review_id}/approve",
    response_model=ReviewOut,
    summary="Approve a held request: a chat request is then sent upstream",
    responses=VERDICT,
)
async def approve(
    review_id: ReviewId, body: VerdictIn, principal: PrincipalDep, desk: ReviewDeskDep
) -> Any:
    return await _verdict(queue.approve, desk, principal, review_id, body.reason)


@router.post(
    "/admin/reviews/{review_id}/reject",
    response_model=ReviewOut,
    summary="Reject a held request: it is refused, never sent",
    responses=VERDICT,
)
async def reject(
    review_id: ReviewId, body: VerdictIn, principal: PrincipalDep, desk: ReviewDeskDep
) -> Any:
    return await _verdict(queue.reject, desk, principal, review_id, body.reason)


async def _verdict(
    act: Callable[[GraphClient, Principal, str, str, datetime], dict[str, Any]],
    desk: ReviewDesk,
    principal: Principal,
    review_id: str,
    reason: str,
) -> dict[str, Any]:
    """A verdict through api/review/queue.py, then the worker woken to act on it now."""
    out = await run_in_threadpool(act, desk.graph, principal, review_id, reason, _now())
    desk.wake()
    return out


def _now() -> datetime:
    return datetime.now(UTC)
