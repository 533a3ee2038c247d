"""The review queue in the console: held requests of the reviewer's tenant, approve or reject.

A thin page over the same functions as the review API and `govroute review`
(api/review/queue.py): what a reviewer sees is the held, already redacted request,
the policies that held it, and when it expires; a verdict needs a reason. The
forms post back here (the session cookie is SameSite=Strict, so another site's
form cannot carry it) and redirect to the queue, which says what was decided.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.console.access import ReviewerDep
from api.console.render import page, query
from api.review import queue
from api.review.desk import ReviewDeskDep
from engine.review import ReviewStatus
from graph.review_store import ReviewFilter

router = APIRouter(prefix="/console", include_in_schema=False)

MAX_FORM = 8192  # a reason is at most 2,000 characters (api/review/queue.py)
ReviewId = Annotated[str, Path(pattern=r"^dec_[0-9a-f]{32}$")]
Status = Literal["pending", "approved", "rejected", "expired", "all"]
STATUSES: tuple[Status, ...] = ("pending", "approved", "rejected", "expired", "all")


@router.get("/reviews", response_class=HTMLResponse)
async def reviews_page(
    request: Request,
    viewer: ReviewerDep,
    desk: ReviewDeskDep,
    status: Status = "pending",
    done: Annotated[str | None, Query(pattern=r"^dec_[0-9a-f]{32}$")] = None,
) -> HTMLResponse:
    filters = ReviewFilter(status=None if status == "all" else ReviewStatus(status))
    listed = await run_in_threadpool(
        queue.queue, desk.graph, viewer.principal, filters, datetime.now(UTC)
    )
    decided = next((r for r in listed if r["id"] == done), None) if done else None
    if done and decided is None:  # decided and no longer in this list: read it alone
        decided = await run_in_threadpool(
            queue.detail, desk.graph, viewer.principal, done, datetime.now(UTC)
        )
    return page(
        request,
        "reviews.html",
        viewer,
        reviews=listed,
        status=status,
        statuses=STATUSES,
        decided=decided,
    )


@router.post("/reviews/{review_id}/{verdict}")
async def give_verdict(
    request: Request,
    review_id: ReviewId,
    verdict: Literal["approve", "reject"],
    viewer: ReviewerDep,
    desk: ReviewDeskDep,
) -> RedirectResponse:
    body = (await request.body())[:MAX_FORM].decode("utf-8", errors="replace")
    reason = parse_qs(body).get("reason", [""])[0]
    act = queue.approve if verdict == "approve" else queue.reject
    await run_in_threadpool(act, desk.graph, viewer.principal, review_id, reason, _now())
    desk.wake()  # the worker serves an approved chat request now, not at its next tick
    return RedirectResponse(f"/console/reviews?{query(done=review_id)}", status_code=303)


def _now() -> datetime:
    return datetime.now(UTC)
