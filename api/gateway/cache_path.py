"""The response cache's part of a chat request (docs/gateway.md "Response cache")."""

from __future__ import annotations

import time
from typing import Any

from api.gateway.cache import CachedAnswer, CacheKey, cache_key, not_cacheable
from api.gateway.cached import (
    CACHE_HEADER,
    SemanticHit,
    chunks_for,
    completion_for,
    hit_header,
)
from api.gateway.errors import (
    DECISION_HEADER,
)
from api.gateway.exchange import Exchange, Records, Reply, route_header
from api.gateway.sanitized import sanitized_request
from api.gateway.schemas import ChatCompletionRequest
from api.gateway.semantic import lookup, probe_for
from api.gateway.tools import (
    uses_tools,
)


class CachePath(Records):
    """The policy-aware response cache on the request path: a stored answer before any
    candidate is called, and the filtered answer stored after (api/gateway/cache.py)."""

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
