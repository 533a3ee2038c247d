"""The `drift:` section of the policy files: when served traffic has moved too far.

One item per PolicySet; every field is optional and `limits` only lists what differs
from the defaults (lifecycle.drift.DEFAULT_LIMITS)::

    drift:
      - id: default
        window_minutes: 60          # the recent window a canary is judged on
        baseline_minutes: 1440      # the previous version's traffic before an activation
        watch_hours: 24             # how long after activation a version is on probation
        min_decisions: 200          # per side and per group (tenant, intent) before judging
        threat_score: 0.5           # a decision is a threat when the detector scored this
        limits:
          - metric: deny_rate
            max_increase: 0.10      # absolute: ten percentage points
            max_ratio: 1.5          # relative: half as many denials again
          - metric: upstream_latency_p95_ms
            max_ratio: 2.0
            action: alert           # report, never roll back

A limit with both `max_increase` and `max_ratio` is breached only when both are
exceeded: a rate going from 0.1 % to 0.4 % is four times larger and still nothing,
one going from 40 % to 45 % is five points and no surprise. The check itself is
lifecycle.drift; thresholds are read from the version a change is compared with (the
active version for a canary, the previous one for a new activation), so a change can
never loosen the limits it is judged by.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$")]


class DriftMetric(StrEnum):
    DENY_RATE = "deny_rate"  # share of decisions denied, overall, per tenant, per intent
    THREAT_RATE = "threat_rate"  # share the detector scored >= threat_score, same groups
    UNKNOWN_INTENT_SHARE = "unknown_intent_share"  # share matching no intent, overall/tenant
    INTENT_SCORE_PSI = "intent_score_psi"  # population stability of intent scores
    UPSTREAM_ERROR_RATE = "upstream_error_rate"  # failed upstream attempts / attempts
    UPSTREAM_LATENCY_P95_MS = "upstream_latency_p95_ms"  # of the attempts that answered
    EMPTY_ROUTES = "empty_routes"  # probes that had a compliant model and have none now


class DriftAction(StrEnum):
    ROLLBACK = "rollback"  # a breach ends the canary / restores the previous version
    ALERT = "alert"  # a breach is reported and recorded, nothing is undone
    OFF = "off"  # not checked


# A PSI and a count of routes are changes already: only a ceiling on them means anything.
_CEILING_ONLY = frozenset({DriftMetric.INTENT_SCORE_PSI, DriftMetric.EMPTY_ROUTES})
_RATES = frozenset(
    {
        DriftMetric.DENY_RATE,
        DriftMetric.THREAT_RATE,
        DriftMetric.UNKNOWN_INTENT_SHARE,
        DriftMetric.UPSTREAM_ERROR_RATE,
    }
)


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class DriftLimit(_Spec):
    """How far one metric may move from its baseline."""

    metric: DriftMetric
    max_increase: float | None = Field(
        default=None,
        ge=0,
        description="Largest allowed recent - baseline (rates as fractions, 0.10 = ten points; "
        "latency in ms); for intent_score_psi the largest PSI, for empty_routes the number of "
        "routes that may empty.",
    )
    max_ratio: float | None = Field(
        default=None, gt=1, description="Largest allowed recent / baseline (rates, latency)."
    )
    min_decisions: int | None = Field(
        default=None,
        ge=1,
        description="Decisions (attempts for upstream metrics) each side of a group needs before "
        "it is judged; unset: the section's min_decisions.",
    )
    action: DriftAction = DriftAction.ROLLBACK

    @model_validator(mode="after")
    def _coherent(self) -> DriftLimit:
        if self.action is DriftAction.OFF:
            return self
        if self.max_increase is None and self.max_ratio is None:
            raise ValueError(
                f"{self.metric}: give max_increase, max_ratio or both (or action: off)"
            )
        if self.metric in _CEILING_ONLY and self.max_ratio is not None:
            raise ValueError(
                f"{self.metric}: max_ratio has no meaning here (the metric is a change already); "
                "use max_increase"
            )
        if self.metric in _RATES and self.max_increase is not None and self.max_increase > 1:
            raise ValueError(
                f"{self.metric}: max_increase {self.max_increase} is above 1; rates are fractions "
                "(0.10 = ten points)"
            )
        return self


class Drift(_Spec):
    id: Id
    window_minutes: int = Field(
        default=60, ge=1, le=7 * 24 * 60, description="Recent window a canary is judged on."
    )
    baseline_minutes: int = Field(
        default=24 * 60,
        ge=1,
        le=30 * 24 * 60,
        description="How far back before an activation the previous version's traffic is read.",
    )
    watch_hours: float = Field(
        default=24.0,
        gt=0,
        le=24 * 30,
        description="How long after its activation a version can be rolled back by a breach.",
    )
    min_decisions: int = Field(
        default=200, ge=1, description="Decisions each side of a group needs before it is judged."
    )
    threat_score: float = Field(
        default=0.5, gt=0, le=1, description="Detector score from which a decision is a threat."
    )
    limits: list[DriftLimit] = Field(
        default=[], description="Limits that differ from the defaults, one per metric."
    )

    @model_validator(mode="after")
    def _one_per_metric(self) -> Drift:
        metrics = [limit.metric.value for limit in self.limits]
        twice = sorted({m for m in metrics if metrics.count(m) > 1})
        if twice:
            raise ValueError(f"limits: metric(s) {', '.join(twice)} given more than once")
        return self
