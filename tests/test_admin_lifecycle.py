"""The rest of the lifecycle over /v1/admin, against the real app and Neo4j: approvals and
activation, a shadow report and a replay that catch a candidate denying more, drift
status and checks, and the decisions' PROV-O export and chain verification. Each answer
is compared with what the CLI's shared function says, so the two cannot disagree."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import rdflib
from fastapi.testclient import TestClient

from api.runtime import Runtime
from graph import store
from graph.connection import GraphClient
from graph.settings import Neo4jSettings
from lifecycle.audit_verify import verify_chain
from lifecycle.outcome_diff import ALLOW_TO_DENY
from lifecycle.replay_run import replay_version
from loaders.policy_load import read_bundle
from tests.conftest import ENTERPRISE
from tests.test_admin_api import APPROVER, ENGINEER, bearer, reset_lifecycle, served_app
from tests.test_policy_rollout import freeze_us_analysts

pytestmark = pytest.mark.neo4j

US_ANALYST = "gr_demo_us_analyst_eScKLkQFJDKL1jQv"  # us-analyst (role analyst_us)
PROMPTS = (
    "Analyse the quarterly financial report and list the main revenue drivers.",
    "Summarise the travel and expense policy for a new joiner.",
    "Explain the change in net interest margin between Q2 and Q3.",
)


@pytest.fixture(scope="module")
def client(
    graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    yield from served_app(graph, neo4j_settings, tmp_path_factory.mktemp("lifecycle-state"))


@pytest.fixture
def reset(graph: GraphClient) -> GraphClient:
    return reset_lifecycle(graph)


def frozen_content() -> dict[str, Any]:
    """The enterprise with every US analyst denied: a candidate that denies more."""
    doc = copy.deepcopy(read_bundle(ENTERPRISE).canonical())
    freeze_us_analysts(doc)
    return doc


def stage(client: TestClient, content: dict[str, Any]) -> int:
    staged = client.post(
        "/v1/admin/policies/candidates", headers=bearer(ENGINEER), json={"content": content}
    )
    assert staged.status_code == 201, staged.text
    return int(staged.json()["policy_set"]["version"])


def runtime_of(client: TestClient) -> Runtime:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return runtime


def decide_us_prompts(client: TestClient) -> list[dict[str, Any]]:
    answers = []
    for prompt in PROMPTS:
        answer = client.post("/v1/decide", headers=bearer(US_ANALYST), json={"prompt": prompt})
        assert answer.status_code == 200, answer.text
        answers.append(answer.json())
    runtime = runtime_of(client)
    assert runtime.shadow.wait_idle(60)
    assert runtime.writer.flush(60)
    return answers


def test_when_a_candidate_goes_through_review_then_only_approved_activation_succeeds(
    client: TestClient, reset: GraphClient
) -> None:
    version = stage(client, frozen_content())
    path = f"/v1/admin/policies/{version}"
    early = client.post(f"{path}/activate", headers=bearer(ENGINEER), json={})
    assert early.status_code == 409
    assert "needs 1 approval(s)" in early.json()["error"]["message"]
    own = client.post(f"{path}/approve", headers=bearer(ENGINEER), json={"comment": "mine"})
    assert own.status_code == 403
    approved = client.post(f"{path}/approve", headers=bearer(APPROVER), json={"comment": "ok"})
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert [a["by"] for a in body["approvals"]["given"]] == ["policy-approver"]
    assert "ready" in body["text"]
    again = client.post(f"{path}/approve", headers=bearer(APPROVER), json={})
    assert again.status_code == 409
    done = client.post(f"{path}/activate", headers=bearer(ENGINEER), json={})
    assert done.status_code == 200, done.text
    assert done.json()["version"]["status"] == "active"
    active = store.active_policy_set(reset)
    assert active is not None
    assert active.version == version
    listed = {
        v["version"]: v for v in client.get("/v1/admin/policies", headers=bearer(ENGINEER)).json()
    }
    assert listed[version]["activated_by"] == "policy-engineer"
    assert listed[version]["previous_version"] == done.json()["previous_version"]


def test_when_a_candidate_is_rejected_then_it_cannot_be_activated(
    client: TestClient, reset: GraphClient
) -> None:
    version = stage(client, frozen_content())
    path = f"/v1/admin/policies/{version}"
    assert client.post(f"{path}/reject", headers=bearer(APPROVER), json={}).status_code == 400
    rejected = client.post(f"{path}/reject", headers=bearer(APPROVER), json={"comment": "no"})
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    assert client.post(f"{path}/approve", headers=bearer(ENGINEER), json={}).status_code == 409
    assert client.post(f"{path}/activate", headers=bearer(ENGINEER), json={}).status_code == 409
    missing = client.post("/v1/admin/policies/99999/approve", headers=bearer(APPROVER), json={})
    assert missing.status_code == 404


def test_when_a_denying_candidate_is_shadowed_then_report_and_replay_count_allow_to_deny(
    client: TestClient, reset: GraphClient
) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    version = stage(client, frozen_content())
    shadow = client.put(
        f"/v1/admin/policies/{version}/rollout", headers=bearer(ENGINEER), json={"mode": "shadow"}
    )
    assert shadow.status_code == 200, shadow.text
    assert shadow.json()["mode"] == "shadow"
    runtime_of(client).refresh()
    answers = decide_us_prompts(client)
    allowed = {a["id"] for a in answers if a["outcome"] != "deny"}
    assert allowed, "the active version allows these prompts"

    report = client.get(
        f"/v1/admin/policies/{version}/shadow-report",
        headers=bearer(ENGINEER),
        params={"since": "10m"},
    )
    assert report.status_code == 200, report.text
    shadowed = report.json()
    assert shadowed["decisions"] == len(PROMPTS)
    assert set(shadowed["examples"][ALLOW_TO_DENY]) == allowed
    assert ALLOW_TO_DENY in shadowed["text"]
    drilled = client.get(f"/v1/decisions/{sorted(allowed)[0]}", headers=bearer(US_ANALYST))
    assert drilled.status_code == 200, drilled.text
    assert drilled.json()["shadow"]["outcome"] == "deny"  # what the candidate decided
    assert ALLOW_TO_DENY in drilled.json()["shadow"]["kinds"]
    assert drilled.json()["shadow"]["version"] == f"policyset-v{version}"

    replayed = client.post(
        f"/v1/admin/policies/{version}/replay",
        headers=bearer(ENGINEER),
        json={"since": started.isoformat()},
    )
    assert replayed.status_code == 200, replayed.text
    body = replayed.json()
    direct = replay_version(
        reset, version, since=started, until=datetime.now(UTC), workers=1
    ).as_dict()
    assert body["diff"] == direct["diff"]
    assert body["diff"]["decisions"] == len(PROMPTS)
    assert set(body["diff"]["examples"][ALLOW_TO_DENY]) == allowed
    bad = client.post(
        f"/v1/admin/policies/{version}/replay", headers=bearer(ENGINEER), json={"since": "soon"}
    )
    assert bad.status_code == 400
    assert "neither a duration" in bad.json()["error"]["message"]


def test_when_drift_is_checked_through_the_api_then_status_reads_the_same_check(
    client: TestClient, reset: GraphClient
) -> None:
    checked = client.post(
        "/v1/admin/drift/check", headers=bearer(ENGINEER), json={"rollback": False}
    )
    assert checked.status_code == 200, checked.text
    report = checked.json()
    assert report["by"] == "admin API (policy-engineer)"
    status = client.get("/v1/admin/drift", headers=bearer(ENGINEER), params={"last": 1})
    assert status.status_code == 200
    [last] = status.json()
    assert last["id"] == report["id"]
    assert last["text"].startswith(f"drift check {report['id']}")
    metrics = client.get("/metrics").text
    assert f'govroute_drift_checks_total{{action="{report["action"]}"}}' in metrics


def test_when_decisions_are_exported_then_the_turtle_parses_and_the_chain_verifies(
    client: TestClient, reset: GraphClient
) -> None:
    answers = decide_us_prompts(client)
    exported = client.get(
        "/v1/admin/decisions/export",
        headers=bearer(APPROVER),  # the audit permission reads it too
        params={"since": "10m", "format": "turtle"},
    )
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("text/turtle")
    parsed = rdflib.Graph().parse(data=exported.text, format="turtle")
    subjects = {str(s) for s in parsed.subjects()}
    for answer in answers:
        assert any(s.endswith(answer["id"]) for s in subjects), answer["id"]
    jsonld = client.get(
        "/v1/admin/decisions/export",
        headers=bearer(APPROVER),
        params={"since": "10m", "format": "jsonld"},
    )
    assert jsonld.status_code == 200
    assert len(rdflib.Graph().parse(data=jsonld.text, format="json-ld")) == len(parsed)
    refused = client.get(
        "/v1/admin/decisions/export", headers=bearer(APPROVER), params={"since": "later"}
    )
    assert refused.status_code == 400

    verified = client.get("/v1/admin/decisions/verify", headers=bearer(APPROVER))
    assert verified.status_code == 200
    direct = verify_chain(reset)
    assert (verified.json()["clean"], verified.json()["batches"]) == (direct.clean, direct.batches)
    assert direct.batches >= 1
