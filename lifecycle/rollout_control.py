"""Shadow and canary as operations: start, stop, and the shadow report.

Each function takes a graph client and an admin principal (lifecycle.actors) where it
changes state, and returns a value; `govroute policy shadow|canary|shadow-report`
(api/rollout_cli.py) and the admin API print or serve those values. Every serving
process picks a change up at its next refresh (api/runtime.py, every 2 s by default).

The shadow report is rebuilt from the changes stored with each shadowed decision
(graph: `Decision.shadow_*`), added up by `lifecycle.outcome_diff.DiffCounts`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.errors import InvalidRequest, NotFound
from engine.model import Principal
from graph import store
from graph.connection import GraphClient
from graph.rollout_store import read_shadow_changes, unknown_names
from graph.store import PolicySetInfo, Rollout
from lifecycle.outcome_diff import Change, DiffCounts
from lifecycle.rollout import CANARY, SHADOW, Selection


@dataclass(frozen=True, slots=True)
class RolloutStatus:
    """A rollout as started (or changed), next to the version that keeps serving."""

    rollout: Rollout
    active: str  # the active PolicySet id ("" when none is active)

    def as_dict(self) -> dict[str, Any]:
        r = self.rollout
        return {
            "candidate": r.policy_set.id,
            "version": r.policy_set.version,
            "mode": r.mode,
            "percent": r.percent,
            "tenants": list(r.tenants),
            "principals": list(r.principals),
            "since": r.since,
            "by": r.by,
            "active": self.active,
        }

    def text(self) -> str:
        r = self.rollout
        v = r.policy_set.version
        if r.mode == SHADOW:
            return (
                f"v{v} is under shadow beside {self.active or 'no active version'}: it decides "
                f"live traffic off the request path and never serves.\n"
                f"report: govroute policy shadow-report {v} --since 1h"
            )
        selection = Selection.of(r.percent, r.tenants, r.principals)
        return (
            f"v{v} is under canary: it decides and serves {selection.describe()}; "
            f"{self.active or 'no active version'} serves everyone else.\n"
            "each decision records the version that decided (policy_version, rollout)"
        )


def start_shadow(client: GraphClient, version: int, *, admin: Principal) -> RolloutStatus:
    """Put candidate `version` under shadow (ending any other rollout)."""
    rollout = store.start_rollout(client, version, SHADOW, by=admin.id)
    return RolloutStatus(rollout, _active_id(client))


def start_canary(
    client: GraphClient,
    version: int,
    *,
    admin: Principal,
    percent: float = 0.0,
    tenants: Collection[str] = (),
    principals: Collection[str] = (),
) -> RolloutStatus:
    """Let candidate `version` serve `percent` of principals (by a stable hash) plus the
    named tenants and principals. A canary that would select nobody, or names a tenant
    or principal the graph does not have, is refused before anything changes."""
    if Selection.of(percent, tenants, principals).empty:
        raise InvalidRequest(
            "a canary must select someone: give --percent above 0, --tenant or --principal",
            field="percent",
        )
    unknown_tenants, unknown_principals = unknown_names(client, tenants, principals)
    if unknown_tenants or unknown_principals:
        named = [f"tenant {t}" for t in unknown_tenants]
        named += [f"principal {p}" for p in unknown_principals]
        raise InvalidRequest(
            f"the canary names what the graph does not have: {', '.join(named)}",
            field="tenants" if unknown_tenants else "principals",
        )
    rollout = store.start_rollout(
        client,
        version,
        CANARY,
        by=admin.id,
        percent=percent,
        tenants=tenants,
        principals=principals,
    )
    return RolloutStatus(rollout, _active_id(client))


def stop_rollout(
    client: GraphClient, version: int, *, admin: Principal, reason: str = ""
) -> PolicySetInfo:
    """End the shadow or canary of `version`; the reason (and who) is kept on it."""
    why = f"stopped by {admin.id}" + (f": {reason}" if reason else "")
    ended = store.end_rollout(client, version, reason=why)
    if ended is None:
        raise NotFound(f"PolicySet v{version} is not under shadow or canary")
    return ended


@dataclass(frozen=True, slots=True)
class ShadowReport:
    """How the candidate's decisions differed from the served ones since a time."""

    candidate: PolicySetInfo
    since: datetime
    counts: DiffCounts

    def as_dict(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate.id,
            "version": self.candidate.version,
            "since": self.since.isoformat(),
            **self.counts.as_dict(),
        }

    def text(self) -> str:
        title = f"shadow v{self.candidate.version} since {self.since.isoformat(timespec='seconds')}"
        return self.counts.text(title)


def shadow_report(client: GraphClient, version: int, *, since: datetime) -> ShadowReport:
    """The diff counts of candidate `version`'s shadow decisions since `since`."""
    info = next((ps for ps in store.list_policy_sets(client) if ps.version == version), None)
    if info is None:
        raise NotFound(f"no PolicySet version {version}")
    rows = read_shadow_changes(client, info.id, since.isoformat())
    return ShadowReport(info, since, DiffCounts().add_all(Change.from_dict(r) for r in rows))


def _active_id(client: GraphClient) -> str:
    active = store.active_policy_set(client)
    return active.id if active is not None else ""
