"""Benchmark: what writing one decision's provenance costs Neo4j, and the audit queries'
speed over many decisions.

    .venv/bin/python bench/provenance_write.py [--decisions N] [--write-decisions M]
                                               [--batch 256 32 8] [--warmup W] [--skip-audit]

A throwaway Neo4j with the reference enterprise (heap 1g, page cache 1g). Part 1: for
each batch size, M real decision records (the enterprise's decision cases, fresh ids)
go through `graph.provenance.write_provenance`, the writer's own transaction (decisions,
chain, console buckets); it prints wall ms per decision and Neo4j CPU ms per decision
(from /proc, the server's process tree). Part 2: fills the graph up to N decisions
(default 1,000,000) in batches of 1,000, and at every power of ten on the way times
each docs/audit.md query (median of 5 runs after one warm-up; one run when the warm-up
took over 5 s), with its row count, and the same questions read by scanning every decision
(the `_BY_SCAN` queries, which the paged (a) and the tallied (b) replaced).
Figures go to docs/audit.md ("What provenance costs Neo4j").
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.cpu import cpu_seconds  # noqa: E402
from graph import queries, store  # noqa: E402
from graph.connection import GraphClient  # noqa: E402
from graph.provenance import write_provenance  # noqa: E402
from graph.schema import apply_schema  # noqa: E402
from graph.server import throwaway_server  # noqa: E402
from loaders.policy_load import load_policy_path  # noqa: E402
from tests.audit_decisions import enterprise_records  # noqa: E402
from tests.conftest import ENTERPRISE  # noqa: E402

FILL_BATCH = 1_000
START = datetime(2026, 1, 1, tzinfo=UTC)


def write_cost(
    client: GraphClient, version: str, neo4j_cpu: Callable[[], float], n: int, batch: int
) -> str:
    records = enterprise_records(version, n, start=START)
    spent: list[float] = []
    cpu = neo4j_cpu()
    for i in range(0, n, batch):
        t = time.perf_counter()
        write_provenance(client, records[i : i + batch], [])
        spent.append(time.perf_counter() - t)
    neo = neo4j_cpu() - cpu
    return (
        f"  batches of {batch:>4}: {sum(spent) / n * 1000:6.2f} ms/decision wall, "
        f"{neo / n * 1000:6.2f} ms/decision Neo4j CPU, "
        f"median {statistics.median(spent) * 1000:7.1f} ms/transaction, "
        f"{n / sum(spent):6,.0f} decisions/s"
    )


def time_query(client: GraphClient, query: Any, **params: Any) -> tuple[float, int]:
    def run() -> int:
        return client.read(lambda tx: len(list(tx.run(query, **params))))

    t = time.perf_counter()
    rows = run()  # warm-up: the plan and the pages
    # The scans take seconds to minutes at a million decisions: one timed run says enough.
    runs = 5 if time.perf_counter() - t < 5 else 1
    spent = []
    for _ in range(runs):
        t = time.perf_counter()
        run()
        spent.append(time.perf_counter() - t)
    return statistics.median(spent), rows


def middle_cursor(client: GraphClient, source: str) -> dict[str, Any]:
    """The cursor of a row about half-way down query (a)'s list, for a page deep in it."""
    [row] = client.read(
        lambda tx: [r.data() for r in tx.run(queries.AUDIT_DECISIONS_EXPOSING_SOURCE_COUNT,
                                              source=source)]
    )  # fmt: skip
    after: dict[str, Any] | None = None
    skip = int(row["exposures"]) // 2
    while skip > 0:  # walk there a page of up to 1,000 at a time
        n = min(skip, 1000)
        page = client.read(
            lambda tx, a=after, n=n: [
                r.data() for r in tx.run(queries.AUDIT_DECISIONS_EXPOSING_SOURCE,
                                         source=source, limit=n, after=a)
            ]
        )  # fmt: skip
        if not page:
            break
        skip -= len(page)
        after = {k: page[-1][k] for k in ("created_at", "decision", "exposed")}
    return after or {}


