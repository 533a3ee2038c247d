"""Rate limits and token budgets: graph data, the limiter, and 429s from the real app.

The app tests load the minimal policy plus a tenant and principals with tiny limits
into the session's Neo4j, and send real requests; counters are in memory. Redis is
not started here (CI has no server for it): its path is the storage URL, checked by
what the limiter asks the `limits` library for.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, Storage
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr, ValidationError

import api.ratelimit
from api.app import create_app
from api.gateway.fake_upstream import BackgroundServer, create_fake_upstream
from api.gateway.settings import GatewaySettings
from api.ratelimit import (
    DEFAULT_OUTPUT_TOKENS,
    EffectiveLimits,
    RateLimiter,
    estimate_request_tokens,
    storage_uri,
)
from api.settings import ApiSettings, RateLimitSettings, Settings, TelemetrySettings
from engine.errors import InvalidPolicyData, PayloadTooLarge, RateLimited
from engine.model import Limits, Principal
from graph.connection import GraphClient
from graph.facts import hash_api_key, principal_for_key
from graph.settings import Neo4jSettings
from loaders.graph_mapping import from_graph, to_graph
from loaders.policy_load import load_policy_path, read_bundle
from loaders.spec import PolicyDocument
from tests.conftest import wipe

MINIMAL = Path(__file__).parent / "data" / "minimal"

KEYS = {
    "tiny": "rl-test-key-tiny-0001",  # 2 requests/min of its own
    "sibling": "rl-test-key-sibling-0002",  # no limit of its own; the tenant's 3/min bind
    "spender": "rl-test-key-spender-0003",  # 2500 tokens/min
    "free": "rl-test-key-free-0004",  # another tenant, defaults only
    "chatter": "rl-test-key-chatter-0005",  # 2 requests/min, 2500 tokens/min, for the gateway
    "sloppy": "rl-test-key-sloppy-0006",  # 2500 tokens/min, sends malformed requests
}

LIMITS_YAML = f"""
tenants:
  - id: rl-shared
    name: Shared quota
    limits: {{requests_per_minute: 3}}
  - id: rl-other
    name: Other tenant
principals:
  - id: rl-tiny
    name: Tiny
    tenant: rl-shared
    roles: [analyst]
    api_keys: ["sha256:{hash_api_key(KEYS["tiny"])}"]
    limits: {{requests_per_minute: 2}}
  - id: rl-sibling
    name: Sibling
    tenant: rl-shared
    roles: [analyst]
    api_keys: ["sha256:{hash_api_key(KEYS["sibling"])}"]
  - id: rl-spender
    name: Spender
    tenant: rl-other
    roles: [analyst]
    api_keys: ["sha256:{hash_api_key(KEYS["spender"])}"]
    limits: {{tokens_per_minute: 2500}}
  - id: rl-free
    name: Free
    tenant: rl-other
    roles: [analyst]
    api_keys: ["sha256:{hash_api_key(KEYS["free"])}"]
  - id: rl-chatter
    name: Chatter
    tenant: rl-other
    roles: [analyst]
    api_keys: ["sha256:{hash_api_key(KEYS["chatter"])}"]
    limits: {{requests_per_minute: 3, tokens_per_minute: 2500}}
  - id: rl-sloppy
    name: Sloppy
    tenant: rl-other
    roles: [analyst]
    api_keys: ["sha256:{hash_api_key(KEYS["sloppy"])}"]
    limits: {{tokens_per_minute: 2500}}
