"""Tenant scope through every endpoint that takes ids, against the real Neo4j.

The caller is us-support-agent (tenant nw-us) of the reference enterprise. Its probes
name items of nw-eu (a data source, a document of it, and a document that sits in the
shared wiki but belongs to nw-eu) and ids that exist nowhere. For each endpoint the
whole answer for a cross-tenant id must equal the answer for an unknown id once the
id itself (the caller's own input, echoed back) and the per-request values (decision
id, timestamps) are taken out; and no answer may name anything of another tenant.

The gateway's providers are one fake upstream (api/gateway/fake_upstream.py) on
127.0.0.1. Timing is not asserted here: both kinds of id take the same path (one
ITEM_FACTS round trip that answers found=false, the same cache), which the code
review of graph/queries.py and api/runtime.py shows.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.gateway.fake_upstream import BackgroundServer, create_fake_upstream
from api.gateway.settings import GatewaySettings
from api.settings import ApiSettings, Settings
from graph.connection import GraphClient
from graph.settings import Neo4jSettings
from loaders.policy_load import read_bundle
from tests.conftest import ENTERPRISE, load_enterprise
from tests.serving import set_environment

pytestmark = pytest.mark.neo4j

US_SUPPORT = "gr_demo_us_support_B6kOW8Q-wsGWvv2W"  # us-support-agent, nw-us
EU_SUPPORT = "gr_demo_eu_support_uRI5-pCzY_bOIljs"  # eu-support-agent, nw-eu
CALLER_TENANT = "nw-us"
# (another tenant's id, an id that exists nowhere) of the same shape
PROBES = (
    ("crm-eu", "crm-qq"),  # a data source of nw-eu
    ("doc-fin-q4-flash-results", "doc-fin-q4-flash-resulzz"),  # a document of an nw-eu source
    ("doc-wiki-board-pack-nov", "doc-wiki-board-pack-dec"),  # in the shared wiki, but nw-eu's
)
PROMPT = "The customer asks why her card payment was declined; draft a short answer."
CONTEXT_TEXT = "Ticket 4411: card payment declined at a supermarket on Monday."
KEYS = {"NW_PRIVATE_LLM_API_KEY": "k1", "HELIO_EU_API_KEY": "k2", "HELIO_US_API_KEY": "k3"}
VOLATILE = frozenset({"id", "created_at", "created"})


@dataclass(frozen=True)
class Env:
    client: TestClient
    upstream: BackgroundServer


@pytest.fixture(scope="module")
def env(
    graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Env]:
    load_enterprise(graph)
    restore_environment = set_environment(KEYS)
    upstream = BackgroundServer(create_fake_upstream()).start()
    settings = Settings(
        neo4j=neo4j_settings,
        api=ApiSettings(state_dir=tmp_path_factory.mktemp("tenancy-state")),
        gateway=GatewaySettings(upstream_overrides={"*": f"{upstream.url}/v1"}),
    )
    try:
        with TestClient(create_app(settings)) as client:
            yield Env(client, upstream)
    finally:
        upstream.stop()
        restore_environment()


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def without(value: Any, item_id: str) -> Any:
    """The answer with the probed id replaced and per-request values dropped."""
    text = json.dumps(value, sort_keys=True).replace(item_id, "<ID>")
    text = re.sub(r"dec_[0-9a-f]{32}", "<DECISION>", text)
    return _drop_volatile(json.loads(text))


def _drop_volatile(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_volatile(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_drop_volatile(v) for v in value]
    return value


def other_tenants_names() -> set[str]:
    """Ids and names of everything that belongs to a tenant other than the caller's."""
    document = read_bundle(ENTERPRISE).document()
    names: set[str] = set()
    source_tenant = {s.id: s.tenant for s in document.data_sources}
    for tenant in document.tenants:
        if tenant.id != CALLER_TENANT:
            names |= {tenant.id, tenant.name}
    owned = [
        *((s.tenant, s.id, s.name) for s in document.data_sources),
        *((d.tenant or source_tenant[d.source], d.id, d.title) for d in document.documents),
        *((r.tenant, r.id, r.name) for r in document.roles),
        *((i.tenant, i.id, i.name) for i in document.intents),
        *((p.tenant, p.id, "") for p in document.policies),
        *((p.tenant, p.id, p.name) for p in document.principals),
    ]
    for owner, item_id, name in owned:
        if owner is not None and owner != CALLER_TENANT:
            names |= {item_id, name} - {""}
    return names


def named_in(answer: Any, probe: str) -> list[str]:
    """Another tenant's ids and names found in an answer (the probed id taken out)."""
    text = json.dumps(answer, ensure_ascii=False).replace(probe, "<ID>")
    return sorted(
        name
        for name in other_tenants_names()
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)
    )


def decide(env: Env, item_id: str) -> dict[str, Any]:
    body = {"prompt": PROMPT, "context": [{"id": item_id, "text": CONTEXT_TEXT}]}
    response = env.client.post("/v1/decide", json=body, headers=bearer(US_SUPPORT))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def recorded(env: Env, decision_id: str) -> dict[str, Any]:
    """GET /v1/decisions/{id} once the decision's edges are in Neo4j."""
    deadline = time.monotonic() + 15
    while True:
        response = env.client.get(f"/v1/decisions/{decision_id}", headers=bearer(US_SUPPORT))
        if response.status_code == 200 and response.json()["provenance"]:
            record: dict[str, Any] = response.json()
            return record
        assert time.monotonic() < deadline, f"{decision_id} never reached Neo4j"
        time.sleep(0.1)