def audit_queries(client: GraphClient, sample_id: str, *, scans: bool = True) -> None:
    page = {"limit": 100, "after": None}
    # The most exposed source of the enterprise's cases (a wiki page, ~14% of
    # decisions), then a typical one (~2%).
    cases: list[tuple[str, Any, dict[str, Any]]] = [
        ("(a) page 1 of source wiki", queries.AUDIT_DECISIONS_EXPOSING_SOURCE,
         {"source": "wiki", **page}),
        ("(a) a page half-way down wiki", queries.AUDIT_DECISIONS_EXPOSING_SOURCE,
         {"source": "wiki", "limit": 100, "after": middle_cursor(client, "wiki")}),
        ("(a) count of source wiki", queries.AUDIT_DECISIONS_EXPOSING_SOURCE_COUNT,
         {"source": "wiki"}),
        ("(a) page 1 of core-banking-eu", queries.AUDIT_DECISIONS_EXPOSING_SOURCE,
         {"source": "core-banking-eu", **page}),
        ("(a) count of core-banking-eu", queries.AUDIT_DECISIONS_EXPOSING_SOURCE_COUNT,
         {"source": "core-banking-eu"}),
        ("(b) providers receiving pci", queries.AUDIT_PROVIDERS_RECEIVING_LABEL,
         {"label": "pci"}),
        ("(c) explain decision", queries.AUDIT_EXPLAIN_DECISION, {"decision_id": sample_id}),
    ]  # fmt: skip
    if scans:  # the same questions read over every decision (the queries before paging/tallies)
        cases += [
            ("(a) by scan, source wiki", queries.AUDIT_DECISIONS_EXPOSING_SOURCE_BY_SCAN,
             {"source": "wiki"}),
            ("(a) by scan, core-banking-eu", queries.AUDIT_DECISIONS_EXPOSING_SOURCE_BY_SCAN,
             {"source": "core-banking-eu"}),
            ("(b) by scan, pci", queries.AUDIT_PROVIDERS_RECEIVING_LABEL_BY_SCAN,
             {"label": "pci"}),
        ]  # fmt: skip
    for name, query, params in cases:
        seconds, rows = time_query(client, query, **params)
        print(f"    {name:<32} {seconds * 1000:9.1f} ms  ({rows:,} rows)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--write-decisions", type=int, default=2_048)
    parser.add_argument("--batch", type=int, nargs="+", default=[256, 32, 8])
    parser.add_argument("--warmup", type=int, default=8_192, help="decisions before measuring")
    parser.add_argument("--skip-audit", action="store_true")
    parser.add_argument(
        "--skip-scans", action="store_true", help="only the paged and tallied audit queries"
    )
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="govroute-bench-") as home,
        throwaway_server(Path(home) / "neo4j", heap="1g", pagecache="1g") as server,
        GraphClient.connect(server.client_settings()) as client,
    ):
        apply_schema(client)
        load_policy_path(client, ENTERPRISE, author="bench", message="enterprise")
        active = store.active_policy_set(client)
        assert active is not None
        pid = server.status().pid

        def neo4j_cpu() -> float:
            return cpu_seconds([pid] if pid else [])

        # Warm-up on records that are not measured: plans, the page cache and, above all,
        # the JVM's JIT, whose compiler threads count as Neo4j CPU for the first thousands.
        warm = enterprise_records(active.id, args.warmup, start=START)
        for i in range(0, len(warm), 256):
            write_provenance(client, warm[i : i + 256], [])
        print(f"write cost, {args.write_decisions} decisions per batch size:", flush=True)
        for batch in args.batch:
            print(write_cost(client, active.id, neo4j_cpu, args.write_decisions, batch), flush=True)
        if args.skip_audit:
            return
        written = client.read(
            lambda tx: int(tx.run("MATCH (x:Decision) RETURN count(x) AS n").single()["n"])
        )
        checkpoint, initial = 10_000, written
        began, cpu = time.perf_counter(), neo4j_cpu()
        while written < args.decisions:
            n = min(FILL_BATCH, args.decisions - written)
            batch = enterprise_records(active.id, n, start=START)
            write_provenance(client, batch, [])
            written += n
            if written >= checkpoint or written == args.decisions:
                took, filled = time.perf_counter() - began, written - initial
                print(
                    f"  {written:,} decisions (filled at {filled / took:,.0f}/s, "
                    f"Neo4j CPU {(neo4j_cpu() - cpu) / filled * 1000:.2f} ms/decision):",
                    flush=True,
                )
                audit_queries(client, batch[0]["id"], scans=not args.skip_scans)
                checkpoint *= 10


if __name__ == "__main__":
    main()
