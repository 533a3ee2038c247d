"""A policy's `cache:` and `balance:` settings (engine.serving says what they mean).

Both are optional and off by default; they are chosen by the policy's scope like any
obligation, so a `constrain` policy scoped to a tenant and purpose is the usual way
to turn them on::

    policies:
      - id: support-answers-reusable
        description: Support answers may be served again for ten minutes.
        effect: constrain
        applies_to: {tenants: [acme], purposes: [support]}
        cache:
          ttl_seconds: 600           # 1 s to 7 days
          max_temperature: 0         # requests up to this temperature are cached
          semantic_threshold: 0.96   # optional: serve paraphrases this similar (0.5-1)
        balance:                     # order the candidates by measured health
          - {model: gpt-eu, weight: 3}
          - {model: mistral-eu, weight: 1}   # unlisted candidates weigh 1

`balance` names models (checked against `models` like every reference); an empty list
balances with equal weights: `balance: []`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from engine.serving import decode_weight, encode_weight

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$")]

MAX_CACHE_TTL_S = 7 * 24 * 3600
"""An answer is reused for a week at most: long enough for any FAQ, short enough that
a stale answer cannot outlive a review of the content it came from."""
MAX_WEIGHT = 1000.0
MIN_SEMANTIC_THRESHOLD = 0.5
"""Below this MiniLM calls unrelated questions on one topic alike: no cache should."""
RECOMMENDED_SEMANTIC_THRESHOLD = 0.96


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class PolicyCache(_Spec):
    ttl_seconds: int = Field(
        ge=1, le=MAX_CACHE_TTL_S, description="How long a stored answer may be served again."
    )
    semantic_threshold: float | None = Field(
        default=None,
        ge=MIN_SEMANTIC_THRESHOLD,
        le=1,
        description="Also serve the answer to a paraphrase: the cosine similarity of the "
        "prompt embeddings (the last user turn, everything else equal) at least this. "
        f"Absent: exact match only. {RECOMMENDED_SEMANTIC_THRESHOLD} is the measured "
        "recommendation (bench/cache.py, docs/gateway.md).",
    )
    max_temperature: float = Field(
        default=0.0,
        ge=0,
        le=2,
        description="Requests sampled at a higher temperature are never cached.",
    )


class BalanceWeight(_Spec):
    model: Id
    weight: float = Field(
        gt=0, le=MAX_WEIGHT, description="Relative share: a model of weight 2 may be twice as slow."
    )


def serving_properties(policy: dict[str, Any]) -> dict[str, Any]:
    """A validated policy's `cache` and `balance` as Policy node properties
    (engine.serving.CACHE_PROPERTIES, BALANCE_PROPERTIES); nothing when it sets neither."""
    out: dict[str, Any] = {}
    cache = policy.get("cache")
    if cache is not None:
        out["cache_ttl_seconds"] = cache["ttl_seconds"]
        out["cache_semantic_threshold"] = cache["semantic_threshold"]
        out["cache_max_temperature"] = cache["max_temperature"]
    balance = policy.get("balance")
    if balance is not None:
        out["balances"] = True
        out["balance_weights"] = [encode_weight(w["model"], w["weight"]) for w in balance]
    return out


def serving_settings(node: dict[str, Any]) -> dict[str, Any]:
    """The inverse of `serving_properties`: a Policy node's properties as YAML fields."""
    out: dict[str, Any] = {}
    if node.get("cache_ttl_seconds") is not None:
        out["cache"] = {
            "ttl_seconds": node["cache_ttl_seconds"],
            "semantic_threshold": node.get("cache_semantic_threshold"),
            "max_temperature": node.get("cache_max_temperature", 0.0),
        }
    if node.get("balances"):
        out["balance"] = [
            {"model": model, "weight": weight}
            for model, weight in map(decode_weight, node.get("balance_weights") or [])
        ]
    return out
