"""A frozen Redis (SIGSTOP) costs requests a bounded wait, then none: open or closed.

The machine's real `redis-server`, started here on a free loopback port and frozen
with SIGSTOP (always resumed with SIGCONT). Without deadlines on the Redis calls a
request waited 40 s; the assertions here are on outcomes (admitted, refused with
503, finished at all), and bench/failsafe.py prints the waiting times.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from api.ratelimit import RateLimiter
from api.settings import ApiSettings, RateLimitSettings, Settings
from engine.errors import DependencyUnavailable
from engine.model import Principal
from graph.settings import Neo4jSettings
from loaders.policy_load import LoadReport
from tests.redis_server import RedisServer, running_redis
from tests.serving import frozen

SUPPORT_EU = "gr_demo_eu_support_uRI5-pCzY_bOIljs"


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


# Redis is shared state: replicas that use it must be given the secret (api/settings.py).
SHARED_SECRET = "failsafe-tests-shared-secret"


def limiter(redis: RedisServer, **settings: Any) -> RateLimiter:
    limits = {"default_rpm": 1000, "default_tpm": 0, "default_tenant_rpm": 0}
    return RateLimiter.from_settings(
        RateLimitSettings(redis_url=SecretStr(redis.url), **(limits | settings))
    )


def finishes(work: Callable[[], Any], bound_s: float = 30.0) -> Any:
    """Run `work` in a thread; fail if it has not finished within a generous bound (a
    hang, not a speed figure), else return its result or raise its exception."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(("ok", work()))
        except Exception as exc:
            outcome.append(("error", exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(bound_s)
    assert outcome, f"still waiting after {bound_s:.0f} s: the dependency hangs the request"
    kind, value = outcome[0]
    if kind == "error":
        raise value
    return value


def test_when_redis_is_frozen_then_requests_are_admitted_and_redis_is_left_alone(
    redis_server: RedisServer,
) -> None:
    who = Principal("frozen-p1", "frozen-t1", frozenset({"r"}))
    guarded = limiter(redis_server, redis_backoff_s=0.3)
    guarded.admit(who, 10)
    assert not guarded.guard.failing
    with frozen(redis_server.pid):
        for _ in range(20):
            admission = finishes(lambda: guarded.admit(who, 10))
            assert admission.principal == who
        assert guarded.guard.failing  # the first timeout opened the back-off
    # Resumed: after the back-off one request tries Redis again, and it answers.
    deadline = time.monotonic() + 30
    while guarded.guard.failing and time.monotonic() < deadline:
        guarded.admit(who, 10)
        time.sleep(0.05)
    assert not guarded.guard.failing


def test_when_redis_is_frozen_and_limits_fail_closed_then_requests_are_refused(
    redis_server: RedisServer,
) -> None:
    who = Principal("frozen-p2", "frozen-t2", frozenset({"r"}))
    strict = limiter(redis_server, rate_limit_on_redis_failure="closed")
    strict.admit(who, 10)
    with frozen(redis_server.pid):
        for _ in range(5):  # the one that waits for the timeout, then those backing off
            with pytest.raises(DependencyUnavailable):
                finishes(lambda: strict.admit(who, 10))


def test_when_redis_is_frozen_then_the_api_answers_decisions(
    redis_server: RedisServer, neo4j_settings: Neo4jSettings, enterprise: LoadReport, tmp_path: Any
) -> None:
    settings = Settings(
        neo4j=neo4j_settings,
        api=ApiSettings(state_dir=tmp_path, secret=SecretStr(SHARED_SECRET)),
        rate_limits=RateLimitSettings(redis_url=SecretStr(redis_server.url)),
    )
    headers = {"Authorization": f"Bearer {SUPPORT_EU}"}
    body = {"prompt": "Draft a reply to the customer about the delayed transfer."}
    with TestClient(create_app(settings)) as client:
        assert client.post("/v1/decide", json=body, headers=headers).status_code == 200
        with frozen(redis_server.pid):
            for _ in range(5):
                response = finishes(lambda: client.post("/v1/decide", json=body, headers=headers))
                assert response.status_code == 200, response.text

    strict = Settings(
        neo4j=neo4j_settings,
        api=ApiSettings(state_dir=tmp_path, secret=SecretStr(SHARED_SECRET)),
        rate_limits=RateLimitSettings(
            redis_url=SecretStr(redis_server.url), rate_limit_on_redis_failure="closed"
        ),
    )
    with TestClient(create_app(strict)) as client:
        with frozen(redis_server.pid):
            response = finishes(lambda: client.post("/v1/decide", json=body, headers=headers))
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "dependency_unavailable"
        # Resumed: refused while backing off, then counted and answered again.
        deadline = time.monotonic() + 30
        while client.post("/v1/decide", json=body, headers=headers).status_code != 200:
            assert time.monotonic() < deadline, "still refused 30 s after Redis resumed"
            time.sleep(0.2)
