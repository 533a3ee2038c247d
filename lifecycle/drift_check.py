"""The drift check: recent traffic against a baseline, and the rollback a breach calls for.

`check_drift(client)` finds what there is to judge, in this order:

- **canary**: a candidate under canary (graph.store.rollout_candidate). Its decisions
  in the recent window (since the rollout started, at most `window_minutes`) against
  the active version's decisions in the same window. A breach ends the canary.
- **activation**: the active version, activated less than `watch_hours` ago, not itself
  made by a drift rollback. Its decisions since activation against the previous
  version's in the `baseline_minutes` before it. A breach restores the previous
  version's content (loaders.policy_load.rollback), as a new version.
- **steady**: otherwise, the active version's last window against its own traffic
  before. Breaches are alerts: there is nothing to return to.

Limits come from the version the change is compared with (the active version for a
canary, the previous one for an activation), so a change never loosens its own judge.
Routes emptied by the change (lifecycle.impact on the pure core) count as a metric.

Every check is recorded as a (:DriftCheck) node with its evidence (the metrics, the
limits and the windows), linked to the versions it judged and compared with; an action
and its record commit in one transaction, which first locks the version acted on and
re-reads it, so replicas that find the same breach act once (the second records
`already_done`). `rollback=False` (`--no-rollback`) judges and records, and acts on
nothing (`held`).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from engine.errors import GovroutError
from engine.threats.custom import ThreatCategoryFitter
from graph import drift_store, store
from graph.connection import GraphClient
from graph.drift_store import ActiveVersion, CheckRecord
from lifecycle.drift import (
    Observation,
    Side,
    Status,
    Thresholds,
    emptied_pairs,
    observe,
    route_observation,
    side,
    thresholds,
)
from lifecycle.impact import OutcomeChange, impact
from lifecycle.offline import offline_world
from loaders.drift_spec import DriftAction, DriftMetric
from loaders.policy_load import rollback as restore_version
from loaders.policy_load import stored_bundle

DRIFT_AUTHOR = "drift-check"
MAX_EXAMPLES = 10  # emptied routes kept as evidence


class Kind(StrEnum):
    CANARY = "canary"
    ACTIVATION = "activation"
    STEADY = "steady"
    IDLE = "idle"  # no active version: nothing is served, nothing to judge


class Action(StrEnum):
    NONE = "none"  # nothing breached
    ALERT = "alert"  # breaches that roll nothing back (alert limits, steady traffic)
    ENDED_CANARY = "ended_canary"
    ROLLED_BACK = "rolled_back"
    HELD = "held"  # would have acted; --no-rollback
    ALREADY_DONE = "already_done"  # another check acted on the same version first
    FAILED = "failed"  # the rollback was refused (the reason says why); nothing changed


class RouteMemo:
    """The last emptied-routes answer, by the two versions compared (their content never
    changes): a periodic check asks the same question until a version changes, and the
    probes take seconds of CPU (3.6 s on the reference enterprise)."""

    def __init__(self) -> None:
        self._key: tuple[int, int] | None = None
        self._value: tuple[OutcomeChange, ...] = ()

    def get(self, key: tuple[int, int]) -> tuple[OutcomeChange, ...] | None:
        return self._value if key == self._key else None

    def put(self, key: tuple[int, int], value: tuple[OutcomeChange, ...]) -> None:
        self._key, self._value = key, value


@dataclass(frozen=True, slots=True)
class DriftReport:
    id: str
    at: str
    kind: Kind
    judged: int | None
    baseline: int | None
    thresholds: Thresholds
    recent: Side | None = None
    base: Side | None = None
    observations: tuple[Observation, ...] = ()
    emptied_routes: tuple[OutcomeChange, ...] = ()
    action: Action = Action.NONE
    rollback_to: int | None = None
    reason: str = ""
    by: str = DRIFT_AUTHOR
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def breaches(self) -> tuple[Observation, ...]:
        return tuple(o for o in self.observations if o.status is Status.BREACH)

    @property
    def acting(self) -> tuple[Observation, ...]:
        """Breaches whose limits roll back (alerts only, in steady traffic)."""
        if self.kind not in (Kind.CANARY, Kind.ACTIVATION):
            return ()
        return tuple(o for o in self.observations if o.acts)

    @property
    def alerts(self) -> tuple[Observation, ...]:
        acting = set(self.acting)
        return tuple(o for o in self.breaches if o not in acting)

    def summary(self) -> str:
        what = {
            Kind.CANARY: f"canary v{self.judged} against active v{self.baseline}",
            Kind.ACTIVATION: f"v{self.judged} since activation against v{self.baseline}",
            Kind.STEADY: f"active v{self.judged}, recent against earlier traffic",
            Kind.IDLE: "no active version",
        }[self.kind]
        found = f"{len(self.breaches)} breach(es)" if self.breaches else "no breach"
        done = {
            Action.ENDED_CANARY: f"; canary v{self.judged} ended",
            Action.ROLLED_BACK: f"; rolled back to v{self.baseline} as v{self.rollback_to}",
            Action.HELD: "; would act, held by --no-rollback",
            Action.ALREADY_DONE: "; another check acted first",
            Action.FAILED: f"; rollback refused: {self.reason}",
        }.get(self.action, "")
        return f"{what}: {found}{done}"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "kind": self.kind.value,
            "judged_version": self.judged,
            "baseline_version": self.baseline,
            "action": self.action.value,
            "rollback_to": self.rollback_to,
            "reason": self.reason,
            "by": self.by,
            "summary": self.summary(),
            "windows": {
                "recent": self.recent.window() if self.recent else None,
                "baseline": self.base.window() if self.base else None,
            },
            "thresholds": self.thresholds.as_json(),
            "breaches": [o.as_json() for o in self.breaches],
            "observations": [o.as_json() for o in self.observations],
            "emptied_routes": [
                {"intent": intent, "label": label}
                for intent, label in emptied_pairs(self.emptied_routes)
            ],
            "emptied_route_examples": [_route_json(c) for c in self.emptied_routes[:MAX_EXAMPLES]],
            "notes": list(self.notes),
        }

    def record(self) -> CheckRecord:
        return CheckRecord(
            id=self.id,
            at=self.at,
            kind=self.kind.value,
            action=self.action.value,
            by=self.by,
            breaches=len(self.breaches),
            alerts=len(self.alerts),
            summary=self.summary(),
            evidence=json.dumps(self.as_json(), sort_keys=True, separators=(",", ":")),
            judged=self.judged,
            baseline=self.baseline,
        )


def check_drift(
    client: GraphClient,
    *,
    now: datetime | None = None,
    rollback: bool = True,
    by: str = DRIFT_AUTHOR,
    fitter: ThreatCategoryFitter | None = None,
    routes: RouteMemo | None = None,
) -> DriftReport:
    """Judge what there is to judge, act on a breach unless `rollback` is False, record it.

    `fitter` embeds the threat categories a restored version declares (the server
    passes its own embedder; without one, loaders.policy_load makes one on demand);
    `routes` keeps the last emptied-routes answer between periodic checks."""
    at = now or datetime.now(UTC)
    report = _judge(client, at, by, routes or RouteMemo())
    if report.kind is Kind.IDLE:
        drift_store.record_check(client, report.record())
        return report
    if not report.acting:
        action = Action.ALERT if report.breaches else Action.NONE
        return _recorded(client, replace(report, action=action))
    reason = _reason(report.acting)
    if not rollback:
        return _recorded(client, replace(report, action=Action.HELD, reason=reason))
    if report.kind is Kind.CANARY:
        assert report.judged is not None
        ended = replace(report, action=Action.ENDED_CANARY, reason=reason)
        if drift_store.end_canary(client, report.judged, ended.record(), reason=f"drift: {reason}"):
            return ended
        return _recorded(client, replace(report, action=Action.ALREADY_DONE, reason=reason))
    return _roll_back(client, report, reason, fitter)


def last_reports(client: GraphClient, limit: int = 1) -> list[dict[str, Any]]:
    """The latest recorded checks, newest first: each a report's JSON (`govroute drift
    status`), with the version its rollback created."""
    out = []
    for row in drift_store.last_checks(client, limit):
        evidence: dict[str, Any] = json.loads(row["evidence"])
        evidence["rollback_to"] = row["rollback_to"]
        out.append(evidence)
    return out


# ---------------------------------------------------------------- judging


def _judge(client: GraphClient, at: datetime, by: str, routes: RouteMemo) -> DriftReport:
    check_id = f"drift-{at.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    stamp = at.isoformat()
    active = drift_store.active_version(client)
    if active is None:
        return DriftReport(check_id, stamp, Kind.IDLE, None, None, thresholds(None, ""), by=by)
    rollout = store.rollout_candidate(client)
    if rollout is not None and rollout.mode == "canary":
        candidate = rollout.policy_set
        limits = _thresholds_of(client, active.info.version)
        since = max(at - timedelta(minutes=limits.window_minutes), _parse(rollout.since) or at)
        recent = _side(client, candidate.id, since, at, limits)
        base = _side(client, active.info.id, since, at, limits)
        emptied = _emptied(client, active.info.version, candidate.version, routes)
        return _report(
            check_id, stamp, Kind.CANARY, candidate.version, active.info.version, limits,
            recent, base, emptied, by,
        )  # fmt: skip
    if _on_probation(client, active, at):
        assert active.previous is not None
        limits = _thresholds_of(client, active.previous)
        activated = _parse(active.activated_at) or at
        previous_id = f"policyset-v{active.previous}"
        recent = _side(client, active.info.id, activated, at, limits)
        start = activated - timedelta(minutes=limits.baseline_minutes)
        base = _side(client, previous_id, start, activated, limits)
        emptied = _emptied(client, active.previous, active.info.version, routes)
        return _report(
            check_id, stamp, Kind.ACTIVATION, active.info.version, active.previous, limits,
            recent, base, emptied, by,
        )  # fmt: skip
    limits = _thresholds_of(client, active.info.version)
    split = at - timedelta(minutes=limits.window_minutes)
    recent = _side(client, active.info.id, split, at, limits)
    start = split - timedelta(minutes=limits.baseline_minutes)
    base = _side(client, active.info.id, start, split, limits)
    return _report(
        check_id, stamp, Kind.STEADY, active.info.version, None, limits, recent, base, (), by
    )


def _on_probation(client: GraphClient, active: ActiveVersion, at: datetime) -> bool:
    """Activated within the previous version's watch_hours, and not a drift rollback
    (a rollback judged against the version it undid would only flap)."""
    if active.previous is None or active.by_drift_check is not None:
        return False
    activated = _parse(active.activated_at)
    if activated is None:
        return False
    watch = _thresholds_of(client, active.previous).watch_hours
    return at - activated < timedelta(hours=watch)


def _report(
    check_id: str,
    stamp: str,
    kind: Kind,
    judged: int,
    baseline: int | None,
    limits: Thresholds,
    recent: Side,
    base: Side,
    emptied: tuple[OutcomeChange, ...],
    by: str,
) -> DriftReport:
    observations = observe(base, recent, limits)
    if (
        kind is not Kind.STEADY
        and limits.limits[DriftMetric.EMPTY_ROUTES].action is not DriftAction.OFF
    ):
        observations += (route_observation(emptied, limits),)
    return DriftReport(
        check_id, stamp, kind, judged, baseline, limits, recent, base, observations, emptied,
        by=by,
    )  # fmt: skip


def _thresholds_of(client: GraphClient, version: int) -> Thresholds:
    bundle = stored_bundle(client, version)
    items = bundle.document().drift
    return thresholds(items[0] if items else None, f"v{version}")


def _side(
    client: GraphClient, version_id: str, since: datetime, until: datetime, limits: Thresholds
) -> Side:
    s, u = since.isoformat(), until.isoformat()
    rows = drift_store.decision_groups(client, version_id, s, u, threat_score=limits.threat_score)
    return side(version_id, s, u, rows, drift_store.attempt_stats(client, version_id, s, u))


def _emptied(
    client: GraphClient, before: int, after: int, routes: RouteMemo
) -> tuple[OutcomeChange, ...]:
    """Probes that had a compliant model under `before` and have none under `after`."""
    known = routes.get((before, after))
    if known is not None:
        return known
    worlds = [
        offline_world(stored_bundle(client, v), version=f"policyset-v{v}") for v in (before, after)
    ]
    emptied = tuple(c for c in impact(*worlds).outcomes if c.route_emptied)
    routes.put((before, after), emptied)
    return emptied


# ---------------------------------------------------------------- acting


def _roll_back(
    client: GraphClient, report: DriftReport, reason: str, fitter: ThreatCategoryFitter | None
) -> DriftReport:
    assert report.judged is not None
    assert report.baseline is not None
    judged, previous = report.judged, report.baseline
    done: list[DriftReport] = []

    def then(tx: Any, created: store.PolicySetInfo) -> None:
        final = replace(
            report, action=Action.ROLLED_BACK, reason=reason, rollback_to=created.version
        )
        drift_store.record_rollback(tx, final.record(), judged, created.version, reason=reason)
        done[:] = [final]  # a retried transaction function runs again: keep its last run

    try:
        outcome = restore_version(
            client,
            previous,
            author=report.by,
            reason=f"drift: {reason}",
            message=f"drift rollback to v{previous}: {reason}",
            fitter=fitter,
            guard=lambda tx: drift_store.still_active(tx, judged, report.at),
            then=then,
        ).outcome
    except GovroutError as exc:
        failed = replace(report, action=Action.FAILED, reason=f"{reason}; refused: {exc.message}")
        return _recorded(client, failed)
    if outcome.changed and done:
        return done[0]
    return _recorded(client, replace(report, action=Action.ALREADY_DONE, reason=reason))


def _recorded(client: GraphClient, report: DriftReport) -> DriftReport:
    drift_store.record_check(client, report.record())
    return report


def _reason(acting: tuple[Observation, ...]) -> str:
    first = acting[0].describe()
    more = f"; and {len(acting) - 1} more breach(es)" if len(acting) > 1 else ""
    return first + more


def _route_json(change: OutcomeChange) -> dict[str, Any]:
    return {
        "principals": list(change.principals),
        "intent": change.intent,
        "label": change.label,
        "purpose": change.purpose,
        "before": change.before,
        "after": change.after,
    }


def _parse(stamp: str) -> datetime | None:
    """A Neo4j datetime's text (nanoseconds, `Z` or an offset) as a datetime."""
    if not stamp:
        return None
    text = stamp.replace("Z", "+00:00")
    head, dot, rest = text.partition(".")
    if dot:  # Python reads at most microseconds
        digits = "".join(c for c in rest if c.isdigit())
        zone = rest[len(digits) :]
        text = f"{head}.{digits[:6].ljust(6, '0')}{zone}"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
