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
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import anyio
import httpx

from api.errors import error_body
from api.gateway.breaker import BreakerState, Grant
from api.gateway.cache import CachedAnswer, CacheKey, cache_key, not_cacheable
from api.gateway.cached import (
    CACHE_HEADER,
    SemanticHit,
    StreamRecorder,
    chunks_for,
    completion_for,
    from_completion,
    hit_header,
)
from api.gateway.errors import (
    DECISION_HEADER,
    RequestDenied,
    UpstreamRejected,
    UpstreamsExhausted,
)
from api.gateway.gateway import Gateway
from api.gateway.hooks import ResponseEvent
from api.gateway.output import ChunkFilter, completion_id, filter_completion, output_filter_for
from api.gateway.schemas import ChatCompletionRequest, GovrouteContext, to_decide_request
from api.gateway.semantic import Probe, lookup, probe_for
from api.gateway.tools import (
    TOOL_PARTS,
    offered_tools,
    retrieved_only,
    tool_decide_request,
    tool_skeleton,
    tools_header,
    upstream_messages,
    upstream_tools,
    uses_tools,
)
from api.gateway.upstream import (
    Endpoint,
    UpstreamCallError,
    UpstreamClient,
    endpoint_for,
)
from api.review.held import held_chunks, held_completion, held_headers
from api.runtime import Runtime
from engine.decision import Decision
from engine.embedding import Vectors
from engine.errors import NotFound
from engine.model import Principal
from engine.provenance import Attempt, attempt_record
from engine.vault import placeholders_in

log = logging.getLogger("govroute.gateway")

CONTEXT_HEADING = "Context:"

Settle = Callable[[int | None], None]
"""Told once per request how many tokens the upstream reported (rate-limit budgets)."""
Holder = Callable[[Decision, Principal, dict[str, Any]], Awaitable[dict[str, Any]]]
"""Holds a `review` decision with the request's parameters; the held answer (api/review/)."""
_REFUSED_BY_MODEL = frozenset({400, 413, 422})
INLINE_FILTER_CHARS = 2_000
"""A non-streamed answer this short is filtered on the event loop (a few hundred
microseconds at most); a longer one in a worker thread, so that it cannot hold up
other requests."""


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


