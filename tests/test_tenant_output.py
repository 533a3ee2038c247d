"""The model's answer as the caller's tenant sees it, through the real gateway.

One govroute app on the session's Neo4j, loaded with the reference enterprise plus two
additions made for these tests (in a copy of examples/enterprise, so the reference stays
as it ships):
- a deny list of the retail tenant (nw-retail) naming a staff desk code, reported as
  STAFF_ALIAS (a person_name), beside the reference allow list of nw-retail that lets
  Northwind's published help address through;
- a policy that masks customer names for the EU support agent when the purpose is
  `reporting`, so the same principal may read a name in one turn and not in the next.

A fake provider answers with scripted text (a value of each list) or echoes the last
user message (a pseudonym the caller sends back).
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from pydantic import SecretStr

from api.app import create_app
from api.gateway.fake_upstream import BackgroundServer, create_fake_upstream
from api.gateway.settings import GatewaySettings
from api.settings import ApiSettings, RateLimitSettings, Settings, VaultSettings
from graph.connection import GraphClient
from graph.provenance import read_decision, read_restores
from graph.settings import Neo4jSettings
from loaders.policy_load import load_policy_path
from tests.conftest import ENTERPRISE, load_enterprise

SECRET = "tenant-output-test-secret-0123456789"
RETAIL = "gr_demo_retail_eu_JScw-s2KDCLagHFm"  # retail-chatbot-eu, nw-retail: PII redacted
SUPPORT = "gr_demo_eu_support_uRI5-pCzY_bOIljs"  # eu-support-agent, nw-eu: names pseudonymized
DESK_CODE = "orca-desk-12"  # on nw-retail's deny list only
HELP = "help@northwind.com"  # on nw-retail's allow list only
ANSWER = f"Please ask {DESK_CODE} at the branch, or write to {HELP}."
PROMPT = "The customer says she never received her new debit card; write an answer."
NAME = "Maria Schneider"
PLACEHOLDER = re.compile(r"<PERSON_[0-9a-f]{6,64}>")
KEYS = {
    "NW_PRIVATE_LLM_API_KEY": "k1",
    "HELIO_EU_API_KEY": "k2",
    "HELIO_US_API_KEY": "k3",
}


def _extend_enterprise(target: Path) -> Path:
    """A copy of the reference enterprise with the deny list and the masking policy."""
    shutil.copytree(ENTERPRISE, target, ignore=shutil.ignore_patterns("cases"))
    detection_file = target / "detection.yaml"
    detection = yaml.safe_load(detection_file.read_text(encoding="utf-8"))
    detection["detection"][0]["deny_lists"].append(
        {"id": "retail-desk-codes", "tenant": "nw-retail", "entity_type": "STAFF_ALIAS",
         "values": [DESK_CODE]}
    )  # fmt: skip
    detection["entity_types"].append(
        {"id": "STAFF_ALIAS", "description": "Internal staff desk codes.",
         "indicates": ["person_name"]}
    )  # fmt: skip
    detection_file.write_text(yaml.safe_dump(detection, sort_keys=False), encoding="utf-8")
    policies_file = target / "policies.yaml"
    policies = yaml.safe_load(policies_file.read_text(encoding="utf-8"))
    policies["policies"].append(
        {
            "id": "mask-names-in-support-reports",
            "description": "Reports written by the support assistant show no customer names.",
            "effect": "mask",
            "priority": 650,
            "applies_to": {"roles": ["support_agent_eu"], "purposes": ["reporting"]},
            "governs": ["person_name"],
        }
    )
    policies_file.write_text(yaml.safe_dump(policies, sort_keys=False), encoding="utf-8")
    return target


@dataclass
class Gateway:
    url: str
    upstream: httpx.Client

    def script(self, text: str | None) -> None:
        """The provider answers `text` from now on (None: it echoes)."""
        self.upstream.post("/_control/reset").raise_for_status()
        if text is not None:
            self.upstream.post("/_control", json={"rules": [{"text": text}]}).raise_for_status()

    def sent_last(self) -> str:
        requests = self.upstream.get("/_received").json()["requests"]
        content: str = requests[-1]["messages"][-1]["content"]
        return content


@pytest.fixture(scope="module")
def gateway(
    graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    load_policy_path(
        graph,
        _extend_enterprise(tmp_path_factory.mktemp("policies") / "enterprise"),
        author="tests",
        message="reference enterprise with a retail deny list and a masking policy",
    )
    with pytest.MonkeyPatch.context() as patch:
        for name, value in KEYS.items():
            patch.setenv(name, value)
        upstream = BackgroundServer(create_fake_upstream()).start()
        settings = Settings(
            neo4j=neo4j_settings,
            api=ApiSettings(
                state_dir=tmp_path_factory.mktemp("state"),
                refresh_interval_s=1,
                secret=SecretStr(SECRET),
            ),
            rate_limits=RateLimitSettings(redis_url=None),
            gateway=GatewaySettings(
                upstream_overrides={"*": f"{upstream.url}/v1"}, request_budget_s=20.0
            ),
            vault=VaultSettings(redis_url=None),
        )
        app = BackgroundServer(create_app(settings)).start()
        control = httpx.Client(base_url=upstream.url, timeout=10)
        try:
            yield Gateway(app.url, control)
        finally:
            control.close()
            app.stop()
            upstream.stop()
            load_enterprise(graph)  # the modules after this one expect the reference


def chat(gateway: Gateway, key: str, prompt: str, purpose: str, **extra: Any) -> httpx.Response:
    return httpx.post(
        f"{gateway.url}/v1/chat/completions",
        headers={"Authorization": f"Bearer {key}"},
        json={
            "model": "auto",
            "messages": [{"role": "user", "content": prompt}],
            "metadata": {"govroute_purpose": purpose},
            **extra,
        },
        timeout=30,
    )


def answer_of(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    content: str = response.json()["choices"][0]["message"]["content"]
    return content


def streamed(gateway: Gateway, key: str, prompt: str, purpose: str) -> str:
    """The streamed answer's text, its chunks joined."""
    with httpx.stream(
        "POST",
        f"{gateway.url}/v1/chat/completions",
        headers={"Authorization": f"Bearer {key}"},
        json={
            "model": "auto",
            "stream": True,
            "messages": [{"role": "user", "content": prompt}],
            "metadata": {"govroute_purpose": purpose},
        },
        timeout=30,
    ) as response:
        assert response.status_code == 200, response.read()
        text = ""
        for line in response.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            for choice in json.loads(line.removeprefix("data: "))["choices"]:
                text += choice["delta"].get("content") or ""
    return text