"""

PROMPT = {"prompt": "Give me a short summary of the quarterly numbers.", "max_output_tokens": 64}


def principal(
    pid: str = "p",
    tenant: str = "t",
    own: Limits | None = None,
    shared: Limits | None = None,
) -> Principal:
    return Principal(pid, tenant, frozenset({"r"}), principal_limits=own, tenant_limits=shared)


def limiter(**defaults: Any) -> RateLimiter:
    settings = RateLimitSettings(redis_url=None, **defaults)
    return RateLimiter(MemoryStorage(), settings)


# ---------------------------------------------------------------- limits are policy data


def test_when_limits_are_in_yaml_then_the_graph_round_trip_is_exact(tmp_path: Path) -> None:
    policy = tmp_path / "policy"
    shutil.copytree(MINIMAL, policy)
    (policy / "limits.yaml").write_text(LIMITS_YAML, encoding="utf-8")
    bundle = read_bundle(policy)

    content = to_graph(bundle)
    back = from_graph(content)

    assert back == bundle.document()
    tenant = next(t for t in content.nodes["Tenant"] if t["id"] == "rl-shared")
    tiny = next(p for p in content.nodes["Principal"] if p["id"] == "rl-tiny")
    sibling = next(p for p in content.nodes["Principal"] if p["id"] == "rl-sibling")
    assert tenant["requests_per_minute"] == 3
    assert "tokens_per_minute" not in tenant
    assert tiny["requests_per_minute"] == 2
    assert not {"requests_per_minute", "tokens_per_minute"} & set(sibling)


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({}, "limits needs requests_per_minute or tokens_per_minute"),
        ({"requests_per_minute": 0}, "greater than 0"),
        ({"tokens_per_minute": -5}, "greater than 0"),
        ({"requests_per_minute": 10, "burst": 3}, "Extra inputs are not permitted"),
    ],
)
def test_when_limits_are_empty_or_not_positive_then_the_document_is_refused(
    limits: dict[str, int], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        PolicyDocument.model_validate({"tenants": [{"id": "t", "name": "T", "limits": limits}]})


# ---------------------------------------------------------------- the limiter, in memory


def test_when_the_graph_sets_no_limit_then_the_defaults_apply_and_zero_means_none() -> None:
    settings = RateLimitSettings(
        redis_url=None, default_rpm=10, default_tpm=0, default_tenant_rpm=0, default_tenant_tpm=7
    )
    own = Limits(requests_per_minute=2)

    assert EffectiveLimits.of(principal(own=own), settings) == EffectiveLimits(
        principal_rpm=2, principal_tpm=None, tenant_rpm=None, tenant_tpm=7
    )
    assert EffectiveLimits.of(principal(), settings).principal_rpm == 10


def test_when_principal_is_over_its_requests_then_retry_after_is_within_the_window() -> None:
    rl = limiter(default_rpm=2)
    rl.admit(principal(), 10)
    rl.admit(principal(), 10)

    with pytest.raises(RateLimited, match="principal p is over its limit of 2 requests") as info:
        rl.admit(principal(), 10)

    assert 1 <= info.value.retry_after <= 60


def test_when_the_tenant_refuses_then_the_principal_keeps_its_slot_and_tokens() -> None:
    rl = limiter(default_rpm=2, default_tenant_rpm=1, default_tpm=1000)
    rl.admit(principal("a"), 100)

    with pytest.raises(RateLimited, match="tenant t is over its limit of 1 requests"):
        rl.admit(principal("b"), 100)

    assert rl.storage.get("govroute/tokens/principal/b") == 0
    assert rl.storage.get("govroute/tokens/tenant/t") == 100
    assert (
        rl._requests.get_window_stats(  # b's own window is untouched
            RateLimitItemPerMinute(2), "govroute", "requests", "principal", "b"
        ).remaining
        == 2
    )


def test_when_tokens_run_out_then_the_request_is_refused_without_charging() -> None:
    rl = limiter(default_tpm=1000)
    rl.admit(principal(), 600)

    with pytest.raises(RateLimited, match="principal p is over its limit of 1000 tokens"):
        rl.admit(principal(), 600)

    assert rl.storage.get("govroute/tokens/principal/p") == 600
    rl.admit(principal(), 400)  # exactly the rest still fits


def test_when_one_request_needs_more_than_a_whole_budget_then_it_is_too_large() -> None:
    rl = limiter(default_tenant_tpm=500)

    with pytest.raises(PayloadTooLarge, match="tenant's whole budget of 500 tokens"):
        rl.admit(principal(), 501)


def test_when_usage_is_reported_then_the_charge_is_corrected_both_ways() -> None:
    rl = limiter(default_tpm=10_000, default_tenant_tpm=50_000)
    first = rl.admit(principal(), 3000)
    second = rl.admit(principal(), 3000)

    first.settle(1200)  # used less than estimated: 1800 back
    first.settle(10)  # settles once
    second.settle(3500)  # used more: charged even if that passes the budget

    assert rl.storage.get("govroute/tokens/principal/p") == 1200 + 3500
    assert rl.storage.get("govroute/tokens/tenant/t") == 1200 + 3500


def test_when_a_refund_exceeds_the_window_then_the_counter_stops_at_zero() -> None:
    rl = limiter(default_tpm=10_000)
    admission = rl.admit(principal(), 3000)
    rl.storage.clear("govroute/tokens/principal/p")  # as if the window had rolled over

    admission.settle(0)

    assert rl.storage.get("govroute/tokens/principal/p") == 0


@pytest.mark.parametrize(
    ("body", "tokens"),
    [
        ({"prompt": "x" * 40, "max_output_tokens": 100}, 10 + 100),
        (
            {
                "messages": [{"role": "user", "content": "y" * 41}],
                "context": [{"id": "d", "text": "z" * 4}],
            },
            12 + DEFAULT_OUTPUT_TOKENS,
        ),
        (
            {
                "model": "m",
                "max_tokens": 7,
                "messages": [
                    {"role": "system", "content": "s" * 8},
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": "t" * 8},
                            {"type": "image_url", "image_url": {"url": "data:" + "i" * 999}},
                        ],
                    },
                ],
            },
            4 + 7,
        ),
        (
            {
                "instructions": "i" * 8,
                "input": [
                    {"role": "user", "content": [{"type": "input_text", "text": "u" * 8}]},
                    {"role": "assistant", "content": "a" * 8},
                ],
                "max_output_tokens": 5,
            },
            6 + 5,
        ),
        ({"input": ["e" * 8, "f" * 8]}, 4 + DEFAULT_OUTPUT_TOKENS),
        ({"prompt": ["p" * 8, "q" * 4], "max_tokens": 2}, 3 + 2),
        ({"messages": "not a list", "max_completion_tokens": 9}, 9),
        ([1, 2, 3], DEFAULT_OUTPUT_TOKENS),
        # Found by the OpenAPI fuzz: a part whose type is an object is no text part.
        (
            {
                "messages": [
                    {"role": "user", "content": [{"type": {"x": 1}, "text": "t" * 8}]},
                ],
                "max_tokens": 1,
            },
            0 + 1,
        ),
    ],
    ids=[
        "decide-prompt",
        "decide-messages-context",
        "chat-parts",
        "responses-items",
        "embeddings-inputs",
        "completions-prompts",
        "malformed",
        "not-an-object",
        "part-type-not-a-string",
    ],
)
def test_when_a_body_is_estimated_then_text_counts_a_quarter_token_per_character(
    body: object, tokens: int
) -> None:
    assert estimate_request_tokens(body) == tokens


# ---------------------------------------------------------------- where the counters live


def test_when_redis_url_is_unset_then_counters_are_in_memory() -> None:
    settings = RateLimitSettings(redis_url=None)

    assert storage_uri(settings) == "memory://"
    assert RateLimiter.from_settings(settings).in_memory


def test_when_redis_url_is_set_then_the_limiter_asks_for_that_storage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[tuple[str, dict[str, Any]]] = []

    def fake_storage(uri: str, **options: Any) -> Storage:
        asked.append((uri, options))
        return MemoryStorage()

    monkeypatch.setenv("REDIS_URL", "redis://:s3cret@cache.internal:6379/2")
    monkeypatch.setattr(api.ratelimit, "storage_from_string", fake_storage)
    settings = RateLimitSettings()

    RateLimiter.from_settings(settings)

    assert "s3cret" not in repr(settings)
    [(uri, options)] = asked
    assert uri == "redis://:s3cret@cache.internal:6379/2"
    assert options["wrap_exceptions"] is True
    # Bounded time: a frozen Redis must not hold a request (docs/operations.md).
    assert (options["socket_timeout"], options["socket_connect_timeout"]) == (0.05, 0.05)
    assert options["retry_on_timeout"] is False


def test_when_redis_url_is_not_redis_then_settings_refuse_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REDIS_URL", "memcached://localhost:11211")

    with pytest.raises(ValidationError, match="REDIS_URL must be a redis"):
        RateLimitSettings()


# ---------------------------------------------------------------- through the app


@pytest.fixture(scope="module")
def limited_graph(graph: GraphClient, tmp_path_factory: pytest.TempPathFactory) -> GraphClient:
    policy = tmp_path_factory.mktemp("policy")
    shutil.copytree(MINIMAL, policy, dirs_exist_ok=True)
    (policy / "limits.yaml").write_text(LIMITS_YAML, encoding="utf-8")
    try:
        load_policy_path(graph, policy, author="tests", message="rate-limit principals")
    except InvalidPolicyData:  # another module's catalog documents pin what this removes
        wipe(graph)
        load_policy_path(graph, policy, author="tests", message="rate-limit principals")
    return graph


@pytest.fixture(scope="module")
def client(
    limited_graph: GraphClient,
    neo4j_settings: Neo4jSettings,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[TestClient]:
    """The app, its gateway sending every provider's calls to a fake upstream."""
    keys = pytest.MonkeyPatch()
    keys.setenv("EUAI_KEY", "test-euai-key")
    upstream = BackgroundServer(create_fake_upstream()).start()
    settings = Settings(
        neo4j=neo4j_settings,
        api=ApiSettings(
            state_dir=tmp_path_factory.mktemp("state"), secret=SecretStr("rate-limit-tests-secret")
        ),
        gateway=GatewaySettings(upstream_overrides={"*": f"{upstream.url}/v1"}),
        rate_limits=RateLimitSettings(redis_url=None),
        telemetry=TelemetrySettings(otlp_endpoint=None),
    )
    try:
        with TestClient(create_app(settings)) as c:
            yield c
    finally:
        upstream.stop()
        keys.undo()


