"""The gateway's request path: decide, call compliant candidates, filter, record.

1. The chat request becomes a `DecideRequest` and `Runtime.decide` decides it
   (the same path as POST /v1/decide, provenance included). A deny raises
   `RequestDenied` (403 with the decision id and reasons); nothing is sent.
2. The upstream request is the decision's sanitized messages, plus the exposed
   context as one system message after the caller's leading system messages,
   with the caller's forwarded parameters and the provider's model name.
3. Candidates are the decision's (`route.candidates`), and only those: a model
   the decision rejected is never called. The gateway, not the decision, applies
   health: candidates whose circuit is open move last (`rank_by_state`), and one
   whose circuit is open is skipped (recorded as ``skipped_open_circuit``) unless
   no candidate after it could be called, when it is called anyway as the last
   resort (at most one per request; api/gateway/breaker.py says why). The request
   has `RetryPolicy.request_attempts` calls in all; a model gets its
   `RetryPolicy.share` of what is left (at most `max_attempts` while candidates
   remain behind it, each of which keeps one; the last one gets the rest), with
   backoff between retryable failures (timeouts, network errors, 408, 429, 5xx);
   then the next candidate. A request the model itself refuses (400, 413, 422) is
   not retried elsewhere. No attempt starts once the request's time is spent.
4. Every attempt, skip and retry becomes an `Attempt` on the decision's
   provenance (`attempt` numbers them in order across candidates) and goes to
   the hooks.
5. The answer is filtered (api/gateway/output.py); a stream is committed to a
   model at its first content chunk (chunks before it, such as the role-only
   chunk most servers start with, are held back), so a stall or failure before
   any text falls back like any other; a failure after that ends the stream with
   an in-band error event, since the caller already has part of the answer.

Where the decision's policies allow it (engine.serving), an identical sanitized request
(or, with `semantic_threshold`, one whose last user turn is a paraphrase: semantic.py)
is answered from the response cache (api/gateway/cache.py, cached.py) before step 2,
recorded as a ``cache_hit`` attempt; and the candidates are ordered by measured health
after the breakers (api/gateway/balance.py, health.py), the order on the first attempt.

Formats are adapters at the edges (api/gateway/translate.py): `Reply.chunks` are
OpenAI chunks as dicts, for a route that speaks another format.

The paths live beside this module, one concept each: exchange.py (the request's state
and records), fallback.py (the candidate loop), cache_path.py (the response cache),
stream_path.py (a streamed answer), sanitized.py (the upstream messages).
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any

import anyio

from api.gateway.cached import (
    CACHE_HEADER,
    from_completion,
)
from api.gateway.errors import (
    DECISION_HEADER,
    RequestDenied,
    UpstreamRejected,
    UpstreamsExhausted,
)
from api.gateway.exchange import Answer, Exchange, Reply, Settle, chat_sse, route_header
from api.gateway.fallback import FallbackLoop
from api.gateway.gateway import Gateway
from api.gateway.output import filter_completion, output_filter_for
from api.gateway.sanitized import CONTEXT_HEADING, sanitized_request
from api.gateway.schemas import ChatCompletionRequest, GovrouteContext, to_decide_request
from api.gateway.stream_path import StreamPath
from api.gateway.tools import (
    TOOL_PARTS,
    offered_tools,
    tool_decide_request,
    tool_skeleton,
    tools_header,
    uses_tools,
)
from api.gateway.upstream import (
    Endpoint,
)
from api.review.held import held_chunks, held_completion, held_headers
from api.runtime import Runtime
from engine.decision import Decision
from engine.errors import NotFound
from engine.model import Principal
from engine.vault import placeholders_in

__all__ = [
    "CONTEXT_HEADING",
    "ChatService",
    "Exchange",
    "Holder",
    "Reply",
    "Settle",
    "chat_sse",
    "route_header",
    "sanitized_request",
]


Holder = Callable[[Decision, Principal, dict[str, Any]], Awaitable[dict[str, Any]]]
"""Holds a `review` decision with the request's parameters; the held answer (api/review/)."""
INLINE_FILTER_CHARS = 2_000
"""A non-streamed answer this short is filtered on the event loop (a few hundred
microseconds at most); a longer one in a worker thread, so that it cannot hold up
other requests."""


