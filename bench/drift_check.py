"""Benchmark: one drift check over a canary window of N decisions per side.

    .venv/bin/python bench/drift_check.py [--decisions N] [--batch-size B]

Starts its own Neo4j (temporary home, free ports; never the developer's server), loads
the reference enterprise, stages a candidate that pauses translation and puts it under
canary, then records N decisions for the active version and N for the candidate,
decided on the pure core across every principal and ten intents, written as the
provenance writer writes them (graph.provenance.write_provenance). It prints the time
to record them, then the time of `check_drift(rollback=False)`: the first run includes
the emptied-routes probes (lifecycle.impact), the next ones reuse them (RouteMemo, as
the server's watcher does) and time the aggregations and the judging alone.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from itertools import cycle, islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.decide import Analysis, decide, message_key  # noqa: E402
from engine.decision import IntentMatch  # noqa: E402
from engine.model import ChatMessage, DecisionRequest  # noqa: E402
from engine.normalize import normalize  # noqa: E402
from engine.provenance import decision_record  # noqa: E402
from graph import store  # noqa: E402
from graph.connection import GraphClient  # noqa: E402
from graph.provenance import write_provenance  # noqa: E402
from graph.server import throwaway_server  # noqa: E402
from lifecycle.drift_check import RouteMemo, check_drift  # noqa: E402
from lifecycle.offline import OfflineWorld, offline_world  # noqa: E402
from loaders.bundle import Bundle  # noqa: E402
from loaders.policy_load import load_policy_path, read_bundle, stage_bundle  # noqa: E402
from loaders.spec import PolicyDocument  # noqa: E402

ENTERPRISE = ROOT / "examples" / "enterprise"
TEXT = "Please help with this request."
SECRET = b"bench-drift-secret-0123456789"


def paused_translation() -> Bundle:
    doc = read_bundle(ENTERPRISE).canonical()
    doc["policies"].append(
        {
            "id": "pause-translation",
            "description": "Translation is paused.",
            "effect": "deny",
            "priority": 900,
            "applies_to": {"intents": ["translation"]},
        }
    )
    return Bundle.from_document(PolicyDocument.model_validate(doc), "bench")


def record(
    world: OfflineWorld, n: int, at: datetime, prefix: str, client: GraphClient, batch: int
) -> None:
    principals = [world.principal(p) for p in world.principal_ids()]
    # translation, which the candidate pauses, and nine others it leaves alone
    others = sorted(
        i
        for i, spec in world.snapshot.intents.items()
        if spec.category == "business" and i != "translation"
    )
    intents = ["translation", *others[:9]]
    combos = islice(cycle((p, i) for p in principals for i in intents), n)
    rows: list[dict[str, Any]] = []
    for k, (principal, intent) in enumerate(combos):
        spec = world.snapshot.intents[intent]
        score = 0.55 + (k % 40) / 100
        analysis = Analysis(
            IntentMatch(intent, spec.category, score), {message_key(0): normalize(TEXT)}
        )
        request = DecisionRequest(principal, (ChatMessage("user", TEXT),), ())
        decision = decide(
            request, world.snapshot, {}, analysis,
            decision_id=f"dec_{prefix}_{k}", now=at + timedelta(microseconds=k), secret=SECRET,
        )  # fmt: skip
        rows.append(decision_record(decision))
        if len(rows) == batch:
            write_provenance(client, rows, [])
            rows = []
    if rows:
        write_provenance(client, rows, [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=50_000, help="per side")
    parser.add_argument("--batch-size", type=int, default=1_000)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as home,
        throwaway_server(Path(home), heap="1g", pagecache="512m") as server,
    ):
        client = GraphClient.connect(server.client_settings())
        load_policy_path(client, ENTERPRISE, author="bench", message="reference enterprise")
        active = store.active_policy_set(client)
        assert active is not None
        staged = stage_bundle(client, paused_translation(), author="bench", message="pause")
        assert staged.policy_set is not None
        version = staged.policy_set.version
        store.start_rollout(client, version, "canary", by="bench", percent=50)
        at = datetime.now(UTC)
        t0 = time.perf_counter()
        record(
            offline_world(read_bundle(ENTERPRISE), version=active.id),
            args.decisions,
            at,
            "a",
            client,
            args.batch_size,
        )
        record(
            offline_world(paused_translation(), version=f"policyset-v{version}"),
            args.decisions,
            at,
            "c",
            client,
            args.batch_size,
        )
        recorded = time.perf_counter() - t0
        total = 2 * args.decisions
        print(f"recorded {total:,} decisions in {recorded:.1f} s ({total / recorded:,.0f}/s)")
        memo = RouteMemo()
        for run in range(3):
            t0 = time.perf_counter()
            report = check_drift(client, rollback=False, routes=memo)
            took = time.perf_counter() - t0
            label = "with route probes" if run == 0 else "routes remembered"
            print(
                f"check {run + 1} ({label}): {took:.2f} s, "
                f"{len(report.observations)} observations, {len(report.breaches)} breaches, "
                f"action {report.action.value}"
            )
        client.close()


if __name__ == "__main__":
    main()