class ChatService:
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

    # ------------------------------------------------------------ response cache

    async def _cached(
        self, ex: Exchange, body: ChatCompletionRequest
    ) -> tuple[CacheKey, CachedAnswer, SemanticHit | None] | None:
        """The stored answer to this request, if the policies cache it and one is live;
        otherwise the exchange remembers the key its answer is stored under."""
        cache = self.gateway.cache
        decision = ex.decision
        if cache is None or decision.cache is None:
            return None
        params = body.forwarded()
        # A stored answer keeps text only: tool calls would be lost on a hit.
        why_not = "tool calling is not cached" if uses_tools(body) else None
        why_not = why_not or not_cacheable(decision, params)
        if why_not is not None:
            ex.cache_state = f"off; {why_not}"
            return None
        messages = sanitized_request(decision, body)[0]
        key = cache_key(decision, messages, params)
        began = time.monotonic()
        entry = await cache.get(key)
        found, semantic, note = key, None, ""
        if entry is None and decision.cache.semantic_threshold is not None:
            probe = probe_for(decision, messages, params, ex.prompt_vectors, ex.prompt_segment)
            if isinstance(probe, str):
                note = f"; semantic skipped: {probe}"
            else:
                looked = await lookup(cache, probe, key, ex.pseudonyms)
                if isinstance(looked, str):
                    ex.semantic, note = probe, f"; semantic miss: {looked}"
                else:
                    found, entry, semantic = looked
        if entry is None:
            ex.cache_key, ex.cache_state = key, f"miss; key={key.short}{note}"
            return None
        how = (
            ""
            if semantic is None
            else f"semantic match (cosine {semantic.similarity:.4f} >= "
            f"{decision.cache.semantic_threshold:g}; this request's key {key.short}): "
        )
        detail = (
            f"served from the response cache: {how}entry {found.short}, stored "
            f"{entry.stored_at_iso} for decision {entry.decision_id} (the output filter ran "
            f"then); policies {', '.join(decision.cache.policies)}, ttl {key.ttl_s}s"
        )
        self._record(
            ex, entry.model_id, "cache_hit", (time.monotonic() - began) * 1000, detail=detail
        )
        ex.cache_state = hit_header(found, entry, semantic)
        return found, entry, semantic

    def _cache_reply(
        self,
        ex: Exchange,
        body: ChatCompletionRequest,
        hit: tuple[CacheKey, CachedAnswer, SemanticHit | None],
        preferred: str | None,
    ) -> Reply:
        key, entry, semantic = hit
        decision = ex.decision
        headers = {
            DECISION_HEADER: decision.id,
            "X-Govroute-Model": entry.model_id,
            "X-Govroute-Route": route_header(decision, entry.model_id, preferred),
            CACHE_HEADER: ex.cache_state,
        }
        self._respond(ex, "cache_hit", entry.model_id)  # no upstream tokens were spent
        if not body.stream:
            completion = completion_for(entry, key, decision, ex.pseudonyms, semantic)
            return Reply(headers, body=completion)
        options = body.stream_options
        include_usage = bool(options is not None and getattr(options, "include_usage", False))
        chunks = chunks_for(entry, decision, ex.pseudonyms, include_usage=include_usage)
        return Reply(headers, chunks=chunks)

    async def _store(self, ex: Exchange, model_id: str, choices: Any, usage: Any) -> None:
        """Keep the filtered, sealed answer for the next identical request."""
        cache, key = self.gateway.cache, ex.cache_key
        if cache is None or key is None:
            return
        stored = await cache.put(key, cache.entry_for(key, ex.decision, model_id, choices, usage))
        if stored and ex.semantic is not None:
            await cache.remember(ex.semantic.partition, key, ex.semantic.vector)

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
            await _close(chunks)
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

    async def _chunks(
        self, ex: Exchange, answer: Answer, body: ChatCompletionRequest
    ) -> AsyncGenerator[dict[str, Any], None]:
        """The filtered chunks, then the in-band error body if the stream broke."""
        assert answer.stream is not None
        assert answer.held
        model_id = answer.endpoint.model_id
        output = output_filter_for(
            ex.decision, self.runtime.state_for(ex.decision), self.gateway.secret, ex.pseudonyms
        )
        chunks = ChunkFilter(
            output,
            model_id=model_id,
            completion_id=completion_id(answer.held[0].get("id"), output, ex.decision),
            choices_expected=body.n or 1,
            hold=self.gateway.settings.stream_hold_chars,
            tools=ex.tools,
        )
        received = 0
        status, detail, closed = "ok", "", False
        filtering = 0.0
        recorder = StreamRecorder() if ex.cache_key is not None else None

        def filtered(step: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
            nonlocal filtering
            began = time.perf_counter()
            try:
                out = step()
            finally:
                filtering += time.perf_counter() - began
            if recorder is not None:
                for chunk in out:
                    recorder.saw(chunk)
            return out

        try:
            for held in answer.held:
                received += 1
                for out in filtered(partial(chunks.on_chunk, held)):
                    yield out
            if not chunks.done:
                async for upstream_chunk in answer.stream:
                    received += 1
                    for out in filtered(partial(chunks.on_chunk, upstream_chunk)):
                        yield out
                    if chunks.done:
                        break
            for out in filtered(chunks.finish):
                yield out
            if recorder is not None and chunks.blocked is None:
                choices = recorder.choices(ex.pseudonyms)
                await self._store(ex, model_id, choices, chunks.usage)
        except UpstreamCallError as exc:
            status, detail = "error", f"; broke after {received} chunks: {exc.message}"
            await self.gateway.breakers.record(model_id, ok=False)
            yield error_body(
                f"the model's stream broke ({ex.decision.id}): {exc.message}",
                type_="upstream_error",
                code="upstream_stream_broken",
                decision_id=ex.decision.id,
            )
        except BaseException:  # the caller went away (cancelled or closed): the model was fine
            closed = True
            detail = f"; the caller closed the stream after {received} chunks"
            raise
        finally:
            with anyio.CancelScope(shield=True):
                await _close(answer.stream)
            latency = (time.monotonic() - answer.started) * 1000
            blocked = chunks.blocked
            self._record(
                ex,
                model_id,
                status,
                latency,
                http_status=200,
                detail=f"{answer.role}, streamed {received} chunks{detail}"
                + (f"; answer blocked by {blocked.policy_id}" if blocked else ""),
            )
            outcome = "stream_error" if status != "ok" else "blocked" if blocked else "ok"
            self._respond(
                ex,
                "client_closed" if closed else outcome,
                model_id,
                usage=chunks.usage or {},
                redactions=chunks.redactions,
                blocked_by=blocked.policy_id if blocked else None,
                filtering_s=filtering,
            )

    # ------------------------------------------------------------ records

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


def sanitized_request(
    decision: Decision, body: ChatCompletionRequest
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The sanitized messages as sent (the exposed context as one system message after
    the caller's leading system messages), and the tool fields of the request; with
    tools, each tool part goes back where it was (api/gateway/tools.py)."""
    extra: dict[str, Any] = {}
    if uses_tools(body):
        messages = upstream_messages(decision, body)
        context = retrieved_only(decision, body)
        extra = upstream_tools(decision, body)
    else:
        messages = [{"role": m.role, "content": m.content} for m in decision.messages]
        context = [(c.item_id, c.text) for c in decision.context]
    if context:
        text = "\n\n".join(f"[{item_id}] {item_text}" for item_id, item_text in context)
        lead = next(
            (i for i, m in enumerate(messages) if m["role"] not in ("system", "developer")),
            len(messages),
        )
        messages.insert(lead, {"role": "system", "content": f"{CONTEXT_HEADING}\n{text}"})
    return messages, extra


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


def _status(exc: UpstreamCallError) -> str:
    if exc.kind == "timeout":
        return "timeout"
    if exc.status == 429:
        return "rate_limited"
    return "error"


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


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) else None


async def _close(chunks: AsyncGenerator[dict[str, Any], None] | None) -> None:
    if chunks is None:
        return
    try:
        await chunks.aclose()
    except Exception:  # closing a broken stream may raise what broke it; nothing to do
        log.debug("closing an upstream stream raised", exc_info=True)
