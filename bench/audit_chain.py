"""Benchmark: what the provenance hash chain costs the write path.

    .venv/bin/python bench/audit_chain.py [--decisions N] [--batch 256 8 ...]

A throwaway Neo4j with the reference enterprise. For each batch size, N real decision
records (the enterprise's decision cases, fresh ids) are written twice in batches of
that size: "before" runs WRITE_DECISIONS alone in the transaction, as
graph.provenance.write_provenance did before the chain; "after" is today's
write_provenance (WRITE_DECISIONS, then claim, lock the head, append the batch). Then
two threads write at once with the chain, as two API replicas would. Prints decisions/s
and ms per transaction. Figures go to docs/audit.md ("What the chain costs").
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from graph import provenance_queries, store  # noqa: E402
from graph.connection import GraphClient  # noqa: E402
from graph.provenance import decision_row, write_provenance  # noqa: E402
from graph.provenance_chain import new_chain_token  # noqa: E402
from graph.schema import apply_schema  # noqa: E402
from graph.server import throwaway_server  # noqa: E402
from lifecycle.audit_verify import verify_chain  # noqa: E402
from loaders.policy_load import load_policy_path  # noqa: E402
from tests.audit_decisions import enterprise_records  # noqa: E402
from tests.conftest import ENTERPRISE  # noqa: E402

Records = list[dict[str, Any]]


def unchained_write(client: GraphClient, decisions: Records) -> None:
    """The write path before the chain: the decisions' MERGEs alone."""
    rows = [decision_row(r) for r in decisions]
    mark = new_chain_token()
    client.write(
        lambda tx: tx.run(provenance_queries.WRITE_DECISIONS, rows=rows, token=mark).consume()
    )


def chained_write(client: GraphClient, decisions: Records) -> None:
    """Today's write path: the same MERGEs, then the chain's claim, lock and batch."""
    write_provenance(client, decisions, [])


def timed(write: Any, client: GraphClient, records: Records, batch: int) -> list[float]:
    seconds = []
    for i in range(0, len(records), batch):
        t = time.perf_counter()
        write(client, records[i : i + batch])
        seconds.append(time.perf_counter() - t)
    return seconds


def line(what: str, n: int, seconds: list[float]) -> str:
    total = sum(seconds)
    return (
        f"  {what:<26} {n / total:8,.0f} decisions/s   "
        f"median {statistics.median(seconds) * 1000:7.1f} ms/transaction"
    )


def two_writers(
    client: GraphClient, halves: list[Records], batch: int
) -> tuple[float, list[float]]:
    """Two threads writing chained batches at once; wall seconds and each transaction's."""
    spent: list[list[float]] = [[], []]

    def replica(n: int) -> None:
        spent[n] = timed(chained_write, client, halves[n], batch)

    t = time.perf_counter()
    threads = [threading.Thread(target=replica, args=(n,)) for n in (0, 1)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t, spent[0] + spent[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--decisions", type=int, default=2048)
    parser.add_argument("--batch", type=int, nargs="+", default=[256, 8])
    args = parser.parse_args()
    start = datetime(2026, 12, 1, tzinfo=UTC)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="govroute-bench-") as home,
        throwaway_server(Path(home) / "neo4j", heap="1g", pagecache="512m") as server,
        GraphClient.connect(server.client_settings()) as client,
    ):
        apply_schema(client)
        load_policy_path(client, ENTERPRISE, author="bench", message="enterprise")
        active = store.active_policy_set(client)
        assert active is not None
        # Warm up plans and page cache on records that are not measured.
        write_provenance(client, enterprise_records(active.id, 512, start=start), [])
        unchained_write(client, enterprise_records(active.id, 512, start=start))
        for batch in args.batch:
            print(f"batches of {batch}, {args.decisions} decisions each run:", flush=True)
            # Interleaved, twice each, so a load spike from the neighbours hits both.
            for _ in range(2):
                before = enterprise_records(active.id, args.decisions, start=start)
                after = enterprise_records(active.id, args.decisions, start=start)
                print(
                    line(
                        "before (no chain)",
                        len(before),
                        timed(unchained_write, client, before, batch),
                    )
                )
                chained = timed(chained_write, client, after, batch)
                print(line("after (chained)", len(after), chained))
            halves = [
                enterprise_records(active.id, args.decisions // 2, start=start) for _ in (0, 1)
            ]
            wall, spent = two_writers(client, halves, batch)
            print(
                f"  {'after, 2 writers at once':<26} {args.decisions / wall:8,.0f} decisions/s   "
                f"median {statistics.median(spent) * 1000:7.1f} ms/transaction"
            )
        # The "before" decisions were never chained: verify would rightly name them.
        client.run_statement("MATCH (x:Decision) WHERE x.batch_seq IS NULL DETACH DELETE x")
        t = time.perf_counter()
        report = verify_chain(client)
        took = time.perf_counter() - t
        print(
            f"verify: {report.decisions:,} decisions in {report.batches:,} batches, "
            f"{'clean' if report.clean else 'TAMPERED'}, {took:.1f} s "
            f"({report.decisions / took:,.0f} decisions/s)"
        )


if __name__ == "__main__":
    main()
