"""The policy-aware response cache: a filtered answer served again to the same request.

What makes two requests "the same" is the key, a SHA-256 over:
- the caller's tenant and the PolicySet version that decided (a new version, a
  canary or a rollback starts from an empty cache; no tenant ever reads another's);
- the route: the decision's candidates in order (what may answer);
- the request as it would be sent: the SANITIZED messages and context, after
  redaction and pseudonymization, never the caller's raw text;
- every parameter forwarded to the model (temperature, max_tokens, tools,
  response_format, seed, stop...), except the stream flags: a stream and a plain
  request share their answers.

Only a decision whose applicable policies set `cache:` (engine.serving.CacheRule) is
cached, for the TTL they set, and only a deterministic request: at most one choice,
a temperature at most the rule's `max_temperature` (0 unless a policy says so; an
absent temperature is the provider's default, 1). What is stored is the answer after
the output filter, with every pseudonym the caller could see sealed back into its
placeholder (`seal`), so no restored value is ever stored; a hit restores the
placeholders this request may see (`unseal`). A blocked or broken answer is never
stored.

Stores: Redis when REDIS_URL is set (keys expire with their TTL, so a Redis with
``maxmemory-policy volatile-lru`` or ``allkeys-lru`` evicts them first and never
refuses a write for them; an entry larger than `max_entry_bytes` is not stored), or
this process's memory (least recently used first out, bounded in entries and bytes).
Every Redis call is bounded by `timeout_s`; a failure is a miss (or a skipped store),
never a failed request, and Redis is left alone for `retry_s` after one.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from api.gateway.vectors import Match, MemoryVectors, RedisVectors, Vector, VectorIndex, nearest
from engine.decision import Decision
from engine.redact import restore

log = logging.getLogger("govroute.gateway.cache")

PREFIX = "govroute:cache:"
KEY_VERSION = 1  # bump when what goes into a key changes: old entries then never match
DEFAULT_TEMPERATURE = 1.0
"""What a provider samples at when the request names no temperature (OpenAI's default)."""
_NOT_KEYED = frozenset({"stream", "stream_options"})
_ERROR_LOG_INTERVAL_S = 60.0
Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class CacheKey:
    digest: str  # hex SHA-256 of the key material
    tenant: str
    policy_version: str
    ttl_s: int

    @property
    def short(self) -> str:
        """What provenance and headers show: enough to find the entry, nothing about it."""
        return f"sha256:{self.digest[:16]}"


def not_cacheable(decision: Decision, params: Mapping[str, Any]) -> str | None:
    """Why this request is not cached, or None when it is."""
    rule = decision.cache
    if rule is None:
        return "no applicable policy caches it"
    if not decision.allowed:
        return "not allowed now"
    if (params.get("n") or 1) > 1:
        return "n > 1 asks for different answers"
    temperature = params.get("temperature")
    temperature = DEFAULT_TEMPERATURE if temperature is None else float(temperature)
    if temperature > rule.max_temperature:
        return f"temperature {temperature:g} > {rule.max_temperature:g}, the policy maximum"
    return None


def cache_key(
    decision: Decision, messages: Sequence[Mapping[str, Any]], params: Mapping[str, Any]
) -> CacheKey:
    """The key of a cacheable request (`not_cacheable` said None); `messages` are the
    sanitized upstream messages, `params` the forwarded parameters."""
    assert decision.cache is not None
    material = key_material(decision, messages, params)
    encoded = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(encoded.encode("utf-8")).hexdigest()
    return CacheKey(digest, decision.tenant_id, decision.policy_version, decision.cache.ttl_s)


def key_material(
    decision: Decision, messages: Sequence[Mapping[str, Any]], params: Mapping[str, Any]
) -> dict[str, Any]:
    """What a key is a digest of (the semantic partition is the same without the prompt)."""
    return {
        "v": KEY_VERSION,
        "tenant": decision.tenant_id,
        "policy_version": decision.policy_version,
        "route": list(decision.route.candidates),
        "messages": list(messages),
        "params": {k: v for k, v in params.items() if k not in _NOT_KEYED},
    }


@dataclass(frozen=True, slots=True)
class CachedChoice:
    index: int
    content: str | None  # sealed: placeholders where the caller saw restored values
    finish_reason: str | None


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    model_id: str
    choices: tuple[CachedChoice, ...]
    usage: Mapping[str, Any] | None
    decision_id: str  # the decision whose answer this was
    tenant: str
    policy_version: str
    stored_at: float  # wall clock, seconds
    expires_at: float

    @property
    def stored_at_iso(self) -> str:
        return datetime.fromtimestamp(self.stored_at, UTC).isoformat(timespec="seconds")

    def encode(self) -> bytes:
        return json.dumps(
            {
                "model_id": self.model_id,
                "choices": [[c.index, c.content, c.finish_reason] for c in self.choices],
                "usage": dict(self.usage) if self.usage is not None else None,
                "decision_id": self.decision_id,
                "tenant": self.tenant,
                "policy_version": self.policy_version,
                "stored_at": self.stored_at,
                "expires_at": self.expires_at,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")

    @classmethod
    def decode(cls, raw: bytes) -> CachedAnswer:
        data = json.loads(raw)
        return cls(
            model_id=str(data["model_id"]),
            choices=tuple(CachedChoice(int(i), c, f) for i, c, f in data["choices"]),
            usage=data["usage"],
            decision_id=str(data["decision_id"]),
            tenant=str(data["tenant"]),
            policy_version=str(data["policy_version"]),
            stored_at=float(data["stored_at"]),
            expires_at=float(data["expires_at"]),
        )

    def unsealed(self, pseudonyms: Mapping[str, str]) -> list[CachedChoice]:
        """The choices with the placeholders this request may see restored."""
        return [
            CachedChoice(
                c.index, restore(c.content, pseudonyms) if c.content else c.content, c.finish_reason
            )
            for c in self.choices
        ]


def seal(text: str, pseudonyms: Mapping[str, str]) -> str:
    """`text` with every restored pseudonym value put back as its placeholder (longest
    value first, so that a value inside another one cannot split it)."""
    for placeholder, value in sorted(pseudonyms.items(), key=lambda kv: -len(kv[1])):
        if value:
            text = text.replace(value, placeholder)
    return text


class CacheStore(Protocol):
    """Where entries live: bytes by digest. Expiry is the cache's, not the store's."""

    async def get(self, digest: str) -> bytes | None: ...
    async def put(self, digest: str, value: bytes, ttl_s: int) -> None: ...
    async def forget(self, digest: str) -> None: ...
    async def aclose(self) -> None: ...


@dataclass(slots=True)
class MemoryStore:
    """This process's cache: least recently used out first, bounded in entries and bytes.
    Expiry is the cache's (`ResponseCache` reads `expires_at`); an expired entry stays
    until it is read or pushed out."""

    max_entries: int = 10_000
    max_bytes: int = 64 * 1024 * 1024
    _entries: OrderedDict[str, bytes] = field(default_factory=OrderedDict)
    _bytes: int = 0

    async def get(self, digest: str) -> bytes | None:
        value = self._entries.get(digest)
        if value is not None:
            self._entries.move_to_end(digest)
        return value

    async def put(self, digest: str, value: bytes, ttl_s: int) -> None:
        old = self._entries.pop(digest, None)
        if old is not None:
            self._bytes -= len(old)
        self._entries[digest] = value
        self._bytes += len(value)
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted)

    async def forget(self, digest: str) -> None:
        old = self._entries.pop(digest, None)
        if old is not None:
            self._bytes -= len(old)

    async def aclose(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(slots=True)
class RedisStore:
    """Entries shared by every replica; each key expires with its TTL. May raise RedisError."""

    redis: Redis

    @classmethod
    def from_url(cls, url: str, *, timeout_s: float = 0.05) -> RedisStore:
        """Every connect and command bounded by `timeout_s`, never retried."""
        return cls(
            Redis.from_url(
                url,
                socket_timeout=timeout_s,
                socket_connect_timeout=timeout_s,
                retry_on_timeout=False,
            )
        )

    async def get(self, digest: str) -> bytes | None:
        value = await self.redis.get(PREFIX + digest)
        return value if isinstance(value, bytes) else None

    async def put(self, digest: str, value: bytes, ttl_s: int) -> None:
        await self.redis.set(PREFIX + digest, value, ex=ttl_s)

    async def forget(self, digest: str) -> None:
        await self.redis.delete(PREFIX + digest)

    async def aclose(self) -> None:
        await self.redis.aclose()


@dataclass(slots=True)
class ResponseCache:
    store: CacheStore
    # Prompt vectors for the semantic match (api/gateway/semantic.py), in the same place.
    vectors: VectorIndex = field(default_factory=MemoryVectors)
    max_entry_bytes: int = 256 * 1024
    timeout_s: float = 0.05
    retry_s: float = 1.0
    clock: Clock = time.time
    _down_until: float = 0.0
    _last_error_log: float = 0.0

    @classmethod
    def create(
        cls,
        *,
        redis_url: str | None,
        max_entries: int,
        max_bytes: int,
        max_entry_bytes: int,
        timeout_s: float = 0.05,
    ) -> ResponseCache:
        store: MemoryStore | RedisStore
        vectors: MemoryVectors | RedisVectors
        if redis_url is None:
            store, vectors = MemoryStore(max_entries, max_bytes), MemoryVectors()
        else:
            store = RedisStore.from_url(redis_url, timeout_s=timeout_s)
            vectors = RedisVectors(store.redis)
        return cls(store, vectors, max_entry_bytes=max_entry_bytes, timeout_s=timeout_s)

    @property
    def shared(self) -> bool:
        return isinstance(self.store, RedisStore)

    async def get(self, key: CacheKey) -> CachedAnswer | None:
        """The live entry for `key`, or None (absent, expired, unreadable, Redis away)."""
        raw = await self._call(self.store.get(key.digest))
        if raw is None:
            return None
        try:
            entry = CachedAnswer.decode(raw)
        except (ValueError, KeyError, TypeError):
            log.warning("cache entry %s is unreadable; ignored", key.short)
            return None
        # The digest covers tenant and version; checking them again costs nothing and
        # keeps a colliding or hand-written entry from crossing either boundary.
        if entry.tenant != key.tenant or entry.policy_version != key.policy_version:
            return None
        if self.clock() >= entry.expires_at:
            await self._call(self.store.forget(key.digest))
            return None
        return entry

    async def put(self, key: CacheKey, entry: CachedAnswer) -> bool:
        """Store `entry`; False when it is too large or the store is away."""
        raw = entry.encode()
        if len(raw) > self.max_entry_bytes:
            return False
        ttl = max(1, int(entry.expires_at - self.clock() + 0.999))
        done = await self._call(self.store.put(key.digest, raw, ttl), ok=True)
        return done is True

    async def nearest(self, partition: str, vector: Vector) -> Match | None:
        """The live entry of `partition` whose prompt is nearest `vector`; None when the
        partition is empty or the store is away."""
        rows = await self._call(self.vectors.rows(partition))
        return None if rows is None else nearest(rows, vector, self.clock())

    async def remember(self, partition: str, key: CacheKey, vector: Vector) -> None:
        """Keep the prompt vector of the entry just stored under `key`, as long as it."""
        now = self.clock()
        await self._call(self.vectors.add(partition, key.digest, vector, now + key.ttl_s, now))

    def entry_for(
        self,
        key: CacheKey,
        decision: Decision,
        model_id: str,
        choices: Sequence[CachedChoice],
        usage: Mapping[str, Any] | None,
    ) -> CachedAnswer:
        now = self.clock()
        return CachedAnswer(
            model_id=model_id,
            choices=tuple(choices),
            usage=usage,
            decision_id=decision.id,
            tenant=key.tenant,
            policy_version=key.policy_version,
            stored_at=now,
            expires_at=now + key.ttl_s,
        )

    async def aclose(self) -> None:
        await self.store.aclose()

    async def _call(self, work: Any, *, ok: Any = None) -> Any:
        """Await `work` within the timeout; None when the store failed (and logged)."""
        if self.shared and time.monotonic() < self._down_until:
            work.close()  # never awaited: Redis is being left alone
            return None
        try:
            async with asyncio.timeout(self.timeout_s):
                result = await work
        except (RedisError, OSError, TimeoutError) as exc:
            self._failed(exc)
            return None
        return ok if ok is not None else result

    def _failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        self._down_until = now + self.retry_s
        if now - self._last_error_log >= _ERROR_LOG_INTERVAL_S:
            self._last_error_log = now
            log.warning(
                "response cache in Redis unavailable (%s); serving without it for %gs",
                type(exc).__name__,
                self.retry_s,
            )
