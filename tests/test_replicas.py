"""Two stateless replicas, as docs/scaling.md deploys them: one real Redis for limits,
breakers and the vault, and the graph through a `neo4j://` routing driver (the local
server answers the routing table as a one-member cluster would).

The vault across replicas is tests/test_vault.py's; this module checks the rest of
what replicas share: a decision made on one is read on the other, a principal's
rate limit counts the requests of both, and a circuit opened by one replica's calls
routes the other's requests too.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from api.app import create_app
from api.gateway.fake_upstream import BackgroundServer, create_fake_upstream
from api.gateway.settings import GatewaySettings
from api.settings import ApiSettings, RateLimitSettings, Settings, VaultSettings
from graph.connection import GraphClient
from graph.settings import Neo4jSettings
from tests.conftest import load_enterprise
from tests.redis_server import running_redis

pytestmark = pytest.mark.neo4j

SECRET = "replica-test-secret-0123456789abcdef"
ANALYST = "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC"  # eu-analyst: EU route, primary nw-llama
CONTRACTOR = "gr_demo_contractor_oa_i3n6NnMHHOPCC"  # contractor: 60 requests a minute
PRIMARY_UPSTREAM = "meta-llama/Llama-3.1-70B-Instruct"
SUMMARY = "Summarize this quarterly report for me in three bullet points."
KEYS = {"NW_PRIVATE_LLM_API_KEY": "k1", "HELIO_EU_API_KEY": "k2", "HELIO_US_API_KEY": "k3"}


@dataclass
class Pair:
    a: httpx.Client
    b: httpx.Client
    upstream: httpx.Client


def routed(settings: Neo4jSettings) -> Neo4jSettings:
    """The same server, addressed as a cluster: neo4j://, so reads and writes are routed."""
    assert settings.uri is not None
    return settings.model_copy(update={"uri": settings.uri.replace("bolt://", "neo4j://", 1)})


@pytest.fixture(scope="module")
def provider_keys() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in KEYS.items():
            patch.setenv(name, value)
        yield


@pytest.fixture(scope="module")
def pair(
    provider_keys: None,
    graph: GraphClient,
    neo4j_settings: Neo4jSettings,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Pair]:
    load_enterprise(graph)
    upstream = BackgroundServer(create_fake_upstream()).start()
    with running_redis() as redis:
        shared = SecretStr(redis.url)
        servers = [
            BackgroundServer(
                create_app(
                    Settings(
                        neo4j=routed(neo4j_settings).model_copy(update={"request_timeout_s": 5.0}),
                        api=ApiSettings(
                            state_dir=tmp_path_factory.mktemp(f"replica-{n}"),
                            refresh_interval_s=1,
                            secret=SecretStr(SECRET),
                        ),
                        rate_limits=RateLimitSettings(redis_url=shared),
                        vault=VaultSettings(redis_url=shared),
                        gateway=GatewaySettings(
                            upstream_overrides={"*": f"{upstream.url}/v1"},
                            request_budget_s=20.0,
                            retry_base_s=0.01,
                            retry_cap_s=0.05,
                            breaker_window=4,
                            breaker_min_calls=2,
                            breaker_cooldown_s=60.0,
                        ),
                    )
                )
            ).start()
            for n in range(2)
        ]
        clients = [httpx.Client(base_url=s.url, timeout=30) for s in servers]
        control = httpx.Client(base_url=upstream.url, timeout=10)
        try:
            yield Pair(clients[0], clients[1], control)
        finally:
            for client in (*clients, control):
                client.close()
            for server in servers:
                server.stop()
            upstream.stop()


def decide(client: httpx.Client, key: str, prompt: str = SUMMARY) -> httpx.Response:
    return client.post(
        "/v1/decide", headers={"Authorization": f"Bearer {key}"}, json={"prompt": prompt}
    )


def chat(client: httpx.Client, key: str) -> httpx.Response:
    return client.post(
        "/v1/chat/completions",
        headers={"Authorization": f"Bearer {key}"},
        json={"model": "auto", "messages": [{"role": "user", "content": SUMMARY}]},
    )


def test_when_one_replica_decides_then_the_other_reads_the_decision_through_routing(
    pair: Pair,
) -> None:
    made = decide(pair.a, ANALYST)
    assert made.status_code == 200, made.text
    decision_id = made.json()["id"]
    deadline = time.monotonic() + 30
    while True:  # provenance reaches Neo4j off the request path
        read = pair.b.get(
            f"/v1/decisions/{decision_id}", headers={"Authorization": f"Bearer {ANALYST}"}
        )
        body: dict[str, Any] = read.json()
        if read.status_code == 200 and body.get("provenance"):
            break
        assert time.monotonic() < deadline, f"{decision_id} never reached the graph: {read.text}"
        time.sleep(0.2)
    assert body["id"] == decision_id
    assert body["outcome"] == made.json()["outcome"]


def test_when_a_principal_spreads_requests_over_both_replicas_then_one_limit_counts_them(
    pair: Pair,
) -> None:
    answers = [
        decide(pair.a if n % 2 else pair.b, CONTRACTOR, "What are the office hours?").status_code
        for n in range(61)
    ]
    assert set(answers[:60]) <= {200, 403}, answers  # admitted: allowed or denied by policy
    assert answers[60] == 429


def test_when_one_replicas_calls_open_a_circuit_then_the_other_routes_around_it(
    pair: Pair,
) -> None:
    pair.upstream.post(
        "/_control", json={"rules": [{"model": PRIMARY_UPSTREAM, "status": 500}]}
    ).raise_for_status()
    try:
        for _ in range(2):  # every attempt on the primary fails; fallbacks answer
            assert chat(pair.a, ANALYST).status_code == 200
        pair.upstream.post("/_control/reset").raise_for_status()
        answered = chat(pair.b, ANALYST)
        assert answered.status_code == 200, answered.text
        received = pair.upstream.get("/_received").json()["requests"]
        # Replica b never called the primary itself, yet skipped it: the circuit is shared.
        assert [r["model"] for r in received] != [PRIMARY_UPSTREAM]
        assert PRIMARY_UPSTREAM not in [r["model"] for r in received]
    finally:
        pair.upstream.post("/_control/reset").raise_for_status()