def post(client: TestClient, who: str, body: dict[str, Any] = PROMPT) -> Any:
    return client.post("/v1/decide", json=body, headers={"Authorization": f"Bearer {KEYS[who]}"})


def chat(client: TestClient, who: str, max_tokens: int) -> Any:
    body = {
        "model": "auto",
        "messages": [{"role": "user", "content": "Give me a short summary of this document."}],
        "max_tokens": max_tokens,
    }
    return client.post(
        "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {KEYS[who]}"}
    )


def rejections(client: TestClient) -> dict[tuple[str, str], float]:
    out = {}
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for s in family.samples:
            if s.name == "govroute_rate_limited_total":
                out[(s.labels["scope"], s.labels["kind"])] = s.value
    return out


@pytest.mark.neo4j
def test_when_the_graph_sets_limits_then_the_key_lookup_returns_them(
    limited_graph: GraphClient,
) -> None:
    tiny = principal_for_key(limited_graph, KEYS["tiny"])
    free = principal_for_key(limited_graph, KEYS["free"])

    assert tiny is not None
    assert free is not None
    assert tiny.principal_limits == Limits(requests_per_minute=2)
    assert tiny.tenant_limits == Limits(requests_per_minute=3)
    assert free.principal_limits is None
    assert free.tenant_limits is None


