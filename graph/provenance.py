"""Writing decision provenance into the graph, and reading it back."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from engine.provenance import dumps
from engine.threats.model import ANY_ATTACK
from graph import console_buckets, queries, rollout_queries
from graph.connection import GraphClient, records
from graph.provenance_chain import extend_chain, new_chain_token


def decision_row(record: dict[str, Any]) -> dict[str, Any]:
    """Flatten a decision record into the parameters WRITE_DECISIONS expects."""
    redacted = Counter(r["label"] for r in record["redactions"])
    route = record["route"]
    routed = ([route["primary"]] if route["primary"] else []) + list(route["fallbacks"])
    threats = record.get("threats") or {}
    scores = {f["category"]: f["score"] for f in threats.get("findings", ())}
    categories = {c: s for c, s in scores.items() if c != ANY_ATTACK}
    return {
        "id": record["id"],
        "created_at": record["created_at"],
        "outcome": record["outcome"],
        "tenant_id": record["tenant_id"],
        "principal_id": record["principal_id"],
        "purpose": record["purpose"],
        "prompt_sha256": record["prompt_sha256"],
        "policy_version": record["policy_version"],
        "intent_id": record["intent"]["id"],
        "intent_score": record["intent"]["score"],
        # Queryable without parsing the record: "decisions the detector scored above 0.9".
        "detector_version": threats.get("detector_version"),
        "threat_score": scores.get(ANY_ATTACK),
        "threat_category": max(categories, key=lambda c: categories[c]) if categories else None,
        "redacted_prompt": "\n".join(f"{m['role']}: {m['content']}" for m in record["messages"]),
        "labels": record["labels"],
        # Which version decided while a candidate was out (canary or active), for grouping.
        "rollout_role": (record.get("rollout") or {}).get("role"),
        "rollout_candidate": (record.get("rollout") or {}).get("candidate"),
        "record": dumps(record),
        "applied": [
            {
                "policy_id": r["policy_id"],
                "effect": r["effect"],
                "sentence": r["sentence"],
                "path": r["path"],
            }
            for r in record["reasons"]
            if r["policy_id"]
        ],
        "exposed": [e["id"] for e in record["exposures"]],
        "withheld": [
            {"id": w["id"], "reason": w["reason"], "code": w["code"]}
            for w in record["withholdings"]
        ],
        "redacted": [{"label": label, "count": n} for label, n in sorted(redacted.items())],
        "routed": [{"model_id": m, "rank": i} for i, m in enumerate(routed)],
        "rejected": [
            {"model_id": c["model_id"], "reason": "; ".join(c["reasons"])}
            for c in route["rejected"]
        ],
    }


def write_provenance(
    client: GraphClient,
    decisions: Sequence[dict[str, Any]],
    attempts: Sequence[dict[str, Any]],
    restores: Sequence[dict[str, Any]] = (),
    shadows: Sequence[dict[str, Any]] = (),
) -> None:
    """Write a batch of decision, attempt, restore and shadow records in one transaction
    (idempotent); restores and shadows after decisions, so they find their decision.
    The decisions it creates are appended to the hash chain in the same transaction."""
    token = new_chain_token()
    rows = [{**decision_row(r), "chain_token": token} for r in decisions]

    def work(tx: Any) -> None:
        # Asked before each write: only what this transaction creates is counted.
        fresh = console_buckets.new_decisions(tx, decisions)
        if rows:
            tx.run(queries.WRITE_DECISIONS, rows=rows).consume()
            extend_chain(tx, token, {row["id"]: row["record"] for row in rows})
        attempted = console_buckets.new_attempts(tx, attempts)
        if attempts:
            tx.run(queries.WRITE_ATTEMPTS, rows=list(attempts)).consume()
        if restores:
            tx.run(queries.WRITE_RESTORES, rows=list(restores)).consume()
        if shadows:
            tx.run(rollout_queries.WRITE_SHADOWS, rows=list(shadows)).consume()
        console_buckets.add_buckets(tx, fresh, attempted)

    client.write(work)


def read_decision(client: GraphClient, decision_id: str) -> dict[str, Any] | None:
    """The stored record plus the provenance edges as the graph has them."""
    rows = client.read(records, queries.READ_DECISION, id=decision_id)
    if not rows or rows[0]["record"] is None:
        return None
    row = rows[0]
    record: dict[str, Any] = json.loads(row["record"])
    record["provenance"] = [
        {"type": e["type"], "target": f"{e['kind']}:{e['id']}", **_plain(e["props"])}
        for e in row["edges"]
    ]
    if row["shadow"] is not None:  # what a candidate under shadow decided, stored beside it
        record["shadow"] = row["shadow"]
    # Upstream calls the gateway made, in order; Neo4j drops null properties, so
    # an attempt without an HTTP status (a timeout) reads back with status None.
    record["attempts"] = sorted(
        (
            {
                "model_id": e["id"],
                "attempt": e["props"].get("attempt"),
                "status": e["props"].get("status"),
                "http_status": e["props"].get("http_status"),
                "latency_ms": e["props"].get("latency_ms"),
                "detail": e["props"].get("detail", ""),
            }
            for e in row["edges"]
            if e["type"] == "ATTEMPTED"
        ),
        key=lambda a: a["attempt"] or 0,
    )
    return record


def read_restores(client: GraphClient, tenant_id: str, limit: int = 100) -> list[dict[str, Any]]:
    """The tenant's recorded pseudonym restores, newest first (no values: none are stored)."""
    return client.read(records, queries.READ_RESTORES, tenant_id=tenant_id, limit=limit)


def _plain(props: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in props.items()
        if isinstance(v, str | int | float | bool | list) or v is None
    }
