"""Which version decides for a caller while a candidate is rolled out: pure rules.

A candidate under **shadow** never serves: the active version decides and the
candidate decides the same request beside it. Under **canary** the candidate
serves the principals it selects: the named tenants and principals, plus
`percent` of all principals picked by a stable hash of (tenant, principal id).
The hash gives every principal a fixed point in [0, 100), and a principal is
selected when its point lies below the percentage, so the same principal always
gets the same version while the percentage stands, and raising it only adds
principals (lowering it only removes some).

`shares_analysis` says when the candidate would analyse a request exactly as the
active version does (same intents and exemplars, entity types, detection settings
and threat categories), so that shadow may reuse the active analysis instead of
embedding the text a second time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from engine.model import Principal, Snapshot

SHADOW = "shadow"
CANARY = "canary"
ACTIVE = "active"

_BUCKETS = 10_000  # points per percent * 100: 0.01 % steps


def canary_point(tenant: str, principal_id: str) -> float:
    """The principal's fixed point in [0, 100): the same for every process and version."""
    digest = hashlib.sha256(f"{tenant}\x1f{principal_id}".encode()).digest()
    return (int.from_bytes(digest[:8], "big") % (100 * _BUCKETS)) / _BUCKETS


@dataclass(frozen=True, slots=True)
class Selection:
    """Who a canary serves: named tenants and principals, and a share of the rest."""

    percent: float = 0.0
    tenants: frozenset[str] = frozenset()
    principals: frozenset[str] = frozenset()

    @classmethod
    def of(cls, percent: float, tenants: Collection[str], principals: Collection[str]) -> Selection:
        return cls(float(percent), frozenset(tenants), frozenset(principals))

    @property
    def empty(self) -> bool:
        return self.percent <= 0 and not self.tenants and not self.principals

    def selects(self, principal: Principal) -> bool:
        if principal.id in self.principals or principal.tenant in self.tenants:
            return True
        return canary_point(principal.tenant, principal.id) < self.percent

    def describe(self) -> str:
        parts = [f"{self.percent:g}% of principals"] if self.percent > 0 else []
        if self.tenants:
            parts.append("tenants " + ", ".join(sorted(self.tenants)))
        if self.principals:
            parts.append("principals " + ", ".join(sorted(self.principals)))
        return " + ".join(parts) or "nobody"


def shares_analysis(active: Snapshot, candidate: Snapshot) -> bool:
    """True when both versions analyse any request alike: every input `engine.analyze`
    takes from the policy (intent index, detector, custom threat heads) is equal."""
    return (
        active.intents == candidate.intents
        and active.entity_types == candidate.entity_types
        and active.detection == candidate.detection
        and active.threat_categories == candidate.threat_categories
    )


def rollout_field(role: str, candidate: str, active: str) -> dict[str, Any]:
    """The `rollout` entry of a decision record decided while a candidate is out:
    `role` is the version that decided (canary: the candidate; active: the active one)."""
    return {"role": role, "candidate": candidate, "active": active}