@pytest.mark.neo4j
def test_when_a_principal_passes_its_tiny_limit_then_it_gets_429_and_its_tenant_too(
    client: TestClient,
) -> None:
    assert [post(client, "tiny").status_code for _ in range(2)] == [200, 200]

    refused = post(client, "tiny")
    sibling = [post(client, "sibling") for _ in range(2)]

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused.json()["error"]["type"] == "rate_limit_error"
    assert refused.json()["error"]["message"] == (
        "principal rl-tiny is over its limit of 2 requests per minute"
    )
    # The sibling has no limit of its own; the tenant's 3/min is shared with rl-tiny.
    assert [r.status_code for r in sibling] == [200, 429]
    assert sibling[1].json()["error"]["message"] == (
        "tenant rl-shared is over its limit of 3 requests per minute"
    )
    assert int(sibling[1].headers["Retry-After"]) >= 1
    assert (
        rejections(client).items()
        >= {("principal", "requests"): 1.0, ("tenant", "requests"): 1.0}.items()
    )


@pytest.mark.neo4j
def test_when_the_token_budget_is_spent_then_429_names_tokens(client: TestClient) -> None:
    body = {**PROMPT, "max_output_tokens": 1000}  # ~1012 tokens each against 2500/min

    statuses = [post(client, "spender", body).status_code for _ in range(2)]
    spent = post(client, "spender", body)
    small = post(client, "spender", {**PROMPT, "max_output_tokens": 100})

    assert statuses == [200, 200]
    assert spent.status_code == 429
    assert spent.json()["error"]["message"] == (
        "principal rl-spender is over its limit of 2500 tokens per minute"
    )
    assert 1 <= int(spent.headers["Retry-After"]) <= 60
    assert small.status_code == 200  # what is left of the budget still serves a small one
    assert rejections(client).get(("principal", "tokens"), 0) >= 1


