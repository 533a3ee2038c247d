"""The API's side of human review: holds requests and wakes the review worker.

Created in the app's lifespan (api/app.py) and reached by routes through
`ReviewDeskDep`. Graph writes hop to a worker thread: the driver blocks.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from api.review.queue import held_answer, hold_decision
from api.review.settings import ReviewSettings
from engine.decision import Decision
from engine.model import Principal
from engine.review import ReviewKind
from graph.connection import GraphClient


@dataclass
class ReviewDesk:
    graph: GraphClient
    settings: ReviewSettings
    # Set when a verdict or hold happened here, so the worker acts now, not next tick.
    woken: asyncio.Event = field(default_factory=asyncio.Event)

    async def hold_chat(
        self, decision: Decision, principal: Principal, params: dict[str, Any]
    ) -> dict[str, Any]:
        return await self._hold(decision, principal, ReviewKind.CHAT, params)

    async def hold_decide(self, decision: Decision, principal: Principal) -> dict[str, Any]:
        return await self._hold(decision, principal, ReviewKind.DECIDE, {})

    async def _hold(
        self, decision: Decision, principal: Principal, kind: ReviewKind, params: dict[str, Any]
    ) -> dict[str, Any]:
        held, _ = await run_in_threadpool(
            hold_decision,
            self.graph,
            decision,
            principal,
            kind,
            params,
            limit=self.settings.queue_limit,
            retry_after_s=self.settings.queue_full_retry_after_s,
        )
        self.wake()
        return held_answer(held)

    def wake(self) -> None:
        self.woken.set()


async def get_review_desk(request: Request) -> ReviewDesk:
    desk: ReviewDesk = request.app.state.review_desk
    return desk


ReviewDeskDep = Annotated[ReviewDesk, Depends(get_review_desk)]
