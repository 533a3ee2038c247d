"""`govroute audit backfill` over a real Neo4j: a graph written before the audit shape (no
`EXPOSED {at, item_id}`, no label-receipt tallies) answers the audit queries as a graph
written with it, after the backfill; the backfill is batched, resumable and idempotent,
and the hash chain still verifies.

The graph "written by the old statement" is made by writing real decision records with
today's write and removing what this build added to it (the old WRITE_DECISIONS wrote
the same nodes, edges and properties minus exactly these): STRIP_AUDIT_SHAPE below.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, LiteralString

import pytest
from typer.testing import CliRunner

from api.cli import app
from engine.provenance import Attempt, attempt_record
from graph import queries, store
from graph.audit_backfill import BackfillProgress, backfill
from graph.connection import GraphClient, records
from graph.provenance import write_provenance
from graph.settings import Neo4jSettings
from lifecycle.audit_verify import verify_chain
from tests.audit_decisions import comparable, enterprise_records
from tests.conftest import load_enterprise, wipe

pytestmark = pytest.mark.neo4j

# Test-only: what this build's write adds, removed, leaving the graph the earlier write made.
STRIP_AUDIT_SHAPE: LiteralString = """
CALL () { MATCH (x:Decision) REMOVE x.audit_shape, x.received_by }
CALL () { MATCH ()-[e:EXPOSED]->() REMOVE e.at, e.item_id }
CALL () { MATCH (t:LabelReceipt) DETACH DELETE t }
"""
LABELS = ("pci", "cardholder_data", "pii", "confidential", "restricted")
SOURCES = ("card-payments-eu", "crm-eu", "wiki", "core-banking-eu")
DECISIONS = 150


class Interrupted(Exception):
    pass


def answers(client: GraphClient) -> dict[str, Any]:
    """Every audit answer that depends on the shape: (b) per label, (a) per source (the
    whole list, by pages of 7) and its count."""
    out: dict[str, Any] = {}
    for label in LABELS:
        rows = client.read(records, queries.AUDIT_PROVIDERS_RECEIVING_LABEL, label=label)
        out[f"b:{label}"] = comparable(rows)
    for source in SOURCES:
        rows, after = [], None
        while page := client.read(
            records, queries.AUDIT_DECISIONS_EXPOSING_SOURCE, source=source, limit=7, after=after
        ):
            rows += page
            after = {k: page[-1][k] for k in ("created_at", "decision", "exposed")}
        out[f"a:{source}"] = rows
        [count] = client.read(records, queries.AUDIT_DECISIONS_EXPOSING_SOURCE_COUNT, source=source)
        out[f"a#{source}"] = count["exposures"]
    return out


@pytest.fixture(scope="module")
def written(graph: GraphClient) -> tuple[GraphClient, list[dict[str, Any]]]:
    wipe(graph)
    load_enterprise(graph)
    active = store.active_policy_set(graph)
    assert active is not None
    # Three batches over the same minutes: three decisions at each time, so the pages of
    # (a) break ties on created_at as the bench's fill makes them.
    start = datetime(2026, 3, 1, tzinfo=UTC)
    decisions = [d for _ in range(3) for d in enterprise_records(active.id, 50, start=start)]
    allowed = [d for d in decisions if d["outcome"] != "deny" and d["route"]["fallbacks"]]
    # Gateway calls, some in the decisions' own transaction and some later: one that
    # reached a fallback (its provider received the data), one an open circuit skipped, a
    # cache hit, and a second call to a model already counted.
    calls = []
    for i, d in enumerate(allowed[:12]):
        status = ("error", "skipped_open_circuit", "cache_hit", "ok")[i % 4]
        model = d["route"]["fallbacks"][-1] if status != "ok" else d["route"]["primary"]
        calls.append(attempt_record(Attempt(d["id"], model, 1, status, 10.0)))
    for i in range(0, DECISIONS, 50):
        batch = decisions[i : i + 50]
        ids = {d["id"] for d in batch}
        write_provenance(graph, batch, [c for c in calls[:6] if c["decision_id"] in ids])
    write_provenance(graph, [], calls[6:])
    return graph, decisions


def test_when_an_old_graph_is_backfilled_then_it_answers_as_a_new_one_and_still_verifies(
    written: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, _ = written
    expected = answers(client)
    assert any(expected[f"b:{label}"] for label in LABELS)
    assert expected["a:wiki"]
    assert expected["a:core-banking-eu"]
    assert verify_chain(client).clean
    for label in LABELS:  # the tallies answer as the scan over every decision does
        scan = client.read(records, queries.AUDIT_PROVIDERS_RECEIVING_LABEL_BY_SCAN, label=label)
        assert expected[f"b:{label}"] == comparable(scan), label
    record_before = client.read(records, "MATCH (x:Decision) RETURN x.id AS id, x.record AS r")

    client.run_statement(STRIP_AUDIT_SHAPE)
    stripped = answers(client)
    assert stripped != expected  # without the backfill the fast queries do not know them
    assert not any(stripped[f"a:{s}"] for s in SOURCES)

    # Interrupted after two pages of 40, then run again to the end.
    seen: list[BackfillProgress] = []

    def stop_after_two(p: BackfillProgress) -> None:
        seen.append(BackfillProgress(p.total, p.read, p.backfilled, p.after))
        if len(seen) == 2:
            raise Interrupted

    with pytest.raises(Interrupted):
        backfill(client, page=40, on_progress=stop_after_two)
    assert [(p.read, p.backfilled) for p in seen] == [(40, 40), (80, 80)]
    assert seen[0].total == DECISIONS
    rest = backfill(client, page=40)
    assert (rest.read, rest.backfilled) == (DECISIONS, DECISIONS - 80)
    assert answers(client) == expected

    again = backfill(client, page=40)  # idempotent: nothing left, nothing counted twice
    assert (again.read, again.backfilled) == (DECISIONS, 0)
    assert answers(client) == expected
    assert verify_chain(client).clean
    after = client.read(records, "MATCH (x:Decision) RETURN x.id AS id, x.record AS r")
    assert sorted(after, key=lambda r: r["id"]) == sorted(record_before, key=lambda r: r["id"])


def test_when_the_backfill_runs_from_the_cli_then_it_reports_progress_and_the_total(
    written: tuple[GraphClient, list[dict[str, Any]]], neo4j_settings: Neo4jSettings
) -> None:
    client, _ = written
    expected = answers(client)
    client.run_statement(STRIP_AUDIT_SHAPE)
    assert neo4j_settings.password is not None
    env = {
        "NEO4J_URI": neo4j_settings.uri or "",
        "NEO4J_USER": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value(),
    }
    result = CliRunner().invoke(app, ["audit", "backfill", "--page", "100"], env=env)
    assert result.exit_code == 0, result.output
    assert f"read 100 of {DECISIONS}, backfilled 100" in result.output
    assert f"backfilled {DECISIONS} of {DECISIONS} decisions" in result.output
    assert answers(client) == expected
