"""Golden decision cases: each policy directory's cases/, run through two paths that must agree.

The cases are the product's own format (lifecycle.cases, what `govroute policy test`
runs): examples/enterprise/cases and tests/data/minimal/cases. Every case runs twice:

(a) on the pure core, without Neo4j, exactly as `govroute policy test` runs it
    (lifecycle.case_run over lifecycle.offline: the snapshot built straight from the
    loader's `GraphContent`, item facts from a walk over its edges);
(b) through the real Neo4j: the policy directory loaded with `load_policy_path`,
    the snapshot read back with `load_snapshot`, the facts with `item_facts` and the
    principal with the API-key lookup.

Both decisions must meet the expectations and be equal in every field but the
PolicySet version (the pure path has no PolicySet): reasons with their graph
paths, texts, redactions, routes and rejections included.

The intent is pinned per case, so the cases do not depend on the embedding model;
tests/test_intent.py covers matching.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from engine.decision import Decision
from engine.detect import Detector
from engine.model import ItemFacts, Principal, Snapshot
from graph import store
from graph.connection import GraphClient
from graph.content import GraphContent, relation
from graph.facts import item_facts, principal_for_key_hash
from graph.snapshot import load_snapshot
from lifecycle.case_run import CaseRunner
from lifecycle.cases import Case, case_files, read_cases
from lifecycle.expectations import unmet
from lifecycle.offline import OFFLINE_VERSION, OfflineWorld, offline_world
from loaders.policy_load import load_policy_path, read_bundle
from tests.conftest import wipe

TESTS = Path(__file__).resolve().parent
ENTERPRISE = TESTS.parent / "examples" / "enterprise"
# The reference enterprise last, so the graph is left as most other tests want it.
POLICY_DIRS = (TESTS / "data" / "minimal", TESTS.parent / "examples" / "health_insurer", ENTERPRISE)


@dataclass(frozen=True, slots=True)
class GoldenCase:
    case: Case
    policy_dir: Path

    @property
    def name(self) -> str:
        return self.case.name


def load_cases() -> list[GoldenCase]:
    """Every case of every directory, grouped by directory (Neo4j loads each once)."""
    return [
        GoldenCase(case, policy_dir)
        for policy_dir in POLICY_DIRS
        for case in read_cases(case_files(policy_dir), relative_to=policy_dir)
    ]


CASES = load_cases()


# --------------------------------------------------------------------------- pure path


@cache
def pure_world(policy_dir: Path) -> OfflineWorld:
    return offline_world(read_bundle(policy_dir))


def decide_pure(case: GoldenCase) -> Decision:
    return CaseRunner(pure_world(case.policy_dir)).decide(case.case)


# --------------------------------------------------------------------------- graph path


class LoadedGraph:
    """The session's Neo4j with one policy directory active at a time.

    A directory is loaded when a case needs it and is not the active content
    (cases are grouped by directory, so each loads once); snapshots and
    detectors are kept per PolicySet version.
    """

    def __init__(self, client: GraphClient) -> None:
        self.client = client
        self._snapshots: dict[str, tuple[Snapshot, Detector]] = {}

    def activate(self, policy_dir: Path) -> tuple[Snapshot, Detector]:
        wanted = pure_world(policy_dir).bundle.content_hash()
        active = store.active_policy_set(self.client)
        if active is None or active.content_hash != wanted:
            load_policy_path(self.client, policy_dir, author="tests", message="golden cases")
            active = store.active_policy_set(self.client)
        assert active is not None
        assert active.content_hash == wanted
        if active.id not in self._snapshots:
            snapshot = load_snapshot(self.client)
            self._snapshots[active.id] = (snapshot, Detector.for_snapshot(snapshot))
        return self._snapshots[active.id]

    def principal(self, content: GraphContent, principal_id: str) -> Principal:
        """The principal behind the principal's API key, as the request path resolves it."""
        keys = [
            e.source
            for e in content.edges.get(relation("ApiKey", "IDENTIFIES", "Principal").key, [])
            if e.target == principal_id
        ]
        principal = principal_for_key_hash(self.client, keys[0])
        assert principal is not None
        return principal


@pytest.fixture(scope="module")
def golden_graph(graph: GraphClient) -> LoadedGraph:
    # Emptied once: leftovers of other tests (catalog documents under the enterprise's
    # data sources) could refuse a load or add lineage the pure path does not know.
    wipe(graph)
    return LoadedGraph(graph)


