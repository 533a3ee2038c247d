"""Writing decision provenance into the graph, and reading it back."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from engine.provenance import dumps
from engine.threats.model import ANY_ATTACK
from graph import console_buckets, label_receipts, queries, rollout_queries
from graph import provenance_queries as pq
from graph.connection import GraphClient, records
from graph.provenance_chain import extend_chain, new_chain_token


def _last_per(items: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """One item per target, the last one winning, in first-seen order: the edges are
    CREATEd (graph/provenance_queries.py), and this is what the SET after each MERGE of
    the earlier shape stored when a record named a target twice."""
    by_target: dict[Any, dict[str, Any]] = {}
    for item in items:
        by_target.pop(item[key], None)  # re-inserted: last value, last position
        by_target[item[key]] = item
    return list(by_target.values())


def decision_row(record: dict[str, Any]) -> dict[str, Any]:
    """Flatten a decision record into the parameters WRITE_DECISIONS expects
    (graph/provenance_queries.py): one item per edge target."""
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
        # "minilm", or the static model's version: the score's scale (engine.cascade).
        "intent_embedder": record["intent"].get("embedder", "minilm"),
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
        "applied": _last_per(
            [
                {
                    "policy_id": r["policy_id"],
                    "effect": r["effect"],
                    "sentence": r["sentence"],
                    "path": r["path"],
                }
                for r in record["reasons"]
                if r["policy_id"]
            ],
            "policy_id",
        ),
        "exposed": list(dict.fromkeys(e["id"] for e in record["exposures"])),
        "withheld": _last_per(
            [
                {"id": w["id"], "reason": w["reason"], "code": w["code"]}
                for w in record["withholdings"]
            ],
            "id",
        ),
        "redacted": [{"label": label, "count": n} for label, n in sorted(redacted.items())],
        "routed": _last_per([{"model_id": m, "rank": i} for i, m in enumerate(routed)], "model_id"),
        "rejected": _last_per(
            [
                {"model_id": c["model_id"], "reason": "; ".join(c["reasons"])}
                for c in route["rejected"]
            ],
            "model_id",
        ),
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
    unique: dict[str, dict[str, Any]] = {}
    for record in decisions:  # a record sent twice in one batch is one decision
        unique.setdefault(record["id"], record)
    rows = [decision_row(r) for r in unique.values()]

    def work(tx: Any) -> None:
        # Only what this transaction creates is chained and counted: a replay's records
        # that are already in the graph come back from WRITE_DECISIONS as nothing.
        written: list[dict[str, Any]] = []
        if rows:
            written = [
                dict(r)
                for r in tx.run(
                    pq.WRITE_DECISIONS,
                    rows=rows,
                    token=token,
                    audit_shape=label_receipts.AUDIT_SHAPE,
                )
            ]
        created = {r["id"] for r in written}
        if rows:
            extend_chain(tx, {row["id"]: row["record"] for row in rows if row["id"] in created})
        fresh = [r for r in unique.values() if r["id"] in created]
        new_attempts = console_buckets.new_attempts(tx, attempts)
        attempted = console_buckets.attempt_counts(new_attempts)
        if attempts:
            tx.run(queries.WRITE_ATTEMPTS, rows=list(attempts)).consume()
        if restores:
            tx.run(queries.WRITE_RESTORES, rows=list(restores)).consume()
        if shadows:
            tx.run(rollout_queries.WRITE_SHADOWS, rows=list(shadows)).consume()
        console_buckets.add_buckets(tx, fresh, attempted)
        label_receipts.add_receipts(tx, label_receipts.fold_write(written, unique, new_attempts))

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
