"""Drift metrics, pure: one side's traffic against another's, judged by the policy's limits.

A side is the aggregate graph.drift_store reads for one version in one window (decisions
by tenant, intent and intent-score decile; upstream attempts). `observe` computes every
metric overall and per group on both sides and says, per metric and group, whether the
change breaches its limit, stays within it, or cannot be judged yet (fewer decisions
than the limit's minimum on either side: a window of three requests proves nothing).

Metrics, with the groups they are judged in:

- deny_rate, threat_rate: overall, per tenant, per intent;
- unknown_intent_share: overall, per tenant;
- intent_score_psi: the population stability index of intent scores over ten equal
  buckets (traffic drifting away from the exemplars), overall and per tenant;
- upstream_error_rate, upstream_latency_p95_ms: overall, over the gateway's attempts;
- empty_routes: probes that had a compliant model before and have none (lifecycle.impact).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from engine.model import UNKNOWN_INTENT
from lifecycle.impact import OutcomeChange
from loaders.drift_spec import Drift, DriftAction, DriftMetric

BUCKETS = 10
_PSI_FLOOR = 1e-4  # an empty bucket on one side would make the index infinite


@dataclass(frozen=True, slots=True)
class Limit:
    metric: DriftMetric
    max_increase: float | None
    max_ratio: float | None
    min_decisions: int
    action: DriftAction

    def breached(self, baseline: float, recent: float) -> bool:
        """Every bound given is exceeded (one bound alone: that one)."""
        exceeded: list[bool] = []
        if self.max_increase is not None:
            exceeded.append(recent - baseline > self.max_increase)
        if self.max_ratio is not None:
            ratio = recent / baseline if baseline > 0 else (math.inf if recent > 0 else 1.0)
            exceeded.append(ratio > self.max_ratio)
        return bool(exceeded) and all(exceeded)

    def describe(self) -> str:
        bounds = []
        if self.max_increase is not None:
            bounds.append(f"+{_number(self.metric, self.max_increase)}")
        if self.max_ratio is not None:
            bounds.append(f"x{self.max_ratio:g}")
        return " and ".join(bounds) or "off"

    def as_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric.value,
            "max_increase": self.max_increase,
            "max_ratio": self.max_ratio,
            "min_decisions": self.min_decisions,
            "action": self.action.value,
        }


# (max_increase, max_ratio, action): what a demanding operator would accept by default.
# Denials and threats must move a lot in points *and* relative to the baseline; any route
# that empties is a breach; latency is reported, not rolled back (providers, not policy,
# usually make it).
DEFAULT_LIMITS: Mapping[DriftMetric, tuple[float | None, float | None, DriftAction]] = {
    DriftMetric.DENY_RATE: (0.10, 1.5, DriftAction.ROLLBACK),
    DriftMetric.THREAT_RATE: (0.05, 2.0, DriftAction.ROLLBACK),
    DriftMetric.UNKNOWN_INTENT_SHARE: (0.10, 1.5, DriftAction.ROLLBACK),
    DriftMetric.INTENT_SCORE_PSI: (0.25, None, DriftAction.ROLLBACK),
    DriftMetric.UPSTREAM_ERROR_RATE: (0.05, 2.0, DriftAction.ROLLBACK),
    DriftMetric.UPSTREAM_LATENCY_P95_MS: (500.0, 1.5, DriftAction.ALERT),
    DriftMetric.EMPTY_ROUTES: (0.0, None, DriftAction.ROLLBACK),
}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The effective drift settings of a version: its `drift:` item over the defaults."""

    source: str  # "policyset-v5 drift 'northwind'", or "defaults"
    window_minutes: int
    baseline_minutes: int
    watch_hours: float
    min_decisions: int
    threat_score: float
    limits: Mapping[DriftMetric, Limit]

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "window_minutes": self.window_minutes,
            "baseline_minutes": self.baseline_minutes,
            "watch_hours": self.watch_hours,
            "min_decisions": self.min_decisions,
            "threat_score": self.threat_score,
            "limits": [limit.as_json() for limit in self.limits.values()],
        }


def thresholds(settings: Drift | None, source: str) -> Thresholds:
    spec = settings or Drift(id="defaults")
    declared = {limit.metric: limit for limit in spec.limits}
    limits: dict[DriftMetric, Limit] = {}
    for metric, (increase, ratio, action) in DEFAULT_LIMITS.items():
        own = declared.get(metric)
        if own is None:
            limits[metric] = Limit(metric, increase, ratio, spec.min_decisions, action)
        else:
            limits[metric] = Limit(
                metric,
                own.max_increase,
                own.max_ratio,
                own.min_decisions or spec.min_decisions,
                own.action,
            )
    return Thresholds(
        source=f"{source} drift '{spec.id}'" if settings else "defaults",
        window_minutes=spec.window_minutes,
        baseline_minutes=spec.baseline_minutes,
        watch_hours=spec.watch_hours,
        min_decisions=spec.min_decisions,
        threat_score=spec.threat_score,
        limits=limits,
    )


