"""The response cache and health balancing end to end: the official `openai` client against
govroute (real HTTP on 127.0.0.1) with a real Redis (REDIS_URL), govroute against fake
providers (api/gateway/fake_upstream.py), the session's Neo4j for the graph.

The reference enterprise is loaded with one more file, tests/data/serving_policies.yaml:
nw-eu answers may be reused (temperature up to 0.5) and nw-eu routes are balanced on
health with nw-llama weighing 3; nw-retail answers may be reused too. The cache's clock
is the test's (no waiting for a TTL); the gateway's health table and breakers are
reset between tests.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam
from pydantic import SecretStr
from redis import Redis

from api.app import create_app
from api.gateway.fake_upstream import BackgroundServer
from api.gateway.gateway import Gateway
from api.gateway.settings import GatewaySettings
from api.runtime import Runtime
from api.settings import ApiSettings, RateLimitSettings, Settings
from graph.connection import GraphClient
from graph.settings import Neo4jSettings
from loaders.policy_load import load_policy_path
from tests.conftest import ENTERPRISE, ROOT, wipe
from tests.redis_server import RedisServer, running_redis
from tests.serving import frozen, set_environment
from tests.test_gateway import (
    ANALYST,
    KEYS,
    PRIMARY,
    RETAIL,
    RETAIL_PROMPT,
    SUMMARY,
    SUPPORT,
    SUPPORT_PROMPT,
    Upstream,
)

pytestmark = pytest.mark.neo4j

SERVING = ROOT / "tests" / "data" / "serving" / "serving_policies.yaml"
SWIFT = "helio-swift-eu"  # the EU analyst's other candidate, typical latency 300 ms


class Clock:
    """The cache's wall clock, moved by the test."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@dataclass
class Env:
    url: str
    gateway: Gateway
    runtime: Runtime
    redis: RedisServer
    private: Upstream  # northwind-private (nw-llama)
    public: Upstream  # every other provider
    clock: Clock
    policy_dir: Path
    clients: dict[str, openai.OpenAI] = field(default_factory=dict)

    def client(self, key: str) -> openai.OpenAI:
        if key not in self.clients:
            self.clients[key] = openai.OpenAI(base_url=f"{self.url}/v1", api_key=key, max_retries=0)
        return self.clients[key]

    def calls(self) -> int:
        return len(self.private.received()) + len(self.public.received())

    def decision(self, key: str, decision_id: str, attempts: int) -> dict[str, Any]:
        """The decision as the graph has it, once its `attempts` ATTEMPTED edges are in."""
        deadline = time.monotonic() + 15
        while True:
            response = httpx.get(
                f"{self.url}/v1/decisions/{decision_id}",
                headers={"Authorization": f"Bearer {key}"},
            )
            if response.status_code == 200:
                record: dict[str, Any] = response.json()
                if len(record["attempts"]) >= attempts:
                    return record
            assert time.monotonic() < deadline, f"attempts of {decision_id} never reached Neo4j"
            time.sleep(0.1)


def policy_dir(target: Path, description: str, serving: Path = SERVING) -> Path:
    """The reference enterprise plus the serving policies (`description` makes a version)."""
    shutil.copytree(ENTERPRISE, target, ignore=shutil.ignore_patterns("cases", "*.md"))
    text = serving.read_text().replace("SERVING_DESCRIPTION", description)
    (target / "serving.yaml").write_text(text)
    return target


