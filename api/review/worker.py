"""The review worker: one asyncio task per replica that carries verdicts out.

Each tick (every `worker_interval_s`, or at once when the desk is woken):
1. expires pending holds whose time has come (refused, with the reason);
2. claims review changes not yet announced (the outbox, graph/review_queries.py),
   observes time to review and POSTs the webhook, then marks them announced;
3. claims approved chat requests nobody has served yet and serves them through the
   gateway (the stored, redacted request to the decision's candidates), keeping the
   filtered answer on the Review for the poller for `answer_keep_s`; then announces
   again (the `served` events);
4. removes answers kept longer than that;
5. sets the queue-depth gauge from the graph.

Approvals made with the CLI reach the same outbox, so they are served and announced
by whichever replica's worker claims them first. A claim is a lease: a replica that
dies mid-way leaves the work to another once the lease lapses.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool

from api.gateway.schemas import ChatCompletionRequest
from api.gateway.service import ChatService
from api.gateway.tools import TOOL_PARTS, released_request
from api.review.desk import ReviewDesk
from api.review.queue import review_view
from api.review.webhook import Webhook
from api.telemetry import Telemetry
from engine.errors import GovroutError
from engine.review import decision_from_held
from graph import review_store
from graph.review_store import StoredReview

log = logging.getLogger("govroute.review")

BATCH = 20
"""Reviews claimed per tick and kind: a backlog drains over ticks, not in one burst."""
_VERDICTS = frozenset({"approved", "rejected", "expired"})


class ReviewWorker:
    def __init__(
        self,
        desk: ReviewDesk,
        chat: Callable[[], ChatService],
        telemetry: Telemetry,
        webhook: Webhook | None,
    ) -> None:
        self.desk = desk
        self.graph = desk.graph
        self.settings = desk.settings
        self.chat = chat
        self.telemetry = telemetry
        self.webhook = webhook
        self._tenants: set[str] = set()  # tenants whose gauge was set, to report them at 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> ReviewWorker:
        self._task = asyncio.create_task(self._run(), name="review-worker")
        return self

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.webhook is not None:
            await self.webhook.aclose()

    async def _run(self) -> None:
        while True:
            try:
                await self.tick()
            except GovroutError as exc:  # the graph away: try again next tick
                log.warning("review worker tick failed: %s", exc.message)
            except Exception:
                log.exception("review worker tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.desk.woken.wait(), self.settings.worker_interval_s)
            self.desk.woken.clear()

    async def tick(self) -> None:
        now = datetime.now(UTC)
        await run_in_threadpool(review_store.expire_due, self.graph, now)
        # Announce before serving too: a verdict is heard before its (slower) answer,
        # rather than folded into the `served` event that follows it.
        await self._announce_changes()
        claimed = await run_in_threadpool(
            review_store.claim_serving,
            self.graph,
            datetime.now(UTC),
            lease_s=self.settings.lease_s,
            limit=BATCH,
        )
        for review_id, held in claimed:
            await self._serve(review_id, held)
        if claimed:
            await self._announce_changes()
        await run_in_threadpool(review_store.purge_answers, self.graph, datetime.now(UTC))
        depths = await run_in_threadpool(review_store.queue_depth, self.graph, datetime.now(UTC))
        self._tenants |= depths.keys()
        self.telemetry.review_queue({t: depths.get(t, 0) for t in self._tenants})

    async def _announce_changes(self) -> None:
        events = await run_in_threadpool(
            review_store.claim_events,
            self.graph,
            datetime.now(UTC),
            lease_s=self.settings.lease_s,
            limit=BATCH,
        )
        await asyncio.gather(*(self._announce(r) for r in events))

    async def _serve(self, review_id: str, held: Mapping[str, Any]) -> None:
        answer: dict[str, Any] | None = None
        error: str | None = None
        try:
            decision, principal = decision_from_held(held)
            body = approved_request(held)
            answer = await self.chat().serve_approved(principal, decision, body)
        except GovroutError as exc:
            error = exc.message
        except (KeyError, ValueError) as exc:  # a held request this replica cannot read
            error = f"the held request could not be read: {exc!r}"
        await run_in_threadpool(
            lambda: review_store.record_served(
                self.graph,
                review_id,
                datetime.now(UTC),
                answer=answer,
                error=error,
                keep_s=self.settings.answer_keep_s,
            )
        )

    async def _announce(self, review: StoredReview) -> None:
        """Each pending change of one review, in order: metrics, webhook, done."""
        for event in review.pending_events:
            if event in _VERDICTS and review.decided_at is not None:
                seconds = (review.decided_at - review.created_at).total_seconds()
                self.telemetry.review_decided(event, seconds)
            if self.webhook is None:
                status = "no webhook configured"
            else:
                view = review_view(review, requester=False)
                view.pop("request")  # the held text stays in govroute: poll for it with a key
                view.pop("webhook")
                delivery = await self.webhook.send(event, view)
                status = delivery.status
            await run_in_threadpool(review_store.event_done, self.graph, review.id, event, status)


def approved_request(held: Mapping[str, Any]) -> ChatCompletionRequest:
    """The chat request an approval serves: the held parameters, and either the shape of
    its tool parts (api/gateway/tools.py) or its plain messages. The upstream request is
    built from the decision's sanitized texts; these only give it its shape."""
    params = dict(held["params"])
    skeleton = params.pop(TOOL_PARTS, None)
    if skeleton is not None:
        return released_request(params, skeleton)
    return ChatCompletionRequest.model_validate(
        {
            **params,
            "messages": [{"role": m[0], "content": m[1]} for m in held["decision"]["messages"]],
            "stream": False,
        }
    )
