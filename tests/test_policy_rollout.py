"""Shadow and canary in the serving runtime, against the real Neo4j (issue 11 items 4, 5).

One runtime for the module (the embedding model loads once), built as the app builds
it (api.runtime.Runtime with the real provenance writer), its refresher slowed down
so that each test picks a rollout up with an explicit `refresh()`. The candidate is
the reference enterprise plus one deny policy for US analysts: under shadow it must
change nothing served and be caught in the report with exactly the allow->deny
decisions sent; under canary it must serve only whom it selects.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.rollout import ShadowJob, ShadowRunner
from api.runtime import Runtime
from api.schemas import DecideRequest
from engine.embedding import OnnxEmbedder
from engine.errors import Forbidden, InvalidRequest, NotAuthenticated
from engine.model import Principal
from graph import store
from graph.connection import GraphClient
from graph.facts import principal_for_key
from graph.provenance import read_decision
from graph.provenance_writer import ProvenanceWriter
from graph.settings import Neo4jSettings
from graph.snapshot import load_snapshot
from lifecycle.actors import admin_for_key
from lifecycle.offline import offline_world
from lifecycle.outcome_diff import ALLOW_TO_DENY, DENY_TO_ALLOW
from lifecycle.rollout import Selection, canary_point, shares_analysis
from lifecycle.rollout_control import shadow_report, start_canary, start_shadow, stop_rollout
from loaders.bundle import Bundle
from loaders.policy_load import load_policy_path, read_bundle, stage_bundle
from loaders.spec import PolicyDocument
from tests.conftest import ENTERPRISE, wipe

pytestmark = pytest.mark.neo4j

US_ANALYST = "gr_demo_us_analyst_eScKLkQFJDKL1jQv"  # us-analyst, nw-us
EU_ANALYST = "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC"  # eu-analyst, nw-eu
ENGINEER = "gr_demo_eu_engineer_cFhc2wNyeRSuW30R"  # eu-engineer: no policy_admin
POLICY_ENGINEER = "gr_demo_policy_engineer_OjqVP6C_D3eEYxIj"  # policy_admin
FREEZE = "deny-us-analysts-freeze"
PROMPTS = (
    "Analyse the quarterly financial report and list the main revenue drivers.",
    "Summarise the travel and expense policy for a new joiner.",
    "Write a SQL query that sums card revenue per month from the warehouse.",
    "Explain the change in net interest margin between Q2 and Q3.",
)


def _edited(edit: Any) -> Bundle:
    doc = read_bundle(ENTERPRISE).canonical()
    edit(doc)
    return Bundle.from_document(PolicyDocument.model_validate(doc), "edited")


def freeze_us_analysts(doc: dict[str, Any]) -> None:
    """Every US analyst denied: a candidate that denies more than the enterprise."""
    doc["policies"].append(
        {
            "id": FREEZE,
            "description": "US analysts are frozen out while the warehouse is migrated.",
            "effect": "deny",
            "priority": 950,
            "applies_to": {"roles": ["analyst_us"]},
        }
    )


def _new_exemplar(doc: dict[str, Any]) -> None:
    intent = next(i for i in doc["intents"] if i["id"] == "summarize_document")
    intent["exemplars"] = [*intent["exemplars"], "Give me the gist of this memo in three lines."]


def _served(record: dict[str, Any]) -> tuple[Any, ...]:
    """What a caller is served (reasons' paths start at the decision's own id)."""
    reasons = [(r["policy_id"], r["effect"]) for r in record["reasons"]]
    return record["outcome"], reasons, record["route"], record["redactions"], record["messages"]


@dataclass
class World:
    graph: GraphClient
    runtime: Runtime
    writer: ProvenanceWriter
    active: str
    candidate: int
    admin: Principal
    us: Principal
    eu: Principal

    def decide(self, who: Principal, prompt: str) -> dict[str, Any]:
        return self.runtime.decide(who, DecideRequest(prompt=prompt)).record

    def settle(self) -> None:
        """Every shadow decided and every record in Neo4j."""
        assert self.runtime.shadow.wait_idle(60)
        assert self.writer.flush(60)
        assert not self.writer.behind


@pytest.fixture(scope="module")
def world(graph: GraphClient, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    wipe(graph)
    load_policy_path(graph, ENTERPRISE, author="tests", message="reference enterprise")
    active = store.active_policy_set(graph)
    assert active is not None
    staged = stage_bundle(graph, _edited(freeze_us_analysts), author="ana", message="freeze")
    assert staged.policy_set is not None
    writer = ProvenanceWriter.for_graph(
        graph, tmp_path_factory.mktemp("journal"), flush_interval_s=0.01
    ).start()
    runtime = Runtime(
        graph, OnnxEmbedder(), writer, b"tests-secret-0123456789abcdef", refresh_interval_s=3600
    ).start()
    people = [principal_for_key(graph, k) for k in (POLICY_ENGINEER, US_ANALYST, EU_ANALYST)]
    admin, us, eu = (p for p in people if p is not None)
    try:
        yield World(graph, runtime, writer, active.id, staged.policy_set.version, admin, us, eu)
    finally:
        runtime.close()
        writer.close()


@pytest.fixture
def no_rollout(world: World) -> Iterator[World]:
    """Each test starts, and leaves, with no candidate out."""
    yield world
    rollout = store.rollout_candidate(world.graph)
    if rollout is not None:
        stop_rollout(world.graph, rollout.policy_set.version, admin=world.admin, reason="test")
    world.runtime.refresh()
    assert world.runtime.candidate is None


# ---------------------------------------------------------------- pure rules


def test_when_the_canary_percentage_rises_then_it_only_adds_principals() -> None:
    people = [Principal(id=f"p-{n}", tenant=f"t-{n % 3}", roles=frozenset()) for n in range(2000)]
    chosen = {
        p: {x.id for x in people if Selection.of(p, (), ()).selects(x)} for p in (5, 20, 50, 100)
    }
    assert chosen[5] <= chosen[20] <= chosen[50] <= chosen[100]
    assert len(chosen[100]) == 2000
    # A stable hash, spread evenly: about the share asked for (2000 fixed ids).
    assert 0.15 < len(chosen[20]) / 2000 < 0.25
    assert canary_point("t-1", "p-1") == canary_point("t-1", "p-1")
    assert canary_point("t-1", "p-1") != canary_point("t-2", "p-1")


def test_when_a_canary_names_a_tenant_then_all_its_principals_are_selected() -> None:
    selection = Selection.of(0, ["nw-us"], ["eu-analyst"])
    assert selection.selects(Principal(id="anyone", tenant="nw-us", roles=frozenset()))
    assert selection.selects(Principal(id="eu-analyst", tenant="nw-eu", roles=frozenset()))
    assert not selection.selects(Principal(id="eu-support", tenant="nw-eu", roles=frozenset()))
    assert Selection.of(0, (), ()).empty


def test_when_the_candidate_edits_only_policies_then_it_shares_the_active_analysis(
    world: World,
) -> None:
    live = load_snapshot(world.graph)  # the active snapshot as the runtime loads it
    assert shares_analysis(live, offline_world(_edited(freeze_us_analysts)).snapshot)
    assert not shares_analysis(live, offline_world(_edited(_new_exemplar)).snapshot)


# ---------------------------------------------------------------- shadow


def test_when_a_candidate_that_denies_more_is_shadowed_then_served_decisions_are_unchanged_and_the_report_counts_them(  # noqa: E501
    no_rollout: World,
) -> None:
    w = no_rollout
    sent = [(w.us, p) for p in PROMPTS] + [(w.eu, p) for p in PROMPTS[:3]]
    before = [w.decide(who, prompt) for who, prompt in sent]
    started = datetime.now(UTC) - timedelta(seconds=1)
    status = start_shadow(w.graph, w.candidate, admin=w.admin)
    assert (status.rollout.mode, status.active) == ("shadow", w.active)
    w.runtime.refresh()
    candidate = w.runtime.candidate
    assert candidate is not None
    assert candidate.shadow
    assert candidate.shared_analysis
    served = [w.decide(who, prompt) for who, prompt in sent]
    w.settle()

    for old, new in zip(before, served, strict=True):
        assert new["policy_version"] == w.active
        assert new["rollout"] == {
            "role": "active",
            "candidate": candidate.version,
            "active": w.active,
        }
        assert _served(new) == _served(old)
    frozen = [r["id"] for (who, _), r in zip(sent, served, strict=True) if who is w.us]
    flipped = [r["id"] for r in served if r["id"] in frozen and r["outcome"] != "deny"]
    assert flipped, "the prompts must include some a US analyst is allowed"

    report = shadow_report(w.graph, w.candidate, since=started)
    counts = report.counts
    assert counts.decisions == len(sent)
    assert counts.kinds[ALLOW_TO_DENY] == len(flipped)
    assert counts.kinds[DENY_TO_ALLOW] == 0
    assert counts.examples[ALLOW_TO_DENY] == flipped
    assert set(counts.by_tenant) == {"nw-us"}
    assert counts.by_tenant["nw-us"][ALLOW_TO_DENY] == len(flipped)
    assert counts.by_policy[FREEZE][ALLOW_TO_DENY] == len(flipped)
    intents = [r["intent"]["id"] for r in served if r["id"] in flipped]
    assert {i: counts.by_intent[i][ALLOW_TO_DENY] for i in intents} == {
        i: intents.count(i) for i in set(intents)
    }
    # The served record stays as written (part E hash-chains it); the shadow sits beside.
    stored = read_decision(w.graph, flipped[0])
    assert stored is not None
    assert {
        k: v for k, v in stored.items() if k not in ("provenance", "attempts", "shadow")
    } == next(r for r in served if r["id"] == flipped[0])
    assert stored["shadow"]["outcome"] == "deny"
    assert stored["shadow"]["version"] == candidate.version
    assert any(
        e["type"] == "SHADOWED_UNDER" and e["target"] == f"PolicySet:{candidate.version}"
        for e in stored["provenance"]
    )


def test_when_the_candidate_changes_exemplars_then_shadow_runs_its_own_analysis(
    no_rollout: World,
) -> None:
    w = no_rollout
    staged = stage_bundle(w.graph, _edited(_new_exemplar), author="ana", message="exemplar")
    assert staged.policy_set is not None
    started = datetime.now(UTC) - timedelta(seconds=1)
    start_shadow(w.graph, staged.policy_set.version, admin=w.admin)
    w.runtime.refresh()
    candidate = w.runtime.candidate
    assert candidate is not None
    assert not candidate.shared_analysis
    assert candidate.state.intents is not w.runtime.state.intents
    served = [w.decide(w.eu, p) for p in PROMPTS]
    w.settle()
    report = shadow_report(w.graph, staged.policy_set.version, since=started)
    assert report.counts.decisions == len(served)
    assert all(r["policy_version"] == w.active for r in served)


def test_when_the_shadow_queue_is_full_then_jobs_are_dropped_and_counted() -> None:
    release = threading.Event()
    drops: list[int] = []

    def blocked(job: ShadowJob) -> None:
        release.wait(30)

    runner = ShadowRunner(blocked, max_queue=1, on_drop=lambda: drops.append(1)).start()
    job = cast(ShadowJob, None)  # the stand-in runner never looks inside
    try:
        accepted = [runner.submit(job) for _ in range(5)]
    finally:
        release.set()
        runner.close()
    # The first is taken by the thread or queued; at most one more fits; the rest drop.
    assert accepted[0] is True
    assert runner.dropped == accepted.count(False) == len(drops) >= 3


# ---------------------------------------------------------------- canary


def test_when_a_canary_names_a_principal_then_only_that_principal_gets_the_candidate(
    no_rollout: World,
) -> None:
    w = no_rollout
    status = start_canary(w.graph, w.candidate, admin=w.admin, principals=["us-analyst"])
    assert status.rollout.principals == ("us-analyst",)
    w.runtime.refresh()
    candidate = w.runtime.candidate
    assert candidate is not None
    assert candidate.mode == "canary"
    ours = [w.decide(w.us, p) for p in PROMPTS]
    theirs = [w.decide(w.eu, p) for p in PROMPTS]
    w.settle()
    for record in ours:
        assert record["policy_version"] == candidate.version
        assert record["rollout"]["role"] == "canary"
        assert record["outcome"] == "deny"
        assert FREEZE in {r["policy_id"] for r in record["reasons"]}
    for record in theirs:
        assert record["policy_version"] == w.active
        assert record["rollout"]["role"] == "active"
        assert FREEZE not in {r["policy_id"] for r in record["reasons"]}
    # Part D groups decisions by the version that decided: queryable on the node.
    stored = read_decision(w.graph, ours[0]["id"])
    assert stored is not None
    assert {"type": "UNDER", "target": f"PolicySet:{candidate.version}"} in stored["provenance"]
    rows = w.graph.read(
        lambda tx: [
            dict(r)
            for r in tx.run(
                "MATCH (d:Decision) WHERE d.id IN $ids RETURN d.policy_version AS v, "
                "d.rollout_role AS role",
                ids=[ours[0]["id"], theirs[0]["id"]],
            )
        ]
    )
    assert sorted((r["v"], r["role"]) for r in rows) == sorted(
        [(candidate.version, "canary"), (w.active, "active")]
    )


def test_when_a_canary_serves_a_percentage_then_each_principal_keeps_its_version(
    no_rollout: World,
) -> None:
    w = no_rollout
    start_canary(w.graph, w.candidate, admin=w.admin, percent=50)
    w.runtime.refresh()
    candidate = w.runtime.candidate
    assert candidate is not None
    for who in (w.us, w.eu, w.admin):
        expected = candidate.version if Selection.of(50, (), ()).selects(who) else w.active
        versions = {w.decide(who, PROMPTS[1])["policy_version"] for _ in range(3)}
        assert versions == {expected}


def test_when_the_rollout_stops_then_the_active_version_decides_for_everyone(
    no_rollout: World,
) -> None:
    w = no_rollout
    start_canary(w.graph, w.candidate, admin=w.admin, tenants=["nw-us"])
    w.runtime.refresh()
    assert w.decide(w.us, PROMPTS[0])["policy_version"] != w.active
    ended = stop_rollout(w.graph, w.candidate, admin=w.admin, reason="enough")
    assert ended.version == w.candidate
    w.runtime.refresh()
    record = w.decide(w.us, PROMPTS[0])
    assert record["policy_version"] == w.active
    assert "rollout" not in record


def test_when_a_canary_selects_nobody_or_names_strangers_then_it_is_refused(
    no_rollout: World,
) -> None:
    w = no_rollout
    with pytest.raises(InvalidRequest, match="select someone"):
        start_canary(w.graph, w.candidate, admin=w.admin)
    with pytest.raises(InvalidRequest, match="principal nobody-here"):
        start_canary(w.graph, w.candidate, admin=w.admin, principals=["nobody-here"])
    assert store.rollout_candidate(w.graph) is None
    with pytest.raises(NotAuthenticated):
        admin_for_key(w.graph, "gr_not_a_key")
    with pytest.raises(Forbidden, match="policy_admin"):
        admin_for_key(w.graph, ENGINEER)


def test_when_a_candidate_cannot_be_built_then_the_active_version_serves(
    no_rollout: World,
) -> None:
    w = no_rollout
    staged = stage_bundle(w.graph, _edited(_new_exemplar), author="ana", message="broken")
    assert staged.policy_set is not None
    version = staged.policy_set.version
    # Stored content that no longer validates (as if written by a newer build).
    w.graph.write(
        lambda tx: tx.run(
            "MATCH (ps:PolicySet {version: $v}) SET ps.content = '{\"policies\": 3}'", v=version
        ).consume()
    )
    start_canary(w.graph, version, admin=w.admin, tenants=["nw-us"])
    w.runtime.refresh()
    assert w.runtime.candidate is None
    assert w.decide(w.us, PROMPTS[0])["policy_version"] == w.active


# ---------------------------------------------------------------- the commands


def test_when_the_commands_run_then_they_need_an_admin_key_and_print_the_report(
    no_rollout: World, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    w = no_rollout
    assert neo4j_settings.uri
    assert neo4j_settings.password
    env = {
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_USER": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value(),
        "GOVROUTE_ADMIN_KEY": "",
    }
    runner = CliRunner()
    refused = runner.invoke(app, ["policy", "shadow", str(w.candidate)], env=env)
    assert refused.exit_code == 2
    assert "give a policy_admin API key" in refused.output
    env["GOVROUTE_ADMIN_KEY"] = POLICY_ENGINEER
    started = runner.invoke(app, ["policy", "shadow", str(w.candidate)], env=env)
    assert started.exit_code == 0, started.output
    assert f"v{w.candidate} is under shadow" in started.output
    w.runtime.refresh()
    served = w.decide(w.us, PROMPTS[0])
    w.settle()
    report = runner.invoke(
        app, ["policy", "shadow-report", str(w.candidate), "--since", "10m", "--json"], env=env
    )
    assert report.exit_code == 0, report.output
    body = json.loads(report.output)
    assert body["version"] == w.candidate
    assert body["decisions"] >= 1
    if served["outcome"] != "deny":
        assert served["id"] in body["examples"][ALLOW_TO_DENY]
    bad = runner.invoke(app, ["policy", "shadow-report", "1", "--since", "yesterday"], env=env)
    assert bad.exit_code == 2
    assert "since: 'yesterday' is neither a duration" in bad.output
    stopped = runner.invoke(app, ["policy", "shadow", str(w.candidate), "--stop"], env=env)
    assert stopped.exit_code == 0, stopped.output
