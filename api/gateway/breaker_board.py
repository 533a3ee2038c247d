"""The gateway's circuit breakers: one table shared by every replica through Redis, where
configured, or this process's own (`api/gateway/breaker.py`).

With Redis, each model's circuit is a hash (state, opened_at, probe_since) and a list
of its last `window` outcomes, changed only by two Lua scripts that run the same state
machine as the local table atomically, so replicas never race each other over a
transition; times are wall-clock seconds (replicas' clocks are NTP-synchronised; a
skew of a few hundred milliseconds only shifts a cool-down). Keys expire an hour
after their last change, so models that left the catalog leave nothing behind.

Every Redis call is bounded (`timeout_s`, 50 ms by default). When one fails or takes
longer, the board uses the local table instead, logs once a minute, and leaves Redis
alone for `retry_s` before trying again: a stopped or frozen Redis costs one timeout
per `retry_s`, never one per request. Breaker state is advisory (it only reorders
and skips compliant candidates), so failing over to local state is always safe.
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

from api.gateway.breaker import (
    BreakerConfig,
    Breakers,
    BreakerState,
    Clock,
    Grant,
    Transition,
)

log = logging.getLogger("govroute.gateway.breaker")

PREFIX = "govroute:breaker:"
_ERROR_LOG_INTERVAL_S = 60.0

# KEYS: circuit hash. ARGV: now, cooldown_s, last_resort (0|1), ttl_s.
# Returns {grant or "denied", old state, new state}.
_ACQUIRE = """
local now, cooldown = tonumber(ARGV[1]), tonumber(ARGV[2])
local last_resort = ARGV[3] == '1'
local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
local old = state
local grant = 'call'
if state == 'open' then
  local opened = tonumber(redis.call('HGET', KEYS[1], 'opened_at') or '0')
  if now - opened < cooldown then
    if last_resort then return {'last_resort', old, state} end
    return {'denied', old, state}
  end
  state = 'half_open'
  redis.call('HSET', KEYS[1], 'state', state)
  redis.call('HDEL', KEYS[1], 'probe_since')
end
if state == 'half_open' then
  local since = redis.call('HGET', KEYS[1], 'probe_since')
  if (not since) or now - tonumber(since) >= cooldown then
    redis.call('HSET', KEYS[1], 'probe_since', ARGV[1])
    grant = 'probe'
  elseif last_resort then
    grant = 'last_resort'
  else
    grant = 'denied'
  end
  redis.call('EXPIRE', KEYS[1], ARGV[4])
end
return {grant, old, state}
"""

# KEYS: circuit hash, outcome list. ARGV: now, ok (0|1), grant, window, min_calls,
# failure_rate, ttl_s. Returns {old state, new state}.
_RECORD = """
local ok, grant = ARGV[2] == '1', ARGV[3]
local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
local old = state
if state ~= 'closed' and grant ~= 'call' then
  if ok then
    redis.call('DEL', KEYS[2])
    redis.call('HSET', KEYS[1], 'state', 'closed')
    redis.call('HDEL', KEYS[1], 'probe_since')
    state = 'closed'
  else
    if grant == 'probe' then redis.call('HDEL', KEYS[1], 'probe_since') end
    redis.call('HSET', KEYS[1], 'state', 'open', 'opened_at', ARGV[1])
    state = 'open'
  end
elseif state == 'closed' then
  redis.call('RPUSH', KEYS[2], ok and '1' or '0')
  redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
  local calls = redis.call('LRANGE', KEYS[2], 0, -1)
  if #calls >= tonumber(ARGV[5]) then
    local failures = 0
    for _, outcome in ipairs(calls) do
      if outcome == '0' then failures = failures + 1 end
    end
    if failures / #calls >= tonumber(ARGV[6]) then
      redis.call('HSET', KEYS[1], 'state', 'open', 'opened_at', ARGV[1])
      state = 'open'
    end
  end
  redis.call('EXPIRE', KEYS[2], ARGV[7])
end
redis.call('HSET', KEYS[1], 'touched', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[7])
return {old, state}
"""

# KEYS: circuit hash. Frees the probe slot of a probe that never went out.
_RELEASE = """
if redis.call('HGET', KEYS[1], 'state') == 'half_open' then
  redis.call('HDEL', KEYS[1], 'probe_since')
