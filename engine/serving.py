"""What policies say about serving an allowed request: reuse an answer, spread the load.

Two settings a policy may carry besides its effect, both chosen by the same scope
rule as every other obligation (the policy applies to the request):

- `CacheRule`: the gateway may answer from a stored answer to the same sanitized
  request for `ttl_s` seconds. Several applicable rules combine to the most
  restrictive: the shortest TTL, the lowest temperature still cached, and semantic
  matching only when every rule allows it, at the highest threshold any asks for.
- `BalanceRule`: the gateway orders the route's candidates by measured health
  (api/gateway/balance.py), each model's score divided by its weight here. The
  highest-priority applicable policy that balances decides; the others are ignored
  (weights from two policies have no meaning together).

Neither changes which models are compliant: the route is the decision's, and only
its candidates are ever called.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DEFAULT_WEIGHT = 1.0
"""The weight of a candidate a balancing policy does not list."""


@dataclass(frozen=True, slots=True)
class CacheRule:
    ttl_s: int
    # Cosine similarity (0-1] of the prompt embeddings for a semantic hit; None: exact only.
    semantic_threshold: float | None = None
    # Requests up to this temperature are cached (default 0: deterministic ones only).
    max_temperature: float = 0.0
    policies: tuple[str, ...] = ()  # the policies that set it, for provenance


@dataclass(frozen=True, slots=True)
class BalanceRule:
    weights: tuple[tuple[str, float], ...] = ()  # (model id, weight > 0)
    policy_id: str = ""

    def weight(self, model_id: str) -> float:
        return dict(self.weights).get(model_id, DEFAULT_WEIGHT)

    @property
    def by_model(self) -> Mapping[str, float]:
        return dict(self.weights)


def combine_cache(rules: Iterable[tuple[str, CacheRule]]) -> CacheRule | None:
    """The most restrictive of the (policy id, rule) pairs; None when there are none."""
    found = list(rules)
    if not found:
        return None
    thresholds = [rule.semantic_threshold for _, rule in found]
    semantic = None if any(t is None for t in thresholds) else max(t for t in thresholds if t)
    return CacheRule(
        ttl_s=min(rule.ttl_s for _, rule in found),
        semantic_threshold=semantic,
        max_temperature=min(rule.max_temperature for _, rule in found),
        policies=tuple(sorted(policy_id for policy_id, _ in found)),
    )


def first_balance(rules: Iterable[tuple[str, BalanceRule]]) -> BalanceRule | None:
    """The first (highest-priority) balancing rule, named after its policy."""
    for policy_id, rule in rules:
        return BalanceRule(rule.weights, policy_id)
    return None


# How the graph stores the two rules: plain properties of the Policy node, so that a
# snapshot, the YAML export and the RDF export read them without extra edges.
CACHE_PROPERTIES = ("cache_ttl_seconds", "cache_semantic_threshold", "cache_max_temperature")
BALANCE_PROPERTIES = ("balances", "balance_weights")


def encode_weight(model_id: str, weight: float) -> str:
    """One weight as the graph stores it: ``model=weight``."""
    return f"{model_id}={weight:g}"


def decode_weight(value: str) -> tuple[str, float]:
    model_id, sep, weight = value.rpartition("=")
    if not sep or not model_id:
        raise ValueError(f"balance weight {value!r} is not 'model=weight'")
    return model_id, float(weight)


def rules_from_properties(row: Mapping[str, object]) -> tuple[CacheRule | None, BalanceRule | None]:
    """A Policy node's properties as its serving rules (None where it sets none)."""
    cache = None
    ttl = row.get("cache_ttl_seconds")
    if isinstance(ttl, int):
        threshold = row.get("cache_semantic_threshold")
        temperature = row.get("cache_max_temperature")
        cache = CacheRule(
            ttl_s=ttl,
            semantic_threshold=float(threshold) if isinstance(threshold, int | float) else None,
            max_temperature=float(temperature) if isinstance(temperature, int | float) else 0.0,
        )
    balance = None
    if row.get("balances"):
        weights = row.get("balance_weights") or ()
        assert isinstance(weights, list | tuple)
        balance = BalanceRule(tuple(decode_weight(str(w)) for w in weights))
    return cache, balance
