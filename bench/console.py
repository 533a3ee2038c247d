"""Benchmark: the console's pages over many decisions.

    .venv/bin/python bench/console.py [--decisions N] [--days D] [--runs R]

A throwaway Neo4j with the reference enterprise and N real decision records (the
enterprise's decision cases decided by the pure core, fresh ids, spread evenly over the
last D days, each with a decision latency drawn from a log-normal), written through
graph.provenance.write_provenance in batches of 1,000: the batch path the provenance
writer uses, so chained and aggregated into DecisionBuckets as in production. Then
the real app serves the console on a free port and each page is fetched R times over
HTTP with a platform admin's key (after one warm-up); the median and the slowest are
printed, server-side rendering included. Figures go to docs/console.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import httpx  # noqa: E402

from api.app import create_app  # noqa: E402
from api.gateway.fake_upstream import BackgroundServer  # noqa: E402
from api.settings import ApiSettings, Settings  # noqa: E402
from graph import store  # noqa: E402
from graph.connection import GraphClient  # noqa: E402
from graph.provenance import write_provenance  # noqa: E402
from graph.schema import apply_schema  # noqa: E402
from graph.server import throwaway_server  # noqa: E402
from loaders.policy_load import load_policy_path  # noqa: E402
from tests.audit_decisions import enterprise_records  # noqa: E402
from tests.conftest import ENTERPRISE  # noqa: E402

ADMIN = "gr_demo_policy_engineer_OjqVP6C_D3eEYxIj"  # policy-engineer: every tenant
BATCH = 1_000


def synthetic(
    cases: list[dict[str, Any]], n: int, *, end: datetime, days: float, seed: int = 7
) -> list[dict[str, Any]]:
    """`n` copies of the decided cases, evenly spaced up to `end`, fresh ids."""
    rng = random.Random(seed)
    step = timedelta(days=days) / n
    start = end - timedelta(days=days)
    out = []
    for i in range(n):
        base = cases[i % len(cases)]
        out.append(
            {
                **base,
                "id": f"dec_{rng.getrandbits(128):032x}",
                "created_at": (start + i * step).isoformat(),
                "latency_ms": round(rng.lognormvariate(3.3, 0.5), 3),  # median ~27 ms
            }
        )
    return out


def timed(client: httpx.Client, path: str, runs: int) -> tuple[float, float, int]:
    client.get(path).raise_for_status()  # warm-up: templates compiled, plans cached
    took = []
    size = 0
    for _ in range(runs):
        t = time.perf_counter()
        response = client.get(path)
        took.append((time.perf_counter() - t) * 1000)
        response.raise_for_status()
        size = len(response.content)
    return statistics.median(took), max(took), size


def graph_reads(client: GraphClient, now: datetime) -> None:
    """The aggregate reads alone, without HTTP and rendering: how many buckets a window
    holds and how long the graph takes to sum them."""
    from api.console.charts import HEATMAP_KINDS, OVERVIEW_KINDS
    from graph.console_reads import read_hourly, read_window_totals

    for days in (1, 7):
        since = now - timedelta(days=days)
        for name, read, kinds in (
            ("hourly", read_hourly, OVERVIEW_KINDS),
            ("window totals", read_window_totals, HEATMAP_KINDS),
        ):
            read(client, since=since, until=now, kinds=kinds, tenant=None)  # warm-up
            t = time.perf_counter()
            rows = read(client, since=since, until=now, kinds=kinds, tenant=None)
            ms = (time.perf_counter() - t) * 1000
            print(f"graph read {name:<13} {days} d: {len(rows):>6,} rows in {ms:6.1f} ms")
    count = client.read_once("MATCH (k:DecisionBucket) RETURN count(k) AS n")[0]["n"]
    print(f"{count:,} DecisionBuckets in all", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="govroute-bench-") as home,
        throwaway_server(Path(home) / "neo4j", heap="1g", pagecache="1g") as server,
        GraphClient.connect(server.client_settings()) as client,
    ):
        load_policy_path(client, ENTERPRISE, author="bench", message="enterprise")
        apply_schema(client)
        active = store.active_policy_set(client)
        assert active is not None
        now = datetime.now(UTC)
        cases = enterprise_records(active.id, 200, start=now)
        records = synthetic(cases, args.decisions, end=now, days=args.days)
        t = time.perf_counter()
        for i in range(0, len(records), BATCH):
            write_provenance(client, records[i : i + BATCH], [])
        took = time.perf_counter() - t
        print(
            f"wrote {args.decisions:,} decisions over {args.days:g} days in {took:.0f} s "
            f"({args.decisions / took:,.0f} decisions/s, chained and bucketed)",
            flush=True,
        )
        graph_reads(client, now)
        settings = Settings(
            neo4j=server.client_settings(),
            api=ApiSettings(state_dir=Path(home) / "state", drift_check_interval_s=0),
        )
        app = create_app(settings)
        with (
            BackgroundServer(app) as api,
            httpx.Client(
                base_url=api.url, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=60
            ) as http,
        ):
            some = records[-1]["id"]
            pages = {
                "overview, 24 h": "/console",
                "overview, 7 d": "/console?since=7d",
                "heatmap, 24 h": "/console/heatmap",
                "heatmap, 7 d": "/console/heatmap?since=7d",
                "decisions, 24 h": "/console/decisions",
                "decisions, 7 d, tenant nw-us": "/console/decisions?since=7d&tenant=nw-us",
                "decisions, 7 d, outcome deny": "/console/decisions?since=7d&outcome=deny",
                "decisions, 7 d, policy": "/console/decisions?since=7d&policy=mask-card-numbers",
                "decisions, 7 d, principal": "/console/decisions?since=7d&principal=us-analyst",
                "decision page": f"/console/decisions/{some}",
                "policy versions": "/console/policies",
            }
            print(f"{'page':<32} {'median ms':>10} {'max ms':>8} {'bytes':>9}")
            for name, path in pages.items():
                median, slowest, size = timed(http, path, args.runs)
                print(f"{name:<32} {median:>10.1f} {slowest:>8.1f} {size:>9,}", flush=True)


if __name__ == "__main__":
    main()
