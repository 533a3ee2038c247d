"""The drift check's reads and writes (Cypher in graph/drift_queries.py).

Reads return plain rows; lifecycle/drift_check.py turns them into metrics. Every write
that acts on a breach locks the PolicySet it acts on first and re-reads its state in
the same transaction, so replicas checking at the same moment act once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from graph import drift_queries as q
from graph.connection import GraphClient, records
from graph.store import PolicySetInfo, policy_set_info


@dataclass(frozen=True, slots=True)
class ActiveVersion:
    info: PolicySetInfo
    activated_at: str  # `activated_at` when the activation recorded it, else created_at
    previous: int | None  # the version it replaced
    by_drift_check: str | None  # set when a drift rollback created it


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """A DriftCheck node's fields; `evidence` is the report as JSON."""

    id: str
    at: str
    kind: str
    action: str
    by: str
    breaches: int
    alerts: int
    summary: str
    evidence: str
    judged: int | None
    baseline: int | None

    def params(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "kind": self.kind,
            "action": self.action,
            "by": self.by,
            "breaches": self.breaches,
            "alerts": self.alerts,
            "summary": self.summary,
            "evidence": self.evidence,
            "judged": self.judged,
            "baseline": self.baseline,
        }


def active_version(client: GraphClient) -> ActiveVersion | None:
    rows = client.read(records, q.ACTIVE_WITH_PREVIOUS)
    if not rows:
        return None
    ps = rows[0]["ps"]
    previous = rows[0]["previous"]
    return ActiveVersion(
        info=policy_set_info(ps),
        activated_at=str(ps.get("activated_at") or ps.get("created_at") or ""),
        previous=int(previous) if previous is not None else None,
        by_drift_check=ps.get("drift_check"),
    )


def decision_groups(
    client: GraphClient, version_id: str, since: str, until: str, *, threat_score: float
) -> list[dict[str, Any]]:
    """Rows of (tenant, intent, bucket, decisions, denies, threats) for one version."""
    return client.read(
        records,
        q.DECISION_GROUPS,
        version=version_id,
        since=since,
        until=until,
        threat_score=threat_score,
    )


def attempt_stats(client: GraphClient, version_id: str, since: str, until: str) -> dict[str, Any]:
    """attempts, errors and p95_ms (of the attempts that answered; None without any)."""
    rows = client.read(records, q.ATTEMPT_STATS, version=version_id, since=since, until=until)
    return rows[0]


def record_check(client: GraphClient, check: CheckRecord) -> None:
    """A check that changed nothing: an alert, a quiet run, or a breach left alone."""
    client.write(lambda tx: _create(tx, check))


def end_canary(client: GraphClient, version: int, check: CheckRecord, *, reason: str) -> bool:
    """End the canary of `version` and record the check, in one transaction; False (and
    nothing written) when it is no longer under canary: another replica ended it."""

    def work(tx: ManagedTransaction) -> bool:
        state = records(tx, q.LOCK_POLICY_SET, version=version, at=check.at)
        if not state or state[0]["status"] != "candidate" or state[0]["rollout"] != "canary":
            return False
        tx.run(q.END_CANARY, version=version, at=check.at, reason=reason, check_id=check.id)
        _create(tx, check)
        return True

    return client.write(work)


def still_active(tx: ManagedTransaction, version: int, at: str) -> bool:
    """A rollback's guard: lock the judged version, then see whether it still serves."""
    state = records(tx, q.LOCK_POLICY_SET, version=version, at=at)
    return bool(state) and state[0]["status"] == "active"


def record_rollback(
    tx: ManagedTransaction, check: CheckRecord, rolled_back: int, created: int, *, reason: str
) -> None:
    """In the rollback's transaction: the check, the version it retired, the one it made."""
    _create(tx, check)
    tx.run(q.MARK_ROLLED_BACK, version=rolled_back, at=check.at, reason=reason, check_id=check.id)
    tx.run(q.LINK_ROLLBACK, id=check.id, version=created)


def last_checks(client: GraphClient, limit: int = 1) -> list[dict[str, Any]]:
    return client.read(records, q.LAST_DRIFT_CHECKS, limit=limit)


def _create(tx: ManagedTransaction, check: CheckRecord) -> None:
    tx.run(q.CREATE_DRIFT_CHECK, **check.params()).consume()
