"""Rate limits shared through a real Redis server, as with REDIS_URL across replicas.

The server is the machine's `redis-server` (the Makefile installs Debian's package
when it is missing), started here on a free loopback port with persistence off.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.ratelimit import RateLimiter
from api.settings import RateLimitSettings
from engine.errors import RateLimited
from engine.model import Principal
from tests.redis_server import running_redis


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with running_redis() as server:
        yield server.url


def replica(redis_url: str, **defaults: int) -> RateLimiter:
    settings = RateLimitSettings(redis_url=redis_url, **defaults)
    limiter = RateLimiter.from_settings(settings)
    assert not limiter.in_memory
    return limiter


def test_when_two_replicas_share_redis_then_the_request_limit_counts_both(redis_url: str) -> None:
    limits = {"default_rpm": 3, "default_tpm": 0, "default_tenant_rpm": 0, "default_tenant_tpm": 0}
    first, second = replica(redis_url, **limits), replica(redis_url, **limits)
    who = Principal("redis-p1", "redis-t1", frozenset({"r"}))
    first.admit(who, 10)
    second.admit(who, 10)
    first.admit(who, 10)
    with pytest.raises(RateLimited) as caught:
        second.admit(who, 10)
    assert 0 < caught.value.retry_after <= 60
    assert "principal" in caught.value.message


def test_when_tokens_are_settled_on_one_replica_then_the_other_sees_the_refund(
    redis_url: str,
) -> None:
    limits = {
        "default_rpm": 0,
        "default_tpm": 1000,
        "default_tenant_rpm": 0,
        "default_tenant_tpm": 0,
    }
    first, second = replica(redis_url, **limits), replica(redis_url, **limits)
    who = Principal("redis-p2", "redis-t2", frozenset({"r"}))
    admission = first.admit(who, 900)
    with pytest.raises(RateLimited):
        second.admit(who, 200)
    admission.settle(100)  # the upstream used far less than estimated
    second.admit(who, 200)