@pytest.mark.neo4j
def test_when_one_request_alone_exceeds_the_budget_then_it_is_413_not_429(
    client: TestClient,
) -> None:
    response = post(client, "spender", {**PROMPT, "max_output_tokens": 3000})

    assert response.status_code == 413
    assert "whole budget of 2500 tokens" in response.json()["error"]["message"]


@pytest.mark.neo4j
def test_when_requests_are_refused_with_400_then_they_consume_no_token_budget(
    client: TestClient,
) -> None:
    auth = {"Authorization": f"Bearer {KEYS['sloppy']}"}
    message = [{"role": "user", "content": "Give me a short summary of this document."}]
    malformed = [
        {"model": "auto", "messages": message, "max_tokens": 1000, "stream": "yes"},
        {"model": "auto", "messages": message, "max_tokens": 1000, "stop": ["a"] * 5},
        {
            "model": "auto",
            "messages": message,
            "max_tokens": 1000,
            "metadata": {"govroute_context": "[{"},
        },
    ]
    answers = [client.post("/v1/chat/completions", json=b, headers=auth) for b in malformed]
    answers.append(post(client, "sloppy", {**PROMPT, "max_output_tokens": 1000, "x": 1}))

    assert [a.status_code for a in answers] == [400, 400, 400, 400]
    assert answers[0].json()["error"]["param"] == "stream"
    assert answers[1].json()["error"]["param"].startswith("stop")
    limiter = client.app.state.limiter  # type: ignore[attr-defined]
    # ~1012 tokens each: four charges would be over the 2500 budget; none is left.
    assert limiter.storage.get("govroute/tokens/principal/rl-sloppy") == 0
    assert post(client, "sloppy", {**PROMPT, "max_output_tokens": 1000}).status_code == 200


@pytest.mark.neo4j
def test_when_the_key_is_unknown_or_forbidden_then_no_limit_is_charged(
    client: TestClient,
) -> None:
    before = rejections(client)

    unknown = client.post("/v1/decide", json=PROMPT, headers={"Authorization": "Bearer nope"})

    assert unknown.status_code == 401
    assert rejections(client) == before
    assert post(client, "free").status_code == 200


@pytest.mark.neo4j
def test_when_the_gateway_reports_usage_then_the_token_charge_is_settled_to_it(
    client: TestClient,
) -> None:
    # Each chat is estimated at ~1012 tokens against 2500/min; the answers use a few
    # dozen, and the settlement gives the rest back, so a third chat still fits.
    answers = [chat(client, "chatter", 1000) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200], answers[-1].text
    used = sum(a.json()["usage"]["total_tokens"] for a in answers)
    limiter = client.app.state.limiter  # type: ignore[attr-defined]
    assert limiter.storage.get("govroute/tokens/principal/rl-chatter") == used


@pytest.mark.neo4j
def test_when_a_chat_caller_passes_its_limit_then_the_gateway_answers_429_in_openai_shape(
    client: TestClient,
) -> None:
    refused = chat(client, "chatter", 10)  # the fourth request of rl-chatter this minute
    denied = post(client, "chatter")  # /v1/decide shares the same limits

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["error"] == {
        "message": "principal rl-chatter is over its limit of 3 requests per minute",
        "type": "rate_limit_error",
        "code": "rate_limited",
        "param": None,
    }
    assert denied.status_code == 429
