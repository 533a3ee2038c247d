"""The admin API (/v1/admin) over the real app and the session's Neo4j: who may call it,
what each operation does to the graph, and the AdminAction every call leaves behind."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import rdflib
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings, RateLimitSettings, Settings
from graph import store
from graph.admin_audit import admin_actions
from graph.connection import GraphClient, records
from graph.settings import Neo4jSettings
from loaders.bundle import Bundle
from loaders.policy_load import apply_bundle, read_bundle
from loaders.spec import PolicyDocument
from tests.conftest import ENTERPRISE, ROOT, load_enterprise

pytestmark = pytest.mark.neo4j

ENGINEER = "gr_demo_policy_engineer_OjqVP6C_D3eEYxIj"  # policy-engineer: policy_admin
APPROVER = "gr_demo_policy_approver_gwJ-AZqMmcvpVfWO"  # policy-approver: policy_admin, audit
SEC_ADMIN = "gr_demo_sec_admin_maEZn-xJu3pu1Ejn"  # security-admin: decide, chat, audit
AUDITOR = "gr_demo_eu_auditor_d8MstJd-ea3xkbR2"  # eu-auditor: audit, detokenize
ANALYST = "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC"  # eu-analyst: decide, chat
MAX_POLICY_BYTES = 400_000  # the enterprise's content is about 130 kB as JSON


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def settings_for(neo4j: Neo4jSettings, state: Any, *, rpm: int = 600) -> Settings:
    return Settings(
        neo4j=neo4j,
        api=ApiSettings(state_dir=state, max_policy_bytes=MAX_POLICY_BYTES),
        rate_limits=RateLimitSettings(redis_url=None, default_rpm=rpm),
    )


def served_app(graph: GraphClient, neo4j: Neo4jSettings, state: Any) -> Iterator[TestClient]:
    """The real app over the session's Neo4j, the reference enterprise loaded."""
    load_enterprise(graph)
    with TestClient(create_app(settings_for(neo4j, state))) as client:
        yield client


def reset_lifecycle(graph: GraphClient) -> GraphClient:
    """The enterprise active, no candidate under rollout, no AdminAction recorded."""
    load_enterprise(graph)
    rollout = store.rollout_candidate(graph)
    if rollout is not None:
        store.end_rollout(graph, rollout.policy_set.version, reason="test reset")
    graph.write(records, "MATCH (a:AdminAction) DETACH DELETE a")
    return graph