@dataclass(frozen=True, slots=True)
class Group:
    decisions: int = 0
    denies: int = 0
    threats: int = 0
    unknown: int = 0
    buckets: tuple[int, ...] = (0,) * BUCKETS

    def plus(self, other: Group) -> Group:
        return Group(
            self.decisions + other.decisions,
            self.denies + other.denies,
            self.threats + other.threats,
            self.unknown + other.unknown,
            tuple(a + b for a, b in zip(self.buckets, other.buckets, strict=True)),
        )


@dataclass(frozen=True, slots=True)
class Side:
    """One version's traffic in one window."""

    version: str
    since: str
    until: str
    by_tenant_intent: Mapping[tuple[str, str], Group] = field(default_factory=dict)
    attempts: int = 0
    attempt_errors: int = 0
    latency_p95_ms: float | None = None

    @property
    def decisions(self) -> int:
        return sum(g.decisions for g in self.by_tenant_intent.values())

    def grouped(self, key: Callable[[str, str], str]) -> dict[str, Group]:
        out: dict[str, Group] = {}
        for (tenant, intent), group in self.by_tenant_intent.items():
            k = key(tenant, intent)
            out[k] = out.get(k, Group()).plus(group)
        return out

    def window(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "since": self.since,
            "until": self.until,
            "decisions": self.decisions,
            "attempts": self.attempts,
        }


def side(
    version: str,
    since: str,
    until: str,
    rows: Iterable[Mapping[str, Any]],
    attempts: Mapping[str, Any] | None = None,
) -> Side:
    """A side from graph.drift_store rows (decision_groups and attempt_stats)."""
    groups: dict[tuple[str, str], Group] = {}
    for row in rows:
        key = (str(row["tenant"]), str(row["intent"]))
        bucket = min(max(int(row["bucket"] or 0), 0), BUCKETS - 1)
        n = int(row["decisions"])
        buckets = tuple(n if i == bucket else 0 for i in range(BUCKETS))
        unknown = n if key[1] == UNKNOWN_INTENT else 0
        part = Group(n, int(row["denies"]), int(row["threats"]), unknown, buckets)
        groups[key] = groups.get(key, Group()).plus(part)
    stats = attempts or {}
    p95 = stats.get("p95_ms")
    return Side(
        version,
        since,
        until,
        groups,
        int(stats.get("attempts") or 0),
        int(stats.get("errors") or 0),
        float(p95) if p95 is not None else None,
    )


class Status(StrEnum):
    OK = "ok"
    BREACH = "breach"
    TOO_FEW = "too_few"  # fewer decisions than the minimum on a side: not judged


@dataclass(frozen=True, slots=True)
class Observation:
    metric: DriftMetric
    scope: str  # "all", "tenant nw-eu", "intent translation"
    baseline: float | None
    recent: float | None
    baseline_n: int
    recent_n: int
    limit: Limit
    status: Status

    @property
    def acts(self) -> bool:
        """A breach whose limit rolls back."""
        return self.status is Status.BREACH and self.limit.action is DriftAction.ROLLBACK

    def describe(self) -> str:
        was = "-" if self.baseline is None else _number(self.metric, self.baseline)
        now = "-" if self.recent is None else _number(self.metric, self.recent)
        counts = f"n={self.baseline_n}/{self.recent_n}"
        return (
            f"{self.metric.value} {self.scope}: {was} -> {now} "
            f"(limit {self.limit.describe()}, {counts})"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric.value,
            "scope": self.scope,
            "baseline": self.baseline,
            "recent": self.recent,
            "baseline_n": self.baseline_n,
            "recent_n": self.recent_n,
            "status": self.status.value,
            "action": self.limit.action.value,
            "limit": self.limit.describe(),
        }