@contextmanager
def serving_env(
    graph: GraphClient,
    neo4j_settings: Neo4jSettings,
    tmp_path_factory: pytest.TempPathFactory,
    *,
    serving: Path = SERVING,
    shared: bool = True,
) -> Iterator[Env]:
    """A govroute app over the enterprise plus `serving`, a real Redis for limits and
    health, and the cache in Redis (`shared`) or in memory; upstreams are fakes."""
    wipe(graph)
    folder = policy_dir(tmp_path_factory.mktemp("serving") / "policies", "first version", serving)
    load_policy_path(graph, folder, author="tests", message="enterprise with serving policies")
    restore_environment = set_environment(KEYS)
    private, public = Upstream(), Upstream()
    with running_redis() as redis:
        settings = Settings(
            neo4j=neo4j_settings,
            api=ApiSettings(
                state_dir=tmp_path_factory.mktemp("cache-state"),
                refresh_interval_s=1,
                # Redis is shared: replicas must share the secret (api/settings.py)
                secret=SecretStr("cache-tests-shared-secret"),
            ),
            gateway=GatewaySettings(
                upstream_overrides={"northwind-private": private.base, "*": public.base},
                upstream_read_timeout_s=5.0,
                retry_base_s=0.01,
                retry_cap_s=0.05,
                request_budget_s=20.0,
                cache_shared=shared,
            ),
            rate_limits=RateLimitSettings(
                redis_url=SecretStr(redis.url), rate_limit_on_redis_failure="open"
            ),
        )
        app = create_app(settings)
        server = BackgroundServer(app).start()
        clock = Clock()
        gateway: Gateway = app.state.gateway
        assert gateway.cache is not None
        assert gateway.cache.shared is shared
        gateway.cache.clock = clock
        env = Env(server.url, gateway, app.state.runtime, redis, private, public, clock, folder)
        try:
            yield env
        finally:
            for client in env.clients.values():
                client.close()
            server.stop()
            private.stop()
            public.stop()
            restore_environment()


@pytest.fixture(scope="module")
def env(
    graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Env]:
    with serving_env(graph, neo4j_settings, tmp_path_factory) as built:
        yield built


@pytest.fixture
def gw(env: Env) -> Env:
    for upstream in (env.private, env.public):
        upstream.reset()
    env.gateway.breakers.reset()
    env.gateway.health.local.reset()
    assert env.gateway.health.redis is not None
    Redis.from_url(env.redis.url).flushall()  # cache entries and health of earlier tests
    env.clock.now += 3600  # and no entry of an earlier test is still live
    return env


def ask(env: Env, key: str, prompt: str, **kwargs: Any) -> Any:
    return env.client(key).chat.completions.with_raw_response.create(
        model="auto", messages=[{"role": "user", "content": prompt}], **kwargs
    )


# --------------------------------------------------------------------------- cache


def test_when_the_same_request_comes_again_then_it_is_served_from_the_cache(gw: Env) -> None:
    first = ask(gw, ANALYST, SUMMARY, temperature=0, max_tokens=64)
    assert first.headers["x-govroute-cache"].startswith("miss; key=sha256:")
    second = ask(gw, ANALYST, SUMMARY, temperature=0, max_tokens=64)
    assert second.headers["x-govroute-cache"].startswith("hit; key=sha256:")
    assert gw.calls() == 1  # the provider saw the request once
    one, two = first.parse(), second.parse()
    assert two.choices[0].message.content == one.choices[0].message.content
    assert two.model == one.model == second.headers["x-govroute-model"]
    # a hit is a decision of its own, recorded as such, with where the answer came from
    hit_id = second.headers["x-govroute-decision-id"]
    assert hit_id != first.headers["x-govroute-decision-id"]
    cache = two.model_extra["govroute"]["cache"]
    assert cache["stored_by_decision"] == first.headers["x-govroute-decision-id"]
    record = gw.decision(ANALYST, hit_id, attempts=1)
    [attempt] = record["attempts"]
    assert attempt["status"] == "cache_hit"
    assert attempt["model_id"] == one.model
    assert cache["key"] in attempt["detail"]
    assert cache["stored_at"] in attempt["detail"]
    assert "the output filter ran then" in attempt["detail"]
    # other parameters are another request
    third = ask(gw, ANALYST, SUMMARY, temperature=0, max_tokens=65)
    assert third.headers["x-govroute-cache"].startswith("miss")
    assert gw.calls() == 2


