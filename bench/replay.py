"""Benchmark: `policy replay` speed, and what the replayable input costs in bytes.

    .venv/bin/python bench/replay.py [--decisions N] [--stored M] [--workers W]

1. Records: T distinct decisions (default 400) made on the pure core with the real
   pieces (int8 embedding model, shipped threat detector, the enterprise's
   recognizers) over bench/decide.py's realistic prompts, recorded as the runtime
   records them (engine.replay_input + engine.provenance). Prints the bytes of a
   stored record without and with its input, and with the texts of a tenant that
   opted in.
2. Pure part: N records (default 1,000,000; the T templates cycled, each with its
   own id, so nothing is cached: replay keeps no cache) replayed under a candidate
   that denies one more intent, by W worker processes (default: the CPU count).
   Prints decisions/s, CPU seconds spent deciding, and the projected time for 1M.
3. Through Neo4j: M records (default 20,000) written into a throwaway Neo4j, then
   read back alone (the stream `policy replay` consumes), then `replay_version`
   end to end. Prints the write, read and replay rates and the projection to 1M.
   `--fill provenance` (the default) writes them as the server does
   (`write_provenance`, about 1,000/s); `--fill bulk` writes only the Decision
   nodes with the properties the replay stream reads (id, time, tenant, version,
   record), at tens of thousands a second, so that a million can be stored and
   replayed end to end instead of projected from a small window.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.schemas import DecideRequest  # noqa: E402
from bench.cpu import cpu_seconds  # noqa: E402
from bench.decide import PRINCIPAL_KEYS, workload  # noqa: E402
from engine.analyze import EngineState, analyze  # noqa: E402
from engine.decide import decide  # noqa: E402
from engine.embedding import OnnxEmbedder  # noqa: E402
from engine.intent import IntentIndex  # noqa: E402
from engine.model import ChatMessage, ContextItem, DecisionRequest  # noqa: E402
from engine.provenance import decision_record, dumps  # noqa: E402
from engine.replay_input import input_record  # noqa: E402
from engine.threats.detector import ThreatDetector  # noqa: E402
from graph.connection import GraphClient  # noqa: E402
from graph.decision_stream import recorded_decisions  # noqa: E402
from graph.provenance import write_provenance  # noqa: E402
from graph.schema import apply_schema  # noqa: E402
from graph.server import throwaway_server  # noqa: E402
from lifecycle.offline import OfflineWorld, offline_world  # noqa: E402
from lifecycle.replay import Replayer  # noqa: E402
from lifecycle.replay_run import replay_version  # noqa: E402
from loaders.bundle import Bundle  # noqa: E402
from loaders.policy_load import apply_bundle, read_bundle, stage_bundle  # noqa: E402
from loaders.spec import PolicyDocument  # noqa: E402

ENTERPRISE = ROOT / "examples" / "enterprise"
TEMPLATE_ID = "dec_template_000000"
CLOCK = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

# What DECISIONS_PAGE and DECISION_VERSIONS read of a Decision, and nothing else: the
# bench's shortcut to a million stored records (the server writes them with edges,
# console buckets and the chain, graph/provenance_queries.py).
BULK_DECISIONS = """
UNWIND $rows AS row
CREATE (:Decision {id: row.id, created_at: datetime(row.created_at), tenant_id: row.tenant,
                   policy_version: row.version, record: row.record})
