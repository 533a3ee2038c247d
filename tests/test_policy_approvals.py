"""Candidates, approvals, activation and rollback (lifecycle.versions), on the real Neo4j.

The reference enterprise declares `governance: approvals_required: 1` and two policy
administrators, policy-engineer (stages) and policy-approver (approves).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app
from api.runtime import Runtime
from api.settings import ApiSettings, Settings
from engine.errors import Conflict, Forbidden, NotAuthenticated, NotFound
from engine.model import Principal
from graph import queries, store
from graph.catalog_store import fingerprint
from graph.connection import GraphClient, records
from graph.settings import Neo4jSettings
from graph.snapshot import load_snapshot
from graph.versions import version_state
from lifecycle import versions
from lifecycle.actors import admin_for_key
from loaders.bundle import Bundle
from loaders.graph_mapping import to_graph
from loaders.policy_load import LoadReport, apply_bundle, read_bundle, rollback
from loaders.spec import PolicyDocument
from tests.conftest import ENTERPRISE, load_enterprise, wipe

ENGINEER_KEY = "gr_demo_policy_engineer_OjqVP6C_D3eEYxIj"
APPROVER_KEY = "gr_demo_policy_approver_gwJ-AZqMmcvpVfWO"
ANALYST_KEY = "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC"
# A third administrator, only in the content the two-approvals test loads first.
REVIEWER_KEY = "gr_test_policy_reviewer_Zq81"
REVIEWER_HASH = "sha256:" + hashlib.sha256(REVIEWER_KEY.encode()).hexdigest()


def _enterprise(
    *, new_policy: str | None = None, approvals: int | None = None, reviewer: bool = False
) -> Bundle:
    """The reference enterprise, with a deny policy added, its approval rule changed or a
    third administrator added."""
    doc = read_bundle(ENTERPRISE).canonical()
    if new_policy:
        template = next(p for p in doc["policies"] if p["id"] == "deny-data-exfiltration")
        doc["policies"].append(
            {**template, "id": new_policy, "description": f"{new_policy}, for tests"}
        )
    if approvals is not None:
        doc["governance"] = [{"id": "northwind", "approvals_required": approvals}]
    if reviewer:
        doc["principals"].append(
            {
                "id": "policy-reviewer",
                "name": "Rui Alves (second reviewer)",
                "tenant": "nw-eu",
                "roles": ["policy_admin"],
                "api_keys": [REVIEWER_HASH],
            }
        )
    return Bundle.from_document(PolicyDocument.model_validate(doc), "edited")


@pytest.fixture
def fresh(graph: GraphClient) -> GraphClient:
    """The enterprise as the only version: every test here stages and activates."""
    wipe(graph)
    load_enterprise(graph)
    return graph


@pytest.fixture
def engineer(fresh: GraphClient) -> Principal:
    return admin_for_key(fresh, ENGINEER_KEY)


@pytest.fixture
def approver(fresh: GraphClient) -> Principal:
    return admin_for_key(fresh, APPROVER_KEY)


def _stage(client: GraphClient, actor: Principal, bundle: Bundle) -> int:
    staged = versions.stage(client, bundle, actor=actor, author="", message="test change")
    assert staged.policy_set is not None
    return staged.policy_set.version


def _statuses(client: GraphClient) -> dict[int, str]:
    return {ps.version: ps.status for ps in store.list_policy_sets(client)}


def test_when_a_key_is_missing_unknown_or_not_an_admin_then_it_is_refused(
    fresh: GraphClient,
) -> None:
    with pytest.raises(NotAuthenticated, match="GOVROUTE_ADMIN_KEY"):
        admin_for_key(fresh, None)
    with pytest.raises(NotAuthenticated, match="unknown"):
        admin_for_key(fresh, "gr_demo_nobody")
    with pytest.raises(Forbidden, match=r"eu-analyst.*policy_admin"):
        admin_for_key(fresh, ANALYST_KEY)
    assert admin_for_key(fresh, ENGINEER_KEY).id == "policy-engineer"


def test_when_activation_lacks_approvals_then_it_is_refused_and_nothing_changes(
    fresh: GraphClient, engineer: Principal
) -> None:
    v = _stage(fresh, engineer, _enterprise(new_policy="deny-tests-unapproved"))
    before, statuses = fingerprint(fresh), _statuses(fresh)

    with pytest.raises(Conflict, match=r"needs 1 approval\(s\).*has 0: approved by nobody yet"):
        versions.activate(fresh, v, actor=engineer)

    assert fingerprint(fresh) == before
    assert _statuses(fresh) == statuses
    assert "deny-tests-unapproved" not in {p.id for p in load_snapshot(fresh).policies}


def test_when_the_author_approves_their_own_candidate_then_it_is_refused(
    fresh: GraphClient, engineer: Principal, approver: Principal
) -> None:
    v = _stage(fresh, engineer, _enterprise(new_policy="deny-tests-self"))
    with pytest.raises(Forbidden, match="policy-engineer staged"):
        versions.approve(fresh, v, actor=engineer)
    versions.approve(fresh, v, actor=approver, comment="looks right")
    with pytest.raises(Conflict, match="already approved"):
        versions.approve(fresh, v, actor=approver)
    given = version_state(fresh, v).approvals
    assert [(a.by, a.comment) for a in given] == [("policy-approver", "looks right")]


def test_when_approved_and_activated_then_the_candidate_content_is_the_graph(
    fresh: GraphClient, engineer: Principal, approver: Principal
) -> None:
    previous = store.active_policy_set(fresh)
    assert previous is not None
    v = _stage(fresh, engineer, _enterprise(new_policy="deny-tests-activated"))
    store.start_rollout(fresh, v, "canary", by="policy-engineer", percent=5)
    versions.approve(fresh, v, actor=approver)

    done = versions.activate(fresh, v, actor=engineer)

    active = store.active_policy_set(fresh)
    assert active is not None
    assert active.version == v
    assert done.previous_version == previous.version
    assert done.state.activated_by == "policy-engineer"
    assert done.state.previous_version == previous.version
    assert done.state.rollout is None
    assert done.state.rollout_end_reason == "activated"
    assert _statuses(fresh)[previous.version] == "retired"
    snapshot = load_snapshot(fresh)
    assert snapshot.version == f"policyset-v{v}"
    assert "deny-tests-activated" in {p.id for p in snapshot.policies}
    contained = fresh.run_statement(
        "MATCH (:PolicySet {version: $v})-[:CONTAINS]->(p:Policy {id: $id}) RETURN p.id AS id",
        v=v,
        id="deny-tests-activated",
    )
    assert contained == [{"id": "deny-tests-activated"}]
    superseded = fresh.run_statement(
        "MATCH (:PolicySet {version: $v})-[:SUPERSEDES]->(p:PolicySet) RETURN p.version AS v",
        v=v,
    )
    assert superseded == [{"v": previous.version}]
    with pytest.raises(Conflict, match="is active, not a candidate"):
        versions.activate(fresh, v, actor=engineer)


def test_when_the_content_requires_two_approvals_then_one_is_not_enough(
    fresh: GraphClient, engineer: Principal, approver: Principal
) -> None:
    base = _enterprise(reviewer=True, approvals=2)
    # The third administrator must be a principal of the active version before it can
    # approve anything: the set-up loads it directly, through the library.
    apply_bundle(fresh, base, author="tests", message="three admins, two approvals")
    reviewer = admin_for_key(fresh, REVIEWER_KEY)
    doc = base.canonical()
    doc["governance"] = [{"id": "northwind", "approvals_required": 0}]  # cannot lower it
    v = _stage(fresh, engineer, Bundle.from_document(PolicyDocument.model_validate(doc), "x"))
    assert versions.review(fresh, v).requirement.required == 2

    versions.approve(fresh, v, actor=approver)
    with pytest.raises(Conflict, match=r"needs 2 approval\(s\).*approved by policy-approver"):
        versions.activate(fresh, v, actor=engineer)
    after = versions.approve(fresh, v, actor=reviewer)
    assert after.missing == 0
    assert versions.activate(fresh, v, actor=engineer).state.status == "active"


def test_when_an_older_candidate_is_activated_after_a_newer_one_then_it_is_seen(
    fresh: GraphClient, engineer: Principal, approver: Principal
) -> None:
    older = _stage(fresh, engineer, _enterprise(new_policy="deny-tests-older"))
    newer = _stage(fresh, engineer, _enterprise(new_policy="deny-tests-newer"))
    generation = records_generation(fresh)
    versions.approve(fresh, older, actor=approver)
    versions.activate(fresh, older, actor=engineer)

    # The highest version did not move, the active one did: serving processes watch both.
    assert records_generation(fresh) != generation
    assert records_generation(fresh)[0] == generation[0] == newer
    assert load_snapshot(fresh).version == f"policyset-v{older}"

    versions.approve(fresh, newer, actor=approver)
    with pytest.raises(Conflict, match=f"staged over v1, but v{older} is active now"):
        versions.activate(fresh, newer, actor=engineer)
    done = versions.activate(fresh, newer, actor=engineer, rebase_ok=True)
    assert done.rebased_from == 1
    assert version_state(fresh, newer).rebased_from == 1
    assert version_state(fresh, newer).previous_version == older
    assert "deny-tests-older" not in {p.id for p in load_snapshot(fresh).policies}


def records_generation(client: GraphClient) -> tuple[int, int]:
    row = client.read(records, queries.POLICY_GENERATION)[0]
    return int(row["version"]), int(row["active"])


def test_when_a_candidate_is_rejected_then_it_cannot_be_approved_rolled_out_or_activated(
    fresh: GraphClient, engineer: Principal, approver: Principal
) -> None:
    v = _stage(fresh, engineer, _enterprise(new_policy="deny-tests-rejected"))
    store.start_rollout(fresh, v, "shadow", by="policy-engineer")
    state = versions.reject(fresh, v, actor=approver, comment="denies too much")

    assert (state.status, state.rejected_by, state.rejection_comment) == (
        "rejected",
        "policy-approver",
        "denies too much",
    )
    assert state.rollout is None
    assert state.rollout_end_reason == "rejected"
    with pytest.raises(Conflict, match="is rejected, not a candidate"):
        versions.approve(fresh, v, actor=approver)
    with pytest.raises(Conflict, match="is rejected"):
        versions.activate(fresh, v, actor=engineer)
    with pytest.raises(NotFound, match="no candidate"):
        store.start_rollout(fresh, v, "canary", by="x", percent=1)


def test_when_the_active_version_requires_approvals_then_a_direct_load_is_refused(
    fresh: GraphClient, engineer: Principal
) -> None:
    before = fingerprint(fresh)
    with pytest.raises(Conflict, match=r"requires 1 approval.*--candidate"):
        versions.load(
            fresh, _enterprise(new_policy="deny-x"), actor=engineer, author="", message="m"
        )
    with pytest.raises(Forbidden, match="stage it with --key"):
        versions.stage(fresh, _enterprise(new_policy="deny-x"), actor=None, author="os", message="")
    assert fingerprint(fresh) == before


def test_when_rolled_back_then_who_why_and_evidence_are_recorded(
    fresh: GraphClient, engineer: Principal, approver: Principal
) -> None:
    v = _stage(fresh, engineer, _enterprise(new_policy="deny-tests-rollback"))
    versions.approve(fresh, v, actor=approver)
    versions.activate(fresh, v, actor=engineer)

    report = versions.rollback(
        fresh, 1, actor=approver, reason="deny rate doubled", evidence={"deny_rate": 0.4}
    )

    assert report.outcome.policy_set is not None
    back = version_state(fresh, report.outcome.policy_set.version)
    assert back.status == "active"
    assert (back.rollback_of, back.rollback_reason) == (1, "deny rate doubled")
    assert back.rollback_evidence == {"deny_rate": 0.4}
    assert back.previous_version == v
    assert back.info.author == "Pieter de Vries (head of AI risk) (policy-approver)"
    listed = {r.state.version: r for r in versions.listing(fresh)}
    assert listed[v].state.status == "retired"
    assert [a.by for a in listed[v].approvals] == ["policy-approver"]
    rolled_back_by = listed[v].rolled_back_by
    assert rolled_back_by is not None
    assert rolled_back_by.version == back.version

    # The library call an automatic rollback makes: no principal, the author stands.
    automatic = rollback(fresh, v, author="drift-check", reason="canary breach")
    assert automatic.outcome.policy_set is not None
    again = version_state(fresh, automatic.outcome.policy_set.version)
    assert (again.activated_by, again.author_id, again.rollback_reason) == (
        "drift-check",
        None,
        "canary breach",
    )


# ---------------------------------------------------------------- the CLI


def _env(settings: Neo4jSettings, **extra: str) -> dict[str, str]:
    assert settings.password is not None
    return {
        "NEO4J_URI": settings.uri or "",
        "NEO4J_USER": settings.user,
        "NEO4J_PASSWORD": settings.password.get_secret_value(),
        "GOVROUTE_ADMIN_KEY": "",
        **extra,
    }


def test_when_the_cli_runs_the_lifecycle_then_refusals_exit_2_and_the_list_shows_it(
    fresh: GraphClient, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    policy = tmp_path / "policy"
    policy.mkdir()
    doc = _enterprise(new_policy="deny-tests-cli").document().model_dump(mode="json")
    (policy / "all.yaml").write_text(json.dumps(doc), encoding="utf-8")
    runner = CliRunner()
    env = _env(neo4j_settings)

    direct = runner.invoke(app, ["load", str(policy)], env=env)
    keyless = runner.invoke(app, ["load", str(policy), "--candidate"], env=env)
    staged = runner.invoke(
        app, ["load", str(policy), "--candidate", "--key", ENGINEER_KEY, "-m", "add cli"], env=env
    )
    v = int(staged.output.split("candidate PolicySet v")[1].split()[0])
    no_key = runner.invoke(app, ["policy", "approve", str(v)], env=env)
    analyst = runner.invoke(app, ["policy", "approve", str(v), "--key", ANALYST_KEY], env=env)
    early = runner.invoke(app, ["policy", "activate", str(v), "--key", ENGINEER_KEY], env=env)
    approved = runner.invoke(
        app,
        ["policy", "approve", str(v), "-c", "ok"],
        env={**env, "GOVROUTE_ADMIN_KEY": APPROVER_KEY},
    )
    listed = runner.invoke(app, ["policy", "list", "--json"], env=env)
    activated = runner.invoke(app, ["policy", "activate", str(v), "--key", ENGINEER_KEY], env=env)

    assert direct.exit_code == 2
    assert "--candidate" in direct.output
    assert keyless.exit_code == 2
    assert "--key" in keyless.output
    assert staged.exit_code == 0, staged.output
    assert no_key.exit_code == 2
    assert "not_authenticated" in no_key.output
    assert analyst.exit_code == 2
    assert "forbidden" in analyst.output
    assert early.exit_code == 2
    assert "needs 1 approval" in early.output
    assert approved.exit_code == 0
    assert "ready" in approved.output, approved.output
    assert activated.exit_code == 0, activated.output
    assert f"activated PolicySet v{v}" in activated.output
    rows: list[dict[str, Any]] = json.loads(listed.output)
    row = next(r for r in rows if r["version"] == v)
    assert row["status"] == "candidate"
    assert row["author_id"] == "policy-engineer"
    assert row["base_version"] == 1
    assert row["approvals"]["required"] == 1
    assert [g["by"] for g in row["approvals"]["given"]] == ["policy-approver"]


def test_when_nothing_is_active_then_a_direct_load_is_allowed_and_records_its_activation(
    empty_graph: GraphClient,
) -> None:
    report = versions.load(
        empty_graph, read_bundle(ENTERPRISE), actor=None, author="ops", message="first"
    )
    assert isinstance(report, LoadReport)
    assert report.outcome.changed
    again = version_state(empty_graph, 1)
    assert again.previous_version is None
    assert again.activated_by == "ops"


# ---------------------------------------------------------------- the serving runtime


def test_when_an_older_candidate_is_activated_then_the_runtime_decides_under_it(
    fresh: GraphClient,
    engineer: Principal,
    approver: Principal,
    neo4j_settings: Neo4jSettings,
    tmp_path: Path,
) -> None:
    # The refresher loads once at start; from then on only this test's refresh() calls do.
    api = ApiSettings(state_dir=tmp_path / "state", refresh_interval_s=3600)
    settings = Settings(neo4j=neo4j_settings, api=api)
    app = create_app(settings)
    with TestClient(app) as client:
        runtime: Runtime = app.state.runtime
        older = _stage(fresh, engineer, _enterprise(new_policy="deny-tests-served"))
        _stage(fresh, engineer, _enterprise(new_policy="deny-tests-not-served"))
        assert not runtime.refresh()  # candidates change nothing that is served
        assert runtime.state.snapshot.version == "policyset-v1"
        versions.approve(fresh, older, actor=approver)
        versions.activate(fresh, older, actor=engineer)

        assert runtime.refresh()  # the highest version did not move; the active one did
        served = {p.id for p in runtime.state.snapshot.policies}
        decided = client.post(
            "/v1/decide",
            json={"prompt": "Summarize our travel policy."},
            headers={"Authorization": f"Bearer {ANALYST_KEY}"},
        )

    assert "deny-tests-served" in served
    assert "deny-tests-not-served" not in served
    assert decided.status_code == 200, decided.text
    assert decided.json()["policy_version"] == f"policyset-v{older}"


def test_when_the_active_check_refuses_inside_the_transaction_then_nothing_is_written(
    fresh: GraphClient,
) -> None:
    bundle = _enterprise(new_policy="deny-tests-raced")
    before, statuses = fingerprint(fresh), _statuses(fresh)

    def moved(active: store.PolicySetInfo | None) -> None:
        raise Conflict(f"v{active.version if active else 0} moved")

    with pytest.raises(Conflict, match="v1 moved"):
        apply_bundle(fresh, bundle, author="t", message="raced", check_active=moved)

    assert fingerprint(fresh) == before
    assert _statuses(fresh) == statuses


def test_when_a_promoted_candidate_was_rejected_meanwhile_then_its_content_is_rolled_back(
    fresh: GraphClient, engineer: Principal, approver: Principal
) -> None:
    # The race activate() loses when a reject lands between its checks and its write:
    # the content is written first in the transaction, then the promotion finds no
    # candidate, and the whole transaction is undone.
    bundle = _enterprise(new_policy="deny-tests-rejected-meanwhile")
    v = _stage(fresh, engineer, bundle)
    versions.reject(fresh, v, actor=approver, comment="no")
    before, statuses = fingerprint(fresh), _statuses(fresh)

    with pytest.raises(Conflict, match="no longer a candidate"):
        store.apply_policy_content(
            fresh,
            to_graph(bundle),
            content_hash=bundle.content_hash(),
            canonical=bundle.canonical_json(),
            author="t",
            message="m",
            promote=store.Promotion(v, by="policy-engineer"),
        )

    assert fingerprint(fresh) == before
    assert _statuses(fresh) == statuses