@dataclass(frozen=True, slots=True)
class GraphWorld:
    """A `CaseWorld` answered by Neo4j, as the request path asks it."""

    loaded: LoadedGraph
    content: GraphContent
    snapshot: Snapshot
    detector: Detector

    def principal(self, principal_id: str) -> Principal:
        return self.loaded.principal(self.content, principal_id)

    def item_facts(
        self, ids: Sequence[str], roles: frozenset[str], tenant: str
    ) -> Mapping[str, ItemFacts]:
        return item_facts(
            self.loaded.client, list(ids), roles, self.snapshot.label_ancestry, tenant=tenant
        )


def decide_graph(case: GoldenCase, loaded: LoadedGraph) -> Decision:
    snapshot, detector = loaded.activate(case.policy_dir)
    world = GraphWorld(loaded, pure_world(case.policy_dir).content, snapshot, detector)
    return CaseRunner(world).decide(case.case)


# --------------------------------------------------------------------------- expectations


def describe(decision: Decision) -> str:
    """A compact account of a decision, printed when a case fails."""
    lines = [
        f"outcome: {decision.outcome}",
        "reasons: " + "; ".join(f"{r.policy_id} ({r.effect})" for r in decision.reasons),
        "withheld: " + ", ".join(f"{w.item_id}={w.code}" for w in decision.withholdings),
        "exposed: " + ", ".join(e.item_id for e in decision.exposures),
        "redactions: "
        + ", ".join(f"{r.entity_type}/{r.label}/{r.action}" for r in decision.redactions),
        f"labels: {', '.join(decision.labels)}",
        f"route: {decision.route.primary} then {', '.join(decision.route.fallbacks)}",
        f"constraints: {decision.route.constraints}",
        "rejected: "
        + "; ".join(f"{c.model_id}: {', '.join(c.reasons)}" for c in decision.route.rejected),
        f"block_output_labels: {list(decision.block_output_labels)}",
        "messages: " + " | ".join(m.content for m in decision.messages),
        "context: " + " | ".join(f"{c.item_id}: {c.text}" for c in decision.context),
    ]
    if decision.issues:
        lines.append(f"issues: {decision.issues}")
    return "\n".join(lines)


def disagreements(a: Decision, b: Decision) -> list[str]:
    """The fields in which two decisions differ, each with both values."""
    return [
        f"{f.name}: {getattr(a, f.name)!r} != {getattr(b, f.name)!r}"
        for f in dataclasses.fields(a)
        if getattr(a, f.name) != getattr(b, f.name)
    ]


def assert_meets(decision: Decision, case: GoldenCase, path: str, snapshot: Snapshot) -> None:
    problems = unmet(decision, case.case.spec.expect, snapshot)
    if problems:
        pytest.fail(
            f"{case.policy_dir.name}/{case.case.source}: {case.name} ({path} path)\n"
            + "\n".join(f"  - {p.describe()}" for p in problems)
            + "\n"
            + textwrap.indent(describe(decision), "    "),
            pytrace=False,
        )


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("policy_dir", POLICY_DIRS, ids=[p.name for p in POLICY_DIRS])
def test_when_policy_is_loaded_into_neo4j_then_its_snapshot_equals_the_pure_one(
    policy_dir: Path, golden_graph: LoadedGraph
) -> None:
    snapshot, _ = golden_graph.activate(policy_dir)
    assert dataclasses.replace(snapshot, version=OFFLINE_VERSION) == pure_world(policy_dir).snapshot


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_when_golden_case_runs_on_the_pure_core_then_expectations_hold(case: GoldenCase) -> None:
    assert_meets(decide_pure(case), case, "pure", pure_world(case.policy_dir).snapshot)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_when_golden_case_runs_through_neo4j_then_it_agrees_with_the_pure_core(
    case: GoldenCase, golden_graph: LoadedGraph
) -> None:
    through_graph = decide_graph(case, golden_graph)
    assert_meets(through_graph, case, "neo4j", pure_world(case.policy_dir).snapshot)
    pure = decide_pure(case)
    assert (
        disagreements(dataclasses.replace(through_graph, policy_version=OFFLINE_VERSION), pure)
        == []
    )


# Enterprise policies no request can make apply, and why (see the golden cases).
UNREACHABLE = {
    "deny-sar-outside-financial-crime": (
        "none of the roles it names can read a source labelled aml_sar, "
        "and no entity type indicates aml_sar"
    ),
    "keep-system-prompts-private": (
        "it acts on answers only: the leak guard's entity types are found in answers, "
        "never in requests (tests/test_prompt_leak.py checks it on the gateway)"
    ),
}


def test_when_golden_cases_are_read_then_every_enterprise_policy_is_expected_somewhere() -> None:
    policies = {p.id for p in pure_world(ENTERPRISE).snapshot.policies}
    expected = {
        policy_id
        for c in CASES
        if c.policy_dir == ENTERPRISE
        for policy_id in c.case.spec.expect.reasons
    }
    assert policies - expected == set(UNREACHABLE)