@pytest.fixture(scope="module")
def api(
    graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    yield from served_app(graph, neo4j_settings, tmp_path_factory.mktemp("admin-state"))


@pytest.fixture
def clean(graph: GraphClient) -> GraphClient:
    return reset_lifecycle(graph)


def edited_content() -> dict[str, Any]:
    """The enterprise's canonical content with the employee role's wiki access taken away."""
    doc = read_bundle(ENTERPRISE).canonical()
    for role in doc["roles"]:
        if role["id"] == "employee":
            role["can_access"] = [g for g in role["can_access"] if g["source"] != "wiki"]
    return doc


def actions(graph: GraphClient) -> list[dict[str, Any]]:
    """Every AdminAction, oldest first, with the ids of what it is linked to."""
    return graph.read(
        records,
        """
        MATCH (a:AdminAction)
        OPTIONAL MATCH (a)-[:PERFORMED_BY]->(p:Principal)
        OPTIONAL MATCH (a)-[:ACTED_ON]->(on:PolicySet)
        OPTIONAL MATCH (a)-[:PRODUCED]->(made:PolicySet)
        RETURN a {.*, started_at: toString(a.started_at)} AS a, p.id AS performed_by,
               on.version AS acted_on, made.version AS produced
        ORDER BY a.started_at
        """,
    )


def test_when_keys_differ_then_no_key_is_401_a_non_admin_403_and_an_admin_200(
    api: TestClient, clean: GraphClient
) -> None:
    assert api.get("/v1/admin/policies").status_code == 401
    assert api.get("/v1/admin/policies", headers=bearer("gr_demo_nobody_xx")).status_code == 401
    for key in (SEC_ADMIN, ANALYST, AUDITOR):
        refused = api.get("/v1/admin/policies", headers=bearer(key))
        assert refused.status_code == 403
        assert "policy_admin" in refused.json()["error"]["message"]
    for key in (ENGINEER, APPROVER):
        assert api.get("/v1/admin/policies", headers=bearer(key)).status_code == 200
    # Reading the audit trail is also open to auditors, and only to them besides admins.
    assert api.get("/v1/admin/audit", headers=bearer(AUDITOR)).status_code == 200
    assert api.get("/v1/admin/audit", headers=bearer(ANALYST)).status_code == 403
    recorded = actions(clean)
    # 401s are not audited (no one to attribute them to); every other call is, once.
    assert len(recorded) == 3 + 2 + 2
    forbidden = [r for r in recorded if r["a"]["status"] == "refused"]
    assert sorted(r["performed_by"] for r in forbidden) == sorted(
        ["security-admin", "eu-analyst", "eu-auditor", "eu-analyst"]
    )
    assert {r["a"]["error_code"] for r in forbidden} == {"forbidden"}
    assert {r["a"]["http_status"] for r in forbidden} == {403}


def test_when_a_candidate_is_staged_as_json_then_the_list_shows_it_and_the_audit_has_its_hash(
    api: TestClient, clean: GraphClient
) -> None:
    content = edited_content()
    staged = api.post(
        "/v1/admin/policies/candidates",
        headers=bearer(ENGINEER),
        json={"content": content, "message": "employees lose the wiki"},
    )
    assert staged.status_code == 201, staged.text
    body = staged.json()
    version = body["policy_set"]["version"]
    assert body["staged"] is True
    assert body["policy_set"]["status"] == "candidate"
    assert body["policy_set"]["author"].endswith("(policy-engineer)")  # name (id)
    listed = api.get("/v1/admin/policies", headers=bearer(ENGINEER)).json()
    assert (listed[0]["version"], listed[0]["status"]) == (version, "candidate")
    assert listed[0]["author_id"] == "policy-engineer"  # the author, whom approvals exclude
    shown = api.get(f"/v1/admin/policies/{version}", headers=bearer(ENGINEER)).json()
    employee = next(r for r in shown["content"]["roles"] if r["id"] == "employee")
    assert all(g["source"] != "wiki" for g in employee["can_access"])
    active = store.active_policy_set(clean)
    assert active is not None
    assert active.content_hash != body["content_hash"]  # the candidate is not serving

    stage = next(r for r in actions(clean) if r["a"]["operation"] == "stage_candidate")
    assert stage["a"]["status"] == "ok"
    assert stage["a"]["http_status"] == 201
    assert stage["a"]["content_hash"] == body["content_hash"]
    assert stage["performed_by"] == "policy-engineer"
    assert stage["produced"] == version
    assert stage["a"]["produced_version"] == version
    parameters = json.loads(stage["a"]["parameters"])
    assert parameters == {  # no content body: its hashes stand for it
        "message": "employees lose the wiki",
        "body_sha256": hashlib.sha256(staged.request.content).hexdigest(),
    }
    assert "roles" not in stage["a"]["parameters"]


def test_when_a_candidate_is_staged_as_yaml_then_it_is_read_like_a_policy_file(
    api: TestClient, clean: GraphClient
) -> None:
    text = yaml.safe_dump(edited_content(), sort_keys=False)
    staged = api.post(
        "/v1/admin/policies/candidates?message=from%20yaml",
        headers={**bearer(ENGINEER), "Content-Type": "application/yaml"},
        content=text.encode(),
    )
    assert staged.status_code == 201, staged.text
    assert (
        staged.json()["content_hash"]
        == Bundle.from_document(PolicyDocument.model_validate(edited_content()), "x").content_hash()
    )
    # The same text in a JSON field gives the same content; staging it again records a
    # second candidate (candidates are proposals, each with its own approvals).
    again = api.post(
        "/v1/admin/policies/candidates",
        headers=bearer(ENGINEER),
        json={"yaml": text},
    )
    assert again.status_code == 201
    assert again.json()["content_hash"] == staged.json()["content_hash"]
    # The active content staged again is no candidate at all.
    same = read_bundle(ENTERPRISE).canonical()
    unchanged = api.post(
        "/v1/admin/policies/candidates", headers=bearer(ENGINEER), json={"content": same}
    )
    assert unchanged.status_code == 200
    assert unchanged.json()["staged"] is False


def test_when_content_is_invalid_then_422_names_every_field_and_nothing_is_staged(
    api: TestClient, clean: GraphClient
) -> None:
    before = len(store.list_policy_sets(clean))
    content = edited_content()
    content["policies"][0]["effect"] = "maybe"
    content["labls"] = []
    refused = api.post(
        "/v1/admin/policies/candidates", headers=bearer(ENGINEER), json={"content": content}
    )
    assert refused.status_code == 422, refused.text
    problems = refused.json()["error"]["problems"]
    assert any(p.startswith("content: policies[0].effect: Input should be") for p in problems)
    assert "content: labls: is not a known field" in problems
    bad_yaml = "policies:\n  - id: p\n    description: x\n    effect: maybe\n"
    refused_yaml = api.post(
        "/v1/admin/policies/candidates",
        headers={**bearer(ENGINEER), "Content-Type": "application/yaml"},
        content=bad_yaml.encode(),
    )
    assert refused_yaml.status_code == 422
    assert any(
        p.startswith("body:line 4: policies[0].effect:")
        for p in refused_yaml.json()["error"]["problems"]
    )
    neither = api.post("/v1/admin/policies/candidates", headers=bearer(ENGINEER), json={})
    assert neither.status_code == 400
    assert "exactly one of 'content'" in neither.json()["error"]["message"]
    assert len(store.list_policy_sets(clean)) == before
    refusals = [r["a"] for r in actions(clean)]
    assert [(a["status"], a["error_code"]) for a in refusals] == [
        ("refused", "invalid_policy_data"),
        ("refused", "invalid_policy_data"),
        ("refused", "invalid_request"),
    ]


def test_when_the_body_is_over_the_policy_limit_then_413_says_which_limit(
    api: TestClient, clean: GraphClient
) -> None:
    huge = {"content": {"policies": []}, "message": "x" * (MAX_POLICY_BYTES + 1)}
    refused = api.post("/v1/admin/policies/candidates", headers=bearer(ENGINEER), json=huge)
    assert refused.status_code == 413
    assert "GOVROUTE_MAX_POLICY_BYTES" in refused.json()["error"]["message"]


def test_when_a_rollout_is_set_through_the_api_then_the_store_reads_it_and_delete_ends_it(
    api: TestClient, clean: GraphClient
) -> None:
    staged = api.post(
        "/v1/admin/policies/candidates",
        headers=bearer(ENGINEER),
        json={"content": edited_content()},
    ).json()
    version = staged["policy_set"]["version"]
    put = api.put(
        f"/v1/admin/policies/{version}/rollout",
        headers=bearer(APPROVER),
        json={"mode": "canary", "percent": 12.5, "tenants": ["nw-us"]},
    )
    assert put.status_code == 200, put.text
    rollout = store.rollout_candidate(clean)
    assert rollout is not None
    assert (rollout.policy_set.version, rollout.mode, rollout.percent) == (version, "canary", 12.5)
    assert (rollout.tenants, rollout.by) == (("nw-us",), "policy-approver")
    assert put.json()["since"] == rollout.since
    shown = api.get(f"/v1/admin/policies/{version}", headers=bearer(ENGINEER)).json()
    assert shown["rollout"]["mode"] == "canary"
    active = store.active_policy_set(clean)
    assert active is not None
    on_active = api.put(
        f"/v1/admin/policies/{active.version}/rollout",
        headers=bearer(APPROVER),
        json={"mode": "shadow"},
    )
    assert on_active.status_code == 404
    bad = api.put(
        f"/v1/admin/policies/{version}/rollout",
        headers=bearer(APPROVER),
        json={"mode": "canary", "percent": 140},
    )
    assert bad.status_code == 400
    ended = api.request(
        "DELETE",
        f"/v1/admin/policies/{version}/rollout",
        headers=bearer(APPROVER),
        json={"reason": "enough data"},
    )
    assert ended.status_code == 200, ended.text
    assert store.rollout_candidate(clean) is None
    again = api.request(
        "DELETE",
        f"/v1/admin/policies/{version}/rollout",
        headers=bearer(APPROVER),
        json={"reason": "twice"},
    )
    assert again.status_code == 404
    rollouts = [r for r in actions(clean) if "rollout" in r["a"]["operation"]]
    assert [(r["a"]["operation"], r["a"]["http_status"]) for r in rollouts] == [
        ("start_rollout", 200),
        ("start_rollout", 404),
        ("start_rollout", 400),
        ("end_rollout", 200),
        ("end_rollout", 404),
    ]
    assert rollouts[0]["acted_on"] == version
    assert json.loads(rollouts[0]["a"]["parameters"])["percent"] == 12.5
    assert json.loads(rollouts[3]["a"]["parameters"]) == {"reason": "enough data"}


def test_when_rolled_back_through_the_api_then_an_earlier_version_is_active_again(
    api: TestClient, clean: GraphClient
) -> None:
    original = store.active_policy_set(clean)
    assert original is not None
    edited = Bundle.from_document(PolicyDocument.model_validate(edited_content()), "edited")
    apply_bundle(clean, edited, author="tests", message="edited")
    back = api.post(
        f"/v1/admin/policies/{original.version}/rollback",
        headers=bearer(ENGINEER),
        json={"reason": "the edit broke the wiki"},
    )
    assert back.status_code == 200, back.text
    active = store.active_policy_set(clean)
    assert active is not None
    assert active.content_hash == original.content_hash
    assert active.version == back.json()["policy_set"]["version"] > original.version
    assert active.message == f"rollback to v{original.version}: the edit broke the wiki"
    assert active.author.endswith("(policy-engineer)")  # name (id)
    staged = api.post(
        "/v1/admin/policies/candidates",
        headers=bearer(ENGINEER),
        json={"content": edited_content()},
    ).json()
    to_candidate = api.post(
        f"/v1/admin/policies/{staged['policy_set']['version']}/rollback",
        headers=bearer(ENGINEER),
        json={"reason": "sneak it in"},
    )
    assert to_candidate.status_code == 400
    assert "never active" in to_candidate.json()["error"]["message"]
    assert store.active_policy_set(clean) == active
    rollback = next(r for r in actions(clean) if r["a"]["operation"] == "rollback_policy")
    assert (rollback["acted_on"], rollback["produced"]) == (original.version, active.version)


def test_when_two_versions_are_diffed_then_the_api_gives_the_cli_json(
    api: TestClient, clean: GraphClient, neo4j_settings: Neo4jSettings
) -> None:
    staged = api.post(
        "/v1/admin/policies/candidates",
        headers=bearer(ENGINEER),
        json={"content": edited_content()},
    ).json()
    active = store.active_policy_set(clean)
    assert active is not None
    a, b = active.version, staged["policy_set"]["version"]
    diff = api.post("/v1/admin/policies/diff", headers=bearer(ENGINEER), json={"a": a, "b": b})
    assert diff.status_code == 200, diff.text
    answer = diff.json()
    assert (answer["before"], answer["after"], answer["changed"]) == (f"v{a}", f"v{b}", True)
    roles = next(s for s in answer["content"] if s["section"] == "roles")
    assert [c["id"] for c in roles["changed"]] == ["employee"]
    cli = run_cli(neo4j_settings, "policy", "diff", str(a), str(b), "--json", expect=1)
    assert json.loads(cli) == answer
    missing = api.post(
        "/v1/admin/policies/diff", headers=bearer(ENGINEER), json={"a": a, "b": 99_999}
    )
    assert missing.status_code == 404


def test_when_policies_are_listed_then_the_cli_and_the_api_give_the_same_versions(
    api: TestClient, clean: GraphClient, neo4j_settings: Neo4jSettings
) -> None:
    api.post(
        "/v1/admin/policies/candidates",
        headers=bearer(ENGINEER),
        json={"content": edited_content()},
    )
    listed = api.get("/v1/admin/policies", headers=bearer(ENGINEER)).json()
    assert json.loads(run_cli(neo4j_settings, "policy", "list", "--json")) == listed
    assert {v["status"] for v in listed} >= {"active", "candidate"}


def test_when_exported_then_the_active_content_reads_back_as_rdf(
    api: TestClient, clean: GraphClient
) -> None:
    turtle = api.get("/v1/admin/export", headers=bearer(ENGINEER))
    assert turtle.status_code == 200
    assert turtle.headers["content-type"].startswith("text/turtle")
    jsonld = api.get("/v1/admin/export?format=jsonld", headers=bearer(ENGINEER))
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    one = rdflib.Graph().parse(data=turtle.text, format="turtle")
    other = rdflib.Graph().parse(data=jsonld.text, format="json-ld")
    assert len(one) == len(other) > 1000
    assert api.get("/v1/admin/export?format=xml", headers=bearer(ENGINEER)).status_code == 400


def test_when_calls_are_made_then_each_leaves_one_admin_action_that_audit_reads_back(
    api: TestClient, clean: GraphClient, neo4j_settings: Neo4jSettings
) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    # A parameter the route does not declare is not recorded: it could hold anything.
    api.get("/v1/admin/policies?api_key=gr_live_oops", headers=bearer(ENGINEER))
    api.get("/v1/admin/policies/99999", headers=bearer(ENGINEER))
    api.get("/v1/admin/policies/abc", headers=bearer(ENGINEER))
    api.get("/v1/admin/policies", headers=bearer(SEC_ADMIN))
    trail = api.get("/v1/admin/audit?since=10m", headers=bearer(APPROVER))
    assert trail.status_code == 200
    read = trail.json()
    # Newest first; the audit call itself was still running when it read, so it shows
    # as started (its own completion is written after the answer is made).
    assert [(a["operation"], a["status"], a["http_status"]) for a in read] == [
        ("read_audit", "started", None),
        ("list_policies", "refused", 403),
        ("show_policy", "refused", 400),
        ("show_policy", "refused", 404),
        ("list_policies", "ok", 200),
    ]
    assert read[3]["version"] == 99999
    assert read[3]["error_code"] == "not_found"
    assert read[4]["principal_id"] == "policy-engineer"
    assert read[4]["tenant_id"] == "nw-eu"
    assert read[4]["result"] == {"versions": len(store.list_policy_sets(clean))}
    assert read[4]["parameters"] is None
    assert read[0]["parameters"] == {"since": "10m"}
    stored = admin_actions(clean, started)
    assert len(stored) == 5
    assert stored[0].status == "ok"  # completed by now
    cli = run_cli(neo4j_settings, "admin", "audit", "--since", "10m", "--json")
    assert [a["id"] for a in json.loads(cli)] == [a.id for a in stored]
    text = run_cli(neo4j_settings, "admin", "audit", "--since", "10m")
    assert "policy-engineer@nw-eu  show_policy v99999  refused [not_found]" in text
    bad = api.get("/v1/admin/audit?since=yesterday", headers=bearer(APPROVER))
    assert bad.status_code == 400
    assert "ISO 8601" in bad.json()["error"]["message"]


def test_when_an_admin_goes_over_its_request_rate_then_429(
    graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    load_enterprise(graph)
    settings = settings_for(neo4j_settings, tmp_path_factory.mktemp("admin-rate"), rpm=2)
    with TestClient(create_app(settings)) as client:
        statuses = [
            client.get("/v1/admin/policies", headers=bearer(ENGINEER)).status_code for _ in range(3)
        ]
    assert statuses == [200, 200, 429]


def run_cli(neo4j: Neo4jSettings, *args: str, expect: int = 0) -> str:
    assert neo4j.uri is not None
    assert neo4j.password is not None
    env = {
        **os.environ,
        "NEO4J_URI": neo4j.uri,
        "NEO4J_USER": neo4j.user,
        "NEO4J_PASSWORD": neo4j.password.get_secret_value(),
    }
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == expect, done.stderr
    return done.stdout
