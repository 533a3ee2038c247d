"""Measured health of each model: latency and error rate as moving averages (EWMA).

Every upstream call the gateway makes is one observation: how long it took (to the
whole answer, or to a stream's first content chunk) and whether the endpoint failed
(a timeout, a network error, 429, 5xx; a request the model refused is not its
failure). Each average moves `alpha` of the way towards every new observation, so a
model that slows down moves down the order within a few calls and one that recovers
moves back as quickly; nothing is kept per call. A model moved down the order is
not called while others answer, so its figures would never recover: each average
carries the wall-clock time of its last observation, and the ordering treats one
older than `GOVROUTE_HEALTH_STALE_S` as unmeasured (api/gateway/balance.py), which
sends the model one call again to be measured afresh.

With Redis (REDIS_URL, next to the breaker board's keys) every replica reads and
feeds the same averages: one hash per model, updated by a Lua script so concurrent
updates never lose one another, expiring a day after the model was last called.
Every Redis call is bounded (`timeout_s`); when Redis fails, this replica's own table
is used and Redis is left alone for `retry_s`. Health only reorders compliant
candidates, so falling back to local figures is always safe.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("govroute.gateway.health")

PREFIX = "govroute:health:"
TTL_S = 24 * 3600
_ERROR_LOG_INTERVAL_S = 60.0

# KEYS: model hash. ARGV: alpha, latency_ms, failed (0|1), ttl_s, now. Returns nothing.
_OBSERVE = """
local alpha, latency, failed = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local calls = tonumber(redis.call('HGET', KEYS[1], 'calls') or '0')
local lat, err = latency, failed
if calls > 0 then
  lat = tonumber(redis.call('HGET', KEYS[1], 'latency_ms'))
  err = tonumber(redis.call('HGET', KEYS[1], 'error_rate'))
  lat = lat + alpha * (latency - lat)
  err = err + alpha * (failed - err)
end
redis.call('HSET', KEYS[1], 'latency_ms', tostring(lat), 'error_rate', tostring(err),
  'calls', tostring(calls + 1), 'at', ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 0
"""


@dataclass(frozen=True, slots=True)
class Health:
    latency_ms: float
    error_rate: float  # 0-1, the moving share of calls the endpoint failed
    calls: int
    at: float = 0.0  # wall clock of the last observation, seconds

    def observed(self, latency_ms: float, failed: bool, alpha: float, at: float) -> Health:
        return Health(
            self.latency_ms + alpha * (latency_ms - self.latency_ms),
            self.error_rate + alpha * (float(failed) - self.error_rate),
            self.calls + 1,
            at,
        )


@dataclass(slots=True)
class HealthTable:
    """This process's own averages, one entry per model called."""

    alpha: float = 0.3
    clock: Callable[[], float] = time.time
    _models: dict[str, Health] = field(default_factory=dict)

    def observe(self, model_id: str, latency_ms: float, *, failed: bool) -> None:
        current, now = self._models.get(model_id), self.clock()
        self._models[model_id] = (
            Health(latency_ms, float(failed), 1, now)
            if current is None
            else current.observed(latency_ms, failed, self.alpha, now)
        )

    def read(self, model_ids: Sequence[str]) -> dict[str, Health]:
        return {m: self._models[m] for m in model_ids if m in self._models}

    def reset(self) -> None:
        self._models.clear()


def _float(value: Any) -> float:
    return float(value.decode() if isinstance(value, bytes) else value)


@dataclass(slots=True)
class HealthBoard:
    """What the gateway asks: Redis's shared averages when configured and answering,
    else the process's own."""

    local: HealthTable
    redis: Redis | None = None
    timeout_s: float = 0.05
    retry_s: float = 1.0
    _script: Any = None
    _redis_down_until: float = 0.0
    _last_error_log: float = 0.0

    @classmethod
    def create(
        cls, *, alpha: float, redis_url: str | None = None, timeout_s: float = 0.05
    ) -> HealthBoard:
        redis = None
        if redis_url is not None:
            redis = Redis.from_url(
                redis_url,
                socket_timeout=timeout_s,
                socket_connect_timeout=timeout_s,
                retry_on_timeout=False,
            )
        board = cls(HealthTable(alpha), redis, timeout_s=timeout_s)
        if redis is not None:
            board._script = redis.register_script(_OBSERVE)
        return board

    async def observe(self, model_id: str, latency_ms: float, *, failed: bool) -> None:
        if self._shared():
            try:
                async with asyncio.timeout(self.timeout_s):
                    args = [self.local.alpha, latency_ms, int(failed), TTL_S, self.local.clock()]
                    await self._script(keys=[PREFIX + model_id], args=args)
                return
            except (RedisError, OSError, TimeoutError) as exc:
                self._redis_failed(exc)
        self.local.observe(model_id, latency_ms, failed=failed)

    async def read(self, model_ids: Sequence[str]) -> dict[str, Health]:
        """The averages of the models measured so far (an unmeasured one is absent)."""
        if self._shared() and model_ids:
            assert self.redis is not None
            try:
                async with asyncio.timeout(self.timeout_s):
                    async with self.redis.pipeline(transaction=False) as pipe:
                        for m in model_ids:
                            pipe.hmget(PREFIX + m, ["latency_ms", "error_rate", "calls", "at"])
                        rows = await pipe.execute()
            except (RedisError, OSError, TimeoutError) as exc:
                self._redis_failed(exc)
            else:
                return {
                    m: Health(_float(lat), _float(err), int(_float(calls)), _float(at or 0))
                    for m, (lat, err, calls, at) in zip(model_ids, rows, strict=True)
                    if calls is not None
                }
        return self.local.read(model_ids)

    async def aclose(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()

    def _shared(self) -> bool:
        return self.redis is not None and time.monotonic() >= self._redis_down_until

    def _redis_failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        self._redis_down_until = now + self.retry_s
        if now - self._last_error_log >= _ERROR_LOG_INTERVAL_S:
            self._last_error_log = now
            log.warning(
                "model health in Redis unavailable (%s); using this replica's own for %gs",
                type(exc).__name__,
                self.retry_s,
            )