class ChatService(StreamPath, FallbackLoop):
    def __init__(
        self,
        runtime: Runtime,
        gateway: Gateway,
        *,
        max_prompt_chars: int,
        hold: Holder | None = None,
    ) -> None:
        self.runtime = runtime
        self.gateway = gateway
        self.max_prompt_chars = max_prompt_chars
        self.hold = hold

    # ------------------------------------------------------------ entry point

    async def chat(
        self,
        principal: Principal,
        body: ChatCompletionRequest,
        ctx: GovrouteContext,
        *,
        settle: Settle | None = None,
    ) -> Reply:
        """Answer one chat request; `settle` hears the tokens used, once, whatever happens
        after the decision."""
        started = time.monotonic()
        preferred = body.preferred_model()
        if preferred is not None and preferred not in self.runtime.state.snapshot.models:
            raise NotFound(
                f"model '{preferred}' is not a govroute model: use 'auto' or an id from "
                "GET /v1/models"
            )
        decide_request = (
            tool_decide_request(body, ctx) if uses_tools(body) else to_decide_request(body, ctx)
        )
        decide_request.check_size(self.max_prompt_chars, "messages and context")
        decided = await self.runtime.decide_async(principal, decide_request)
        decision = decided.decision
        exchange = Exchange(decision, principal, started, stream=bool(body.stream), settle=settle)
        exchange.prompt_vectors = decided.prompt_vectors
        exchange.prompt_segment = decided.prompt_segment
        if decision.held:
            return await self._held(exchange, body)
        if not decision.allowed:
            self._respond(exchange, "denied", None)
            raise RequestDenied(decision)
        exchange.pseudonyms = await self._restorable(decision, principal)
        hit = await self._cached(exchange, body)
        if hit is not None:
            return self._cache_reply(exchange, body, hit, preferred)
        try:
            answer = await self._call_candidates(
                exchange, partial(self.upstream_request, decision, body)
            )
        except (UpstreamsExhausted, UpstreamRejected):
            self._respond(exchange, "upstream_failed", None)
            raise
        headers = self._headers(decision, answer, preferred, exchange.order)
        if exchange.cache_state:
            headers[CACHE_HEADER] = exchange.cache_state
        if uses_tools(body):
            headers |= tools_header(decision, body)
            exchange.tools = offered_tools(decision, body)
        if answer.completion is not None:
            return Reply(headers, body=await self._finish_completion(exchange, answer))
        return Reply(headers, chunks=self._chunks(exchange, answer, body))

    async def _held(self, ex: Exchange, body: ChatCompletionRequest) -> Reply:
        """A `review` decision: held (api/review/), answered 202; nothing is sent now."""
        if self.hold is None:
            self._respond(ex, "denied", None)
            raise RequestDenied(ex.decision)  # no review desk here: refuse, never send
        params = {**body.forwarded(), "model": body.model}
        params.pop("stream", None)
        params.pop("stream_options", None)
        if uses_tools(body):  # approval rebuilds them around the decision's texts
            params[TOOL_PARTS] = tool_skeleton(body)
        try:
            held = await self.hold(ex.decision, ex.principal, params)
        except BaseException:
            self._respond(ex, "hold_refused", None)  # e.g. the tenant's queue is full
            raise
        self._respond(ex, "held", None)
        created = int(time.time())
        headers = {DECISION_HEADER: ex.decision.id, **held_headers(held)}
        if body.stream:
            return Reply(headers, chunks=held_chunks(held, created), status=202)
        return Reply(headers, body=held_completion(held, created), status=202)

    async def serve_approved(
        self, principal: Principal, decision: Decision, body: ChatCompletionRequest
    ) -> dict[str, Any]:
        """A held request a reviewer approved, served like an allowed one: the stored,
        already sanitized messages to the decision's candidates, the answer filtered.
        Never streamed: the poller reads a whole completion."""
        exchange = Exchange(decision, principal, time.monotonic(), stream=False)
        exchange.pseudonyms = await self._restorable(decision, principal)
        if uses_tools(body):
            exchange.tools = offered_tools(decision, body)
        try:
            answer = await self._call_candidates(
                exchange, partial(self.upstream_request, decision, body)
            )
        except (UpstreamsExhausted, UpstreamRejected):
            self._respond(exchange, "upstream_failed", None)
            raise
        return await self._finish_completion(exchange, answer)

    async def _restorable(self, decision: Decision, principal: Principal) -> Mapping[str, str]:
        """What the answer may restore (`Runtime.restorable`); a shared vault is I/O, so
        it is asked from a worker thread, and only when the messages carry pseudonyms
        the decision did not make itself."""
        carried = placeholders_in(m.content for m in decision.messages) | placeholders_in(
            c.text for c in decision.context
        )
        if not (carried - decision.pseudonyms.keys()):
            return decision.pseudonyms
        if not self.runtime.vault.shared:
            return self.runtime.restorable(decision, principal)
        return await anyio.to_thread.run_sync(self.runtime.restorable, decision, principal)

    # ------------------------------------------------------------ upstream request

    def upstream_request(
        self, decision: Decision, body: ChatCompletionRequest, endpoint: Endpoint
    ) -> dict[str, Any]:
        messages, extra = sanitized_request(decision, body)
        forwarded = body.forwarded()
        if "tools" not in extra:
            forwarded.pop("parallel_tool_calls", None)
        return {"model": endpoint.upstream_model, "messages": messages, **forwarded, **extra}

    # ------------------------------------------------------------ candidates
    # ------------------------------------------------------------ answers

    async def _finish_completion(self, ex: Exchange, answer: Answer) -> dict[str, Any]:
        assert answer.completion is not None
        output = output_filter_for(
            ex.decision, self.runtime.state_for(ex.decision), self.gateway.secret, ex.pseudonyms
        )
        completion = answer.completion
        began = time.perf_counter()
        run = partial(
            filter_completion,
            completion,
            output,
            model_id=answer.endpoint.model_id,
            decision=ex.decision,
            tools=ex.tools,
        )
        if _answer_chars(completion) <= INLINE_FILTER_CHARS:
            filtered = run()  # cheaper than the hop to a worker thread and back
        else:
            filtered = await anyio.to_thread.run_sync(run)
        filtering = time.perf_counter() - began
        usage = filtered.body.get("usage") or {}
        if ex.cache_key is not None and not filtered.blocked:
            choices = from_completion(filtered.body, ex.pseudonyms)
            await self._store(ex, answer.endpoint.model_id, choices, usage or None)
        self._respond(
            ex,
            "blocked" if filtered.blocked else "ok",
            answer.endpoint.model_id,
            usage=usage,
            redactions=filtered.redactions,
            blocked_by=filtered.blocked.policy_id if filtered.blocked else None,
            filtering_s=filtering,
        )
        return filtered.body


def _answer_chars(completion: dict[str, Any]) -> int:
    """Characters of text the output filter will read in a completion (a bound)."""
    total = 0
    for choice in completion.get("choices") or []:
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            continue
        for part in ("content", "refusal"):
            value = message.get(part)
            if isinstance(value, str):
                total += len(value)
            elif value is not None:
                total += len(json.dumps(value))  # content parts: their JSON is a bound
    return total