def test_when_a_stream_is_asked_for_then_a_hit_replays_as_server_sent_events(gw: Env) -> None:
    client = gw.client(ANALYST)
    messages: list[ChatCompletionMessageParam] = [{"role": "user", "content": SUMMARY}]
    plain = ask(gw, ANALYST, SUMMARY, temperature=0).parse().choices[0].message.content
    with client.chat.completions.with_streaming_response.create(
        model="auto",
        messages=messages,
        temperature=0,
        stream=True,
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["x-govroute-cache"].startswith("hit")
        lines = [line for line in response.iter_lines() if line]
    assert lines[-1] == "data: [DONE]"
    stream = client.chat.completions.create(
        model="auto",
        messages=messages,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == plain
    assert chunks[-1].usage is not None
    assert gw.calls() == 1
    # and a streamed miss is stored for the next request, streamed or not
    other = f"{SUMMARY} Keep it short."
    pieces = client.chat.completions.create(
        model="auto",
        messages=[{"role": "user", "content": other}],
        temperature=0,
        stream=True,
    )
    streamed = "".join(c.choices[0].delta.content or "" for c in pieces if c.choices)
    again = ask(gw, ANALYST, other, temperature=0)
    assert again.headers["x-govroute-cache"].startswith("hit")
    assert again.parse().choices[0].message.content == streamed
    assert gw.calls() == 2


def test_when_a_request_is_not_deterministic_then_it_is_never_cached(gw: Env) -> None:
    for kwargs in ({}, {"temperature": 0.9}, {"temperature": 0, "n": 2}):
        first = ask(gw, ANALYST, SUMMARY, **kwargs)
        assert first.headers["x-govroute-cache"].startswith("off; ")
        ask(gw, ANALYST, SUMMARY, **kwargs)
    assert gw.calls() == 6
    # the policy's max_temperature (0.5) is cached
    ask(gw, ANALYST, SUMMARY, temperature=0.5)
    assert ask(gw, ANALYST, SUMMARY, temperature=0.5).headers["x-govroute-cache"].startswith("hit")


def test_when_the_ttl_has_passed_then_the_answer_is_asked_again(gw: Env) -> None:
    ask(gw, ANALYST, SUMMARY, temperature=0)
    gw.clock.now += 599  # serving_policies.yaml: ttl_seconds 600 for nw-eu
    assert ask(gw, ANALYST, SUMMARY, temperature=0).headers["x-govroute-cache"].startswith("hit")
    gw.clock.now += 1
    assert ask(gw, ANALYST, SUMMARY, temperature=0).headers["x-govroute-cache"].startswith("miss")
    assert gw.calls() == 2


def test_when_another_tenant_sends_the_same_prompt_then_it_never_gets_the_answer(
    gw: Env,
) -> None:
    prompt = RETAIL_PROMPT
    ask(gw, RETAIL, prompt, temperature=0)  # nw-retail
    assert ask(gw, RETAIL, prompt, temperature=0).headers["x-govroute-cache"].startswith("hit")
    eu = ask(gw, SUPPORT, prompt, temperature=0)  # nw-eu
    assert eu.headers["x-govroute-cache"].startswith("miss")
    assert gw.calls() == 2


def test_when_pseudonyms_are_restored_then_the_cache_holds_only_placeholders(gw: Env) -> None:
    first = ask(gw, SUPPORT, SUPPORT_PROMPT, temperature=0).parse().choices[0].message.content
    assert "Maria Schneider" in first  # restored for the caller
    [sent] = gw.private.received() or gw.public.received()
    assert "Maria Schneider" not in str(sent["messages"])
    stored = Redis.from_url(gw.redis.url)
    [key] = list(stored.scan_iter("govroute:cache:*"))
    value = stored.get(key)
    assert isinstance(value, bytes)
    assert b"Maria" not in value
    assert b"Schneider" not in value
    again = ask(gw, SUPPORT, SUPPORT_PROMPT, temperature=0)
    assert again.headers["x-govroute-cache"].startswith("hit")
    assert again.parse().choices[0].message.content == first


def test_when_a_new_policy_version_is_loaded_then_nothing_cached_before_is_served(
    gw: Env, graph: GraphClient, tmp_path: Path
) -> None:
    ask(gw, ANALYST, SUMMARY, temperature=0)
    assert ask(gw, ANALYST, SUMMARY, temperature=0).headers["x-govroute-cache"].startswith("hit")
    before = gw.runtime.state.snapshot.version
    folder = policy_dir(tmp_path / "policies", "second version")
    load_policy_path(graph, folder, author="tests", message="a new version")
    deadline = time.monotonic() + 30
    while gw.runtime.state.snapshot.version == before:  # the app refreshes every second
        assert time.monotonic() < deadline, "the new version never reached the app"
        time.sleep(0.2)
    assert ask(gw, ANALYST, SUMMARY, temperature=0).headers["x-govroute-cache"].startswith("miss")
    assert gw.calls() == 2


def test_when_redis_is_frozen_then_requests_are_still_served(gw: Env) -> None:
    ask(gw, ANALYST, SUMMARY, temperature=0)
    with frozen(gw.redis.pid):
        answer = ask(gw, ANALYST, SUMMARY, temperature=0)
        assert answer.parse().choices[0].message.content == f"You said: {SUMMARY}"
        assert answer.headers["x-govroute-cache"].startswith("miss")  # a miss, not a failure
    assert gw.calls() == 2


# --------------------------------------------------------------------------- balancing


def route(response: Any) -> str:
    return str(response.headers["x-govroute-route"])


def test_when_the_primary_is_slow_then_it_moves_down_the_order_and_the_order_is_recorded(
    gw: Env,
) -> None:
    gw.private.script({"delay_s": 1.5})  # nw-llama: 1500 ms / weight 3 = 500 ms
    # Unmeasured, the weight keeps nw-llama (typical 650 ms / 3) before helio-swift (300 ms).
    first = ask(gw, ANALYST, SUMMARY, temperature=0.9)
    assert first.headers["x-govroute-model"] == PRIMARY
    assert "order=" not in route(first)  # the decision's own order
    moved = ask(gw, ANALYST, f"{SUMMARY} Again.", temperature=0.9)
    assert moved.headers["x-govroute-model"] == SWIFT
    order = route(moved).split("order=")[1].split(";")[0].split(",")
    assert order[0] == SWIFT
    assert PRIMARY in order[1:]
    record = gw.decision(ANALYST, moved.headers["x-govroute-decision-id"], attempts=1)
    detail = record["attempts"][0]["detail"]
    assert "ordered by health under balance-eu-routes" in detail
    assert f"{PRIMARY} (" in detail
    assert "weight 3" in detail
    # the decision itself keeps the compliant set, in policy order
    assert record["route"]["primary"] == PRIMARY
    assert SWIFT in record["route"]["fallbacks"]


def test_when_a_model_keeps_failing_then_its_error_rate_moves_it_down(gw: Env) -> None:
    gw.private.script({"status": 503, "times": 3})  # every try of nw-llama in one request
    failed_over = ask(gw, ANALYST, SUMMARY, temperature=0.9)
    assert failed_over.headers["x-govroute-model"] == SWIFT
    assert "order=" not in route(failed_over)
    after = ask(gw, ANALYST, f"{SUMMARY} Again.", temperature=0.9)
    assert after.headers["x-govroute-model"] == SWIFT
    order = route(after).split("order=")[1].split(";")[0].split(",")
    assert order.index(SWIFT) < order.index(PRIMARY)
    assert gw.private.received()[-1]["messages"][-1]["content"] == SUMMARY  # not called again
