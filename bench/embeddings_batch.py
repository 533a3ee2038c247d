"""Benchmark: what deciding a batch of texts to embed costs, per batch size, in one process.

    .venv/bin/python bench/embeddings_batch.py [--rounds R]

POST /v1/embeddings decides every input like a prompt before anything leaves
(api/gateway/embeddings.py): each input is normalized, scanned by the entity
detector and the threat detector, and the last one matched to an intent. This runs
that analysis and the pure decision (engine.analyze + engine.decide, the work the
runtime does in its decision thread; no Neo4j, no HTTP) over the reference
enterprise with the real models, for batches of 1 to 256 document-like inputs
(150-450 characters, a name or an e-mail address in one input of three), and prints
the median and worst time per batch and per input, and how many batches were denied
(one input the threat detector scores as an attack denies its whole batch). It is
what `MAX_INPUTS` (256) is sized against: a full batch should stay within seconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.analyze import EngineState, analyze  # noqa: E402
from engine.decide import decide  # noqa: E402
from engine.embedding import OnnxEmbedder  # noqa: E402
from engine.intent import IntentIndex  # noqa: E402
from engine.model import ChatMessage, DecisionRequest, Task  # noqa: E402
from engine.threats.detector import ThreatDetector  # noqa: E402
from lifecycle.offline import offline_world  # noqa: E402
from loaders.policy_load import read_bundle  # noqa: E402

SIZES = (1, 16, 64, 256)
WORDS = [
    *("policy", "travel", "expense", "hotel", "night", "customer", "card", "account"),
    *("transfer", "report", "quarter", "revenue", "branch", "region", "support", "claim"),
    *("refund", "statement", "balance", "invoice", "contract"),
]
PEOPLE = ("Maria Schneider", "Jonas Weber", "Ana Costa", "Pieter de Vries")


def document(rng: random.Random, index: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(25, 75))]
    if index % 3 == 0:
        person = rng.choice(PEOPLE)
        words.insert(rng.randrange(len(words)), person)
        words.insert(rng.randrange(len(words)), person.split()[0].lower() + "@example.com")
    return " ".join(words).capitalize() + "."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="batches per size (default 5)")
    args = parser.parse_args()

    world = offline_world(read_bundle(ROOT / "examples" / "enterprise"))
    state = EngineState(
        snapshot=world.snapshot,
        detector=world.detector,
        intents=IntentIndex.from_snapshot(world.snapshot, OnnxEmbedder()),
        threats=ThreatDetector.shipped(),
    )
    principal = world.principal("eu-support-agent")
    rng = random.Random(13)
    now = datetime.now(UTC)
    print(
        f"{'inputs':>6} {'batch p50 ms':>13} {'batch max ms':>13} {'per input ms':>13} "
        f"{'denied':>7}"
    )
    for size in SIZES:
        times: list[float] = []
        denied = 0
        for round_ in range(args.rounds):
            request = DecisionRequest(
                principal=principal,
                messages=tuple(ChatMessage("user", document(rng, i)) for i in range(size)),
                purpose="support",
                task=Task.EMBEDDINGS,
            )
            began = time.perf_counter()
            analysis = analyze(request, state)
            decision = decide(
                request,
                world.snapshot,
                {},
                analysis,
                decision_id=f"dec_bench_{size}_{round_}",
                now=now,
                secret=b"bench-secret",
            )
            times.append((time.perf_counter() - began) * 1000)
            # One input the threat detector scores as an attack denies the whole batch.
            denied += not decision.allowed
        median = statistics.median(times)
        print(
            f"{size:>6} {median:>13.1f} {max(times):>13.1f} {median / size:>13.2f} "
            f"{denied:>3}/{args.rounds}"
        )


if __name__ == "__main__":
    main()
