"""The lifecycle state of PolicySet versions: authorship, approvals, rejection.

Values and writes only; what may happen when is lifecycle.versions' business. Each
write is one transaction that matches the version in the status it must still be in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j.exceptions import ConstraintError

from engine.errors import Conflict, NotFound
from graph import lifecycle_queries
from graph.connection import GraphClient, records
from graph.store import PolicySetInfo, policy_set_info


@dataclass(frozen=True, slots=True)
class Approval:
    """One admin's approval of a candidate (an (:Approval) activity in the graph)."""

    by: str  # principal id
    by_name: str
    at: str
    comment: str = ""


@dataclass(frozen=True, slots=True)
class VersionState:
    """A PolicySet version with everything the lifecycle recorded about it."""

    info: PolicySetInfo
    approvals: tuple[Approval, ...] = ()
    author_id: str | None = None
    base_version: int | None = None
    rollout: str | None = None  # "shadow" | "canary" while under rollout
    canary_percent: float = 0.0
    canary_tenants: tuple[str, ...] = ()
    canary_principals: tuple[str, ...] = ()
    rollout_end_reason: str | None = None
    activated_at: str | None = None
    activated_by: str | None = None
    previous_version: int | None = None
    rebased_from: int | None = None
    rejected_at: str | None = None
    rejected_by: str | None = None
    rejection_comment: str | None = None
    rollback_of: int | None = None
    rollback_reason: str | None = None
    rollback_evidence: dict[str, Any] | None = None

    @property
    def version(self) -> int:
        return self.info.version

    @property
    def status(self) -> str:
        return self.info.status


def version_state(client: GraphClient, version: int) -> VersionState:
    rows = client.read(records, lifecycle_queries.VERSION_STATE, version=version)
    if not rows:
        raise NotFound(f"no PolicySet version {version}")
    return _state(rows[0])


def all_version_states(client: GraphClient) -> list[VersionState]:
    """Every version, newest first."""
    return [_state(row) for row in client.read(records, lifecycle_queries.ALL_VERSION_STATES)]


def record_approval(
    client: GraphClient,
    version: int,
    *,
    by: str,
    by_name: str,
    comment: str = "",
    now: datetime | None = None,
) -> Approval:
    at = (now or datetime.now(UTC)).isoformat()
    try:
        rows = client.write(
            lambda tx: records(
                tx,
                lifecycle_queries.CREATE_APPROVAL,
                version=version,
                id=f"approval-v{version}-{by}",
                at=at,
                by=by,
                by_name=by_name,
                comment=comment,
            )
        )
    except ConstraintError as exc:  # two approvals by one admin raced each other
        raise Conflict(f"{by} has already approved v{version}") from exc
    if not rows:
        raise Conflict(f"PolicySet v{version} is no longer a candidate (or {by} is unknown)")
    return Approval(by=by, by_name=by_name, at=at, comment=comment)


def reject_candidate(
    client: GraphClient,
    version: int,
    *,
    by: str,
    by_name: str,
    comment: str,
    now: datetime | None = None,
) -> VersionState:
    rows = client.write(
        lambda tx: records(
            tx,
            lifecycle_queries.REJECT_CANDIDATE,
            version=version,
            at=(now or datetime.now(UTC)).isoformat(),
            by=by,
            by_name=by_name,
            comment=comment,
        )
    )
    if not rows:
        raise Conflict(f"PolicySet v{version} is no longer a candidate; nothing changed")
    return version_state(client, version)


def _state(row: dict[str, Any]) -> VersionState:
    ps = row["ps"]
    evidence = ps.get("rollback_evidence")
    return VersionState(
        info=policy_set_info(ps),
        approvals=tuple(
            Approval(a["by"], a.get("by_name") or "", a["at"], a.get("comment") or "")
            for a in row["approvals"]
        ),
        author_id=ps.get("author_id"),
        base_version=_int(ps.get("base_version")),
        rollout=ps.get("rollout"),
        canary_percent=float(ps.get("canary_percent") or 0.0),
        canary_tenants=tuple(ps.get("canary_tenants") or ()),
        canary_principals=tuple(ps.get("canary_principals") or ()),
        rollout_end_reason=ps.get("rollout_end_reason"),
        activated_at=_text(ps.get("activated_at")),
        activated_by=ps.get("activated_by"),
        previous_version=_int(ps.get("previous_version")),
        rebased_from=_int(ps.get("rebased_from")),
        rejected_at=_text(ps.get("rejected_at")),
        rejected_by=ps.get("rejected_by"),
        rejection_comment=ps.get("rejection_comment"),
        rollback_of=_int(ps.get("rollback_of")),
        rollback_reason=ps.get("rollback_reason"),
        rollback_evidence=json.loads(evidence) if evidence else None,
    )


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
