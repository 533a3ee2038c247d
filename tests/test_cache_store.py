"""The response cache's key and stores, and model health, against a real Redis server.

End to end (the gateway, the openai client, fake upstreams) is tests/test_gateway_cache.py;
here the parts are checked on their own: what goes into a key, expiry on the cache's
own clock, tenant and version boundaries, LRU bounds, and a Redis that is away.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from api.gateway.balance import balanced_order
from api.gateway.breaker import BreakerState
from api.gateway.cache import (
    CachedAnswer,
    CachedChoice,
    CacheKey,
    MemoryStore,
    RedisStore,
    ResponseCache,
    cache_key,
    not_cacheable,
    seal,
)
from api.gateway.health import Health, HealthBoard
from engine.decision import Decision, IntentMatch, Outcome, Route
from engine.model import IntentCategory
from engine.serving import BalanceRule, CacheRule, combine_cache, rules_from_properties
from graph.server import free_port
from loaders.serving_spec import serving_properties, serving_settings
from loaders.spec import Policy
from tests.redis_server import running_redis


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """The machine's real redis-server on a free loopback port."""
    with running_redis() as server:
        yield server.url


MESSAGES = [{"role": "user", "content": "What are the branch opening hours?"}]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def decision(**changes: Any) -> Decision:
    base = Decision(
        id="dec_1",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        principal_id="p",
        tenant_id="t-one",
        outcome=Outcome.ALLOW,
        reasons=(),
        intent=IntentMatch("faq", IntentCategory.BUSINESS, 0.9),
        messages=(),
        context=(),
        exposures=(),
        withholdings=(),
        redactions=(),
        labels=(),
        route=Route(primary="m-a", fallbacks=("m-b",)),
        policy_version="ps-1",
        prompt_sha256="0" * 64,
        cache=CacheRule(ttl_s=60, policies=("cache-faq",)),
    )
    return replace(base, **changes)


def entry_for(
    cache: ResponseCache, dec: Decision, text: str = "Nine to five."
) -> tuple[CacheKey, CachedAnswer]:
    key = cache_key(dec, MESSAGES, {"temperature": 0})
    entry = cache.entry_for(key, dec, "m-a", [CachedChoice(0, text, "stop")], None)
    return key, entry


# --------------------------------------------------------------------------- keys


def test_when_tenant_version_route_or_parameters_differ_then_the_key_differs() -> None:
    base = decision()
    digest = cache_key(base, MESSAGES, {"temperature": 0}).digest
    others = [
        cache_key(replace(base, tenant_id="t-two"), MESSAGES, {"temperature": 0}),
        cache_key(replace(base, policy_version="ps-2"), MESSAGES, {"temperature": 0}),
        cache_key(replace(base, route=Route(primary="m-b")), MESSAGES, {"temperature": 0}),
        cache_key(base, MESSAGES, {"temperature": 0, "max_tokens": 10}),
        cache_key(base, MESSAGES, {"temperature": 0, "response_format": {"type": "json_object"}}),
        cache_key(base, [{"role": "user", "content": "Other?"}], {"temperature": 0}),
    ]
    assert len({digest, *(k.digest for k in others)}) == 7
    # a stream and a plain request share their answers
    streamed = {"temperature": 0, "stream": True, "stream_options": {"include_usage": True}}
    assert cache_key(base, MESSAGES, streamed).digest == digest


def test_when_a_request_is_not_deterministic_then_it_is_not_cacheable() -> None:
    rule = decision()
    assert not_cacheable(rule, {"temperature": 0}) is None
    assert "temperature 1" in str(not_cacheable(rule, {}))  # the provider's default is 1
    assert "n > 1" in str(not_cacheable(rule, {"temperature": 0, "n": 2}))
    warm = decision(cache=CacheRule(ttl_s=60, max_temperature=0.7))
    assert not_cacheable(warm, {"temperature": 0.7}) is None
    assert not_cacheable(warm, {"temperature": 0.8}) is not None
    assert "no applicable policy" in str(not_cacheable(decision(cache=None), {"temperature": 0}))
    assert not_cacheable(decision(outcome=Outcome.REVIEW), {"temperature": 0}) is not None


