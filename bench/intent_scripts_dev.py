"""Calibrate the n-gram matcher's threshold for scripts MiniLM cannot read, on a dev split.

    .venv/bin/python bench/intent_scripts_dev.py     # trade-off per threshold, per language

bench/corpus/intent_scripts_dev.jsonl holds requests written for this calibration
in Hindi, Thai, Japanese and Chinese: two per business intent of the reference
enterprise and language, and four off-topic requests per language (intent
`unknown`). None equals or paraphrases an exemplar in intents.yaml or a text of
bench/corpus/intent_languages.jsonl (the measuring set, never used here). Each
text goes through normalization and the reference enterprise's IntentIndex; for
every candidate threshold the script reports the share of business requests
matched to their intent and of off-topic requests left `unknown`, per script
(engine.scripts.dominant_script: Hindi is Devanagari, Japanese kana, Chinese Han).
engine.intent.SCRIPT_THRESHOLDS holds, per script, the threshold that maximizes
the sum of the two shares (ties: the higher threshold, the more cautious).
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.detection import enterprise  # noqa: E402
from engine.embedding import OnnxEmbedder  # noqa: E402
from engine.intent import SCRIPT_THRESHOLDS, IntentIndex, IntentScore, choose  # noqa: E402
from engine.normalize import normalize  # noqa: E402
from engine.scripts import Script, dominant_script, minilm_reads  # noqa: E402

CORPUS = ROOT / "bench" / "corpus" / "intent_scripts_dev.jsonl"
GRID = [round(0.10 + 0.02 * i, 2) for i in range(16)]


def main() -> int:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    snapshot, principal = enterprise()
    index = IntentIndex.from_snapshot(snapshot, OnnxEmbedder())
    owners = {spec.id: spec.tenant for spec in snapshot.intents.values()}
    # The intents the n-gram matcher scores: those with exemplars MiniLM cannot read.
    lexical = {
        spec.id
        for spec in snapshot.intents.values()
        if any(not minilm_reads(text) for text in spec.exemplars)
    }
    Explained = list[tuple[dict[str, str], tuple[IntentScore, ...]]]
    by_script: dict[Script, Explained] = defaultdict(list)
    for row in rows:
        text = normalize(row["text"]).text
        by_script[dominant_script(text)].append((row, index.explain(text)))
    print(f"{len(rows)} dev texts; {len(lexical)} intents with exemplars in these scripts")
    for script, explained in sorted(by_script.items()):
        now = SCRIPT_THRESHOLDS.get(script)
        print(f"\n{script} ({len(explained)} texts), threshold now {now}")
        print(f"{'threshold':>9} {'business right %':>17} {'off-topic unknown %':>20}")
        best = (-1.0, 0.0)
        for threshold in GRID:
            right, unknown = [0, 0], [0, 0]
            for row, scores in explained:
                moved = [
                    IntentScore(s.intent_id, s.category, threshold, s.similarity, s.score)
                    if s.intent_id in lexical
                    else s
                    for s in scores
                ]
                got = choose(moved, (), owners, principal.tenant, index.business_margin)
                tally = unknown if row["intent"] == "unknown" else right
                tally[0] += got.intent_id == row["intent"]
                tally[1] += 1
            share, off = right[0] / max(right[1], 1), unknown[0] / max(unknown[1], 1)
            print(f"{threshold:>9.2f} {100 * share:>17.1f} {100 * off:>20.1f}")
            if share + off >= best[0]:
                best = (share + off, threshold)
        print(f"best for {script} (max right + unknown, ties to the higher): {best[1]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
