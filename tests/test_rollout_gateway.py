"""A canary through the OpenAI-compatible gateway: the version that decided routes the call.

The real app on 127.0.0.1 (uvicorn), the session's Neo4j with the reference
enterprise, one fake upstream (api/gateway/fake_upstream.py) for every provider. The
candidate forbids the EU analysts' private primary provider, so under canary the
analyst's chat goes to the candidate's route, and everyone else's to the active one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.gateway.fake_upstream import BackgroundServer, create_fake_upstream
from api.gateway.settings import GatewaySettings
from api.runtime import Runtime
from api.settings import ApiSettings, Settings
from graph import store
from graph.connection import GraphClient
from graph.facts import principal_for_key
from graph.settings import Neo4jSettings
from lifecycle.rollout_control import start_canary, stop_rollout
from loaders.bundle import Bundle
from loaders.policy_load import read_bundle, stage_bundle
from loaders.spec import PolicyDocument
from tests.conftest import ENTERPRISE, load_enterprise
from tests.serving import set_environment

pytestmark = pytest.mark.neo4j

EU_ANALYST = "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC"
SECURITY_ADMIN = "gr_demo_sec_admin_maEZn-xJu3pu1Ejn"  # an nw-eu employee, not canaried
POLICY_ENGINEER = "gr_demo_policy_engineer_OjqVP6C_D3eEYxIj"
ACTIVE_PRIMARY = "nw-llama-3.1-70b"  # the EU primary under the active version
SUMMARY = "Summarize this quarterly report for me in three bullet points."
KEYS = {
    "NW_PRIVATE_LLM_API_KEY": "test-private-key",
    "HELIO_EU_API_KEY": "test-helio-eu-key",
    "HELIO_US_API_KEY": "test-helio-us-key",
}


def _without_private_for_eu_analysts() -> Bundle:
    doc = read_bundle(ENTERPRISE).canonical()
    doc["policies"].append(
        {
            "id": "eu-analysts-off-private-llm",
            "description": "EU analysts move off the private cluster while it is resized.",
            "effect": "constrain",
            "priority": 400,
            "applies_to": {"roles": ["analyst_eu"]},
            "constraints": {"forbid_providers": ["northwind-private"]},
        }
    )
    return Bundle.from_document(PolicyDocument.model_validate(doc), "edited")


@dataclass
class Served:
    url: str
    runtime: Runtime
    upstream: BackgroundServer

    def chat(self, key: str) -> httpx.Response:
        return httpx.post(
            f"{self.url}/v1/chat/completions",
            json={"model": "auto", "messages": [{"role": "user", "content": SUMMARY}]},
            headers={"Authorization": f"Bearer {key}"},
            timeout=30,
        )

    def decision(self, response: httpx.Response) -> dict[str, Any]:
        decision_id = response.headers["x-govroute-decision-id"]
        record = self.runtime._recent.get(decision_id)
        assert record is not None
        return record


@pytest.fixture(scope="module")
def served(
    graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    load_enterprise(graph)
    restore_environment = set_environment(KEYS)
    upstream = BackgroundServer(create_fake_upstream()).start()
    settings = Settings(
        neo4j=neo4j_settings,
        api=ApiSettings(state_dir=tmp_path_factory.mktemp("canary"), refresh_interval_s=3600),
        gateway=GatewaySettings(upstream_overrides={"*": f"{upstream.url}/v1"}),
    )
    app = create_app(settings)
    server = BackgroundServer(app).start()
    try:
        yield Served(server.url, app.state.runtime, upstream)
    finally:
        server.stop()
        upstream.stop()
        restore_environment()


def test_when_a_canary_changes_the_route_then_the_gateway_calls_the_candidates_model(
    served: Served, graph: GraphClient
) -> None:
    staged = stage_bundle(graph, _without_private_for_eu_analysts(), author="ana", message="r")
    assert staged.policy_set is not None
    admin = principal_for_key(graph, POLICY_ENGINEER)
    assert admin is not None
    before = served.chat(EU_ANALYST)
    assert before.status_code == 200, before.text
    assert before.json()["model"] == ACTIVE_PRIMARY
    start_canary(graph, staged.policy_set.version, admin=admin, principals=["eu-analyst"])
    try:
        served.runtime.refresh()
        canaried = served.chat(EU_ANALYST)
        others = served.chat(SECURITY_ADMIN)
    finally:
        stop_rollout(graph, staged.policy_set.version, admin=admin)
        served.runtime.refresh()
    assert canaried.status_code == 200, canaried.text
    decided = served.decision(canaried)
    assert decided["policy_version"] == staged.policy_set.id
    assert decided["route"]["primary"] not in (None, ACTIVE_PRIMARY)
    # The answer came from the model the candidate routed to, not the active primary.
    assert canaried.json()["model"] == decided["route"]["primary"]
    assert canaried.headers["x-govroute-model"] == decided["route"]["primary"]
    assert others.status_code == 200, others.text
    assert served.decision(others)["policy_version"] == store.active_policy_set(graph).id  # type: ignore[union-attr]
    assert others.json()["model"] == ACTIVE_PRIMARY
