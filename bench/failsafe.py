"""Benchmark: what durability costs a decision, and how long a frozen dependency makes
anyone wait.

    .venv/bin/python bench/failsafe.py [--journal] [--redis] [--neo4j] [--records N]

--journal  p50/p95/p99 of `ProvenanceWriter.submit_decision` for a real decision record,
           one thread and 8 at once: before (the writer of main at 5f17cb3, which only
           enqueued) and after (write-ahead: fsynced, group-committed, before returning).
           Neo4j is not involved: the writer function does nothing, so this is the
           request thread's cost alone.
--redis    A real redis-server frozen with SIGSTOP, then killed: the wait of each
           rate-limit admission (fail open) and how many waited the timeout.
--neo4j    A throwaway Neo4j frozen with SIGSTOP under the API (in process): the wait of
           an uncached key's 503 and a cached key's decision, the time until /readyz says
           not ready, until it says ready after SIGCONT, and a replica's start while
           frozen.
Without options, all three. Figures go to docs/operations.md ("When a dependency fails").
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from graph.provenance_writer import ProvenanceWriter  # noqa: E402
from graph.server import throwaway_server  # noqa: E402
from tests.redis_server import running_redis  # noqa: E402

BEFORE_COMMIT = "5f17cb3"
ANALYST = "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC"
ENGINEER = "gr_demo_eu_engineer_cFhc2wNyeRSuW30R"


def ms(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def spread(values: Sequence[float]) -> str:
    return (
        f"p50 {ms(values, 0.5):.3f} ms, p95 {ms(values, 0.95):.3f} ms, "
        f"p99 {ms(values, 0.99):.3f} ms, max {max(values) * 1000:.3f} ms"
    )


# ---------------------------------------------------------------- journal


def sample_record(n: int) -> dict[str, Any]:
    """The shape and size (~2 KB) of a decision record with a few reasons and spans."""
    return {
        "id": f"dec_{n:032x}",
        "created_at": "2026-12-06T12:00:00+00:00",
        "outcome": "allow_with_redactions",
        "tenant_id": "nw-eu",
        "principal_id": "eu-analyst",
        "purpose": "analytics",
        "policy_version": "policyset-v1",
        "prompt_sha256": "ab" * 32,
        "messages": [{"role": "user", "content": "Summarise <PERSON_05b56e>'s churn. " * 12}],
        "reasons": [
            {"policy_id": f"p{i}", "effect": "redact", "sentence": "Redact it. " * 4, "path": []}
            for i in range(5)
        ],
        "redactions": [{"label": "pii", "entity_type": "PERSON", "replacement": "<P>"}] * 3,
        "route": {"primary": "helio-ultra-eu", "fallbacks": ["nimbus-eu"], "rejected": []},
        "intent": {"id": "financial_report_analysis", "score": 0.62},
        "labels": ["pii", "internal"],
        "exposures": [],
        "withholdings": [],
    }


def old_writer_class() -> type[Any]:
    source = subprocess.run(
        ["git", "show", f"{BEFORE_COMMIT}:graph/provenance_writer.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("provenance_writer_before")
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    exec(compile(source, "provenance_writer_before.py", "exec"), module.__dict__)  # noqa: S102
    writer: type[Any] = module.ProvenanceWriter
    return writer


def time_submits(writer: Any, records: int, threads: int) -> list[float]:
    def one(n: int) -> float:
        record = sample_record(n)
        started = time.perf_counter()
        writer.submit_decision(record)
        return time.perf_counter() - started

    for n in range(50):  # warm-up
        one(10**6 + n)
    if threads == 1:
        return [one(n) for n in range(records)]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, range(records)))


def bench_journal(records: int) -> None:
    print("== write-ahead append: the request thread's cost per decision")

    # Decisions and attempts for the old writer; restores too for today's.
    def nothing(*records: Sequence[dict[str, Any]]) -> None:
        return None

    for label, cls in (("before", old_writer_class()), ("after", ProvenanceWriter)):
        for threads in (1, 8):
            with tempfile.TemporaryDirectory(dir=ROOT / ".govroute") as tmp:
                writer = cls(nothing, Path(tmp)).start()
                try:
                    took = time_submits(writer, records, threads)
                    assert writer.flush(60)
                finally:
                    writer.close()
                shared = ""
                if label == "after":
                    syncs = writer.journal.commits
                    shared = f"; {records + 50} records in {syncs} syncs"
                print(f"{label:6} {threads} thread(s): {spread(took)}{shared}")


# ---------------------------------------------------------------- redis


def bench_redis() -> None:
    from pydantic import SecretStr

    from api.ratelimit import RateLimiter
    from api.settings import RateLimitSettings
    from engine.model import Principal

    print("== Redis frozen (SIGSTOP), then killed: each admission's wait, fail open")
    with running_redis() as redis:
        settings = RateLimitSettings(redis_url=SecretStr(redis.url), default_tpm=0)
        limiter = RateLimiter.from_settings(settings)
        who = Principal("bench-p", "bench-t", frozenset({"r"}))

        def admits(n: int, pause_s: float = 0.0) -> list[float]:
            out = []
            for _ in range(n):
                started = time.perf_counter()
                limiter.admit(who, 10)
                out.append(time.perf_counter() - started)
                time.sleep(pause_s)
            return out

        up = admits(200)
        print(f"redis up:      {spread(up)}")
        os.kill(redis.pid, signal.SIGSTOP)
        try:
            # 5 s of traffic at 20 requests/s: the back-off (2 s) lapses twice.
            frozen = admits(100, pause_s=0.05)
        finally:
            os.kill(redis.pid, signal.SIGCONT)
        slow = sum(t > 0.01 for t in frozen)
        print(f"redis frozen:  {spread(frozen)}; {slow} of {len(frozen)} waited > 10 ms")
        os.kill(redis.pid, signal.SIGKILL)
        killed = admits(100, pause_s=0.05)
        slow = sum(t > 0.01 for t in killed)
        print(f"redis killed:  {spread(killed)}; {slow} of {len(killed)} waited > 10 ms")


# ---------------------------------------------------------------- neo4j


def bench_neo4j() -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import ApiSettings, Settings
    from graph.connection import GraphClient
    from loaders.policy_load import load_policy_path

    print("== Neo4j frozen (SIGSTOP) under the API")
    body = {"prompt": "Summarise the churn feature catalogue."}

    def post(client: TestClient, key: str) -> tuple[int, float]:
        started = time.perf_counter()
        status = client.post(
            "/v1/decide", json=body, headers={"Authorization": f"Bearer {key}"}
        ).status_code
        return status, time.perf_counter() - started

    def until(condition: Callable[[], bool]) -> float:
        started = time.perf_counter()
        while not condition():
            time.sleep(0.02)
        return time.perf_counter() - started

    with (
        tempfile.TemporaryDirectory() as tmp,
        throwaway_server(Path(tmp) / "neo4j", heap="512m", pagecache="256m") as server,
    ):
        with GraphClient.connect(server.client_settings()) as client:
            load_policy_path(client, ROOT / "examples" / "enterprise", author="bench", message="")
        settings = Settings(
            neo4j=server.client_settings(), api=ApiSettings(state_dir=Path(tmp) / "state")
        )
        pid = server.status().pid
        assert pid is not None
        with TestClient(create_app(settings)) as api:
            status, took = post(api, ANALYST)
            print(f"before the freeze, a new key: {status} after {took * 1000:.0f} ms")
            os.kill(pid, signal.SIGSTOP)
            frozen_at = time.perf_counter()
            try:
                status, took = post(api, ENGINEER)
                print(f"uncached key: {status} after {took * 1000:.0f} ms")
                waits = [post(api, ANALYST) for _ in range(20)]
                print(
                    f"cached key: {sorted({s for s, _ in waits})}, {spread([t for _, t in waits])}"
                )
                until(lambda: api.get("/readyz").status_code == 503)
                print(f"/readyz unready {time.perf_counter() - frozen_at:.2f} s after SIGSTOP")
            finally:
                os.kill(pid, signal.SIGCONT)
            ready = until(lambda: api.get("/readyz").status_code == 200)
            print(f"/readyz ready {ready:.2f} s after SIGCONT")

        app = create_app(settings)
        os.kill(pid, signal.SIGSTOP)
        try:
            started = time.perf_counter()
            replica = TestClient(app).__enter__()
            print(
                f"replica started while frozen in {time.perf_counter() - started:.1f} s "
                f"(model load included); /readyz {replica.get('/readyz').status_code}"
            )
        finally:
            os.kill(pid, signal.SIGCONT)
        try:
            ready = until(lambda: replica.get("/readyz").status_code == 200)
            print(f"replica ready {ready:.2f} s after SIGCONT")
        finally:
            replica.__exit__(None, None, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--journal", action="store_true")
    parser.add_argument("--redis", action="store_true")
    parser.add_argument("--neo4j", action="store_true")
    parser.add_argument("--records", type=int, default=2000)
    args = parser.parse_args()
    every = not (args.journal or args.redis or args.neo4j)
    (ROOT / ".govroute").mkdir(exist_ok=True)
    if every or args.journal:
        bench_journal(args.records)
    if every or args.redis:
        bench_redis()
    if every or args.neo4j:
        bench_neo4j()
    print(f"(machine: {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
