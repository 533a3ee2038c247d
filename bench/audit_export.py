"""Benchmark: `govroute audit export` over a large set of decisions, speed and memory.

    .venv/bin/python bench/audit_export.py [--decisions N] [--format turtle|jsonld]

A throwaway Neo4j with the reference enterprise and N real decision records (the
enterprise's decision cases, fresh ids, one second apart), written through
graph.provenance.write_provenance (so chained). Each export then runs in a child
process of its own, over the first tenth of the window and over all of it, and the
child reports decisions/s, bytes written and its peak RSS (sampled every 50 ms): equal
peaks for N/10 and N decisions are what "bounded memory" means. Also timed: `govroute
audit verify` over the whole chain. Figures go to docs/audit.md ("Exporting a million decisions").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

# Only what the child needs at module level, so its RSS is the export's own: the
# parent's tools (decision generation, the server, verify) are imported in main().
from graph.connection import GraphClient  # noqa: E402
from graph.settings import Neo4jSettings  # noqa: E402
from lifecycle.audit_export import ExportFormat, export_decisions  # noqa: E402

START = datetime(2026, 12, 1, tzinfo=UTC)


def mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def rss_now() -> int:
    """Resident set size now. Not ru_maxrss: Linux carries the parent's high-water mark
    into a forked child across exec, so the child's own peak is sampled instead."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def child(args: argparse.Namespace) -> None:
    """One export, measured from inside the process that does it."""
    settings = Neo4jSettings.model_validate(json.loads(os.environ["BENCH_NEO4J"]))
    baseline = rss_now()
    peak = [baseline]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], rss_now())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with GraphClient.connect(settings) as client, open(args.out, "w", encoding="utf-8") as out:
        t = time.perf_counter()
        summary = export_decisions(
            client, out, since=args.since, until=args.until, format=ExportFormat(args.format[0])
        )
        seconds = time.perf_counter() - t
    done.set()
    sampler.join()
    print(json.dumps({"decisions": summary.decisions, "seconds": seconds,
                      "baseline_rss": baseline, "peak_rss": max(peak[0], rss_now())}))  # fmt: skip


def measured_export(
    settings: Neo4jSettings, fmt: str, since: datetime, until: datetime, out: Path
) -> dict[str, float]:
    env = dict(os.environ, BENCH_NEO4J=json.dumps({
        "NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
        "NEO4J_PASSWORD": settings.password.get_secret_value() if settings.password else "",
    }))  # fmt: skip
    done = subprocess.run(
        [sys.executable, __file__, "--child", "--format", fmt, "--out", str(out),
         "--since", since.isoformat(), "--until", until.isoformat()],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["bytes"] = out.stat().st_size
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument(
        "--format", nargs="+", choices=[f.value for f in ExportFormat], default=["turtle", "jsonld"]
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--since", help=argparse.SUPPRESS)
    parser.add_argument("--until", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    from graph import store
    from graph.provenance import write_provenance
    from graph.server import throwaway_server
    from lifecycle.audit_verify import verify_chain
    from loaders.policy_load import load_policy_path
    from tests.audit_decisions import enterprise_records
    from tests.conftest import ENTERPRISE

    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="govroute-bench-") as home,
        throwaway_server(Path(home) / "neo4j", heap="1g", pagecache="1g") as server,
        GraphClient.connect(server.client_settings()) as client,
    ):
        load_policy_path(client, ENTERPRISE, author="bench", message="enterprise")
        active = store.active_policy_set(client)
        assert active is not None
        t = time.perf_counter()
        step = 5_000
        for i in range(0, args.decisions, step):
            n = min(step, args.decisions - i)
            records = enterprise_records(
                active.id, n, start=START + timedelta(seconds=i), step=timedelta(seconds=1)
            )
            for j in range(0, n, 1000):
                write_provenance(client, records[j : j + 1000], [])
        print(f"wrote {args.decisions:,} chained decisions in {time.perf_counter() - t:.0f} s")
        end = START + timedelta(seconds=args.decisions)
        tenth = START + timedelta(seconds=args.decisions // 10)
        windows = ((f"{args.decisions // 10:,}", tenth), (f"{args.decisions:,}", end))
        for fmt in args.format:
            for label, until in windows:
                r = measured_export(server.client_settings(), fmt, START, until, Path(home) / "out")
                print(
                    f"export {label:>9} decisions ({fmt}): "
                    f"{r['decisions'] / r['seconds']:,.0f} decisions/s, {r['seconds']:.1f} s, "
                    f"{mb(r['bytes'])} written ({r['bytes'] / r['decisions']:,.0f} B each), "
                    f"peak RSS {mb(r['peak_rss'])} (after imports: {mb(r['baseline_rss'])})",
                    flush=True,
                )
        t = time.perf_counter()
        report = verify_chain(client)
        took = time.perf_counter() - t
        print(f"verify {report.decisions:,} decisions, {report.batches:,} batches: "
              f"{'clean' if report.clean else 'TAMPERED'} in {took:.1f} s "
              f"({report.decisions / took:,.0f} decisions/s)")  # fmt: skip


if __name__ == "__main__":
    main()
