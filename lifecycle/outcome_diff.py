"""How a candidate's decision differs from the one that served, and the counts over many.

Shadow (live traffic decided twice) and replay (recorded traffic decided again) both
end here: each pair of decision records (`engine.provenance.decision_record` shape) is
compared into a `Change`, and `DiffCounts` adds changes up by kind, tenant, intent and
policy, keeping a few decision ids per kind to drill into with GET /v1/decisions/{id}.

A `Change` is small and JSON-ready on purpose: shadow stores one per decision in the
graph, and the report is rebuilt from stored changes without re-reading the records.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ALLOW_TO_DENY = "allow_to_deny"
DENY_TO_ALLOW = "deny_to_allow"
REDACTIONS_CHANGED = "redactions_changed"
ROUTE_CHANGED = "route_changed"
EXPOSURE_CHANGED = "exposure_changed"
REASONS_CHANGED = "reasons_changed"
KINDS = (
    ALLOW_TO_DENY,
    DENY_TO_ALLOW,
    REDACTIONS_CHANGED,
    ROUTE_CHANGED,
    EXPOSURE_CHANGED,
    REASONS_CHANGED,
)
EXAMPLES_PER_KIND = 10


@dataclass(frozen=True, slots=True)
class Change:
    """What changed for one decision; `kinds` empty when both versions decided alike."""

    decision_id: str
    tenant: str
    intent: str
    before: str  # the served outcome
    after: str  # the candidate's outcome
    kinds: tuple[str, ...]
    # Policies that gave a reason in one version and not the other: where to look.
    policies: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.kinds)

    def as_dict(self) -> dict[str, Any]:
        return {
            "decision_id": self.decision_id,
            "tenant": self.tenant,
            "intent": self.intent,
            "before": self.before,
            "after": self.after,
            "kinds": list(self.kinds),
            "policies": list(self.policies),
        }

    @classmethod
    def from_dict(cls, row: Mapping[str, Any]) -> Change:
        return cls(
            decision_id=str(row["decision_id"]),
            tenant=str(row.get("tenant") or ""),
            intent=str(row.get("intent") or ""),
            before=str(row["before"]),
            after=str(row["after"]),
            kinds=tuple(row.get("kinds") or ()),
            policies=tuple(row.get("policies") or ()),
        )


def compare(served: Mapping[str, Any], candidate: Mapping[str, Any]) -> Change:
    """The change from the served decision record to the candidate's, for the same input."""
    before, after = served["outcome"], candidate["outcome"]
    kinds: list[str] = []
    if before != "deny" and after == "deny":
        kinds.append(ALLOW_TO_DENY)
    elif before == "deny" and after != "deny":
        kinds.append(DENY_TO_ALLOW)
    if _redactions(served) != _redactions(candidate):
        kinds.append(REDACTIONS_CHANGED)
    if _route(served) != _route(candidate):
        kinds.append(ROUTE_CHANGED)
    if _exposure(served) != _exposure(candidate):
        kinds.append(EXPOSURE_CHANGED)
    policies = _policies(served) ^ _policies(candidate)
    if policies:
        kinds.append(REASONS_CHANGED)
    return Change(
        decision_id=str(served["id"]),
        tenant=str(served.get("tenant_id") or ""),
        intent=str(served["intent"]["id"]),
        before=before,
        after=after,
        kinds=tuple(kinds),
        policies=tuple(sorted(policies)),
    )


def _redactions(record: Mapping[str, Any]) -> Counter[tuple[str, str, str]]:
    """What was redacted and how, by segment; offsets are the analysis', equal in both."""
    return Counter(
        (r["segment"], str(r["label"]), str(r["action"])) for r in record.get("redactions", ())
    )


def _route(record: Mapping[str, Any]) -> tuple[Any, tuple[str, ...]]:
    route = record.get("route") or {}
    return route.get("primary"), tuple(route.get("fallbacks") or ())


def _exposure(record: Mapping[str, Any]) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    exposed = frozenset(str(e["id"]) for e in record.get("exposures", ()))
    withheld = frozenset((str(w["id"]), str(w["code"])) for w in record.get("withholdings", ()))
    return exposed, withheld


def _policies(record: Mapping[str, Any]) -> set[str]:
    return {str(r["policy_id"]) for r in record.get("reasons", ()) if r.get("policy_id")}


@dataclass(slots=True)
class DiffCounts:
    """Changes added up; `examples` keeps the first decision ids of each kind."""

    decisions: int = 0
    changed: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    by_tenant: dict[str, Counter[str]] = field(default_factory=dict)
    by_intent: dict[str, Counter[str]] = field(default_factory=dict)
    by_policy: dict[str, Counter[str]] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, change: Change) -> None:
        self.decisions += 1
        if not change.changed:
            return
        self.changed += 1
        for kind in change.kinds:
            self.kinds[kind] += 1
            self.by_tenant.setdefault(change.tenant or "(shared)", Counter())[kind] += 1
            self.by_intent.setdefault(change.intent, Counter())[kind] += 1
            for policy in change.policies:
                self.by_policy.setdefault(policy, Counter())[kind] += 1
            kept = self.examples.setdefault(kind, [])
            if len(kept) < EXAMPLES_PER_KIND:
                kept.append(change.decision_id)

    def add_all(self, changes: Iterable[Change]) -> DiffCounts:
        for change in changes:
            self.add(change)
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "decisions": self.decisions,
            "changed": self.changed,
            "kinds": {k: self.kinds[k] for k in KINDS},
            "by_tenant": _plain(self.by_tenant),
            "by_intent": _plain(self.by_intent),
            "by_policy": _plain(self.by_policy),
            "examples": {k: list(v) for k, v in sorted(self.examples.items())},
        }

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, sort_keys=True)

    def text(self, title: str) -> str:
        """The report an operator reads: totals, then where the changes are."""
        lines = [f"{title}: {self.changed} of {self.decisions} decisions would change"]
        lines += [f"  {kind:<20} {self.kinds[kind]}" for kind in KINDS]
        for heading, table in (
            ("by tenant", self.by_tenant),
            ("by intent", self.by_intent),
            ("by policy", self.by_policy),
        ):
            if table:
                lines.append(heading + ":")
                for key, counts in sorted(table.items()):
                    cells = ", ".join(f"{k} {counts[k]}" for k in KINDS if counts[k])
                    lines.append(f"  {key}: {cells}")
        if self.examples:
            lines.append("decisions to drill into (GET /v1/decisions/{id}):")
            for kind, ids in sorted(self.examples.items()):
                lines.append(f"  {kind}: {', '.join(ids)}")
        return "\n".join(lines)


def _plain(table: Mapping[str, Counter[str]]) -> dict[str, dict[str, int]]:
    return {
        key: {k: counts[k] for k in KINDS if counts[k]} for key, counts in sorted(table.items())
    }
