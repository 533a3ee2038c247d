"""Benchmark: the response cache on a repeated-prompt workload, hit against miss.

    .venv/bin/python bench/cache.py [--requests 300] [--prompts 40] [--upstream-ms 150]
                                    [--seed 7] [--store memory|redis|both]
                                    [--semantic [--threshold 0.96]]

Starts, all on 127.0.0.1 and stopped again at the end: its own Neo4j (temporary home,
free ports) with examples/enterprise and one more policy (`cache:` for tenant nw-eu,
ttl 600 s); the fake upstream (api/gateway/fake_upstream.py) answering every call
after --upstream-ms, as a model would; for `redis`, a real redis-server as REDIS_URL;
and govroute's app served by uvicorn in this process (api.gateway.fake_upstream's
BackgroundServer).

The workload: --requests chat completions from eu-analyst at temperature 0, each
prompt drawn from --prompts distinct questions with Zipf-like popularity (the i-th
most popular asked about 1/i as often; seeded), one at a time with the official
`openai` client. Each response's X-Govroute-Cache header says hit or miss; the
figures are wall-clock latencies seen by the client, split by it, and the hit rate.
Every answer is checked against the fake upstream's echo, and the upstream's call
count must equal the misses.

With --semantic, the paraphrase workload instead (bench/paraphrases.py, written here: 10
questions, 33 paraphrases that want the same answer, 20 near misses that do not): first
a threshold sweep over the same MiniLM embeddings the decision computes (no gateway:
which request would be served which stored answer, with the partition's numbers rule
on and off), then the workload through the gateway at --threshold with a policy that
caches nw-eu semantically (and, for the benchmark only, allows nw-eu every intent so
that no question is refused): each question, its paraphrases, its near misses, then
every question again (exact hits). The fake upstream's echo tells which stored prompt
answered, so each hit is scored right or false.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import httpx  # noqa: E402
import openai  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from api.app import create_app  # noqa: E402
from api.gateway.fake_upstream import BackgroundServer, create_fake_upstream  # noqa: E402
from api.gateway.settings import GatewaySettings  # noqa: E402
from api.settings import ApiSettings, RateLimitSettings, Settings  # noqa: E402
from bench.cache_semantic import POLICY, lookup_cost, sweep, through_gateway  # noqa: E402
from graph.connection import GraphClient  # noqa: E402
from graph.schema import apply_schema  # noqa: E402
from graph.server import throwaway_server  # noqa: E402
from graph.settings import Neo4jSettings  # noqa: E402
from loaders.policy_load import load_policy_path  # noqa: E402
from tests.redis_server import running_redis  # noqa: E402

ANALYST = "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC"
KEYS = {
    "NW_PRIVATE_LLM_API_KEY": "bench-key",
    "HELIO_EU_API_KEY": "bench-key",
    "HELIO_US_API_KEY": "bench-key",
}
CACHE_POLICY = """\
policies:
  - id: bench-cache-eu
    description: nw-eu answers may be served again for ten minutes.
    effect: constrain
    applies_to: {tenants: [nw-eu]}
    cache: {ttl_seconds: 600}