def test_when_several_cache_rules_apply_then_the_most_restrictive_wins() -> None:
    combined = combine_cache(
        [
            ("a", CacheRule(ttl_s=600, semantic_threshold=0.9, max_temperature=0.5)),
            ("b", CacheRule(ttl_s=60, semantic_threshold=0.95)),
        ]
    )
    assert combined == CacheRule(60, 0.95, 0.0, ("a", "b"))
    exact = combine_cache([("a", CacheRule(600, 0.9)), ("b", CacheRule(600))])
    assert exact is not None
    assert exact.semantic_threshold is None
    assert combine_cache([]) is None


def test_when_a_restored_value_is_stored_then_it_is_sealed_back_into_its_placeholder() -> None:
    pseudonyms = {"<PERSON_1a2b3c>": "Maria Schneider", "<PERSON_4d5e6f>": "Maria"}
    sealed = seal("Dear Maria Schneider, Maria from support here.", pseudonyms)
    assert sealed == "Dear <PERSON_1a2b3c>, <PERSON_4d5e6f> from support here."


def test_when_a_policy_sets_bad_cache_or_balance_values_then_the_error_says_where() -> None:
    base = {"id": "p", "description": "d.", "effect": "constrain"}
    with pytest.raises(ValidationError) as caught:
        Policy.model_validate({**base, "cache": {"ttl_seconds": 0}})
    assert caught.value.errors()[0]["loc"] == ("cache", "ttl_seconds")
    for outside, bound in (
        (0.2, "greater than or equal to 0.5"),
        (1.01, "less than or equal to 1"),
    ):
        with pytest.raises(ValidationError, match=bound) as caught:
            Policy.model_validate(
                {**base, "cache": {"ttl_seconds": 5, "semantic_threshold": outside}}
            )
        assert caught.value.errors()[0]["loc"] == ("cache", "semantic_threshold")
    for inside in (0.5, 0.9, 1):
        cache = {"ttl_seconds": 5, "semantic_threshold": inside}
        assert Policy.model_validate({**base, "cache": cache}).cache is not None
    with pytest.raises(ValidationError) as caught:
        Policy.model_validate({**base, "balance": [{"model": "m", "weight": -1}]})
    assert caught.value.errors()[0]["loc"] == ("balance", 0, "weight")
    with pytest.raises(ValidationError, match="lists m more than once"):
        Policy.model_validate({**base, "balance": [{"model": "m", "weight": 1}] * 2})
    with pytest.raises(ValidationError, match="a deny policy serves nothing"):
        Policy.model_validate({**base, "effect": "deny", "cache": {"ttl_seconds": 5}})


# --------------------------------------------------------------------------- stores


def test_when_an_entry_outlives_its_ttl_then_it_is_a_miss(redis_url: str) -> None:
    async def run() -> None:
        for store in (MemoryStore(), RedisStore.from_url(redis_url)):
            clock = FakeClock()
            cache = ResponseCache(store, clock=clock)
            key, entry = entry_for(cache, decision())
            assert await cache.put(key, entry)
            found = await cache.get(key)
            assert found is not None
            assert found.choices == (CachedChoice(0, "Nine to five.", "stop"),)
            clock.now += 59
            assert await cache.get(key) is not None
            clock.now += 1
            assert await cache.get(key) is None
            await cache.aclose()

    asyncio.run(run())


