"""Table-driven tests of engine/route.py: why a candidate is rejected, and how the
compliant ones are ranked, on small snapshots built in the test (no YAML, no graph).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from engine.decide import Analysis, decide
from engine.decision import Decision, IntentMatch, RejectedCandidate, Route
from engine.model import (
    NOWHERE,
    ChatMessage,
    DecisionRequest,
    Effect,
    IntentCategory,
    ModelSpec,
    PolicySpec,
    Principal,
    ProviderSpec,
    RouteConstraints,
    Snapshot,
    Task,
)
from engine.route import MAX_FALLBACKS, RouteNeeds, estimate_tokens, plan_route


def provider(
    pid: str = "p",
    regions: tuple[str, ...] = ("eu-west",),
    jurisdictions: tuple[str, ...] = ("eu",),
    certifications: tuple[str, ...] = (),
    trains_on_data: bool = False,
    retention_days: int = 0,
) -> ProviderSpec:
    return ProviderSpec(
        id=pid,
        name=pid,
        regions=frozenset(regions),
        jurisdictions=frozenset(jurisdictions),
        certifications=frozenset(certifications),
        trains_on_data=trains_on_data,
        retention_days=retention_days,
    )


def model(
    mid: str = "m",
    provider_id: str = "p",
    capabilities: tuple[str, ...] = ("chat",),
    context_window: int = 100_000,
    cost: float = 1.0,
    latency_ms: int = 500,
) -> ModelSpec:
    return ModelSpec(
        id=mid,
        name=mid,
        provider=provider_id,
        upstream_name=mid,
        capabilities=frozenset(capabilities),
        context_window=context_window,
        input_cost_per_mtok=cost,
        output_cost_per_mtok=cost,
        latency_ms=latency_ms,
    )


def snapshot(providers: list[ProviderSpec], models: list[ModelSpec]) -> Snapshot:
    return Snapshot(
        version="test",
        content_hash="",
        labels={},
        entity_types={},
        intents={},
        providers={p.id: p for p in providers},
        models={m.id: m for m in models},
        policies=(),
    )


NEEDS = RouteNeeds(capabilities=frozenset({"chat"}), input_tokens=100, output_tokens=100)


# --------------------------------------------------------------------------- rejections

REJECTIONS: list[
    tuple[str, dict[str, Any], dict[str, Any], dict[str, Any], RouteConstraints, tuple[str, ...]]
] = [
    # (condition, provider fields, model fields, needs fields, constraints, reasons)
    ("compliant", {}, {}, {}, RouteConstraints(), ()),
    (
        "lacks a capability",
        {},
        {},
        {"capabilities": frozenset({"chat", "vision"})},
        RouteConstraints(),
        ("lacks capability vision",),
    ),
    (
        "lacks several capabilities, listed in order",
        {},
        {"capabilities": ()},
        {"capabilities": frozenset({"vision", "chat", "code"})},
        RouteConstraints(),
        ("lacks capability chat, code, vision",),
    ),
    (
        "context window smaller than input plus output",
        {},
        {"context_window": 1_000},
        {"input_tokens": 900, "output_tokens": 200},
        RouteConstraints(),
        ("context window 1000 < 1100 tokens needed",),
    ),
    (
        "context window exactly enough",
        {},
        {"context_window": 1_100},
        {"input_tokens": 900, "output_tokens": 200},
        RouteConstraints(),
        (),
    ),
    (
        "model forbidden",
        {},
        {},
        {},
        RouteConstraints(forbid_models=frozenset({"m"})),
        ("model is forbidden by policy",),
    ),
    (
        "provider forbidden",
        {},
        {},
        {},
        RouteConstraints(forbid_providers=frozenset({"p"})),
        ("provider p is forbidden by policy",),
    ),
    (
        "jurisdiction not allowed",
        {"regions": ("us-east",), "jurisdictions": ("us",)},
        {},
        {},
        RouteConstraints(jurisdictions=frozenset({"eu"})),
        ("provider p processes data in us; allowed jurisdictions: eu",),
    ),
    (
        "one of the provider's jurisdictions not allowed",
        {"regions": ("eu-west", "us-east"), "jurisdictions": ("eu", "us")},
        {},
        {},
        RouteConstraints(jurisdictions=frozenset({"eu"})),
        ("provider p processes data in eu, us; allowed jurisdictions: eu",),
    ),
    (
        "every jurisdiction of the provider allowed",
        {"regions": ("eu-west", "us-east"), "jurisdictions": ("eu", "us")},
        {},
        {},
        RouteConstraints(jurisdictions=frozenset({"eu", "us", "uk"})),
        (),
    ),
    (
        "no jurisdiction allowed (empty intersection)",
        {},
        {},
        {},
        RouteConstraints(jurisdictions=frozenset({NOWHERE})),
        ("provider p processes data in eu; allowed jurisdictions: none",),
    ),
    (
        "a provider of unknown location fails a jurisdiction constraint",
        {"regions": (), "jurisdictions": ()},
        {},
        {},
        RouteConstraints(jurisdictions=frozenset({"eu"})),
        ("provider p processes data in an unknown jurisdiction; allowed jurisdictions: eu",),
    ),
    (
        "a provider of unknown location fails an empty intersection",
        {"regions": (), "jurisdictions": ()},
        {},
        {},
        RouteConstraints(jurisdictions=frozenset({NOWHERE})),
        ("provider p processes data in an unknown jurisdiction; allowed jurisdictions: none",),
    ),
    (
        "a provider of unknown location is fine without constraints",
        {"regions": (), "jurisdictions": ()},
        {},
        {},
        RouteConstraints(),
        (),
    ),
    (
        "one of the provider's regions not allowed",
        {"regions": ("eu-west", "eu-central")},
        {},
        {},
        RouteConstraints(regions=frozenset({"eu-central"})),
        ("provider p is hosted in eu-central, eu-west; allowed regions: eu-central",),
    ),
    (
        "every region allowed",
        {"regions": ("eu-west", "eu-central")},
        {},
        {},
        RouteConstraints(regions=frozenset({"eu-central", "eu-west"})),
        (),
    ),
    (
        "no region allowed (empty intersection)",
        {},
        {},
        {},
        RouteConstraints(regions=frozenset({NOWHERE})),
        ("provider p is hosted in eu-west; allowed regions: none",),
    ),
    (
        "a provider of unknown region fails a region constraint",
        {"regions": (), "jurisdictions": ()},
        {},
        {},
        RouteConstraints(regions=frozenset({"eu-west"})),
        ("provider p is hosted in an unknown region; allowed regions: eu-west",),
    ),
    (
        "missing certifications, listed in order",
        {"certifications": ("soc2",)},
        {},
        {},
        RouteConstraints(certifications=frozenset({"pci_dss", "hipaa", "soc2"})),
        ("provider p lacks certification hipaa, pci_dss",),
    ),
    (
        "holds every required certification",
        {"certifications": ("soc2", "pci_dss")},
        {},
        {},
        RouteConstraints(certifications=frozenset({"pci_dss"})),
        (),
    ),
    (
        "trains on data when training is forbidden",
        {"trains_on_data": True},
        {},
        {},
        RouteConstraints(no_training=True),
        ("provider p trains on customer data",),
    ),
    (
        "trains on data when training is allowed",
        {"trains_on_data": True},
        {},
        {},
        RouteConstraints(),
        (),
    ),
    (
        "retains longer than allowed",
        {"retention_days": 30},
        {},
        {},
        RouteConstraints(max_retention_days=7),
        ("provider p retains data 30 days (policy maximum 7)",),
    ),
    (
        "retains exactly as long as allowed",
        {"retention_days": 7},
        {},
        {},
        RouteConstraints(max_retention_days=7),
        (),
    ),
    (
        "zero retention allowed: one day is too long",
        {"retention_days": 1},
        {},
        {},
        RouteConstraints(max_retention_days=0),
        ("provider p retains data 1 days (policy maximum 0)",),
    ),
    (
        "zero retention allowed: a zero-retention provider",
        {"retention_days": 0},
        {},
        {},
        RouteConstraints(max_retention_days=0),
        (),
    ),
    (
        "no retention limit",
        {"retention_days": 3650},
        {},
        {},
        RouteConstraints(),
        (),
    ),
    (
        "every reason at once, in a fixed order",
        {
            "regions": ("us-east",),
            "jurisdictions": ("us",),
            "trains_on_data": True,
            "retention_days": 90,
        },
        {"capabilities": (), "context_window": 10},
        {},
        RouteConstraints(
            jurisdictions=frozenset({"eu"}),
            regions=frozenset({"eu-west"}),
            certifications=frozenset({"pci_dss"}),
            forbid_providers=frozenset({"p"}),
            forbid_models=frozenset({"m"}),
            no_training=True,
            max_retention_days=30,
        ),
        (
            "lacks capability chat",
            "context window 10 < 200 tokens needed",
            "model is forbidden by policy",
            "provider p is forbidden by policy",
            "provider p processes data in us; allowed jurisdictions: eu",
            "provider p is hosted in us-east; allowed regions: eu-west",
            "provider p lacks certification pci_dss",
            "provider p trains on customer data",
            "provider p retains data 90 days (policy maximum 30)",
        ),
    ),
]


@pytest.mark.parametrize(
    ("provider_fields", "model_fields", "needs_fields", "constraints", "reasons"),
    [row[1:] for row in REJECTIONS],
    ids=[row[0] for row in REJECTIONS],
)
def test_when_a_candidate_breaks_a_constraint_then_it_is_rejected_with_every_reason(
    provider_fields: dict[str, Any],
    model_fields: dict[str, Any],
    needs_fields: dict[str, Any],
    constraints: RouteConstraints,
    reasons: tuple[str, ...],
) -> None:
    snap = snapshot([provider(**provider_fields)], [model(**model_fields)])
    route = plan_route(snap, replace(NEEDS, **needs_fields), constraints, ())
    if reasons:
        assert route == Route(
            primary=None,
            rejected=(RejectedCandidate("m", "p", reasons),),
            constraints=constraints,
        )
    else:
        assert route == Route(primary="m", constraints=constraints)


def test_when_a_model_names_an_unknown_provider_then_it_is_rejected() -> None:
    route = plan_route(snapshot([], [model(provider_id="ghost")]), NEEDS, RouteConstraints(), ())
    assert route.rejected == (
        RejectedCandidate("m", "ghost", ("provider ghost is not in the active policy content",)),
    )
    assert route.primary is None


# --------------------------------------------------------------------------- ranking

# cheap: lowest cost; fast: lowest latency; local: the only one in us-east.
RANKED_PROVIDERS = [
    provider("eu1"),
    provider("eu2", regions=("eu-central",)),
    provider("us1", regions=("us-east",), jurisdictions=("us",)),
]
RANKED_MODELS = [
    model("cheap", "eu1", cost=0.1, latency_ms=900),
    model("fast", "eu2", cost=2.0, latency_ms=100),
    model("local", "us1", cost=1.0, latency_ms=500),
]

RANKING: list[tuple[str, dict[str, Any], tuple[tuple[str, ...], tuple[str, ...]], list[str]]] = [
    # (condition, needs fields, (policy models, policy providers), expected order)
    ("cost decides when nothing else does", {}, ((), ()), ["cheap", "local", "fast"]),
    (
        "the user's region before cost",
        {"user_region": "us-east"},
        ((), ()),
        ["local", "cheap", "fast"],
    ),
    (
        "the request's preferred model before the user's region",
        {"user_region": "us-east", "preferred_model": "fast"},
        ((), ()),
        ["fast", "local", "cheap"],
    ),
    (
        "a policy's preferred provider before the request's preferred model",
        {"preferred_model": "local"},
        ((), ("eu2",)),
        ["fast", "local", "cheap"],
    ),
    (
        "a policy's preferred model before its preferred provider",
        {},
        (("local",), ("eu2",)),
        ["local", "fast", "cheap"],
    ),
    (
        "preferred models in the policies' order",
        {},
        (("fast", "local"), ()),
        ["fast", "local", "cheap"],
    ),
    (
        "a preferred model that is not compliant is skipped",
        {},
        (("ghost", "local"), ()),
        ["local", "cheap", "fast"],
    ),
]


@pytest.mark.parametrize(
    ("needs_fields", "preferred", "order"),
    [row[1:] for row in RANKING],
    ids=[row[0] for row in RANKING],
)
def test_when_candidates_are_compliant_then_preference_region_cost_latency_rank_them(
    needs_fields: dict[str, Any],
    preferred: tuple[tuple[str, ...], tuple[str, ...]],
    order: list[str],
) -> None:
    snap = snapshot(RANKED_PROVIDERS, RANKED_MODELS)
    route = plan_route(snap, replace(NEEDS, **needs_fields), RouteConstraints(), (preferred,))
    assert list(route.candidates) == order
    assert route.rejected == ()


TIES = [
    # (condition, models, expected order)
    (
        "latency breaks a cost tie",
        [model("slow", cost=1.0, latency_ms=900), model("quick", cost=1.0, latency_ms=100)],
        ["quick", "slow"],
    ),
    (
        "the id breaks a full tie",
        [model("b", cost=1.0, latency_ms=100), model("a", cost=1.0, latency_ms=100)],
        ["a", "b"],
    ),
    (
        "cost counts input and output tokens",
        [
            # 100 in + 100 out: 100*0.1 + 100*5 = 510 against 100*3 + 100*1 = 400
            replace(model("cheap-in"), input_cost_per_mtok=0.1, output_cost_per_mtok=5.0),
            replace(model("cheap-out"), input_cost_per_mtok=3.0, output_cost_per_mtok=1.0),
        ],
        ["cheap-out", "cheap-in"],
    ),
]


@pytest.mark.parametrize(
    ("models", "order"), [row[1:] for row in TIES], ids=[row[0] for row in TIES]
)
def test_when_candidates_tie_then_latency_then_id_decide(
    models: list[ModelSpec], order: list[str]
) -> None:
    route = plan_route(snapshot([provider()], models), NEEDS, RouteConstraints(), ())
    assert list(route.candidates) == order


def test_when_many_candidates_comply_then_only_max_fallbacks_follow_the_primary() -> None:
    models = [model(f"m{i}", cost=float(i)) for i in range(MAX_FALLBACKS + 3)]
    losers = [model("big-only", capabilities=("embeddings",))]
    route = plan_route(snapshot([provider()], models + losers), NEEDS, RouteConstraints(), ())
    assert route.primary == "m0"
    assert route.fallbacks == tuple(f"m{i}" for i in range(1, MAX_FALLBACKS + 1))
    # the compliant models that did not fit are not "rejected": only losers are
    assert [c.model_id for c in route.rejected] == ["big-only"]


def test_when_no_candidate_complies_then_the_route_is_empty_and_keeps_its_constraints() -> None:
    constraints = RouteConstraints(jurisdictions=frozenset({"us"}), max_retention_days=0)
    route = plan_route(snapshot(RANKED_PROVIDERS[:2], RANKED_MODELS[:2]), NEEDS, constraints, ())
    assert route.primary is None
    assert route.fallbacks == ()
    assert [c.model_id for c in route.rejected] == ["cheap", "fast"]
    assert route.constraints == constraints


ESTIMATES = [(0, 0), (1, 1), (4, 1), (5, 2), (8, 2), (4001, 1001)]


@pytest.mark.parametrize(("chars", "tokens"), ESTIMATES, ids=[f"{c} chars" for c, _ in ESTIMATES])
def test_when_tokens_are_estimated_then_four_characters_make_a_token_rounded_up(
    chars: int, tokens: int
) -> None:
    assert estimate_tokens(chars) == tokens


# --------------------------------------------------------------------------- tasks


def embedding_request(task: Task) -> Decision:
    """Two inputs of 100 characters (25 tokens each) under one allow-all policy."""
    snap = replace(
        snapshot(
            [provider()],
            [
                model("chat-m"),
                model("embed-small", capabilities=("embeddings",), context_window=30),
                model("embed-big", capabilities=("embeddings",), context_window=1_000, cost=9),
            ],
        ),
        policies=(PolicySpec(id="allow-all", description="everyone", effect=Effect.ALLOW),),
        capabilities=frozenset({"chat", "embeddings"}),  # the graph names both
    )
    request = DecisionRequest(
        principal=Principal(id="alice", tenant="t", roles=frozenset({"r"})),
        messages=(ChatMessage("user", "x" * 100), ChatMessage("user", "y" * 100)),
        max_output_tokens=10,
        task=task,
    )
    analysis = Analysis(intent=IntentMatch("unknown", IntentCategory.BUSINESS, 0.0), texts={})
    return decide(
        request, snap, {}, analysis, decision_id="dec_task", now=datetime.now(UTC), secret=b"s"
    )


def test_when_texts_are_to_be_embedded_then_only_embedders_with_room_for_the_longest_qualify() -> (
    None
):
    decision = embedding_request(Task.EMBEDDINGS)
    # embed-small holds 30 tokens: each input (25), not their sum (50); cheaper, so first.
    assert decision.route.candidates == ("embed-small", "embed-big")
    assert {c.model_id: c.reasons for c in decision.route.rejected} == {
        "chat-m": ("lacks capability embeddings",)
    }


def test_when_the_same_texts_are_a_chat_then_no_embedder_qualifies() -> None:
    decision = embedding_request(Task.CHAT)
    assert decision.route.candidates == ("chat-m",)
    assert {c.model_id for c in decision.route.rejected} == {"embed-small", "embed-big"}
