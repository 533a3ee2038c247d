"""A decision's provenance as one immutable, JSON-ready record.

The record is what the graph stores (as a Decision node and its edges), what the
local journal keeps while Neo4j is away, and what GET /v1/decisions/{id} returns.
It never holds the raw prompt: only its SHA-256 and the redacted text; and never
the pseudonym mapping. Since record_version 2 it may hold the decision's replayable
input (engine.replay_input) under `input`; version 1 records have none, and readers
treat a missing `input` as "recorded before inputs were kept".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from engine.decision import Decision

RECORD_VERSION = 2


@dataclass(frozen=True, slots=True)
class Attempt:
    """One upstream call the gateway made for a decision."""

    decision_id: str
    model_id: str
    attempt: int
    # "ok" | "error" | "timeout" | "rate_limited" | "skipped_open_circuit" | "cache_hit"
    # (answered from the response cache: nothing was sent; `model_id` answered then)
    status: str
    latency_ms: float
    http_status: int | None = None
    detail: str = ""


def decision_record(
    decision: Decision, replay_input: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Everything about a decision an auditor may see, as plain JSON types; with
    `replay_input` (engine.replay_input.input_record), what replay needs as well."""
    record = {
        "record_version": RECORD_VERSION,
        "id": decision.id,
        "created_at": decision.created_at.isoformat(),
        "principal_id": decision.principal_id,
        "tenant_id": decision.tenant_id,
        "outcome": decision.outcome.value,
        "purpose": decision.purpose,
        "purpose_defaulted": decision.purpose_defaulted,
        "policy_version": decision.policy_version,
        "prompt_sha256": decision.prompt_sha256,
        "intent": {
            "id": decision.intent.intent_id,
            "category": decision.intent.category.value,
            "score": round(decision.intent.score, 4),
            "signals": list(decision.intent.signals),
            # "minilm", or the static model's version (engine.cascade settled it).
            "embedder": decision.intent.embedder,
        },
        "reasons": [
            {
                "policy_id": r.policy_id,
                "effect": r.effect.value if r.effect else None,
                "sentence": r.sentence,
                "path": list(r.path),
                "threat": r.threat,
            }
            for r in decision.reasons
        ],
        "messages": [{"role": m.role, "content": m.content} for m in decision.messages],
        "context": [{"id": c.item_id, "text": c.text} for c in decision.context],
        "exposures": [
            {"id": e.item_id, "kind": e.kind, "labels": list(e.labels)} for e in decision.exposures
        ],
        "withholdings": [
            {"id": w.item_id, "code": w.code, "reason": w.reason, "policy_id": w.policy_id}
            for w in decision.withholdings
        ],
        "redactions": [
            {
                "segment": r.segment,
                "start": r.start,
                "end": r.end,
                "entity_type": r.entity_type,
                "label": r.label,
                "action": r.action.value,
                "replacement": r.replacement,
            }
            for r in decision.redactions
        ],
        "labels": list(decision.labels),
        "route": {
            "primary": decision.route.primary,
            "fallbacks": list(decision.route.fallbacks),
            "rejected": [
                {"model_id": c.model_id, "provider_id": c.provider_id, "reasons": list(c.reasons)}
                for c in decision.route.rejected
            ],
        },
        "issues": [{"policy_id": i.policy_id, "message": i.message} for i in decision.issues],
        "threats": {
            "detector_version": decision.detector_version,
            "findings": [
                {
                    "category": f.head,
                    "score": round(f.score, 4),
                    "segment": f.segment,
                    "view": f.view,
                    "start": f.start,
                    "end": f.end,
                }
                for f in decision.threats
            ],
        },
        "block_output_labels": list(decision.block_output_labels),
    }
    if replay_input is not None:
        record["input"] = replay_input
    return record


def attempt_record(attempt: Attempt) -> dict[str, Any]:
    return {
        "record_version": RECORD_VERSION,
        "decision_id": attempt.decision_id,
        "model_id": attempt.model_id,
        "attempt": attempt.attempt,
        "status": attempt.status,
        "latency_ms": round(attempt.latency_ms, 2),
        "http_status": attempt.http_status,
        "detail": attempt.detail,
    }


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