end
return 0
"""


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@dataclass(slots=True)
class RedisCircuits:
    """The breaker state machine kept in Redis; every method may raise RedisError."""

    redis: Redis
    config: BreakerConfig
    clock: Clock = time.time
    ttl_s: int = 3600
    _scripts: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ttl_s = max(self.ttl_s, int(self.config.cooldown_s * 4) + 1)
        for name, source in (("acquire", _ACQUIRE), ("record", _RECORD), ("release", _RELEASE)):
            self._scripts[name] = self.redis.register_script(source)

    async def acquire(self, model_id: str, *, last_resort: bool) -> tuple[Grant | None, Transition]:
        args = [self.clock(), self.config.cooldown_s, int(last_resort), self.ttl_s]
        grant, old, new = await self._scripts["acquire"](keys=[PREFIX + model_id], args=args)
        moved = Transition(model_id, BreakerState(_text(old)), BreakerState(_text(new)))
        return (None if _text(grant) == "denied" else Grant(_text(grant))), moved

    async def record(self, model_id: str, *, ok: bool, grant: Grant) -> Transition:
        c = self.config
        args = [self.clock(), int(ok), grant.value, c.window, c.min_calls, c.failure_rate]
        keys = [PREFIX + model_id, PREFIX + model_id + ":calls"]
        old, new = await self._scripts["record"](keys=keys, args=[*args, self.ttl_s])
        return Transition(model_id, BreakerState(_text(old)), BreakerState(_text(new)))

    async def release(self, model_id: str) -> None:
        await self._scripts["release"](keys=[PREFIX + model_id])

    async def states(self, model_ids: Sequence[str]) -> dict[str, BreakerState]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for m in model_ids:
                pipe.hmget(PREFIX + m, ["state", "opened_at"])
            rows = await pipe.execute()
        now = self.clock()
        out: dict[str, BreakerState] = {}
        for m, (state, opened) in zip(model_ids, rows, strict=True):
            value = BreakerState(_text(state)) if state is not None else BreakerState.CLOSED
            if (
                value is BreakerState.OPEN
                and now - float(_text(opened or b"0")) >= self.config.cooldown_s
            ):
                value = BreakerState.HALF_OPEN  # cooled down: the next call is the probe
            out[m] = value
        return out


@dataclass(slots=True)
class BreakerBoard:
    """What the gateway asks: Redis's shared circuits when configured and answering,
    else the process's own."""

    local: Breakers
    shared: RedisCircuits | None = None
    timeout_s: float = 0.05
    retry_s: float = 1.0
    on_change: Callable[[Transition], None] | None = None
    _redis_down_until: float = 0.0
    _last_error_log: float = 0.0

    @classmethod
    def create(
        cls,
        config: BreakerConfig,
        *,
        redis_url: str | None = None,
        timeout_s: float = 0.05,
        on_change: Callable[[Transition], None] | None = None,
    ) -> BreakerBoard:
        shared = None
        if redis_url is not None:
            client = Redis.from_url(
                redis_url,
                socket_timeout=timeout_s,
                socket_connect_timeout=timeout_s,
                retry_on_timeout=False,
            )
            shared = RedisCircuits(client, config)
        return cls(
            Breakers(config, on_change=on_change),
            shared,
            timeout_s=timeout_s,
            on_change=on_change,
        )

    @property
    def config(self) -> BreakerConfig:
        return self.local.config

    async def acquire(self, model_id: str, *, last_resort: bool = False) -> Grant | None:
        shared = self._shared()
        if shared is not None:
            try:
                async with asyncio.timeout(self.timeout_s):
                    grant, moved = await shared.acquire(model_id, last_resort=last_resort)
            except (RedisError, OSError, TimeoutError) as exc:
                self._redis_failed(exc)
            else:
                self._notify(moved)
                return grant
        return self.local.acquire(model_id, last_resort=last_resort)

    async def record(self, model_id: str, *, ok: bool, grant: Grant = Grant.CALL) -> None:
        shared = self._shared()
        if shared is not None:
            try:
                async with asyncio.timeout(self.timeout_s):
                    moved = await shared.record(model_id, ok=ok, grant=grant)
            except (RedisError, OSError, TimeoutError) as exc:
                self._redis_failed(exc)
            else:
                self._notify(moved)
                return
        self.local.record(model_id, ok=ok, grant=grant)

    async def release(self, model_id: str, grant: Grant) -> None:
        shared = self._shared()
        if shared is not None and grant is Grant.PROBE:
            try:
                async with asyncio.timeout(self.timeout_s):
                    await shared.release(model_id)
                return
            except (RedisError, OSError, TimeoutError) as exc:
                self._redis_failed(exc)
        self.local.release(model_id, grant)

    async def states(self, model_ids: Sequence[str]) -> dict[str, BreakerState]:
        shared = self._shared()
        if shared is not None and model_ids:
            try:
                async with asyncio.timeout(self.timeout_s):
                    return await shared.states(model_ids)
            except (RedisError, OSError, TimeoutError) as exc:
                self._redis_failed(exc)
        return self.local.states(model_ids)

    def reset(self) -> None:
        """Forget the local table (the shared one expires on its own)."""
        self.local.reset()

    async def aclose(self) -> None:
        if self.shared is not None:
            await self.shared.redis.aclose()

    def _shared(self) -> RedisCircuits | None:
        if self.shared is None or time.monotonic() < self._redis_down_until:
            return None
        return self.shared

    def _redis_failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        self._redis_down_until = now + self.retry_s
        if now - self._last_error_log >= _ERROR_LOG_INTERVAL_S:
            self._last_error_log = now
            log.warning(
                "breaker state in Redis unavailable (%s); using this replica's own for %gs",
                type(exc).__name__,
                self.retry_s,
            )

    def _notify(self, moved: Transition) -> None:
        if moved.old != moved.new and self.on_change is not None:
            self.on_change(moved)