def observe(baseline: Side, recent: Side, limits: Thresholds) -> tuple[Observation, ...]:
    """Every traffic metric, in every group, judged (empty routes: `route_observation`)."""
    out: list[Observation] = []
    scopes: list[tuple[str, Callable[[str, str], str]]] = [
        ("all", lambda tenant, intent: "all"),
        ("tenant", lambda tenant, intent: f"tenant {tenant}"),
        ("intent", lambda tenant, intent: f"intent {intent}"),
    ]
    rate_metrics: list[tuple[DriftMetric, Callable[[Group], int], frozenset[str]]] = [
        (DriftMetric.DENY_RATE, lambda g: g.denies, frozenset({"all", "tenant", "intent"})),
        (DriftMetric.THREAT_RATE, lambda g: g.threats, frozenset({"all", "tenant", "intent"})),
        (DriftMetric.UNKNOWN_INTENT_SHARE, lambda g: g.unknown, frozenset({"all", "tenant"})),
    ]
    for scope_kind, key in scopes:
        before, after = baseline.grouped(key), recent.grouped(key)
        for name in sorted(set(before) | set(after)):
            b, a = before.get(name, Group()), after.get(name, Group())
            for metric, count, kinds in rate_metrics:
                if scope_kind in kinds:
                    out.append(
                        _rate(metric, name, count(b), b.decisions, count(a), a.decisions, limits)
                    )
            if scope_kind in ("all", "tenant"):
                out.append(_psi(name, b, a, limits))
    out.append(
        _rate(
            DriftMetric.UPSTREAM_ERROR_RATE,
            "all",
            baseline.attempt_errors,
            baseline.attempts,
            recent.attempt_errors,
            recent.attempts,
            limits,
        )
    )
    out.append(_latency(baseline, recent, limits))
    return tuple(o for o in out if o.limit.action is not DriftAction.OFF)


def emptied_pairs(emptied: tuple[OutcomeChange, ...]) -> list[tuple[str, str | None]]:
    """The intent x label routes that emptied (whoever the principals and purposes)."""
    return sorted({(c.intent, c.label) for c in emptied}, key=lambda p: (p[0], p[1] or ""))


def route_observation(emptied: tuple[OutcomeChange, ...], limits: Thresholds) -> Observation:
    limit = limits.limits[DriftMetric.EMPTY_ROUTES]
    routes = len(emptied_pairs(emptied))
    status = Status.BREACH if limit.breached(0.0, float(routes)) else Status.OK
    return Observation(
        DriftMetric.EMPTY_ROUTES, "intent x label", 0.0, float(routes), 0, len(emptied), limit,
        status,
    )  # fmt: skip


def population_stability(before: tuple[int, ...], after: tuple[int, ...]) -> float:
    """PSI = sum over buckets of (a - b) * ln(a / b), on shares (0.1: small, 0.25: large)."""
    nb, na = sum(before), sum(after)
    total = 0.0
    for b, a in zip(before, after, strict=True):
        pb = max(b / nb, _PSI_FLOOR)
        pa = max(a / na, _PSI_FLOOR)
        total += (pa - pb) * math.log(pa / pb)
    return total


def _rate(
    metric: DriftMetric,
    scope: str,
    b_count: int,
    b_n: int,
    a_count: int,
    a_n: int,
    limits: Thresholds,
) -> Observation:
    limit = limits.limits[metric]
    b = b_count / b_n if b_n else None
    a = a_count / a_n if a_n else None
    return Observation(metric, scope, b, a, b_n, a_n, limit, _judge(limit, b, a, b_n, a_n))


def _psi(scope: str, b: Group, a: Group, limits: Thresholds) -> Observation:
    limit = limits.limits[DriftMetric.INTENT_SCORE_PSI]
    if not (b.decisions and a.decisions):
        return Observation(
            DriftMetric.INTENT_SCORE_PSI, scope, None, None, b.decisions, a.decisions, limit,
            Status.TOO_FEW,
        )  # fmt: skip
    psi = population_stability(b.buckets, a.buckets)
    status = _judge(limit, 0.0, psi, b.decisions, a.decisions)
    return Observation(
        DriftMetric.INTENT_SCORE_PSI, scope, 0.0, psi, b.decisions, a.decisions, limit, status
    )


def _latency(baseline: Side, recent: Side, limits: Thresholds) -> Observation:
    limit = limits.limits[DriftMetric.UPSTREAM_LATENCY_P95_MS]
    b, a = baseline.latency_p95_ms, recent.latency_p95_ms
    status = _judge(limit, b, a, baseline.attempts, recent.attempts)
    return Observation(
        DriftMetric.UPSTREAM_LATENCY_P95_MS, "all", b, a, baseline.attempts, recent.attempts,
        limit, status,
    )  # fmt: skip


def _judge(limit: Limit, b: float | None, a: float | None, b_n: int, a_n: int) -> Status:
    if b is None or a is None or min(b_n, a_n) < limit.min_decisions:
        return Status.TOO_FEW
    return Status.BREACH if limit.breached(b, a) else Status.OK


def _number(metric: DriftMetric, value: float) -> str:
    if metric is DriftMetric.UPSTREAM_LATENCY_P95_MS:
        return f"{value:.0f} ms"
    if metric in (DriftMetric.INTENT_SCORE_PSI, DriftMetric.EMPTY_ROUTES):
        return f"{value:g}" if metric is DriftMetric.EMPTY_ROUTES else f"{value:.3f}"
    return f"{value:.1%}"
