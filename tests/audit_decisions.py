"""Real decision records for the audit tests: the reference enterprise's own decision cases
decided by the pure core (lifecycle.case_run), each given a fresh id and a time of its own."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, LiteralString

from engine.provenance import decision_record
from graph.connection import GraphClient
from graph.provenance_writer import ProvenanceWriter
from lifecycle.case_run import CaseRunner
from lifecycle.cases import case_files, read_cases
from lifecycle.offline import offline_world
from loaders.policy_load import read_bundle
from tests.conftest import ENTERPRISE

# Test-only: forget every decision and the chain, keep the policy content.
CLEAR_PROVENANCE: LiteralString = """
MATCH (n) WHERE n:Decision OR n:ProvenanceBatch OR n:ProvenanceChain OR n:PseudonymRestore
DETACH DELETE n
"""


def enterprise_records(
    version: str, count: int, *, start: datetime, step: timedelta = timedelta(minutes=1)
) -> list[dict[str, Any]]:
    """`count` decision records, cycling through the enterprise's cases, `step` apart."""
    runner = CaseRunner(offline_world(read_bundle(ENTERPRISE), version=version))
    cases = read_cases(case_files(ENTERPRISE), relative_to=ENTERPRISE)
    decided = [runner.decide(c) for c in cases]
    return [
        decision_record(
            dataclasses.replace(
                decided[i % len(decided)],
                id=f"dec_{uuid.uuid4().hex}",
                created_at=start + i * step,
            )
        )
        for i in range(count)
    ]


def write_through_writer(
    client: GraphClient, journal: Path, records: list[dict[str, Any]], **kwargs: Any
) -> None:
    """Every record through the real ProvenanceWriter (journal, background batches)."""
    writer = ProvenanceWriter.for_graph(client, journal, **kwargs).start()
    try:
        for r in records:
            writer.submit_decision(r)
        assert writer.flush(60.0), "the writer did not drain"
        assert not writer.behind, "the writer fell behind: a write failed"
    finally:
        writer.close()


def comparable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of audit query (b) with their lists as sets: the order within models, via,
    labels and samples is the order the decisions were read in, which the query leaves open.
    Past 25 decisions the sample is any 25 of them: only its size is compared then."""
    lists = ("models", "via", "labels")
    return [
        {k: (set(v) if k in lists else v) for k, v in r.items()}
        | {
            "sample_decisions": set(r["sample_decisions"])
            if r["decisions"] <= 25
            else len(set(r["sample_decisions"]))
        }
        for r in rows
    ]
