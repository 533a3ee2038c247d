"""Compliant routing: which models may serve a request, in which order.

A candidate must have every capability the request needs, a context window big
enough for it, and a provider that satisfies every route constraint. Compliant
candidates are ranked by policy preference, then the caller's preferred model,
then estimated cost, then typical latency. Every loser is listed with all of its
reasons. Endpoint health (circuit breakers) is not an input: the same request gets
the same route on every replica, and the gateway reorders the candidates by
breaker state afterwards (api/gateway/breaker.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.decision import RejectedCandidate, Route
from engine.model import NOWHERE, ModelSpec, Preference, ProviderSpec, RouteConstraints, Snapshot

MAX_FALLBACKS = 4


@dataclass(frozen=True, slots=True)
class RouteNeeds:
    capabilities: frozenset[str]
    input_tokens: int
    output_tokens: int
    preferred_model: str | None = None
    user_region: str | None = None


def estimate_tokens(text_chars: int) -> int:
    """~4 characters per token for English; rounded up so windows are never overfilled."""
    return (text_chars + 3) // 4


def plan_route(
    snapshot: Snapshot,
    needs: RouteNeeds,
    constraints: RouteConstraints,
    preferred: Sequence[Preference],
) -> Route:
    compliant: list[ModelSpec] = []
    rejected: list[RejectedCandidate] = []
    for model in sorted(snapshot.models.values(), key=lambda m: m.id):
        provider = snapshot.providers.get(model.provider)
        reasons = _rejections(model, provider, needs, constraints)
        if reasons:
            rejected.append(RejectedCandidate(model.id, model.provider, reasons))
        else:
            compliant.append(model)

    def rank(model: ModelSpec) -> tuple[float, ...]:
        provider = snapshot.providers[model.provider]
        return (
            *(_tier_position(model, tier) for tier in preferred),
            0 if model.id == needs.preferred_model else 1,
            0 if needs.user_region and needs.user_region in provider.regions else 1,
            _cost(model, needs),
            model.latency_ms,
        )

    ordered = sorted(compliant, key=lambda m: (rank(m), m.id))
    if not ordered:
        return Route(primary=None, rejected=tuple(rejected), constraints=constraints)
    return Route(
        primary=ordered[0].id,
        fallbacks=tuple(m.id for m in ordered[1 : 1 + MAX_FALLBACKS]),
        rejected=tuple(rejected),
        constraints=constraints,
    )


def _rejections(
    model: ModelSpec, provider: ProviderSpec | None, needs: RouteNeeds, c: RouteConstraints
) -> tuple[str, ...]:
    if provider is None:
        return (f"provider {model.provider} is not in the active policy content",)
    reasons: list[str] = []
    missing = sorted(needs.capabilities - model.capabilities)
    if missing:
        reasons.append(f"lacks capability {', '.join(missing)}")
    needed = needs.input_tokens + needs.output_tokens
    if needed > model.context_window:
        reasons.append(f"context window {model.context_window} < {needed} tokens needed")
    if model.id in c.forbid_models:
        reasons.append("model is forbidden by policy")
    if provider.id in c.forbid_providers:
        reasons.append(f"provider {provider.id} is forbidden by policy")
    # Every place a provider may process data must be allowed, not just one of them; a
    # provider whose places are unknown satisfies no residency constraint (fail closed).
    if c.jurisdictions and not (
        provider.jurisdictions and provider.jurisdictions <= c.jurisdictions
    ):
        allowed = ", ".join(sorted(c.jurisdictions - {NOWHERE})) or "none"
        where = ", ".join(sorted(provider.jurisdictions)) or "an unknown jurisdiction"
        reasons.append(
            f"provider {provider.id} processes data in {where}; allowed jurisdictions: {allowed}"
        )
    if c.regions and not (provider.regions and provider.regions <= c.regions):
        allowed = ", ".join(sorted(c.regions - {NOWHERE})) or "none"
        where = ", ".join(sorted(provider.regions)) or "an unknown region"
        reasons.append(f"provider {provider.id} is hosted in {where}; allowed regions: {allowed}")
    missing_certs = sorted(c.certifications - provider.certifications)
    if missing_certs:
        reasons.append(f"provider {provider.id} lacks certification {', '.join(missing_certs)}")
    if c.no_training and provider.trains_on_data:
        reasons.append(f"provider {provider.id} trains on customer data")
    if c.max_retention_days is not None and provider.retention_days > c.max_retention_days:
        reasons.append(
            f"provider {provider.id} retains data {provider.retention_days} days "
            f"(policy maximum {c.max_retention_days})"
        )
    return tuple(reasons)


def _tier_position(model: ModelSpec, tier: Preference) -> int:
    """A policy's preferred models first, then models of its preferred providers."""
    models, providers = tier
    if model.id in models:
        return models.index(model.id)
    if model.provider in providers:
        return len(models) + providers.index(model.provider)
    return len(models) + len(providers)


def _cost(model: ModelSpec, needs: RouteNeeds) -> float:
    return (
        needs.input_tokens * model.input_cost_per_mtok
        + needs.output_tokens * model.output_cost_per_mtok
    ) / 1_000_000
