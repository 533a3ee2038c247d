"""The provenance hash chain against the real Neo4j: decisions written by the real writer
verify clean, and an edit, an insertion or a deletion made in Cypher (as in Neo4j
Browser) is found and named; replicas writing at once keep one chain; replays do not
chain a decision twice; an anchored head catches a rewritten chain."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph import store
from graph.connection import GraphClient, records
from graph.provenance import write_provenance
from graph.provenance_chain import batch_hash, record_digest
from graph.settings import Neo4jSettings
from lifecycle.audit_verify import Finding, VerifyReport, chain_head, verify_chain
from loaders.policy_load import LoadReport
from tests.audit_decisions import CLEAR_PROVENANCE, enterprise_records, write_through_writer

pytestmark = pytest.mark.neo4j

START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.fixture
def chained(
    graph: GraphClient, enterprise: LoadReport, tmp_path: Path
) -> tuple[GraphClient, list[dict[str, Any]]]:
    """40 decisions written by the real writer in small batches (so the chain has several)."""
    graph.run_statement(CLEAR_PROVENANCE)
    active = store.active_policy_set(graph)
    assert active is not None
    written = enterprise_records(active.id, 40, start=START)
    write_through_writer(graph, tmp_path / "journal", written, batch_size=8)
    return graph, written


def findings(report: VerifyReport) -> set[tuple[Finding, int | None, str | None]]:
    return {(p.finding, p.batch_seq, p.decision_id) for p in report.problems}


def batch_of(client: GraphClient, decision_id: str) -> int:
    rows = client.read(
        records, "MATCH (x:Decision {id: $id}) RETURN x.batch_seq AS seq", id=decision_id
    )
    return int(rows[0]["seq"])


def test_when_decisions_come_through_the_writer_then_verify_is_clean(
    chained: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, written = chained

    report = verify_chain(client)

    assert report.clean, report.text()
    assert report.decisions == len(written)
    assert report.batches >= 5  # batch_size 8: at least 40 / 8 links
    head = chain_head(client)
    assert head is not None
    assert head.seq == report.batches


def test_when_a_record_is_edited_in_cypher_then_verify_names_that_decision(
    chained: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, written = chained
    victim = written[7]["id"]
    client.run_statement(
        "MATCH (x:Decision {id: $id}) SET x.record = replace(x.record, '\"deny\"', '\"allow\"'),"
        " x.record = x.record + ' '",
        id=victim,
    )

    report = verify_chain(client)

    assert findings(report) == {(Finding.DECISION_EDITED, batch_of(client, victim), victim)}


def test_when_only_the_outcome_property_is_edited_then_verify_names_that_decision(
    chained: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, written = chained
    victim = written[3]["id"]
    client.run_statement(
        "MATCH (x:Decision {id: $id}) SET x.outcome = CASE x.outcome WHEN 'deny' THEN 'allow' "
        "ELSE 'deny' END",
        id=victim,
    )

    report = verify_chain(client)

    assert [(p.finding, p.decision_id) for p in report.problems] == [
        (Finding.DECISION_EDITED, victim)
    ]
    assert "outcome" in report.problems[0].detail


def test_when_a_decision_is_detach_deleted_then_verify_names_it_and_its_batch(
    chained: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, written = chained
    victim = written[20]["id"]
    seq = batch_of(client, victim)
    client.run_statement("MATCH (x:Decision {id: $id}) DETACH DELETE x", id=victim)

    report = verify_chain(client)

    assert findings(report) == {(Finding.DECISION_DELETED, seq, victim)}


def test_when_a_decision_is_created_in_cypher_then_verify_names_it(
    chained: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, written = chained
    forged = dict(written[0], id="dec_forged0000000000000000000000000")
    client.run_statement(
        "CREATE (:Decision {id: $id, record: $record, outcome: 'allow', batch_seq: 1})",
        id=forged["id"],
        record=json.dumps(forged),
    )

    report = verify_chain(client)

    assert findings(report) == {(Finding.DECISION_INSERTED, None, forged["id"])}
    assert "claims batch 1" in report.problems[0].detail


def test_when_a_batch_is_edited_or_removed_then_verify_names_its_seq(
    chained: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, _written = chained
    # Drop a decision from batch 2's list (hiding a deletion), and remove batch 4.
    client.run_statement(
        "MATCH (b:ProvenanceBatch {seq: 2}) SET b.decision_ids = b.decision_ids[1..], "
        "b.digests = b.digests[1..], b.count = b.count - 1"
    )
    orphans = client.read(
        records, "MATCH (x:Decision {batch_seq: 4}) RETURN x.id AS id ORDER BY id"
    )
    client.run_statement("MATCH (b:ProvenanceBatch {seq: 4}) DELETE b")

    report = verify_chain(client)

    kinds = {(p.finding, p.batch_seq) for p in report.problems}
    assert (Finding.BATCH_EDITED, 2) in kinds
    assert (Finding.BATCH_MISSING, 5) in kinds
    inserted = {p.decision_id for p in report.problems if p.finding is Finding.DECISION_INSERTED}
    assert {r["id"] for r in orphans} <= inserted  # batch 2's dropped id is among them too
    assert len(inserted) == len(orphans) + 1


def test_when_verify_finds_tampering_then_the_cli_exits_1_and_names_it(
    chained: tuple[GraphClient, list[dict[str, Any]]], neo4j_settings: Neo4jSettings
) -> None:
    client, written = chained
    assert neo4j_settings.password is not None
    env = {
        "NEO4J_URI": neo4j_settings.uri or "",
        "NEO4J_USER": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value(),
    }
    runner = CliRunner()
    clean = runner.invoke(app, ["audit", "verify"], env=env)
    assert clean.exit_code == 0, clean.output
    assert "verified" in clean.output

    client.run_statement("MATCH (x:Decision {id: $id}) DETACH DELETE x", id=written[1]["id"])
    tampered = runner.invoke(app, ["audit", "verify", "--json"], env=env)

    assert tampered.exit_code == 1, tampered.output
    body = json.loads(tampered.output)
    assert body["clean"] is False
    assert [(p["finding"], p["decision_id"]) for p in body["problems"]] == [
        ("decision_deleted", written[1]["id"])
    ]
    head = runner.invoke(app, ["audit", "head"], env=env)
    assert head.exit_code == 0
    assert body["head"]["hash"] in head.output


def test_when_a_journal_replay_resends_decisions_then_none_is_chained_twice(
    chained: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, written = chained
    before = chain_head(client)

    write_provenance(client, written[10:30], [])  # what a replay sends: the same records

    assert chain_head(client) == before
    report = verify_chain(client)
    assert report.clean, report.text()
    assert report.decisions == len(written)


def test_when_a_replay_mixes_old_and_new_decisions_then_only_the_new_are_chained(
    chained: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, written = chained
    active = store.active_policy_set(client)
    assert active is not None
    fresh = enterprise_records(active.id, 3, start=START)
    before = chain_head(client)
    assert before is not None

    write_provenance(client, written[:5] + fresh, [])

    rows = client.read(
        records,
        "MATCH (b:ProvenanceBatch {seq: $seq}) RETURN b.decision_ids AS ids",
        seq=before.seq + 1,
    )
    assert rows[0]["ids"] == sorted(r["id"] for r in fresh)
    assert verify_chain(client).clean


def test_when_two_writers_write_at_once_then_the_chain_stays_one_unbroken_line(
    graph: GraphClient, enterprise: LoadReport, tmp_path: Path
) -> None:
    graph.run_statement(CLEAR_PROVENANCE)
    active = store.active_policy_set(graph)
    assert active is not None
    halves = [enterprise_records(active.id, 60, start=START) for _ in range(2)]
    errors: list[BaseException] = []

    def replica(n: int) -> None:
        try:
            write_through_writer(graph, tmp_path / f"journal-{n}", halves[n], batch_size=4)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=replica, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    assert not errors, errors
    report = verify_chain(graph)
    assert report.clean, report.text()
    assert report.decisions == 120
    head = chain_head(graph)
    assert head is not None
    assert head.seq == report.batches


def test_when_the_whole_chain_is_rewritten_then_only_the_anchored_head_catches_it(
    chained: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, written = chained
    anchor = chain_head(client)
    assert anchor is not None
    assert verify_chain(client, expect_head=anchor.hash).clean

    # A careful forger edits a record and recomputes every digest and hash after it.
    victim = written[0]["id"]
    client.run_statement("MATCH (x:Decision {id: $id}) SET x.record = x.record + ' '", id=victim)
    rewrite_chain(client)

    assert verify_chain(client).clean  # the chain alone is consistent again
    caught = verify_chain(client, expect_head=anchor.hash)
    assert [p.finding for p in caught.problems] == [Finding.ANCHOR_MISSING]


def rewrite_chain(client: GraphClient) -> None:
    batches = client.read(
        records,
        "MATCH (b:ProvenanceBatch) RETURN b.seq AS seq, b.decision_ids AS ids, "
        "toString(b.at) AS at ORDER BY seq",
    )
    prev = "0" * 64
    for b in batches:
        rows = client.read(
            records,
            "UNWIND $ids AS id MATCH (x:Decision {id: id}) RETURN x.record AS record",
            ids=b["ids"],
        )
        digests = [record_digest(r["record"]) for r in rows]
        digest = batch_hash(b["seq"], prev, b["at"], list(zip(b["ids"], digests, strict=True)))
        client.run_statement(
            "MATCH (b:ProvenanceBatch {seq: $seq}) SET b.digests = $digests, b.hash = $hash, "
            "b.prev_hash = $prev",
            seq=b["seq"],
            digests=digests,
            hash=digest,
            prev=prev,
        )
        prev = digest
    client.run_statement("MATCH (h:ProvenanceChain) SET h.hash = $hash", hash=prev)


def test_when_the_chain_head_is_deleted_then_writes_continue_the_chain(
    chained: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, _ = chained
    before = chain_head(client)
    assert before is not None
    client.run_statement("MATCH (h:ProvenanceChain) DETACH DELETE h")
    active = store.active_policy_set(client)
    assert active is not None

    write_provenance(client, enterprise_records(active.id, 3, start=START), [])

    after = chain_head(client)
    assert after is not None
    assert after.seq == before.seq + 1
    report = verify_chain(client)
    assert report.clean, report.text()


def test_when_the_head_is_edited_then_verify_says_so(
    chained: tuple[GraphClient, list[dict[str, Any]]],
) -> None:
    client, _ = chained
    client.run_statement("MATCH (h:ProvenanceChain) SET h.seq = 1")

    report = verify_chain(client)

    assert [p.finding for p in report.problems] == [Finding.HEAD_MISMATCH]
