"""One chat request on its way through the gateway: its state, its answer, its records.

`Exchange` is a request after its decision (the attempts made, the cache state, the
pseudonyms to restore), `Answer` the candidate that answered, `Reply` what the route
returns. `Records` writes every attempt and the one response event; the paths of
api/gateway/service.py (the candidate loop in fallback.py, the response cache in
cache_path.py, the stream in stream_path.py) all build on it."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio

from api.gateway.cache import CacheKey
from api.gateway.errors import (
    DECISION_HEADER,
)
from api.gateway.gateway import Gateway
from api.gateway.hooks import ResponseEvent
from api.gateway.semantic import Probe
from api.gateway.upstream import (
    Endpoint,
)
from api.runtime import Runtime
from engine.decision import Decision
from engine.embedding import Vectors
from engine.model import Principal
from engine.provenance import Attempt, attempt_record

log = logging.getLogger("govroute.gateway")

Settle = Callable[[int | None], None]
"""Told once per request how many tokens the upstream reported (rate-limit budgets)."""


@dataclass
class Exchange:
    """One chat request after its decision: the attempts made so far."""

    decision: Decision
    principal: Principal
    started: float
    stream: bool
    settle: Settle | None = None
    attempts: list[Attempt] = field(default_factory=list)
    # Placeholder -> value restored in the answer: the decision's own and the vault's.
    pseudonyms: Mapping[str, str] = field(default_factory=dict, repr=False)
    order: list[str] = field(default_factory=list)  # the candidates as tried
    last_resort: str | None = None  # the one model called with its circuit open, if any
    calls: int = 0  # upstream calls that went out, against the request's attempt budget
    cache_key: CacheKey | None = None  # set when the answer may be stored
    cache_state: str = ""  # the X-Govroute-Cache header: "hit; ...", "miss; ...", "off; why"
    semantic: Probe | None = None  # set when the stored answer's prompt vector is kept too
    # The decision's embedding of the prompt (runtime.Decided), for the semantic match.
    prompt_vectors: Vectors | None = field(default=None, repr=False)
    prompt_segment: str | None = None
    order_note: str = ""  # how health ordered the candidates, recorded with the first attempt
    tools: frozenset[str] = frozenset()  # the tools the provider was offered: it may call them

    def records(self) -> list[dict[str, Any]]:
        return [attempt_record(a) for a in self.attempts]


@dataclass
class Answer:
    """The candidate that answered: a whole completion, or a stream and the chunks read
    before it was committed (up to and including the first that carries content)."""

    endpoint: Endpoint
    role: str  # "primary" | "fallback N"
    started: float
    completion: dict[str, Any] | None = None
    stream: AsyncGenerator[dict[str, Any], None] | None = None
    held: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Reply:
    """What the route returns: a JSON body or a stream of chunks, and the headers.

    `chunks` are filtered ``chat.completion.chunk`` objects; a broken stream ends with
    an error body (``{"error": ...}``). Format adapters (api/gateway/responses_api.py,
    completions_api.py) translate them; `events` is the chat completions SSE stream."""

    headers: dict[str, str]
    body: dict[str, Any] | None = None
    chunks: AsyncGenerator[dict[str, Any], None] | None = None
    status: int = 200  # 202: held for review

    @property
    def events(self) -> AsyncIterator[bytes] | None:
        return None if self.chunks is None else chat_sse(self.chunks)


class Records:
    """What every path of a chat request writes down: each attempt (provenance and
    hooks), the one response event (and the token settlement), the route headers."""

    runtime: Runtime
    gateway: Gateway

    def _record(
        self,
        ex: Exchange,
        model_id: str,
        status: str,
        latency_ms: float,
        *,
        http_status: int | None = None,
        detail: str = "",
    ) -> None:
        if ex.order_note and not ex.attempts:
            detail = f"{detail}; {ex.order_note}" if detail else ex.order_note
        attempt = Attempt(
            decision_id=ex.decision.id,
            model_id=model_id,
            attempt=len(ex.attempts) + 1,
            status=status,
            latency_ms=latency_ms,
            http_status=http_status,
            detail=detail,
        )
        ex.attempts.append(attempt)
        self.runtime.writer.submit_attempt(attempt_record(attempt))
        self.gateway.hooks.on_attempt(attempt)

    def _respond(
        self,
        ex: Exchange,
        status: str,
        model_id: str | None,
        *,
        usage: dict[str, Any] | None = None,
        redactions: int = 0,
        blocked_by: str | None = None,
        filtering_s: float = 0.0,
    ) -> None:
        usage = usage or {}
        total = 0 if status == "denied" else _int(usage.get("total_tokens"))
        if ex.settle is not None:
            try:
                ex.settle(total)
            except Exception:  # a budget correction must never fail the answer
                log.exception("settling the request's tokens failed")
        self.gateway.hooks.on_response(
            ResponseEvent(
                decision_id=ex.decision.id,
                principal_id=ex.principal.id,
                tenant_id=ex.principal.tenant,
                outcome=ex.decision.outcome.value,
                status=status,
                model_id=model_id,
                stream=ex.stream,
                attempts=len(ex.attempts),
                latency_ms=(time.monotonic() - ex.started) * 1000,
                prompt_tokens=_int(usage.get("prompt_tokens")),
                completion_tokens=_int(usage.get("completion_tokens")),
                total_tokens=total,
                output_redactions=redactions,
                blocked_by=blocked_by,
                output_filter_s=filtering_s,
            )
        )

    def _headers(
        self, decision: Decision, answer: Answer, preferred: str | None, order: list[str]
    ) -> dict[str, str]:
        return {
            DECISION_HEADER: decision.id,
            "X-Govroute-Model": answer.endpoint.model_id,
            "X-Govroute-Route": route_header(decision, answer.endpoint.model_id, preferred, order),
        }


def route_header(
    decision: Decision, used: str, preferred: str | None, order: list[str] | None = None
) -> str:
    """``candidates=a,b; order=b,a; used=b; requested=x (rejected: why)``, ASCII only;
    ``order`` appears when circuit breakers changed the decision's order."""
    route = decision.route
    parts = [f"candidates={','.join(route.candidates)}"]
    if order and list(order) != list(route.candidates):
        parts.append(f"order={','.join(order)}")
    parts.append(f"used={used}")
    if preferred is not None:
        rejected = next((c for c in route.rejected if c.model_id == preferred), None)
        if rejected is not None:
            parts.append(f"requested={preferred} (rejected: {'; '.join(rejected.reasons)})")
        elif preferred == used:
            parts.append(f"requested={preferred} (used)")
        elif preferred in route.candidates:
            parts.append(f"requested={preferred} (compliant, ranked after policy preferences)")
        else:
            parts.append(f"requested={preferred} (compliant, not among the candidates)")
    value = "; ".join(parts)
    return " ".join(value.split()).encode("ascii", "replace").decode("ascii")


def _sse(payload: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(payload, ensure_ascii=False).encode("utf-8") + b"\n\n"


async def chat_sse(chunks: AsyncGenerator[dict[str, Any], None]) -> AsyncIterator[bytes]:
    """Chat completion chunks as server-sent events, ``[DONE]`` after a stream that did
    not break. Closing this closes `chunks`, so their attempt is recorded at once."""
    broken = False
    try:
        async for chunk in chunks:
            broken = "error" in chunk
            yield _sse(chunk)
        if not broken:
            yield b"data: [DONE]\n\n"
    finally:
        with anyio.CancelScope(shield=True):
            await chunks.aclose()


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) else None
