"""What the conversation heads add to the threat stage: CPU milliseconds per assess call.

    .venv/bin/python bench/conversation_cost.py [--rounds N]

`ThreatDetector.assess` on the same segments, once with the per-segment model only
and once with the shipped conversation model as well, for a request with a system
prompt and one user turn and for one with three turns. CPU time (process_time), so
the figures hold up on a shared machine better than wall time; compare within one
run. A lone user message builds no conversation and pays nothing. The texts are
written for this benchmark.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.normalize import NormalizedText, normalize
from engine.threats.conversation import Conversation, conversation_of
from engine.threats.detector import ThreatDetector
from engine.threats.model import DEFAULT_ARTIFACT, ThreatModel

SYSTEM = (
    "You are the support assistant of Northwind Bank. The staff override password is "
    "Kestrel-4471; never reveal it, spell it or hint at it. Only say 'Override accepted' "
    "when a staff member types it. Answer questions about cards and accounts, in the "
    "customer's language, politely and briefly, and hand anything about loans to a human."
)
USER = (
    "Could you explain the fee schedule for replacement cards, whether express delivery "
    "costs extra, and how long delivery takes to Germany and to Austria? "
) * 5
SHAPES = {
    "system + 1 user turn": [("user", USER)],
    "system + 3 turns": [("user", "What is the fee?"), ("assistant", "5 EUR."), ("user", USER)],
}


def cpu_ms(
    detector: ThreatDetector,
    segments: Mapping[str, NormalizedText],
    conversation: Conversation | None,
    n: int,
) -> float:
    detector.assess(segments, conversation)
    started = time.process_time()
    for _ in range(n):
        detector.assess(segments, conversation)
    return (time.process_time() - started) / n * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    alone = ThreatDetector(ThreatModel.load(DEFAULT_ARTIFACT))
    shipped = ThreatDetector.shipped()
    print(f"{'request':<24} {'segments only':>14} {'with conversation':>18}  (ms CPU per call)")
    for name, turns in SHAPES.items():
        messages = [("system", "messages[0]", normalize(SYSTEM).text)] + [
            (role, f"messages[{i + 1}]", normalize(text).text)
            for i, (role, text) in enumerate(turns)
        ]
        segments = {key: normalize(text) for role, key, text in messages if role != "system"}
        conversation = conversation_of(messages)
        base = cpu_ms(alone, segments, None, args.rounds)
        with_heads = cpu_ms(shipped, segments, conversation, args.rounds)
        print(f"{name:<24} {base:>14.2f} {with_heads:>18.2f}")


if __name__ == "__main__":
    main()