def test_when_redis_holds_an_entry_then_its_key_expires_with_the_ttl(redis_url: str) -> None:
    async def run() -> None:
        store = RedisStore.from_url(redis_url)
        cache = ResponseCache(store)
        key, entry = entry_for(cache, decision(cache=CacheRule(ttl_s=120)))
        assert await cache.put(key, entry)
        ttl = await store.redis.ttl(f"govroute:cache:{key.digest}")
        assert 0 < ttl <= 120  # maxmemory-safe: volatile-* eviction may drop it any time
        await cache.aclose()

    asyncio.run(run())


def test_when_an_entry_names_another_tenant_or_version_then_it_is_never_served(
    redis_url: str,
) -> None:
    async def run() -> None:
        cache = ResponseCache(RedisStore.from_url(redis_url))
        key, entry = entry_for(cache, decision())
        # an entry written under this digest for another tenant (a collision, or by hand)
        assert await cache.put(key, replace(entry, tenant="t-two"))
        assert await cache.get(key) is None
        assert await cache.put(key, replace(entry, policy_version="ps-0"))
        assert await cache.get(key) is None
        assert await cache.put(key, entry)
        assert await cache.get(key) is not None
        await cache.aclose()

    asyncio.run(run())


def test_when_memory_is_full_then_the_least_recently_used_entry_goes() -> None:
    async def run() -> None:
        store = MemoryStore(max_entries=2)
        cache = ResponseCache(store)
        keys = []
        for prompt in ("a", "b", "c"):
            dec = decision(prompt_sha256=prompt)
            key = cache_key(dec, [{"role": "user", "content": prompt}], {"temperature": 0})
            keys.append(key)
            if prompt == "c":
                assert await cache.get(keys[0]) is not None  # "a" was just used: "b" goes
            await cache.put(
                key, cache.entry_for(key, dec, "m-a", [CachedChoice(0, prompt, "stop")], None)
            )
        assert len(store) == 2
        assert await cache.get(keys[1]) is None
        assert await cache.get(keys[0]) is not None
        assert await cache.get(keys[2]) is not None
        small = MemoryStore(max_bytes=1)
        await small.put("x", b"too big for the bound", 60)
        assert len(small) == 0

    asyncio.run(run())


def test_when_an_answer_is_larger_than_the_entry_bound_then_it_is_not_stored() -> None:
    async def run() -> None:
        cache = ResponseCache(MemoryStore(), max_entry_bytes=200)
        key, entry = entry_for(cache, decision(), text="x" * 500)
        assert not await cache.put(key, entry)
        assert await cache.get(key) is None

    asyncio.run(run())


def test_when_redis_is_away_then_the_cache_is_a_miss_and_never_raises() -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there

    async def run() -> None:
        cache = ResponseCache.create(
            redis_url=dead, max_entries=10, max_bytes=1000, max_entry_bytes=1000
        )
        key, entry = entry_for(cache, decision())
        assert not await cache.put(key, entry)
        assert await cache.get(key) is None
        assert await cache.get(key) is None  # left alone for retry_s: no call at all
        await cache.aclose()

    asyncio.run(run())


def test_when_redis_stops_then_a_running_cache_degrades_to_misses() -> None:
    async def run(url: str, stop: Callable[[], None]) -> None:
        cache = ResponseCache(RedisStore.from_url(url))
        key, entry = entry_for(cache, decision())
        assert await cache.put(key, entry)
        assert await cache.get(key) is not None
        stop()
        assert await cache.get(key) is None
        assert not await cache.put(key, entry)
        await cache.aclose()

    with running_redis() as server:
        asyncio.run(run(server.url, lambda: os.kill(server.pid, signal.SIGKILL)))


# --------------------------------------------------------------------------- health


def test_when_two_boards_share_redis_then_both_read_the_same_moving_averages(
    redis_url: str,
) -> None:
    async def run() -> None:
        first = HealthBoard.create(alpha=0.5, redis_url=redis_url)
        second = HealthBoard.create(alpha=0.5, redis_url=redis_url)
        model = f"m-{free_port()}"
        await first.observe(model, 100.0, failed=False)
        await second.observe(model, 300.0, failed=True)
        shared = await first.read([model, "never-called"])
        assert {m: (h.latency_ms, h.error_rate, h.calls) for m, h in shared.items()} == {
            model: (200.0, 0.5, 2)
        }
        assert await second.read([model]) == shared
        assert first.local.read([model]) == {}  # nothing was kept locally
        await first.aclose()
        await second.aclose()

    asyncio.run(run())


