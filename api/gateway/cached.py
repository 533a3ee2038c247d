"""Answers to and from the response cache (api/gateway/cache.py), in OpenAI shapes.

A miss stores what the caller got, sealed (`from_completion`, `StreamRecorder`); a
hit becomes a ``chat.completion`` or a chunk stream again (`completion_for`,
`chunks_for`), with the new decision's id and the stored answer's provenance in the
``govroute`` field and the ``X-Govroute-Cache`` header. The output filter does not
run again on a hit: it ran when the answer was stored, under the same policy
version (the version is part of the key).
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, field
from typing import Any

from api.gateway.cache import CachedAnswer, CachedChoice, CacheKey, seal
from engine.decision import Decision

CACHE_HEADER = "X-Govroute-Cache"
REPLAY_CHUNK_CHARS = 64
"""A replayed stream sends its answer in pieces this long: a client that renders as
it reads sees text arrive as it would from a model, only sooner."""


def from_completion(body: Mapping[str, Any], pseudonyms: Mapping[str, str]) -> list[CachedChoice]:
    """The choices of a filtered ``chat.completion``, sealed for storing."""
    out = []
    for choice in body.get("choices") or []:
        message = choice.get("message") or {}
        content = message.get("content")
        text = seal(content, pseudonyms) if isinstance(content, str) else None
        out.append(CachedChoice(int(choice.get("index", 0)), text, choice.get("finish_reason")))
    return out


@dataclass
class StreamRecorder:
    """Collects the filtered chunks a caller was sent, to store them once the stream ended well."""

    texts: dict[int, list[str]] = field(default_factory=dict)
    finishes: dict[int, str | None] = field(default_factory=dict)

    def saw(self, chunk: Mapping[str, Any]) -> None:
        for choice in chunk.get("choices") or []:
            index = int(choice.get("index", 0))
            delta = choice.get("delta") or {}
            content = delta.get("content")
            self.texts.setdefault(index, [])
            if isinstance(content, str):
                self.texts[index].append(content)
            if choice.get("finish_reason"):
                self.finishes[index] = choice["finish_reason"]

    def choices(self, pseudonyms: Mapping[str, str]) -> list[CachedChoice]:
        return [
            CachedChoice(i, seal("".join(parts), pseudonyms), self.finishes.get(i))
            for i, parts in sorted(self.texts.items())
        ]


@dataclass(frozen=True, slots=True)
class SemanticHit:
    """How a semantic hit was found: this request's own key missed, `similarity` of the
    prompt embeddings led to the entry (whose key the hit names)."""

    request_key: CacheKey
    similarity: float


def cache_field(
    key: CacheKey, entry: CachedAnswer, semantic: SemanticHit | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "hit": True,
        "match": "exact" if semantic is None else "semantic",
        "key": key.short,
        "stored_at": entry.stored_at_iso,
        "stored_by_decision": entry.decision_id,
    }
    if semantic is not None:
        out["similarity"] = round(semantic.similarity, 4)
        out["request_key"] = semantic.request_key.short
    return out


def hit_header(key: CacheKey, entry: CachedAnswer, semantic: SemanticHit | None = None) -> str:
    header = f"hit; key={key.short}; stored={entry.stored_at_iso}"
    if semantic is not None:
        header += f"; semantic={semantic.similarity:.4f}; request_key={semantic.request_key.short}"
    return header


def completion_for(
    entry: CachedAnswer,
    key: CacheKey,
    decision: Decision,
    pseudonyms: Mapping[str, str],
    semantic: SemanticHit | None = None,
) -> dict[str, Any]:
    """A hit as the ``chat.completion`` the caller would have got, under the new decision."""
    body: dict[str, Any] = {
        "id": f"chatcmpl-{decision.id.removeprefix('dec_')}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": entry.model_id,
        "choices": [
            {
                "index": c.index,
                "message": {"role": "assistant", "content": c.content},
                "finish_reason": c.finish_reason,
                "logprobs": None,
            }
            for c in entry.unsealed(pseudonyms)
        ],
    }
    if entry.usage is not None:
        body["usage"] = dict(entry.usage)
    body["govroute"] = {
        "decision_id": decision.id,
        "outcome": decision.outcome.value,
        "model": entry.model_id,
        "output_redactions": 0,
        "blocked_by": None,
        "cache": cache_field(key, entry, semantic),
    }
    return body


async def chunks_for(
    entry: CachedAnswer,
    decision: Decision,
    pseudonyms: Mapping[str, str],
    *,
    include_usage: bool,
) -> AsyncGenerator[dict[str, Any], None]:
    """A hit as a chunk stream: the role, the text in pieces, the finish, the usage."""
    envelope = {
        "id": f"chatcmpl-{decision.id.removeprefix('dec_')}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": entry.model_id,
    }

    def chunk(index: int, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            **envelope,
            "choices": [
                {"index": index, "delta": delta, "finish_reason": finish, "logprobs": None}
            ],
        }

    for choice in entry.unsealed(pseudonyms):
        yield chunk(choice.index, {"role": "assistant"})
        text = choice.content or ""
        for start in range(0, len(text), REPLAY_CHUNK_CHARS):
            yield chunk(choice.index, {"content": text[start : start + REPLAY_CHUNK_CHARS]})
        yield chunk(choice.index, {}, choice.finish_reason or "stop")
    if include_usage and entry.usage is not None:
        yield {**envelope, "choices": [], "usage": dict(entry.usage)}
