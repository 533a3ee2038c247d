"""Drift checks with automatic rollback (lifecycle.drift_check) against the real Neo4j.

Decisions are made as the runtime makes them: real requests decided on the pure core
under offline worlds of the active version and of the candidate, their records written
through graph.provenance.write_provenance (the provenance writer's own write).
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.drift_watch import DriftWatch
from api.settings import TelemetrySettings
from api.telemetry import Telemetry
from engine.decide import Analysis, decide, message_key
from engine.decision import IntentMatch
from engine.errors import InvalidPolicyData
from engine.model import ChatMessage, DecisionRequest
from engine.normalize import normalize
from engine.provenance import Attempt, attempt_record, decision_record
from graph import store
from graph.connection import GraphClient, records
from graph.provenance import write_provenance
from graph.settings import Neo4jSettings
from graph.snapshot import load_snapshot
from lifecycle.drift import Limit, Status, population_stability, side
from lifecycle.drift_check import Action, DriftReport, Kind, check_drift, last_reports
from lifecycle.drift_report import text
from lifecycle.offline import OfflineWorld, offline_world
from loaders.bundle import Bundle
from loaders.drift_spec import DriftAction, DriftMetric
from loaders.policy_load import apply_bundle, read_bundle, stage_bundle, stored_bundle
from loaders.spec import PolicyDocument
from tests.conftest import ENTERPRISE, load_enterprise, wipe
from tests.serving import ApiServer

SECRET = b"drift-tests-secret-0123456789"
TEXT = "Please translate this paragraph into German."


# ---------------------------------------------------------------- helpers


def _edited(edit: Any) -> Bundle:
    doc = read_bundle(ENTERPRISE).canonical()
    edit(doc)
    return Bundle.from_document(PolicyDocument.model_validate(doc), "edited")


def _denying_translation() -> Bundle:
    """The enterprise with translation paused for everyone: a policy that denies more."""

    def edit(doc: dict[str, Any]) -> None:
        doc["policies"].append(
            {
                "id": "pause-translation",
                "description": "Translation is paused while the vendor is reviewed.",
                "effect": "deny",
                "priority": 900,
                "applies_to": {"intents": ["translation"]},
            }
        )

    return _edited(edit)


def _without_pci_providers() -> Bundle:
    """Every provider loses its PCI DSS certification: card data has nowhere to go."""

    def edit(doc: dict[str, Any]) -> None:
        for provider in doc["providers"]:
            provider["certifications"] = [c for c in provider["certifications"] if c != "pci_dss"]

    return _edited(edit)


def _decisions(
    world: OfflineWorld, n: int, *, at: datetime, prefix: str, principal: str = "eu-analyst"
) -> list[dict[str, Any]]:
    """`n` translation requests decided under `world`, 1 microsecond apart from `at`."""
    who = world.principal(principal)
    spec = world.snapshot.intents["translation"]
    analysis = Analysis(
        intent=IntentMatch(spec.id, spec.category, 0.82), texts={message_key(0): normalize(TEXT)}
    )
    request = DecisionRequest(who, (ChatMessage("user", TEXT),), ())
    return [
        decision_record(
            decide(
                request,
                world.snapshot,
                {},
                analysis,
                decision_id=f"dec_{prefix}_{i}",
                now=at + timedelta(microseconds=i),
                secret=SECRET,
            )
        )
        for i in range(n)
    ]


def _serve(client: GraphClient, world: OfflineWorld, n: int, at: datetime, prefix: str) -> None:
    write_provenance(client, _decisions(world, n, at=at, prefix=prefix), [])


def _props(client: GraphClient, version: int) -> dict[str, Any]:
    rows = client.read(
        records, "MATCH (ps:PolicySet {version: $v}) RETURN ps {.*, content: null} AS ps", v=version
    )
    return dict(rows[0]["ps"])


def _breach(report: DriftReport, metric: DriftMetric, scope: str = "all") -> bool:
    return any(o.metric is metric and o.scope == scope for o in report.breaches)


@pytest.fixture
def fresh(graph: GraphClient) -> GraphClient:
    """The reference enterprise as v1 of an otherwise empty graph (no decisions of other
    tests in any window)."""
    wipe(graph)
    load_enterprise(graph)
    return graph


@pytest.fixture
def canary_denying_more(fresh: GraphClient) -> int:
    """A canary that denies every translation the active version allows, 250 each."""
    active = store.active_policy_set(fresh)
    assert active is not None
    staged = stage_bundle(fresh, _denying_translation(), author="ana", message="pause")
    assert staged.policy_set is not None
    version = staged.policy_set.version
    store.start_rollout(fresh, version, "canary", by="ops", percent=50)
    at = datetime.now(UTC)
    _serve(fresh, offline_world(read_bundle(ENTERPRISE), version=active.id), 250, at, "a")
    candidate = offline_world(stored_bundle(fresh, version), version=f"policyset-v{version}")
    _serve(fresh, candidate, 250, at, "c")
    return version


def _activated_denying_more(client: GraphClient, n: int) -> tuple[int, int]:
    """v1 served `n` allowed translations half an hour ago; v2, activated now, denies `n`."""
    v1 = store.active_policy_set(client)
    assert v1 is not None
    old = offline_world(read_bundle(ENTERPRISE), version=v1.id)
    _serve(client, old, n, datetime.now(UTC) - timedelta(minutes=30), "v1")
    loaded = apply_bundle(client, _denying_translation(), author="ana", message="pause")
    v2 = loaded.outcome.policy_set
    assert v2 is not None
    new = offline_world(_denying_translation(), version=v2.id)
    _serve(client, new, n, datetime.now(UTC), "v2")
    return v1.version, v2.version


# ---------------------------------------------------------------- canary


def test_when_a_canary_denies_past_its_limit_then_one_check_ends_it_with_the_evidence(
    fresh: GraphClient, canary_denying_more: int
) -> None:
    version = canary_denying_more
    telemetry = Telemetry(TelemetrySettings())

    report = DriftWatch(fresh, telemetry, 60.0).check_once()

    assert report is not None
    assert (report.kind, report.action, report.judged) == (
        Kind.CANARY,
        Action.ENDED_CANARY,
        version,
    )
    assert _breach(report, DriftMetric.DENY_RATE)
    assert _breach(report, DriftMetric.DENY_RATE, "tenant nw-eu")
    assert _breach(report, DriftMetric.DENY_RATE, "intent translation")
    assert store.rollout_candidate(fresh) is None
    props = _props(fresh, version)
    assert props["rollout_end_reason"].startswith("drift: deny_rate all: 0.0% -> 100.0%")
    assert props["drift_check"] == report.id
    [stored] = last_reports(fresh)
    assert (stored["id"], stored["action"], stored["judged_version"]) == (
        report.id,
        "ended_canary",
        version,
    )
    deny = next(b for b in stored["breaches"] if b["metric"] == "deny_rate")
    assert (deny["baseline"], deny["recent"], deny["baseline_n"], deny["recent_n"]) == (
        0.0,
        1.0,
        250,
        250,
    )
    assert stored["thresholds"]["source"] == "v1 drift 'northwind'"
    assert stored["windows"]["recent"]["version"] == f"policyset-v{version}"
    edges = fresh.read(
        records,
        "MATCH (c:DriftCheck {id: $id})-[r]->(ps:PolicySet) RETURN type(r) AS t, ps.version AS v",
        id=report.id,
    )
    assert {(e["t"], e["v"]) for e in edges} == {("CHECKED", version), ("BASELINE", 1)}
    rollbacks = telemetry.registry.get_sample_value(
        "govroute_drift_rollbacks_total", {"kind": "canary"}
    )
    assert rollbacks == 1.0


def test_when_a_canary_breach_is_checked_without_rollback_then_it_keeps_serving(
    fresh: GraphClient, canary_denying_more: int
) -> None:
    report = check_drift(fresh, rollback=False)

    assert report.action is Action.HELD
    assert _breach(report, DriftMetric.DENY_RATE)
    rollout = store.rollout_candidate(fresh)
    assert rollout is not None
    assert rollout.policy_set.version == canary_denying_more
    assert last_reports(fresh)[0]["action"] == "held"


def test_when_a_canary_s_upstream_calls_fail_then_it_ends_and_slowness_only_alerts(
    fresh: GraphClient,
) -> None:
    active = store.active_policy_set(fresh)
    assert active is not None

    def reword(doc: dict[str, Any]) -> None:
        doc["policies"][0]["description"] += " (reviewed)"

    staged = stage_bundle(fresh, _edited(reword), author="ana", message="reword")
    assert staged.policy_set is not None
    version = staged.policy_set.version
    store.start_rollout(fresh, version, "canary", by="ops", tenants=["nw-eu"])
    at = datetime.now(UTC)
    served = _decisions(
        offline_world(read_bundle(ENTERPRISE), version=active.id), 250, at=at, prefix="a"
    )
    canary = _decisions(
        offline_world(stored_bundle(fresh, version), version=f"policyset-v{version}"),
        250,
        at=at,
        prefix="c",
    )

    def attempts(
        records: list[dict[str, Any]], latency: float, failing: int
    ) -> list[dict[str, Any]]:
        """One call per decision; every `failing`-th one a 503 (0: none fails)."""
        return [
            attempt_record(
                Attempt(r["id"], r["route"]["primary"], 1, "error", 30_000.0, 503)
                if failing and i % failing == 0
                else Attempt(r["id"], r["route"]["primary"], 1, "ok", latency, 200)
            )
            for i, r in enumerate(records)
        ]

    write_provenance(fresh, served, attempts(served, 800.0, 0))
    write_provenance(fresh, canary, attempts(canary, 2_400.0, 3))

    report = check_drift(fresh)

    assert report.action is Action.ENDED_CANARY
    assert [(o.metric, o.recent_n) for o in report.acting] == [
        (DriftMetric.UPSTREAM_ERROR_RATE, 250)
    ]
    [slow] = report.alerts
    assert slow.metric is DriftMetric.UPSTREAM_LATENCY_P95_MS
    assert (slow.baseline, slow.recent) == (800.0, 2_400.0)
    assert not _breach(report, DriftMetric.DENY_RATE)
    assert store.rollout_candidate(fresh) is None


# ---------------------------------------------------------------- activation


def test_when_a_new_version_denies_past_its_limit_then_the_previous_content_is_restored(
    fresh: GraphClient,
) -> None:
    v1, v2 = _activated_denying_more(fresh, 250)
    content_v1 = store.policy_set_content(fresh, v1)[0].content_hash

    report = check_drift(fresh)

    assert (report.kind, report.action) == (Kind.ACTIVATION, Action.ROLLED_BACK)
    assert (report.judged, report.baseline, report.rollback_to) == (v2, v1, v2 + 1)
    active = store.active_policy_set(fresh)
    assert active is not None
    assert (active.version, active.content_hash) == (v2 + 1, content_v1)
    assert active.message.startswith(f"drift rollback to v{v1}: deny_rate all: 0.0% -> 100.0%")
    assert "pause-translation" not in {p.id for p in load_snapshot(fresh).policies}
    assert _props(fresh, v2)["drift_reason"].startswith("deny_rate all")
    assert last_reports(fresh)[0]["rollback_to"] == v2 + 1
    # The restored version is not judged against the version it undid: no flapping.
    again = check_drift(fresh)
    assert (again.kind, again.action) == (Kind.STEADY, Action.NONE)
    assert store.active_policy_set(fresh) == active


def test_when_two_replicas_find_the_same_breach_then_only_one_rolls_back(
    fresh: GraphClient,
) -> None:
    _, v2 = _activated_denying_more(fresh, 250)
    reports: list[DriftReport] = []
    start = threading.Barrier(2)

    def replica() -> None:
        start.wait()
        reports.append(check_drift(fresh))

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    actions = [r.action for r in reports]
    assert actions.count(Action.ROLLED_BACK) == 1
    assert {a for a in actions if a is not Action.ROLLED_BACK} <= {Action.ALREADY_DONE, Action.NONE}
    assert [ps.version for ps in store.list_policy_sets(fresh)] == [v2 + 1, v2, v2 - 1]


def test_when_windows_hold_fewer_decisions_than_the_minimum_then_nothing_happens(
    fresh: GraphClient,
) -> None:
    _, v2 = _activated_denying_more(fresh, 20)

    report = check_drift(fresh)

    assert (report.kind, report.action, report.breaches) == (Kind.ACTIVATION, Action.NONE, ())
    deny = next(o for o in report.observations if o.metric is DriftMetric.DENY_RATE)
    assert (deny.baseline, deny.recent, deny.status) == (0.0, 1.0, Status.TOO_FEW)
    active = store.active_policy_set(fresh)
    assert active is not None
    assert active.version == v2


def test_when_a_certification_removed_from_providers_empties_routes_then_they_are_reported(
    fresh: GraphClient,
) -> None:
    loaded = apply_bundle(fresh, _without_pci_providers(), author="ana", message="no pci")
    assert loaded.outcome.policy_set is not None

    report = check_drift(fresh, rollback=False)

    assert report.kind is Kind.ACTIVATION
    assert _breach(report, DriftMetric.EMPTY_ROUTES, "intent x label")
    routes = report.as_json()["emptied_routes"]
    assert {"intent": "translation", "label": "cardholder_data"} in routes
    assert all(r["label"] is not None for r in routes)  # unlabelled prompts still route
    assert report.action is Action.HELD
    assert "emptied routes" in text(report.as_json())
    active = store.active_policy_set(fresh)
    assert active is not None
    assert active.version == loaded.outcome.policy_set.version


def test_when_nothing_is_under_rollout_or_probation_then_breaches_only_alert(
    fresh: GraphClient,
) -> None:
    v1 = store.active_policy_set(fresh)
    assert v1 is not None
    allowed = offline_world(read_bundle(ENTERPRISE), version=v1.id)
    now = datetime.now(UTC)
    _serve(fresh, allowed, 250, now - timedelta(hours=3), "early")
    # The same version later denies (say, the detector started scoring everything as an
    # attack): recent traffic differs from its own, but there is nothing to return to.
    late = _decisions(allowed, 250, at=now - timedelta(minutes=5), prefix="late")
    for record in late:
        record["outcome"] = "deny"
    write_provenance(fresh, late, [])

    report = check_drift(fresh)

    assert (report.kind, report.action) == (Kind.STEADY, Action.ALERT)
    assert _breach(report, DriftMetric.DENY_RATE)
    assert store.active_policy_set(fresh) == v1


# ---------------------------------------------------------------- the server


def test_when_the_server_checks_periodically_then_it_ends_a_breaching_canary_by_itself(
    neo4j_settings: Neo4jSettings,
    fresh: GraphClient,
    canary_denying_more: int,
    tmp_path: Path,
) -> None:
    api = ApiServer(neo4j_settings, tmp_path, GOVROUTE_DRIFT_CHECK_INTERVAL_S="1").start()
    try:
        api.wait_ready()
        deadline = time.monotonic() + 120
        while store.rollout_candidate(fresh) is not None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert store.rollout_candidate(fresh) is None, api.tail()
        metrics = httpx.get(f"{api.url}/metrics", timeout=10).text
    finally:
        api.stop()
    assert 'govroute_drift_rollbacks_total{kind="canary"} 1.0' in metrics
    assert last_reports(fresh)[0]["by"] == "drift-check"


# ---------------------------------------------------------------- pure parts


def test_when_both_bounds_are_given_then_a_breach_exceeds_both() -> None:
    limit = Limit(DriftMetric.DENY_RATE, 0.10, 1.5, 200, DriftAction.ROLLBACK)
    assert limit.breached(0.20, 0.35)  # fifteen points, x1.75
    assert not limit.breached(0.40, 0.55)  # fifteen points, but only x1.375
    assert not limit.breached(0.001, 0.004)  # four times as many, a third of a point
    assert not limit.breached(0.40, 0.45)  # five points
    assert limit.breached(0.0, 0.2)


def test_when_scores_move_away_from_the_exemplars_then_the_stability_index_grows() -> None:
    same = population_stability(
        (0, 0, 0, 0, 0, 0, 10, 40, 40, 10), (0, 0, 0, 0, 0, 0, 10, 40, 40, 10)
    )
    shifted = population_stability(
        (0, 0, 0, 0, 0, 0, 10, 40, 40, 10), (0, 10, 40, 40, 10, 0, 0, 0, 0, 0)
    )
    assert same == 0.0
    assert shifted > 0.25


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ([{"metric": "intent_score_psi", "max_ratio": 2}], "max_ratio has no meaning here"),
        ([{"metric": "deny_rate", "max_increase": 10}], "rates are fractions"),
        ([{"metric": "deny_rate"}], "give max_increase, max_ratio or both"),
        (
            [{"metric": "deny_rate", "max_ratio": 2}, {"metric": "deny_rate", "max_ratio": 3}],
            "deny_rate given more than once",
        ),
        (
            [{"metric": "deny_ratio", "max_ratio": 2}],
            "drift[0].limits[0].metric: Input should be 'deny_rate'",
        ),
    ],
)
def test_when_a_drift_limit_is_malformed_then_the_load_says_which_and_why(
    tmp_path: Path, limits: list[dict[str, Any]], message: str
) -> None:
    (tmp_path / "drift.yaml").write_text(
        json.dumps({"drift": [{"id": "ops", "limits": limits}]}), encoding="utf-8"
    )
    with pytest.raises(InvalidPolicyData) as caught:
        read_bundle(tmp_path)
    assert message in str(caught.value)
    assert "drift.yaml" in str(caught.value)


def test_when_two_drift_items_are_declared_then_the_second_is_refused(tmp_path: Path) -> None:
    (tmp_path / "drift.yaml").write_text(
        json.dumps({"drift": [{"id": "a"}, {"id": "b"}]}), encoding="utf-8"
    )
    with pytest.raises(InvalidPolicyData, match="one drift item"):
        read_bundle(tmp_path)


def test_when_rows_name_the_unknown_intent_then_they_count_towards_its_share() -> None:
    rows = [
        {
            "tenant": "t",
            "intent": "unknown",
            "bucket": 1,
            "decisions": 3,
            "denies": 0,
            "threats": 0,
        },
        {"tenant": "t", "intent": "x", "bucket": 9, "decisions": 1, "denies": 1, "threats": 1},
    ]
    s = side("v", "a", "b", rows)
    [group] = s.grouped(lambda tenant, intent: tenant).values()
    assert (group.decisions, group.unknown, group.denies, group.buckets[1]) == (4, 3, 1, 3)
