"""Benchmark: decisions over the reference enterprise, provenance on, in one process.

    .venv/bin/python bench/decide.py [--decisions N] [--catalog-docs D] [--profile]
                                     [--shadow policy|analysis] [--words 50-300]
                                     [--no-cascade]

Starts its own Neo4j (temporary home, free ports), loads examples/enterprise and a
synthetic catalog of D documents (default 20,000) so that context lookups miss the
facts cache as real traffic over a large catalog does, then runs N decisions with
realistic prompts (50-300 words, 0-3 context documents, entities sprinkled in) one
at a time and then at concurrency 4, all through `api.runtime.Runtime.decide`, the
same path POST /v1/decide takes, with provenance persisted by the background writer
(the throughput figure waits until every record is in Neo4j).

Prints p50/p95/p99 latency per prompt-length band, decisions/s at concurrency 1
and 4, the share of each decision spent outside the embedding model, the share of
decisions that reached MiniLM (the static cascade settles the rest; `--no-cascade`:
MiniLM for all), CPU per decision, peak RSS and cold-start time (imports + model +
engine state). Every prompt is different, so no
cache sees a repeat that real traffic would not.

`--shadow` runs everything with a candidate under shadow (issue 11 item 4): `policy`
adds a deny policy (the candidate shares the active analysis, the usual case),
`analysis` also adds an intent exemplar (the candidate embeds every prompt again).
Compare its figures with a run without the flag; throughput waits for the shadow
decisions too, and the shadow's decided/dropped counts are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

STARTED = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.runtime import Runtime  # noqa: E402
from api.schemas import ContextIn, DecideRequest  # noqa: E402
from bench.catalog_load import generate  # noqa: E402
from bench.cpu import cpu_seconds  # noqa: E402
from engine.embedding import OnnxEmbedder  # noqa: E402
from engine.model import Principal  # noqa: E402
from engine.recognizers import validate_luhn  # noqa: E402
from engine.static_embedding import StaticEmbedder  # noqa: E402
from graph.connection import GraphClient  # noqa: E402
from graph.facts import principal_for_key  # noqa: E402
from graph.provenance_writer import ProvenanceWriter  # noqa: E402
from graph.schema import apply_schema  # noqa: E402
from graph.server import throwaway_server  # noqa: E402
from graph.store import start_rollout  # noqa: E402
from loaders.bundle import Bundle  # noqa: E402
from loaders.catalog import load_catalog  # noqa: E402
from loaders.policy_load import load_policy_path, read_bundle, stage_bundle  # noqa: E402
from loaders.spec import PolicyDocument  # noqa: E402

IMPORTED = time.perf_counter()
ENTERPRISE = ROOT / "examples" / "enterprise"
PRINCIPAL_KEYS = {
    "eu-analyst": "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC",
    "eu-support-agent": "gr_demo_eu_support_uRI5-pCzY_bOIljs",
    "us-analyst": "gr_demo_us_analyst_eScKLkQFJDKL1jQv",
    "retail-chatbot-eu": "gr_demo_retail_eu_JScw-s2KDCLagHFm",
}
PURPOSES = {
    "eu-analyst": "analytics",
    "eu-support-agent": "support",
    "us-analyst": "analytics",
    "retail-chatbot-eu": "customer_service",
}

OPENINGS = (
    "Please summarise the attached material for the steering committee",
    "Draft a reply to the customer about the issue described below",
    "Can you explain what changed in the quarterly figures and why",
    "Write a short note for the team about the points raised in this ticket",
    "Review the following account notes and list the open questions",
    "Translate the key points of this document for our colleagues in Lyon",
    "What are the main risks mentioned in these records",
)
FILLER = (
    "the customer contacted us twice about the delayed transfer",
    "our service level for card disputes is ten business days",
    "the regional team expects volumes to grow in the next quarter",
    "the previous statement showed an unusual fee that was later refunded",
    "compliance asked us to keep the summary short and factual",
    "the branch manager confirmed the address change on Tuesday",
    "we should avoid promising a date before the investigation closes",
    "the migration of the ledger is planned for the end of the month",
    "several merchants reported the same authorisation error",
    "the board pack needs the revised numbers by Friday morning",
)
FIRST = ("Jane", "Omar", "Sofia", "Lukas", "Amelia", "Marco", "Chloe", "Daniel")
LAST = ("Doe", "Haddad", "Rossi", "Becker", "Turner", "Bianchi", "Martin", "Novak")


def luhn_card(rng: random.Random) -> str:
    body = "4" + "".join(str(rng.randrange(10)) for _ in range(14))
    s = next(body + check for check in "0123456789" if validate_luhn(body + check))
    return " ".join(s[i : i + 4] for i in range(0, 16, 4))


def entity(rng: random.Random) -> str:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return rng.choice(
        (
            f"{first} {last}",
            f"{first.lower()}.{last.lower()}{rng.randrange(99)}@example.com",
            f"+44 20 7946 {rng.randrange(1000, 9999)}",
            luhn_card(rng),
            f"NW-{rng.randrange(10**9, 10**10)}",
        )
    )


def prompt(rng: random.Random, words: int) -> str:
    parts = [rng.choice(OPENINGS) + "."]
    while sum(len(p.split()) for p in parts) < words:
        sentence = rng.choice(FILLER)
        if rng.random() < 0.35:
            sentence += f", see {entity(rng)}"
        parts.append(sentence[0].upper() + sentence[1:] + ".")
    return " ".join(parts)


def workload(
    n: int,
    seed: int,
    catalog_docs: int,
    policy_docs: Sequence[str],
    words_range: tuple[int, int] = (50, 300),
) -> list[tuple[str, int, DecideRequest]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        who = list(PRINCIPAL_KEYS)[i % len(PRINCIPAL_KEYS)]
        words = rng.randint(*words_range)
        context = []
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            doc = (
                f"cat-{rng.randrange(catalog_docs):07d}"
                if catalog_docs and rng.random() < 0.8
                else rng.choice(policy_docs)
            )
            if doc not in {c.id for c in context}:
                context.append(ContextIn(id=doc, text=prompt(rng, rng.randint(20, 80))))
        body = DecideRequest(prompt=prompt(rng, words), context=context, purpose=PURPOSES[who])
        out.append((who, words, body))
    return out


class EmbedClock:
    """Time spent inside the embedding model, per thread (wraps the embedder)."""

    def __init__(self, embedder: OnnxEmbedder) -> None:
        self.inner = embedder
        self.local = threading.local()

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def max_seq_length(self) -> int:
        return self.inner.max_seq_length

    def windows(self, text: str, max_windows: int) -> tuple[str, ...]:
        return self.inner.windows(text, max_windows)

    def embed(self, texts: Sequence[str]):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.local.spent = getattr(self.local, "spent", 0.0) + time.perf_counter() - started

    def take(self) -> float:
        spent = getattr(self.local, "spent", 0.0)
        self.local.spent = 0.0
        return spent


def shadow_candidate(kind: str) -> Bundle:
    """The enterprise plus a deny policy (and, for `analysis`, one more exemplar)."""
    doc = read_bundle(ENTERPRISE).canonical()
    doc["policies"].append(
        {
            "id": "bench-deny-us-analysts",
            "description": "US analysts are frozen out (benchmark candidate).",
            "effect": "deny",
            "priority": 950,
            "applies_to": {"roles": ["analyst_us"]},
        }
    )
    if kind == "analysis":
        intent = next(i for i in doc["intents"] if i["id"] == "summarize_document")
        intent["exemplars"] = [*intent["exemplars"], "Give me the gist of this memo."]
    return Bundle.from_document(PolicyDocument.model_validate(doc), f"bench-{kind}")


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--decisions", type=int, default=600)
    parser.add_argument("--catalog-docs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--warmup",
        type=int,
        default=300,
        help="decisions first, unmeasured: a serving process and its Neo4j are JIT-warm",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile 100 decisions, print the top"
    )
    parser.add_argument(
        "--shadow",
        choices=("policy", "analysis"),
        help="run with a candidate under shadow: one that shares the active analysis "
        "(policy) or one that runs its own (analysis)",
    )
    parser.add_argument(
        "--words",
        default="50-300",
        help="prompt length range LOW-HIGH in words (default 50-300; short chat "
        "requests, e.g. 5-40, are where the static cascade can settle intents)",
    )
    parser.add_argument(
        "--no-cascade",
        action="store_true",
        help="MiniLM for every prompt (no static model first: engine.cascade)",
    )
    args = parser.parse_args()
    low, _, high = args.words.partition("-")
    words_range = (int(low), int(high or low))

    home = Path(tempfile.mkdtemp(prefix="govroute-bench-decide-"))
    print(f"starting Neo4j under {home} ...", flush=True)
    try:
        with throwaway_server(home / "neo4j", heap="1g", pagecache="1g") as server:
            client = GraphClient.connect(server.client_settings())
            apply_schema(client)
            load_policy_path(client, ENTERPRISE, author="bench", message="bench")
            policy_docs = sorted(
                r["id"]
                for r in client.read(
                    lambda tx: [dict(x) for x in tx.run("MATCH (d:Document) RETURN d.id AS id")]
                )
            )
            if args.catalog_docs:
                catalog = home / "catalog"
                catalog.mkdir()
                generate(catalog, args.catalog_docs, ENTERPRISE, args.seed)
                load_catalog(
                    client, catalog, author="bench", message="bench catalog", progress=False
                )
            if args.shadow:
                staged = stage_bundle(
                    client, shadow_candidate(args.shadow), author="bench", message="shadow"
                )
                assert staged.policy_set is not None
                start_rollout(client, staged.policy_set.version, "shadow", by="bench")
            principals: dict[str, Principal] = {}
            for who, key in PRINCIPAL_KEYS.items():
                found = principal_for_key(client, key)
                assert found is not None, who
                principals[who] = found

            cold = time.perf_counter()
            embedder = EmbedClock(OnnxEmbedder())
            writer = ProvenanceWriter.for_graph(client, home / "journal").start()
            static = None if args.no_cascade else StaticEmbedder()
            runtime = Runtime(
                client,
                embedder,  # type: ignore[arg-type]
                writer,
                b"bench-secret-0123456789",
                static=static,
            ).start()
            ready = time.perf_counter()
            print(
                f"cold start: imports {IMPORTED - STARTED:.1f} s, model + engine state "
                f"{ready - cold:.1f} s (PolicySet {runtime.state.snapshot.version}, "
                f"{runtime.state.intents.size} exemplars)"
            )
            candidate = runtime.candidate
            if args.shadow:
                assert candidate is not None, "the candidate did not build"
                assert candidate.shadow
                print(
                    f"shadow: candidate {candidate.version}, analysis "
                    f"{'shared' if candidate.shared_analysis else 'its own'}"
                )

            # Other prompts and (mostly) other documents than the measured ones: what warms
            # up is code (Neo4j's JIT, onnxruntime's buffers), not the facts cache.
            warm = workload(args.warmup, args.seed + 1, args.catalog_docs, policy_docs, words_range)
            for who, _, body in warm:
                runtime.decide(principals[who], body)
            runtime.shadow.wait_idle(120)
            writer.flush()

            def run_one(item: tuple[str, int, DecideRequest]) -> tuple[int, float, float]:
                who, words, body = item
                embedder.take()
                started = time.perf_counter()
                runtime.decide(principals[who], body)
                elapsed = time.perf_counter() - started
                return words, elapsed, embedder.take()

            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                for item in workload(
                    100, args.seed + 2, args.catalog_docs, policy_docs, words_range
                ):
                    run_one(item)
                profiler.disable()
                stream = io.StringIO()
                pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(35)
                print(stream.getvalue())

            neo4j_pid = server.status().pid

            def neo4j_cpu_s() -> float:
                return cpu_seconds([neo4j_pid] if neo4j_pid else [])

            sequential = workload(
                args.decisions, args.seed + 3, args.catalog_docs, policy_docs, words_range
            )
            cpu0, neo0 = process_cpu_s(), neo4j_cpu_s()
            began = time.perf_counter()
            results = [run_one(item) for item in sequential]
            runtime.shadow.wait_idle(120)
            writer.flush()
            seq_rate = len(results) / (time.perf_counter() - began)
            seq_cpu = (process_cpu_s() - cpu0, neo4j_cpu_s() - neo0)

            concurrent = workload(
                args.decisions, args.seed + 4, args.catalog_docs, policy_docs, words_range
            )
            cpu0, neo0 = process_cpu_s(), neo4j_cpu_s()
            began = time.perf_counter()
            with ThreadPoolExecutor(4) as pool:
                conc = list(pool.map(run_one, concurrent))
            runtime.shadow.wait_idle(120)
            writer.flush(120)
            conc_rate = len(conc) / (time.perf_counter() - began)
            conc_cpu = (process_cpu_s() - cpu0, neo4j_cpu_s() - neo0)

            print(
                f"\n{len(results)} decisions one at a time, {len(conc)} at concurrency 4; "
                "provenance on"
            )
            print(
                f"{'band':<16}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}"
                f"{'outside embedding':>20}"
            )
            for name, low, high in (
                ("50-150 words", 0, 150),
                ("151-300 words", 151, 300),
                ("all", 0, 10_000),
            ):
                band = [(t, e) for w, t, e in results if low <= w <= high]
                if not band:
                    continue
                times = [t * 1000 for t, _ in band]
                outside = sum(t - e for t, e in band) / sum(t for t, _ in band)
                print(
                    f"{name:<16}{len(band):>6}{pct(times, 50):>10.1f}{pct(times, 95):>10.1f}"
                    f"{pct(times, 99):>10.1f}{outside:>19.0%}"
                )
            conc_times = [t * 1000 for _, t, _ in conc]
            print(
                f"\nthroughput: {seq_rate:.0f} decisions/s at concurrency 1, "
                f"{conc_rate:.0f} at concurrency 4"
            )
            print(
                f"concurrency 4 latency: p50 {pct(conc_times, 50):.1f} ms, "
                f"p99 {pct(conc_times, 99):.1f} ms"
            )
            for label, (own, neo), n in (
                ("concurrency 1", seq_cpu, len(results)),
                ("concurrency 4", conc_cpu, len(conc)),
            ):
                print(
                    f"CPU per decision at {label}: this process {own * 1000 / n:.1f} ms, "
                    f"Neo4j (facts reads, provenance writes) {neo * 1000 / n:.1f} ms"
                )
            stats = writer.stats
            print(
                f"provenance: {stats.written} records written in {stats.batches} batches, "
                f"journaled {stats.journaled}"
            )
            if args.shadow:
                print(
                    f"shadow: {runtime.shadow.decided} candidate decisions, "
                    f"{runtime.shadow.dropped} dropped (queue full)"
                )
            print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
            print(f"median decision: {statistics.median(t for _, t, _ in results) * 1000:.1f} ms")
            for label, done in (("concurrency 1", results), ("concurrency 4", conc)):
                reached = sum(1 for _, _, spent in done if spent > 0)
                print(
                    f"reached MiniLM at {label}: {reached} of {len(done)} decisions "
                    f"({reached / len(done):.0%}; cascade {'off' if static is None else 'on'})"
                )
            runtime.close()
            writer.close()
            client.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


def process_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
