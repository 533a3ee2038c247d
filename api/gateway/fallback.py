"""The candidate loop of a chat request: retries, fallbacks, circuit breakers, and a
stream's commitment to a model at its first content chunk."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, Callable, Mapping
from typing import Any

import httpx

from api.gateway.breaker import BreakerState, Grant
from api.gateway.errors import (
    UpstreamRejected,
    UpstreamsExhausted,
)
from api.gateway.exchange import Answer, Exchange, Records
from api.gateway.upstream import (
    Endpoint,
    UpstreamCallError,
    UpstreamClient,
    endpoint_for,
)

log = logging.getLogger("govroute.gateway")

_REFUSED_BY_MODEL = frozenset({400, 413, 422})


class FallbackLoop(Records):
    """The decision's candidates in health order, each with its share of the attempts,
    retried with backoff and fallen back from (service.py's docstring, step 3)."""

    async def _call_candidates(
        self,
        ex: Exchange,
        request_for: Callable[[Endpoint], dict[str, Any]],
        clients: Mapping[str, UpstreamClient] | None = None,
    ) -> Answer:
        """The first answer of the decision's candidates; `request_for` builds the upstream
        body for each, `clients` (default: the gateway's chat clients) call it by API kind."""
        clients = self.gateway.clients_by_kind if clients is None else clients
        settings = self.gateway.settings
        # The version that decided routes: a canary's candidate may know other models.
        snapshot = self.runtime.state_for(ex.decision).snapshot
        deadline = ex.started + settings.request_budget_s
        last = "no candidate was tried"
        ex.order, states, ex.order_note = await self.gateway.plan(
            ex.decision.route.candidates, ex.decision.balance, snapshot
        )
        for position, model_id in enumerate(ex.order):
            role = "primary" if position == 0 else f"fallback {position}"
            # Nothing after this one would be called: an open circuit must not fail
            # the request while the model may still answer.
            alone = all(states.get(m) is BreakerState.OPEN for m in ex.order[position + 1 :])
            endpoint = endpoint_for(model_id, snapshot, settings)
            client = clients.get(endpoint.kind) if endpoint else None
            if endpoint is None or client is None:
                last = (
                    f"provider of {model_id} declares no API"
                    if endpoint is None
                    else f"no client for API kind '{endpoint.kind}'"
                )
                self._record(ex, model_id, "error", 0.0, detail=f"{role}: {last}")
                continue
            retry = self.gateway.retry
            allowed = retry.share(retry.request_attempts - ex.calls, len(ex.order) - position - 1)
            if allowed == 0:
                spent = f"attempt budget of {retry.request_attempts} calls spent"
                raise UpstreamsExhausted(ex.decision.id, ex.records(), f"{last}; {spent}")
            request = request_for(endpoint)
            answer, last = await self._try_model(
                ex, client, request, endpoint, role, deadline, alone=alone, allowed=allowed
            )
            if answer is not None:
                return answer
        raise UpstreamsExhausted(ex.decision.id, ex.records(), last)

    async def _try_model(
        self,
        ex: Exchange,
        client: UpstreamClient,
        request: dict[str, Any],
        endpoint: Endpoint,
        role: str,
        deadline: float,
        *,
        alone: bool,
        allowed: int,
    ) -> tuple[Answer | None, str]:
        """Up to `allowed` calls to one model: its answer, or None and why not.
        `alone`: no candidate after this one could be called."""
        breakers = self.gateway.breakers
        model_id = endpoint.model_id
        timeout = self.gateway.http.timeout
        attempt = 0
        while True:
            attempt += 1
            if time.monotonic() >= deadline:
                spent = f"request budget of {self.gateway.settings.request_budget_s:g}s spent"
                raise UpstreamsExhausted(ex.decision.id, ex.records(), spent)
            may_force = alone and ex.last_resort in (None, model_id)
            grant = await breakers.acquire(model_id, last_resort=may_force)
            if grant is None:
                self._record(ex, model_id, "skipped_open_circuit", 0.0, detail=role)
                return None, f"{model_id}: circuit open"
            if grant is Grant.LAST_RESORT:
                ex.last_resort = model_id
            note = "; circuit open, called as the last resort" if grant is Grant.LAST_RESORT else ""
            started = time.monotonic()
            ex.calls += 1
            try:
                answer = await self._call(client, request, endpoint, ex.stream, role, timeout)
            except UpstreamCallError as exc:
                latency = (time.monotonic() - started) * 1000
                refused = exc.kind == "http" and exc.status in _REFUSED_BY_MODEL
                if exc.endpoint_failure or exc.kind == "protocol":
                    await breakers.record(model_id, ok=False, grant=grant)
                    await self.gateway.health.observe(model_id, latency, failed=True)
                elif exc.kind == "config":
                    ex.calls -= 1  # nothing went out: the budget is untouched
                    await breakers.release(model_id, grant)
                else:  # it answered: the request was at fault, not the endpoint
                    await breakers.record(model_id, ok=True, grant=grant)
                delay = self._delay(exc, attempt, allowed, deadline)
                then = (
                    f"retrying in {delay:.2f}s"
                    if delay is not None
                    else "refused by the model"
                    if refused
                    else "falling back"
                )
                self._record(
                    ex,
                    model_id,
                    _status(exc),
                    latency,
                    http_status=exc.status,
                    detail=f"{role}, try {attempt}{note}: {exc.message}; {then}",
                )
                if refused:
                    raise UpstreamRejected(ex.decision.id, ex.records(), exc.message) from exc
                if delay is None:
                    return None, exc.message
                await asyncio.sleep(delay)
                continue
            await breakers.record(model_id, ok=True, grant=grant)
            # A stream's latency is to its first content chunk: what the caller waits for.
            await self.gateway.health.observe(
                model_id, (time.monotonic() - started) * 1000, failed=False
            )
            if answer.completion is not None:  # a stream's attempt is recorded at its end
                latency = (time.monotonic() - started) * 1000
                detail = f"{role}, try {attempt}{note}"
                self._record(ex, model_id, "ok", latency, http_status=200, detail=detail)
            return answer, ""

    async def _call(
        self,
        client: UpstreamClient,
        request: dict[str, Any],
        endpoint: Endpoint,
        stream: bool,
        role: str,
        timeout: httpx.Timeout,
    ) -> Answer:
        started = time.monotonic()
        if not stream:
            completion = await client.complete(request, endpoint=endpoint, timeout=timeout)
            return Answer(endpoint, role, started, completion=completion)
        chunks = client.stream(request, endpoint=endpoint, timeout=timeout)
        held: list[dict[str, Any]] = []
        try:
            # Committed at the first chunk with content: a stall after a role-only
            # chunk must still fall back, since the caller has seen nothing yet.
            while not (held and _commits(held[-1])):
                held.append(await chunks.__anext__())
        except StopAsyncIteration:
            if not held:
                raise UpstreamCallError(
                    f"{endpoint.provider_id} ended the stream before any chunk", kind="protocol"
                ) from None
        except BaseException:
            await close_stream(chunks)
            raise
        return Answer(endpoint, role, started, stream=chunks, held=held)

    def _delay(
        self, exc: UpstreamCallError, attempt: int, allowed: int, deadline: float
    ) -> float | None:
        if not exc.retryable:
            return None
        delay = self.gateway.retry.delay(
            attempt, exc.retry_after, self.gateway.rng, allowed=allowed
        )
        if delay is not None and time.monotonic() + delay >= deadline:
            return None
        return delay


def _status(exc: UpstreamCallError) -> str:
    if exc.kind == "timeout":
        return "timeout"
    if exc.status == 429:
        return "rate_limited"
    return "error"


def _commits(chunk: dict[str, Any]) -> bool:
    """Does this chunk commit the stream to its model: text, a finish, or usage?"""
    if chunk.get("usage"):
        return True
    for choice in chunk.get("choices") or []:
        if not isinstance(choice, dict):
            continue
        delta = choice.get("delta")
        content = delta.get("content") if isinstance(delta, dict) else None
        if content or choice.get("finish_reason"):
            return True
    return False


async def close_stream(chunks: AsyncGenerator[dict[str, Any], None] | None) -> None:
    if chunks is None:
        return
    try:
        await chunks.aclose()
    except Exception:  # closing a broken stream may raise what broke it; nothing to do
        log.debug("closing an upstream stream raised", exc_info=True)