"""


def templates(world: OfflineWorld, n: int, seed: int) -> list[dict[str, Any]]:
    """n decision records with inputs, as the runtime records them (real models); also
    times what the request path now does more: `input_record`, and the intent match
    with every intent's score (`match_scored`) against the plain `match`."""
    embedder = OnnxEmbedder()
    state = EngineState(
        world.snapshot,
        world.detector,
        IntentIndex.from_snapshot(world.snapshot, embedder),
        threats=ThreatDetector.shipped(),
    )
    principals = {who: world.principal(who) for who in PRINCIPAL_KEYS}
    out = []
    spent: dict[str, list[float]] = {"input_record": [], "match": [], "match_scored": []}
    bodies: list[tuple[str, int, DecideRequest]] = workload(n, seed, 0, world.document_ids())
    for i, (who, _, body) in enumerate(bodies):
        principal = principals[who]
        request = DecisionRequest(
            principal=principal,
            messages=tuple(ChatMessage(m.role, m.content) for m in body.as_messages()),
            context=tuple(ContextItem(c.id, c.text) for c in body.context),
            purpose=body.purpose,
        )
        analysis = analyze(request, state)
        ids = [c.id for c in request.context]
        facts = world.item_facts(ids, principal.roles, principal.tenant)
        decision = decide(
            request,
            world.snapshot,
            facts,
            analysis,
            decision_id=f"dec_template_{i:06d}",
            now=CLOCK,
            secret=b"bench",
        )
        began = time.perf_counter()
        replay = input_record(request, analysis, facts)
        spent["input_record"].append(time.perf_counter() - began)
        own = analysis.texts[_own_words(request)].text
        queries = state.intents.embed_query(own)
        for name, match in (
            ("match", state.intents.match),
            ("match_scored", state.intents.match_scored),
        ):
            began = time.perf_counter()
            match(own, queries, tenant=principal.tenant)
            spent[name].append(time.perf_counter() - began)
        with_texts = input_record(request, analysis, facts, keep_texts=True)
        out.append(
            {
                "record": decision_record(decision, replay),
                "bare": decision_record(decision),
                "texts": decision_record(decision, with_texts),
            }
        )
    for name, values in spent.items():
        print(
            f"  request path: {name:<13} p50 {statistics.median(values) * 1e6:6.0f} us  "
            f"p99 {sorted(values)[int(0.99 * (len(values) - 1))] * 1e6:6.0f} us"
        )
    return out


def _own_words(request: DecisionRequest) -> str:
    users = [i for i, m in enumerate(request.messages) if m.role == "user"]
    return f"messages[{users[-1] if users else len(request.messages) - 1}]"


def stream(records: list[str], n: int) -> Iterator[str]:
    """n record strings, templates cycled, each with its own id."""
    for i in range(n):
        template = records[i % len(records)]
        yield template.replace(TEMPLATE_ID, f"dec_replay_{i:012d}", 1)


def candidate_denying(intent: str) -> Bundle:
    doc = read_bundle(ENTERPRISE).canonical()
    doc["policies"].append(
        {
            "id": "bench-deny",
            "description": f"{intent} is refused.",
            "effect": "deny",
            "priority": 1000,
            "applies_to": {"intents": [intent]},
        }
    )
    return Bundle.from_document(PolicyDocument.model_validate(doc), "bench-candidate")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--templates", type=int, default=400)
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--stored", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--fill", choices=("provenance", "bulk"), default="provenance")
    parser.add_argument("--skip-pure", action="store_true", help="skip part 2")
    args = parser.parse_args()

    world = offline_world(read_bundle(ENTERPRISE), version="policyset-v1")
    began = time.perf_counter()
    made = templates(world, args.templates, args.seed)
    print(
        f"{len(made)} template decisions made with the real models in "
        f"{time.perf_counter() - began:.1f} s"
    )
    sizes = {k: [len(dumps(m[k]).encode()) for m in made] for k in ("bare", "record", "texts")}
    for key, label in (
        ("bare", "record without input (before)"),
        ("record", "record with input (after)"),
        ("texts", "record with input and texts (tenant opt-in)"),
    ):
        values = sizes[key]
        print(
            f"  {label:<46} mean {statistics.mean(values):7.0f} B  "
            f"p50 {statistics.median(values):6.0f}  max {max(values):6d}  "
            f"-> {statistics.mean(values) * 1e6 / 2**30:5.2f} GiB per 1M decisions"
        )
    intents = [m["record"]["intent"]["id"] for m in made if m["record"]["outcome"] != "deny"]
    target = max(sorted(set(intents)), key=intents.count)
    print(
        f"candidate: v1 plus a deny for intent {target!r} "
        f"({intents.count(target)} of {len(made)} templates allowed with it)"
    )
    strings = []
    for i, m in enumerate(made):
        record = dict(m["record"], id=TEMPLATE_ID)
        record["created_at"] = (CLOCK + timedelta(milliseconds=i)).isoformat()
        strings.append(dumps(record))

    bundle = candidate_denying(target)
    if not args.skip_pure:
        pure_core(bundle, strings, args.decisions, args.workers)
    through_neo4j(bundle, strings, args)