"""
TOPICS = ("quarterly report", "annual report")  # summaries eu-analyst is allowed to ask for


def prompts(count: int) -> list[str]:
    return [
        f"Summarize this {TOPICS[i % len(TOPICS)]} for me in {2 + i // len(TOPICS)} bullet points."
        for i in range(count)
    ]


def workload(pool: list[str], requests: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(pool))]
    return rng.choices(pool, weights=weights, k=requests)


@contextmanager
def policies(home: Path, policy: str) -> Iterator[Path]:
    folder = home / "policies"
    shutil.copytree(
        ROOT / "examples" / "enterprise", folder, ignore=shutil.ignore_patterns("cases")
    )
    (folder / "bench_cache.yaml").write_text(policy)
    yield folder


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def spread(values: list[float]) -> str:
    if not values:
        return "none"
    return (
        f"n={len(values):4d}  p50 {statistics.median(values):7.2f} ms  "
        f"p95 {percentile(values, 0.95):7.2f} ms  mean {statistics.fmean(values):7.2f} ms"
    )


def run(store: str, neo4j: Neo4jSettings, home: Path, args: argparse.Namespace) -> None:
    upstream = BackgroundServer(create_fake_upstream()).start()
    control = httpx.Client(base_url=upstream.url, timeout=10)
    control.post(
        "/_control", json={"rules": [{"delay_s": args.upstream_ms / 1000}]}
    ).raise_for_status()
    redis_cm = running_redis() if store == "redis" else nullcontext()
    with redis_cm as redis:
        limits = RateLimitSettings(
            default_rpm=0,
            default_tpm=0,
            default_tenant_rpm=0,
            default_tenant_tpm=0,
            redis_url=SecretStr(redis.url) if redis else None,
        )
        settings = Settings(
            neo4j=neo4j,
            api=ApiSettings(
                state_dir=home / f"state-{store}", secret=SecretStr("bench-cache-shared-secret")
            ),
            gateway=GatewaySettings(upstream_overrides={"*": f"{upstream.url}/v1"}),
            rate_limits=limits,
        )
        app = create_app(settings)
        server = BackgroundServer(app).start()
        client = openai.OpenAI(base_url=f"{server.url}/v1", api_key=ANALYST, max_retries=0)
        hits: list[float] = []
        misses: list[float] = []
        if args.semantic:
            print(f"store {store}, semantic_threshold {args.threshold}, through the gateway:")
            lookup_cost(redis.url if redis else None)
            try:
                through_gateway(
                    client,
                    spread,
                    lambda: len(control.get("/_received").json()["requests"]),
                )
            finally:
                client.close()
                server.stop()
                upstream.stop()
                control.close()
            return
        try:
            for prompt in workload(prompts(args.prompts), args.requests, args.seed):
                began = time.perf_counter()
                raw = client.chat.completions.with_raw_response.create(
                    model="auto", messages=[{"role": "user", "content": prompt}], temperature=0
                )
                elapsed = (time.perf_counter() - began) * 1000
                answer = raw.parse().choices[0].message.content
                assert answer == f"You said: {prompt}", answer
                state = raw.headers["x-govroute-cache"]
                (hits if state.startswith("hit") else misses).append(elapsed)
            calls = len(control.get("/_received").json()["requests"])
        finally:
            client.close()
            server.stop()
            upstream.stop()
            control.close()
    assert calls == min(len(misses), 200), (calls, len(misses))  # the fake keeps 200
    total = len(hits) + len(misses)
    print(f"store {store} ({'REDIS_URL' if store == 'redis' else 'this process, LRU'}):")
    print(f"  hit rate  {len(hits) / total:.1%} ({len(hits)} of {total})")
    print(f"  miss      {spread(misses)}")
    print(f"  hit       {spread(hits)}")
    if hits and misses:
        saved = statistics.median(misses) - statistics.median(hits)
        print(
            f"  a hit saves {saved:.1f} ms at the median "
            f"(the upstream answers in {args.upstream_ms} ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--prompts", type=int, default=40)
    parser.add_argument("--upstream-ms", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--store", choices=("memory", "redis", "both"), default="both")
    parser.add_argument("--semantic", action="store_true", help="the paraphrase workload")
    parser.add_argument("--threshold", type=float, default=0.96)
    args = parser.parse_args()
    if args.semantic:
        sweep()
    os.environ.update(KEYS)
    stores = ("memory", "redis") if args.store == "both" else (args.store,)
    with (
        tempfile.TemporaryDirectory() as tmp,
        throwaway_server(Path(tmp) / "neo4j", heap="1g", pagecache="256m") as neo4j_server,
    ):
        home = Path(tmp)
        settings = neo4j_server.client_settings()
        graph = GraphClient.connect(settings)
        apply_schema(graph)
        policy = POLICY.format(threshold=args.threshold) if args.semantic else CACHE_POLICY
        with policies(home, policy) as folder:
            load_policy_path(graph, folder, author="bench", message="cache bench")
        graph.close()
        if not args.semantic:
            print(
                f"workload: {args.requests} requests over {args.prompts} prompts (Zipf-like, "
                f"seed {args.seed}), one at a time; upstream latency {args.upstream_ms} ms"
            )
        for store in stores:
            run(store, settings, home, args)


if __name__ == "__main__":
    main()
