"""Where sealed vault entries live: Redis (shared, with TTL) or this process's memory.

Both hold opaque keys and sealed bytes only (api/vault/cipher.py); neither ever
sees a value. Redis is the natural home: a TTL per key, shared by every replica,
and the same server as the rate limits. The graph keeps only the audit records of
restores, never mappings: a value in Neo4j would outlive its TTL in backups and in
every replica's queries.

Without REDIS_URL the vault is a bounded in-process map: entries expire by TTL and
the oldest go first when it is full, so a busy process cannot grow without bound;
a restart forgets them, and replicas do not share them (documented in
docs/operations.md).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import redis

from api.failfast import FailFast, redis_client_options
from engine.errors import VaultUnavailable

Clock = Callable[[], float]


class VaultStore(Protocol):
    def put_many(self, items: Sequence[tuple[str, bytes]], ttl_s: float) -> None:
        """Store each (key, sealed) pair for `ttl_s` seconds, replacing what was there."""
        ...

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """The sealed bytes under each key, None where there is none (or it expired)."""
        ...

    def close(self) -> None: ...


class MemoryVaultStore:
    """A bounded LRU with per-entry expiry; thread-safe."""

    def __init__(self, max_entries: int, clock: Clock = time.monotonic) -> None:
        self._max = max_entries
        self._clock = clock
        self._data: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def put_many(self, items: Sequence[tuple[str, bytes]], ttl_s: float) -> None:
        expires = self._clock() + ttl_s
        with self._lock:
            for key, sealed in items:
                self._data[key] = (expires, sealed)
                self._data.move_to_end(key)
            while len(self._data) > self._max:
                self._data.popitem(last=False)

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        now = self._clock()
        out: list[bytes | None] = []
        with self._lock:
            for key in keys:
                held = self._data.get(key)
                if held is not None and held[0] <= now:
                    del self._data[key]
                    held = None
                out.append(held[1] if held else None)
        return out

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    def close(self) -> None:
        with self._lock:
            self._data.clear()


class RedisVaultStore:
    """SET with PX (milliseconds) in one pipeline; MGET to read.

    Every call is bounded by the socket timeouts, with no client-side retry: a frozen
    Redis costs one caller at most `timeout_s`, then VaultUnavailable. After that
    failure `guard` (api/failfast.py) keeps every call away from Redis for
    `backoff_s`, so the requests that follow get VaultUnavailable at once instead of
    each waiting out the timeout; then one call tries Redis again."""

    def __init__(self, url: str, timeout_s: float, backoff_s: float = 2.0) -> None:
        self._client = redis.Redis.from_url(url, **redis_client_options(timeout_s))
        self.guard = FailFast("pseudonym vault's Redis", backoff_s)

    def put_many(self, items: Sequence[tuple[str, bytes]], ttl_s: float) -> None:
        if not items:
            return
        self._permit("did not take the entries")
        ttl_ms = max(1, round(ttl_s * 1000))
        try:
            with self._client.pipeline(transaction=False) as pipe:
                for key, sealed in items:
                    pipe.set(key, sealed, px=ttl_ms)
                pipe.execute()
        except (redis.RedisError, OSError) as exc:
            self.guard.failed()
            raise VaultUnavailable(f"the vault's Redis did not take the entries: {exc}") from exc
        self.guard.succeeded()

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        if not keys:
            return []
        self._permit("was not read")
        try:
            values: list[Any] = self._client.mget(list(keys))  # type: ignore[assignment]
        except (redis.RedisError, OSError) as exc:
            self.guard.failed()
            raise VaultUnavailable(f"the vault's Redis did not answer: {exc}") from exc
        self.guard.succeeded()
        return [v if isinstance(v, bytes) else None for v in values]

    def _permit(self, what: str) -> None:
        if not self.guard.permits():
            raise VaultUnavailable(
                f"the vault's Redis {what}: it failed moments ago, backing off before trying again"
            )

    def close(self) -> None:
        self._client.close()