def chat(env: Env, item_id: str) -> tuple[int, dict[str, Any]]:
    body = {
        "model": "auto",
        "messages": [{"role": "user", "content": PROMPT}],
        "metadata": {"govroute_context": json.dumps([{"id": item_id, "text": CONTEXT_TEXT}])},
    }
    response = env.client.post("/v1/chat/completions", json=body, headers=bearer(US_SUPPORT))
    headers = {k: v for k, v in response.headers.items() if k.lower().startswith("x-govroute")}
    return response.status_code, {"body": response.json(), "headers": headers}


# ---------------------------------------------------------------- indistinguishable


@pytest.mark.parametrize(("foreign", "unknown"), PROBES)
def test_when_decide_names_another_tenants_id_then_the_answer_is_that_of_an_unknown_id(
    env: Env, foreign: str, unknown: str
) -> None:
    seen, missing = decide(env, foreign), decide(env, unknown)
    assert without(seen, foreign) == without(missing, unknown)
    assert [w["code"] for w in seen["withholdings"]] == ["unknown_id"]
    assert named_in(seen, foreign) == []


@pytest.mark.parametrize(("foreign", "unknown"), PROBES)
def test_when_the_decision_is_read_back_then_its_provenance_names_nothing_of_another_tenant(
    env: Env, foreign: str, unknown: str
) -> None:
    seen = recorded(env, decide(env, foreign)["id"])
    missing = recorded(env, decide(env, unknown)["id"])
    assert without(seen, foreign) == without(missing, unknown)
    assert not [e for e in seen["provenance"] if e["type"] in ("WITHHELD", "EXPOSED")]
    assert named_in(seen, foreign) == []


@pytest.mark.parametrize(("foreign", "unknown"), PROBES)
def test_when_chat_context_names_another_tenants_id_then_the_answer_is_that_of_an_unknown_id(
    env: Env, foreign: str, unknown: str
) -> None:
    seen, missing = chat(env, foreign), chat(env, unknown)
    assert seen[0] == missing[0]
    assert without(seen[1], foreign) == without(missing[1], unknown)
    assert named_in(seen[1], foreign) == []


def test_when_a_decision_of_another_tenant_is_asked_for_then_it_is_an_unknown_decision(
    env: Env,
) -> None:
    body = {"prompt": PROMPT, "purpose": "support"}
    theirs = env.client.post("/v1/decide", json=body, headers=bearer(EU_SUPPORT)).json()["id"]
    unknown = "dec_" + "0" * 32
    answers = [
        env.client.get(f"/v1/decisions/{i}", headers=bearer(US_SUPPORT)) for i in (theirs, unknown)
    ]
    assert [a.status_code for a in answers] == [404, 404]
    assert without(answers[0].json(), theirs) == without(answers[1].json(), unknown)


def test_when_the_caller_reads_its_own_tenants_item_then_it_is_still_found(env: Env) -> None:
    # The scope hides other tenants' items, not the caller's own.
    decision = decide(env, "crm-us")
    assert [w["code"] for w in decision["withholdings"]] == []
    assert [e["id"] for e in decision["exposures"]] == ["crm-us"]


# ---------------------------------------------------------------- purposes


def test_when_a_request_names_no_purpose_then_the_callers_default_is_used_and_recorded(
    env: Env,
) -> None:
    defaulted = decide(env, "crm-us")
    assert (defaulted["purpose"], defaulted["purpose_defaulted"]) == ("support", True)
    body = {"prompt": PROMPT, "purpose": "support"}
    named = env.client.post("/v1/decide", json=body, headers=bearer(US_SUPPORT)).json()
    assert (named["purpose"], named["purpose_defaulted"]) == ("support", False)


def test_when_a_request_names_an_undeclared_purpose_then_it_is_a_400_that_names_it(
    env: Env,
) -> None:
    body = {"prompt": PROMPT, "purpose": "suport"}
    response = env.client.post("/v1/decide", json=body, headers=bearer(US_SUPPORT))
    assert response.status_code == 400, response.text
    assert "'suport'" in response.json()["error"]["message"]
    chat_body = {
        "model": "auto",
        "messages": [{"role": "user", "content": PROMPT}],
        "metadata": {"govroute_purpose": "suport"},
    }
    response = env.client.post("/v1/chat/completions", json=chat_body, headers=bearer(US_SUPPORT))
    assert response.status_code == 400, response.text
    assert "'suport'" in response.json()["error"]["message"]


def test_when_the_fake_upstream_is_up_then_chat_answers(env: Env) -> None:
    # Guards the comparisons above: they must compare answers, not two identical errors.
    assert httpx.get(f"{env.upstream.url}/_received").status_code == 200
    status, answer = chat(env, "crm-us")
    assert status == 200, answer
    assert answer["body"]["choices"][0]["message"]["content"]