def pure_core(bundle: Bundle, strings: list[str], decisions: int, workers: int) -> None:
    replayer = Replayer(bundle, "policyset-v2", frozenset({"policyset-v1"}), workers=workers)
    parent = time.process_time()
    counts, stats = replayer.run(stream(strings, decisions))
    parent = time.process_time() - parent
    rate = stats.replayed / stats.wall_seconds
    print(
        f"pure core: {stats.replayed} decisions replayed by {workers} workers in "
        f"{stats.wall_seconds:.1f} s = {rate:,.0f} decisions/s "
        f"(deciding {stats.decide_seconds:.1f} s CPU, "
        f"{stats.decide_seconds / stats.replayed * 1e6:.0f} us each); "
        f"1M projected {1e6 / rate:.0f} s; "
        f"allow_to_deny {counts.kinds['allow_to_deny']}, changed {counts.changed}"
    )
    # On a shared machine the wall time says how busy it is; CPU seconds say what replay
    # costs. Idle: the workers share the deciding, the parent feeds them meanwhile.
    idle = max(stats.decide_seconds / workers, parent) / stats.replayed * 1e6
    print(
        f"  CPU: workers {stats.decide_seconds:.1f} s, parent (reading, pickling, counting) "
        f"{parent:.1f} s; on {workers} idle cores 1M would take about {idle:.0f} s"
    )


def through_neo4j(bundle: Bundle, strings: list[str], args: argparse.Namespace) -> None:
    home = Path(tempfile.mkdtemp(prefix="govroute-replay-bench-"))
    try:
        with throwaway_server(home / "neo4j", heap="1g", pagecache="1g") as server:
            client = GraphClient.connect(server.client_settings())
            apply_schema(client)
            v1 = apply_bundle(client, read_bundle(ENTERPRISE), author="bench", message="v1")
            assert v1.outcome.policy_set is not None
            active_id = v1.outcome.policy_set.id
            began = time.perf_counter()
            write = _bulk_write if args.fill == "bulk" else _provenance_write
            rng = random.Random(args.seed)
            parsed = [json.loads(t) for t in strings]
            batch: list[dict[str, Any]] = []
            for i in range(args.stored):
                record = dict(parsed[rng.randrange(len(parsed))])  # the fields set below only
                record["id"] = f"dec_stored_{i:09d}"
                record["policy_version"] = active_id
                record["created_at"] = (CLOCK + timedelta(milliseconds=i)).isoformat()
                batch.append(record)
                if len(batch) == 1000:
                    write(client, batch)
                    batch = []
                if (i + 1) % 100_000 == 0:
                    print(f"  stored {i + 1:,} in {time.perf_counter() - began:.0f} s", flush=True)
            if batch:
                write(client, batch)
            wrote = time.perf_counter() - began
            since, until = CLOCK - timedelta(hours=1), CLOCK + timedelta(days=1)
            began = time.perf_counter()
            read = sum(1 for _ in recorded_decisions(client, since, until))
            reading = time.perf_counter() - began
            print(
                f"neo4j: wrote {args.stored} decisions in {wrote:.1f} s "
                f"({args.stored / wrote:,.0f}/s); read them back alone in {reading:.1f} s "
                f"({read / reading:,.0f}/s, 1M projected {1e6 / read * reading:.0f} s)"
            )
            staged = stage_bundle(client, bundle, author="bench", message="deny more")
            assert staged.policy_set is not None
            pid = server.status().pid
            cpu_before = cpu_seconds([pid] if pid else [])
            parent = time.process_time()
            report = replay_version(
                client, staged.policy_set.version, since=since, until=until, workers=args.workers
            )
            neo4j_cpu = cpu_seconds([pid] if pid else []) - cpu_before
            parent = time.process_time() - parent
            s = report.stats
            print(
                f"neo4j + replay_version: {s.replayed} decisions in {s.wall_seconds:.1f} s "
                f"= {s.replayed / s.wall_seconds:,.0f}/s (waiting for Neo4j {s.read_seconds:.1f} s,"
                f" deciding {s.decide_seconds:.1f} s CPU); 1M projected "
                f"{1e6 / s.replayed * s.wall_seconds:.0f} s; changed {report.counts.changed}; "
                f"CPU: Neo4j {neo4j_cpu:.1f} s, this process (reading, pickling, counting) "
                f"{parent:.1f} s"
            )
            client.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _provenance_write(client: GraphClient, batch: list[dict[str, Any]]) -> None:
    write_provenance(client, batch, [])


def _bulk_write(client: GraphClient, batch: list[dict[str, Any]]) -> None:
    rows = [
        {
            "id": r["id"],
            "created_at": r["created_at"],
            "tenant": r["tenant_id"],
            "version": r["policy_version"],
            "record": dumps(r),
        }
        for r in batch
    ]
    client.run_statement(BULK_DECISIONS, rows=rows)


if __name__ == "__main__":
    main()
