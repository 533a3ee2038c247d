"""Circuit breakers shared through a real Redis server, as with REDIS_URL across replicas.

The Redis machine is the local one's twin (Lua scripts in api/gateway/breaker_board.py):
the same scenarios run against both, two gateways sharing one Redis see one state, and
a board whose Redis is away keeps working on its own.
"""

from __future__ import annotations

import asyncio
import uuid

from redis.asyncio import Redis

from api.gateway.breaker import BreakerConfig, BreakerState, Grant, Transition
from api.gateway.breaker_board import BreakerBoard, RedisCircuits
from api.gateway.gateway import Gateway
from api.gateway.settings import GatewaySettings
from graph.server import free_port
from tests.test_ratelimit_redis import redis_url  # noqa: F401  (the real redis-server)

CONFIG = BreakerConfig(window=4, min_calls=3, failure_rate=0.5, cooldown_s=10)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def model() -> str:
    return f"m-{uuid.uuid4().hex[:8]}"  # keys of one test never meet another's


def test_when_circuits_live_in_redis_then_they_follow_the_local_state_machine(
    redis_url: str,  # noqa: F811
) -> None:
    async def run() -> None:
        clock = FakeClock()
        client = Redis.from_url(redis_url)
        circuits = RedisCircuits(client, CONFIG, clock=clock)
        m = model()
        try:
            for ok in (True, False, True):
                grant, _ = await circuits.acquire(m, last_resort=False)
                assert grant is Grant.CALL
                await circuits.record(m, ok=ok, grant=Grant.CALL)
            moved = await circuits.record(m, ok=False, grant=Grant.CALL)  # 2 of the last 4
            assert moved == Transition(m, BreakerState.CLOSED, BreakerState.OPEN)
            assert (await circuits.acquire(m, last_resort=False))[0] is None
            assert (await circuits.acquire(m, last_resort=True))[0] is Grant.LAST_RESORT
            clock.now += 10
            assert await circuits.states([m]) == {m: BreakerState.HALF_OPEN}
            grant, moved = await circuits.acquire(m, last_resort=False)
            assert grant is Grant.PROBE
            assert moved.new is BreakerState.HALF_OPEN
            assert (await circuits.acquire(m, last_resort=False))[0] is None  # one probe
            await circuits.release(m)  # it never went out
            assert (await circuits.acquire(m, last_resort=False))[0] is Grant.PROBE
            moved = await circuits.record(m, ok=False, grant=Grant.PROBE)
            assert moved.new is BreakerState.OPEN
            clock.now += 5
            assert (await circuits.acquire(m, last_resort=False))[0] is None
            moved = await circuits.record(m, ok=True, grant=Grant.LAST_RESORT)
            assert moved.new is BreakerState.CLOSED
            other = model()
            assert await circuits.states([m, other]) == {
                m: BreakerState.CLOSED,
                other: BreakerState.CLOSED,
            }
            await circuits.record(m, ok=False, grant=Grant.CALL)
            states = await circuits.states([m])
            assert states == {m: BreakerState.CLOSED}  # history was cleared on closing
            assert await client.ttl(f"govroute:breaker:{m}") > 0  # nothing stays forever
        finally:
            await client.aclose()

    asyncio.run(run())


def test_when_two_gateways_share_redis_then_both_see_the_same_breaker_state(
    redis_url: str,  # noqa: F811
) -> None:
    settings = GatewaySettings(breaker_window=4, breaker_min_calls=3, breaker_cooldown_s=30)

    async def run() -> None:
        first = Gateway.create(settings, b"s" * 32, redis_url=redis_url)
        second = Gateway.create(settings, b"s" * 32, redis_url=redis_url)
        flaky, healthy = model(), model()
        try:
            for _ in range(3):
                grant = await first.breakers.acquire(flaky)
                assert grant is Grant.CALL
                await first.breakers.record(flaky, ok=False, grant=grant)
            # The replica that never called the model knows its circuit is open ...
            assert await second.breakers.states([flaky, healthy]) == {
                flaky: BreakerState.OPEN,
                healthy: BreakerState.CLOSED,
            }
            assert await second.breakers.acquire(flaky) is None
            # ... and orders a decision's candidates the way the first one does.
            assert await second.order((flaky, healthy)) == await first.order((flaky, healthy))
            order, _ = await second.order((flaky, healthy))
            assert order == [healthy, flaky]
            assert second.breakers.local.states([flaky]) == {flaky: BreakerState.CLOSED}
        finally:
            await first.aclose()
            await second.aclose()

    asyncio.run(run())


def test_when_redis_is_away_then_the_board_falls_back_to_its_own_state() -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    changes: list[Transition] = []

    async def run() -> None:
        board = BreakerBoard.create(CONFIG, redis_url=dead, on_change=changes.append)
        m = model()
        try:
            for _ in range(3):
                grant = await board.acquire(m)
                assert grant is Grant.CALL
                await board.record(m, ok=False, grant=grant)
            assert await board.states([m]) == {m: BreakerState.OPEN}
            assert await board.acquire(m) is None
            assert await board.acquire(m, last_resort=True) is Grant.LAST_RESORT
        finally:
            await board.aclose()

    asyncio.run(run())
    assert [c.new for c in changes] == [BreakerState.OPEN]
