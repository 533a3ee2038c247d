"""The console's hourly aggregates and decision list against the real Neo4j: written in
the provenance transaction, counted once however often a batch is replayed, and read
back by graph/console_reads.py. Records are synthetic but complete (what
engine.provenance.decision_record writes), under a tenant id of their own and in a past
hour, so nothing else in the session's graph is counted with them."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from api.console.charts import percentile
from graph.connection import GraphClient
from graph.console_buckets import BucketKind, decision_counts, hour_of, latency_bucket
from graph.console_reads import DecisionFilter, list_decisions, read_window_totals
from graph.provenance import write_provenance
from loaders.policy_load import LoadReport

pytestmark = pytest.mark.neo4j

HOUR = datetime(2001, 3, 4, 10, tzinfo=UTC)
ALL_KINDS = [k.value for k in BucketKind]


def record(
    tenant: str,
    at: datetime,
    outcome: str = "allow_with_redactions",
    *,
    threat: bool = False,
    latency_ms: float = 12.0,
) -> dict[str, Any]:
    decision_id = f"dec_{uuid.uuid4().hex}"
    return {
        "record_version": 2,
        "id": decision_id,
        "created_at": at.isoformat(),
        "principal_id": "eu-support-agent",
        "tenant_id": tenant,
        "outcome": outcome,
        "purpose": "support",
        "purpose_defaulted": False,
        "policy_version": "policyset-v1",
        "prompt_sha256": "0" * 64,
        "intent": {"id": "customer_support_reply", "category": "business", "score": 0.5},
        "reasons": [
            {
                "policy_id": "deny-detected-attack" if threat else "mask-card-numbers",
                "effect": "deny" if threat else "mask",
                "sentence": "why",
                "path": [
                    "EntityType:CREDIT_CARD",
                    "INDICATES",
                    "SensitivityLabel:cardholder_data",
                    "GOVERNS",
                    "Policy:mask-card-numbers",
                ],
                "threat": threat,
            }
        ],
        "messages": [{"role": "user", "content": "card **** 1111"}],
        "context": [],
        "exposures": [],
        "withholdings": [],
        "redactions": [
            {
                "segment": "messages[0]",
                "start": 5,
                "end": 24,
                "entity_type": "CREDIT_CARD",
                "label": "cardholder_data",
                "action": "mask",
                "replacement": "**** 1111",
            }
        ],
        "labels": ["cardholder_data", "pci"],
        "route": {"primary": "nw-llama-3.1-70b", "fallbacks": [], "rejected": []},
        "issues": [],
        "threats": {
            "detector_version": "test",
            "findings": [
                {
                    "category": "attack",
                    "score": 0.99,
                    "segment": "messages[0]",
                    "view": "text",
                    "start": 0,
                    "end": 4,
                },
                {
                    "category": "jailbreak",
                    "score": 0.97,
                    "segment": "messages[0]",
                    "view": "text",
                    "start": 0,
                    "end": 4,
                },
            ],
        },
        "block_output_labels": [],
        "latency_ms": latency_ms,
    }


def counts(graph: GraphClient, tenant: str) -> dict[tuple[str, str, str], int]:
    buckets = read_window_totals(
        graph,
        since=HOUR - timedelta(days=1),
        until=HOUR + timedelta(days=1),
        kinds=ALL_KINDS,
        tenant=tenant,
    )
    return {(b.kind, b.key, b.key2): b.count for b in buckets}


def test_when_a_batch_is_replayed_then_its_buckets_count_it_once(
    graph: GraphClient, enterprise: LoadReport
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    batch = [record(tenant, HOUR + timedelta(minutes=i)) for i in range(3)]
    batch.append(record(tenant, HOUR + timedelta(minutes=5), "deny", threat=True))

    write_provenance(graph, batch, [])
    first = counts(graph, tenant)
    write_provenance(graph, batch, [])  # a journal replay MERGEs the same records again

    assert counts(graph, tenant) == first
    assert first[("outcome", "allow_with_redactions", "")] == 3
    assert first[("outcome", "deny", "")] == 1
    assert first[("threat_deny", "jailbreak", "")] == 1  # best category, not the any-attack head
    assert first[("redaction", "cardholder_data", "")] == 4
    assert first[("policy_violation", "mask-card-numbers", "")] == 3
    assert first[("intent_label", "customer_support_reply", "pci")] == 4
    assert first[("latency", "20", "")] == 4


def test_when_attempts_come_with_or_after_their_decision_then_each_counts_once(
    graph: GraphClient, enterprise: LoadReport
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    first, later = record(tenant, HOUR), record(tenant, HOUR + timedelta(minutes=1))
    write_provenance(graph, [later], [])

    def attempt(decision: dict[str, Any], n: int, status: str) -> dict[str, Any]:
        return {
            "record_version": 2,
            "decision_id": decision["id"],
            "model_id": "nw-llama-3.1-70b",
            "attempt": n,
            "status": status,
            "latency_ms": 3.0,
            "http_status": 503,
            "detail": "",
        }

    attempts = [attempt(first, 1, "error"), attempt(later, 1, "skipped_open_circuit")]
    write_provenance(graph, [first], attempts)
    write_provenance(graph, [first], attempts)

    found = counts(graph, tenant)
    assert found[("upstream", "error", "")] == 1
    assert found[("upstream", "skipped_open_circuit", "")] == 1


def test_when_decisions_share_a_time_then_paging_lists_each_exactly_once(
    graph: GraphClient, enterprise: LoadReport
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    # Pairs with the same created_at: the id breaks the tie, across page ends too.
    batch = [record(tenant, HOUR + timedelta(seconds=i // 2)) for i in range(11)]
    write_provenance(graph, batch, [])
    where = DecisionFilter(since=HOUR, until=HOUR + timedelta(hours=1), tenant=tenant)

    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = list_decisions(graph, where, after=cursor, limit=3)
        seen += [row.id for row in page.rows]
        pages += 1
        if page.next is None:
            break
        cursor = page.next

    assert sorted(seen) == sorted(r["id"] for r in batch)
    assert len(seen) == len(set(seen))
    assert pages == 4
    newest_first = sorted(batch, key=lambda r: (r["created_at"], r["id"]), reverse=True)
    assert seen == [r["id"] for r in newest_first]


def test_when_list_is_filtered_by_label_and_outcome_then_only_those_match(
    graph: GraphClient, enterprise: LoadReport
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    denied = record(tenant, HOUR, "deny", threat=True)
    allowed = record(tenant, HOUR + timedelta(minutes=1), "allow")
    allowed["labels"] = ["internal"]
    write_provenance(graph, [denied, allowed], [])
    window = DecisionFilter(since=HOUR, until=HOUR + timedelta(hours=1), tenant=tenant)

    by_label = list_decisions(graph, replace(window, label="pci"), after=None, limit=10)
    by_outcome = list_decisions(graph, replace(window, outcomes=("allow",)), after=None, limit=10)
    by_policy = list_decisions(
        graph, replace(window, policy="deny-detected-attack"), after=None, limit=10
    )

    assert [r.id for r in by_label.rows] == [denied["id"]]
    assert [r.id for r in by_outcome.rows] == [allowed["id"]]
    assert [r.id for r in by_policy.rows] == [denied["id"]]


# ---------------------------------------------------------------- pure parts


def test_when_time_has_an_offset_then_its_hour_is_the_utc_one() -> None:
    assert hour_of("2026-12-07T10:59:59.999+02:00") == "2026-12-07T08:00:00Z"


def test_when_latency_is_past_the_last_bound_then_it_lands_in_inf() -> None:
    assert (latency_bucket(0.4), latency_bucket(20.0), latency_bucket(9000)) == ("1", "20", "inf")


def test_when_histogram_is_read_then_p50_and_p99_are_bucket_bounds() -> None:
    histogram = Counter({"5": 50, "50": 49, "1000": 1})

    assert percentile(histogram, 0.50) == 5
    assert percentile(histogram, 0.99) == 50
    assert percentile(histogram, 1.0) == 1000
    assert percentile(Counter(), 0.5) is None


def test_when_decision_is_plainly_allowed_then_it_is_no_violation() -> None:
    counted = decision_counts(record("t", HOUR, "allow"))

    kinds = {kind for (_, _, kind, _, _) in counted}
    assert BucketKind.POLICY_VIOLATION not in kinds
    assert BucketKind.INTENT_LABEL not in kinds
    assert counted[("t", "2001-03-04T10:00:00Z", BucketKind.OUTCOME, "allow", "")] == 1
