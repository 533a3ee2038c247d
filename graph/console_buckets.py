"""Hourly aggregates of decisions for the console, kept in the provenance transaction.

`write_provenance` (graph/provenance.py) counts the decisions its WRITE_DECISIONS
created, asks `new_attempts` before it writes attempts, and calls `add_buckets` after:
only records that the transaction creates are counted, so a journal replay (which
MERGEs records already there) adds nothing, and the aggregates commit or roll back
together with the decisions they count.

Kinds, each a count per tenant and hour:

- `outcome` (key: allow | allow_with_redactions | deny): decisions.
- `threat_deny` (key: threat category): denials with a threat reason; the category is
  the matched threat intent, else the detector's highest-scoring category.
- `redaction` (key: label): redacted, masked, hashed or pseudonymized spans.
- `policy_violation` (key: policy id): decisions not plainly allowed (denied or
  redacted) to which the policy applied: the tenant x policy heatmap.
- `intent_label` (key: intent, key2: label): decisions not plainly allowed, by matched
  intent and each label the request carried: the intent x label heatmap.
- `latency` (key: upper bound in ms, "inf" for the last): decision latency histogram.
- `upstream` (key: attempt status): upstream calls the gateway made, errors and the
  calls an open circuit refused (`skipped_open_circuit`) included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from engine.threats.model import ANY_ATTACK
from graph import console_queries as q

VIOLATING = ("deny", "allow_with_redactions")  # outcomes that count as a violation
# Upper bounds of the latency histogram, in ms; p50/p99 are read to a bound.
LATENCY_BOUNDS_MS: tuple[float, ...] = (
    1,
    2,
    5,
    10,
    20,
    35,
    50,
    75,
    100,
    150,
    200,
    300,
    500,
    750,
    1000,
    2000,
    5000,
)
KEY_SEPARATOR = "\x1f"


class BucketKind(StrEnum):
    OUTCOME = "outcome"
    THREAT_DENY = "threat_deny"
    REDACTION = "redaction"
    POLICY_VIOLATION = "policy_violation"
    INTENT_LABEL = "intent_label"
    LATENCY = "latency"
    UPSTREAM = "upstream"


Key = tuple[str, str, BucketKind, str, str]  # tenant, hour start, kind, key, key2


def hour_of(created_at: str) -> str:
    """The UTC hour an ISO 8601 time falls in, as Neo4j's toString of a datetime reads."""
    at = datetime.fromisoformat(created_at).astimezone(UTC)
    return at.replace(minute=0, second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def latency_bucket(ms: float) -> str:
    for bound in LATENCY_BOUNDS_MS:
        if ms <= bound:
            return f"{bound:g}"
    return "inf"


def decision_counts(record: dict[str, Any]) -> Counter[Key]:
    """What one decision record adds to the aggregates."""
    tenant, hour, outcome = record["tenant_id"], hour_of(record["created_at"]), record["outcome"]
    counts: Counter[Key] = Counter()

    def add(kind: BucketKind, key: str, key2: str = "", n: int = 1) -> None:
        counts[(tenant, hour, kind, key, key2)] += n

    add(BucketKind.OUTCOME, outcome)
    if outcome == "deny" and any(r.get("threat") for r in record["reasons"]):
        add(BucketKind.THREAT_DENY, _threat_category(record))
    for label, n in Counter(r["label"] for r in record["redactions"]).items():
        add(BucketKind.REDACTION, label, n=n)
    if outcome in VIOLATING:
        for policy_id in {r["policy_id"] for r in record["reasons"] if r["policy_id"]}:
            add(BucketKind.POLICY_VIOLATION, policy_id)
        intent = record["intent"]["id"] or "unknown"
        for label in set(record["labels"]):
            add(BucketKind.INTENT_LABEL, intent, label)
    latency = record.get("latency_ms")
    if isinstance(latency, int | float):
        add(BucketKind.LATENCY, latency_bucket(float(latency)))
    return counts


def _threat_category(record: dict[str, Any]) -> str:
    if record["intent"].get("category") == "threat" and record["intent"]["id"]:
        return str(record["intent"]["id"])
    findings = (record.get("threats") or {}).get("findings") or []
    scored = [f for f in findings if f["category"] != ANY_ATTACK]
    if not scored:
        return "unknown"
    return str(max(scored, key=lambda f: f["score"])["category"])


def new_attempts(tx: Any, attempts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The attempts the transaction is about to create (those not in the graph yet), in
    order, with what the aggregates here and the label-receipt tallies need of them."""
    if not attempts:
        return []
    return [dict(row) for row in tx.run(q.NEW_ATTEMPTS, rows=list(attempts))]


def attempt_counts(new: Iterable[dict[str, Any]]) -> Counter[Key]:
    """What new attempts (`new_attempts`) add to the aggregates."""
    counts: Counter[Key] = Counter()
    for row in new:
        hour = hour_of(row["created_at"])
        counts[(row["tenant_id"], hour, BucketKind.UPSTREAM, row["status"], "")] += 1
    return counts


def add_buckets(tx: Any, decisions: Iterable[dict[str, Any]], attempts: Counter[Key]) -> None:
    counts: Counter[Key] = Counter(attempts)
    for record in decisions:
        counts.update(decision_counts(record))
    if not counts:
        return
    rows = sorted(
        (
            {
                "id": KEY_SEPARATOR.join((tenant, hour, kind.value, key, key2)),
                "tenant_id": tenant,
                "start": hour,
                "kind": kind.value,
                "key": key,
                "key2": key2,
                "count": n,
            }
            for (tenant, hour, kind, key, key2), n in counts.items()
        ),
        key=lambda row: str(row["id"]),
    )
    tx.run(q.ADD_TO_BUCKETS, rows=rows).consume()
