"""The pure side of human review: the verdict's precedence (deny beats review beats
allow), the hold's TTL, and the held request's round trip (engine/review.py); and the
loader refusing a review TTL where it means nothing. No graph, no HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from engine.decision import (
    Decision,
    IntentMatch,
    Outcome,
    Reason,
    Redaction,
    Route,
    RuleIssue,
    SanitizedContext,
    SanitizedMessage,
)
from engine.model import Effect, IntentCategory, PolicySpec, Principal, Snapshot
from engine.policy import Applicable, verdict
from engine.review import (
    DEFAULT_REVIEW_TTL_S,
    ReviewKind,
    decision_from_held,
    held_request,
    hold_for,
)
from loaders.spec import Policy

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def policy(pid: str, effect: Effect, ttl_s: int | None = None) -> PolicySpec:
    return PolicySpec(id=pid, description=f"{pid} applies.", effect=effect, review_ttl_s=ttl_s)


def snapshot(*policies: PolicySpec) -> Snapshot:
    return Snapshot(
        version="v1",
        content_hash="",
        labels={},
        entity_types={},
        intents={},
        providers={},
        models={},
        policies=policies,
    )


def judged(*policies: PolicySpec, issues: tuple[RuleIssue, ...] = ()) -> tuple[bool, bool]:
    applicable = tuple(Applicable(p, (f"Policy:{p.id}",)) for p in policies)
    v = verdict(applicable, issues, snapshot(*policies))
    return v.deny, v.held


@pytest.mark.parametrize(
    ("effects", "deny", "held"),
    [
        ((Effect.ALLOW,), False, False),
        ((Effect.ALLOW, Effect.REVIEW), False, True),
        ((Effect.ALLOW, Effect.REVIEW, Effect.DENY), True, False),  # deny beats review
        ((Effect.REVIEW,), True, False),  # a review never creates a permit: default deny
        ((Effect.DENY, Effect.REVIEW), True, False),
    ],
)
def test_when_policies_combine_then_deny_beats_review_beats_allow(
    effects: tuple[Effect, ...], deny: bool, held: bool
) -> None:
    policies = tuple(policy(f"p{i}-{e.value}", e) for i, e in enumerate(effects))

    assert judged(*policies) == (deny, held)


def test_when_a_review_policy_errored_then_the_allowed_request_is_held_anyway() -> None:
    allow, broken = policy("allow-all", Effect.ALLOW), policy("review-x", Effect.REVIEW)
    issue = RuleIssue("review-x", "could not be evaluated: KeyError('x')")
    applicable = (Applicable(allow, ("Policy:allow-all",)),)

    v = verdict(applicable, (issue,), snapshot(allow, broken))

    assert v.held
    assert v.review[0].policy_id == "review-x"
    assert "could not be evaluated" in v.review[0].sentence


def test_when_several_reviews_apply_then_the_shortest_ttl_wins_and_reasons_lead() -> None:
    policies = (
        policy("allow-all", Effect.ALLOW),
        policy("review-long", Effect.REVIEW, 7200),
        policy("review-short", Effect.REVIEW, 600),
    )
    applicable = tuple(Applicable(p, (f"Policy:{p.id}",)) for p in policies)

    v = verdict(applicable, (), snapshot(*policies))

    assert v.review_ttl_s == 600
    assert [r.policy_id for r in v.reasons] == ["review-long", "review-short", "allow-all"]


def held_decision(ttl_s: int | None) -> Decision:
    return Decision(
        id="dec_" + "a" * 32,
        created_at=NOW,
        principal_id="p1",
        tenant_id="acme",
        outcome=Outcome.REVIEW,
        reasons=(Reason("review-x", Effect.REVIEW, "Checked first."),),
        intent=IntentMatch("summarize", IntentCategory.BUSINESS, 0.8),
        messages=(SanitizedMessage("user", "Mail <EMAIL_ADDRESS> the report"),),
        context=(SanitizedContext("doc-1", "figures"),),
        exposures=(),
        withholdings=(),
        redactions=(
            Redaction("messages[0]", 5, 18, "EMAIL_ADDRESS", "email", Effect.REDACT, "<E>"),
        ),
        labels=("email",),
        route=Route(primary="m1", fallbacks=("m2",)),
        policy_version="v1",
        prompt_sha256="0" * 64,
        label_actions=(("email", Effect.REDACT, "redact-email"),),
        review_ttl_s=ttl_s,
    )


PRINCIPAL = Principal(id="p1", tenant="acme", roles=frozenset({"analyst"}), name="P One")


def test_when_a_decision_is_held_then_it_expires_after_its_ttl_or_the_default() -> None:
    assert hold_for(
        held_decision(900), PRINCIPAL, ReviewKind.CHAT, {}
    ).expires_at == NOW + timedelta(seconds=900)
    default = hold_for(held_decision(None), PRINCIPAL, ReviewKind.CHAT, {})
    assert default.expires_at == NOW + timedelta(seconds=DEFAULT_REVIEW_TTL_S)


def test_when_a_held_request_is_read_back_then_it_serves_the_same_redacted_request() -> None:
    held = held_decision(900)

    decision, principal = decision_from_held(held_request(held, PRINCIPAL, {"model": "auto"}))

    assert decision.outcome is Outcome.ALLOW_WITH_REDACTIONS  # redacted: allowed with them
    assert decision.allowed
    assert not decision.held
    assert decision.messages == held.messages
    assert decision.context == held.context
    assert decision.route.candidates == ("m1", "m2")
    assert decision.label_actions == held.label_actions
    assert decision.redactions == held.redactions
    assert principal == PRINCIPAL


def test_when_a_decision_is_not_held_then_hold_for_refuses_it() -> None:
    from dataclasses import replace

    with pytest.raises(ValueError, match="not held for review"):
        hold_for(
            replace(held_decision(None), outcome=Outcome.ALLOW), PRINCIPAL, ReviewKind.CHAT, {}
        )


def test_when_a_non_review_policy_sets_a_review_ttl_then_the_loader_says_so() -> None:
    with pytest.raises(ValidationError, match="review_ttl_minutes is for effect 'review'"):
        Policy.model_validate(
            {"id": "p", "description": "d", "effect": "allow", "review_ttl_minutes": 5}
        )
    with pytest.raises(ValidationError, match="less than or equal to 10080"):
        Policy.model_validate(
            {"id": "p", "description": "d", "effect": "review", "review_ttl_minutes": 10081}
        )