def test_when_redis_is_away_then_health_is_measured_locally() -> None:
    async def run() -> None:
        board = HealthBoard.create(alpha=0.5, redis_url=f"redis://127.0.0.1:{free_port()}/0")
        await board.observe("m", 100.0, failed=False)
        await board.observe("m", 200.0, failed=False)
        [(model, found)] = (await board.read(["m"])).items()
        assert (model, found.latency_ms, found.error_rate, found.calls) == ("m", 150.0, 0.0, 2)
        await board.aclose()

    asyncio.run(run())


def test_when_balancing_then_open_circuits_stay_last_and_weights_divide_the_cost() -> None:
    health = {
        "fast": Health(100, 0.0, 5),
        "slow": Health(400, 0.0, 5),
        "flaky": Health(100, 0.5, 5),
    }
    states = {"fast": BreakerState.OPEN}
    order = balanced_order(("fast", "slow", "flaky"), states, health, BalanceRule(), {})
    # flaky costs 200 (two calls of 100), slow 400; fast is open, so last whatever its speed
    assert [s.model_id for s in order] == ["flaky", "slow", "fast"]
    weighted = BalanceRule((("slow", 4.0),), "p")
    order = balanced_order(("fast", "slow", "flaky"), {}, health, weighted, {})
    assert [s.model_id for s in order] == ["fast", "slow", "flaky"]  # 100, 100 (tie: keep), 200
    # an unmeasured model counts with the catalog's typical latency
    order = balanced_order(("new", "slow"), {}, health, BalanceRule(), {"new": 250.0})
    assert [(s.model_id, s.measured) for s in order] == [("new", False), ("slow", True)]


def test_when_a_demoted_models_figures_are_stale_then_it_is_tried_again() -> None:
    health = {"demoted": Health(900, 0.0, 5, at=100.0), "other": Health(300, 0.0, 5, at=160.0)}
    typical = {"demoted": 200.0}
    fresh = balanced_order(
        ("demoted", "other"), {}, health, BalanceRule(), typical, now=150.0, stale_s=60
    )
    assert [s.model_id for s in fresh] == ["other", "demoted"]
    later = balanced_order(
        ("demoted", "other"), {}, health, BalanceRule(), typical, now=160.0, stale_s=60
    )
    assert [(s.model_id, s.measured) for s in later] == [("demoted", False), ("other", True)]


def test_when_serving_settings_go_to_the_graph_and_back_then_nothing_is_lost() -> None:
    policy = Policy.model_validate(
        {
            "id": "p",
            "description": "d.",
            "effect": "constrain",
            "cache": {"ttl_seconds": 90, "max_temperature": 0.3, "semantic_threshold": 0.9},
            "balance": [{"model": "m-a", "weight": 2.5}, {"model": "m-b", "weight": 1}],
        }
    ).model_dump()
    node = serving_properties(policy)
    assert node["balance_weights"] == ["m-a=2.5", "m-b=1"]
    back = serving_settings(node)
    assert back == {"cache": policy["cache"], "balance": policy["balance"]}
    cache, balance = rules_from_properties(node)
    assert cache == CacheRule(ttl_s=90, semantic_threshold=0.9, max_temperature=0.3)
    assert balance == BalanceRule((("m-a", 2.5), ("m-b", 1.0)))
    equal = serving_properties({"balance": [], "cache": None})
    assert rules_from_properties(equal) == (None, BalanceRule())  # `balance: []`: equal weights
    assert rules_from_properties({}) == (None, None)
