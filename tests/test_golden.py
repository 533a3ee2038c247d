"""Golden decision cases: tests/golden/*.yaml, run through two paths that must agree.

Each case names a policy directory, a principal, a request, the intent the
prompt is pinned to, and what the decision must say. Every case runs twice:

(a) on the pure core, without Neo4j: the snapshot is built straight from the
    loader's `GraphContent`, and the facts of the context items come from a
    small walk over that content's edges (PART_OF / DERIVED_FROM up to
    HAS_LABEL, then `engine.lineage.effective_labels`; grants from the
    principal's roles' CAN_ACCESS edges);
(b) through the real Neo4j: the policy directory loaded with
    `load_policy_path`, the snapshot read back with `load_snapshot`, the facts
    with `item_facts` and the principal with the API-key lookup.

Both decisions must meet the expectations and be equal in every field but the
PolicySet version (the pure path has no PolicySet): reasons with their graph
paths, texts, redactions, routes and rejections included.

The intent is pinned per case (a stub of `IntentIndex.match`), so the cases do
not depend on the embedding model; tests/test_intent.py covers matching.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, cast

import pytest
import yaml

from engine.analyze import EngineState, analyze
from engine.decide import decide
from engine.decision import Decision, IntentMatch
from engine.detect import Detector
from engine.intent import IntentIndex
from engine.lineage import Ancestry, Hop, RawLabelPath, effective_labels
from engine.model import (
    AccessGrant,
    ChatMessage,
    ContextItem,
    DecisionRequest,
    Effect,
    IntentCategory,
    ItemFacts,
    Principal,
    Snapshot,
)
from engine.threats.detector import ThreatAssessment, ThreatDetector, ThreatFinding
from graph import store
from graph.connection import GraphClient
from graph.content import RELATION_BY_KEY, GraphContent, relation
from graph.facts import item_facts, principal_for_key_hash
from graph.queries import LINEAGE_MAX_HOPS
from graph.snapshot import build_snapshot, load_snapshot
from loaders.bundle import Bundle
from loaders.graph_mapping import to_graph
from loaders.policy_load import load_policy_path, read_bundle
from tests.conftest import wipe

TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "golden"
ENTERPRISE = TESTS.parent / "examples" / "enterprise"

NOW = datetime(2025, 11, 3, 9, 30, tzinfo=UTC)
SECRET = b"golden-cases-secret"
PURE_VERSION = "pure"

CASE_KEYS = frozenset({"name", "policy", "principal", "request", "intent", "threats", "expect"})
REQUEST_KEYS = frozenset(
    {
        "messages",
        "prompt",
        "context",
        "purpose",
        "required_capabilities",
        "preferred_model",
        "user_region",
        "max_output_tokens",
    }
)
EXPECT_KEYS = frozenset(
    {
        "outcome",
        "reasons",
        "no_reasons",
        "reason_sentences",
        "reason_paths",
        "withheld",
        "exposed",
        "redactions",
        "route",
        "labels_include",
        "labels_exclude",
        "block_output_labels",
        "sanitized_include",
        "sanitized_exclude",
        "issues",
    }
)
ROUTE_KEYS = frozenset({"primary", "fallbacks", "rejected", "compliant", "constraints"})


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True, slots=True)
class GoldenCase:
    name: str
    source: str  # file it came from, for messages
    policy: str
    principal: str
    request: Mapping[str, Any]
    intent: IntentMatch
    expect: Mapping[str, Any]
    # Pinned threat detector scores, segment -> head -> score; None: no detector ran.
    threats: Mapping[str, Mapping[str, float]] | None = None

    @property
    def policy_dir(self) -> Path:
        return ENTERPRISE if self.policy == "enterprise" else TESTS / "data" / self.policy


def _unknown_keys(where: str, found: Mapping[str, Any], allowed: frozenset[str]) -> None:
    extra = sorted(set(found) - allowed)
    if extra:
        raise ValueError(f"{where}: unknown keys {extra} (allowed: {sorted(allowed)})")


def _parse_case(raw: Mapping[str, Any], source: str) -> GoldenCase:
    where = f"{source}: case {raw.get('name', '?')!r}"
    _unknown_keys(where, raw, CASE_KEYS)
    _unknown_keys(f"{where}.request", raw["request"], REQUEST_KEYS)
    _unknown_keys(f"{where}.expect", raw["expect"], EXPECT_KEYS)
    _unknown_keys(f"{where}.expect.route", raw["expect"].get("route") or {}, ROUTE_KEYS)
    intent = raw["intent"]
    return GoldenCase(
        name=str(raw["name"]),
        source=source,
        policy=str(raw["policy"]),
        principal=str(raw["principal"]),
        request=raw["request"],
        intent=IntentMatch(
            intent_id=str(intent["id"]),
            category=IntentCategory(intent["category"]),
            score=float(intent.get("score", 0.9)),
            signals=tuple(intent.get("signals") or ()),
        ),
        expect=raw["expect"],
        threats=raw.get("threats"),
    )


def load_cases() -> list[GoldenCase]:
    """Every case of every file: a file holds one case, or a list of them."""
    cases: list[GoldenCase] = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for raw in data if isinstance(data, list) else [data]:
            cases.append(_parse_case(raw, path.name))
    names = Counter(c.name for c in cases)
    duplicated = sorted(n for n, count in names.items() if count > 1)
    if duplicated:
        raise ValueError(f"golden case names must be unique: {duplicated}")
    # Grouped by policy directory, so the Neo4j path loads each directory once; the
    # reference enterprise last, so the graph is left as most other tests want it.
    return sorted(cases, key=lambda c: (c.policy == "enterprise", c.policy))


CASES = load_cases()


def build_request(case: GoldenCase, principal: Principal) -> DecisionRequest:
    req = case.request
    if "messages" in req:
        messages = tuple(ChatMessage(m["role"], m["content"]) for m in req["messages"])
    else:
        messages = (ChatMessage("user", req["prompt"]),)
    return DecisionRequest(
        principal=principal,
        messages=messages,
        # `repeat` makes long texts without long files (context-window cases)
        context=tuple(
            ContextItem(c["id"], c.get("text", "") * int(c.get("repeat", 1)))
            for c in req.get("context") or ()
        ),
        purpose=req.get("purpose"),
        required_capabilities=frozenset(req.get("required_capabilities") or ()),
        preferred_model=req.get("preferred_model"),
        user_region=req.get("user_region"),
        max_output_tokens=int(req.get("max_output_tokens", 1024)),
    )


FactsFor = Callable[[list[str], frozenset[str]], Mapping[str, ItemFacts]]
"""(context ids, caller's roles) -> facts: the one thing the two paths do differently."""


@dataclass(frozen=True, slots=True)
class PinnedIntent:
    """Stands in for `IntentIndex`: the core path only calls `match(text)`."""

    pinned: IntentMatch

    def match(self, text: str) -> IntentMatch:
        return self.pinned


@dataclass(frozen=True, slots=True)
class PinnedThreats:
    """Stands in for `ThreatDetector`: the core path only calls `assess(segments)`."""

    pinned: Mapping[str, Mapping[str, float]]

    def assess(self, segments: Mapping[str, object]) -> ThreatAssessment:
        return ThreatAssessment(
            "pinned",
            {
                key: {h: ThreatFinding(h, s, key, "text", 0, 0) for h, s in scores.items()}
                for key, scores in self.pinned.items()
            },
        )


def run_core(
    case: GoldenCase,
    snapshot: Snapshot,
    detector: Detector,
    principal: Principal,
    facts_for: FactsFor,
) -> Decision:
    """analyze + decide, with `facts_for(ids, roles)` supplying the item facts."""
    request = build_request(case, principal)
    threats = cast(ThreatDetector, PinnedThreats(case.threats)) if case.threats else None
    state = EngineState(
        snapshot, detector, cast(IntentIndex, PinnedIntent(case.intent)), threats=threats
    )
    analysis = analyze(request, state)
    facts = facts_for([c.id for c in request.context], principal.roles)
    return decide(
        request,
        snapshot,
        facts,
        analysis,
        decision_id=f"dec_golden_{case.name}",
        now=NOW,
        secret=SECRET,
    )


# --------------------------------------------------------------------------- pure path


@dataclass(frozen=True, slots=True)
class PureWorld:
    bundle: Bundle
    content: GraphContent
    snapshot: Snapshot
    detector: Detector


@cache
def pure_world(policy_dir: Path) -> PureWorld:
    bundle = read_bundle(policy_dir)
    content = to_graph(bundle)
    snapshot = build_snapshot(content, version=PURE_VERSION, content_hash=bundle.content_hash())
    return PureWorld(bundle, content, snapshot, Detector(snapshot.entity_types.values()))


def _targets(content: GraphContent, source: str, type_: str, target: str, of: str) -> list[str]:
    return sorted(
        e.target
        for e in content.edges.get(relation(source, type_, target).key, [])
        if e.source == of
    )


def content_principal(content: GraphContent, principal_id: str) -> Principal:
    """The principal as the content declares it (tenant, roles, role permissions)."""
    row = next(r for r in content.nodes["Principal"] if r["id"] == principal_id)
    roles = _targets(content, "Principal", "HAS_ROLE", "Role", principal_id)
    (tenant,) = _targets(content, "Principal", "MEMBER_OF", "Tenant", principal_id)
    permissions = {
        p
        for r in content.nodes.get("Role", [])
        if r["id"] in roles
        for p in r.get("permissions") or ()
    }
    return Principal(
        id=principal_id,
        tenant=tenant,
        roles=frozenset(roles),
        name=str(row.get("name") or ""),
        permissions=frozenset(permissions),
    )


def content_item_facts(
    content: GraphContent, ids: list[str], roles: frozenset[str], ancestry: Ancestry
) -> dict[str, ItemFacts]:
    """What ITEM_FACTS answers, computed from the content's edges without Neo4j.

    Paths follow PART_OF and DERIVED_FROM edges outwards (each edge at most once
    per path, at most LINEAGE_MAX_HOPS of them) to every node that HAS_LABEL.
    """
    kinds = {
        row["id"]: kind
        for kind in ("DataSource", "Document")
        for row in content.nodes.get(kind, [])
    }
    # "Kind:id" -> outgoing lineage edges (edge number, type, "Kind:id" target, removes)
    lineage: dict[str, list[tuple[int, str, str, frozenset[str]]]] = {}
    held: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    number = 0
    for key, edges in content.edges.items():
        rel = RELATION_BY_KEY[key]
        for e in edges:
            number += 1
            node = f"{rel.source}:{e.source}"
            if rel.type in ("PART_OF", "DERIVED_FROM"):
                removes = frozenset(e.props.get("removes") or ())
                target = f"{rel.target}:{e.target}"
                lineage.setdefault(node, []).append((number, rel.type, target, removes))
            if rel.type == "PART_OF":
                owner[e.source] = e.target
            if rel.type == "HAS_LABEL":
                held.setdefault(node, []).append(e.target)

    def walk(
        nodes: tuple[str, ...], hops: tuple[Hop, ...], used: frozenset[int]
    ) -> Iterator[RawLabelPath]:
        for label in held.get(nodes[-1], ()):
            yield RawLabelPath(nodes=nodes, hops=hops, label=label)
        if len(hops) == LINEAGE_MAX_HOPS:
            return
        for edge_number, type_, target, removes in lineage.get(nodes[-1], ()):
            if edge_number not in used:
                yield from walk(
                    (*nodes, target), (*hops, Hop(type_, removes)), used | {edge_number}
                )

    access = content.edges.get(relation("Role", "CAN_ACCESS", "DataSource").key, [])
    out: dict[str, ItemFacts] = {}
    for item_id in sorted(set(ids)):
        kind = kinds.get(item_id)
        if kind is None:
            out[item_id] = ItemFacts(id=item_id, found=False)
            continue
        source = item_id if kind == "DataSource" else owner[item_id]
        grants: dict[str, set[str]] = {}
        for e in access:
            if e.target == source and e.source in roles:
                grants.setdefault(e.source, set()).update(e.props.get("purposes") or ())
        out[item_id] = ItemFacts(
            id=item_id,
            found=True,
            kind=kind,
            source=source,
            labels=effective_labels(walk((f"{kind}:{item_id}",), (), frozenset()), ancestry),
            grants=tuple(AccessGrant(r, frozenset(p)) for r, p in sorted(grants.items())),
        )
    return out


def decide_pure(case: GoldenCase) -> Decision:
    world = pure_world(case.policy_dir)
    principal = content_principal(world.content, case.principal)
    return run_core(
        case,
        world.snapshot,
        world.detector,
        principal,
        lambda ids, roles: content_item_facts(
            world.content, ids, roles, world.snapshot.label_ancestry
        ),
    )


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
            self._snapshots[active.id] = (snapshot, Detector(snapshot.entity_types.values()))
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


def decide_graph(case: GoldenCase, loaded: LoadedGraph) -> Decision:
    snapshot, detector = loaded.activate(case.policy_dir)
    principal = loaded.principal(pure_world(case.policy_dir).content, case.principal)
    return run_core(
        case,
        snapshot,
        detector,
        principal,
        lambda ids, roles: item_facts(loaded.client, ids, roles, snapshot.label_ancestry),
    )


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


def unmet(decision: Decision, expect: Mapping[str, Any]) -> list[str]:
    """Every expectation the decision does not meet (empty: all met)."""
    problems: list[str] = []
    if decision.outcome.value != expect["outcome"]:
        problems.append(f"outcome {decision.outcome.value}, expected {expect['outcome']}")
    policy_ids = {r.policy_id for r in decision.reasons}
    missing = sorted(set(expect.get("reasons") or ()) - policy_ids)
    if missing:
        problems.append(f"reasons lack {missing}")
    present = sorted(set(expect.get("no_reasons") or ()) & policy_ids)
    if present:
        problems.append(f"reasons must not include {present}")
    for phrase in expect.get("reason_sentences") or ():
        if not any(phrase in r.sentence for r in decision.reasons):
            problems.append(f"no reason says {phrase!r}")
    paths = {r.policy_id: r.path for r in reversed(decision.reasons)}  # first one wins
    for policy_id, path in (expect.get("reason_paths") or {}).items():
        if paths.get(policy_id) != tuple(path):
            problems.append(f"reason {policy_id} has path {paths.get(policy_id)}, expected {path}")
    if "withheld" in expect:
        withheld = {w.item_id: w.code for w in decision.withholdings}
        if withheld != dict(expect["withheld"] or {}):
            problems.append(f"withheld {withheld}, expected {expect['withheld']}")
    if "exposed" in expect:
        exposed = sorted(e.item_id for e in decision.exposures)
        if exposed != sorted(expect["exposed"] or ()):
            problems.append(f"exposed {exposed}, expected {sorted(expect['exposed'] or ())}")
    if "redactions" in expect:
        got = Counter((r.entity_type, r.label, r.action.value) for r in decision.redactions)
        wanted = Counter(
            (r["entity_type"], r["label"], Effect(r["action"]).value)
            for r in expect["redactions"] or ()
        )
        if got != wanted:
            problems.append(
                f"redactions {sorted(got.elements())}, expected {sorted(wanted.elements())}"
            )
    problems += _unmet_route(decision, expect.get("route"))
    labels = set(decision.labels)
    lacking = sorted(set(expect.get("labels_include") or ()) - labels)
    if lacking:
        problems.append(f"labels lack {lacking}")
    extra = sorted(set(expect.get("labels_exclude") or ()) & labels)
    if extra:
        problems.append(f"labels must not include {extra}")
    blocked = sorted(expect.get("block_output_labels") or ())
    if "block_output_labels" in expect and list(decision.block_output_labels) != blocked:
        problems.append(
            f"block_output_labels {list(decision.block_output_labels)}, "
            f"expected {sorted(expect['block_output_labels'] or ())}"
        )
    texts = [m.content for m in decision.messages] + [c.text for c in decision.context]
    for needle in expect.get("sanitized_include") or ():
        if not any(needle in t for t in texts):
            problems.append(f"no sanitized text contains {needle!r}")
    for needle in expect.get("sanitized_exclude") or ():
        if any(needle in t for t in texts):
            problems.append(f"a sanitized text still contains {needle!r}")
    if "issues" in expect and len(decision.issues) != int(expect["issues"]):
        problems.append(f"{len(decision.issues)} issues, expected {expect['issues']}")
    return problems


def _unmet_route(decision: Decision, expect: Mapping[str, Any] | None) -> list[str]:
    if not expect:
        return []
    route = decision.route
    problems: list[str] = []
    if "primary" in expect and route.primary != expect["primary"]:
        problems.append(f"primary {route.primary}, expected {expect['primary']}")
    prefix = tuple(expect.get("fallbacks") or ())
    if route.fallbacks[: len(prefix)] != prefix:
        problems.append(f"fallbacks {list(route.fallbacks)} do not start with {list(prefix)}")
    # `compliant`: every candidate, in order (primary and all fallbacks)
    if "compliant" in expect and list(route.candidates) != list(expect["compliant"] or ()):
        problems.append(f"candidates {list(route.candidates)}, expected {expect['compliant']}")
    rejected = {c.model_id: c.reasons for c in route.rejected}
    for model_id, phrases in (expect.get("rejected") or {}).items():
        if model_id not in rejected:
            problems.append(f"{model_id} not rejected")
            continue
        for phrase in [phrases] if isinstance(phrases, str) else phrases:
            if not any(phrase in reason for reason in rejected[model_id]):
                problems.append(
                    f"{model_id} rejected for {list(rejected[model_id])}, not {phrase!r}"
                )
    constraints = route.constraints
    for field_name, wanted in (expect.get("constraints") or {}).items():
        got = getattr(constraints, field_name)
        if isinstance(got, frozenset):
            got = sorted(got)
            wanted = sorted(wanted)
        if got != wanted:
            problems.append(f"constraint {field_name} is {got}, expected {wanted}")
    return problems


def disagreements(a: Decision, b: Decision) -> list[str]:
    """The fields in which two decisions differ, each with both values."""
    return [
        f"{f.name}: {getattr(a, f.name)!r} != {getattr(b, f.name)!r}"
        for f in dataclasses.fields(a)
        if getattr(a, f.name) != getattr(b, f.name)
    ]


def assert_meets(decision: Decision, case: GoldenCase, path: str) -> None:
    problems = unmet(decision, case.expect)
    if problems:
        pytest.fail(
            f"{case.source}: {case.name} ({path} path)\n"
            + "\n".join(f"  - {p}" for p in problems)
            + "\n"
            + textwrap.indent(describe(decision), "    "),
            pytrace=False,
        )


# --------------------------------------------------------------------------- tests


POLICY_DIRS = sorted({c.policy_dir for c in CASES}, key=lambda p: (p == ENTERPRISE, p.name))


@pytest.mark.parametrize("policy_dir", POLICY_DIRS, ids=[p.name for p in POLICY_DIRS])
def test_when_policy_is_loaded_into_neo4j_then_its_snapshot_equals_the_pure_one(
    policy_dir: Path, golden_graph: LoadedGraph
) -> None:
    snapshot, _ = golden_graph.activate(policy_dir)
    assert dataclasses.replace(snapshot, version=PURE_VERSION) == pure_world(policy_dir).snapshot


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_when_golden_case_runs_on_the_pure_core_then_expectations_hold(case: GoldenCase) -> None:
    assert_meets(decide_pure(case), case, "pure")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_when_golden_case_runs_through_neo4j_then_it_agrees_with_the_pure_core(
    case: GoldenCase, golden_graph: LoadedGraph
) -> None:
    through_graph = decide_graph(case, golden_graph)
    assert_meets(through_graph, case, "neo4j")
    pure = decide_pure(case)
    assert (
        disagreements(dataclasses.replace(through_graph, policy_version=PURE_VERSION), pure) == []
    )


# Enterprise policies no request can make apply, and why (see the golden cases).
UNREACHABLE = {
    "deny-sar-outside-financial-crime": (
        "none of the roles it names can read a source labelled aml_sar, "
        "and no entity type indicates aml_sar"
    ),
}


def test_when_golden_cases_are_read_then_every_enterprise_policy_is_expected_somewhere() -> None:
    policies = {p.id for p in pure_world(ENTERPRISE).snapshot.policies}
    expected = {
        policy_id
        for c in CASES
        if c.policy == "enterprise"
        for policy_id in c.expect.get("reasons") or ()
    }
    assert policies - expected == set(UNREACHABLE)