# --------------------------------------------------------------------------- value lists


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_when_the_answer_holds_values_of_the_tenants_lists_then_they_apply_to_it(
    gateway: Gateway, stream: bool
) -> None:
    gateway.script(ANSWER)

    answer = (
        streamed(gateway, RETAIL, PROMPT, "customer_service")
        if stream
        else answer_of(chat(gateway, RETAIL, PROMPT, "customer_service"))
    )

    assert DESK_CODE not in answer  # nw-retail's deny list: always redacted
    assert HELP in answer  # nw-retail's allow list: never reported
    assert answer.startswith("Please ask ")


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_when_another_tenant_gets_the_same_answer_then_those_lists_do_not_apply(
    gateway: Gateway, stream: bool
) -> None:
    gateway.script(ANSWER)

    answer = (
        streamed(gateway, SUPPORT, PROMPT, "support")
        if stream
        else answer_of(chat(gateway, SUPPORT, PROMPT, "support"))
    )

    assert DESK_CODE in answer  # not on any list of nw-eu, and no detector knows it
    assert HELP not in answer  # an e-mail address, pseudonymized for EU support
    assert re.search(r"<EMAIL_ADDRESS_[0-9a-f]{6,64}>", answer), answer


# --------------------------------------------------------------------------- who may see


def _decision_id(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    decision_id: str = response.json()["govroute"]["decision_id"]
    return decision_id


def _landed(graph: GraphClient, decision_id: str) -> None:
    deadline = time.monotonic() + 15
    while read_decision(graph, decision_id) is None:
        assert time.monotonic() < deadline, f"{decision_id} did not reach Neo4j"
        time.sleep(0.1)


def _answer_restores(graph: GraphClient, placeholder: str) -> dict[str, int]:
    """Decision id -> how many answer restores of `placeholder` it recorded."""
    counts: dict[str, int] = {}
    for r in read_restores(graph, "nw-eu", limit=1000):
        if r["pseudonym"] == placeholder and r["kind"] == "answer":
            counts[r["decision_id"]] = counts.get(r["decision_id"], 0) + 1
    return counts


def test_when_a_later_turn_masks_the_label_then_the_same_principal_keeps_the_pseudonym(
    gateway: Gateway, graph: GraphClient
) -> None:
    gateway.script(None)
    first = chat(gateway, SUPPORT, f"The customer {NAME} asks about her card.", "support")
    assert answer_of(first) == f"You said: The customer {NAME} asks about her card."
    found = PLACEHOLDER.search(gateway.sent_last())
    assert found, gateway.sent_last()
    placeholder = found.group()
    question = f"Summarise what {placeholder} reported."

    # Reporting masks person_name for this principal: the vault has the value, but this
    # request's labels forbid showing it.
    refused = chat(gateway, SUPPORT, question, "reporting")
    # Support pseudonymizes it: the same principal reads it back.
    allowed = chat(gateway, SUPPORT, question, "support")

    assert answer_of(refused) == f"You said: {question}"
    assert NAME not in answer_of(refused)
    assert answer_of(allowed) == f"You said: Summarise what {NAME} reported."
    refused_id, allowed_id = _decision_id(refused), _decision_id(allowed)
    _landed(graph, refused_id)
    _landed(graph, allowed_id)
    deadline = time.monotonic() + 15
    while allowed_id not in (restores := _answer_restores(graph, placeholder)):
        assert time.monotonic() < deadline, "the allowed turn's restore did not reach Neo4j"
        time.sleep(0.1)
    # The writer lands records in order: the refused turn's would be there by now.
    assert restores == {allowed_id: 1}
